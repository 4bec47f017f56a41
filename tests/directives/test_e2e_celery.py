"""End to end: two real Celery beats fire the daily reminder job at the same minute, and a
real Celery worker (prefork, two processes) against the real Redis runs it twice at once,
against the PostgreSQL test database; a real SMTP server on loopback (aiosmtpd) receives the digests. It refuses
one recipient for good (550 at RCPT) and drops the connection once, during DATA, at
another. No digest is lost, none is delivered twice, the refusal is recorded, and a
third run later that day sends nothing.

Needs DATABASE_URL=postgres://… and CELERY_BROKER_URL=redis://… (CI sets both; without
them the test is skipped, which NTM_REQUIRE_ALL=1 turns into a failure). The worker is
started with the portal's own settings (not the test settings, which run Celery in
process) and DATABASE_URL pointing at pytest-django's test database (test_<name>), so
the data this test commits is what the worker reads.
"""

import datetime
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection

from accounts.models import Agency, Notification
from accounts.roles import Role
from directives.models import DeliveryState, ReminderDigest, ReminderLedger, ReminderRun
from tests.conftest import make_user, require

from .conftest import make_task

ROOT = Path(__file__).resolve().parents[2]
VN = ZoneInfo("Asia/Ho_Chi_Minh")

ACCEPTED = "transport.officer@example.gov.vn"
REFUSED = "unknown.mailbox@sogtvt.example.gov.vn"
FLAKY = "health.officer@example.gov.vn"
HEALTH_DESK = "vanthu@soyte.example.gov.vn"


def _services_available() -> None:
    require(
        os.environ.get("DATABASE_URL", "").startswith("postgres"),
        "DATABASE_URL does not point at PostgreSQL (the worker must share the test database)",
    )
    require(os.environ.get("CELERY_BROKER_URL", "").startswith("redis://"), "CELERY_BROKER_URL is not Redis")


@pytest.fixture
def reload_after_flush(django_db_setup, django_db_blocker):
    """Set up before ``transactional_db`` so that it is torn down after its flush, which
    empties every table: the session's units and agencies, which the tests after this
    one rely on, are loaded again."""
    yield
    with django_db_blocker.unblock():
        call_command("load_admin_units", province="19", verbosity=0)
        call_command("load_missing", "agencies_thai_nguyen", verbosity=0)


@pytest.fixture
def committed_db(reload_after_flush, transactional_db):
    """Committed data (``transactional_db``), so the worker process sees it."""
    _services_available()


class FaultySMTPHandler:
    """Refuses REFUSED at RCPT with 550; closes the connection the first time a message
    for FLAKY reaches DATA; accepts the rest. ``delivered`` holds (recipient, message)."""

    def __init__(self):
        self.delivered: list[tuple[str, bytes]] = []
        self.dropped: list[str] = []
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == REFUSED:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if FLAKY in envelope.rcpt_tos and FLAKY not in self.dropped:
                self.dropped.append(FLAKY)
                server.transport.abort()  # the message is never accepted
                return "421 4.4.2 Connection dropped"
            for address in envelope.rcpt_tos:
                self.delivered.append((address, envelope.content))
        return "250 2.0.0 Message accepted for delivery"

    def count(self, address: str) -> int:
        with self.lock:
            return sum(1 for rcpt, _ in self.delivered if rcpt == address)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller

    handler = FaultySMTPHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield handler, controller.port
    controller.stop()


