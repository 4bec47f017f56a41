"""One error format for the whole REST API, in Vietnamese, with stable machine codes.

Every error answers::

    {"code": "invalid", "detail": "Dữ liệu gửi lên không hợp lệ.",
     "errors": [{"field": "values[2].indicator", "code": "invalid", "detail": "..."}]}

``code`` is the machine code of the error (below), ``detail`` what a person reads,
``errors`` (validation only, else empty) one entry per field, with its path in the body
or the query string (``None`` for an error of the whole body).

=====  ========================================================================
400    ``invalid`` (body or parameters), ``malformed`` (unreadable JSON),
       ``invalid_page``
401    ``not_authenticated``, ``token_invalid``, ``token_expired``, ``token_revoked``
403    ``permission_denied``, ``token_read_only``, ``csrf_failed`` (a session's write
       without its CSRF token)
404    ``not_found`` (also what lies outside the caller's scope)
405    ``method_not_allowed``; 406 ``not_acceptable``; 415 ``unsupported_media_type``
409    ``conflict`` (a transition the workflow refuses, a stale version)
412    ``precondition_failed`` (If-Match does not match the object's ETag)
429    ``throttled`` (with ``Retry-After``)
=====  ========================================================================
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler


class Conflict(exceptions.APIException):
    """409: the object is not in a state that allows this (a workflow transition from
    the wrong status, a task already closed)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("The object is not in a state that allows this.")
    default_code = "conflict"


class PreconditionFailed(exceptions.APIException):
    """412: the ``If-Match`` sent is not the object's current ETag: someone changed it
    since the caller read it."""

    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = gettext_lazy(
        "The object was changed since you read it (If-Match does not match its ETag). Read it again."
    )
    default_code = "precondition_failed"


class InvalidPage(exceptions.APIException):
    """400 on ``page`` or ``page_size`` that is not a whole number of at least 1."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid_page"

    def __init__(self, parameter: str, detail: str):
        super().__init__(detail, self.default_code)
        self.parameter = parameter


_CODES = {
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.AuthenticationFailed: "token_invalid",
    exceptions.PermissionDenied: "permission_denied",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "throttled",
    exceptions.ParseError: "malformed",
    exceptions.ValidationError: "invalid",
}


def _messages(exc: exceptions.APIException, method: str) -> str:
    """What a person reads for ``exc``, in the portal's words where DRF's are English."""
    if isinstance(exc, exceptions.Throttled):
        return _("Too many calls. Try again in %(seconds)s seconds.") % {
            "seconds": exc.wait and int(exc.wait + 0.999)
        }
    if isinstance(exc, exceptions.NotAuthenticated):
        return _("Log in or send an API token (Authorization: Bearer <key>).")
    if isinstance(exc, exceptions.NotFound):
        detail = str(exc.detail)
        return detail if detail != str(exceptions.NotFound.default_detail) else _("Not found.")
    if isinstance(exc, exceptions.MethodNotAllowed):
        return _("Method %(method)s is not allowed here.") % {"method": method}
    if isinstance(exc, exceptions.PermissionDenied) and str(exc.detail).startswith("CSRF Failed"):
        # DRF's own words, never translated.
        return _("A logged-in session must send its CSRF token (X-CSRFToken); a system sends an API token.")
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return _("Send the body as JSON (Content-Type: application/json).")
    if isinstance(exc, exceptions.ValidationError):
        return _("The data sent is not valid.")
    if isinstance(exc.detail, str):
        return str(exc.detail)
    return str(exc.default_detail)


def _field_errors(detail, path: str | None = None) -> list[dict]:
    """DRF's nested error detail as a flat list of ``{"field", "code", "detail"}``."""
    if isinstance(detail, dict):
        rows = []
        for key, value in detail.items():
            if isinstance(key, int):  # DRF >= 3.16 keys a list's item errors by index
                rows += _field_errors(value, f"{path}[{key}]" if path else f"[{key}]")
                continue
            name = None if key in ("non_field_errors", "__all__") else str(key)
            rows += _field_errors(value, name if path is None else (f"{path}.{name}" if name else path))
        return rows
    if isinstance(detail, list):
        rows = []
        for index, item in enumerate(detail):
            if isinstance(item, dict | list):
                rows += _field_errors(item, f"{path}[{index}]" if path else f"[{index}]")
            else:
                rows += _field_errors(item, path)
        return rows
    text = str(detail)
    if text == "No data provided":  # DRF's own words for a null body, never translated
        text = _("Send the data as a JSON object.")
    return [{"field": path, "code": getattr(detail, "code", None) or "invalid", "detail": text}]


def _from_django(exc):
    """Django's exceptions raised by services and scope checks, as DRF's."""
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail = {
                field: [
                    exceptions.ErrorDetail(message, error.code or "invalid")
                    for error in errors
                    for message in error
                ]
                for field, errors in exc.error_dict.items()
            }
        else:
            detail = [
                exceptions.ErrorDetail(message, error.code or "invalid")
                for error in exc.error_list
                for message in error
            ]
        return exceptions.ValidationError(detail)
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(str(exc) if exc.args else None)
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    return exc


def exception_handler(exc, context):
    """DRF's ``EXCEPTION_HANDLER``: every error in the format above (headers such as
    ``Retry-After`` and ``WWW-Authenticate`` kept)."""
    exc = _from_django(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, InvalidPage):
        code, errors = (
            exc.default_code,
            [{"field": exc.parameter, "code": exc.default_code, "detail": str(exc.detail)}],
        )
        detail = str(exc.detail)
    else:
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else None
        code = codes if isinstance(codes, str) and codes not in ("invalid", "error") else None
        code = code or next((name for kind, name in _CODES.items() if isinstance(exc, kind)), "error")
        if isinstance(exc, exceptions.ValidationError):
            code = "invalid"
        elif isinstance(exc, exceptions.ParseError):
            code = "malformed"
        elif isinstance(exc, exceptions.PermissionDenied) and str(exc.detail).startswith("CSRF Failed"):
            code = "csrf_failed"
        errors = _field_errors(exc.detail) if isinstance(exc, exceptions.ValidationError) else []
        request = context.get("request")
        detail = _messages(exc, request.method if request is not None else "")
    response.data = {"code": code, "detail": detail, "errors": errors}
    return response
