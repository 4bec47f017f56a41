"""The reporting units' half of the timeliness scoreboard (bảng xếp hạng tính kịp thời)
for the year-end emulation ranking (thi đua): per reporting unit, whether its communes'
assessments of the periods due in a year came in by the submission deadline (hạn nộp),
with the on-time rate and rank of :mod:`core.ranking`.

The rules (the province's choice for the scoreboard, written here):

* **Periods counted**: those whose ``submission_deadline`` falls in the year.
* **Reporting unit**: a district (the pre-2025 structure: huyện, thị xã, thành phố
  thuộc tỉnh) for a period ending before 01/07/2025, when the districts still reported
  for their communes; the commune itself for a period ending on or after that day (no
  district level since the 2025 reform). A commune directly under the province before
  the reform reports for itself.
* **What is expected**: one report per rural commune (xã) and period: the xã of
  ``visible`` in force at the period's end, as :func:`criteria.selectors.overview.approved_coverage`
  counts them (the communes of a province merged into ours after the period, as Bắc
  Kạn's in a 2020 period, are left out), plus any other xã that submitted one.
* **Submitted** means the assessment is submitted or approved now. Its time is
  ``submitted_at``, which every submission overwrites: the last submission counts, so a
  report returned and resubmitted after the deadline is late. A report returned and not
  yet resubmitted, or reopened to draft, is back with the commune and counts as not
  submitted, like a draft or no assessment at all. Where a commune has assessments of
  the period under several criteria sets, the last submission among them counts. An
  assessment with no submission time (loaded from outside the workflow) is timed by its
  decision, else by its last change.
* **On time**: the submission's local date (Asia/Ho_Chi_Minh) is on or before the
  period's ``submission_deadline``; the deadline day itself is on time.
* **Not submitted**: nothing submitted and the deadline has passed (``today`` is after
  it); before that the report is **not yet due** and counts neither way.
* The on-time rate is on time over those due (on time + late + not submitted).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone

from communes.gso_source import REFORM_DATE
from communes.models import AdministrativeUnit, UnitLevel
from core.ranking import on_time_rate, ranked
from criteria.models import Assessment, AssessmentStatus, ReportingPeriod
from criteria.selectors.overview import district_of

SUBMITTED_STATES = (AssessmentStatus.SUBMITTED, AssessmentStatus.APPROVED)


@dataclass
class SubmissionCounts:
    """Reports (one per commune and period) of a reporting unit in each state."""

    on_time: int = 0
    late: int = 0
    not_submitted: int = 0
    not_yet_due: int = 0

    @property
    def due(self) -> int:
        """Reports due by the cut-off day: submitted (on time or late) or missing."""
        return self.on_time + self.late + self.not_submitted

    @property
    def total(self) -> int:
        """Every report expected of the unit in the year."""
        return self.due + self.not_yet_due


@dataclass(frozen=True)
class UnitTimeliness:
    """One row of the reporting units' scoreboard: ``rank`` (ties share it), the unit (a
    district, or a commune), its reports' counts, ``on_time_rate`` (on time over due,
    percent to one decimal, None when none was due yet) and the periods its reports
    belong to (for the links to the lists behind the figures)."""

    rank: int
    unit: AdministrativeUnit
    counts: SubmissionCounts
    on_time_rate: Decimal | None
    periods: tuple[ReportingPeriod, ...]


@dataclass(frozen=True)
class SubmissionTimeliness:
    """The reporting units' scoreboard of a year: the periods counted (by deadline), the
    ranked rows, and ``has_demo`` when any counted assessment is illustrative demo data."""

    periods: tuple[ReportingPeriod, ...]
    rows: tuple[UnitTimeliness, ...]
    has_demo: bool = False
    totals: SubmissionCounts = field(default_factory=SubmissionCounts)


def _moment(submitted_at, decided_at, updated_at) -> datetime.datetime:
    return submitted_at or decided_at or updated_at


def submission_timeliness(
    *, visible: QuerySet[AdministrativeUnit], year: int, today: datetime.date | None = None
) -> SubmissionTimeliness:
    """The reporting units' scoreboard of ``year`` for the units in ``visible``
    (:func:`accounts.scope.unit_scope`), seen on ``today`` (the cut-off day; default
    :func:`django.utils.timezone.localdate`), ranked: the highest on-time rate first, then
    the fewest reports not submitted, then the unit's name in Vietnamese order; equal rate
    and not-submitted share a rank. The rules are the module's docstring.

    Four queries whatever the number of communes (one when no period is due in ``year``).
    """
    today = today or timezone.localdate()
    # 1: the periods due in the year.
    periods = list(
        ReportingPeriod.objects.filter(
            submission_deadline__gte=datetime.date(year, 1, 1),
            submission_deadline__lte=datetime.date(year, 12, 31),
        ).order_by("submission_deadline", "start")
    )
    if not periods:
        return SubmissionTimeliness(periods=(), rows=())
    communes_of = visible.assessed()
    # 2: every assessment of those periods in scope, as plain values.
    assessments = list(
        Assessment.objects.filter(period__in=periods, commune__in=communes_of).values_list(
            "commune_id", "period_id", "status", "submitted_at", "decided_at", "updated_at", "is_demo"
        )
    )
    # 3: the xã in force at some period's end, or with a report submitted; with the parent
    # (a commune's district, and the province a merged province's commune lies under).
    last_end = max(period.end for period in periods)
    first_end = min(period.end for period in periods)
    submitted = Assessment.objects.filter(period__in=periods, status__in=SUBMITTED_STATES).values(
        "commune_id"
    )
    communes = {
        commune.pk: commune
        for commune in communes_of.filter(
            (Q(valid_from__isnull=True) | Q(valid_from__lte=last_end))
            & (Q(valid_until__isnull=True) | Q(valid_until__gte=first_end))
            | Q(pk__in=submitted)
        ).select_related("parent")
    }
    # 4: the provinces of the scope merged into another one of it, and when.
    merged_on = list(
        visible.filter(
            level=UnitLevel.PROVINCE, successions_as_predecessor__successor__in=visible
        ).values_list("pk", "successions_as_predecessor__effective_date")
    )

    latest: dict[tuple[int, int], datetime.datetime] = {}
    has_demo = False
    for commune_id, period_id, status, submitted_at, decided_at, updated_at, is_demo in assessments:
        if status not in SUBMITTED_STATES:
            continue
        has_demo = has_demo or is_demo
        moment = _moment(submitted_at, decided_at, updated_at)
        key = (commune_id, period_id)
        if key not in latest or moment > latest[key]:
            latest[key] = moment

    counts: dict[int, SubmissionCounts] = defaultdict(SubmissionCounts)
    units: dict[int, AdministrativeUnit] = {}
    unit_periods: dict[int, dict[int, ReportingPeriod]] = defaultdict(dict)
    totals = SubmissionCounts()
    for period in periods:
        merged_later = {pk for pk, day in merged_on if day > period.end}
        for commune in communes.values():
            moment = latest.get((commune.pk, period.pk))
            if moment is None and not _expected(commune, period.end, merged_later):
                continue
            unit = commune
            if period.end < REFORM_DATE:
                unit = district_of(commune) or commune
            units[unit.pk] = unit
            unit_periods[unit.pk][period.pk] = period
            state = _state(moment, period, today)
            for tally in (counts[unit.pk], totals):
                setattr(tally, state, getattr(tally, state) + 1)

    rows = ranked(
        counts.items(),
        rate=lambda item: on_time_rate(item[1].on_time, item[1].due),
        overdue=lambda item: item[1].not_submitted,
        name=lambda item: units[item[0]].name,
    )
    return SubmissionTimeliness(
        periods=tuple(periods),
        rows=tuple(
            UnitTimeliness(
                rank=rank,
                unit=units[pk],
                counts=unit_counts,
                on_time_rate=on_time_rate(unit_counts.on_time, unit_counts.due),
                periods=tuple(unit_periods[pk].values()),
            )
            for rank, (pk, unit_counts) in rows
        ),
        has_demo=has_demo,
        totals=totals,
    )


def _expected(commune: AdministrativeUnit, end: datetime.date, merged_later: set[int]) -> bool:
    """Whether a report of ``commune`` is expected for a period ending on ``end``: in force
    that day, and not in a province merged into ours after it."""
    if not commune.is_valid_on(end):
        return False
    parent = commune.parent
    return parent.pk not in merged_later and parent.parent_id not in merged_later


def _state(moment: datetime.datetime | None, period: ReportingPeriod, today: datetime.date) -> str:
    """The :class:`SubmissionCounts` field a report submitted at ``moment`` (None: not
    submitted) of ``period`` falls in, seen on ``today``."""
    if moment is not None:
        return "on_time" if timezone.localdate(moment) <= period.submission_deadline else "late"
    return "not_submitted" if today > period.submission_deadline else "not_yet_due"


def submission_years() -> list[int]:
    """The years in which some reporting period's submission deadline falls, latest first.
    One query."""
    return [day.year for day in ReportingPeriod.objects.dates("submission_deadline", "year", order="DESC")]
