"""Benchmark of the Excel upload (issue 4): a province workbook, every xã × every
indicator of QĐ 1980/QĐ-TTg filled, received (read, checked, previewed) and applied
(written through the assessment services), against the floor of reading the same file
bare with openpyxl in read-only mode.

Run by hand, not in CI:

    .venv/bin/python bench/upload_bench.py            # a throwaway SQLite database
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/upload_bench.py

It creates a test database (test_<name>), loads Thái Nguyên's units, the agencies and the
national criteria sets, fills the template of the province for 2020-H1 with every value,
and prints wall time and peak Python memory (tracemalloc) of each step, and the ratios.
"""

import os
import resource
import sys
import time
import tracemalloc
from decimal import Decimal
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ntm_portal.settings")

import django  # noqa: E402

django.setup()

import openpyxl  # noqa: E402
import time_machine  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def measure(label, function, *, repeatable=True):
    """Wall time of one call without tracemalloc (it slows Python code several times), then
    peak traced memory of a second call when ``function`` can run twice; else the growth of
    the process's peak resident size during the timed call."""
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    result = function()
    seconds = time.perf_counter() - start
    if repeatable:
        tracemalloc.start()
        function()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        how = "peak traced"
    else:
        peak = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) * 1024
        how = "RSS growth "
    print(f"{label:<48} {seconds:8.2f} s   {how} {peak / 2**20:8.1f} MiB")
    return result, seconds, peak


def bare_read(data: bytes) -> int:
    workbook = openpyxl.load_workbook(BytesIO(data), read_only=True, data_only=True)
    cells = sum(1 for row in workbook.worksheets[0].iter_rows(values_only=True) for _value in row)
    workbook.close()
    return cells


def filled_template(data: bytes, layout) -> bytes:
    """Every value cell filled: Đạt for the yes/no columns, a number (3-99) elsewhere."""
    workbook = openpyxl.load_workbook(BytesIO(data))
    sheet = workbook.worksheets[0]
    for index, column in enumerate(layout.columns, start=3):
        for row in range(3, sheet.max_row + 1):
            sheet.cell(row, index).value = "Đạt" if column.field.is_mark else (row * index) % 97 + 3
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def main():
    setup_test_environment()
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    print(f"database: {connection.vendor} {name}")
    try:
        run()
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


def run():
    from accounts.models import User
    from communes.models import AdministrativeUnit
    from criteria.models import CriteriaSet, Indicator, ReportingPeriod
    from criteria.selectors.reports import report_layout, report_template, set_indicators
    from criteria.services.reports import upload_confirm, upload_receive

    call_command("load_admin_units", province="19", verbosity=0)
    call_command("load_missing", "agencies_thai_nguyen", "criteria_sets_national", verbosity=0)
    call_command("create_periods", year=[2020], verbosity=0)
    criteria_set = CriteriaSet.objects.get(code="qd-1980-2016")
    Indicator.objects.filter(criterion__criteria_set=criteria_set, target__isnull=True).exclude(
        comparison="achieved"
    ).update(target=Decimal("1"))  # one column per indicator: no appraiser's column
    call_command("create_demo_users", verbosity=0)
    user = User.objects.get(username="dieuphoi")
    province = AdministrativeUnit.objects.get(code="19", valid_until=None)
    period = ReportingPeriod.objects.get(code="2020-h1")
    with time_machine.travel("2020-07-03 10:00 +07:00", tick=True):
        template = report_template(unit=province, period=period, criteria_set=criteria_set)
        layout = report_layout(
            unit=province, period=period, criteria_set=criteria_set, indicators=set_indicators(criteria_set)
        )
        data = filled_template(template.data, layout)
        sheet = openpyxl.load_workbook(BytesIO(data), read_only=True).worksheets[0]
        print(
            f"workbook: {len(data) / 1024:.0f} KiB, {sheet.max_row - 2} communes × {sheet.max_column - 2} indicators"
        )
        cells, bare_s, bare_peak = measure("floor: openpyxl read-only, every cell", lambda: bare_read(data))
        upload, receive_s, receive_peak = measure(
            "upload: read, check, preview (upload_receive)",
            lambda: upload_receive(user=user, data=data, filename="tinh.xlsx"),
        )
        changes = sum(len(entry["changes"]) for entry in upload.preview)
        errors = sum(len(entry["errors"]) for entry in upload.preview)
        print(f"  preview: {changes} changes, {errors} errors, {upload.progress_total} communes to write")

        def confirm_and_apply():
            from criteria.services import reports as services_reports

            services_reports.APPLY_IN_REQUEST_MAX = 10**6  # write here, not through the broker
            upload_confirm(user=user, upload=upload)

        if os.environ.get("PROFILE"):
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.runcall(confirm_and_apply)
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)
            return
        _result, apply_s, _growth = measure(
            "confirm: write every commune (upload_apply)", confirm_and_apply, repeatable=False
        )
        upload.refresh_from_db()
        assert upload.status == "applied", upload.status
    print(
        f"ratio upload / floor:  time {receive_s / bare_s:5.1f}×   peak memory {receive_peak / bare_peak:5.1f}×"
    )
    print(f"whole round trip (upload + write): {receive_s + apply_s:.1f} s")


if __name__ == "__main__":
    main()
