"""An ILLUSTRATIVE national dataset for benchmarks (issue 14, point 6): the real pre-2025
structure of all of Vietnam (63 provinces, 696 districts, 10,035 commune-level units, of
which 7,695 rural communes (xã), from the ``vietnamadminunits`` package), and for every
xã an approved assessment under the 2016-2020 national set in each of a few consecutive
half years, with seeded pseudo-random criteria results
(:mod:`criteria.illustrative_progress`), and recognitions at the standard, advanced and
model levels.

The figures are invented: never load them into a production database. Every
assessment and recognition is flagged ``is_demo=True``. No indicator values are written
(an assessment's criterion results and its derived counts are what the dashboards read),
nor hamlets, nor model-hamlet recognitions: the package has no hamlets.

Everything is written with ``bulk_create`` in batches, in one transaction. Idempotent:
units, assessments (same commune, period and set) and recognitions (same unit, level and
set) already present, such as those of ``make run``'s Thái Nguyên demo, are left alone.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from communes.gso_source import LAST_DAY_BEFORE_REFORM, read_legacy
from communes.models import AdministrativeUnit, UnitKind
from communes.services import units_bulk_import
from criteria import evaluation
from criteria.illustrative_progress import CommuneProgress, commune_progress
from criteria.models import (
    Assessment,
    AssessmentStatus,
    CriteriaSet,
    CriterionResult,
    Recognition,
    ReportingPeriod,
)
from criteria.services.catalogue import periods_ensure
from criteria.services.demo import EARLIER_SET_CODE, SET_CODE, recognition_set

# The last half year of the 2016-2020 set (QĐ 1980/QĐ-TTg, in force 01/12/2016-31/12/2020):
# the periods end with it. Its first whole half year is 2017-h1, hence at most 8 periods.
LAST_YEAR = 2020
MAX_PERIODS = 8
# Recognitions before the first period are dated from this day on.
EARLIEST_RECOGNITION = datetime.date(2014, 1, 1)
SIGNER = "Chủ tịch UBND tỉnh (minh họa)"
VN = ZoneInfo("Asia/Ho_Chi_Minh")
COMMUNES_PER_BATCH = 2000
ROWS_PER_INSERT = 5000


class DatasetPreconditionError(Exception):
    """Something the dataset builds on is missing (the 2016-2020 criteria set)."""


@dataclass
class NationalDatasetResult:
    """What :func:`national_dataset_load` wrote, and what it found already there."""

    units_created: int = 0
    units_kept: int = 0
    communes: int = 0
    periods: list[str] = field(default_factory=list)
    assessments_created: int = 0
    assessments_kept: int = 0
    criterion_results: int = 0
    recognitions_created: dict[str, int] = field(default_factory=dict)
    recognitions_kept: int = 0


def half_years(count: int) -> list[tuple[int, str]]:
    """The ``count`` half years ending with the second half of 2020, oldest first:
    ``half_years(3)`` is ``[(2019, "h2"), (2020, "h1"), (2020, "h2")]``. Raises ValueError
    for a count outside 1-:data:`MAX_PERIODS`."""
    if not 1 <= count <= MAX_PERIODS:
        raise ValueError(f"between 1 and {MAX_PERIODS} periods")
    halves = [(year, half) for year in range(LAST_YEAR - 4, LAST_YEAR + 1) for half in ("h1", "h2")]
    return halves[-count:]


def _periods(count: int) -> list[ReportingPeriod]:
    wanted = half_years(count)
    by_code = {}
    for year in sorted({year for year, _half in wanted}):
        by_code.update({period.code: period for period in periods_ensure(year=year)})
    return [by_code[f"{year}-{half}"] for year, half in wanted]


def _day_in(start: datetime.date, end: datetime.date, fraction: float) -> datetime.date:
    return start + datetime.timedelta(days=int(fraction * (end - start).days))


def _assessment(
    commune, period: ReportingPeriod, criteria_set: CriteriaSet, summary: evaluation.Summary, days_late: int
) -> Assessment:
    submitted = min(period.submission_deadline + datetime.timedelta(days=days_late), period.lock_date)
    decided = min(submitted + datetime.timedelta(days=7), period.lock_date)
    return Assessment(
        commune=commune,
        period=period,
        criteria_set=criteria_set,
        status=AssessmentStatus.APPROVED,
        criteria_met=summary.met,
        criteria_total=summary.total,
        meets_standard=summary.meets_standard,
        submitted_at=datetime.datetime.combine(submitted, datetime.time(9, 0), tzinfo=VN),
        decided_at=datetime.datetime.combine(decided, datetime.time(15, 0), tzinfo=VN),
        is_demo=True,
    )


def _assessments_create(
    *,
    communes: list[AdministrativeUnit],
    progress: dict[int, CommuneProgress],
    periods: list[ReportingPeriod],
    criteria_set: CriteriaSet,
    result: NationalDatasetResult,
) -> None:
    criteria = list(criteria_set.criteria.order_by("number"))
    existing = set(
        Assessment.objects.filter(criteria_set=criteria_set, period__in=periods).values_list(
            "commune_id", "period_id"
        )
    )
    for index, period in enumerate(periods):
        for first in range(0, len(communes), COMMUNES_PER_BATCH):
            batch = [
                c for c in communes[first : first + COMMUNES_PER_BATCH] if (c.pk, period.pk) not in existing
            ]
            result.assessments_kept += min(COMMUNES_PER_BATCH, len(communes) - first) - len(batch)
            unsaved = []
            for commune in batch:
                met = progress[commune.pk].met[index]
                summary = evaluation.summarize(criterion.number in met for criterion in criteria)
                unsaved.append(
                    _assessment(commune, period, criteria_set, summary, progress[commune.pk].days_late[index])
                )
            created = bulk_create_with_history(unsaved, Assessment, batch_size=ROWS_PER_INSERT)
            results = [
                CriterionResult(
                    assessment=assessment,
                    criterion=criterion,
                    met=criterion.number in progress[assessment.commune_id].met[index],
                )
                for assessment in created
                for criterion in criteria
            ]
            CriterionResult.objects.bulk_create(results, batch_size=ROWS_PER_INSERT)
            result.assessments_created += len(created)
            result.criterion_results += len(results)


def _recognitions_create(
    *,
    communes: list[AdministrativeUnit],
    progress: dict[int, CommuneProgress],
    periods: list[ReportingPeriod],
    criteria_set: CriteriaSet,
    earlier_set: CriteriaSet | None,
    result: NationalDatasetResult,
) -> None:
    existing = set(Recognition.objects.values_list("unit_id", "level", "criteria_set_id"))
    wanted = []
    for commune in communes:
        for number, plan in enumerate(progress[commune.pk].recognitions):
            if plan.period_index < 0:
                day = _day_in(
                    EARLIEST_RECOGNITION, periods[0].start - datetime.timedelta(days=1), plan.fraction
                )
            else:
                period = periods[plan.period_index]
                day = _day_in(period.start, period.end, plan.fraction)
            recognised_under = (
                recognition_set(day, criteria_set=criteria_set, earlier_set=earlier_set)
                if earlier_set is not None
                else criteria_set
            )
            if (commune.pk, plan.level, recognised_under.pk) in existing:
                result.recognitions_kept += 1
                continue
            existing.add((commune.pk, plan.level, recognised_under.pk))
            wanted.append(
                Recognition(
                    unit=commune,
                    level=plan.level,
                    criteria_set=recognised_under,
                    decision_number=f"{(commune.pk * 7 + number) % 9000 + 100}/QĐ-UBND",
                    decision_date=day,
                    signer=SIGNER,
                    is_demo=True,
                )
            )
    bulk_create_with_history(wanted, Recognition, batch_size=ROWS_PER_INSERT)
    for recognition in wanted:
        result.recognitions_created[recognition.level] = (
            result.recognitions_created.get(recognition.level, 0) + 1
        )


@transaction.atomic
def national_dataset_load(
    *, periods: int = 6, seed: int = 1, province_codes: Iterable[str] = ()
) -> NationalDatasetResult:
    """Load the illustrative national dataset (module docstring): the pre-2025 units of
    the provinces whose pre-2025 GSO codes are ``province_codes`` (all 63 when empty,
    :func:`communes.gso_source.read_legacy`), the ``periods`` half years ending with the
    second half of 2020 (created where missing, :func:`periods_ensure`), an approved
    assessment per xã and period under ``qd-1980-2016`` with one criterion result per
    criterion and ``criteria_met``/``criteria_total``/``meets_standard`` counted from them,
    and the recognitions (under ``qd-491-2009`` when dated before 01/12/2016 and that set
    is loaded). The same ``seed`` gives the same dataset.

    Raises :class:`DatasetPreconditionError` when the set ``qd-1980-2016`` or its criteria
    are missing, :class:`communes.gso_source.UnknownProvince` for an unknown code and
    ValueError for ``periods`` outside 1-8. Writes only what is missing.
    """
    sets = {s.code: s for s in CriteriaSet.objects.filter(code__in=(SET_CODE, EARLIER_SET_CODE))}
    criteria_set = sets.get(SET_CODE)
    if criteria_set is None or not criteria_set.criteria.exists():
        raise DatasetPreconditionError(
            f"The criteria set {SET_CODE!r} is missing: run manage.py load_missing criteria_sets_national."
        )
    result = NationalDatasetResult()
    period_rows = _periods(periods)
    result.periods = [period.code for period in period_rows]

    data = read_legacy(province_codes)
    units = units_bulk_import(data=data)
    result.units_created, result.units_kept = units.units_created, units.units_kept
    codes = [record.code for record in data.units if record.kind == UnitKind.COMMUNE]
    communes = list(
        AdministrativeUnit.objects.filter(
            kind=UnitKind.COMMUNE, valid_until=LAST_DAY_BEFORE_REFORM, code__in=codes
        ).order_by("code")
    )
    result.communes = len(communes)
    numbers = list(criteria_set.criteria.order_by("number").values_list("number", flat=True))
    progress = {
        commune.pk: commune_progress(seed=seed, key=commune.code, criteria=numbers, periods=len(period_rows))
        for commune in communes
    }
    _assessments_create(
        communes=communes, progress=progress, periods=period_rows, criteria_set=criteria_set, result=result
    )
    _recognitions_create(
        communes=communes,
        progress=progress,
        periods=period_rows,
        criteria_set=criteria_set,
        earlier_set=sets.get(EARLIER_SET_CODE),
        result=result,
    )
    return result
