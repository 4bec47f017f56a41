"""Units inside the acting user's scope, as every app asks for them.

Which units a user may see or change is decided by one function,
:func:`accounts.scope.unit_scope`, which the portal's user exposes as
``user.unit_scope(for_change=…)``. ``communes`` sits below ``accounts`` in the layers
and never imports it: it asks the user object (:class:`ScopedUser`), as Django's own
apps ask ``request.user.has_perm`` without importing the authentication backend.
"""

from typing import Protocol

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from communes.models import AdministrativeUnit
from core.exceptions import READ_ONLY_MESSAGE, OutOfScope


class ScopedUser(Protocol):
    """What this app needs of a user: ``accounts.models.User`` provides both."""

    def unit_scope(self, *, for_change: bool = False) -> QuerySet[AdministrativeUnit]: ...

    def has_perm(self, perm: str, obj=None) -> bool: ...


def get_unit_or_404(user: ScopedUser, pk, *, for_change: bool = False) -> AdministrativeUnit:
    """The unit ``pk`` (its parent loaded) if it lies in the user's scope, or in their
    change scope with ``for_change``; :class:`~core.exceptions.OutOfScope` (404)
    otherwise, also for a ``pk`` that is not a number."""
    try:
        return user.unit_scope(for_change=for_change).select_related("parent").get(pk=pk)
    except (AdministrativeUnit.DoesNotExist, ValueError, TypeError):
        raise OutOfScope from None


def require_unit(user: ScopedUser, unit: AdministrativeUnit, *, permission: str | None = None) -> None:
    """The check of a write on ``unit``, as every service makes it before it changes
    anything: :class:`~core.exceptions.OutOfScope` (404) when the user may not even see
    ``unit``; ``PermissionDenied`` (403, with a message) when their role lacks
    ``permission`` ("app.codename"); ``OutOfScope`` when the unit lies outside what they
    may change (a read-only role, a leader or an API client, may change nothing)."""
    if not user.unit_scope().filter(pk=unit.pk).exists():
        raise OutOfScope
    if permission is not None and not user.has_perm(permission):
        raise PermissionDenied(READ_ONLY_MESSAGE)
    if not user.unit_scope(for_change=True).filter(pk=unit.pk).exists():
        raise OutOfScope


def area_of(user: ScopedUser, unit: AdministrativeUnit | None) -> tuple[AdministrativeUnit | None, QuerySet]:
    """The units a page shows for ``unit`` (an area picked in its filter): ``unit`` as
    found in the user's scope (its parent loaded) and the user's units of its subtree; or
    (None, all the user's units) when no unit is picked. Raises
    :class:`~core.exceptions.OutOfScope` (404) for a unit outside the scope."""
    if unit is None:
        return None, user.unit_scope()
    found = get_unit_or_404(user, unit.pk)
    return found, user.unit_scope().within(found)
