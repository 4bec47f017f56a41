"""Illustrative assessments and recognitions for the demo (``make run``), flagged
``is_demo=True`` on every row, never official data.

The pattern is fixed (no randomness) and chosen so that the overview of the first half
of 2020 under the 2016-2020 set reproduces the headline of notice 58/TB-UBND: 121 rural
communes (xã) of the pre-2025 structure, **103 recognised at the NTM standard**, an
average of **17,23** criteria per commune (2085 criteria met over 121), **none under 10**.
As the notice complains, many communes recognised in 2014-2016 no longer meet every
criterion of the 2016-2020 set, so fewer communes meet the standard by assessment than
are recognised. A few communes are recognised as model NTM communes in some districts
but not all (the notice asks for at least one in every district).

Each recognition is recorded under the set in force on its decision date: those dated
before 01/12/2016 (when QĐ 1980/QĐ-TTg took effect) under the 2010-2015 set of
QĐ 491/QĐ-TTg (``qd-491-2009``), the later ones under the 2016-2020 set. So the default
re-check page lists the communes recognised under QĐ 491 in 2014-2016 against their
2016-2020 assessment of the first half of 2020.

Every value is derived with :mod:`criteria.evaluation`, as the assessment services do.
Loading is idempotent: only what is missing is written, so a second run changes nothing.
Assessments, indicator values and recognitions get their history row ("created"), written
in bulk, so the whole load takes a few seconds.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from communes.models import AdministrativeUnit, UnitKind, UnitLevel
from criteria import evaluation
from criteria.models import (
    Assessment,
    AssessmentStatus,
    CriteriaSet,
    CriterionResult,
    Indicator,
    IndicatorValue,
    MeasureType,
    Recognition,
    RecognitionLevel,
    ReportingPeriod,
)

SET_CODE = "qd-1980-2016"
# The set of the recognitions dated before QĐ 1980/QĐ-TTg took effect (01/12/2016).
EARLIER_SET_CODE = "qd-491-2009"
PROVINCE_CODE = "19"
PERIOD_CODES = ("2019", "2020-h1")
# The structure the notice speaks of: districts and communes in force on 30/06/2020.
STRUCTURE_DAY = datetime.date(2020, 6, 30)
EXPECTED_COMMUNES = 121
EXPECTED_CRITERIA = 19
SIGNER = "Chủ tịch UBND tỉnh (minh họa)"
EVIDENCE = "Số liệu (minh họa), không phải số liệu chính thức."
# The evidence note of demo values written before it was put in Vietnamese throughout.
OLD_EVIDENCE = "Số liệu minh họa (demo), không phải số liệu chính thức."
VN = ZoneInfo("Asia/Ho_Chi_Minh")

# The 18 xã not recognised: how many per district (GSO code), taken from the end of the
# district's list by GSO code. Võ Nhai and Định Hóa, the mountain districts, lag most.
NOT_RECOGNISED_PER_DISTRICT = {"170": 6, "167": 5, "171": 4, "168": 2, "169": 1}
# Criteria they miss in 2020-h1 (sum 120; at most 9, so none is under 10 of 19).
NOT_RECOGNISED_DEFICITS = (9, 9, 8, 8, 8, 7, 7, 7, 7, 6, 6, 6, 6, 6, 5, 5, 5, 5)
# Standard recognitions per decision year (sum 103).
RECOGNITION_YEARS = ((2014, 12), (2015, 18), (2016, 18), (2017, 17), (2018, 19), (2019, 19))
# Criteria missed in 2020-h1 by the 48 communes recognised in 2014-2016 (sum 90: the
# notice's complaint) and by the 55 recognised in 2017-2019 (sum 4).
EARLY_DEFICITS = (3, 2, 2, 0) * 10 + (3, 2) * 4  # 14 threes, 24 twos, 10 zeros
LATE_DEFICITS = (0,) * 12 + (1,) + (0,) * 12 + (1,) + (0,) * 12 + (1,) + (0,) * 12 + (1,) + (0,) * 3
# Which criteria a commune misses first (consecutive from an offset): production
# organisation, environment, income and poverty lead, as in the notice.
RECOGNISED_POOL = (13, 17, 10, 11, 5, 2, 9, 14)
NOT_RECOGNISED_POOL = (13, 17, 10, 11, 2, 5, 9, 3, 6, 14, 12, 15, 7, 16, 18, 4)
# Model NTM communes: district GSO code -> decision date. Four districts have none.
MODEL_DISTRICTS = {
    "164": datetime.date(2019, 9, 20),
    "172": datetime.date(2019, 11, 15),
    "173": datetime.date(2019, 12, 10),
    "165": datetime.date(2020, 3, 18),
    "171": datetime.date(2020, 5, 22),
}

assert sum(NOT_RECOGNISED_PER_DISTRICT.values()) == len(NOT_RECOGNISED_DEFICITS) == 18
assert sum(count for _year, count in RECOGNITION_YEARS) == 103
assert len(EARLY_DEFICITS) == 48 and len(LATE_DEFICITS) == 55
assert sum(NOT_RECOGNISED_DEFICITS) + sum(EARLY_DEFICITS) + sum(LATE_DEFICITS) == 121 * 19 - 2085


class DemoPreconditionError(Exception):
    """Something the demo builds on is missing (units, the set, the periods)."""


@dataclass(frozen=True)
class CommunePlan:
    """What the demo says of one commune: its recognition (year, or None), and which
    criteria (by number) it misses in each period."""

    commune: AdministrativeUnit
    district_code: str
    recognised_on: datetime.date | None
    decision_number: str
    unmet: dict[str, frozenset[int]]  # period code -> criterion numbers not met


@dataclass(frozen=True)
class DemoResult:
    assessments: int
    indicator_values: int
    recognitions: int


def demo_communes() -> list[AdministrativeUnit]:
    """Thái Nguyên's rural communes (xã) in force on 30/06/2020, by district and GSO code."""
    province = (
        AdministrativeUnit.objects.filter(code=PROVINCE_CODE, level=UnitLevel.PROVINCE)
        .valid_on(STRUCTURE_DAY)
        .first()
    )
    if province is None:
        raise DemoPreconditionError(
            "Thái Nguyên (GSO 19) is missing: run manage.py load_admin_units --province 19 first."
        )
    communes = list(
        AdministrativeUnit.objects.within(province)
        .filter(kind=UnitKind.COMMUNE)
        .valid_on(STRUCTURE_DAY)
        .select_related("parent")
        .order_by("parent__code", "code")
    )
    if len(communes) != EXPECTED_COMMUNES:
        raise DemoPreconditionError(
            f"Expected {EXPECTED_COMMUNES} xã of Thái Nguyên in force on 30/06/2020, found {len(communes)}."
        )
    return communes


