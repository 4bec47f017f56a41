"""Read queries of the programme's targets (mục tiêu): how many units are to be
recognised at each level, by the end of which year (:class:`criteria.models.ProgrammeTarget`)."""

import datetime
from dataclasses import dataclass

from django.db.models import Max, QuerySet

from communes.models import AdministrativeUnit
from core.formatting import date_text, datetime_text
from criteria.models import ProgrammeTarget, RecognitionLevel

# The programme's phases are five years long (2016-2020, 2021-2025, 2026-2030).
PHASE_YEARS = 5


def targets_for(*, unit, year: int) -> dict[str, ProgrammeTarget]:
    """For each recognition level (a ``RecognitionLevel`` value), the target of ``unit``
    (an ``AdministrativeUnit``) that a figure of ``year`` is measured against: the one
    with the earliest ``year`` on or after ``year`` (a 2019 figure against the 2020
    target), within one five-year phase of the programme (2016-2020, 2021-2025, ...): a
    2020 figure is never measured against a 2030 target. A level with no such row is
    absent; a row whose ``count`` is None is a target not known yet, which the page
    shows as such. One query."""
    found: dict[str, ProgrammeTarget] = {}
    rows = ProgrammeTarget.objects.filter(unit=unit, year__gte=year, year__lte=year + PHASE_YEARS - 1)
    for target in rows.order_by("year"):
        found.setdefault(target.level, target)
    return found


# The change reason of the history row a change writes first when a target has none yet
# (one loaded from a fixture): the target as it stood before the change.
TARGET_BASELINE_REASON = "target-baseline"


@dataclass(frozen=True)
class TargetRow:
    """A target of the list with what its history says: ``version`` (the id of its latest
    history row, "0" when it has none: the optimistic lock of its form, as
    ``directives.selectors.editing.directive_version``), who changed it last (full name,
    "" if unknown or never changed in the portal) and when (None if never)."""

    target: ProgrammeTarget
    version: str
    changed_by: str
    changed_at: datetime.datetime | None

    @property
    def changed_at_text(self) -> str:
        """When it was last changed, "dd/mm/yyyy hh:mm" in Vietnam time ("" if never)."""
        return datetime_text(self.changed_at)

    @property
    def former_until(self) -> str:
        """The last day of the target's unit (dd/mm/yyyy) when it is no longer in force
        (a district after 01/07/2025), else ""."""
        return date_text(self.target.unit.valid_until)

    @property
    def known(self) -> bool:
        """Whether the target's count is known (a row with no count is "not determined yet")."""
        return self.target.count is not None


def target_version(target_id: int) -> str:
    """The version of a target: the id of its latest history row ("0" when it has none). One query."""
    latest = ProgrammeTarget.history.filter(id=target_id).aggregate(latest=Max("history_id"))["latest"]
    return str(latest or 0)


def targets_in_scope(*, visible: QuerySet[AdministrativeUnit]) -> list[TargetRow]:
    """Every programme target of a unit in ``visible`` (a queryset of administrative
    units, ``accounts.scope.unit_scope``), with its unit (and its parent) loaded: the
    province's first, then by the GSO code of the unit, then by year and level (in the
    order of ``RecognitionLevel``), each with its :class:`TargetRow` history. Two
    queries, whatever the number of targets."""
    rank = {level: index for index, level in enumerate(RecognitionLevel.values)}
    targets = sorted(
        ProgrammeTarget.objects.filter(unit__in=visible).select_related("unit", "unit__parent"),
        key=lambda t: (
            t.unit.parent_id is not None,
            t.unit.code,
            t.unit.pk,
            t.year,
            rank.get(t.level, len(rank)),
        ),
    )
    history: dict[int, list] = {}
    rows = (
        ProgrammeTarget.history.filter(id__in=[target.pk for target in targets])
        .select_related("history_user")
        .only(
            "id",
            "history_id",
            "history_date",
            "history_change_reason",
            "history_user__first_name",
            "history_user__last_name",
            "history_user__username",
        )
        .order_by("id", "history_id")
    )
    for row in rows:
        history.setdefault(row.id, []).append(row)
    found = []
    for target in targets:
        versions = history.get(target.pk, [])
        changes = [row for row in versions if row.history_change_reason != TARGET_BASELINE_REASON]
        last = changes[-1] if changes else None
        user = last.history_user if last is not None else None
        found.append(
            TargetRow(
                target=target,
                version=str(max((row.history_id for row in versions), default=0)),
                changed_by=str(user) if user is not None else "",
                changed_at=last.history_date if last is not None else None,
            )
        )
    return found


def target_in_scope(*, visible: QuerySet[AdministrativeUnit], pk) -> ProgrammeTarget | None:
    """The target ``pk`` with its unit loaded if its unit lies in ``visible``, else None
    (also for a ``pk`` that is not a number). One query."""
    try:
        return ProgrammeTarget.objects.select_related("unit").get(pk=pk, unit__in=visible)
    except (ProgrammeTarget.DoesNotExist, ValueError, TypeError):
        return None
