"""The criteria exports: the summary workbook, the indicator values workbook and CSV.

The dataset (period "6 tháng đầu năm 2020", a three-criterion set "test-exp", four
indicators: 1.1 percent, 1.2 Đạt / Không đạt, 2.1 number, 3.1 Đạt / Không đạt whose name
is "=1+1"; criterion 3 is named "-dự kiến"):

    commune  district  status     criteria met   recognised (standard)
    A        Đại Từ    approved   1, 2, 3        2015
    B        Đại Từ    approved   1, 2           2016
    C        Đại Từ    approved   1              -
    D        Phú Bình  approved   1, 2, 3        after the period's end (not counted)
    E        Phú Bình  approved   2, 3           -
    F        Đại Từ    draft      1, 2, 3        -   (evidence of 3.1: "=1+1")
    G        Đại Từ    returned   1              -   (evidence of 3.1: "-dự kiến")
"""

import csv
import datetime
import io
from decimal import Decimal
from urllib.parse import quote

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from accounts.models import Agency
from accounts.scope import unit_scope
from communes.models import UnitKind
from criteria.exports.sheets import TABLE_HEADER_ROW
from criteria.exports.summary import SUMMARY_FIGURES, SUMMARY_HEADER_ROW, summary_filename, summary_workbook
from criteria.exports.values import values_csv, values_workbook
from criteria.models import (
    Assessment,
    AssessmentStatus,
    CriteriaSet,
    Criterion,
    CriterionResult,
    Indicator,
    IndicatorValue,
    Recognition,
    ReportingPeriod,
)
from criteria.selectors.exports import assessment_export
from criteria.selectors.overview import province_overview
from tests.conftest import unit

pytestmark = pytest.mark.django_db

D = datetime.date
QUERY = {"period": "2020-h1", "set": "test-exp"}
EXPORTS = ["export-summary", "export-values", "export-values-csv"]
SUMMARY_NAME = "Tổng hợp NTM 6 tháng đầu năm 2020.xlsx"
# Sheet 1's figures, one row each below its header row, in this order.
FIGURE_ROWS = {name: SUMMARY_HEADER_ROW + 1 + i for i, name in enumerate(SUMMARY_FIGURES)}


def xa_of(district_code: str) -> list:
    return list(unit(district_code).children.filter(kind=UnitKind.COMMUNE).order_by("code"))


def make_set() -> CriteriaSet:
    criteria_set = CriteriaSet.objects.create(
        code="test-exp", name="Bộ tiêu chí thử", level="standard", decision="1980/QĐ-TTg"
    )
    transport = Agency.objects.get(code="so-giao-thong-van-tai")
    roads = Criterion.objects.create(
        criteria_set=criteria_set, number=1, name="Giao thông", responsible_agency=transport
    )
    irrigation = Criterion.objects.create(criteria_set=criteria_set, number=2, name="Thủy lợi")
    planned = Criterion.objects.create(criteria_set=criteria_set, number=3, name="-dự kiến")
    Indicator.objects.create(
        criterion=roads, code="1.1", name="Tỷ lệ đường trục xã được cứng hóa", measure_type="percent",
        unit="%", comparison=">=", target=Decimal(70), verification="confirmed", position=1,
    )  # fmt: skip
    Indicator.objects.create(
        criterion=roads, code="1.2", name="Đường thôn sạch", measure_type="boolean",
        comparison="achieved", verification="confirmed", position=2,
    )  # fmt: skip
    Indicator.objects.create(
        criterion=irrigation, code="2.1", name="Số công trình thủy lợi", measure_type="number",
        unit="công trình", comparison=">=", target=Decimal(2), verification="confirmed",
    )  # fmt: skip
    Indicator.objects.create(
        criterion=planned, code="3.1", name="=1+1", measure_type="boolean",
        comparison="achieved", verification="confirmed",
    )  # fmt: skip
    return criteria_set


