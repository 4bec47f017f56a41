"""Read queries of the criteria app: the province overview and the recognition re-check.

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

from django.db.models import Count, F, Min, Q, QuerySet

from accounts.models import Agency
from communes.models import AdministrativeUnit, UnitLevel
from core.text import fold
from criteria.models import (
    Assessment,
    AssessmentStatus,
    CriteriaSet,
    Criterion,
    CriterionResult,
    Indicator,
    IndicatorValue,
    Recognition,
    RecognitionLevel,
    ReportingPeriod,
)

# The set of the recognitions the re-check page looks at first: the 2010-2015 set of
# QĐ 491/QĐ-TTg, under which the communes of notice 58/TB-UBND were recognised in 2014-2016.
RECHECK_OLDER_SET_CODE = "qd-491-2009"

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
        if not self.assessed:
            return None
        return (Decimal(100 * self.met) / Decimal(self.assessed)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )


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


def _district_of(unit: AdministrativeUnit) -> AdministrativeUnit | None:
    """The district a commune lies in, or None when it is directly under the province."""
    parent = unit.parent
    return parent if parent is not None and parent.level == UnitLevel.DISTRICT else None


def _figures(assessments: list[Assessment], recognised: int, criteria_total: int) -> Figures:
    return Figures(
        assessed=len(assessments),
        meeting_standard=sum(1 for a in assessments if a.meets_standard),
        recognised=recognised,
        criteria_met_total=sum(a.criteria_met for a in assessments),
        under_low=sum(1 for a in assessments if a.criteria_met < UNDER_LOW),
        under_high=sum(1 for a in assessments if a.criteria_met < UNDER_HIGH),
    )


def province_overview(
    *, visible: QuerySet[AdministrativeUnit], period: ReportingPeriod, criteria_set: CriteriaSet
) -> Overview:
    """The overview of ``period`` under ``criteria_set`` for the units in ``visible``.

    Counts only APPROVED assessments of rural communes (xã). "Recognised" counts the xã of
    ``visible`` in force at ``period.end`` recognised at the NTM standard by a decision
    dated on or before ``period.end``, under any criteria set. Seven queries, whatever
    the number of communes.
    """
    end = period.end
    assessed_qs = approved_assessments(visible=visible, period=period, criteria_set=criteria_set)
    # 1: the approved assessments with their commune and its parent.
    assessments = list(assessed_qs.select_related("commune__parent"))
    # 2: the criteria of the set with their department.
    criteria = list(criteria_set.criteria.select_related("responsible_agency").order_by("number"))
    # 3: per criterion, how many approved assessments meet it (counted in the database).
    met_counts = dict(
        CriterionResult.objects.filter(assessment__in=assessed_qs)
        .values("criterion_id")
        .annotate(met=Count("pk", filter=Q(met=True)))
        .values_list("criterion_id", "met")
    )
    # 4: the unmet (criterion, assessment) pairs: who answers for what, and where.
    unmet_pairs = list(
        CriterionResult.objects.filter(assessment__in=assessed_qs, met=False).values_list(
            "criterion_id", "assessment_id"
        )
    )
    # 5: the standard recognitions in force at the period's end (one per commune).
    recognitions = list(
        Recognition.objects.filter(
            level=RecognitionLevel.STANDARD,
            decision_date__lte=end,
            unit__in=visible.assessed().valid_on(end),
        )
        .select_related("unit__parent")
        .order_by("unit_id", "decision_date")
    )
    # 6: the districts in force at the period's end; 7: the model communes' districts.
    districts = list(visible.filter(level=UnitLevel.DISTRICT).valid_on(end).order_by("code", "name"))
    model_rows = list(
        Recognition.objects.filter(
            level=RecognitionLevel.MODEL, decision_date__lte=end, unit__in=visible
        ).values_list("unit__parent_id", "is_demo")
    )

    recognised_units: dict[int, AdministrativeUnit] = {}
    for recognition in recognitions:
        recognised_units.setdefault(recognition.unit_id, recognition.unit)

    by_district: dict[int | None, list[Assessment]] = defaultdict(list)
    district_units: dict[int | None, AdministrativeUnit | None] = {None: None}
    for assessment in assessments:
        district = _district_of(assessment.commune)
        key = district.pk if district else None
        by_district[key].append(assessment)
        district_units[key] = district
    recognised_by_district: Counter[int | None] = Counter()
    for unit in recognised_units.values():
        district = _district_of(unit)
        key = district.pk if district else None
        recognised_by_district[key] += 1
        district_units.setdefault(key, district)

    criteria_total = len(criteria)
    district_rows = [
        DistrictRow(
            district=district_units[key],
            figures=_figures(by_district.get(key, []), recognised_by_district[key], criteria_total),
        )
        for key in set(by_district) | set(recognised_by_district)
    ]
    district_rows.sort(key=lambda row: (row.district is None, row.district.code if row.district else ""))

    communes_by_assessment = {a.pk: a.commune for a in assessments}
    unmet_by_criterion: dict[int, list[AdministrativeUnit]] = defaultdict(list)
    for criterion_id, assessment_id in unmet_pairs:
        unmet_by_criterion[criterion_id].append(communes_by_assessment[assessment_id])
    departments: dict[int | None, list[UnmetCriterion]] = defaultdict(list)
    agencies: dict[int | None, Agency | None] = {}
    for criterion in criteria:
        communes = unmet_by_criterion.get(criterion.pk)
        if not communes:
            continue
        key = criterion.responsible_agency_id
        agencies[key] = criterion.responsible_agency
        departments[key].append(
            UnmetCriterion(criterion=criterion, communes=tuple(sorted(communes, key=lambda u: fold(u.name))))
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
        or any(r.is_demo for r in recognitions)
        or any(demo for _parent, demo in model_rows),
    )


@dataclass(frozen=True)
class RecheckRow:
    """A commune recognised under an older set, against its approved assessment under
    a newer set: ``assessment`` is None when there is no approved assessment yet;
    ``unmet`` are the newer set's criteria it does not meet."""

    recognition: Recognition
    assessment: Assessment | None
    unmet: tuple[Criterion, ...]

    @property
    def commune(self) -> AdministrativeUnit:
        return self.recognition.unit

    @property
    def meets_newer_set(self) -> bool:
        return self.assessment is not None and self.assessment.meets_standard and not self.unmet


