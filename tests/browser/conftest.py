"""Fixtures of the browser tests: a headless Chromium page (Debian's package, driven by
Playwright) that records console errors, and the session's reference data reloaded for
transactional tests."""

import datetime
from decimal import Decimal

import pytest

from accounts.models import User
from accounts.services import demo_users_ensure
from communes.models import AdministrativeUnit
from criteria.models import CriteriaSet, Criterion, Indicator, ReportingPeriod
from criteria.services.assessments import assessment_create


@pytest.fixture
def page(chromium_path, monkeypatch):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread while the test uses the ORM.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        context = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900})
        page = context.new_page()
        errors = []
        page.on(
            "console",
            lambda message: (
                message.type == "error" and errors.append(f"{message.text} at {message.location}")
            ),
        )
        page.console_errors = errors
        yield page
        browser.close()


@pytest.fixture
def loaded_db(django_db_setup, django_db_blocker):
    # A transactional test empties the tables afterwards; reload what the session loaded.
    from django.core.management import call_command

    call_command("load_admin_units", province="19", verbosity=0)
    call_command("load_missing", "agencies_thai_nguyen", verbosity=0)
    demo_users_ensure()


@pytest.fixture
def draft(loaded_db):
    """A draft assessment of Xã Phú Bình (after the reform) by the demo coordinator, under a
    two-indicator set (15.1 percent >= 85, 15.2 Đạt / Không đạt), period 2026-H2."""
    cs = CriteriaSet.objects.create(code="browser-set", name="Bộ tiêu chí thử", level="standard")
    criterion = Criterion.objects.create(criteria_set=cs, number=15, name="Y tế")
    Indicator.objects.create(
        criterion=criterion, code="15.1", name="Tỷ lệ người dân tham gia bảo hiểm y tế", measure_type="percent",
        comparison=">=", target=Decimal("85"), verification="confirmed",
    )  # fmt: skip
    Indicator.objects.create(
        criterion=criterion, code="15.2", name="Xã đạt tiêu chí quốc gia về y tế", measure_type="boolean",
        comparison="achieved", verification="confirmed",
    )  # fmt: skip
    period = ReportingPeriod.objects.create(
        code="2026-h2", name="6 tháng cuối năm 2026", kind="half_year", start=datetime.date(2026, 7, 1),
        end=datetime.date(2026, 12, 31), submission_deadline=datetime.date(2027, 1, 15), lock_date=datetime.date(2027, 2, 14),
    )  # fmt: skip
    commune = AdministrativeUnit.objects.get(name="Xã Phú Bình", valid_until=None)
    return assessment_create(
        user=User.objects.get(username="dieuphoi"), commune=commune, period=period, criteria_set=cs
    )
