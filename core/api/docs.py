"""The API's documentation: the schema's title and description (in the reader's
language, Vietnamese by default), and the Swagger UI and ReDoc pages, both served from
our own static files (drf-spectacular-sidecar) under the portal's Content Security Policy.

* ``/api/v1/schema/``: the OpenAPI 3 schema (YAML; ``?format=json`` for JSON;
  ``?lang=en`` for English).
* ``/api/v1/docs/``: Swagger UI, to try calls. drf-spectacular's split view: the page
  loads its start-up script as a file (``?script``), so ``script-src 'self'`` holds.
* ``/api/v1/redoc/``: ReDoc, to read. Its start-up script is ``static/js/api-redoc.js``;
  see :data:`REDOC_CSP` for the two things ReDoc needs beyond the portal's policy.

The description (:func:`describe_schema`, a drf-spectacular post-processing hook)
explains what every endpoint shares: tokens, the error format, paging, ordering,
search, ``updated_since``, ETags and the throttle. It follows :mod:`core.api.errors`,
:mod:`core.api.pagination`, :mod:`core.api.filters` and :mod:`core.api.views`: change it
with them.
"""

from django.conf import settings
from django.utils.csp import CSP
from django.utils.decorators import method_decorator
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.csp import csp_override
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularRedocView

from core.api.pagination import ApiPagination


def _rate() -> str:
    """``NTM_API_RATE`` ("600/minute", read as DRF's throttle reads it) in words:
    "600 calls a minute"."""
    number, _slash, period = settings.NTM_API_RATE.partition("/")
    words = {
        "s": pgettext("rate", "a second"),
        "m": pgettext("rate", "a minute"),
        "h": pgettext("rate", "an hour"),
        "d": pgettext("rate", "a day"),
    }
    if not number.strip().isdigit() or period[:1] not in words:
        return settings.NTM_API_RATE
    return _("%(number)s calls %(period)s") % {"number": int(number), "period": words[period[0]]}


