"""Read queries of the accounts pages: the API tokens a coordinator issued, and the staffing
of the coordination offices."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.db.models import F, Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency, AgencyKind, ApiToken
from accounts.roles import Role
from accounts.staffing import last_staffing_change


class TokenState(models.TextChoices):
    """Where a token stands at a given instant: usable, past its expiry, or revoked."""

    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


def api_tokens() -> QuerySet[ApiToken]:
    """Every token, newest first, with its agency, issuer, revoker and its account's
    groups (the role it acts with) loaded: the number of queries of a page of them does
    not depend on its length."""
    return (
        ApiToken.objects.select_related("agency", "created_by", "revoked_by")
        .prefetch_related("user__groups")
        .order_by("-created_at", "-pk")
    )


def token_state(token: ApiToken, now: datetime.datetime) -> TokenState:
    """Revoked (whatever its expiry), else expired once ``expires_at`` is reached, else active."""
    if token.revoked_at is not None:
        return TokenState.REVOKED
    if token.expires_at <= now:
        return TokenState.EXPIRED
    return TokenState.ACTIVE


def token_last_day(token: ApiToken) -> datetime.date:
    """The last day (Vietnam time) the token works: ``expires_at`` is the midnight after
    the expiry date the coordinator chose (:func:`accounts.services.api_token_issue`)."""
    return (timezone.localtime(token.expires_at) - datetime.timedelta(microseconds=1)).date()


def token_roles(token: ApiToken) -> list[Role]:
    """The roles the token's account holds (the one :func:`accounts.services.token_role`
    gave it when issued), read from the prefetched groups of :func:`api_tokens`."""
    return [Role(group.name) for group in token.user.groups.all() if group.name in Role.values]


def coordination_offices(*, visible: QuerySet) -> QuerySet[Agency]:
    """The active NTM coordination offices (Văn phòng Điều phối) whose scope unit lies in
    ``visible`` (a queryset of administrative units, ``accounts.scope.unit_scope``),
    the province's first, then by the GSO code of their unit; with their scope unit
    loaded. Their ``ntm_staff_required`` and ``ntm_staff_actual`` are the full-time NTM
    staff they should have and have (None while not reported); notice 58/TB-UBND of
    06/07/2020 says the district offices lack them. One query."""
    return (
        Agency.objects.filter(kind=AgencyKind.COORDINATION_OFFICE, is_active=True, scope__in=visible)
        .select_related("scope")
        .order_by(F("scope__parent_id").asc(nulls_first=True), "scope__code", "name")
    )


# The change reason of the history row a staffing change writes first when an agency has
# none yet (one loaded from a fixture): the counts as they stood before the change.
STAFFING_BASELINE_REASON = "staffing-baseline"
# The change reason of the history row of a change of the staffing in the portal.
STAFFING_REASON = "staffing"


@dataclass(frozen=True)
class StaffingChange:
    """What the history says of an office's staffing: ``version`` (the id of its latest
    history row, "0" when it has none: the optimistic lock of the staffing form, as
    ``directives.selectors.editing.directive_version``), and the last change of its two
    counts, who made it (their full name, "" if unknown) and when (an aware datetime;
    None, with ``changed_by`` "", when the counts were never changed)."""

    version: str
    changed_by: str
    changed_at: datetime.datetime | None


NO_CHANGE = StaffingChange(version="0", changed_by="", changed_at=None)


def agency_version(agency_id: int) -> str:
    """The version of an agency: the id of its latest history row ("0" when it has none).
    One query."""
    latest = Agency.history.filter(id=agency_id).aggregate(latest=Max("history_id"))["latest"]
    return str(latest or 0)


def staffing_history(*, agencies: Iterable[Agency]) -> dict[int, StaffingChange]:
    """For each of ``agencies`` (by id), its :class:`StaffingChange`; an agency with no
    history row is absent (read it as :data:`NO_CHANGE`). One query, whatever the number
    of agencies: every history row of theirs, oldest first (by history id,
    which only grows), with its user."""
    ids = [agency.pk for agency in agencies]
    rows: dict[int, list] = {}
    history = (
        Agency.history.filter(id__in=ids)
        .select_related("history_user")
        .only(
            "id",
            "history_id",
            "history_date",
            "history_change_reason",
            "ntm_staff_required",
            "ntm_staff_actual",
            "history_user__first_name",
            "history_user__last_name",
            "history_user__username",
        )
        .order_by("id", "history_id")
    )
    for row in history:
        rows.setdefault(row.id, []).append(row)
    found = {}
    for agency_id, versions in rows.items():
        index = last_staffing_change(
            [(row.ntm_staff_required, row.ntm_staff_actual) for row in versions],
            [row.history_change_reason == STAFFING_BASELINE_REASON for row in versions],
        )
        change = versions[index] if index is not None else None
        user = change.history_user if change is not None else None
        found[agency_id] = StaffingChange(
            version=str(max(row.history_id for row in versions)),
            changed_by=str(user) if user is not None else "",
            changed_at=change.history_date if change is not None else None,
        )
    return found
