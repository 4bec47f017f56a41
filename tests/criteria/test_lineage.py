"""History follows the merger: a small hand-computed example with the real units.

On 01/07/2025 the new Xã Tân Cương was formed from three xã (NQ 1683/NQ-UBTVQH15,
NTM_FACTS §6): Thịnh Đức and Tân Cương (Thành phố Thái Nguyên) and Bình Sơn (Thành phố
Sông Công). None of the three was split. The dataset:

    former xã     recognised                          approved assessments
    Tân Cương     NTM standard, 1234/QĐ-UBND 2019     none
    Thịnh Đức     no                                  2019: 2/2, 2020-h1: 1/2 (the last)
    Bình Sơn      no                                  none (a 2020-h1 draft: never shown)

The overview of 2026 counts 0 new communes recognised by their own decision. It shows the
new Xã Tân Cương as "formed from 3 communes, of which 1 recognised" (advanced 0, model 0).
Once a decision recognises the new commune itself, it counts as recognised and leaves the
roll-up.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.scope import unit_scope
from communes.models import AdministrativeUnit, UnitKind, UnitSuccession
from criteria.models import Assessment, AssessmentStatus, RecognitionLevel, ReportingPeriod
from criteria.selectors.lineage import commune_lineage
from criteria.selectors.overview import province_overview
from criteria.services.recognitions import recognition_create
from tests.conftest import unit

pytestmark = pytest.mark.django_db

D = datetime.date


def make_period(code: str, start: datetime.date, end: datetime.date) -> ReportingPeriod:
    return ReportingPeriod.objects.create(
        code=code, name=code, kind="year", start=start, end=end,
        submission_deadline=end + datetime.timedelta(days=15), lock_date=end + datetime.timedelta(days=45),
    )  # fmt: skip


def approved(commune, period, criteria_set, met: int, total: int, status=AssessmentStatus.APPROVED):
    return Assessment.objects.create(
        commune=commune, period=period, criteria_set=criteria_set, status=status,
        criteria_met=met, criteria_total=total, meets_standard=met == total,
    )  # fmt: skip


def recognise(
    coordinator, commune, criteria_set, number: str, day: datetime.date, level=RecognitionLevel.STANDARD
):
    return recognition_create(
        user=coordinator, unit=commune, level=level, criteria_set=criteria_set,
        decision_number=number, decision_date=day,
    )  # fmt: skip


def new_xa_stats(*, without: set[int] = frozenset()) -> tuple[int, int]:
    """From the loaded lineage: how many new xã were formed from at least one former xã, and
    from how many distinct former xã (leaving out the new units in ``without``)."""
    rows = UnitSuccession.objects.filter(
        successor__kind=UnitKind.COMMUNE, successor__valid_until=None, predecessor__kind=UnitKind.COMMUNE
    ).exclude(successor_id__in=without)
    return (
        rows.values("successor_id").distinct().count(),
        rows.values("predecessor_id").distinct().count(),
    )


@pytest.fixture
def merger(coordinator, small_set, period):
    new = unit("05503", current=True)
    tan_cuong, thinh_duc, binh_son = unit("05503"), unit("05497"), unit("05530")
    assert {row.predecessor for row in new.successions_as_successor.all()} == {tan_cuong, thinh_duc, binh_son}
    year_2019 = make_period("2019", D(2019, 1, 1), D(2019, 12, 31))
    recognise(coordinator, tan_cuong, small_set, "1234/QĐ-UBND", D(2019, 12, 20))
    approved(thinh_duc, year_2019, small_set, 2, 2)
    approved(thinh_duc, period, small_set, 1, 2)
    approved(binh_son, period, small_set, 2, 2, status=AssessmentStatus.DRAFT)
    return {
        "new": new,
        "tan_cuong": tan_cuong,
        "thinh_duc": thinh_duc,
        "binh_son": binh_son,
        "2026": make_period("2026", D(2026, 1, 1), D(2026, 12, 31)),
    }


# --- The predecessors of one commune ----------------------------------------------------


def test_the_lineage_lists_each_former_commune_with_its_recognitions_and_last_approved_result(merger, leader):
    lineage = commune_lineage(visible=unit_scope(leader), unit=merger["new"])
    rows = {row.unit.name: row for row in lineage.predecessors}
    assert list(rows) == ["Xã Bình Sơn", "Xã Tân Cương", "Xã Thịnh Đức"]
    [recognition] = rows["Xã Tân Cương"].recognitions
    assert (recognition.level, recognition.decision_number) == (RecognitionLevel.STANDARD, "1234/QĐ-UBND")
    assert rows["Xã Tân Cương"].last_approved is None
    last = rows["Xã Thịnh Đức"].last_approved
    assert (last.period.code, last.criteria_met, last.criteria_total, last.meets_standard) == (
        "2020-h1",
        1,
        2,
        False,
    )
    assert rows["Xã Thịnh Đức"].recognitions == ()
    assert rows["Xã Bình Sơn"].last_approved is None  # its draft is not a result
    assert not any(row.is_split for row in rows.values())
    assert len(lineage.former_communes) == 3
    assert lineage.recognised == 1
    assert [(item.level, item.count) for item in lineage.by_level] == [
        ("standard", 1),
        ("advanced", 0),
        ("model", 0),
    ]


def test_the_lineage_takes_four_queries_for_three_or_six_predecessors(
    merger, leader, django_assert_num_queries
):
    visible = unit_scope(leader)
    visible.count()  # load the leader's agency and scope once
    phu_binh = AdministrativeUnit.objects.get(name="Xã Phú Bình", valid_until=None)
    with django_assert_num_queries(4):
        three = commune_lineage(visible=visible, unit=merger["new"])
    with django_assert_num_queries(4):
        six = commune_lineage(visible=visible, unit=phu_binh)
    assert (len(three.predecessors), len(six.predecessors)) == (3, 6)


def test_a_township_merged_into_a_new_xa_is_listed_but_not_counted(leader):
    phu_binh = AdministrativeUnit.objects.get(name="Xã Phú Bình", valid_until=None)
    lineage = commune_lineage(visible=unit_scope(leader), unit=phu_binh)
    kinds = sorted(row.unit.kind for row in lineage.predecessors)
    assert kinds == ["thi_tran", "xa", "xa", "xa", "xa", "xa"]
    assert len(lineage.former_communes) == 5


def test_a_unit_formed_from_nothing_recorded_has_no_lineage(merger, leader):
    assert commune_lineage(visible=unit_scope(leader), unit=merger["thinh_duc"]) is None


# --- The pages ---------------------------------------------------------------------------


def test_the_new_communes_page_shows_what_the_former_communes_achieved(client, merger, small_set, leader):
    own = approved(merger["new"], merger["2026"], small_set, 1, 2, status=AssessmentStatus.DRAFT)
    client.force_login(leader)
    page = client.get(reverse("unit-detail", args=[merger["new"].pk])).content.decode()
    assert "Kết quả của các xã trước sáp nhập" in page
    assert "Hình thành từ 3 xã cũ." in page
    assert 'data-testid="lineage-level-standard">Đạt chuẩn NTM: 1<' in page
    assert 'data-testid="lineage-level-advanced">NTM nâng cao: 0<' in page
    assert 'data-testid="lineage-level-model">NTM kiểu mẫu: 0<' in page
    assert "quyết định số 1234/QĐ-UBND ngày 20/12/2019" in page
    assert "6 tháng đầu năm 2020 · Bộ thử: Đạt 1/2 tiêu chí" in page
    assert "Chưa có phiếu đánh giá đã duyệt" in page  # Tân Cương and Bình Sơn
    assert page.count('data-testid="lineage-row"') == 3
    # The commune's own assessments stay as they are, before the former communes' results.
    assert reverse("assessment-detail", args=[own.pk]) in page
    assert page.index('data-testid="unit-assessments"') < page.index('data-testid="lineage"')


def test_a_former_communes_page_has_no_such_section(client, merger, leader):
    client.force_login(leader)
    page = client.get(reverse("unit-detail", args=[merger["thinh_duc"].pk])).content.decode()
    assert 'data-testid="lineage"' not in page


def test_the_assessment_page_of_a_new_commune_shows_the_same_summary(client, merger, small_set, coordinator):
    own = approved(merger["new"], merger["2026"], small_set, 0, 2, status=AssessmentStatus.DRAFT)
    old = Assessment.objects.get(commune=merger["thinh_duc"], period__code="2020-h1")
    client.force_login(coordinator)
    page = client.get(reverse("assessment-detail", args=[own.pk])).content.decode()
    assert "Kết quả của các xã trước sáp nhập" in page
    assert "quyết định số 1234/QĐ-UBND ngày 20/12/2019" in page
    old_page = client.get(reverse("assessment-detail", args=[old.pk])).content.decode()
    assert 'data-testid="lineage"' not in old_page


# --- The overview after the reform -------------------------------------------------------


def test_the_2026_overview_counts_no_recognition_that_the_new_commune_has_not_got(merger, small_set, leader):
    overview = province_overview(visible=unit_scope(leader), period=merger["2026"], criteria_set=small_set)
    assert overview.totals.recognised == 0
    rows = {row.unit.pk: row for row in overview.mergers.rows}
    row = rows[merger["new"].pk]
    assert (row.formed_from, row.recognised) == (3, 1)
    assert [item.count for item in row.by_level] == [1, 0, 0]
    communes, former = new_xa_stats()
    assert (overview.mergers.communes, overview.mergers.former_communes) == (communes, former)
    assert overview.mergers.recognised == 1
    assert sum(r.recognised for r in overview.mergers.rows) == 1


def test_a_decision_for_the_new_commune_itself_counts_it_as_recognised(
    merger, small_set, coordinator, leader
):
    recognise(coordinator, merger["new"], small_set, "88/QĐ-UBND", D(2026, 10, 1))
    overview = province_overview(visible=unit_scope(leader), period=merger["2026"], criteria_set=small_set)
    assert overview.totals.recognised == 1
    [row] = overview.districts
    assert (row.district, row.figures.recognised) == (None, 1)
    assert merger["new"].pk not in {row.unit.pk for row in overview.mergers.rows}
    communes, former = new_xa_stats(without={merger["new"].pk})
    assert (overview.mergers.communes, overview.mergers.former_communes) == (communes, former)
    assert overview.mergers.recognised == 0


def test_a_decision_after_the_periods_end_does_not_count(merger, small_set, coordinator, leader):
    recognise(coordinator, merger["new"], small_set, "88/QĐ-UBND", D(2026, 10, 1))
    first_half = make_period("2026-h1", D(2026, 1, 1), D(2026, 6, 30))
    overview = province_overview(visible=unit_scope(leader), period=first_half, criteria_set=small_set)
    assert overview.totals.recognised == 0
    assert merger["new"].pk in {row.unit.pk for row in overview.mergers.rows}


def test_a_split_commune_counts_in_each_new_commune_once_in_the_headline(small_set, coordinator, leader):
    thuong_dinh = AdministrativeUnit.objects.get(name="Xã Thượng Đình", valid_until=D(2025, 6, 30))
    successors = {row.successor.name for row in thuong_dinh.successions_as_predecessor.all()}
    assert successors == {"Xã Phú Bình", "Xã Điềm Thụy"}
    recognise(coordinator, thuong_dinh, small_set, "7/QĐ-UBND", D(2020, 5, 5))
    period = make_period("2026", D(2026, 1, 1), D(2026, 12, 31))
    overview = province_overview(visible=unit_scope(leader), period=period, criteria_set=small_set)
    rows = {row.unit.name: row for row in overview.mergers.rows}
    assert rows["Xã Phú Bình"].recognised == rows["Xã Điềm Thụy"].recognised == 1
    assert rows["Xã Phú Bình"].formed_from == 5  # the township of Hương Sơn is not a xã
    assert overview.mergers.recognised == 1
    lineage = commune_lineage(
        visible=unit_scope(leader), unit=AdministrativeUnit.objects.get(pk=rows["Xã Phú Bình"].unit.pk)
    )
    [split] = [row for row in lineage.predecessors if row.unit == thuong_dinh]
    assert split.is_split


def test_an_overview_before_the_reform_has_no_roll_up(merger, small_set, period, leader):
    overview = province_overview(visible=unit_scope(leader), period=period, criteria_set=small_set)
    assert overview.mergers is None


def _overview_queries(leader, period, criteria_set) -> int:
    visible = unit_scope(leader)
    visible.count()  # load the leader's agency and scope once
    with CaptureQueriesContext(connection) as queries:
        province_overview(visible=visible, period=period, criteria_set=criteria_set)
    return len(queries)


def test_the_2026_overview_runs_eight_queries_whatever_the_number_of_recognised_predecessors(
    merger, small_set, coordinator, leader
):
    one = _overview_queries(leader, merger["2026"], small_set)
    former = AdministrativeUnit.objects.filter(kind=UnitKind.COMMUNE, valid_until=D(2025, 6, 30)).order_by(
        "code"
    )
    for index, commune in enumerate(former[:12]):
        if commune != merger["tan_cuong"]:
            recognise(coordinator, commune, small_set, f"{index}/QĐ-UBND", D(2020, 1, 2))
    recognise(coordinator, merger["new"], small_set, "88/QĐ-UBND", D(2026, 10, 1))
    many = _overview_queries(leader, merger["2026"], small_set)
    assert one == many == 8


def test_the_overview_page_shows_the_roll_up_without_counting_it(client, merger, small_set, leader):
    client.force_login(leader)
    page = client.get(
        reverse("criteria-overview"), {"period": "2026", "set": small_set.code}
    ).content.decode()
    assert 'data-testid="card-recognised">0<' in page
    communes, former = new_xa_stats()
    assert (
        f"Xã mới chưa có quyết định công nhận riêng: {communes} "
        f"(hình thành từ {former} xã cũ, trong đó 1 xã đã được công nhận đạt chuẩn)"
    ) in page
    assert "hình thành từ 3 xã, trong đó 1 xã đã được công nhận đạt chuẩn" in page
