"""The OpenAPI schema (drf-spectacular) with the portal's errors on every operation.

Every operation documents, besides its own answer, the errors it can give in the one
format of :mod:`core.api.errors` (:class:`ErrorSerializer`): 400, 401, 403, 404, 429
everywhere; 409 and 412 on writes; 404 on a list (past the last page).
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import get_override
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class FieldErrorSerializer(serializers.Serializer):
    field = serializers.CharField(
        allow_null=True, help_text=_("Where: a body field path or a query parameter.")
    )
    code = serializers.CharField(help_text=_("Stable machine code."))
    detail = serializers.CharField(help_text=_("What a person reads (Vietnamese)."))


class ErrorSerializer(serializers.Serializer):
    """``{"code", "detail", "errors": [{"field", "code", "detail"}]}``."""

    code = serializers.CharField(
        help_text=_("Stable machine code, e.g. invalid, not_found, precondition_failed.")
    )
    detail = serializers.CharField(help_text=_("What a person reads (Vietnamese)."))
    errors = FieldErrorSerializer(many=True)


_READ_ERRORS = {
    400: _("Invalid parameter (the field names it)."),
    401: _("No token, or a token that is invalid, expired or revoked."),
    403: _("The caller's role or token may not do this."),
    404: _("Not found, or outside the caller's scope; a page past the last."),
    429: _("Too many calls: wait Retry-After seconds."),
}
_WRITE_ERRORS = {
    409: _("The object's state does not allow this (e.g. a transition the workflow refuses)."),
    412: _("If-Match is not the object's current ETag: read it again."),
}


class PortalAutoSchema(AutoSchema):
    """AutoSchema that adds the error answers above to every operation, and leaves out
    the English docstrings of views, serializers and methods that drf-spectacular would
    publish as descriptions: the documentation is in Vietnamese (summaries, help texts,
    ``extend_schema(description=…)``); the docstrings are for the developers."""

    def get_description(self):
        return ""

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        if get_override(serializer, "description") is None:
            schema.pop("description", None)
        return schema

    def _map_response_type_hint(self, method):
        schema = super()._map_response_type_hint(method)
        schema.pop("description", None)
        return schema

    def _get_response_bodies(self, direction="response"):
        bodies = super()._get_response_bodies(direction)
        errors = dict(_READ_ERRORS)
        if self.method not in ("GET", "HEAD", "OPTIONS"):
            errors |= _WRITE_ERRORS
        for status, text in errors.items():
            if str(status) not in bodies:
                bodies[str(status)] = self._get_response_for_code(
                    OpenApiResponse(ErrorSerializer, description=str(text)), str(status), direction=direction
                )
        return bodies
