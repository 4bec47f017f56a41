"""Benchmark of the leadership dashboard at national scale (issue 14, point 6): the
dashboard for the whole country and for one province, the province overview and the
assessment list, against hand-written SQL computing the same criteria figures in the
same run. The aim: a fixed number of queries, and the dashboard within 2x the raw SQL.

Run by hand, not in CI, on PostgreSQL only (an in-process Django test client, production
settings with DEBUG off: bench/dashboard_bench_settings.py):

    .venv/bin/python bench/dashboard_bench.py                  # postgres://postgres:postgres@127.0.0.1:5432/ntm_bench
    BENCH_DATABASE_URL=postgres://user:pass@host:5432/ntm_bench .venv/bin/python bench/dashboard_bench.py
    .venv/bin/python bench/dashboard_bench.py --keep           # reuse a loaded ntm_bench and keep it afterwards
    .venv/bin/python bench/dashboard_bench.py --keep --profile # and cProfile the national dashboard once

It makes the database anew (drops and creates it; with ``--keep`` it reuses one already
loaded and leaves it), loads Thái Nguyên as ``make run`` does (its units with the 2025
reform and lineage, agencies, the national criteria sets), then ``manage.py
load_national_dataset`` (the illustrative national dataset: all 10,794 pre-2025 units,
an approved assessment of each of the 7,695 xã in six half years of 2018-2020 under
qd-1980-2016, recognitions), runs ANALYZE (what autovacuum does on a live server) and
logs in a superuser.

For each page it prints the median wall time of ``RUNS`` requests (after one warm-up), the
number of queries and their total database time in one more request
(CaptureQueriesContext), and the ratio to the raw SQL: the statements of ``RAW_SQL`` for
the same period, set and scope, run with a cursor, median of ``RUNS``. The raw SQL
computes the criteria figures the dashboard shows: approved assessments, communes
meeting the standard, criteria met in total (the average), under 10 and under 15, the
distribution by criteria met, the same per district, per-criterion met counts,
recognitions by level (and standard ones per district), the xã the period covers, and
the trend over periods. The dashboard also shows cement, funds, directive tasks and
staffing, which the bench database holds none of.
"""

import argparse
import cProfile
import os
import pstats
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres:postgres@127.0.0.1:5432/ntm_bench"
RUNS = 7
PERIOD = "2020-h2"
SET = "qd-1980-2016"
# Pre-2025 GSO codes of the provinces measured alone: Hà Nội (345 xã) and Thái Nguyên
# (121 xã, the demo's province).
PROVINCES = ("01", "19")

# The scope of a statement: every xã (the country), or those under one province.
SCOPE_JOIN = "LEFT JOIN communes_administrativeunit d ON d.id = c.parent_id"
SCOPE_WHERE = "AND (c.parent_id = %(unit)s OR d.parent_id = %(unit)s)"
APPROVED = """
    FROM criteria_assessment a
    JOIN communes_administrativeunit c ON c.id = a.commune_id
    {join}
    WHERE a.period_id = %(period)s AND a.criteria_set_id = %(set)s AND a.status = 'approved'
      AND c.kind = 'xa' {where}
"""
IN_FORCE = """(c.valid_from IS NULL OR c.valid_from <= %(end)s)
      AND (c.valid_until IS NULL OR c.valid_until >= %(end)s)"""
RAW_SQL = {
    # Headline figures (the empty grouping set) and the same per district.
    "headline and districts": """
        SELECT c.parent_id, GROUPING(c.parent_id), count(*),
               count(*) FILTER (WHERE a.meets_standard), coalesce(sum(a.criteria_met), 0),
               count(*) FILTER (WHERE a.criteria_met < 10), count(*) FILTER (WHERE a.criteria_met < 15)
        """
    + APPROVED
    + "GROUP BY GROUPING SETS ((c.parent_id), ())",
    "distribution": "SELECT a.criteria_met, count(*)" + APPROVED + "GROUP BY a.criteria_met ORDER BY 1",
    "per criterion": """
        SELECT r.criterion_id, count(*) FILTER (WHERE r.met), count(*)
        FROM criteria_criterionresult r
        JOIN criteria_assessment a ON a.id = r.assessment_id
        JOIN communes_administrativeunit c ON c.id = a.commune_id
        {join}
        WHERE a.period_id = %(period)s AND a.criteria_set_id = %(set)s AND a.status = 'approved'
          AND c.kind = 'xa' {where}
        GROUP BY r.criterion_id
    """,
    # Units in force at the period's end recognised by a decision up to it, by level
    # (and the standard ones per district).
    "recognitions by level": """
        SELECT r.level, c.parent_id, GROUPING(c.parent_id), count(DISTINCT r.unit_id)
        FROM criteria_recognition r
        JOIN communes_administrativeunit c ON c.id = r.unit_id
        {join}
        WHERE r.decision_date <= %(end)s AND {in_force}
          AND (c.kind = 'xa' OR (r.level = 'model_hamlet' AND c.level = 'hamlet')) {where}
        GROUP BY GROUPING SETS ((r.level, c.parent_id), (r.level))
    """,
    "xã the period covers": """
        SELECT count(*) FROM communes_administrativeunit c {join}
        WHERE c.kind = 'xa' AND {in_force} {where}
    """,
    "trend": """
        SELECT a.period_id, count(*), count(*) FILTER (WHERE a.meets_standard), sum(a.criteria_met)
        FROM criteria_assessment a
        JOIN criteria_reportingperiod p ON p.id = a.period_id
        JOIN communes_administrativeunit c ON c.id = a.commune_id
        {join}
        WHERE a.criteria_set_id = %(set)s AND a.status = 'approved' AND p."end" <= %(end)s
          AND c.kind = 'xa' {where}
        GROUP BY a.period_id, p."end", p.start
        ORDER BY p."end", p.start
    """,
}


