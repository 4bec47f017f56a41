"""Request middleware of the project."""

from django.http import Http404
from django.shortcuts import render

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
