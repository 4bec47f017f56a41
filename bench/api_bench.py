"""Benchmark of the REST API's lists (issue 13): assessments and assignments served by
the portal under gunicorn, against a bare DRF view over the same rows in the same run
(a ListAPIView with a ModelSerializer of every column, DRF's paging, no authentication,
scope, filters or throttle: bench/api_bench_urls.py). The aim: the portal's list gives at
least 50 % of the bare view's throughput.

Run by hand, not in CI (needs gunicorn, from requirements.txt, and wrk: apt-get install wrk):

    .venv/bin/python bench/api_bench.py                 # a throwaway SQLite file
    BENCH_DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/ntm_bench .venv/bin/python bench/api_bench.py

It makes the database anew (PostgreSQL: drops and creates ``ntm_bench``), loads Thái
Nguyên's units and agencies, the national criteria sets and periods, then
``ASSESSMENTS`` assessments (every commune × the periods, round robin) and a directive
of ``TASKS`` tasks given to ``AGENCIES_PER_TASK`` agencies each; issues a read-write
token to the provincial coordination office; serves it with gunicorn (``WORKERS`` sync
workers, production settings: DEBUG off) and runs wrk (``CONNECTIONS`` connections,
``SECONDS`` s, one warm-up run first) on each URL, page size 50, page 3: the portal's
list in its default order (the pages' order: period, district, commune) and ordered by
id as the bare view is. Prints requests/s and the portal's share of the bare view's.
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
ASSESSMENTS = 3000
TASKS = 250
AGENCIES_PER_TASK = 8
WORKERS = 2
CONNECTIONS = 8
SECONDS = 10
PAGE = "?page_size=50&page=3"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _environment(database_url: str) -> dict:
    return os.environ | {
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "bench.api_bench_settings",
        "DEBUG": "False",
        "SECRET_KEY": "bench-" + "x" * 60,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "False",
        "DEMO_DATA": "False",
        "PYTHONPATH": str(ROOT),
    }


def _manage(env: dict, *arguments: str) -> None:
    subprocess.run([PYTHON, "manage.py", *arguments, "--verbosity", "0"], cwd=ROOT, env=env, check=True)


def _database() -> tuple[str, callable]:
    """The bench database's URL (made empty) and how to drop it afterwards."""
    url = os.environ.get("BENCH_DATABASE_URL")
    if url:
        name = url.rsplit("/", 1)[1]
        admin = url.rsplit("/", 1)[0] + "/postgres"
        for statement in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
            subprocess.run(["psql", admin, "-qc", statement], check=True)
        return url, lambda: subprocess.run(
            ["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {name}"], check=False
        )
    folder = tempfile.mkdtemp(prefix="ntm-api-bench-")
    return f"sqlite:///{folder}/bench.sqlite3", lambda: shutil.rmtree(folder, ignore_errors=True)


SEED = f"""
import datetime, itertools
from django.utils import timezone
from accounts.models import Agency, User
from accounts.services import api_token_issue
from communes.models import AdministrativeUnit, UnitLevel
from criteria.models import Assessment, CriteriaSet, ReportingPeriod
from directives.models import Assignment, Directive, Task

communes = list(AdministrativeUnit.objects.filter(level=UnitLevel.COMMUNE).order_by("pk"))
periods = list(ReportingPeriod.objects.order_by("pk"))
criteria_set = CriteriaSet.objects.order_by("pk").first()
pairs = itertools.islice(((c, p) for p in periods for c in communes), {ASSESSMENTS})
Assessment.objects.bulk_create(
    Assessment(commune=c, period=p, criteria_set=criteria_set, criteria_total=19, criteria_met=(c.pk * 7) % 20)
    for c, p in pairs
)
directive = Directive.objects.create(number="1/TB-BENCH", kind="notice", issuer="UBND tỉnh",
    issued_on=datetime.date(2026, 10, 1), title="Bench")
tasks = Task.objects.bulk_create(
    Task(directive=directive, position=i, text=f"Nhiệm vụ {{i}}", deadline=datetime.date(2026, 12, 1 + i % 28) if i % 5 else None)
    for i in range({TASKS})
)
agencies = list(Agency.objects.assignable().order_by("pk")[:{AGENCIES_PER_TASK}])
Assignment.objects.bulk_create(
    Assignment(task=t, agency=a, role="lead" if j == 0 else "cooperating", deadline=t.deadline)
    for t in tasks for j, a in enumerate(agencies)
)
coordinator = User.objects.create_user("bench", agency=Agency.objects.get(code="vpdp-ntm-tinh"), is_superuser=True)
issued = api_token_issue(user=coordinator, agency=Agency.objects.get(code="vpdp-ntm-tinh"), name="bench",
    access="read_write", expires_on=timezone.localdate() + datetime.timedelta(days=30))
from django.db import connection
if connection.vendor == "postgresql":
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # what autovacuum does on a live server
print(issued.key, Assessment.objects.count(), Assignment.objects.count())
"""


def _wrk(url: str, headers: dict) -> float:
    """Requests per second wrk reached on ``url`` (after a warm-up run)."""
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    subprocess.run([*command[:3], "-d2s", *command[5:], url], check=True, capture_output=True)
    output = subprocess.run([*command, url], check=True, capture_output=True, text=True).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if errors:
        raise SystemExit(f"{url}: {errors.group(1)} answers were not 2xx\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def main():
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk")
    url, drop = _database()
    env = _environment(url)
    server = None
    try:
        _manage(env, "migrate", "--no-input")
        _manage(env, "load_admin_units", "--province", "19")
        _manage(env, "load_missing", "agencies_thai_nguyen", "criteria_sets_national", "agencies_2025")
        _manage(env, "create_periods", "--year", "2025", "--year", "2026")
        _manage(env, "load_commune_agencies")
        seeded = subprocess.run(
            [PYTHON, "manage.py", "shell", "-c", SEED],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
        key, assessments, assignments = seeded[-3:]
        print(f"rows: {assessments} assessments, {assignments} assignments; page size 50, page 3")
        port = _free_port()
        server = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "ntm_portal.wsgi",
                "-w",
                str(WORKERS),
                "-b",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            if server.poll() is not None:
                raise SystemExit("gunicorn did not start")
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        auth = {"Authorization": f"Bearer {key}"}
        print(f"{'list':<34} {'portal req/s':>13} {'bare req/s':>11} {'share':>7}")
        for name in ("assessments", "assignments"):
            bare = _wrk(f"{base}/bench/bare/{name}/{PAGE}", {})
            for label, query in (("default order", ""), ("ordering=id", "&ordering=id")):
                portal = _wrk(f"{base}/api/v1/{name}/{PAGE}{query}", auth)
                print(f"{name + ', ' + label:<34} {portal:>13.1f} {bare:>11.1f} {portal / bare:>7.0%}")
    finally:
        if server is not None:
            server.terminate()
            server.wait()
        drop()


if __name__ == "__main__":
    main()
