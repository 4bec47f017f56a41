"""The demo as a live reporting cycle (issue 11, point 5): when ``make run`` serves, every
role finds work to do today, whatever day today is.

What :func:`demo_cycle_load` makes, every row marked illustrative ("minh họa",
``is_demo``), never official data:

* **an illustrative criteria set usable now** (:data:`DEMO_SET_CODE`): a provincial copy
  of the 2021-2025 set of QĐ 318/QĐ-TTg (``qd-318-2022``), in force from 01/01/2025 to
  31/12 of the current year (at least 31/12/2026). Four criteria of ``qd-318-2022`` have
  no indicators in the fixture (6, 12, 17, 18: their wording is not in our sources), so
  nothing can be assessed under it; the copy gives each of them **one** Đạt / Không đạt
  indicator "Đánh giá chung của người thẩm định (minh họa)", with no numeric target, so
  that no invented target is ever presented as a legal one. The numeric indicators keep
  the fixture's targets (most unknown: judged by the appraiser's Đạt / Không đạt);
* **open periods**: the half-year containing today, with the portal's default dates
  (:func:`criteria.services.catalogue.periods_ensure`), for the communes of the structure
  in force; and, so that district officers (whose scope is a district closed on
  30/06/2025) can work, the last pre-reform half-year :data:`DISTRICT_PERIOD_CODE` has
  its submission deadline moved to today + :data:`DEADLINE_DAYS` days and its lock date
  to today + :data:`LOCK_DAYS` days: a coordinator's extension, saved with the history
  of the period as an edit in the admin would be. A demo setting, not a rule;
* **assessments by the users who would make them** (:data:`DISTRICT_PLANS`,
  :data:`COMMUNE_PLANS`), written through the assessment services (create, values,
  submit, return), so their history and the notifications are those of real use: the
  coordinator finds a queue of submitted and returned assessments of other users, and the
  first demo commune officer's commune has none, so its officer can start one.

Loading is idempotent: a commune that has any assessment of the period under the demo
set is left alone, the set is created once, a period is never shortened. Needs the units,
the national sets, the periods' years and the demo users (``make demo`` loads them
first); raises :class:`criteria.services.demo.DemoPreconditionError` naming what is
missing.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from accounts.services import DEMO_USERS
from communes.models import AdministrativeUnit, UnitLevel
from criteria.models import (
    Assessment,
    Comparison,
    CriteriaSet,
    MeasureType,
    ReportingPeriod,
    Verification,
)
from criteria.services.assessments import (
    ValueInput,
    assessment_create,
    assessment_transition,
    assessment_update_values,
)
from criteria.services.catalogue import criteria_set_copy, periods_ensure
from criteria.services.demo import EVIDENCE, PROVINCE_CODE, DemoPreconditionError, indicator_value
from criteria.services.indicators import IndicatorInput, indicator_create
from criteria.workflow import Action

SOURCE_SET_CODE = "qd-318-2022"
DEMO_SET_CODE = "minh-hoa-qd-318-2022"
DEMO_SET_NAME = "Bộ tiêu chí minh họa theo QĐ 318/QĐ-TTg (không phải văn bản pháp lý)"
DEMO_SET_NOTES = (
    "Dữ liệu minh họa cho bản trình diễn, không phải văn bản pháp lý. Bản sao của Bộ tiêu "
    "chí quốc gia về xã nông thôn mới giai đoạn 2021-2025 (QĐ 318/QĐ-TTg), kéo dài hiệu "
    "lực đến hết năm hiện tại để các vai trò có kỳ báo cáo đang mở. Các tiêu chí 6, 12, 17, "
    "18 chưa có chỉ tiêu trong nguồn đã tiếp cận: mỗi tiêu chí chỉ có một chỉ tiêu Đạt / "
    "Không đạt theo đánh giá chung của người thẩm định, không có mức yêu cầu bằng số. Các "
    "chỉ tiêu số chưa có mức yêu cầu được đánh giá theo kết luận Đạt / Không đạt."
)
DEMO_SET_FROM = datetime.date(2025, 1, 1)
DEMO_SET_UNTIL_AT_LEAST = datetime.date(2026, 12, 31)
GENERAL_INDICATOR_NAME = "Đánh giá chung của người thẩm định (minh họa)"
GENERAL_INDICATOR_SOURCE = (
    "Minh họa: QĐ 318/QĐ-TTg quy định chỉ tiêu của tiêu chí này nhưng chưa có trong nguồn "
    "đã tiếp cận; không phải chỉ tiêu pháp lý."
)

# The last half-year of the pre-reform structure (districts closed on 30/06/2025).
DISTRICT_PERIOD_CODE = "2025-h1"
DEADLINE_DAYS = 10
LOCK_DAYS = 40
EXTENSION_REASON = "Gia hạn minh họa (bản trình diễn): hạn nộp và khóa sổ tính từ hôm nay."

COORDINATOR = "dieuphoi"
RETURN_REASON = (
    "Chỉ tiêu 10 (thu nhập bình quân đầu người) chưa kèm số liệu của Chi cục Thống kê; "
    "đề nghị bổ sung minh chứng và gửi lại (minh họa)."
)
# Criteria a demo commune misses, in turn (production, income, environment lag most).
UNMET_POOL = (13, 10, 17, 2, 11, 5, 9, 14)


@dataclass(frozen=True)
class CyclePlan:
    """What one demo user does in a period: of the xã in their scope, by GSO code, the
    first ``submitted`` are filled completely and submitted, the next ``returned`` are
    filled, submitted and returned by the coordinator with :data:`RETURN_REASON`, the
    next ``drafts`` are drafts half filled; the rest have none."""

    username: str
    period: str  # "district" (DISTRICT_PERIOD_CODE) or "current" (the half-year of today)
    submitted: int = 0
    returned: int = 0
    drafts: int = 0


DISTRICT_PLANS = (
    CyclePlan("daitu", "district", submitted=3, drafts=2),
    CyclePlan("phubinh", "district", submitted=2, returned=1),
)
# The second demo commune officer submits; the first one's commune is left with no
# assessment, so that its officer can start one.
COMMUNE_OFFICERS = tuple(demo.username for demo in DEMO_USERS if demo.role == Role.COMMUNE_OFFICER)
COMMUNE_PLANS = tuple(CyclePlan(name, "current", submitted=1) for name in COMMUNE_OFFICERS[1:2])


@dataclass(frozen=True)
class CycleResult:
    set_created: bool
    periods_extended: list[str]
    assessments: int
    submitted: int
    returned: int
    drafts: int


def current_half_year(today: datetime.date) -> str:
    """The code of the half-year containing ``today`` ("2026-h2" on 03/12/2026)."""
    return f"{today.year}-h1" if today.month <= 6 else f"{today.year}-h2"


def _user(username: str) -> User:
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise DemoPreconditionError(
            f"The demo user {username!r} is missing: run manage.py create_demo_users."
        )
    return user


def demo_set_ensure(*, user, today: datetime.date) -> tuple[CriteriaSet, bool]:
    """The illustrative set (:data:`DEMO_SET_CODE`), copied from ``qd-318-2022`` by
    ``user`` (a coordinator) if missing, with the general Đạt / Không đạt indicator added
    to each criterion that has none; its end of force moved to 31/12 of ``today``'s year
    when it ended earlier. Returns (set, created)."""
    until = max(DEMO_SET_UNTIL_AT_LEAST, datetime.date(today.year, 12, 31))
    existing = CriteriaSet.objects.filter(code=DEMO_SET_CODE).first()
    if existing is not None:
        if existing.effective_until is not None and existing.effective_until < until:
            existing.effective_until = until
            existing._history_user = user
            existing.save(update_fields=["effective_until"])
        return existing, False
    source = CriteriaSet.objects.filter(code=SOURCE_SET_CODE).first()
    if source is None:
        raise DemoPreconditionError(
            f"The criteria set {SOURCE_SET_CODE!r} is missing: run manage.py load_missing criteria_sets_national."
        )
    province = AdministrativeUnit.objects.filter(
        code=PROVINCE_CODE, level=UnitLevel.PROVINCE, valid_until__isnull=True
    ).first()
    if province is None:
        raise DemoPreconditionError(
            "Thái Nguyên (GSO 19) is missing: run manage.py load_admin_units --province 19."
        )
    copy = criteria_set_copy(
        user=user, source=source, code=DEMO_SET_CODE, name=DEMO_SET_NAME, province=province
    )
    copy.effective_from, copy.effective_until, copy.notes = DEMO_SET_FROM, until, DEMO_SET_NOTES
    copy._history_user = user
    copy.save(update_fields=["effective_from", "effective_until", "notes"])
    for criterion in copy.criteria.filter(indicators__isnull=True).order_by("number"):
        indicator_create(
            user=user,
            criterion=criterion,
            data=IndicatorInput(
                code=str(criterion.number),
                name=GENERAL_INDICATOR_NAME,
                measure_type=MeasureType.BOOLEAN,
                comparison=Comparison.ACHIEVED,
                verification=Verification.UNVERIFIED,
                source=GENERAL_INDICATOR_SOURCE,
            ),
        )
    return copy, True


def period_extend(*, user, period: ReportingPeriod, today: datetime.date) -> bool:
    """Move ``period``'s submission deadline to today + :data:`DEADLINE_DAYS` and its lock
    date to today + :data:`LOCK_DAYS` where they are earlier, saved as ``user``'s edit with
    :data:`EXTENSION_REASON` in the period's history. Never shortens. Returns whether it
    changed anything."""
    deadline = max(period.submission_deadline, today + datetime.timedelta(days=DEADLINE_DAYS))
    lock = max(period.lock_date, today + datetime.timedelta(days=LOCK_DAYS))
    if (deadline, lock) == (period.submission_deadline, period.lock_date):
        return False
    period.submission_deadline, period.lock_date = deadline, lock
    period._history_user = user
    period._change_reason = EXTENSION_REASON
    period.save(update_fields=["submission_deadline", "lock_date"])
    return True


def _periods(*, user, today: datetime.date) -> tuple[dict[str, ReportingPeriod], list[str]]:
    """The demo's two periods, keyed "district" and "current", and the codes extended."""
    periods_ensure(year=today.year)
    current = ReportingPeriod.objects.get(code=current_half_year(today))
    district = ReportingPeriod.objects.filter(code=DISTRICT_PERIOD_CODE).first()
    if district is None:
        raise DemoPreconditionError(
            f"The period {DISTRICT_PERIOD_CODE!r} is missing: run manage.py create_periods --year 2025."
        )
    extended = [district.code] if period_extend(user=user, period=district, today=today) else []
    return {"district": district, "current": current}, extended


