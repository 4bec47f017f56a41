"""The timeliness scoreboard (bảng xếp hạng tính kịp thời): agencies ranked by their lead
tasks done on time, reporting units by their assessments submitted by the deadline, on
the page and in the workbook, inside each reader's scope, in a fixed number of queries.

The figures are counted by hand below. Today is 30/11/2026 (tests/conftest.py NOW).
"""

import datetime
import io
from html.parser import HTMLParser
from urllib.parse import unquote
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Agency
from accounts.scope import unit_scope
from communes.models import AdministrativeUnit
from criteria.models import Assessment, CriteriaSet, ReportingPeriod
from criteria.selectors.timeliness import submission_timeliness
from directives.models import Assignment, Directive, Task
from directives.selectors.assignments import assignment_scope
from directives.selectors.timeliness import agency_timeliness
from tests.conftest import unit

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = datetime.date(2026, 11, 30)
URL = reverse("dashboard-scoreboard")
XLSX = reverse("dashboard-scoreboard-xlsx")


# --- Data ------------------------------------------------------------------------------


def d(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


_numbers = iter(range(1, 10_000))


def lead(
    code: str, deadline: str | None, done: str | None = None, *, role: str = "lead", directive=None
) -> Assignment:
    """A task of its own directive given to the agency ``code``, due ``deadline``, done on ``done``."""
    number = next(_numbers)
    directive = directive or Directive.objects.create(
        number=f"{number}/TB-TEST",
        kind="conclusion_notice",
        issuer="UBND tỉnh",
        issued_on=d("2026-01-05"),
        title="Thông báo thử",
    )
    task = Task.objects.create(
        directive=directive, position=number, text="Báo cáo.", deadline=d(deadline) if deadline else None
    )
    completed = d(done) if done else None
    return Assignment.objects.create(
        task=task,
        agency=Agency.objects.get(code=code),
        role=role,
        deadline=task.deadline,
        completed_on=completed,
        completed_at=datetime.datetime.combine(completed, datetime.time(9), tzinfo=VN) if completed else None,
    )


@pytest.fixture
def tasks(db):
    """Lead assignments due in 2026, counted by hand on 30/11/2026:

    * Sở Y tế: on time, on time, late (2 of 3 due on time: 66,7 %), 0 overdue; its
      standing task (no deadline) is not counted;
    * Sở Công Thương: on time, overdue, within term (1 of 2 due: 50,0 %), 1 overdue; its
      cooperating assignment (overdue) is not counted;
    * Sở Tài chính: on time, overdue (1 of 2: 50,0 %), 1 overdue: the same rank as Sở
      Công Thương, listed after it by name; its task due in 2025 is not counted;
    * Sở Nội vụ: one task within term, nothing due yet: no rate, last;
    * UBND huyện Đại Từ: one overdue task (0 of 1: 0,0 %).
    """
    lead("so-y-te", "2026-03-31", "2026-03-30")
    lead("so-y-te", "2026-06-30", "2026-06-30")  # the deadline day itself is on time
    lead("so-y-te", "2026-05-31", "2026-06-10")
    lead("so-y-te", None)
    lead("so-cong-thuong", "2026-04-30", "2026-04-01")
    lead("so-cong-thuong", "2026-10-31")
    lead("so-cong-thuong", "2026-12-15")
    lead("so-cong-thuong", "2026-09-30", role="cooperating")
    lead("so-tai-chinh", "2026-02-28", "2026-02-20")
    lead("so-tai-chinh", "2026-09-30")
    lead("so-tai-chinh", "2025-12-31", "2026-01-30")
    lead("so-noi-vu", "2026-12-31")
    lead("ubnd-huyen-dai-tu", "2026-11-29")


def at(text: str) -> datetime.datetime:
    """A local time in Thái Nguyên, "2020-07-15 23:59"."""
    return datetime.datetime.fromisoformat(text).replace(tzinfo=VN)


@pytest.fixture
def criteria_set(db):
    return CriteriaSet.objects.create(code="sb-set", name="Bộ thử", level="standard")


def period(code: str, start: str, end: str, deadline: str) -> ReportingPeriod:
    return ReportingPeriod.objects.create(
        code=code,
        name=f"Kỳ {code}",
        kind="half_year",
        start=d(start),
        end=d(end),
        submission_deadline=d(deadline),
        lock_date=d(deadline) + datetime.timedelta(days=30),
    )


def report(commune_name: str, district_code: str, the_period, criteria_set, status, submitted=None):
    commune = AdministrativeUnit.objects.get(
        name=commune_name, parent__code=district_code, valid_until=d("2025-06-30")
    )
    return Assessment.objects.create(
        commune=commune,
        period=the_period,
        criteria_set=criteria_set,
        status=status,
        submitted_at=at(submitted) if submitted else None,
    )


@pytest.fixture
def reports(criteria_set):
    """The period 2020-H1 (deadline 15/07/2020), counted by hand:

    * Huyện Đại Từ (171, 25 xã in force on 30/06/2020): on time An Khánh (23:59 on the
      deadline day) and Bình Thuận; late Bản Ngoại (00:30 on the 16th local time, still
      the 15th in UTC) and Hoàng Nông (returned, resubmitted on the 20th, approved); not
      submitted Cát Nê (returned, not resubmitted), Cù Vân (draft) and the 19 without an
      assessment: 2 of 25 on time, 8,0 %;
    * Huyện Phú Bình (173, 19 xã): on time Bàn Đạt, Bảo Lý, Dương Thành; late Hà Châu;
      15 not submitted: 3 of 19, 15,8 %;
    * the other districts of Thái Nguyên: nothing submitted, 0,0 %, ranked by the fewest
      not submitted (their xã): Sông Công 3, Phổ Yên 5, Đồng Hỷ 11 and TP Thái Nguyên 11
      (same rank, Đồng Hỷ first by name), Phú Lương 12, Võ Nhai 14, Định Hóa 21;
    * Bắc Kạn's districts are left out: merged into Thái Nguyên only on 01/07/2025.

    The period 2020 (deadline 15/01/2021) falls in 2021 and is not counted in 2020.
    """
    h1 = period("2020-h1", "2020-01-01", "2020-06-30", "2020-07-15")
    year = period("2020-y", "2020-01-01", "2020-12-31", "2021-01-15")
    report("Xã An Khánh", "171", h1, criteria_set, "approved", "2020-07-15 23:59")
    report("Xã Bình Thuận", "171", h1, criteria_set, "submitted", "2020-07-10 08:00")
    report("Xã Bản Ngoại", "171", h1, criteria_set, "submitted", "2020-07-16 00:30")
    report("Xã Hoàng Nông", "171", h1, criteria_set, "approved", "2020-07-20 10:00")
    report("Xã Cát Nê", "171", h1, criteria_set, "returned", "2020-07-10 10:00")
    report("Xã Cù Vân", "171", h1, criteria_set, "draft")
    for name in ("Xã Bàn Đạt", "Xã Bảo Lý", "Xã Dương Thành"):
        report(name, "173", h1, criteria_set, "submitted", "2020-07-01 09:00")
    report("Xã Hà Châu", "173", h1, criteria_set, "submitted", "2020-07-30 09:00")
    report("Xã An Khánh", "171", year, criteria_set, "submitted", "2021-01-10 09:00")
    return h1


UNITS_2020 = [
    # rank, district code, on time, late, not submitted, not yet due, total, rate
    ("1", "173", "3", "1", "15", "0", "19", "15,8 %"),
    ("2", "171", "2", "2", "21", "0", "25", "8,0 %"),
    ("3", "165", "0", "0", "3", "0", "3", "0,0 %"),
    ("4", "172", "0", "0", "5", "0", "5", "0,0 %"),
    ("5", "169", "0", "0", "11", "0", "11", "0,0 %"),
    ("5", "164", "0", "0", "11", "0", "11", "0,0 %"),
    ("7", "168", "0", "0", "12", "0", "12", "0,0 %"),
    ("8", "170", "0", "0", "14", "0", "14", "0,0 %"),
    ("9", "167", "0", "0", "21", "0", "21", "0,0 %"),
]

AGENCIES_2026 = [
    # rank, agency code, on time, late, overdue, within term, total, rate
    ("1", "so-y-te", "2", "1", "0", "0", "3", "66,7 %"),
    ("2", "so-cong-thuong", "1", "0", "1", "1", "3", "50,0 %"),
    ("2", "so-tai-chinh", "1", "0", "1", "0", "2", "50,0 %"),
    ("4", "ubnd-huyen-dai-tu", "0", "0", "1", "0", "1", "0,0 %"),
    ("5", "so-noi-vu", "0", "0", "0", "1", "1", "—"),
]


# --- Reading the page ------------------------------------------------------------------


class _Rows(HTMLParser):
    """The rows marked ``data-testid=<row_id>``: their key attribute and the text of
    their cells by ``data-testid``."""

    def __init__(self, row_id: str, key: str):
        super().__init__()
        self.row_id, self.key = row_id, key
        self.rows: list[dict] = []
        self.cell = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr" and attrs.get("data-testid") == self.row_id:
            self.rows.append({"key": attrs.get(self.key), "links": []})
        elif self.rows and tag in ("td", "th") and attrs.get("data-testid"):
            self.cell = attrs["data-testid"]
            self.rows[-1][self.cell] = ""
        elif self.rows and tag == "a" and self.cell:
            self.rows[-1]["links"].append((self.cell, attrs.get("href")))

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self.cell = None

    def handle_data(self, data):
        if self.cell and self.rows:
            self.rows[-1][self.cell] += data.strip()


AGENCY_CELLS = ("rank", "done_on_time", "done_late", "open_overdue", "open_within_term", "total", "rate")
UNIT_CELLS = ("rank", "on_time", "late", "not_submitted", "not_yet_due", "total", "rate")


def table(page: str, row_id: str, key: str, cells) -> list[tuple]:
    parser = _Rows(row_id, key)
    parser.feed(page)
    return [
        (row[cells[0]], row["key"], *(row[cell] for cell in cells[1:])) for row in parser.rows
    ], parser.rows


def agency_table(page):
    return table(page, "agency-row", "data-agency", AGENCY_CELLS)[0]


def unit_table(page):
    return table(page, "unit-row", "data-unit", UNIT_CELLS)[0]


# --- The page --------------------------------------------------------------------------


def test_the_coordinator_sees_the_agencies_ranked_by_their_on_time_rate(client, coordinator, tasks):
    client.force_login(coordinator)
    page = client.get(URL, {"year": "2026"}).content.decode()
    assert agency_table(page) == AGENCIES_2026
    assert "Số liệu tính đến 30/11/2026" in page
    assert "Bảng xếp hạng tính kịp thời năm 2026" in page


def test_the_coordinator_sees_the_districts_ranked_by_reports_submitted_on_time(client, coordinator, reports):
    client.force_login(coordinator)
    page = client.get(URL, {"year": "2020"}).content.decode()
    assert unit_table(page) == UNITS_2020
    assert "Tỉnh Bắc Kạn" not in page and "Huyện Ba Bể" not in page
    assert "Kỳ 2020-h1, hạn nộp 15/07/2020" in page and "Kỳ 2020-y" not in page


def test_each_figure_links_to_the_list_behind_it(client, coordinator, dai_tu_officer, tasks, reports):
    client.force_login(coordinator)
    page = client.get(URL, {"year": "2026"}).content.decode()
    rows = table(page, "agency-row", "data-agency", AGENCY_CELLS)[1]
    board = reverse("directive-board")
    assert all(dict(row["links"])["open_overdue"] == board for row in rows)
    page = client.get(URL, {"year": "2020"}).content.decode()
    dai_tu = unit("171")
    rows = table(page, "unit-row", "data-unit", UNIT_CELLS)[1]
    assert dict(next(row for row in rows if row["key"] == "171")["links"])["not_submitted"] == reverse(
        "unit-detail", args=[dai_tu.pk]
    )
    assert f"{reverse('assessment-list')}?period=2020-h1&amp;status=submitted" in page
    # A district officer may not open the board: their own agencies' figures lead to their tasks.
    client.force_login(dai_tu_officer)
    page = client.get(URL, {"year": "2026"}).content.decode()
    rows = table(page, "agency-row", "data-agency", AGENCY_CELLS)[1]
    assert dict(rows[0]["links"])["open_overdue"] == reverse("directive-my-tasks")


def test_a_district_officer_sees_only_their_district(client, dai_tu_officer, tasks, reports):
    client.force_login(dai_tu_officer)
    page = client.get(URL, {"year": "2026"}).content.decode()
    assert agency_table(page) == [("1", "ubnd-huyen-dai-tu", "0", "0", "1", "0", "1", "0,0 %")]
    page = client.get(URL, {"year": "2020"}).content.decode()
    assert unit_table(page) == [("1", "171", "2", "2", "21", "0", "25", "8,0 %")]
    assert "Huyện Phú Bình" not in page


def test_after_the_reform_each_commune_reports_for_itself(client, commune_officer, coordinator, criteria_set):
    """Period 2026-H1 (end 30/06/2026, deadline 15/07/2026): the new Xã Phú Bình submitted
    on 14/07/2026; its officer sees its row only; the coordinator one row per xã in force."""
    h1 = period("2026-h1", "2026-01-01", "2026-06-30", "2026-07-15")
    commune = AdministrativeUnit.objects.get(code="05908", valid_until=None)
    Assessment.objects.create(
        commune=commune, period=h1, criteria_set=criteria_set, status="submitted", submitted_at=at("2026-07-14 09:00")
    )  # fmt: skip
    client.force_login(commune_officer)
    assert unit_table(client.get(URL, {"year": "2026"}).content.decode()) == [
        ("1", "05908", "1", "0", "0", "0", "1", "100,0 %")
    ]
    client.force_login(coordinator)
    rows = unit_table(client.get(URL, {"year": "2026"}).content.decode())
    in_force = AdministrativeUnit.objects.filter(kind="xa", valid_until=None, valid_from__lte=h1.end)
    assert len(rows) == in_force.count() > 1
    assert rows[0] == ("1", "05908", "1", "0", "0", "0", "1", "100,0 %")
    assert {row[0] for row in rows[1:]} == {"2"}  # every other xã: nothing in, 0,0 %, one xã each


def test_reports_not_yet_due_count_neither_way(coordinator, criteria_set):
    """A period due 15/12/2026, seen on 30/11/2026: nothing is late yet, no rate."""
    period("2026-y", "2026-01-01", "2026-06-30", "2026-12-15")
    result = submission_timeliness(visible=unit_scope(coordinator), year=2026, today=TODAY)
    assert result.rows and all(row.counts.not_yet_due == row.counts.total for row in result.rows)
    assert {row.on_time_rate for row in result.rows} == {None} and {row.rank for row in result.rows} == {1}


def test_a_bad_year_is_named_and_the_latest_year_with_data_is_shown(client, leader, tasks, reports):
    client.force_login(leader)
    page = client.get(URL, {"year": "20x6"}).content.decode()
    assert "Năm: “20x6” không phải là một năm từ 2000 đến 2100. Đang hiển thị giá trị mặc định." in page
    assert "Bảng xếp hạng tính kịp thời năm 2026" in page
    assert agency_table(page) == AGENCIES_2026
    assert client.get(XLSX, {"year": "1999"}).status_code == 302


def test_the_default_year_is_the_latest_with_data_else_this_year(client, leader, reports):
    client.force_login(leader)
    assert "Bảng xếp hạng tính kịp thời năm 2021" in client.get(URL).content.decode()
    Assessment.objects.all().delete()
    ReportingPeriod.objects.all().delete()
    assert "Bảng xếp hạng tính kịp thời năm 2026" in client.get(URL).content.decode()


def test_the_menu_links_to_the_scoreboard_for_everyone(client, department_officer):
    client.force_login(department_officer)
    page = client.get(reverse("home")).content.decode()
    assert f'href="{URL}" data-testid="menu-scoreboard"' in page


# --- The workbook ----------------------------------------------------------------------


def _sheet_rows(sheet, first_row: int = 7) -> list[tuple]:
    return [tuple(cell for cell in row) for row in sheet.iter_rows(min_row=first_row, values_only=True)]


def test_the_workbook_holds_both_ranked_tables(client, coordinator, tasks, reports):
    client.force_login(coordinator)
    response = client.get(XLSX, {"year": "2026"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "Bảng xếp hạng tính kịp thời năm 2026.xlsx" in unquote(response["Content-Disposition"])
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    agencies, units = book.worksheets
    assert (
        agencies["A1"].value
        == "Bảng xếp hạng tính kịp thời năm 2026: nhiệm vụ chủ trì của các cơ quan, đơn vị"
    )
    assert "Số liệu tính đến 30/11/2026" in agencies["A2"].value
    assert [c.value for c in agencies[6]] == [
        "Hạng", "Cơ quan", "Hoàn thành đúng hạn", "Hoàn thành quá hạn", "Chưa hoàn thành, quá hạn",
        "Đang thực hiện, trong hạn", "Tổng cộng", "Tỷ lệ đúng hạn (%)",
    ]  # fmt: skip
    names = {code: Agency.objects.get(code=code).name for _r, code, *_rest in AGENCIES_2026}
    expected = [
        (int(rank), names[code], *(int(n) for n in counts), _rate(rate))
        for rank, code, *counts, rate in AGENCIES_2026
    ]
    assert _sheet_rows(agencies) == expected
    assert agencies["H7"].number_format == "0.0" and agencies["C7"].number_format == "#,##0"
    assert agencies.print_title_rows == "$6:$6"
    # 2026 has no period due: the units' sheet says so.
    assert units["A7"].value == "Không có báo cáo nào đến hạn nộp trong năm này."

    book = openpyxl.load_workbook(io.BytesIO(client.get(XLSX, {"year": "2020"}).content))
    units = book.worksheets[1]
    assert "hạn nộp 15/07/2020" in units["A4"].value
    rows = _sheet_rows(units)
    assert [(r[0], r[2], r[3], r[4], r[5], r[6], r[7]) for r in rows] == [
        (int(rank), int(a), int(b), int(c), int(e), int(t), _rate(rate))
        for rank, _code, a, b, c, e, t, rate in UNITS_2020
    ]
    assert rows[0][1] == "Huyện Phú Bình" and rows[1][1] == "Huyện Đại Từ"


def _rate(text: str):
    if text == "—":
        return None
    number = float(text.removesuffix(" %").replace(",", "."))
    return int(number) if number.is_integer() else number


def test_a_district_officer_downloads_only_their_district(client, dai_tu_officer, tasks, reports):
    client.force_login(dai_tu_officer)
    book = openpyxl.load_workbook(io.BytesIO(client.get(XLSX, {"year": "2020"}).content))
    assert [row[1] for row in _sheet_rows(book.worksheets[1])] == ["Huyện Đại Từ"]
    assert "Huyện Đại Từ" in book.worksheets[1]["A2"].value


# --- Queries ---------------------------------------------------------------------------


AGENCY_CODES = [
    "so-y-te", "so-cong-thuong", "so-tai-chinh", "so-noi-vu", "so-tu-phap", "so-xay-dung",
    "so-giao-duc-dao-tao", "so-lao-dong-tbxh", "so-ke-hoach-dau-tu", "cuc-thong-ke",
]  # fmt: skip
DAI_TU_COMMUNES = ["Xã An Khánh", "Xã Bình Thuận", "Xã Bản Ngoại", "Xã Cát Nê", "Xã Cù Vân", "Xã Hoàng Nông"]
PHU_BINH_COMMUNES = ["Xã Bàn Đạt", "Xã Bảo Lý", "Xã Dương Thành", "Xã Hà Châu"]


def _grow(count: int, h1, criteria_set) -> None:
    """Lead tasks for ``count`` agencies and 2026-H1-style reports for ``count`` communes."""
    codes = AGENCY_CODES[:count]
    for code in codes:
        lead(code, "2020-05-30", "2020-05-01")
        lead(code, "2020-06-30")
    communes = [(n, "171") for n in DAI_TU_COMMUNES] + [(n, "173") for n in PHU_BINH_COMMUNES]
    for name, district in communes[:count]:
        report(name, district, h1, criteria_set, "submitted", "2020-07-01 09:00")


def _page_queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as page:
        assert client.get(URL, {"year": "2020"}).status_code == 200
    with CaptureQueriesContext(connection) as workbook:
        assert client.get(XLSX, {"year": "2020"}).status_code == 200
    return len(page), len(workbook)


def test_the_page_and_workbook_take_the_same_queries_for_2_and_10_agencies_and_communes(
    client, coordinator, criteria_set
):
    h1 = period("2020-h1", "2020-01-01", "2020-06-30", "2020-07-15")
    _grow(2, h1, criteria_set)
    small = _page_queries(client, coordinator)
    Assignment.objects.all().delete()
    Assessment.objects.all().delete()
    _grow(10, h1, criteria_set)
    assert len(agency_timeliness(assignments=Assignment.objects.all(), year=2020, today=TODAY)) == 10
    assert _page_queries(client, coordinator) == small


def test_the_selectors_take_a_fixed_number_of_queries(coordinator, criteria_set, django_assert_num_queries):
    h1 = period("2020-h1", "2020-01-01", "2020-06-30", "2020-07-15")
    for count in (2, 10):
        Assignment.objects.all().delete()
        Assessment.objects.all().delete()
        _grow(count, h1, criteria_set)
        assignments = assignment_scope(coordinator)
        visible = unit_scope(coordinator)
        with django_assert_num_queries(2):
            rows = agency_timeliness(assignments=assignments, year=2020, today=TODAY)
        assert len(rows) == count and all(row.on_time_rate == 50 for row in rows)
        with django_assert_num_queries(4):
            result = submission_timeliness(visible=visible, year=2020, today=TODAY)
        assert result.totals.on_time == count
