"""Request middleware of the project."""

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import is_valid_path
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
    the site's URL patterns. Unknown addresses (no view) keep Django's handling."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Http404) and not request.path.startswith("/api/"):
            return render(request, "404.html", status=404)
        return None


# The API's codes (core.api.errors) of the error pages Django itself may answer.
_API_CODES = {400: "malformed", 403: "permission_denied", 404: "not_found", 405: "method_not_allowed"}


class ApiErrorPageMiddleware:
    """Under /api/, an address without its final slash is served as the one with it,
    and an error Django answers itself with an HTML page (an unknown
    address, a body it cannot read such as a multipart body without a boundary, a body
    larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE``) becomes the API's JSON error
    (``{"code", "detail", "errors"}``, :mod:`core.api.errors`). Placed before every
    middleware that may read the body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # ".../cement-uses" is ".../cement-uses/": served, not redirected (a redirect
        # cannot carry a POST's body; Django's APPEND_SLASH refuses one with a 500).
        if (
            request.path_info.startswith("/api/")
            and not request.path_info.endswith("/")
            and not is_valid_path(request.path_info)
            and is_valid_path(f"{request.path_info}/")
        ):
            request.path_info, request.path = f"{request.path_info}/", f"{request.path}/"
        response = self.get_response(request)
        if (
            request.path.startswith("/api/")
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            messages = {
                400: _("The request could not be read."),
                403: _("You may not do this."),
                404: _("No such address in the API."),
                405: _("This method is not allowed here."),
            }
            body = {
                "code": _API_CODES.get(response.status_code, "server_error"),
                "detail": str(
                    messages.get(response.status_code, _("The server could not answer. Try again later."))
                ),
                "errors": [],
            }
            return JsonResponse(body, status=response.status_code, json_dumps_params={"ensure_ascii": False})
        return response
