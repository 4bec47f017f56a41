"""The daily reminder job: one digest per recipient a day, sent once however often the
job runs; escalation after M days overdue; report reminders; SMTP faults lose nothing
and repeat nothing. Celery runs in-process here (tests/directives/test_e2e_celery.py
runs a real worker against Redis and a real SMTP server)."""

import datetime
import smtplib
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from accounts.models import Agency, Notification
from directives.models import DeliveryState, ReminderDigest, ReminderLedger, ReminderPolicy, ReminderRun
from directives.services.assignments import assignment_mark_done
from directives.services.digests import digest_send
from directives.services.reminders import policy_get
from directives.tasks import run_daily_reminders, send_reminder_digest

from . import mailbackends
from .conftest import make_task

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = datetime.date(2026, 11, 30)  # tests/conftest.py freezes time at 09:00 that day


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run the daily job as beat does, with its on-commit sends executed."""

    def _run(day: datetime.date | None = None):
        with django_capture_on_commit_callbacks(execute=True):
            return run_daily_reminders(day.isoformat() if day else None)

    return _run


@pytest.fixture
def transport(department_officer):
    """Sở Giao thông vận tải with a contact address, its officer with an e-mail."""
    agency = Agency.objects.get(code="so-giao-thong-van-tai")
    agency.contact_emails = "vanthu@sogtvt.example.gov.vn\n"
    agency.head_email = "giamdoc@sogtvt.example.gov.vn"
    agency.save()
    department_officer.email = "transport@example.gov.vn"
    department_officer.save()
    return agency


def recipients_of_outbox():
    return sorted(address for message in mail.outbox for address in message.to)


def test_running_the_job_twice_on_one_day_sends_each_digest_once(run, transport, department_officer):
    make_task(agency_code="so-giao-thong-van-tai", deadline=TODAY + datetime.timedelta(days=3))
    first = run()
    assert recipients_of_outbox() == ["transport@example.gov.vn", "vanthu@sogtvt.example.gov.vn"]
    assert first["planned"] == 3  # two e-mail rows, one portal row
    body = mail.outbox[0].body
    assert "03/12/2026" in body and "Báo cáo kết quả." in body
    assert "http://127.0.0.1:8000/directives/assignments/" in body
    notes = list(Notification.objects.filter(recipient=department_officer))
    assert len(notes) == 1 and "03/12/2026" in notes[0].message
    assert notes[0].link.startswith("/directives/assignments/")

    second = run()
    assert second["planned"] == 0 and second["notifications"] == 0
    assert len(mail.outbox) == 2
    assert Notification.objects.filter(recipient=department_officer).count() == 1
    assert ReminderRun.objects.count() == 2


def test_one_email_a_day_lists_every_due_item(run, transport):
    make_task(agency_code="so-giao-thong-van-tai", deadline=TODAY + datetime.timedelta(days=1), number="1/A")
    make_task(agency_code="so-giao-thong-van-tai", deadline=TODAY - datetime.timedelta(days=2), number="2/B")
    run()
    to_officer = [m for m in mail.outbox if m.to == ["transport@example.gov.vn"]]
    assert len(to_officer) == 1
    assert "1/A" in to_officer[0].body and "2/B" in to_officer[0].body
    assert "01/12/2026" in to_officer[0].body and "28/11/2026" in to_officer[0].body


def test_an_item_found_after_todays_digest_went_out_waits_for_tomorrow(run, transport):
    make_task(agency_code="so-giao-thong-van-tai", deadline=TODAY + datetime.timedelta(days=1), number="1/A")
    run()
    make_task(agency_code="so-giao-thong-van-tai", deadline=TODAY + datetime.timedelta(days=2), number="2/B")
    run()
    assert len([m for m in mail.outbox if m.to == ["transport@example.gov.vn"]]) == 1
    with time_machine.travel(datetime.datetime(2026, 12, 1, 7, 0, tzinfo=VN), tick=False):
        run()
    bodies = [m.body for m in mail.outbox if m.to == ["transport@example.gov.vn"]]
    assert len(bodies) == 2 and "2/B" in bodies[1]


def test_done_tasks_and_tasks_far_ahead_are_not_reminded(run, transport, department_officer):
    done = make_task(
        agency_code="so-giao-thong-van-tai", deadline=TODAY + datetime.timedelta(days=1), number="1/A"
    )
    assignment_mark_done(user=department_officer, assignment=done)
    make_task(agency_code="so-giao-thong-van-tai", deadline=TODAY + datetime.timedelta(days=8), number="2/B")
    make_task(agency_code="so-giao-thong-van-tai", deadline=None, number="3/C")
    run()
    assert mail.outbox == []


def test_escalation_to_the_head_and_the_coordination_office_after_m_days_overdue(run, transport, coordinator):
    coordinator.email = "dieuphoi@example.gov.vn"
    coordinator.save()
    office = Agency.objects.get(code="vpdp-ntm-tinh")
    office.contact_emails = "vpdp@thainguyen.example.gov.vn"
    office.save()
    deadline = datetime.date(2026, 11, 20)
    make_task(agency_code="so-giao-thong-van-tai", deadline=deadline)
    sent_on: dict[str, list[int]] = {}
    for offset in range(1, 12):
        mail.outbox = []
        moment = datetime.datetime.combine(
            deadline + datetime.timedelta(days=offset), datetime.time(7, 0), VN
        )
        with time_machine.travel(moment, tick=False):
            run()
            run()  # a second beat the same morning changes nothing
        for message in mail.outbox:
            sent_on.setdefault(message.to[0], []).append(offset)
    # Every 3 days overdue for the assignees; once, at 7 days, for the head and the office.
    assert sent_on["transport@example.gov.vn"] == [1, 4, 7, 10]
    assert sent_on["giamdoc@sogtvt.example.gov.vn"] == [7]
    assert sent_on["vpdp@thainguyen.example.gov.vn"] == [7]
    assert sent_on["dieuphoi@example.gov.vn"] == [7]
    escalation = Notification.objects.get(recipient=coordinator)
    assert "Sở GTVT" in escalation.message and "20/11/2026" in escalation.message


def test_the_policy_a_coordinator_edits_is_used(run, transport):
    policy = policy_get()
    policy.days_before, policy.on_due_day = "5", False
    policy.save()
    make_task(agency_code="so-giao-thong-van-tai", deadline=TODAY + datetime.timedelta(days=5), number="1/A")
    make_task(agency_code="so-giao-thong-van-tai", deadline=TODAY, number="2/B")
    run()
    body = next(m.body for m in mail.outbox if m.to == ["transport@example.gov.vn"])
    assert "1/A" in body and "2/B" not in body
    policy.is_active = False
    policy.save()
    mail.outbox = []
    with time_machine.travel(datetime.datetime(2026, 12, 1, 7, 0, tzinfo=VN), tick=False):
        run()
    assert mail.outbox == []


def test_a_commune_officer_is_reminded_of_its_communes_unsubmitted_assessment(
    run, commune_officer, other_commune_officer
):
    from criteria.models import Assessment, CriteriaSet, ReportingPeriod

    commune_officer.email = "xaphubinh@example.gov.vn"
    commune_officer.save()
    other_commune_officer.email = "xatancuong@example.gov.vn"
    other_commune_officer.save()
    period = ReportingPeriod.objects.create(
        code="2026-h2", name="6 tháng cuối năm 2026", kind="half_year", start=datetime.date(2026, 7, 1),
        end=datetime.date(2026, 12, 31), submission_deadline=datetime.date(2027, 1, 15), lock_date=datetime.date(2027, 2, 14),
    )  # fmt: skip
    criteria_set = CriteriaSet.objects.create(code="test", name="Bộ thử", level="standard")
    Assessment.objects.create(
        commune=other_commune_officer.agency.scope,
        period=period,
        criteria_set=criteria_set,
        status="submitted",
    )
    with time_machine.travel(datetime.datetime(2027, 1, 8, 7, 0, tzinfo=VN), tick=False):
        run()
    message = next(m for m in mail.outbox if m.to == ["xaphubinh@example.gov.vn"])
    assert (
        "UBND xã Phú Bình: 1/1 xã chưa nộp đánh giá kỳ 6 tháng cuối năm 2026; hạn nộp 15/01/2027"
        in message.body
    )
    # Tân Cương has submitted: nothing to remind it of.
    assert not [m for m in mail.outbox if m.to == ["xatancuong@example.gov.vn"]]


def test_policy_is_a_single_row():
    policy_get()
    ReminderPolicy(days_before="1").save()
    assert ReminderPolicy.objects.count() == 1
    assert ReminderPolicy.objects.get().day_list == (1,)


def test_a_district_office_is_reminded_of_unsubmitted_assessments(run, dai_tu_officer, phu_binh_officer):
    from criteria.models import Assessment, CriteriaSet, ReportingPeriod

    dai_tu_officer.email = "daitu@example.gov.vn"
    dai_tu_officer.save()
    period = ReportingPeriod.objects.create(
        code="2025-h1", name="6 tháng đầu năm 2025", kind="half_year", start=datetime.date(2025, 1, 1),
        end=datetime.date(2025, 6, 30), submission_deadline=datetime.date(2025, 7, 15), lock_date=datetime.date(2025, 8, 14),
    )  # fmt: skip
    criteria_set = CriteriaSet.objects.create(code="test", name="Bộ thử", level="standard")
    from communes.models import AdministrativeUnit

    phuc_luong = AdministrativeUnit.objects.get(name="Xã Phúc Lương")
    total = AdministrativeUnit.objects.within(phuc_luong.parent).assessed().count()
    Assessment.objects.create(
        commune=phuc_luong, period=period, criteria_set=criteria_set, status="submitted"
    )
    with time_machine.travel(datetime.datetime(2025, 7, 7, 7, 0, tzinfo=VN), tick=False):
        run()  # 8 days before: nothing yet
    assert not ReminderLedger.objects.filter(item_key__startswith="report:").exists()
    with time_machine.travel(datetime.datetime(2025, 7, 8, 7, 0, tzinfo=VN), tick=False):
        run()
        run()
    message = next(m for m in mail.outbox if m.to == ["daitu@example.gov.vn"])
    assert f"{total - 1}" in message.body and f"{total}" in message.body and "15/07/2025" in message.body
    assert "/criteria/assessments/?period=2025-h1" in message.body
    assert Notification.objects.filter(recipient=dai_tu_officer).count() == 1
    assert Notification.objects.filter(recipient=phu_binh_officer).count() == 1  # its own district


def test_coordinators_are_reminded_of_assessments_waiting_too_long(run, coordinator):
    from criteria.models import Assessment, CriteriaSet, ReportingPeriod

    period = ReportingPeriod.objects.create(
        code="2020-h1", name="6 tháng đầu năm 2020", kind="half_year", start=datetime.date(2020, 1, 1),
        end=datetime.date(2020, 6, 30), submission_deadline=datetime.date(2020, 7, 15), lock_date=datetime.date(2020, 8, 14),
    )  # fmt: skip
    criteria_set = CriteriaSet.objects.create(code="test", name="Bộ thử", level="standard")
    from communes.models import AdministrativeUnit

    commune = AdministrativeUnit.objects.get(name="Xã Phúc Lương")
    Assessment.objects.create(
        commune=commune,
        period=period,
        criteria_set=criteria_set,
        status="submitted",
        submitted_at=datetime.datetime(2026, 11, 22, 10, 0, tzinfo=VN),  # 8 days ago
    )
    run()
    run()
    notes = list(Notification.objects.filter(recipient=coordinator))
    assert len(notes) == 1 and "Xã Phúc Lương" in notes[0].message and "22/11/2026" in notes[0].message


# --- SMTP faults --------------------------------------------------------------------------


@pytest.fixture
def faulty_mail(settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.directives.mailbackends.FaultyBackend"}}
    mailbackends.REFUSE.clear()
    mailbackends.FLAKY.clear()
    yield mailbackends
    mailbackends.REFUSE.clear()
    mailbackends.FLAKY.clear()


def test_smtp_faults_lose_nothing_and_repeat_nothing(run, faulty_mail, transport, coordinator, client):
    faulty_mail.REFUSE.add("vanthu@sogtvt.example.gov.vn")
    faulty_mail.FLAKY["transport@example.gov.vn"] = 2
    make_task(agency_code="so-giao-thong-van-tai", deadline=TODAY + datetime.timedelta(days=3))
    run()
    # The connection dropped twice at the officer: retried with backoff, delivered once.
    assert recipients_of_outbox() == ["transport@example.gov.vn"]
    officer = ReminderDigest.objects.get(recipient="transport@example.gov.vn")
    assert (officer.state, officer.attempts) == (DeliveryState.SENT, 3)
    refused = ReminderDigest.objects.get(recipient="vanthu@sogtvt.example.gov.vn")
    assert refused.state == DeliveryState.REFUSED and "550" in refused.last_error
    assert set(refused.items.values_list("state", flat=True)) == {DeliveryState.REFUSED}

    run()  # the refusal is never retried, the delivered digest never resent
    assert recipients_of_outbox() == ["transport@example.gov.vn"]

    client.force_login(coordinator)
    page = client.get(reverse("directive-board")).content.decode()
    assert "vanthu@sogtvt.example.gov.vn" in page and "550" in page


def test_a_digest_failing_after_all_retries_is_sent_by_the_next_run(run, faulty_mail, transport):
    faulty_mail.FLAKY["transport@example.gov.vn"] = send_reminder_digest.max_retries + 1
    make_task(agency_code="so-giao-thong-van-tai", deadline=TODAY + datetime.timedelta(days=3))
    run()
    digest = ReminderDigest.objects.get(recipient="transport@example.gov.vn")
    assert digest.state == DeliveryState.FAILED
    assert "SMTPServerDisconnected" in digest.last_error
    with time_machine.travel(datetime.datetime(2026, 12, 1, 7, 0, tzinfo=VN), tick=False):
        run()
    digest.refresh_from_db()
    assert digest.state == DeliveryState.SENT
    assert recipients_of_outbox().count("transport@example.gov.vn") == 1


def test_a_redelivered_send_message_sends_nothing(run, transport):
    make_task(agency_code="so-giao-thong-van-tai", deadline=TODAY + datetime.timedelta(days=3))
    run()
    digest = ReminderDigest.objects.get(recipient="transport@example.gov.vn")
    assert digest_send(digest_id=digest.pk, final_attempt=False) == "skipped"
    assert send_reminder_digest.delay(digest.pk).get() == "skipped"
    assert recipients_of_outbox().count("transport@example.gov.vn") == 1


def test_a_claim_held_by_a_live_worker_is_respected_and_a_dead_ones_taken_over(transport):
    from django.utils import timezone

    make_task(agency_code="so-giao-thong-van-tai", deadline=TODAY + datetime.timedelta(days=3))
    from directives.services.reminders import reminders_plan

    reminders_plan(today=TODAY)  # on-commit sends are not run in this test
    digest = ReminderDigest.objects.get(recipient="transport@example.gov.vn")
    ReminderDigest.objects.filter(pk=digest.pk).update(
        state=DeliveryState.SENDING, claimed_until=timezone.now() + datetime.timedelta(minutes=5)
    )
    assert digest_send(digest_id=digest.pk, final_attempt=False) == "skipped"
    assert mail.outbox == []
    ReminderDigest.objects.filter(pk=digest.pk).update(
        claimed_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert digest_send(digest_id=digest.pk, final_attempt=False) == "sent"
    assert recipients_of_outbox() == ["transport@example.gov.vn"]


def test_the_beat_runs_the_job_every_day_at_seven_in_thai_nguyen():
    from celery.schedules import crontab

    from ntm_portal.celery import app

    entry = app.conf.beat_schedule["directives-daily-reminders"]
    assert entry["task"] == "directives.tasks.run_daily_reminders"
    assert entry["schedule"] == crontab(hour=7, minute=0)
    assert app.conf.timezone == "Asia/Ho_Chi_Minh"
    # Last run yesterday at 07:00 local: not due at 06:59 today, due at 07:00 (00:00 UTC).
    schedule = crontab(hour=7, minute=0, app=app)
    last = datetime.datetime(2026, 11, 29, 7, 0, tzinfo=VN)
    with time_machine.travel(datetime.datetime(2026, 11, 30, 6, 59, tzinfo=VN), tick=False):
        due, seconds = schedule.is_due(last)
        assert (due, round(seconds)) == (False, 60)
    with time_machine.travel(datetime.datetime(2026, 11, 30, 7, 0, 1, tzinfo=VN), tick=False):
        assert schedule.is_due(last)[0] is True


@pytest.mark.parametrize(
    ("error", "permanent"),
    [
        (smtplib.SMTPRecipientsRefused({"a@x.vn": (550, b"5.1.1 unknown")}), True),
        (smtplib.SMTPRecipientsRefused({"a@x.vn": (450, b"4.2.1 try later")}), False),
        (smtplib.SMTPDataError(554, b"5.7.1 rejected"), True),
        (smtplib.SMTPDataError(451, b"4.3.0 local error"), False),
        (smtplib.SMTPServerDisconnected("Connection unexpectedly closed"), False),
        (TimeoutError("timed out"), False),
        (ConnectionRefusedError(111, "Connection refused"), False),
        (
            smtplib.SMTPSenderRefused(550, b"sender", "ntm@localhost"),
            False,
        ),  # our configuration, not the address
    ],
)
def test_smtp_errors_are_permanent_only_for_5xx_replies_about_the_recipient(error, permanent):
    from directives.services.digests import _classify

    assert _classify(error)[0] is permanent
