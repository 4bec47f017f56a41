"""Request middleware of the project."""

from ntm_portal.text import nfc


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
