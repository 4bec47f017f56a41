"""Recurring tasks ("báo cáo định kỳ hằng quý, trước ngày 15 của tháng cuối quý"): the due
dates of their periods (pure), the first period's due date on creation, a period's report
rolling the deadline to the next period, the reminders of each period, a late report
covering the oldest missed period, and the pages naming the period."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from accounts.models import Agency
from directives import recurrence
from directives.models import Assignment, DeadlineChange, ReminderLedger
from directives.recurrence import last_due, next_due, periods_missed
from directives.services.assignments import (
    assignment_mark_done,
    extension_request_create,
    progress_report_create,
)
from directives.services.directives import DirectiveInput, TaskInput, directive_create
from directives.status import Bucket
from directives.tasks import run_daily_reminders

VN = ZoneInfo("Asia/Ho_Chi_Minh")
ISSUED_ON = datetime.date(2020, 7, 6)  # the date of notice 58/TB-UBND
D = datetime.date


def at(day: datetime.date, hour: int = 9):
    """Travel to ``hour`` o'clock of ``day`` in Thái Nguyên, the clock stopped."""
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(hour, 0), VN), tick=False)


# --- Due dates, pure ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "day", "on_or_after", "due"),
    [
        ("monthly", None, D(2020, 4, 10), D(2020, 4, 30)),  # a month's last day
        ("monthly", None, D(2020, 4, 30), D(2020, 4, 30)),  # the due day itself counts
        ("monthly", 20, D(2020, 4, 21), D(2020, 5, 20)),
        ("monthly", 31, D(2020, 6, 1), D(2020, 6, 30)),  # day 31 in June is 30/06
        ("monthly", 30, D(2020, 2, 1), D(2020, 2, 29)),  # February of a leap year
        ("monthly", 30, D(2021, 2, 1), D(2021, 2, 28)),  # and of a common year
        ("monthly", None, D(2100, 2, 1), D(2100, 2, 28)),  # 2100 is not a leap year
        ("quarterly", 15, D(2020, 7, 6), D(2020, 9, 15)),
        ("quarterly", 15, D(2020, 9, 15), D(2020, 9, 15)),
        ("quarterly", 15, D(2020, 9, 16), D(2020, 12, 15)),
        ("quarterly", 15, D(2020, 12, 16), D(2021, 3, 15)),  # into the next year
        ("quarterly", 31, D(2020, 4, 1), D(2020, 6, 30)),
        ("quarterly", None, D(2020, 10, 1), D(2020, 12, 31)),
        ("semiannual", 20, D(2020, 6, 21), D(2020, 12, 20)),
        ("yearly", None, D(2020, 12, 31), D(2020, 12, 31)),
        ("yearly", 15, D(2020, 12, 16), D(2021, 12, 15)),
    ],
)
def test_next_due(kind, day, on_or_after, due):
    assert next_due(kind, day, on_or_after) == due


def test_next_due_refuses_a_day_outside_1_31_and_an_unknown_recurrence():
    with pytest.raises(ValueError):
        next_due("monthly", 0, D(2020, 1, 1))
    with pytest.raises(ValueError):
        next_due("monthly", 32, D(2020, 1, 1))
    with pytest.raises(KeyError):
        next_due("weekly", None, D(2020, 1, 1))


def test_last_due_is_the_due_date_a_deadline_belongs_to():
    assert last_due("quarterly", 15, D(2020, 9, 15)) == D(2020, 9, 15)
    assert last_due("quarterly", 15, D(2020, 9, 30)) == D(2020, 9, 15)  # extended a little
    assert last_due("quarterly", 15, D(2020, 3, 14)) == D(2019, 12, 15)
    assert last_due("monthly", 31, D(2021, 3, 1)) == D(2021, 2, 28)


