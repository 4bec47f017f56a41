"""Read queries of the province overview: the figures of one period under one criteria
set, and the period and set a page shows by default.

Like ``communes.selectors`` these take the units the caller may see as a queryset
(``visible = accounts.scope.unit_scope(user)``), never the user, so a dashboard, an
export and the API compute the same figures for the same scope.

Every function here runs a fixed number of queries whatever the number of communes:
aggregates are computed in the database or from a fixed set of querysets, never with a
query per commune (``tests/criteria/test_overview.py`` counts them).
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from accounts.models import Agency
from communes.gso_source import REFORM_DATE
from communes.models import AdministrativeUnit, UnitLevel
from core.text import fold
from criteria.models import (
    Assessment,
    AssessmentStatus,
    CriteriaSet,
    CriteriaSetLevel,
    Criterion,
    CriterionResult,
    Recognition,
    RecognitionLevel,
    ReportingPeriod,
)
from criteria.selectors.lineage import MergerSummary, merger_summary

# The bands the province reports (NTM_FACTS §4): "under 10" for 2016-2020, "under 15"
# for 2021-2025.
UNDER_LOW = 10
UNDER_HIGH = 15
TWO_PLACES = Decimal("0.01")


def average_criteria(total_met: int, communes: int) -> Decimal | None:
    """The average number of criteria met per commune, to two places, half up
    (2085 over 121 -> Decimal("17.23")); None when no commune was assessed."""
    if not communes:
        return None
    return (Decimal(total_met) / Decimal(communes)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def percent(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` in percent to one place, half up (103 of 141 -> 73.0);
    None when ``whole`` is 0."""
    if not whole:
        return None
    return (Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Figures:
    """The headline figures of a set of communes (the province, or one district).

    ``recognised`` counts communes recognised at the NTM standard by a decision;
    ``meeting_standard`` counts communes whose approved assessment meets every criterion
    of the set. The two differ (a commune recognised in 2015 may miss criteria of the
    2016-2020 set today) and are always shown apart.
    """

    assessed: int
    meeting_standard: int
    recognised: int
    criteria_met_total: int
    under_low: int
    under_high: int

    @property
    def average(self) -> Decimal | None:
        return average_criteria(self.criteria_met_total, self.assessed)


@dataclass(frozen=True)
class DistrictRow:
    """The figures of one district; ``district`` is None for the communes directly
    under the province."""

    district: AdministrativeUnit | None
    figures: Figures


@dataclass(frozen=True)
class CriterionRow:
    """How many assessed communes meet one criterion."""

    criterion: Criterion
    met: int
    assessed: int

    @property
    def not_met(self) -> int:
        return self.assessed - self.met

    @property
    def percent(self) -> Decimal | None:
        return percent(self.met, self.assessed)


@dataclass(frozen=True)
class UnmetCriterion:
    """A criterion and the communes (by name) whose approved assessment does not meet it."""

    criterion: Criterion
    communes: tuple[AdministrativeUnit, ...]


@dataclass(frozen=True)
class DepartmentRow:
    """A department (``Criterion.responsible_agency``; None when the set names none) and
    the criteria it answers for that some commune does not meet."""

    agency: Agency | None
    unmet: tuple[UnmetCriterion, ...]

    @property
    def commune_count(self) -> int:
        """Communes with at least one unmet criterion of this department."""
        return len({commune.pk for row in self.unmet for commune in row.communes})


@dataclass(frozen=True)
class Overview:
    """The province (or district) overview of one period under one criteria set.

    ``distribution`` maps a number of criteria met to the number of communes that met
    exactly that many (only numbers some commune reached; ascending).
    ``districts_without_model`` lists the districts in force at the period's end that take
    part in the programme in this overview (an approved assessment or a recognised commune
    there) with no commune recognised as a model NTM commune (notice 58/TB-UBND: every
    district must have at least one). Districts with no NTM data in the period, such as
    those of the former Bắc Kạn province in a 2020 period, are left out. ``has_demo`` is True when any counted assessment or recognition is
    illustrative demo data.
    ``mergers`` is, for a period ending on or after 01/07/2025, the roll-up of the new
    communes with no recognition decision of their own yet
    (:func:`criteria.selectors.lineage.merger_summary`); None for earlier periods.
    """

    period: ReportingPeriod
    criteria_set: CriteriaSet
    criteria_total: int
    totals: Figures
    distribution: dict[int, int]
    districts: tuple[DistrictRow, ...]
    criteria: tuple[CriterionRow, ...]
    departments: tuple[DepartmentRow, ...]
    districts_without_model: tuple[AdministrativeUnit, ...]
    districts_in_force: int
    has_demo: bool
    mergers: MergerSummary | None = None

    @property
    def under_low_label(self) -> int:
        return UNDER_LOW

    @property
    def under_high_label(self) -> int:
        return UNDER_HIGH


def approved_assessments(
    *, visible: QuerySet[AdministrativeUnit], period: ReportingPeriod, criteria_set: CriteriaSet
) -> QuerySet[Assessment]:
    """The approved assessments of ``period`` under ``criteria_set`` of the rural
    communes (xã) in ``visible``: the only ones any figure counts."""
    return Assessment.objects.filter(
        status=AssessmentStatus.APPROVED,
        period=period,
        criteria_set=criteria_set,
        commune__in=visible.assessed(),
    )


def district_of(unit: AdministrativeUnit) -> AdministrativeUnit | None:
    """The district a commune lies in, or None when it is directly under the province."""
    parent = unit.parent
    return parent if parent is not None and parent.level == UnitLevel.DISTRICT else None


@dataclass(frozen=True)
class _Counted:
    """One counted approved assessment, read as a row: no model instance is built per
    commune (at national scale, 7,695 of them, that is most of the overview's time)."""

    commune_id: int
    district_id: int | None  # the commune's parent when it is a district
    criteria_met: int
    meets_standard: bool
    is_demo: bool


def _figures(assessments: list[_Counted], recognised: int, criteria_total: int) -> Figures:
    return Figures(
        assessed=len(assessments),
        meeting_standard=sum(1 for a in assessments if a.meets_standard),
        recognised=recognised,
        criteria_met_total=sum(a.criteria_met for a in assessments),
        under_low=sum(1 for a in assessments if a.criteria_met < UNDER_LOW),
        under_high=sum(1 for a in assessments if a.criteria_met < UNDER_HIGH),
    )


def province_overview(
    *,
    visible: QuerySet[AdministrativeUnit],
    period: ReportingPeriod,
    criteria_set: CriteriaSet,
    departments: bool = True,
) -> Overview:
    """The overview of ``period`` under ``criteria_set`` for the units in ``visible``.

    Counts only APPROVED assessments of rural communes (xã). "Recognised" counts the xã of
    ``visible`` in force at ``period.end`` recognised at the NTM standard by a decision
    dated on or before ``period.end``, under any criteria set.

    After the reform (a period ending on or after 01/07/2025) the xã in force are the new
    communes. Each counts as recognised only from a Recognition of the new unit itself. A
    new commune with none yet is not counted. It appears in ``mergers`` as "formed from N
    communes, of which M recognised", and no status is invented for it. This is the
    province's choice pending the post-2025 procedure (NTM_FACTS §6 point 3, analysis,
    and §3, not confirmed), written out in :mod:`criteria.selectors.lineage`.

    ``departments=False`` leaves ``departments`` empty, for a page that does not show
    them (the dashboard): one query fewer, and no unit built per commune that misses a
    criterion (at national scale about 3,000 of them, 40 % of the overview's time).

    Seven queries, whatever the number of communes (six with ``departments=False``); one
    more for a period ending on or after 01/07/2025 (the roll-up of the merged communes).
    Assessments and recognitions are read as rows, not model instances; the only units
    built are those the overview names (the districts, and the communes with an unmet
    criterion), so that the whole country (7,695 xã) costs about twice its SQL
    (``bench/dashboard_bench.py``).
    """
    end = period.end
    assessed_qs = approved_assessments(visible=visible, period=period, criteria_set=criteria_set)
    # 1: the approved assessments, with their commune's parent and its level.
    assessments = [
        _Counted(commune_id, parent_id if parent_level == UnitLevel.DISTRICT else None, met, meets, demo)
        for commune_id, parent_id, parent_level, met, meets, demo in assessed_qs.values_list(
            "commune_id",
            "commune__parent_id",
            "commune__parent__level",
            "criteria_met",
            "meets_standard",
            "is_demo",
        )
    ]
    # 2: the criteria of the set with their department.
    criteria = list(criteria_set.criteria.select_related("responsible_agency").order_by("number"))
    # 3: per criterion, how many approved assessments meet it (counted in the database).
    met_counts = dict(
        CriterionResult.objects.filter(assessment__in=assessed_qs)
        .values("criterion_id")
        .annotate(met=Count("pk", filter=Q(met=True)))
        .values_list("criterion_id", "met")
    )
    # 4: the unmet (criterion, commune) pairs: who answers for what, and where.
    unmet_pairs = []
    if departments:
        unmet_pairs = list(
            CriterionResult.objects.filter(assessment__in=assessed_qs, met=False).values_list(
                "criterion_id", "assessment__commune_id"
            )
        )
    # 5: the standard recognitions in force at the period's end (one per commune).
    recognitions = list(
        Recognition.objects.filter(
            level=RecognitionLevel.STANDARD,
            decision_date__lte=end,
            unit__in=visible.assessed().valid_on(end),
        )
        .order_by("unit_id", "decision_date")
        .values_list("unit_id", "unit__parent_id", "unit__parent__level", "is_demo")
    )
    # 6: the model communes' districts.
    model_rows = list(
        Recognition.objects.filter(
            level=RecognitionLevel.MODEL, decision_date__lte=end, unit__in=visible
        ).values_list("unit__parent_id", "is_demo")
    )

    recognised_units: dict[int, int | None] = {}  # commune -> its district (None: none)
    for unit_id, parent_id, parent_level, _demo in recognitions:
        recognised_units.setdefault(unit_id, parent_id if parent_level == UnitLevel.DISTRICT else None)
    # 7: the units the overview names: the districts of ``visible`` in force at the
    # period's end (flagged ``listed``), the districts of the counted and recognised
    # communes, and the communes with an unmet criterion.
    in_force_districts = visible.filter(level=UnitLevel.DISTRICT).valid_on(end).values("pk")
    named_ids = (
        {a.district_id for a in assessments} | set(recognised_units.values()) | {c for _n, c in unmet_pairs}
    )
    named_ids.discard(None)
    units = {
        unit.pk: unit
        for unit in AdministrativeUnit.objects.filter(
            Q(pk__in=in_force_districts) | Q(pk__in=sorted(named_ids))
        )
        .annotate(listed=Q(pk__in=in_force_districts))
        .order_by("code", "name")
    }
    districts = [unit for unit in units.values() if unit.listed]
    # 8, after the reform only: the new communes with no decision of their own yet, and
    # what the communes they were formed from achieved.
    mergers = None
    if end >= REFORM_DATE:
        mergers = merger_summary(
            communes=visible.assessed().valid_on(end), on=end, recognised_ids=set(recognised_units)
        )

    by_district: dict[int | None, list[_Counted]] = defaultdict(list)
    for assessment in assessments:
        by_district[assessment.district_id].append(assessment)
    recognised_by_district = Counter(recognised_units.values())

    criteria_total = len(criteria)
    district_rows = [
        DistrictRow(
            district=units[key] if key is not None else None,
            figures=_figures(by_district.get(key, []), recognised_by_district[key], criteria_total),
        )
        for key in set(by_district) | set(recognised_by_district)
    ]
    district_rows.sort(key=lambda row: (row.district is None, row.district.code if row.district else ""))

    unmet_by_criterion: dict[int, list[int]] = defaultdict(list)
    for criterion_id, commune_id in unmet_pairs:
        unmet_by_criterion[criterion_id].append(commune_id)
    # Each commune's name folded once, not once per unmet criterion.
    name_keys = {commune_id: fold(units[commune_id].name) for commune_id in {c for _n, c in unmet_pairs}}
    departments: dict[int | None, list[UnmetCriterion]] = defaultdict(list)
    agencies: dict[int | None, Agency | None] = {}
    for criterion in criteria:
        commune_ids = unmet_by_criterion.get(criterion.pk)
        if not commune_ids:
            continue
        key = criterion.responsible_agency_id
        agencies[key] = criterion.responsible_agency
        departments[key].append(
            UnmetCriterion(
                criterion=criterion,
                communes=tuple(units[pk] for pk in sorted(commune_ids, key=name_keys.__getitem__)),
            )
        )
    department_rows = sorted(
        (DepartmentRow(agency=agencies[key], unmet=tuple(rows)) for key, rows in departments.items()),
        key=lambda row: (row.agency is None, min(item.criterion.number for item in row.unmet)),
    )

    with_model = {parent_id for parent_id, _demo in model_rows}
    programme_districts = [d for d in districts if d.pk in by_district or d.pk in recognised_by_district]
    distribution = dict(sorted(Counter(a.criteria_met for a in assessments).items()))
    return Overview(
        period=period,
        criteria_set=criteria_set,
        criteria_total=criteria_total,
        totals=_figures(assessments, len(recognised_units), criteria_total),
        distribution=distribution,
        districts=tuple(district_rows),
        criteria=tuple(
            CriterionRow(criterion=criterion, met=met_counts.get(criterion.pk, 0), assessed=len(assessments))
            for criterion in criteria
        ),
        departments=tuple(department_rows),
        districts_without_model=tuple(d for d in programme_districts if d.pk not in with_model),
        districts_in_force=len(programme_districts),
        has_demo=any(a.is_demo for a in assessments)
        or any(demo for *_unit, demo in recognitions)
        or any(demo for _parent, demo in model_rows)
        or bool(mergers and mergers.has_demo),
        mergers=mergers,
    )


def default_period(*, visible: QuerySet[AdministrativeUnit]) -> ReportingPeriod | None:
    """The period a page opens on: the latest with an approved assessment of a xã in
    ``visible`` (:func:`periods_with_approved`); else the latest that has begun by
    today; else the latest; None when there is no period."""
    latest = ReportingPeriod.objects.order_by("-end", "-start")
    return (
        periods_with_approved(visible=visible).first()
        or latest.filter(start__lte=timezone.localdate()).first()
        or latest.first()
    )


def periods_with_approved(*, visible: QuerySet[AdministrativeUnit]) -> QuerySet[ReportingPeriod]:
    """Reporting periods that hold at least one approved assessment of a xã in
    ``visible``, the latest first."""
    return (
        ReportingPeriod.objects.filter(
            assessments__status=AssessmentStatus.APPROVED, assessments__commune__in=visible.assessed()
        )
        .distinct()
        .order_by("-end", "-start")
    )


def default_criteria_set(
    *, visible: QuerySet[AdministrativeUnit], period: ReportingPeriod | None
) -> CriteriaSet | None:
    """The criteria set most approved assessments of ``period`` in ``visible`` use; else
    the newest standard-level set in force during ``period``; else the most recent
    standard-level set; else any set."""
    if period is not None:
        used = (
            CriteriaSet.objects.filter(
                assessments__period=period,
                assessments__status=AssessmentStatus.APPROVED,
                assessments__commune__in=visible.assessed(),
            )
            .annotate(n=Count("assessments"))
            .order_by("-n", "code")
            .first()
        )
        if used is not None:
            return used
    sets = CriteriaSet.objects.order_by(F("effective_from").desc(nulls_last=True), "code")
    standard = sets.filter(level=CriteriaSetLevel.STANDARD)
    in_force = standard.filter(_in_force_during(period.start, period.end)) if period is not None else None
    if in_force is not None and (newest := in_force.first()) is not None:
        return newest
    return standard.first() or sets.first()


def _in_force_during(start: datetime.date, end: datetime.date) -> Q:
    """Criteria sets that apply on some day from ``start`` to ``end`` (an empty bound is open)."""
    return (Q(effective_from__isnull=True) | Q(effective_from__lte=end)) & (
        Q(effective_until__isnull=True) | Q(effective_until__gte=start)
    )


def default_recognition_set(*, day: datetime.date) -> CriteriaSet | None:
    """The set a recognition decided on ``day`` is proposed under: the newest
    standard-level set in force on ``day``; else the newest standard-level set."""
    sets = CriteriaSet.objects.filter(level=CriteriaSetLevel.STANDARD).order_by(
        F("effective_from").desc(nulls_last=True), "code"
    )
    return sets.filter(_in_force_during(day, day)).first() or sets.first()


@dataclass(frozen=True)
class Coverage:
    """How many xã of the scope have an approved assessment of a period under a set:
    ``approved`` of ``total`` ("121/121 xã có phiếu đã duyệt")."""

    approved: int
    total: int


def covered_communes(
    *, visible: QuerySet[AdministrativeUnit], period: ReportingPeriod, criteria_set: CriteriaSet
) -> QuerySet[AdministrativeUnit]:
    """The xã of ``visible`` that ``period`` covers under ``criteria_set``: those in force
    at ``period.end`` (the day the overview counts recognitions on, so that a period
    spanning 01/07/2025 counts the new communes, not the old and the new together), plus
    any other xã with an approved assessment of the period under the set. Left out: the
    xã of a province merged into another province of ``visible`` after the period (Bắc
    Kạn, merged into Thái Nguyên on 01/07/2025 by NQ 202/2025/QH15, NTM_FACTS §6): in a
    2020 period its communes belonged to another province's programme. Which communes
    the denominator holds is the province's choice, not a rule of a legal text. The
    coverage and the commune map both count these."""
    end = period.end
    merged_later = visible.filter(
        level=UnitLevel.PROVINCE,
        successions_as_predecessor__successor__in=visible,
        successions_as_predecessor__effective_date__gt=end,
    )
    in_force = (
        (Q(valid_from__isnull=True) | Q(valid_from__lte=end))
        & (Q(valid_until__isnull=True) | Q(valid_until__gte=end))
        & ~Q(parent__in=merged_later)
        & ~Q(parent__parent__in=merged_later)
    )
    return visible.assessed().filter(in_force | Q(pk__in=_approved_ids(period, criteria_set)))


def _approved_ids(period: ReportingPeriod, criteria_set: CriteriaSet) -> QuerySet:
    # An uncorrelated "pk IN (…)": PostgreSQL hashes it once, where a correlated EXISTS in
    # an OR or a FILTER is probed once per unit (5x slower for the whole country).
    return Assessment.objects.filter(
        period=period, criteria_set=criteria_set, status=AssessmentStatus.APPROVED
    ).values("commune_id")


def approved_coverage(
    *, visible: QuerySet[AdministrativeUnit], period: ReportingPeriod, criteria_set: CriteriaSet
) -> Coverage:
    """The xã of ``visible`` with an approved assessment of ``period`` under
    ``criteria_set``, out of the xã the period covers (:func:`covered_communes`, so that
    ``approved <= total`` always). One query."""
    counts = covered_communes(visible=visible, period=period, criteria_set=criteria_set).aggregate(
        total=Count("pk"), approved=Count("pk", filter=Q(pk__in=_approved_ids(period, criteria_set)))
    )
    return Coverage(approved=counts["approved"], total=counts["total"])