def demo_plan(communes: list[AdministrativeUnit]) -> list[CommunePlan]:
    """The fixed pattern: who is recognised when, who misses which criteria."""
    by_district: dict[str, list[AdministrativeUnit]] = {}
    for commune in communes:
        by_district.setdefault(commune.parent.code, []).append(commune)
    not_recognised = []
    for code, count in NOT_RECOGNISED_PER_DISTRICT.items():
        not_recognised.extend(by_district[code][-count:])
    skipped = {c.pk for c in not_recognised}
    recognised = _interleave(
        [[c for c in by_district[code] if c.pk not in skipped] for code in sorted(by_district)]
    )

    plans = []
    for index, (commune, deficit) in enumerate(zip(not_recognised, NOT_RECOGNISED_DEFICITS, strict=True)):
        plans.append(
            _plan(
                commune,
                None,
                "",
                index,
                NOT_RECOGNISED_POOL,
                deficit,
                deficit + 1 if deficit >= 8 else deficit,
            )
        )
    deficits = EARLY_DEFICITS + LATE_DEFICITS
    position = 0
    for year, count in RECOGNITION_YEARS:
        for j in range(count):
            commune = recognised[position]
            deficit = deficits[position]
            # Communes recognised in 2014-2016 did a little worse still in 2019.
            deficit_2019 = deficit + (1 if year <= 2016 and position % 3 == 0 else 0)
            day = datetime.date(year, 3 + (j * 9) // count, 5 + (j * 7) % 22)
            number = f"{100 + 53 * j + 11 * (year - 2014)}/QĐ-UBND"
            plans.append(_plan(commune, day, number, position, RECOGNISED_POOL, deficit, deficit_2019))
            position += 1
    return plans


def _interleave(groups: list[list[AdministrativeUnit]]) -> list[AdministrativeUnit]:
    """One commune of each district in turn, so every year's decisions cover the province."""
    ordered = []
    for row in range(max(len(group) for group in groups)):
        ordered.extend(group[row] for group in groups if row < len(group))
    return ordered


def _plan(commune, day, number, index, pool, deficit_2020, deficit_2019) -> CommunePlan:
    start = index % len(pool)
    rotated = pool[start:] + pool[:start]
    return CommunePlan(
        commune=commune,
        district_code=commune.parent.code,
        recognised_on=day,
        decision_number=number,
        unmet={"2020-h1": frozenset(rotated[:deficit_2020]), "2019": frozenset(rotated[:deficit_2019])},
    )


def indicator_value(indicator: Indicator, *, met: bool, seed: int) -> tuple[Decimal | None, bool | None]:
    """A plausible (number, achieved) for ``indicator`` that is met or not as asked: a
    number on the right side of a known target; a number and the appraiser's Đạt /
    Không đạt where the target is unknown; Đạt / Không đạt for a yes/no indicator."""
    if indicator.comparison == "achieved":
        return None, met
    step = Decimal(seed % 5)
    cap = Decimal(100) if indicator.measure_type == MeasureType.PERCENT else None
    target = indicator.target
    if target is None:
        if indicator.comparison == "<=":
            number = Decimal(2) + step if met else Decimal(9) + step
        else:
            number = Decimal(86) + step if met else Decimal(58) + step
        return number, met
    if indicator.comparison == ">=":
        number = target + step if met else max(target - 1 - step, Decimal(0))
    elif indicator.comparison == "<=":
        number = max(target - step, Decimal(0)) if met else target + 1 + step
    else:  # "="
        number = target if met else (target - 1 if cap is not None and target >= cap else target + 1)
    if cap is not None:
        number = min(number, cap)
    return number, None


def _decided_at(period: ReportingPeriod) -> tuple[datetime.datetime, datetime.datetime]:
    submitted = period.submission_deadline - datetime.timedelta(days=3)
    decided = min(period.submission_deadline + datetime.timedelta(days=12), period.lock_date)
    return (
        datetime.datetime.combine(submitted, datetime.time(9, 0), tzinfo=VN),
        datetime.datetime.combine(decided, datetime.time(15, 0), tzinfo=VN),
    )


def _load_context() -> tuple[CriteriaSet, CriteriaSet, dict[str, ReportingPeriod]]:
    sets = {s.code: s for s in CriteriaSet.objects.filter(code__in=(SET_CODE, EARLIER_SET_CODE))}
    for code in (SET_CODE, EARLIER_SET_CODE):
        if code not in sets:
            raise DemoPreconditionError(
                f"The criteria set {code!r} is missing: run manage.py load_missing criteria_sets_national."
            )
    periods = {p.code: p for p in ReportingPeriod.objects.filter(code__in=PERIOD_CODES)}
    missing = [code for code in PERIOD_CODES if code not in periods]
    if missing:
        raise DemoPreconditionError(f"Reporting periods missing: {', '.join(missing)}.")
    return sets[SET_CODE], sets[EARLIER_SET_CODE], periods


def recognition_set(
    day: datetime.date, *, criteria_set: CriteriaSet, earlier_set: CriteriaSet
) -> CriteriaSet:
    """The set a recognition decided on ``day`` falls under: ``earlier_set`` (QĐ 491) before
    ``criteria_set`` (QĐ 1980) took effect on 01/12/2016, ``criteria_set`` from then on."""
    start = criteria_set.effective_from or datetime.date(2016, 12, 1)
    return earlier_set if day < start else criteria_set


def assessments_create(
    *, plans: list[CommunePlan], criteria_set: CriteriaSet, periods: dict[str, ReportingPeriod]
) -> tuple[int, int]:
    """Create the approved demo assessments that do not exist yet (any assessment of the
    same commune, period and set is left alone), with one value per indicator and one
    result per criterion. Returns (assessments, indicator values) created."""
    criteria = list(criteria_set.criteria.prefetch_related("indicators").order_by("number"))
    if len(criteria) != EXPECTED_CRITERIA or any(not c.indicators.all() for c in criteria):
        raise DemoPreconditionError(
            f"{SET_CODE} must have {EXPECTED_CRITERIA} criteria, each with indicators."
        )
    existing = set(
        Assessment.objects.filter(criteria_set=criteria_set, period__in=periods.values()).values_list(
            "commune_id", "period_id"
        )
    )
    pending: list[tuple[Assessment, list[IndicatorValue], list[CriterionResult]]] = []
    for code, period in periods.items():
        submitted_at, decided_at = _decided_at(period)
        for seed, plan in enumerate(plans):
            if (plan.commune.pk, period.pk) in existing:
                continue
            values, results = [], []
            for criterion in criteria:
                indicators = list(criterion.indicators.all())
                failing = seed % len(indicators) if criterion.number in plan.unmet[code] else None
                outcomes = []
                for position, indicator in enumerate(indicators):
                    number, achieved = indicator_value(
                        indicator, met=position != failing, seed=seed + position
                    )
                    outcome = evaluation.evaluate_indicator(
                        comparison=indicator.comparison,
                        target=indicator.target,
                        number=number,
                        achieved=achieved,
                    )
                    if (outcome is evaluation.Outcome.MET) != (position != failing):
                        raise AssertionError(f"demo value of {indicator.code} does not evaluate as planned")
                    outcomes.append(outcome)
                    values.append(
                        IndicatorValue(
                            indicator=indicator,
                            number=number,
                            achieved=achieved,
                            evidence=EVIDENCE,
                            outcome=outcome.value,
                        )
                    )
                results.append(CriterionResult(criterion=criterion, met=evaluation.criterion_met(outcomes)))
            summary = evaluation.summarize(result.met for result in results)
            assessment = Assessment(
                commune=plan.commune,
                period=period,
                criteria_set=criteria_set,
                status=AssessmentStatus.APPROVED,
                criteria_met=summary.met,
                criteria_total=summary.total,
                meets_standard=summary.meets_standard,
                submitted_at=submitted_at,
                decided_at=decided_at,
                is_demo=True,
            )
            pending.append((assessment, values, results))
    if not pending:
        return 0, 0
    created = bulk_create_with_history([row[0] for row in pending], Assessment, batch_size=500)
    all_values, all_results = [], []
    for assessment, (_unsaved, values, results) in zip(created, pending, strict=True):
        for value in values:
            value.assessment = assessment
        for result in results:
            result.assessment = assessment
        all_values.extend(values)
        all_results.extend(results)
    # Each value gets its "created" history row: the history of an assessment shows a
    # later change of a value as old -> new only from the row before it.
    bulk_create_with_history(all_values, IndicatorValue, batch_size=2000)
    CriterionResult.objects.bulk_create(all_results, batch_size=2000)
    return len(created), len(all_values)


def recognitions_create(
    *, plans: list[CommunePlan], criteria_set: CriteriaSet, earlier_set: CriteriaSet
) -> int:
    """Create the missing demo recognitions: the standard ones of the plan, and a model
    NTM commune in each district of :data:`MODEL_DISTRICTS` (its first commune that was
    recognised by 2018 and meets every criterion in both periods). Each is recorded under
    the set in force on its decision date (:func:`recognition_set`); a demo recognition
    left under the wrong set by an earlier version of the demo is moved to the right one."""
    wanted = [
        Recognition(
            unit=plan.commune,
            level=RecognitionLevel.STANDARD,
            criteria_set=recognition_set(
                plan.recognised_on, criteria_set=criteria_set, earlier_set=earlier_set
            ),
            decision_number=plan.decision_number,
            decision_date=plan.recognised_on,
            signer=SIGNER,
            is_demo=True,
        )
        for plan in plans
        if plan.recognised_on is not None
    ]
    for district_code, day in MODEL_DISTRICTS.items():
        candidates = sorted(
            (
                plan
                for plan in plans
                if plan.district_code == district_code
                and plan.recognised_on is not None
                and plan.recognised_on.year <= 2018
                and not any(plan.unmet.values())
            ),
            key=lambda plan: plan.commune.code,
        )
        if not candidates:
            raise AssertionError(f"no model-commune candidate in district {district_code}")
        wanted.append(
            Recognition(
                unit=candidates[0].commune,
                level=RecognitionLevel.MODEL,
                criteria_set=recognition_set(day, criteria_set=criteria_set, earlier_set=earlier_set),
                decision_number=f"{2000 + int(district_code)}/QĐ-UBND",
                decision_date=day,
                signer=SIGNER,
                is_demo=True,
            )
        )
    _demo_recognitions_move(wanted)
    existing = set(
        Recognition.objects.filter(unit__in=[plan.commune for plan in plans]).values_list(
            "unit_id", "level", "criteria_set_id"
        )
    )
    missing = [r for r in wanted if (r.unit_id, r.level, r.criteria_set_id) not in existing]
    if missing:
        bulk_create_with_history(missing, Recognition, batch_size=500)
    return len(missing)


def _demo_recognitions_move(wanted: list[Recognition]) -> None:
    """Move a demo recognition that an earlier version of the demo recorded under another
    set (the 2014-2016 ones under QĐ 1980) to the set of ``wanted``, matched by unit, level,
    decision number and date; saved one by one so the history says so. Never touches a
    recognition that is not demo data, nor one whose right row exists already."""
    by_key = {(r.unit_id, r.level, r.decision_number, r.decision_date): r for r in wanted}
    rows = Recognition.objects.filter(is_demo=True, unit__in={r.unit_id for r in wanted})
    present = set(rows.values_list("unit_id", "level", "criteria_set_id"))
    for row in rows:
        target = by_key.get((row.unit_id, row.level, row.decision_number, row.decision_date))
        if (
            target is not None
            and row.criteria_set_id != target.criteria_set_id
            and (row.unit_id, row.level, target.criteria_set_id) not in present
        ):
            row.criteria_set_id = target.criteria_set_id
            row.save(update_fields=["criteria_set"])


@transaction.atomic
def demo_assessments_load() -> DemoResult:
    """Load the demo assessments (2019 and 2020-h1, under qd-1980-2016) and recognitions
    (under qd-491-2009 before 01/12/2016, under qd-1980-2016 from then on).

    Needs Thái Nguyên's units, the sets ``qd-1980-2016`` and ``qd-491-2009`` and the
    periods "2019" and "2020-h1"; raises :class:`DemoPreconditionError` naming what is
    missing. Writes only what is missing, so a second run changes nothing.
    """
    criteria_set, earlier_set, periods = _load_context()
    plans = demo_plan(demo_communes())
    assessments, values = assessments_create(plans=plans, criteria_set=criteria_set, periods=periods)
    # Demo values written before the evidence note was put in Vietnamese throughout.
    IndicatorValue.objects.filter(assessment__is_demo=True, evidence=OLD_EVIDENCE).update(evidence=EVIDENCE)
    recognitions = recognitions_create(plans=plans, criteria_set=criteria_set, earlier_set=earlier_set)
    return DemoResult(assessments=assessments, indicator_values=values, recognitions=recognitions)
