"""Benchmark of a directive of 600 tasks (issue 12, point 6): the parser alone, the
paste that makes the draft, a page of the draft (time, size, queries), the confirmation
that saves the directive with its assignments, and a page of the saved directive.

Run by hand, not in CI:

    .venv/bin/python bench/directive_bench.py            # a throwaway SQLite database
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/directive_bench.py

It creates a test database (test_<name>), loads Thái Nguyên's units, agencies (2025 ones
and the communes' committees too) and the demo users, then prints, for each step, the
median wall time of three runs (one for the steps that save) and what it measures.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ntm_portal.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

TASKS = 600


def text_of(count: int) -> str:
    """A conclusion notice of ``count`` tasks in sections of 30 bullets of the usual
    length (each names its own lead and cooperating agencies and a deadline)."""
    lines = ["Số: 77/TB-UBND", "", "Thái Nguyên, ngày 02 tháng 11 năm 2026", "", "THÔNG BÁO", "Kết luận", ""]
    for index in range(count):
        if index % 30 == 0:
            lines += ["", f"{index // 30 + 1}. Các Sở, ngành của tỉnh:", ""]
        lines.append(
            f"- Sở Tài chính chủ trì, phối hợp với UBND các huyện, thành phố, thị xã rà soát tiêu chí {index}"
            f" của các xã đăng ký đạt chuẩn, báo cáo UBND tỉnh trước ngày {index % 28 + 1}/12/2026."
        )
    return "\n".join([*lines, "", "Nơi nhận:", "- Như trên;", "- Lưu: VT."])


def timed(label: str, function, *, runs: int = 3, note=lambda result: ""):
    seconds, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        seconds.append(time.perf_counter() - start)
    print(f"{label:<52} {statistics.median(seconds):7.2f} s   {note(result)}")
    return result


def main():
    setup_test_environment()
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        run()
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


def run():
    from accounts.models import User
    from directives.models import Assignment, DirectiveDraft
    from directives.parsing import _normalise, parse_directive
    from directives.services.directives import agency_refs

    call_command("load_admin_units", province="19", verbosity=0)
    call_command("load_missing", "agencies_thai_nguyen", "agencies_2025", verbosity=0)
    call_command("load_commune_agencies", verbosity=0)
    call_command("create_demo_users", verbosity=0)
    text = text_of(TASKS)
    refs = agency_refs()
    print(f"{TASKS} tasks, {len(text):,} characters, {len(refs)} agencies that take work")

    def parse():
        _normalise.cache_clear()  # cold: no text normalised before
        return parse_directive(text, refs)

    parsed = timed("parse_directive (pure, cold)", parse, note=lambda p: f"{len(p.tasks)} tasks")
    assert len(parsed.tasks) == TASKS

    client = Client()
    client.force_login(User.objects.get(username="dieuphoi"))

    def paste():
        _normalise.cache_clear()
        response = client.post("/directives/new/", {"text": text})
        assert response.status_code == 302, response.status_code
        return response["Location"]

    location = timed("paste -> draft (parse, roles, save the draft)", paste, note=lambda url: url)

    def page(number: int):
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"{location}?page={number}")
        assert response.status_code == 200
        return len(response.content), len(queries)

    for number in (1, 12):
        timed(
            f"draft page {number}/12",
            lambda number=number: page(number),
            note=lambda result: f"{result[0] / 1024:.0f} KB, {result[1]} queries",
        )
    draft = DirectiveDraft.objects.get(pk=int(location.rstrip("/").rsplit("/", 1)[1]))
    print(f"draft stored: {len(str(draft.data)) / 1024:.0f} KB of JSON")

    def confirm():
        draft.refresh_from_db()
        response = client.post(
            f"{location}confirm/",
            {"revision": draft.data.get("revision", 0)},
        )
        return response.status_code, response.get("Location", "")

    status = timed(
        "confirm: save 600 tasks and their assignments", confirm, runs=1, note=lambda r: f"HTTP {r[0]} {r[1]}"
    )
    print(f"assignments saved: {Assignment.objects.count():,}")
    assert status[0] in (200, 302)

    def saved_page():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(status[1], {"page": 7})
        assert response.status_code == 200
        return len(response.content), len(queries)

    timed(
        "saved directive, page 7/12",
        saved_page,
        note=lambda result: f"{result[0] / 1024:.0f} KB, {result[1]} queries",
    )


if __name__ == "__main__":
    main()
