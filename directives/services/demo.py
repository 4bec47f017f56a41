"""The directives side of the demo as a live cycle (issue 11, point 5): deadlines that
count from today, so that the reminders speak of days ("quá hạn 5 ngày", "còn 3 ngày"),
not of the 2330 days since the tasks of notice 58/TB-UBND (2020) fell due.

* :func:`demo_plan_ensure`: an illustrative plan (kế hoạch, :data:`PLAN_NUMBER`, marked
  "minh họa" in its number, summary and text) issued by UBND tỉnh 20 days before today,
  with tasks due 5 days ago (overdue), in 3 days, in 20 days and one standing, each led by
  the department as merged in 2025 (Sở Nông nghiệp và Môi trường) and the People's
  Committees of the demo commune officers' communes, the provincial coordination office
  cooperating; created through :func:`directives.services.directives.directive_create`
  by the demo coordinator. Run again on a later day, a plan nobody has worked on yet
  (no report, nothing done, no extension asked) moves with today, its history saying so;
  one that somebody used is left as it is.
* :func:`seed_assignments_close`: every assignment of notice 58/TB-UBND still open is
  marked done on a day of 2020, with a progress report "(minh họa)" of that day, so that
  nothing of 2020 is open in the demo. The history rows carry the 2020 date and the
  reason "Dữ liệu minh họa".

Directives have no ``is_demo`` flag: the demo's rows are marked by their text. Every
function is idempotent; needs the agencies (``agencies_2025``, ``load_commune_agencies``)
and the demo users loaded first, else :class:`DemoPreconditionError` names what is missing.
"""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from accounts.models import Agency, User
from accounts.roles import Role
from accounts.services import DEMO_USERS
from directives.models import Assignment, Directive, DirectiveKind, ProgressReport
from directives.services.directives import DirectiveInput, TaskInput, directive_create

VN = ZoneInfo("Asia/Ho_Chi_Minh")
COORDINATOR = "dieuphoi"
PLAN_NUMBER = "01/KH-UBND (minh họa)"
PLAN_ISSUED_DAYS_AGO = 20
PLAN_ISSUER = "UBND tỉnh Thái Nguyên"
PLAN_SIGNER = "Phó Chủ tịch UBND tỉnh (minh họa)"
DEPARTMENT_CODE = "so-nong-nghiep-moi-truong"  # Sở Nông nghiệp và Môi trường (merged in 2025)
COORDINATION_OFFICE_CODE = "vpdp-ntm-tinh"
# (days from today to the deadline, None: standing; text). "(minh họa)" marks each one.
PLAN_TASKS = (
    (
        -5,
        "Báo cáo kết quả rà soát tiêu chí Môi trường và an toàn thực phẩm của các xã, gửi "
        "Văn phòng Điều phối nông thôn mới tỉnh (minh họa).",
    ),
    (
        3,
        "Hoàn thành và gửi phiếu đánh giá mức độ đạt tiêu chí nông thôn mới kỳ báo cáo hiện "
        "hành trên Cổng NTM (minh họa).",
    ),
    (
        20,
        "Xây dựng kế hoạch nâng cao chất lượng các tiêu chí chưa đạt của năm sau, gửi Văn "
        "phòng Điều phối nông thôn mới tỉnh tổng hợp (minh họa).",
    ),
    (
        None,
        "Thường xuyên cập nhật số liệu, minh chứng của các tiêu chí trên Cổng NTM (minh họa).",
    ),
)

SEED_NUMBER = "58/TB-UBND"
SEED_ISSUED_ON = datetime.date(2020, 7, 6)
DEMO_REASON = "Dữ liệu minh họa"
SEED_REPORT = "Đã hoàn thành nhiệm vụ năm 2020 (minh họa, không phải số liệu chính thức)."


class DemoPreconditionError(Exception):
    """Something the directives demo builds on is missing (agencies, users)."""


@dataclass(frozen=True)
class DemoDirectivesResult:
    plan_created: bool
    plan_moved_days: int
    seed_closed: int


def _coordinator() -> User:
    user = User.objects.filter(username=COORDINATOR, is_active=True).first()
    if user is None:
        raise DemoPreconditionError(
            f"The demo user {COORDINATOR!r} is missing: run manage.py create_demo_users."
        )
    return user


