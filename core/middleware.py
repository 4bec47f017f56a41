"""Request middleware of the project."""

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.text import nfc


class NormalizeUnicodeMiddleware:
    """Normalise every query-string and form value to Unicode NFC before a view sees it,
    so that a name typed on a Mac (NFD) is stored and matched like one typed on Windows.
    Uploaded files and JSON bodies are normalised where they are parsed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.GET = self._normalized(request.GET)
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            request.POST = self._normalized(request.POST)
        return self.get_response(request)

    @staticmethod
    def _normalized(query_dict):
        if not any(v != nfc(v) for _, values in query_dict.lists() for v in values):
            return query_dict
        copy = query_dict.copy()
        for key, values in query_dict.lists():
            copy.setlist(key, [nfc(v) for v in values])
        copy._mutable = False
        return copy


class NotFoundPageMiddleware:
    """Answer an ``Http404`` raised by a view (a unit, assessment or assignment outside
    the user's scope) with the portal's own Vietnamese 404 page, also when DEBUG is on as
    in the demo of ``make run``, where Django would show its English technical page with
    the site's URL patterns. Unknown page addresses (no view) keep Django's handling; an
    unknown address under /api/ answers the API's JSON error (``core.api.errors``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code == 404
            and request.path.startswith("/api/")
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            body = {"code": "not_found", "detail": _("No such address in the API."), "errors": []}
            return JsonResponse(body, status=404, json_dumps_params={"ensure_ascii": False})
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, Http404) and not request.path.startswith("/api/"):
            return render(request, "404.html", status=404)
        return None