def assess(commune, period, criteria_set, met: set[int], *, status="approved", evidence="", is_demo=False):
    """An assessment whose criteria ``met`` are met, with a value for every indicator:
    1.1 is 85.5 % when criterion 1 is met (else 40), 2.1 is 3 works (else 1), the
    Đạt / Không đạt ones follow their criterion; ``evidence`` goes on 3.1."""
    criteria = list(criteria_set.criteria.order_by("number"))
    assessment = Assessment.objects.create(
        commune=commune, period=period, criteria_set=criteria_set, status=status,
        criteria_met=len(met), criteria_total=len(criteria), meets_standard=len(met) == len(criteria),
        is_demo=is_demo,
    )  # fmt: skip
    CriterionResult.objects.bulk_create(
        CriterionResult(assessment=assessment, criterion=c, met=c.number in met) for c in criteria
    )
    for indicator in Indicator.objects.filter(criterion__criteria_set=criteria_set).select_related(
        "criterion"
    ):
        ok = indicator.criterion.number in met
        number = {"1.1": Decimal("85.5") if ok else Decimal(40), "2.1": Decimal(3) if ok else Decimal(1)}
        IndicatorValue.objects.create(
            assessment=assessment,
            indicator=indicator,
            number=number.get(indicator.code),
            achieved=ok if indicator.measure_type == "boolean" else None,
            evidence=evidence if indicator.code == "3.1" else "",
            outcome="met" if ok else "not_met",
        )
    return assessment


@pytest.fixture
def data():
    period = ReportingPeriod.objects.create(
        code="2020-h1", name="6 tháng đầu năm 2020", kind="half_year", start=D(2020, 1, 1),
        end=D(2020, 6, 30), submission_deadline=D(2020, 7, 15), lock_date=D(2020, 8, 14),
    )  # fmt: skip
    criteria_set = make_set()
    dai_tu, phu_binh = xa_of("171"), xa_of("173")
    a, b, c, f, g = dai_tu[:5]
    d, e = phu_binh[:2]
    assess(a, period, criteria_set, {1, 2, 3})
    assess(b, period, criteria_set, {1, 2})
    assess(c, period, criteria_set, {1})
    assess(d, period, criteria_set, {1, 2, 3})
    assess(e, period, criteria_set, {2, 3})
    assess(f, period, criteria_set, {1, 2, 3}, status=AssessmentStatus.DRAFT, evidence="=1+1")
    assess(g, period, criteria_set, {1}, status=AssessmentStatus.RETURNED, evidence="-dự kiến")
    for commune, day, level in [
        (a, D(2015, 10, 1), "standard"),
        (b, D(2016, 12, 20), "standard"),
        (d, D(2020, 9, 1), "standard"),
        (a, D(2019, 11, 1), "model"),
    ]:
        Recognition.objects.create(
            unit=commune, level=level, criteria_set=criteria_set, decision_number=f"{commune.pk}/QĐ-UBND",
            decision_date=day,
        )  # fmt: skip
    return {
        "period": period,
        "set": criteria_set,
        "communes": dict(zip("abcdefg", [a, b, c, d, e, f, g], strict=True)),
    }


def download(client, user, name, query=QUERY):
    client.force_login(user)
    response = client.get(reverse(name), query)
    assert response.status_code == 200, response
    return response


def workbook(response):
    return openpyxl.load_workbook(io.BytesIO(response.content))


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def overview_for(user, data):
    return province_overview(visible=unit_scope(user), period=data["period"], criteria_set=data["set"])


def as_decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


# --- The summary holds the overview's figures ------------------------------------------


@pytest.mark.parametrize("persona", ["leader", "dai_tu_officer", "phu_binh_officer"])
def test_the_summary_shows_the_overviews_figures_for_the_same_scope(request, client, data, persona):
    user = request.getfixturevalue(persona)
    overview = overview_for(user, data)
    book = workbook(download(client, user, "export-summary"))
    summary, by_district, communes, by_criterion = book.worksheets

    totals = overview.totals
    expected = {
        "assessed": totals.assessed,
        "meeting_standard": totals.meeting_standard,
        "recognised": totals.recognised,
        "average": totals.average,
        "under_low": totals.under_low,
        "under_high": totals.under_high,
        "districts_without_model": len(overview.districts_without_model),
    }
    for name, row in FIGURE_ROWS.items():
        cell = summary.cell(row=row, column=2)
        assert as_decimal(cell.value) == as_decimal(expected[name]), name
        assert cell.data_type == "n", name

    first = TABLE_HEADER_ROW + 1
    for offset, row in enumerate(overview.districts):
        cells = [c.value for c in by_district[first + offset]]
        figures = row.figures
        assert cells[1] == row.district.name
        assert cells[2:5] == [figures.assessed, figures.recognised, figures.meeting_standard]
        assert as_decimal(cells[5]) == figures.average
        assert cells[6:8] == [figures.under_low, figures.under_high]
    total = [c.value for c in by_district[first + len(overview.districts)]]
    assert total[1] == "Tổng cộng"
    assert total[2:5] == [totals.assessed, totals.recognised, totals.meeting_standard]

    commune_rows = list(communes.iter_rows(min_row=TABLE_HEADER_ROW + 2, values_only=True))
    assert len(commune_rows) == totals.assessed
    assert sum(row[-1] for row in commune_rows) == totals.criteria_met_total

    for offset, row in enumerate(overview.criteria):
        cells = [c.value for c in by_criterion[first + offset]]
        assert cells[0] == row.criterion.number
        assert cells[3:5] == [row.met, row.not_met]
        assert as_decimal(cells[5]) == row.percent