def _worker_database_url() -> str:
    settings = connection.settings_dict
    user = quote(settings.get("USER") or "", safe="")
    password = quote(settings.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    return f"postgres://{credentials}{settings.get('HOST') or '127.0.0.1'}:{settings.get('PORT') or 5432}/{settings['NAME']}"


def _celery_env(smtp_port: int, **extra) -> dict:
    """The portal's own settings (not the test settings, which run Celery in process), the
    test database, the loopback SMTP server."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ntm_portal.settings",
        "DATABASE_URL": _worker_database_url(),
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "EMAIL_TIMEOUT": "5",
        "REMINDER_RETRY_BASE_SECONDS": "1",
        "PORTAL_URL": "http://portal.test",
        "DEBUG": "True",
        **extra,
    }


def _start(arguments: list[str], env: dict, log_path: Path) -> subprocess.Popen:
    log = log_path.open("w")
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "celery", "-A", "ntm_portal", *arguments],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    process.log_path, process.log = log_path, log
    return process


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    process.log.close()


@pytest.fixture
def celery_worker(committed_db, smtp_server, tmp_path):
    """``celery -A ntm_portal worker`` with two processes, on the real broker, the test
    database and the loopback SMTP server; stopped (warm shutdown) afterwards."""
    from ntm_portal.celery import app

    _handler, port = smtp_server
    app.control.purge()  # nothing left over from an earlier run
    worker = _start(
        [
            "worker",
            "--pool=prefork",
            "--concurrency=2",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-n",
            f"e2e-{uuid.uuid4().hex[:8]}@%h",
        ],
        _celery_env(port),
        tmp_path / "worker.log",
    )
    yield worker
    _stop(worker)
    connection.close()


@pytest.fixture
def two_beats(celery_worker, smtp_server, tmp_path):
    """Two ``celery beat`` processes at once, each with its own schedule file, whose daily
    reminder time (REMINDER_TIME) is the next whole minute in Thái Nguyên at least 25
    seconds away: both fire the job at that minute. Yields the minute (aware datetime)."""
    now = time_machine.escape_hatch.datetime.datetime.now(tz=VN)
    minute = (now + datetime.timedelta(seconds=25)).replace(second=0, microsecond=0) + datetime.timedelta(
        minutes=1
    )
    env = _celery_env(smtp_server[1], REMINDER_TIME=f"{minute:%H:%M}")
    beats = [
        _start(
            ["beat", "--loglevel=INFO", "--max-interval=2", "-s", str(tmp_path / f"schedule-{number}")],
            env,
            tmp_path / f"beat-{number}.log",
        )
        for number in (1, 2)
    ]
    yield minute
    for beat in beats:
        _stop(beat)


def _wait_for(condition, worker, what: str, seconds: int = 90) -> None:
    """Poll ``condition`` every half second (the real clock: this process's is frozen)."""
    for _ in range(seconds * 2):
        if condition():
            return
        if worker.poll() is not None:
            break
        time.sleep(0.5)
    log = worker.log_path.read_text(errors="replace")[-6000:]
    pytest.fail(f"Timed out waiting for {what}. Worker log:\n{log}")


def _digests_settled() -> bool:
    return (
        ReminderDigest.objects.exists()
        and not ReminderDigest.objects.exclude(state__in=[DeliveryState.SENT, DeliveryState.REFUSED]).exists()
    )


# send_task() always goes to the broker; the warning says the test settings' eager mode does not apply.
@pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored")
def test_a_real_worker_sends_each_digest_exactly_once_through_smtp_faults(
    celery_worker, smtp_server, two_beats
):
    from ntm_portal.celery import app

    handler, _port = smtp_server
    # The worker runs on the real clock: deadlines are set from the real date in Thái Nguyên.
    today = time_machine.escape_hatch.datetime.datetime.now(tz=VN).date()
    transport = Agency.objects.get(code="so-giao-thong-van-tai")
    transport.contact_emails = REFUSED
    transport.save()
    health = Agency.objects.get(code="so-y-te")
    health.contact_emails = HEALTH_DESK
    health.save()
    officer = make_user("e2e_transport", Role.DEPARTMENT_OFFICER, "so-giao-thong-van-tai", email=ACCEPTED)
    health_officer = make_user("e2e_health", Role.DEPARTMENT_OFFICER, "so-y-te", email=FLAKY)
    make_task(
        agency_code="so-giao-thong-van-tai", deadline=today + datetime.timedelta(days=3), number="1/E2E"
    )
    make_task(agency_code="so-y-te", deadline=today + datetime.timedelta(days=1), number="2/E2E")

    # Two beats at once: each sends the job at the reminder minute, and the two worker
    # processes run it together.
    wait = (two_beats - time_machine.escape_hatch.datetime.datetime.now(tz=VN)).total_seconds()
    _wait_for(
        lambda: ReminderRun.objects.filter(finished_at__isnull=False).count() == 2,
        celery_worker,
        "two runs, one from each beat",
        seconds=int(wait) + 90,
    )
    _wait_for(_digests_settled, celery_worker, "every digest sent or refused")

    assert handler.count(ACCEPTED) == 1
    assert handler.count(HEALTH_DESK) == 1
    assert handler.count(FLAKY) == 1  # dropped once, retried with backoff, delivered once
    assert handler.count(REFUSED) == 0 and handler.dropped == [FLAKY]
    refused = ReminderDigest.objects.get(recipient=REFUSED)
    assert refused.state == DeliveryState.REFUSED and "550" in refused.last_error
    flaky = ReminderDigest.objects.get(recipient=FLAKY)
    assert (flaky.state, flaky.attempts) == (DeliveryState.SENT, 2)
    # The runs may fall just after midnight in Thái Nguyên (17:00 UTC) while ``today`` was read before it.
    assert ReminderDigest.objects.filter(day__gte=today).count() == 4
    body = _body(next(content for rcpt, content in handler.delivered if rcpt == ACCEPTED))
    assert "1/E2E" in body and "http://portal.test/directives/assignments/" in body
    assert Notification.objects.filter(recipient=officer).count() == 1
    assert Notification.objects.filter(recipient=health_officer).count() == 1
    assert ReminderLedger.objects.count() == 6  # 4 e-mail rows, 2 portal rows

    # A third run the same day (a redelivered message, a restarted beat) sends nothing new.
    app.send_task("directives.tasks.run_daily_reminders")
    _wait_for(
        lambda: ReminderRun.objects.filter(finished_at__isnull=False).count() == 3, celery_worker, "third run"
    )
    time.sleep(3)  # room for any (wrongly) queued send to happen
    assert [handler.count(a) for a in (ACCEPTED, HEALTH_DESK, FLAKY, REFUSED)] == [1, 1, 1, 0]
    assert ReminderLedger.objects.count() == 6
    assert Notification.objects.filter(recipient__in=[officer, health_officer]).count() == 2


def _body(raw: bytes) -> str:
    """The text of a message as the SMTP server received it (base64 or not)."""
    import email
    from email import policy

    return email.message_from_bytes(raw, policy=policy.default).get_content()
