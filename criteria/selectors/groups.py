"""Reads of the commune groups (nhóm xã) of a period: the periods a set's groups are
assigned for, and the table of communes with their group that a coordinator fills in.

Each function takes the acting ``user`` where units are read, and starts from the one
scope function (:func:`accounts.scope.unit_scope`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from accounts.scope import unit_scope
from communes.models import AdministrativeUnit
from core.text import vi_sort_key
from criteria.models import (
    Assessment,
    AssessmentStatus,
    CommuneGroup,
    CommuneGroupAssignment,
    CriteriaSet,
    ReportingPeriod,
)

#: How many changes of the groups of a period the page lists (newest first).
HISTORY_LIMIT = 30


def set_in_force_during(criteria_set: CriteriaSet, period: ReportingPeriod) -> bool:
    """Whether ``criteria_set`` is in force on some day of ``period`` (an empty bound
    of the set is open)."""
    return (criteria_set.effective_from is None or criteria_set.effective_from <= period.end) and (
        criteria_set.effective_until is None or period.start <= criteria_set.effective_until
    )


def communes_in_force_during(period: ReportingPeriod) -> QuerySet[AdministrativeUnit]:
    """Rural communes (xã, the only units assessed) in force on some day of ``period``."""
    return AdministrativeUnit.objects.assessed().filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=period.end),
        Q(valid_until__isnull=True) | Q(valid_until__gte=period.start),
    )


def periods_for_set(criteria_set: CriteriaSet) -> list[ReportingPeriod]:
    """The reporting periods during which ``criteria_set`` is in force, newest first."""
    periods = ReportingPeriod.objects.all()
    if criteria_set.effective_from is not None:
        periods = periods.filter(end__gte=criteria_set.effective_from)
    if criteria_set.effective_until is not None:
        periods = periods.filter(start__lte=criteria_set.effective_until)
    return list(periods.order_by("-start", "kind", "code"))


def default_period(periods: list[ReportingPeriod], today: datetime.date) -> ReportingPeriod | None:
    """The period to open on: the shortest of ``periods`` holding ``today``, else the
    latest that has started, else the earliest; None when there is none."""
    holding = [p for p in periods if p.start <= today <= p.end]
    if holding:
        return min(holding, key=lambda p: (p.end - p.start, p.start))
    started = [p for p in periods if p.start <= today]
    if started:
        return max(started, key=lambda p: (p.start, -(p.end - p.start).days))
    return min(periods, key=lambda p: p.start) if periods else None


@dataclass(frozen=True)
class CommuneGroupRow:
    """One commune of the table: ``group_id`` is its group for the period (None when
    none is assigned); ``suggested_id`` its group in ``previous`` when it has none yet;
    ``approved`` when its assessment of the period is approved (its group is locked)."""

    commune: AdministrativeUnit
    group_id: int | None
    suggested_id: int | None
    approved: bool

    @property
    def shown_id(self) -> int | None:
        """The group the select shows: the assigned one, else the suggestion."""
        return self.group_id if self.group_id is not None else self.suggested_id


@dataclass(frozen=True)
class GroupCount:
    group: CommuneGroup
    count: int


@dataclass(frozen=True)
class GroupTable:
    """The communes in force during ``period`` (in the user's scope) with their group,
    the count of each group, the communes without one, and ``previous``, the latest
    earlier period with groups assigned (where suggestions come from), or None."""

    criteria_set: CriteriaSet
    period: ReportingPeriod
    groups: list[CommuneGroup]
    rows: list[CommuneGroupRow]
    counts: list[GroupCount]
    unassigned: int
    previous: ReportingPeriod | None


def group_table(*, user, criteria_set: CriteriaSet, period: ReportingPeriod) -> GroupTable:
    """The table of communes and groups for ``period`` under ``criteria_set``, communes
    in Vietnamese alphabetical order. Six queries, however many communes."""
    groups = list(criteria_set.commune_groups.order_by("code"))
    communes = sorted(
        communes_in_force_during(period)
        .filter(pk__in=unit_scope(user).values("pk"))
        .select_related("parent"),
        key=lambda unit: (vi_sort_key(unit.name), unit.code),
    )
    assigned = dict(
        CommuneGroupAssignment.objects.filter(period=period, criteria_set=criteria_set).values_list(
            "commune_id", "commune_group_id"
        )
    )
    previous = (
        ReportingPeriod.objects.filter(
            start__lt=period.start,
            pk__in=CommuneGroupAssignment.objects.filter(criteria_set=criteria_set).values("period"),
        )
        .order_by("-start", "kind")
        .first()
    )
    suggested = (
        dict(
            CommuneGroupAssignment.objects.filter(period=previous, criteria_set=criteria_set).values_list(
                "commune_id", "commune_group_id"
            )
        )
        if previous is not None
        else {}
    )
    approved = set(
        Assessment.objects.filter(
            period=period, criteria_set=criteria_set, status=AssessmentStatus.APPROVED
        ).values_list("commune_id", flat=True)
    )
    rows = [
        CommuneGroupRow(
            commune=commune,
            group_id=assigned.get(commune.pk),
            suggested_id=None if commune.pk in assigned else suggested.get(commune.pk),
            approved=commune.pk in approved,
        )
        for commune in communes
    ]
    return GroupTable(
        criteria_set=criteria_set,
        period=period,
        groups=groups,
        rows=rows,
        counts=[
            GroupCount(group=group, count=sum(1 for row in rows if row.group_id == group.pk))
            for group in groups
        ],
        unassigned=sum(1 for row in rows if row.group_id is None),
        previous=previous,
    )


@dataclass(frozen=True)
class GroupChange:
    """One change of a commune's group: ``old`` / ``new`` are group names ("—" for none)."""

    when: datetime.datetime
    user: str
    commune: str
    old: str
    new: str


def group_changes(
    *, criteria_set: CriteriaSet, period: ReportingPeriod, limit: int = HISTORY_LIMIT
) -> list[GroupChange]:
    """The latest changes of the groups of ``period`` under ``criteria_set``, newest
    first: who put which commune from which group into which. Three queries."""
    records = list(
        CommuneGroupAssignment.history.filter(period_id=period.pk, criteria_set_id=criteria_set.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    names = dict(criteria_set.commune_groups.values_list("pk", "name"))
    communes = dict(
        AdministrativeUnit.objects.filter(pk__in={r.commune_id for r in records}).values_list("pk", "name")
    )
    before: dict[int, int | None] = {}
    changes = []
    for record in records:
        old = before.get(record.id)
        new = None if record.history_type == "-" else record.commune_group_id
        before[record.id] = new
        changes.append(
            GroupChange(
                when=record.history_date,
                user=str(record.history_user) if record.history_user else "—",
                commune=communes.get(record.commune_id, "—"),
                old=names.get(old, "—"),
                new=names.get(new, "—"),
            )
        )
    changes.reverse()
    return changes[:limit]