def _arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="reuse a loaded database and keep it afterwards")
    parser.add_argument("--profile", action="store_true", help="cProfile one national dashboard request")
    parser.add_argument("--runs", type=int, default=RUNS, help=f"requests per page (default {RUNS})")
    return parser.parse_args()


def _database(url: str, *, keep: bool) -> tuple[bool, callable]:
    """Make the database empty (unless ``keep`` and it exists); True when it is reused.
    Returns how to drop it afterwards (nothing with ``keep``)."""
    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    exists = subprocess.run(
        ["psql", admin, "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],  # noqa: S608 (the operator's URL)
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    if keep and exists:
        return True, lambda: None
    for statement in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
        subprocess.run(["psql", admin, "-qc", statement], check=True)
    if keep:
        return False, lambda: None
    return False, lambda: subprocess.run(
        ["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {name}"], check=False
    )


def _setup(url: str) -> None:
    os.environ.update(
        {
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "bench.dashboard_bench_settings",
            "DEBUG": "False",
            "DEMO_DATA": "True",
            "SECRET_KEY": "bench-" + "x" * 60,
            "ALLOWED_HOSTS": "testserver",
            "SECURE_SSL_REDIRECT": "False",
            # Persistent connections, as a production server keeps them: a request does not
            # pay for a new PostgreSQL connection.
            "CONN_MAX_AGE": "600",
            "LOG_LEVEL": "WARNING",
        }
    )
    import django

    django.setup()


def _load(reused: bool) -> None:
    from django.core.management import call_command
    from django.db import connection

    from criteria.models import Assessment

    if reused and Assessment.objects.filter(is_demo=True).count() > 40000:
        print(f"reusing the loaded database: {Assessment.objects.count():,} assessments")
        return
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_admin_units", province="19", verbosity=0)
    call_command("load_missing", "agencies_thai_nguyen", "criteria_sets_national", verbosity=0)
    print(f"migrate and Thái Nguyên: {time.perf_counter() - started:.1f} s")
    call_command("load_national_dataset")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _median_ms(function, runs: int) -> float:
    function()  # warm-up: caches, the plan, the connection
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds) * 1000


def _raw(params: dict, *, scoped: bool) -> dict[str, list]:
    from django.db import connection

    join, where = (SCOPE_JOIN, SCOPE_WHERE) if scoped else ("", "")
    rows = {}
    with connection.cursor() as cursor:
        for name, sql in RAW_SQL.items():
            cursor.execute(sql.format(join=join, where=where, in_force=IN_FORCE), params)
            rows[name] = cursor.fetchall()
    return rows


def _page(client, url: str, runs: int) -> tuple[float, int, float]:
    """Median ms of ``runs`` requests; queries and their database ms in one more."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def get():
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
        return response

    median = _median_ms(get, runs)
    with CaptureQueriesContext(connection) as queries:
        get()
    database_ms = sum(float(query["time"]) for query in queries.captured_queries) * 1000
    return median, len(queries), database_ms


def _check(raw: dict, client, url: str) -> None:
    """The page's figures are the raw SQL's (a bench of wrong figures is no bench)."""
    totals = next(row for row in raw["headline and districts"] if row[1] == 1)
    districts = {row[0]: row[2:] for row in raw["headline and districts"] if row[1] == 0}
    dashboard = client.get(url).context["dashboard"]
    overview = dashboard.overview
    figures = overview.totals
    page = (figures.assessed, figures.meeting_standard, figures.criteria_met_total, figures.under_low)
    checks = {
        "headline": (page + (figures.under_high,), tuple(totals[2:])),
        "distribution": (overview.distribution, dict(raw["distribution"])),
        "per district": (
            {
                row.district.pk: (
                    row.figures.assessed,
                    row.figures.meeting_standard,
                    row.figures.criteria_met_total,
                    row.figures.under_low,
                    row.figures.under_high,
                )
                for row in overview.districts
                if row.district is not None and row.figures.assessed
            },
            districts,
        ),
        "per criterion": (
            {row.criterion.pk: row.met for row in overview.criteria},
            {criterion: met for criterion, met, _all in raw["per criterion"]},
        ),
        "recognitions by level": (
            {level: n for level, n in dashboard.recognised.items() if n},
            {level: n for level, _parent, grouping, n in raw["recognitions by level"] if grouping == 1},
        ),
        "coverage": (dashboard.coverage.total, raw["xã the period covers"][0][0]),
        "trend": (
            [(point.assessed, point.meeting_standard, point.criteria_met_total) for point in dashboard.trend],
            [tuple(row[1:]) for row in raw["trend"]],
        ),
    }
    for name, (on_page, in_sql) in checks.items():
        if on_page != in_sql:
            raise SystemExit(f"{url}: {name} on the page {on_page} differs from the raw SQL's {in_sql}")


def main():
    arguments = _arguments()
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    if not url.startswith("postgres"):
        raise SystemExit("The dashboard bench runs on PostgreSQL only (BENCH_DATABASE_URL=postgres://…).")
    reused, drop = _database(url, keep=arguments.keep)
    try:
        _setup(url)
        from django.test.utils import setup_test_environment

        setup_test_environment()  # the test client's context, the testserver host
        _load(reused)
        run(arguments)
    finally:
        from django.db import connections

        connections.close_all()
        drop()


def run(arguments) -> None:
    from django.test import Client

    from accounts.models import User
    from communes.models import AdministrativeUnit, UnitLevel
    from criteria.models import Assessment, CriteriaSet, ReportingPeriod

    period = ReportingPeriod.objects.get(code=PERIOD)
    criteria_set = CriteriaSet.objects.get(code=SET)
    user, _created = User.objects.get_or_create(
        username="bench-superuser", defaults={"is_superuser": True, "is_staff": True}
    )
    client = Client()
    client.force_login(user)
    runs = arguments.runs
    print(
        f"{Assessment.objects.count():,} assessments, {AdministrativeUnit.objects.count():,} units; "
        f"period {period.code}, set {criteria_set.code}; median of {runs} requests"
    )
    query = f"period={period.code}&set={criteria_set.code}"
    scopes = [("country", None)]
    for code in PROVINCES:
        province = (
            AdministrativeUnit.objects.filter(code=code, level=UnitLevel.PROVINCE).valid_on(period.end).get()
        )
        scopes.append((province.name, province))

    header = f"{'page':<46} {'median ms':>10} {'queries':>8} {'SQL ms':>8} {'raw SQL ms':>11} {'page/raw':>9}"
    print(header)
    print("-" * len(header))
    for label, province in scopes:
        params = {
            "period": period.pk,
            "set": criteria_set.pk,
            "end": period.end,
            "unit": province and province.pk,
        }
        raw_ms = _median_ms(
            lambda params=params, province=province: _raw(params, scoped=bool(province)), runs
        )
        url = f"/dashboard/?{query}" + (f"&unit={province.pk}" if province else "")
        _check(_raw(params, scoped=bool(province)), client, url)
        median, count, database_ms = _page(client, url, runs)
        print(
            f"{'dashboard, ' + label:<46} {median:>10.0f} {count:>8} {database_ms:>8.0f} {raw_ms:>11.0f} "
            f"{median / raw_ms:>8.1f}x"
        )
        if province is None:
            national_raw = raw_ms
    for label, url in (
        ("overview, country", f"/criteria/overview/?{query}"),
        ("assessments, country, page 1", "/criteria/assessments/"),
        ("assessments, country, page 500", "/criteria/assessments/?page=500"),
        ("assessments, 2020-h2, page 1", f"/criteria/assessments/?period={period.code}"),
    ):
        median, count, database_ms = _page(client, url, runs)
        ratio = f"{median / national_raw:>8.1f}x" if url.startswith("/criteria/overview/") else f"{'':>9}"
        raw = f"{national_raw:>11.0f}" if ratio.strip() else f"{'':>11}"
        print(f"{label:<46} {median:>10.0f} {count:>8} {database_ms:>8.0f} {raw} {ratio}")
    print(f"raw SQL: {len(RAW_SQL)} statements ({', '.join(RAW_SQL)})")

    if arguments.profile:
        profile = cProfile.Profile()
        profile.enable()
        client.get(f"/dashboard/?{query}")
        profile.disable()
        stats = pstats.Stats(profile).strip_dirs().sort_stats("cumulative")
        stats.print_stats(40)


if __name__ == "__main__":
    main()