def test_periods_missed_counts_the_periods_overdue():
    assert periods_missed("quarterly", 15, D(2020, 9, 15), D(2020, 9, 15)) == 0
    assert periods_missed("quarterly", 15, D(2020, 9, 15), D(2020, 9, 16)) == 1
    assert periods_missed("quarterly", 15, D(2020, 9, 15), D(2020, 12, 15)) == 1  # Q4 due today
    assert periods_missed("quarterly", 15, D(2020, 9, 15), D(2020, 12, 16)) == 2
    assert periods_missed("monthly", None, D(2020, 1, 31), D(2020, 4, 1)) == 3


def test_a_report_counts_for_a_period_once_it_has_begun():
    # The deadline 15/12/2020 is Q4's: a report in Q3 (before 15/09) does not cover Q4.
    assert not recurrence.report_counts_for_period("quarterly", 15, D(2020, 12, 15), D(2020, 9, 1))
    assert recurrence.report_counts_for_period("quarterly", 15, D(2020, 12, 15), D(2020, 9, 16))
    assert recurrence.report_counts_for_period("quarterly", 15, D(2020, 9, 15), D(2020, 12, 20))  # late


def test_the_period_and_the_recurrence_read_in_vietnamese_and_english():
    with translation.override("vi"):
        current = recurrence.current_period("quarterly", 15, D(2020, 9, 15), D(2020, 12, 20))
        assert current.text == "Kỳ quý III/2020 · hạn 15/09/2020"
        assert current.missed_text == "còn thiếu 2 kỳ"
        assert current.recurrence == "Hằng quý, hạn ngày 15 của tháng cuối kỳ"
        labels = [
            recurrence.period_label(recurrence.period_of(kind, due))
            for kind, due in [
                ("monthly", D(2020, 9, 20)),
                ("semiannual", D(2020, 6, 30)),
                ("semiannual", D(2020, 12, 31)),
                ("yearly", D(2020, 12, 31)),
            ]
        ]
        assert labels == ["tháng 9/2020", "6 tháng đầu năm 2020", "6 tháng cuối năm 2020", "năm 2020"]
        assert recurrence.recurrence_text("monthly", None) == "Hằng tháng, hạn ngày cuối tháng"
    with translation.override("en"):
        current = recurrence.current_period("quarterly", 15, D(2020, 9, 15), D(2020, 9, 1))
        assert (current.text, current.missed_text) == ("Period quarter III/2020 · due 15/09/2020", "")


# --- Creation, reports, rolls ---------------------------------------------------------


def make_recurring(*, kind="quarterly", day=15, number="58/TB-UBND", issued_on=ISSUED_ON):
    """A one-task directive: "báo cáo định kỳ hằng quý" by Sở Giao thông vận tải (lead)
    with VPĐP NTM tỉnh cooperating; returns the lead assignment."""
    transport = Agency.objects.get(code="so-giao-thong-van-tai")
    office = Agency.objects.get(code="vpdp-ntm-tinh")
    directive = directive_create(
        user=None,
        data=DirectiveInput(
            number=number,
            kind="conclusion_notice",
            issuer="Ủy ban nhân dân tỉnh Thái Nguyên",
            issued_on=issued_on,
            title="Thông báo thử",
            tasks=(
                TaskInput(
                    text="Báo cáo định kỳ hằng quý kết quả thực hiện, trước ngày 15 của tháng cuối quý.",
                    recurrence=kind,
                    recurrence_day=day,
                    lead_ids=(transport.pk,),
                    cooperating_ids=(office.pk,),
                ),
            ),
        ),
    )
    return Assignment.objects.select_related("task").get(task__directive=directive, agency=transport)


def report(user, assignment, text="Báo cáo kết quả quý."):
    progress_report_create(user=user, assignment=assignment, text=text, percent=50)
    assignment.refresh_from_db()
    return assignment


