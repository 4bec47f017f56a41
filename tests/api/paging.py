"""Walking an API list page by page, as a client syncing it would: follow ``next``."""


def walk_all(
    api, url: str, ordering: str | None, *, page_size: int = 7, params: dict | None = None
) -> list[dict]:
    """Every row of the list at ``url`` sorted by ``ordering`` (None: the view's own
    order), read ``page_size`` rows at a time by following the ``next`` links until
    there is none. Checks that every page answers 200 and that ``count`` stays the
    same from page to page; returns the rows in the order the pages gave them."""
    query = {"page_size": page_size, **(params or {})}
    if ordering is not None:
        query["ordering"] = ordering
    response = api.get(url, query)
    rows: list[dict] = []
    count = None
    while True:
        assert response.status_code == 200, (url, ordering, response.content[:300])
        body = response.json()
        count = body["count"] if count is None else count
        assert body["count"] == count, (url, ordering)
        rows += body["results"]
        if body["next"] is None:
            break
        response = api.get(body["next"])
    assert len(rows) == count, (url, ordering)
    return rows


def orderings(viewset) -> list[str | None]:
    """The view's own order, then every ordering it offers, ascending and descending."""
    fields = list(viewset.ordering_fields)
    return [None, *fields, *(f"-{field}" for field in fields)]