def recognition_recheck(
    *,
    visible: QuerySet[AdministrativeUnit],
    older_set: CriteriaSet,
    newer_set: CriteriaSet,
    period: ReportingPeriod,
    recognised_from: int | None = None,
    recognised_until: int | None = None,
) -> list[RecheckRow]:
    """The communes of ``visible`` recognised at the NTM standard under ``older_set``
    (decision year from ``recognised_from`` to ``recognised_until``, both inclusive,
    either optional), each with its approved assessment of ``period`` under ``newer_set``
    and the criteria of that assessment that are not met. Notice 58/TB-UBND asks this of
    the communes recognised in 2014-2016 against the 2017-2020 set. Ordered by decision
    date, then commune name. Three queries.
    """
    recognitions = Recognition.objects.filter(
        level=RecognitionLevel.STANDARD, criteria_set=older_set, unit__in=visible.assessed()
    )
    if recognised_from is not None:
        recognitions = recognitions.filter(decision_date__gte=datetime.date(recognised_from, 1, 1))
    if recognised_until is not None:
        recognitions = recognitions.filter(decision_date__lte=datetime.date(recognised_until, 12, 31))
    recognitions = list(recognitions.select_related("unit__parent").order_by("decision_date", "unit__name"))
    unit_ids = [r.unit_id for r in recognitions]
    assessed_qs = Assessment.objects.filter(
        status=AssessmentStatus.APPROVED, period=period, criteria_set=newer_set, commune_id__in=unit_ids
    )
    assessments = {a.commune_id: a for a in assessed_qs}
    unmet: dict[int, list[Criterion]] = defaultdict(list)
    for result in (
        CriterionResult.objects.filter(assessment__in=assessed_qs, met=False)
        .select_related("criterion")
        .order_by("criterion__number")
    ):
        unmet[result.assessment_id].append(result.criterion)
    rows = []
    for recognition in recognitions:
        assessment = assessments.get(recognition.unit_id)
        rows.append(
            RecheckRow(
                recognition=recognition,
                assessment=assessment,
                unmet=tuple(unmet.get(assessment.pk, ())) if assessment else (),
            )
        )
    return rows


def default_recheck_older_set(
    *, visible: QuerySet[AdministrativeUnit], newer_set: CriteriaSet | None
) -> CriteriaSet | None:
    """The set whose recognitions the re-check page shows by default: ``qd-491-2009`` when
    some xã of ``visible`` was recognised at the NTM standard under it; else the oldest set
    (by the day it took effect, then its decision date, then its first recognition) under
    which some xã of ``visible`` was so recognised. Never ``newer_set``; None when no other
    set has such a recognition. One query."""
    sets = CriteriaSet.objects.filter(
        recognitions__level=RecognitionLevel.STANDARD, recognitions__unit__in=visible.assessed()
    )
    if newer_set is not None:
        sets = sets.exclude(pk=newer_set.pk)
    candidates = list(
        sets.annotate(first_recognition=Min("recognitions__decision_date")).order_by(
            F("effective_from").asc(nulls_last=True),
            F("decision_date").asc(nulls_last=True),
            "first_recognition",
            "code",
        )
    )
    preferred = [s for s in candidates if s.code == RECHECK_OLDER_SET_CODE]
    return (preferred or candidates or [None])[0]