def demo_values(assessment: Assessment, *, seed: int, complete: bool) -> dict[int, ValueInput]:
    """Illustrative values for ``assessment``: every indicator (``complete``) or those of
    the first half of the criteria; all met but one indicator of each criterion missed
    (taken from :data:`UNMET_POOL` by ``seed``), as :func:`criteria.services.demo.indicator_value`
    writes them: none missed for a ``seed`` divisible by 3, else one or two."""
    unmet = set(UNMET_POOL[seed % len(UNMET_POOL) :][: seed % 3])
    criteria = list(assessment.criteria_set.criteria.prefetch_related("indicators").order_by("number"))
    if not complete:
        criteria = criteria[: len(criteria) // 2]
    values = {}
    for criterion in criteria:
        indicators = list(criterion.indicators.all())
        failing = seed % len(indicators) if criterion.number in unmet else None
        for position, indicator in enumerate(indicators):
            number, achieved = indicator_value(indicator, met=position != failing, seed=seed + position)
            values[indicator.pk] = ValueInput(number=number, achieved=achieved, evidence=EVIDENCE)
    return values


def _communes(user: User, period: ReportingPeriod) -> list[AdministrativeUnit]:
    """The xã in ``user``'s agency's scope in force at the end of ``period``, by GSO code."""
    scope = user.agency.scope if user.agency_id else None
    if scope is None:
        raise DemoPreconditionError(f"The demo user {user.username!r} has no agency with a scope.")
    return list(AdministrativeUnit.objects.within(scope).assessed().valid_on(period.end).order_by("code"))


def _plan_run(
    plan: CyclePlan, *, criteria_set: CriteriaSet, period: ReportingPeriod, coordinator: User
) -> dict[str, int]:
    """Carry out ``plan`` through the services; returns counts by state written."""
    user = _user(plan.username)
    counts = {"submitted": 0, "returned": 0, "drafts": 0}
    taken = set(
        Assessment.objects.filter(period=period, criteria_set=criteria_set).values_list(
            "commune_id", flat=True
        )
    )
    steps = ["submitted"] * plan.submitted + ["returned"] * plan.returned + ["drafts"] * plan.drafts
    created = []
    for seed, (commune, step) in enumerate(zip(_communes(user, period), steps, strict=False)):
        if commune.pk in taken:
            continue
        assessment = assessment_create(user=user, commune=commune, period=period, criteria_set=criteria_set)
        created.append(assessment.pk)
        values = demo_values(assessment, seed=seed, complete=step != "drafts")
        assessment_update_values(user=user, assessment=assessment, version=assessment.version, values=values)
        if step != "drafts":
            assessment_transition(
                user=user, assessment=assessment, action=Action.SUBMIT, version=assessment.version
            )
        if step == "returned":
            assessment_transition(
                user=coordinator,
                assessment=assessment,
                action=Action.RETURN,
                version=assessment.version,
                reason=RETURN_REASON,
            )
        counts[step] += 1
    # Demo data, in the row and in every history row of it (the services know no demo).
    Assessment.objects.filter(pk__in=created).update(is_demo=True)
    Assessment.history.filter(id__in=created).update(is_demo=True)
    return counts


@transaction.atomic
def demo_cycle_load(*, today: datetime.date | None = None) -> CycleResult:
    """Load the live cycle described in the module's docstring for ``today`` (default:
    :func:`django.utils.timezone.localdate`). Safe to run twice."""
    today = today or timezone.localdate()
    coordinator = _user(COORDINATOR)
    criteria_set, set_created = demo_set_ensure(user=coordinator, today=today)
    periods, extended = _periods(user=coordinator, today=today)
    totals = {"submitted": 0, "returned": 0, "drafts": 0}
    for plan in DISTRICT_PLANS + COMMUNE_PLANS:
        counts = _plan_run(
            plan, criteria_set=criteria_set, period=periods[plan.period], coordinator=coordinator
        )
        for key, count in counts.items():
            totals[key] += count
    return CycleResult(
        set_created=set_created,
        periods_extended=extended,
        assessments=sum(totals.values()),
        **totals,
    )