def description() -> str:
    """The schema's description (Markdown), in the active language."""
    sections = [
        _(
            "The REST API of the provincial New Rural Development portal (Cổng NTM), for the "
            "province's other systems: the reporting system, the document management system, "
            "the data warehouse. A call sees exactly what the portal's pages show a user of the "
            "same agency, and changes only what such a user may change, through the same checks, "
            "workflow and history as the pages."
        ),
        "## " + pgettext("API documentation", "Tokens"),
        _(
            "Every call carries a key: `Authorization: Bearer ntm_…`. A provincial coordinator "
            "issues keys in the portal at [/tokens/](/tokens/) (menu “API keys”) to an agency: "
            "read-only or read-write, with an expiry date. The key is shown once, when it is "
            "issued; the portal keeps only its digest, shows when it was last used, and the "
            "coordinator can revoke it at any time. A key sees and changes what a user of its "
            "agency sees and changes (the agency's units and their subtree); a read-only key is "
            "refused every write (403 `token_read_only`). A person logged in to the portal may "
            "also try the calls in Swagger UI with their own session."
        ),
        "## " + pgettext("API documentation", "Errors"),
        _(
            "Every error answers JSON in one format:\n\n"
            '```json\n{"code": "invalid", "detail": "Dữ liệu gửi lên không hợp lệ.",\n'
            ' "errors": [{"field": "page_size", "code": "invalid_page", "detail": "…"}]}\n```\n\n'
            "`code` is a stable machine code, `detail` what a person reads (in Vietnamese), "
            "`errors` one entry per wrong field or query parameter (`field` is its path in the "
            "body, such as `values[2].indicator`, or the parameter's name; `null` for the whole "
            "body), empty for errors that are not about the input. A program decides on the "
            "status and `code`, never on the wording of `detail`."
        ),
        _(
            "| status | code | when |\n"
            "|---|---|---|\n"
            "| 400 | `invalid`, `malformed`, `invalid_page` | a wrong body, filter or parameter; JSON that cannot be read; `page` or `page_size` not a whole number of at least 1 |\n"
            "| 401 | `not_authenticated`, `token_invalid`, `token_expired`, `token_revoked` | no key, or a key that is unknown, expired or revoked |\n"
            "| 403 | `permission_denied`, `token_read_only` | the agency's role may not do this; a write with a read-only key |\n"
            "| 404 | `not_found` | no such object, or one outside the caller's scope (the API does not say which); a page past the last |\n"
            "| 405, 406, 415 | `method_not_allowed`, `not_acceptable`, `unsupported_media_type` | another method, format or body type than the operation's |\n"
            "| 409 | `conflict` | the object's state does not allow it (e.g. approving an assessment that was not submitted) |\n"
            "| 412 | `precondition_failed` | `If-Match` is not the object's current ETag: someone changed it since you read it |\n"
            "| 429 | `throttled` | too many calls: wait `Retry-After` seconds |"
        ),
        "## " + pgettext("API documentation", "Lists: paging, ordering, search, incremental sync"),
        _(
            'A list answers `{"count", "next", "previous", "results"}`. `page` counts '
            "from 1; `page_size` is %(default)s unless given and at most %(max)s (a larger one "
            "is cut to %(max)s). A page past the last is a 404 (page 1 of an empty list is an "
            "empty page). Follow `next` until it is `null`."
        )
        % {"default": ApiPagination.page_size, "max": ApiPagination.max_page_size},
        _(
            "`ordering=-deadline,id`: comma-separated fields among those the operation lists, "
            "`-` for descending; a field it does not offer is a 400 naming `ordering`. Every "
            "order ends with the object's id, so paging never repeats or skips a row when many "
            "rows share a value. `search=dong hy` finds “Đồng Hỷ”: every word, without accents "
            "or case, in the fields the operation names."
        ),
        _(
            "`updated_since=2026-11-01T00:00:00+07:00` (ISO 8601 date and time, with its offset) "
            "keeps the rows created or changed since then, including changes to their children "
            "(an assessment whose values changed, a directive whose tasks changed). To keep "
            "another system in step: note the time before you start, read every page with "
            "`updated_since` set to the time noted at the previous run, and keep the new time "
            "for the next run. A + in a URL reads as a space: encode it, or give the time in "
            "UTC, ending in Z (`2026-10-31T17:00:00Z`). A filter value that cannot be read is a "
            "400 naming the parameter."
        ),
        "## " + pgettext("API documentation", "Concurrent changes: ETag and If-Match"),
        _(
            "Every answer with one object carries an `ETag` header. `If-None-Match` with it "
            "answers 304 when nothing changed. A write may send `If-Match` with the ETag that "
            "was read: if someone changed the object since, the write is refused with 412 "
            "`precondition_failed` and nothing is saved; read it again, and decide again. A "
            "successful write answers the object as it is now, with its new ETag. Workflow "
            "steps the object's state does not allow answer 409 `conflict`."
        ),
        "## " + pgettext("API documentation", "Throttling"),
        _(
            "Each key may make at most %(rate)s (setting `NTM_API_RATE`); past that every call "
            "answers 429 `throttled` with `Retry-After`, the seconds to wait before calling again."
        )
        % {"rate": _rate()},
        "## " + pgettext("API documentation", "Dates, numbers, text"),
        _(
            "Dates are ISO 8601 (`2020-07-17`); times carry their offset and the portal's zone "
            'is Asia/Ho_Chi_Minh (+07:00). Decimals are strings with a point (`"17.23"`), so '
            "nothing is lost to floating point: money in VND, cement in tonnes, rates in percent "
            "(0-100). Text sent in is normalised to Unicode NFC. Messages are in Vietnamese; "
            "`?lang=en` on this schema gives its English text."
        ),
        "## " + pgettext("API documentation", "This documentation"),
        _(
            "[Swagger UI](/api/v1/docs/) lists every operation and tries it; "
            "[ReDoc](/api/v1/redoc/) is easier to read; the schema itself, OpenAPI 3, is at "
            "[/api/v1/schema/](/api/v1/schema/) (YAML; `?format=json` for JSON), for client "
            "generators. The documentation and the schema are public: they describe the API "
            "and hold no data. The interface words of Swagger UI (Try it out, Execute, "
            "Parameters, Responses) are English and cannot be configured; the descriptions are "
            "in Vietnamese."
        ),
    ]
    return "\n\n".join(sections)


