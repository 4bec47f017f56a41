"""The base of every API view set: paging, the filters, the read permission, ETags.

A view set of an app subclasses :class:`PortalViewSet` (or mixes :class:`PortalAPIMixin`
into a DRF view) and sets ``read_permission`` ("app.view_model"), ``filterset_class``,
``ordering_fields``, ``ordering`` and ``search_fields``; its ``get_queryset`` starts
from the app's selectors, so that what lies outside the caller's scope is a 404.

ETags: every answer with one object carries ``ETag`` (a digest of the object's JSON);
a GET with ``If-None-Match`` naming it answers 304 without a body. A write wraps itself in :meth:`PortalAPIMixin.guarded`,
which locks the row and answers 412 when ``If-Match`` is not the current ETag.
"""

import hashlib
import json
from contextlib import contextmanager

from django.db import transaction
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import permissions, status, viewsets
from rest_framework.renderers import JSONRenderer
from rest_framework.settings import api_settings

from core.api.errors import PreconditionFailed
from core.api.filters import FoldedSearchFilter, StableOrderingFilter
from core.api.pagination import ApiPagination


class ReadPermission(permissions.BasePermission):
    """The caller's role must hold ``view.read_permission`` (e.g.
    ``"criteria.view_assessment"``); writes are checked again by the services."""

    def has_permission(self, request, view):
        needed = getattr(view, "read_permission", None)
        return needed is None or request.user.has_perm(needed)


def etag_of(data) -> str:
    """The strong ETag of a JSON representation: ``'"<40 hex>"'``."""
    body = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False).encode()
    return f'"{hashlib.sha1(body, usedforsecurity=False).hexdigest()}"'


def _tags(header: str) -> set[str]:
    return {tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()}


class PortalAPIMixin:
    """Defaults of every API view of the portal (see the module docstring)."""

    renderer_classes = [JSONRenderer]
    pagination_class = ApiPagination
    filter_backends = [DjangoFilterBackend, FoldedSearchFilter, StableOrderingFilter]
    permission_classes = [*api_settings.DEFAULT_PERMISSION_CLASSES, ReadPermission]
    read_permission: str | None = None
    ordering_fields: tuple = ()
    search_fields: tuple = ()

    def representation(self, obj) -> dict:
        """The object as a GET answers it (override where the detail's serializer is not
        ``get_serializer``'s for the action at hand)."""
        return self.get_serializer(obj).data

    @contextmanager
    def guarded(self):
        """``with self.guarded() as obj:`` inside one transaction, the object locked
        and read again; :class:`~core.api.errors.PreconditionFailed` (412) if the
        request's ``If-Match`` is not its ETag now."""
        with transaction.atomic():
            stale = self.get_object()
            type(stale)._base_manager.select_for_update().filter(pk=stale.pk).exists()
            obj = self.get_object()
            wanted = self.request.headers.get("If-Match")
            if (
                wanted is not None
                and "*" not in _tags(wanted)
                and etag_of(self.representation(obj)) not in _tags(wanted)
            ):
                raise PreconditionFailed
            yield obj

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        data = getattr(response, "data", None)
        if (
            response.status_code in (200, 201)
            and isinstance(data, dict)
            and "results" not in data
            and not response.has_header("ETag")
        ):
            response["ETag"] = etag_of(data)
            if request.method in ("GET", "HEAD") and response["ETag"] in _tags(
                request.headers.get("If-None-Match", "")
            ):
                response.status_code, response.data = status.HTTP_304_NOT_MODIFIED, None
        return response


class PortalViewSet(PortalAPIMixin, viewsets.GenericViewSet):
    """A generic view set with the portal's defaults; add DRF's list/retrieve mixins
    (only the routes of the mixins added are served)."""


class PortalReadOnlyViewSet(PortalAPIMixin, viewsets.ReadOnlyModelViewSet):
    """List and retrieve with the portal's defaults."""
