"""Walking the pages of the assignment list (following ``next``) returns every row
exactly once, whatever the ordering, even when 30 rows share one deadline and others
have none: every ordering ends with the primary key."""

import datetime
import itertools

import pytest
from rest_framework.test import APIClient

from accounts.models import Agency
from directives.api import AssignmentViewSet
from directives.models import Assignment
from directives.services.assignments import assignment_mark_done, progress_report_create
from directives.services.directives import DirectiveInput, TaskInput, directive_create

pytestmark = pytest.mark.django_db
SHARED = datetime.date(2026, 12, 15)


@pytest.fixture
def assignments(coordinator):
    """30 assignments due 15/12/2026 (20 lead, 10 cooperating), 8 on a standing task
    (no deadline); some done, some with progress, so that every column has ties."""
    ids = list(Agency.objects.assignable().order_by("pk").values_list("pk", flat=True))
    assert len(ids) >= 38
    directive = directive_create(
        user=coordinator,
        data=DirectiveInput(
            number="30/TB-UBND",
            kind="conclusion_notice",
            issuer="Ủy ban nhân dân tỉnh Thái Nguyên",
            issued_on=datetime.date(2026, 11, 2),
            title="Thông báo thử phân trang",
            tasks=(
                TaskInput(
                    text="Báo cáo trước 15/12/2026.",
                    deadline=SHARED,
                    lead_ids=tuple(ids[:20]),
                    cooperating_ids=tuple(ids[20:30]),
                ),
                TaskInput(text="Thường xuyên theo dõi.", lead_ids=tuple(ids[30:38])),
            ),
        ),
    )
    rows = list(Assignment.objects.filter(task__directive=directive).order_by("pk"))
    done = rows[::5]
    for row in done:
        assignment_mark_done(user=coordinator, assignment=row)
    for row in rows[1::4]:
        if row not in done:
            progress_report_create(user=coordinator, assignment=row, text="Đang làm.", percent=50)
    assert sum(1 for row in rows if row.deadline == SHARED) == 30
    assert sum(1 for row in rows if row.deadline is None) == 8
    return rows


def _walk(api, **params) -> list[int]:
    seen, url, pages = [], "/api/v1/assignments/", 0
    response = api.get(url, {"page_size": 7, **params})
    while True:
        assert response.status_code == 200, response.json()
        data = response.json()
        seen += [row["id"] for row in data["results"]]
        pages += 1
        if data["next"] is None:
            break
        response = api.get(data["next"])
    assert pages == 6  # 38 rows, 7 a page
    return seen


ORDERINGS = list(AssignmentViewSet.ordering_fields)


@pytest.mark.parametrize("ordering", [None, *ORDERINGS, *(f"-{field}" for field in ORDERINGS)])
def test_every_row_comes_once_for_every_ordering(assignments, coordinator, ordering):
    api = APIClient()
    api.force_authenticate(coordinator)
    seen = _walk(api, **({"ordering": ordering} if ordering else {}))
    assert len(seen) == len(set(seen)) == len(assignments)
    assert set(seen) == {row.pk for row in assignments}


def test_a_combined_ordering_also_pages_without_gaps(assignments, coordinator):
    api = APIClient()
    api.force_authenticate(coordinator)
    seen = _walk(api, ordering="-deadline,status,-percent")
    assert sorted(seen) == sorted(row.pk for row in assignments)
    deadlines = [Assignment.objects.get(pk=pk).deadline for pk in seen]
    # The shared day and "no deadline" each come in one run (which first is the database's
    # rule for NULL).
    assert [day for day, _run in itertools.groupby(deadlines)] in ([None, SHARED], [SHARED, None])


def test_ordering_by_status_puts_what_needs_action_first(assignments, coordinator):
    api = APIClient()
    api.force_authenticate(coordinator)
    statuses = [
        row["status"]
        for row in api.get("/api/v1/assignments/", {"ordering": "status", "page_size": 50}).json()["results"]
    ]
    order = ["open_overdue", "open_within_term", "done_late", "done_on_time"]
    assert statuses == sorted(statuses, key=order.index)
    assert statuses[0] == "open_within_term" and statuses[-1] == "done_on_time"