def test_the_summary_counts_the_hand_built_communes(client, data, leader):
    """The figures a provincial officer checks by hand on the dataset above."""
    summary = workbook(download(client, leader, "export-summary"))["Tổng hợp"]
    figures = {name: summary.cell(row=row, column=2).value for name, row in FIGURE_ROWS.items()}
    assert figures["assessed"] == 5  # the draft and the returned one are not counted
    assert figures["meeting_standard"] == 2  # A and D
    assert figures["recognised"] == 2  # A and B; D's decision came after 30/06/2020
    assert as_decimal(figures["average"]) == Decimal("2.20")  # 11 criteria over 5 communes
    assert summary.cell(row=FIGURE_ROWS["average"], column=2).number_format == "0.00"


def test_the_commune_sheet_marks_each_criterion_met_or_not(client, data, leader):
    communes = workbook(download(client, leader, "export-summary")).worksheets[2]
    header = [c.value for c in communes[TABLE_HEADER_ROW + 1]]
    assert header[4:7] == [1, 2, 3]
    rows = {row[1]: row for row in communes.iter_rows(min_row=TABLE_HEADER_ROW + 2, values_only=True)}
    b, e = data["communes"]["b"], data["communes"]["e"]
    assert rows[b.code][2:] == (b.name, "Huyện Đại Từ", "✓", "✓", "✗", 2)
    assert rows[e.code][2:] == (e.name, "Huyện Phú Bình", "✗", "✓", "✓", 2)
    assert data["communes"]["f"].code not in rows  # a draft is not counted


def test_the_summary_names_the_period_set_scope_and_day(client, data, dai_tu_officer):
    summary = workbook(download(client, dai_tu_officer, "export-summary")).worksheets[0]
    assert summary["B3"].value == "6 tháng đầu năm 2020 (01/01/2020 – 30/06/2020)"
    assert summary["B4"].value == "Bộ tiêu chí thử (1980/QĐ-TTg)"
    assert summary["B5"].value == "Huyện Đại Từ"
    assert summary["B6"].value == datetime.datetime(2026, 11, 30)  # today, a date cell
    assert summary["B6"].number_format == "DD/MM/YYYY"
    assert "Dữ liệu minh họa" not in str(summary["A7"].value)


def test_the_summary_warns_when_a_counted_figure_is_demo_data(client, data, leader):
    Assessment.objects.filter(commune=data["communes"]["a"]).update(is_demo=True)
    book = workbook(download(client, leader, "export-summary"))
    assert book.worksheets[0]["A7"].value.startswith("Dữ liệu minh họa")
    for sheet in book.worksheets[1:]:
        assert sheet["A3"].value.startswith("Dữ liệu minh họa")


def test_every_summary_sheet_prints_on_a4_landscape_fitted_to_the_width(client, data, leader):
    book = workbook(download(client, leader, "export-summary"))
    assert len(book.worksheets) == 4
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert setup.orientation == "landscape", sheet.title
        assert int(setup.paperSize) == 9  # A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert (int(setup.fitToWidth), int(setup.fitToHeight)) == (1, 0)
        assert sheet.print_title_rows  # the header rows repeat on every page
        assert sheet.freeze_panes
        assert "&P" in sheet.oddFooter.center.text and "&N" in sheet.oddFooter.center.text
        header_row = SUMMARY_HEADER_ROW if sheet is book.worksheets[0] else TABLE_HEADER_ROW
        header = sheet.cell(row=header_row, column=1)
        assert header.font.b and header.border.bottom.style == "thin"


# --- Text stays text, numbers stay numbers ----------------------------------------------


