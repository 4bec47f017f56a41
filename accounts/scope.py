"""The one scope function: which administrative units a user may see, and change.

Every view, API view, export and dashboard starts from :func:`unit_scope` (the user
exposes it as ``user.unit_scope(for_change=…)``, which is how ``communes`` asks for it);
what lies outside it answers 404 (:class:`core.exceptions.OutOfScope`, raised by
:func:`communes.scope.get_unit_or_404` and :func:`communes.scope.require_unit`), never
403, so that a user cannot even learn that a unit of another district exists in a given
state.
"""

from django.db.models import QuerySet

from accounts.roles import CHANGING_ROLES, user_roles
from communes.models import AdministrativeUnit


def can_change(user) -> bool:
    """True when one of the user's roles may change data (a leader or API client may not)."""
    return (
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or bool(user_roles(user) & CHANGING_ROLES))
    )


def unit_scope(user, *, for_change: bool = False) -> QuerySet[AdministrativeUnit]:
    """The administrative units ``user`` may see (``for_change=False``) or change
    (``for_change=True``): the subtree of their agency's scope unit, whatever its dates,
    and the subtrees of units merged whole into it (a province's agencies see the
    former Bắc Kạn province merged into Thái Nguyên).

    A superuser sees and changes everything. An anonymous or inactive user, a user with
    no agency or an inactive agency, sees nothing. A read-only role (leader, API client)
    sees its subtree and changes nothing.
    """
    units = AdministrativeUnit.objects.all()
    if not user.is_authenticated or not user.is_active:
        return units.none()
    if user.is_superuser:
        return units
    if for_change and not can_change(user):
        return units.none()
    agency = user.agency
    if agency is None or not agency.is_active:
        return units.none()
    # A province's agencies also work on the provinces merged into it, and their history.
    roots = [agency.scope, *AdministrativeUnit.objects.merged_into(agency.scope)]
    return units.within(*roots)