@pytest.mark.django_db
def test_creation_gives_each_assignment_the_first_periods_due_date():
    lead = make_recurring()
    assert (lead.task.deadline, lead.task.recurrence, lead.task.recurrence_day) == (None, "quarterly", 15)
    assert list(lead.task.assignments.values_list("role", "deadline").order_by("role")) == [
        ("cooperating", D(2020, 9, 15)),
        ("lead", D(2020, 9, 15)),
    ]
    monthly = make_recurring(kind="monthly", day=None, number="2/TB-TEST", issued_on=D(2020, 2, 3))
    assert monthly.deadline == D(2020, 2, 29)


@pytest.mark.django_db
def test_the_periods_report_rolls_the_deadline_to_the_next_period(department_officer):
    with at(D(2020, 7, 6)):
        lead = make_recurring()
    with at(D(2020, 9, 10)):
        lead = report(department_officer, lead)
        assert lead.deadline == D(2020, 12, 15)
        assert lead.bucket == Bucket.OPEN_WITHIN_TERM and lead.completed_on is None
        change = DeadlineChange.objects.get(assignment=lead)
        assert (change.old_deadline, change.new_deadline, change.changed_by) == (
            D(2020, 9, 15),
            D(2020, 12, 15),
            department_officer,
        )
        assert change.reason == "Kỳ báo cáo tiếp theo (hằng quý)"
        latest = lead.history.first()
        assert (latest.deadline, latest.history_user) == (D(2020, 12, 15), department_officer)
        # A second report in the same quarter is a progress report: Q4 is not covered yet.
        lead = report(department_officer, lead, "Bổ sung số liệu quý III.")
        assert lead.deadline == D(2020, 12, 15)
        assert lead.reports.count() == 2 and DeadlineChange.objects.filter(assignment=lead).count() == 1


@pytest.mark.django_db
def test_the_agency_cannot_end_a_recurring_task_but_the_coordinator_can(department_officer, coordinator):
    with at(D(2020, 7, 6)):
        lead = make_recurring()
        with pytest.raises(PermissionDenied):
            assignment_mark_done(user=department_officer, assignment=lead)
        assignment_mark_done(user=coordinator, assignment=lead, note="Kết thúc chế độ báo cáo.")
        lead.refresh_from_db()
        assert lead.completed_on == D(2020, 7, 6)


@pytest.mark.django_db
def test_an_extension_stays_within_its_period(department_officer):
    with at(D(2020, 9, 10)):
        lead = make_recurring()
        with pytest.raises(ValidationError) as refused:
            extension_request_create(
                user=department_officer,
                assignment=lead,
                requested_deadline=D(2020, 12, 15),
                reason="Chờ số liệu",
            )
        assert "15/12/2020" in str(refused.value.message_dict["requested_deadline"])
        extension_request_create(
            user=department_officer, assignment=lead, requested_deadline=D(2020, 9, 30), reason="Chờ số liệu"
        )


