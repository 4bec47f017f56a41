"""Shared test set-up: the real Thái Nguyên units and agencies are loaded once per test
database; a few named personas, one per role, plus an outsider from another district.

Tests that need something a bare machine may lack (Chromium, PostgreSQL, Redis) call
:func:`require`, which skips with the reason printed, or fails when NTM_REQUIRE_ALL=1
(as .ci/run sets it), so CI can never pass with such a test skipped.
"""

import datetime
import os
import shutil
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from accounts.models import Agency, User
from accounts.roles import Role
from communes.models import AdministrativeUnit

VN = ZoneInfo("Asia/Ho_Chi_Minh")
# 09:00 on 30/11/2026 in Thái Nguyên: a working day after the 2025 reform.
NOW = datetime.datetime(2026, 11, 30, 9, 0, tzinfo=VN)
# 09:00 on 01/03/2025: the pre-reform structure (districts) is in force.
BEFORE_REFORM = datetime.datetime(2025, 3, 1, 9, 0, tzinfo=VN)
REQUIRE_ALL = os.environ.get("NTM_REQUIRE_ALL") == "1"


def require(available: bool, reason: str) -> None:
    """Skip the calling test with ``reason`` unless ``available`` (see the hook below)."""
    if not available:
        pytest.skip(reason)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    # Under NTM_REQUIRE_ALL=1 (set by .ci/run) every skip is a failure, whoever raised it,
    # so a missing browser or service can never pass CI behind a skip.
    report = yield
    if REQUIRE_ALL and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"NTM_REQUIRE_ALL=1 forbids skips; this test was skipped: {report.longrepr}"
    return report


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_admin_units", province="19", verbosity=0)
        call_command("load_missing", "agencies_thai_nguyen", verbosity=0)


@pytest.fixture(autouse=True)
def frozen_time(request):
    """Every test runs at :data:`NOW` unless it travels elsewhere itself. Browser tests
    start at the same instant but let the clock move: a browser waits for real."""
    import time_machine

    ticking = request.node.get_closest_marker("browser") is not None
    with time_machine.travel(NOW, tick=ticking) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: no API throttle count carried over."""
    from django.core.cache import cache

    cache.clear()
    yield


def pytest_collection_modifyitems(config, items):
    # Browser tests use a live server, so their database is emptied after each of them:
    # run them last, after every test that relies on the session's loaded units.
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


def unit(code: str, *, current: bool = False) -> AdministrativeUnit:
    """A unit by GSO code: the pre-reform one (closed 30/06/2025) unless ``current``."""
    return AdministrativeUnit.objects.get(
        code=code, valid_until=None if current else datetime.date(2025, 6, 30)
    )


def make_user(username: str, role: Role, agency_code: str, **extra) -> User:
    user = User.objects.create_user(
        username=username, password="x", agency=Agency.objects.get(code=agency_code), **extra
    )
    user.groups.add(Group.objects.get(name=role.value))
    return user


@pytest.fixture
def coordinator(db):
    return make_user("coordinator", Role.COORDINATOR, "vpdp-ntm-tinh", is_staff=True)


@pytest.fixture
def dai_tu_officer(db):
    """A district officer of Huyện Đại Từ (GSO 171)."""
    return make_user("daitu_officer", Role.DISTRICT_OFFICER, "vpdp-ntm-huyen-dai-tu")


@pytest.fixture
def phu_binh_officer(db):
    """The outsider: a district officer of Huyện Phú Bình (GSO 173)."""
    return make_user("phubinh_officer", Role.DISTRICT_OFFICER, "vpdp-ntm-huyen-phu-binh")


def commune_officer_of(username: str, gso_code: str) -> User:
    """A commune officer of the commune in force with ``gso_code``, member of its People's
    Committee (created as ``load_commune_agencies`` does if the test has not yet)."""
    from accounts.services import commune_agencies_ensure, commune_agency_code

    commune_agencies_ensure(units=AdministrativeUnit.objects.filter(code=gso_code, valid_until=None))
    return make_user(username, Role.COMMUNE_OFFICER, commune_agency_code(gso_code))


@pytest.fixture
def commune_officer(db):
    """A commune officer of the new Xã Phú Bình (GSO 05908, in force since 01/07/2025)."""
    return commune_officer_of("xaphubinh_officer", "05908")


@pytest.fixture
def other_commune_officer(db):
    """The outsider among communes: a commune officer of the new Xã Tân Cương (GSO 05503)."""
    return commune_officer_of("xatancuong_officer", "05503")


@pytest.fixture
def department_officer(db):
    return make_user("transport_officer", Role.DEPARTMENT_OFFICER, "so-giao-thong-van-tai")


@pytest.fixture
def leader(db):
    return make_user("leader", Role.LEADER, "ubnd-tinh")


@pytest.fixture
def api_client_user(db):
    return make_user("api_system", Role.API_CLIENT, "trung-tam-thong-tin-tinh")


@pytest.fixture
def chromium_path():
    path = shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)
    require(path is not None, "Debian's chromium is not installed (apt-get install chromium)")
    return path