def test_a_name_that_looks_like_a_formula_stays_text(client, data, leader):
    by_criterion = workbook(download(client, leader, "export-summary"))["Theo tiêu chí"]
    planned = by_criterion.cell(row=TABLE_HEADER_ROW + 3, column=2)
    assert (planned.value, planned.data_type) == ("-dự kiến", "s")

    indicators = workbook(download(client, leader, "export-values")).worksheets[1]
    names = {row[2].value: row[3] for row in indicators.iter_rows(min_row=TABLE_HEADER_ROW + 1)}
    assert (names["3.1"].value, names["3.1"].data_type) == ("=1+1", "s")


def test_a_formula_like_evidence_note_is_quoted_in_the_csv(client, data, leader):
    rows = csv_rows(download(client, leader, "export-values-csv"))
    evidence = {(row[1], row[6]): row[12] for row in rows[1:]}
    assert evidence[(data["communes"]["f"].name, "3.1")] == "'=1+1"
    assert evidence[(data["communes"]["g"].name, "3.1")] == "'-dự kiến"


def test_values_stay_numbers_and_dat_stays_text(client, data, leader):
    sheet = workbook(download(client, leader, "export-values")).worksheets[0]
    header = [c.value for c in sheet[TABLE_HEADER_ROW + 1]]
    assert header[4:] == ["1.1 (%)", "1.2", "2.1", "3.1"]  # units are on the indicators sheet
    rows = {row[1].value: row for row in sheet.iter_rows(min_row=TABLE_HEADER_ROW + 2)}
    a = rows[data["communes"]["a"].name]
    assert [cell.value for cell in a[:4]] == [data["communes"]["a"].code, data["communes"]["a"].name, "Huyện Đại Từ", "Đã duyệt"]  # fmt: skip
    percent, judged, works, _last = a[4:]
    assert (percent.value, percent.data_type) == (85.5, "n")  # a percent as 0-100
    assert (works.value, works.data_type) == (3, "n")
    assert (judged.value, judged.data_type) == ("Đạt", "s")
    c = rows[data["communes"]["c"].name]
    assert [cell.value for cell in c[4:]] == [85.5, "Đạt", 1, "Không đạt"]


def test_the_values_export_holds_every_status_with_its_label(client, data, leader):
    sheet = workbook(download(client, leader, "export-values")).worksheets[0]
    statuses = {row[1]: row[3] for row in sheet.iter_rows(min_row=TABLE_HEADER_ROW + 2, values_only=True)}
    communes = data["communes"]
    assert statuses[communes["a"].name] == "Đã duyệt"
    assert statuses[communes["f"].name] == "Đang soạn"
    assert statuses[communes["g"].name] == "Bị trả lại"
    assert len(statuses) == 7


# --- The CSV --------------------------------------------------------------------------


def test_the_csv_starts_with_a_bom_and_reads_back_one_row_per_commune_and_indicator(client, data, leader):
    response = download(client, leader, "export-values-csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    header, *rows = csv_rows(response)
    assert len(header) == 15
    assert len(rows) == 7 * 4  # seven assessments, four indicators
    assert all(len(row) == 15 for row in rows)
    a = data["communes"]["a"]
    first = rows[0]
    assert first[:10] == [a.code, a.name, "Huyện Đại Từ", "2020-h1", "test-exp", "1", "1.1", "Tỷ lệ đường trục xã được cứng hóa", "%", "85.5"]  # fmt: skip
    assert first[10:12] == ["", "Đạt"]  # no appraiser's mark on a percent; the outcome is met
    assert first[13] == "Đã duyệt"
    judged = next(row for row in rows if row[0] == a.code and row[6] == "1.2")
    assert (judged[9], judged[10]) == ("", "Đạt")


def test_a_district_officer_exports_only_their_district(client, data, phu_binh_officer):
    dai_tu = {data["communes"][key].name for key in "abcfg"}
    phu_binh = {data["communes"][key].name for key in "de"}
    rows = csv_rows(download(client, phu_binh_officer, "export-values-csv"))[1:]
    assert {row[1] for row in rows} == phu_binh
    sheet = workbook(download(client, phu_binh_officer, "export-values")).worksheets[0]
    names = {row[1] for row in sheet.iter_rows(min_row=TABLE_HEADER_ROW + 2, values_only=True)}
    assert names == phu_binh
    communes = workbook(download(client, phu_binh_officer, "export-summary")).worksheets[2]
    names = {row[2] for row in communes.iter_rows(min_row=TABLE_HEADER_ROW + 2, values_only=True)}
    assert names == phu_binh
    assert not names & dai_tu


# --- File names, query strings, queries ------------------------------------------------


def test_the_files_have_vietnamese_names(client, data, leader):
    response = download(client, leader, "export-summary")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert f"filename*=utf-8''{quote(SUMMARY_NAME)}" in response["Content-Disposition"]
    for name, file_name in [
        ("export-values", "Giá trị chỉ tiêu NTM 6 tháng đầu năm 2020.xlsx"),
        ("export-values-csv", "Giá trị chỉ tiêu NTM 6 tháng đầu năm 2020.csv"),
    ]:
        disposition = download(client, leader, name)["Content-Disposition"]
        assert disposition.startswith("attachment")
        assert f"filename*=utf-8''{quote(file_name)}" in disposition


def test_a_file_name_never_holds_a_slash():
    period = ReportingPeriod(name="Năm 2020/2021: đợt 1")
    with translation.override("vi"):
        assert summary_filename(period) == "Tổng hợp NTM Năm 2020-2021- đợt 1.xlsx"


@pytest.mark.parametrize("name", EXPORTS)
def test_a_bad_query_string_goes_back_to_the_overview_which_names_the_field(client, data, leader, name):
    client.force_login(leader)
    query = {"period": "2099-h9", "set": "<b>x</b>"}
    response = client.get(reverse(name), query)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("criteria-overview") + "?period=2099-h9")
    page = client.get(response["Location"]).content.decode()
    assert "Kỳ báo cáo: Không có mục nào có mã “2099-h9”." in page