def plan_agencies() -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(lead ids, cooperating ids) of the demo plan's tasks: Sở Nông nghiệp và Môi trường
    and the demo commune officers' People's Committees lead; VPĐP NTM tỉnh cooperates."""
    lead_codes = [DEPARTMENT_CODE] + [
        demo.agency_code for demo in DEMO_USERS if demo.role == Role.COMMUNE_OFFICER
    ]
    codes = [*lead_codes, COORDINATION_OFFICE_CODE]
    found = dict(Agency.objects.assignable().filter(code__in=codes).values_list("code", "pk"))
    missing = [code for code in codes if code not in found]
    if missing:
        raise DemoPreconditionError(
            f"Agencies missing or not assignable: {', '.join(missing)} "
            "(run manage.py load_missing agencies_2025 and load_commune_agencies --province 19)."
        )
    return tuple(found[code] for code in lead_codes), (found[COORDINATION_OFFICE_CODE],)


def plan_input(today: datetime.date) -> DirectiveInput:
    """The demo plan as the coordinator would confirm it, dated from ``today``."""
    lead, cooperating = plan_agencies()
    tasks = tuple(
        TaskInput(
            text=text,
            section_number=str(position),
            deadline=None if days is None else today + datetime.timedelta(days=days),
            lead_ids=lead,
            cooperating_ids=cooperating,
        )
        for position, (days, text) in enumerate(PLAN_TASKS, start=1)
    )
    return DirectiveInput(
        number=PLAN_NUMBER,
        kind=DirectiveKind.PLAN,
        issuer=PLAN_ISSUER,
        issued_on=today - datetime.timedelta(days=PLAN_ISSUED_DAYS_AGO),
        title=(
            "Kế hoạch (minh họa) thực hiện Chương trình mục tiêu quốc gia xây dựng nông thôn "
            "mới tỉnh Thái Nguyên trong kỳ báo cáo hiện hành"
        ),
        body=(
            "Văn bản minh họa cho bản trình diễn của Cổng NTM, không phải văn bản thật: số, "
            "ngày ban hành và thời hạn được tính từ ngày nạp dữ liệu minh họa."
        ),
        signer=PLAN_SIGNER,
        recipient_ids=lead + cooperating,
        tasks=tasks,
    )


def _untouched(directive: Directive) -> bool:
    assignments = Assignment.objects.filter(task__directive=directive)
    return not (
        assignments.filter(completed_on__isnull=False).exists()
        or ProgressReport.objects.filter(assignment__in=assignments).exists()
        or assignments.filter(extensions__isnull=False).exists()
        or assignments.filter(deadline_changes__isnull=False).exists()
    )


def _plan_move(directive: Directive, *, days: int, user) -> None:
    """Move the plan's date of issue and every deadline by ``days``, with history."""
    delta = datetime.timedelta(days=days)
    directive.issued_on += delta
    directive._history_user, directive._change_reason = user, DEMO_REASON
    directive.save(update_fields=["issued_on"])
    for task in directive.tasks.filter(deadline__isnull=False):
        task.deadline += delta
        task._history_user, task._change_reason = user, DEMO_REASON
        task.save(update_fields=["deadline"])
    moved = list(Assignment.objects.filter(task__directive=directive, deadline__isnull=False))
    for assignment in moved:
        assignment.deadline += delta
    bulk_update_with_history(
        moved, Assignment, ["deadline"], default_user=user, default_change_reason=DEMO_REASON
    )


def demo_plan_ensure(*, user, today: datetime.date) -> tuple[bool, int]:
    """Create the demo plan if missing, or move an untouched one to ``today``. Returns
    (created, days moved)."""
    existing = Directive.objects.filter(number=PLAN_NUMBER).order_by("-issued_on").first()
    if existing is None:
        directive_create(user=user, data=plan_input(today))
        return True, 0
    days = (today - datetime.timedelta(days=PLAN_ISSUED_DAYS_AGO) - existing.issued_on).days
    if days and _untouched(existing):
        _plan_move(existing, days=days, user=user)
        return False, days
    return False, 0


def seed_done_on(assignment: Assignment) -> datetime.date:
    """The demo's day of 2020 on which an assignment of notice 58/TB-UBND was done: two
    days before its deadline, but for the cement report of section 4 (due 15/07/2020),
    done 9 days late; a standing task between September and December 2020."""
    task = assignment.task
    if task.deadline is not None:
        if task.deadline == datetime.date(2020, 7, 15):
            return task.deadline + datetime.timedelta(days=9)
        return task.deadline - datetime.timedelta(days=2)
    return datetime.date(2020, 9 + task.position % 4, 5 + (task.position * 3 + assignment.pk) % 20)


def seed_assignments_close(*, user) -> int:
    """Mark every open assignment of notice 58/TB-UBND done on its day of 2020
    (:func:`seed_done_on`), progress 100 %, with a progress report of that day; returns
    how many. Nothing when the notice is not loaded or nothing is open."""
    directive = Directive.objects.filter(number=SEED_NUMBER, issued_on=SEED_ISSUED_ON).first()
    if directive is None:
        return 0
    open_rows = list(
        Assignment.objects.filter(task__directive=directive, completed_on__isnull=True).select_related("task")
    )
    by_day: dict[datetime.date, list[Assignment]] = {}
    for assignment in open_rows:
        day = seed_done_on(assignment)
        moment = datetime.datetime.combine(day, datetime.time(16, 0), tzinfo=VN)
        assignment.completed_on, assignment.completed_at, assignment.percent = day, moment, 100
        by_day.setdefault(day, []).append(assignment)
    for day, rows in by_day.items():
        moment = datetime.datetime.combine(day, datetime.time(16, 0), tzinfo=VN)
        bulk_update_with_history(
            rows,
            Assignment,
            ["completed_on", "completed_at", "percent"],
            default_user=user,
            default_change_reason=DEMO_REASON,
            default_date=moment,
        )
        ProgressReport.objects.bulk_create(
            ProgressReport(assignment=row, text=SEED_REPORT, percent=100) for row in rows
        )
        # created_at is auto_now_add: the report is dated the day the task was done.
        ProgressReport.objects.filter(assignment__in=rows, text=SEED_REPORT, created_at__gt=moment).update(
            created_at=moment
        )
    return len(open_rows)


@transaction.atomic
def demo_directives_load(*, today: datetime.date | None = None) -> DemoDirectivesResult:
    """The demo plan for ``today`` (default: the local date) and the 2020 notice closed."""
    today = today or timezone.localdate()
    user = _coordinator()
    created, moved = demo_plan_ensure(user=user, today=today)
    closed = seed_assignments_close(user=user)
    return DemoDirectivesResult(plan_created=created, plan_moved_days=moved, seed_closed=closed)