def default_period(*, visible: QuerySet[AdministrativeUnit]) -> ReportingPeriod | None:
    """The latest period with an approved assessment in scope; else the latest period."""
    return (
        periods_with_approved(visible=visible).first()
        or ReportingPeriod.objects.order_by("-end", "-start").first()
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
    the most recent standard-level set; else any set."""
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
    sets = CriteriaSet.objects.order_by("-effective_from", "code")
    return sets.filter(level="standard").first() or sets.first()


def recognitions_in_scope(*, visible: QuerySet[AdministrativeUnit]) -> QuerySet[Recognition]:
    """The recognitions of units in ``visible``, newest decision first."""
    return (
        Recognition.objects.filter(unit__in=visible)
        .select_related("unit__parent", "criteria_set")
        .order_by("-decision_date", "unit__name")
    )


@dataclass(frozen=True)
class ExportRow:
    """One assessment of an export: ``criteria`` maps a criterion's pk to whether it is
    met (criteria without a stored result are absent); ``values`` maps an indicator's pk
    to its stored :class:`IndicatorValue` (absent when nothing was ever entered; empty
    when the export was read ``with_values=False``)."""

    assessment: Assessment
    criteria: dict[int, bool]
    values: dict[int, IndicatorValue]

    @property
    def commune(self) -> AdministrativeUnit:
        return self.assessment.commune

    @property
    def district(self) -> AdministrativeUnit | None:
        """The commune's district, or None when it lies directly under the province."""
        return _district_of(self.assessment.commune)


@dataclass(frozen=True)
class AssessmentExport:
    """The assessments of one period under one set in a scope, ready to be written out.

    ``criteria`` are the set's criteria by number (department loaded); ``indicators``
    the set's indicators by criterion number, position and code (criterion loaded);
    ``rows`` one per assessment (so one per commune), ordered by district code (communes
    directly under the province last), then commune code and name. ``has_demo`` is True
    when any row is illustrative demo data.
    """

    period: ReportingPeriod
    criteria_set: CriteriaSet
    criteria: tuple[Criterion, ...]
    indicators: tuple[Indicator, ...]
    rows: tuple[ExportRow, ...]
    approved_only: bool

    @property
    def has_demo(self) -> bool:
        return any(row.assessment.is_demo for row in self.rows)


def assessment_export(
    *,
    visible: QuerySet[AdministrativeUnit],
    period: ReportingPeriod,
    criteria_set: CriteriaSet,
    approved_only: bool,
    with_values: bool = True,
) -> AssessmentExport:
    """The assessments of ``period`` under ``criteria_set`` of the rural communes (xã) in
    ``visible``, with their criterion results and (``with_values``) indicator values.

    ``approved_only=True`` takes exactly the assessments :func:`province_overview` counts
    (:func:`approved_assessments`), so an export's commune rows add up to its figures;
    ``approved_only=False`` takes every status (draft, submitted, returned, approved):
    the full values export, whose status column says which figures are official yet.
    Five queries (four without values), whatever the number of communes.
    """
    if approved_only:
        assessed_qs = approved_assessments(visible=visible, period=period, criteria_set=criteria_set)
    else:
        assessed_qs = Assessment.objects.filter(
            period=period, criteria_set=criteria_set, commune__in=visible.assessed()
        )
    # 1: the assessments with their commune and its parent; 2: the criteria; 3: the indicators.
    assessments = list(assessed_qs.select_related("commune__parent"))
    criteria = tuple(criteria_set.criteria.select_related("responsible_agency").order_by("number"))
    indicators = tuple(
        Indicator.objects.filter(criterion__criteria_set=criteria_set)
        .select_related("criterion")
        .order_by("criterion__number", "position", "code")
    )
    # 4: every criterion result; 5: every indicator value of those assessments.
    results: dict[int, dict[int, bool]] = defaultdict(dict)
    for assessment_id, criterion_id, met in CriterionResult.objects.filter(
        assessment__in=assessed_qs
    ).values_list("assessment_id", "criterion_id", "met"):
        results[assessment_id][criterion_id] = met
    values: dict[int, dict[int, IndicatorValue]] = defaultdict(dict)
    if with_values:
        for value in IndicatorValue.objects.filter(assessment__in=assessed_qs):
            values[value.assessment_id][value.indicator_id] = value

    def order(assessment: Assessment):
        district = _district_of(assessment.commune)
        return (
            district is None,
            district.code if district else "",
            assessment.commune.code,
            fold(assessment.commune.name),
        )

    rows = tuple(
        ExportRow(assessment=a, criteria=results.get(a.pk, {}), values=values.get(a.pk, {}))
        for a in sorted(assessments, key=order)
    )
    return AssessmentExport(
        period=period,
        criteria_set=criteria_set,
        criteria=criteria,
        indicators=indicators,
        rows=rows,
        approved_only=approved_only,
    )