@pytest.mark.parametrize("name", EXPORTS)
def test_without_any_period_there_is_nothing_to_export(client, leader, name):
    client.force_login(leader)
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("criteria-overview"))


@pytest.mark.parametrize("name", EXPORTS)
def test_the_exports_default_to_the_overviews_period_and_set(client, data, leader, name):
    response = download(client, leader, name, query={})
    assert quote("6 tháng đầu năm 2020") in response["Content-Disposition"]


@pytest.mark.parametrize("name", EXPORTS)
def test_the_exports_answer_only_get(client, data, leader, name):
    client.force_login(leader)
    assert client.post(reverse(name), QUERY).status_code == 405


def _queries(client, name) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse(name), QUERY).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", EXPORTS)
def test_an_exports_query_count_does_not_grow_with_the_communes(client, data, leader, name):
    client.force_login(leader)
    few = _queries(client, name)
    for commune in xa_of("171")[5:15] + xa_of("173")[2:10]:
        assess(commune, data["period"], data["set"], {1, 3})
    many = _queries(client, name)
    assert few == many


def test_writing_the_files_runs_no_query(data, leader, django_assert_num_queries):
    visible = unit_scope(leader)
    overview = province_overview(visible=visible, period=data["period"], criteria_set=data["set"])
    approved = assessment_export(
        visible=visible,
        period=data["period"],
        criteria_set=data["set"],
        approved_only=True,
        with_values=False,
    )
    every = assessment_export(
        visible=visible, period=data["period"], criteria_set=data["set"], approved_only=False
    )
    with translation.override("vi"), django_assert_num_queries(0):
        summary_workbook(overview, approved, scope_name="Tỉnh Thái Nguyên", generated_on=D(2026, 11, 30))
        values_workbook(every, scope_name="Tỉnh Thái Nguyên", generated_on=D(2026, 11, 30))
        values_csv(every)


def test_the_values_selector_reads_in_five_queries_whatever_the_communes(
    data, leader, django_assert_num_queries
):
    visible = unit_scope(leader)
    with django_assert_num_queries(5):
        export = assessment_export(
            visible=visible, period=data["period"], criteria_set=data["set"], approved_only=False
        )
    assert len(export.rows) == 7
    with django_assert_num_queries(4):
        export = assessment_export(
            visible=visible,
            period=data["period"],
            criteria_set=data["set"],
            approved_only=True,
            with_values=False,
        )
    assert [row.commune for row in export.rows] == [data["communes"][key] for key in "abcde"]


# --- The overview page offers them ------------------------------------------------------


def test_the_overview_page_offers_the_downloads_of_its_period_and_set(client, data, leader):
    client.force_login(leader)
    page = client.get(reverse("criteria-overview"), QUERY).content.decode()
    for name in ["export-values", "export-values-csv"]:
        assert f'href="{reverse(name)}?period=2020-h1&amp;set=test-exp"' in page
    # The summary is built in the background: a button posts the period and set
    # (tests/criteria/test_export_jobs.py follows it).
    assert f'action="{reverse("export-summary-start")}"' in page
    assert "Tải bảng tổng hợp (Excel)" in page
