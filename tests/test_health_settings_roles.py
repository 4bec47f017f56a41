"""Health endpoint, production settings, roles and demo users."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from accounts.roles import ROLE_PERMISSIONS, Role
from tests.conftest import require

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_healthz_reports_database_and_in_process_broker(client):
    with override_settings(CELERY_BROKER_URL="", CELERY_TASK_ALWAYS_EAGER=True):
        response = client.get("/healthz")
    assert response.status_code == 200
    data = response.json()
    assert (data["status"], data["database"], data["broker"]) == ("ok", "ok", "eager")


@pytest.mark.django_db
def test_healthz_reports_an_unreachable_broker_as_degraded(client):
    with override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0"):
        data = client.get("/healthz").json()
    assert data["status"] == "degraded"
    assert data["broker"].startswith("error")


@pytest.mark.django_db
def test_healthz_reports_a_real_redis_broker_as_ok(client):
    url = os.environ.get("CELERY_BROKER_URL", "")
    require(url.startswith("redis://"), "CELERY_BROKER_URL does not point at a Redis server")
    data = client.get("/healthz").json()
    assert data["broker"] == "ok", data


@pytest.mark.django_db
def test_the_suite_runs_on_postgresql_when_database_url_says_so():
    from django.db import connection

    url = os.environ.get("DATABASE_URL", "")
    require(url.startswith("postgres"), "DATABASE_URL does not point at PostgreSQL")
    assert connection.vendor == "postgresql"


def _django(env_extra, *args):
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update({"DJANGO_SETTINGS_MODULE": "ntm_portal.settings", **env_extra})
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_mode_refuses_to_start_without_a_secret_key():
    result = _django({"DEBUG": "False", "ALLOWED_HOSTS": "ntm.example.vn"}, "check")
    assert result.returncode != 0
    assert "needs SECRET_KEY" in result.stderr


def test_production_mode_refuses_to_start_without_allowed_hosts():
    result = _django({"DEBUG": "False", "SECRET_KEY": "k" * 60}, "check")
    assert result.returncode != 0
    assert "needs ALLOWED_HOSTS" in result.stderr


_SMTP_TIMEOUT = "from django.core.mail import get_connection; print(get_connection().timeout)"


def test_an_smtp_connection_gives_up_after_20_seconds_unless_told_otherwise():
    # A stalled mail server must not hold the reminder job (and its worker) for ever.
    smtp = {"EMAIL_URL": "smtp://mail.example.vn:25"}
    default = _django(smtp, "shell", "--no-imports", "-c", _SMTP_TIMEOUT)
    assert default.stdout.strip() == "20", default.stderr
    chosen = _django({**smtp, "EMAIL_TIMEOUT": "5"}, "shell", "--no-imports", "-c", _SMTP_TIMEOUT)
    assert chosen.stdout.strip() == "5", chosen.stderr


def test_a_reminder_time_that_is_not_hh_mm_stops_the_portal():
    result = _django({"REMINDER_TIME": "7h"}, "check")
    assert result.returncode != 0
    assert "REMINDER_TIME must be HH:MM (24-hour clock), not '7h'." in result.stderr


def test_check_deploy_reports_nothing_in_production_mode():
    result = _django(
        {
            "DEBUG": "False",
            "SECRET_KEY": "production-key-" + "x7Q!" * 12,
            "ALLOWED_HOSTS": "ntm.example.vn",
            "EMAIL_URL": "smtp+tls://ntm:secret@mail.example.vn:587",
        },
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_every_role_is_a_group_holding_exactly_its_listed_permissions():
    for role in Role:
        group = Group.objects.get(name=role.value)
        held = {
            f"{p.content_type.app_label}.{p.codename}"
            for p in group.permissions.select_related("content_type")
        }
        assert held == set(ROLE_PERMISSIONS[role]), role


@pytest.mark.django_db
def test_every_listed_permission_exists():
    names = {
        f"{p.content_type.app_label}.{p.codename}" for p in Permission.objects.select_related("content_type")
    }
    missing = {name for names_ in ROLE_PERMISSIONS.values() for name in names_} - names
    assert missing == set()


@pytest.mark.django_db
def test_demo_users_are_created_once_per_role():
    out = io.StringIO()
    call_command("create_demo_users", stdout=out)
    call_command("create_demo_users", stdout=out)
    from accounts.models import User

    assert (
        User.objects.filter(username__in=["dieuphoi", "daitu", "sogtvt", "lanhdao", "apiclient"]).count() == 5
    )
    assert out.getvalue().count("(created)") == 9
    assert out.getvalue().count("(already there)") == 9
    assert User.objects.get(username="daitu").check_password("Demo@2026")


@pytest.mark.django_db
def test_demo_users_are_never_created_in_production():
    with override_settings(DEMO_DATA=False), pytest.raises(CommandError, match="never created"):
        call_command("create_demo_users")


@pytest.mark.django_db
def test_load_missing_leaves_a_coordinators_edit_of_an_agency_alone():
    from accounts.models import Agency

    office = Agency.objects.get(code="vpdp-ntm-huyen-dai-tu")
    office.ntm_staff_required, office.ntm_staff_actual = 3, 1
    office.save()
    out = io.StringIO()
    call_command("load_missing", "agencies_thai_nguyen", stdout=out)
    office.refresh_from_db()
    assert (office.ntm_staff_required, office.ntm_staff_actual, office.staff_shortfall) == (3, 1, 2)
    assert "0 object(s) added, 53 already present" in out.getvalue()


@pytest.mark.django_db
def test_agency_fixture_has_the_notices_agencies():
    from accounts.models import Agency

    kinds = {
        kind: Agency.objects.filter(kind=kind).count()
        for kind in ["department", "district_committee", "coordination_office"]
    }
    assert kinds == {"department": 17, "district_committee": 9, "coordination_office": 10}
    assert Agency.objects.get(code="ubnd-huyen-dai-tu").scope.code == "171"
    assert Agency.objects.get(code="vpdp-ntm-tinh").scope.code == "19"


def test_collectstatic_works_in_production_mode(tmp_path):
    # The Dockerfile runs it; a missing file referenced by a vendored asset breaks the build.
    result = _django(
        {
            "DEBUG": "False",
            "SECRET_KEY": "build-" + "k3y!" * 14,
            "ALLOWED_HOSTS": "x",
            "STATIC_ROOT": str(tmp_path),
        },
        "collectstatic",
        "--no-input",
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "staticfiles.json").exists()
    assert any(tmp_path.glob("img/favicon.*.svg"))


@pytest.mark.django_db
def test_the_coordinator_keeps_the_catalogue_and_the_reporting_calendar_in_the_admin(client, coordinator):
    from criteria.models import ReportingPeriod

    period = ReportingPeriod.objects.create(
        code="2026-h2", name="6 tháng cuối năm 2026", kind="half_year", start="2026-07-01", end="2026-12-31",
        submission_deadline="2027-01-15", lock_date="2027-02-14",
    )  # fmt: skip
    client.force_login(coordinator)
    index = client.get("/admin/").content.decode()
    for section in ["Bộ tiêu chí", "Tiêu chí", "Kỳ báo cáo", "Công nhận"]:
        assert section in index
    assert client.get(f"/admin/criteria/reportingperiod/{period.pk}/change/").status_code == 200
    response = client.post(
        f"/admin/criteria/reportingperiod/{period.pk}/change/",
        {
            "code": "2026-h2", "name": "6 tháng cuối năm 2026", "kind": "half_year", "start": "01/07/2026",
            "end": "31/12/2026", "submission_deadline": "20/01/2027", "lock_date": "28/02/2027",
        },
    )  # fmt: skip
    assert response.status_code == 302
    period.refresh_from_db()
    assert str(period.lock_date) == "2027-02-28"
    assert period.history.latest().history_user == coordinator


@pytest.mark.parametrize(
    "persona", ["coordinator", "dai_tu_officer", "department_officer", "leader", "api_client_user"]
)
def test_the_menus_role_permissions_agree_with_djangos_permissions(request, persona):
    from accounts.roles import ROLE_PERMISSIONS, role_grants

    user = request.getfixturevalue(persona)
    every = sorted({permission for permissions in ROLE_PERMISSIONS.values() for permission in permissions})
    assert {p for p in every if role_grants(user, p)} == {p for p in every if user.has_perm(p)}


def test_role_permissions_are_answered_from_the_role_table_in_one_query(
    dai_tu_officer, django_assert_num_queries
):
    """accounts.backends.RoleBackend: the user's groups, nothing more; what the table does
    not hold (a permission given to one user in the admin) still counts."""
    from django.contrib.auth.models import Permission

    from accounts.models import User

    officer = User.objects.get(pk=dai_tu_officer.pk)
    with django_assert_num_queries(1):
        assert officer.has_perm("directives.add_progressreport")
        assert officer.has_perm("funding.add_cementuse")
    assert not officer.has_perm("directives.add_directive")
    officer.user_permissions.add(Permission.objects.get(codename="add_directive"))
    assert User.objects.get(pk=officer.pk).has_perm("directives.add_directive")
    officer.is_active = False
    assert not officer.has_perm("directives.add_progressreport")