def _tag_names(result, generator) -> dict:
    """Each tag (the first path segment: ``units``, ``cement-batches``) and what people
    call it: the plural name of the model its view set serves, in the active language
    (``Đơn vị hành chính``), for every resource an app adds."""
    names = {}
    for path, _regex, method, callback in getattr(generator, "endpoints", None) or []:
        operation = result["paths"].get(path, {}).get(method.lower(), {})
        view = getattr(callback, "cls", None)
        model = getattr(getattr(view, "queryset", None), "model", None) or getattr(
            getattr(getattr(view, "serializer_class", None), "Meta", None), "model", None
        )
        for tag in operation.get("tags", ()):
            if model is not None and tag not in names:
                names[tag] = capfirst(str(model._meta.verbose_name_plural))
    return names


def describe_schema(result, generator, request, public):
    """drf-spectacular post-processing hook: the translated title, description and tag
    names (plain strings, as the YAML renderer needs). ReDoc shows a tag's
    ``x-displayName``; Swagger UI its description beside the tag."""
    result["info"]["title"] = _("NTM Portal API")
    result["info"]["description"] = description()
    names = _tag_names(result, generator)
    used = sorted(
        {tag for item in result["paths"].values() for op in item.values() for tag in op.get("tags", ())}
    )
    result["tags"] = [
        {"name": tag, "x-displayName": names[tag], "description": names[tag]}
        if tag in names
        else {"name": tag}
        for tag in used
    ]
    return result


def redoc_options() -> dict:
    """ReDoc's options: its own words that it lets us translate (``labels``; the others,
    such as "Request Body schema" or the search box, are fixed in ReDoc), a theme in the
    portal's fonts. The nonce is added in the browser (``static/js/api-redoc.js``)."""
    return {
        "labels": {
            "enum": pgettext("ReDoc", "Enum"),
            "enumSingleValue": pgettext("ReDoc", "Value"),
            "enumArray": pgettext("ReDoc", "Items"),
            "default": pgettext("ReDoc", "Default"),
            "deprecated": pgettext("ReDoc", "Deprecated"),
            "example": pgettext("ReDoc", "Example"),
            "examples": pgettext("ReDoc", "Examples"),
            "recursive": pgettext("ReDoc", "Recursive"),
            "arrayOf": pgettext("ReDoc", "Array of "),
            "webhook": pgettext("ReDoc", "Event"),
            "const": pgettext("ReDoc", "Value"),
            "noResultsFound": pgettext("ReDoc", "No results found"),
            "download": pgettext("ReDoc", "Download"),
            "downloadSpecification": pgettext("ReDoc", "Download the OpenAPI specification"),
            "responses": pgettext("ReDoc", "Responses"),
            "callbackResponses": pgettext("ReDoc", "Callback responses"),
            "requestSamples": pgettext("ReDoc", "Request samples"),
            "responseSamples": pgettext("ReDoc", "Response samples"),
        },
        "hideHostname": True,
        "expandResponses": "200,201",
        "jsonSampleExpandLevel": 3,
        "theme": {
            "typography": {
                "fontFamily": 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif',
                "headings": {"fontFamily": 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif'},
            }
        },
    }


# ReDoc under the portal's policy (settings.SECURE_CSP) needs two things more, on this
# page only:
# * style-src with this response's nonce: ReDoc writes its styles into <style> elements
#   it creates (styled-components, and a scrollbar stylesheet as soon as its bundle
#   loads). static/js/api-redoc.js, loaded first with the nonce, gives each such element
#   the nonce, so no 'unsafe-inline' is needed and no inline style from elsewhere (an
#   injected style attribute or element) is allowed. It also keeps ReDoc from fetching
#   Redocly's logo from its CDN (img-src stays 'self' data:).
# * worker-src blob:: its search index runs in a Web Worker built from a blob: URL made
#   by ReDoc's own script. Only script this page already runs ('self') can create such a
#   URL, so this admits no code from elsewhere.
REDOC_CSP = {
    **settings.SECURE_CSP,
    "style-src": [CSP.SELF, CSP.NONCE],
    "worker-src": [CSP.SELF, "blob:"],
}


@method_decorator(csp_override(REDOC_CSP), name="dispatch")
class RedocView(SpectacularRedocView):
    """ReDoc from the sidecar's bundle, started by our static script (no inline script),
    under :data:`REDOC_CSP`."""

    template_name = "drf_spectacular/redoc.html"

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        response.data["options"] = redoc_options()
        return response