# --- Reminders --------------------------------------------------------------------------


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run the daily job as beat does on ``day`` at 07:00, on-commit sends executed."""

    def _run(day: datetime.date):
        with at(day, 7), django_capture_on_commit_callbacks(execute=True):
            return run_daily_reminders()

    return _run


@pytest.fixture
def transport_officer(department_officer):
    department_officer.email = "transport@example.gov.vn"
    department_officer.save()
    return department_officer


def steps_sent(assignment) -> list[str]:
    return sorted(
        ReminderLedger.objects.filter(assignment=assignment, channel="email").values_list("step", flat=True)
    )


@pytest.mark.django_db
def test_a_missed_period_is_overdue_and_reminded_once_per_step(run, transport_officer):
    with at(D(2020, 7, 6)):
        lead = make_recurring()
    with at(D(2020, 9, 16)):
        assert Assignment.objects.get(pk=lead.pk).bucket == Bucket.OPEN_OVERDUE
    run(D(2020, 9, 16))
    run(D(2020, 9, 16))  # a second beat the same morning sends nothing again
    assert steps_sent(lead) == ["2020-09-15:overdue-0"]
    assert len(mail.outbox) == 1
    assert "Kỳ quý III/2020: Báo cáo định kỳ hằng quý" in mail.outbox[0].body
    assert "15/09/2020" in mail.outbox[0].body
    run(D(2020, 9, 17))  # no new step on the 2nd day overdue
    assert len(mail.outbox) == 1
    run(D(2020, 9, 19))
    assert steps_sent(lead) == ["2020-09-15:overdue-0", "2020-09-15:overdue-1"]


@pytest.mark.django_db
def test_the_next_period_is_reminded_again(run, transport_officer):
    with at(D(2020, 7, 6)):
        lead = make_recurring()
    run(D(2020, 9, 8))
    assert steps_sent(lead) == ["2020-09-15:before-7"]
    with at(D(2020, 9, 10)):
        lead = report(transport_officer, lead)
    run(D(2020, 9, 11))  # Q3 is reported: its "3 days before" is not sent
    assert steps_sent(lead) == ["2020-09-15:before-7"]
    run(D(2020, 12, 8))
    run(D(2020, 12, 8))
    assert steps_sent(lead) == ["2020-09-15:before-7", "2020-12-15:before-7"]
    assert len(mail.outbox) == 2 and "Kỳ quý IV/2020" in mail.outbox[1].body


@pytest.mark.django_db
def test_a_late_report_covers_the_oldest_missed_period(client, run, transport_officer):
    with at(D(2020, 7, 6)):
        lead = make_recurring()
    with at(D(2020, 12, 20)):
        client.force_login(transport_officer)
        page = client.get(reverse("directive-assignment", args=[lead.pk])).content.decode()
        assert "Kỳ quý III/2020 · hạn 15/09/2020" in page and "còn thiếu 2 kỳ" in page
        lead = report(transport_officer, lead, "Báo cáo quý III (muộn).")
        assert lead.deadline == D(2020, 12, 15)  # Q4, still overdue: one roll per report
        assert lead.bucket == Bucket.OPEN_OVERDUE
        page = client.get(reverse("directive-assignment", args=[lead.pk])).content.decode()
        assert "Kỳ quý IV/2020 · hạn 15/12/2020" in page and "còn thiếu 1 kỳ" in page
    run(D(2020, 12, 21))  # Q4's own series: its current step, 6 days overdue
    assert steps_sent(lead) == ["2020-12-15:overdue-1"]
    with at(D(2020, 12, 22)):
        lead = report(transport_officer, lead, "Báo cáo quý IV.")
        assert (lead.deadline, lead.bucket) == (D(2021, 3, 15), Bucket.OPEN_WITHIN_TERM)
    assert list(DeadlineChange.objects.filter(assignment=lead).values_list("new_deadline", flat=True)) == [
        D(2020, 12, 15),
        D(2021, 3, 15),
    ]


# --- Pages ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_pages_show_the_period_and_the_recurrence(client, department_officer, coordinator):
    with at(D(2020, 7, 6)):
        lead = make_recurring()
    with at(D(2020, 9, 20)):
        client.force_login(department_officer)
        page = client.get(reverse("directive-assignment", args=[lead.pk])).content.decode()
        assert "Kỳ quý III/2020 · hạn 15/09/2020" in page and "còn thiếu 1 kỳ" in page
        assert "Hằng quý, hạn ngày 15 của tháng cuối kỳ" in page
        assert 'data-testid="done-form"' not in page  # the agency reports; it does not end it
        page = client.get(reverse("directive-my-tasks")).content.decode()
        assert "Kỳ quý III/2020 · hạn 15/09/2020" in page and "Hằng quý" in page
        client.force_login(coordinator)
        page = client.get(reverse("directive-board")).content.decode()
        assert page.count('data-testid="overdue-row"') == 1
        assert "Kỳ quý III/2020 · hạn 15/09/2020" in page
        page = client.get(reverse("directive-assignment", args=[lead.pk])).content.decode()
        assert "Kết thúc nhiệm vụ định kỳ" in page
