"""Request parsers of the REST API."""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class SafeJSONParser(JSONParser):
    """DRF's JSON parser that answers 400 instead of 500 on pathological input: JSON
    nested too deeply for Python's recursion limit (``RecursionError``) or otherwise
    unreadable (``ValueError``, e.g. a bad encoding), and in Vietnamese where DRF's own
    message ("JSON parse error - …") is English."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type=media_type, parser_context=parser_context)
        except ParseError:
            # DRF's "JSON parse error - …" is English and cannot be translated.
            raise ParseError(_("The JSON could not be read.")) from None
        except RecursionError:
            raise ParseError(_("The JSON is nested too deeply.")) from None
        except ValueError:
            raise ParseError(_("The JSON could not be read.")) from None
