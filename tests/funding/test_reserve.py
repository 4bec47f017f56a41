"""The reserve proposal page: the ranked proposal on a hand-computed case, adjusting the
shares (they must still add up to the reserve), approving it as a reserve batch, the
workbook for the People's Committee, and the commune level after the 2025 reform."""

import datetime
from decimal import Decimal
from io import BytesIO
from urllib.parse import unquote

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from communes.models import AdministrativeUnit
from core.formatting import tonnes_text
from funding.exports import proposal_filename
from funding.models import CementBatch, CementUse, StandardTarget
from tests.conftest import unit
from tests.funding.factories import batch, registered, use

pytestmark = pytest.mark.django_db

QUERY = {"year": "2020", "level": "district", "reserve": "100"}


@pytest.fixture
def year_2020(db):
    """Đại Từ (171) used 190 of 200 t (95 %); Phú Bình (173) 100 of 100 t and one commune
    registered for 2020; Võ Nhai (170) 150 of 300 t and two communes; Định Hóa (167)
    nothing allocated but one commune registered; the other five districts nothing.
    Points (10 per 100 % ratio, 5 per commune): 173 15, 170 15, 171 9,5, 167 5: the
    shares of 100 t are 34, 34, 21, 11 (see test_allocation for the arithmetic)."""
    batch(d171="200", d173="100", d170="300")
    use("171", "190")
    use("173", "100")
    use("170", "150")
    registered("Xã Tân Khánh")  # Phú Bình
    registered("Xã Sảng Mộc", "Xã Nghinh Tường")  # Võ Nhai
    registered("Xã Linh Thông")  # Định Hóa


def _shares(response) -> list[tuple[str, int]]:
    return [(item["unit"].code, item["row"].share) for item in response.context["rows"]]


def test_the_proposal_follows_the_documented_priority_on_a_hand_computed_case(client, coordinator, year_2020):
    client.force_login(coordinator)
    response = client.get(reverse("funding-reserve"), QUERY)
    assert response.status_code == 200
    assert _shares(response) == [
        ("173", 34),  # 15 points, ratio 100 %: first of the tie
        ("170", 34),  # 15 points, ratio 50 %
        ("171", 21),  # 9,5 points
        ("167", 11),  # 5 points, nothing allocated before
        ("164", 0),
        ("165", 0),
        ("168", 0),
        ("169", 0),
        ("172", 0),
    ]
    assert sum(share for _code, share in _shares(response)) == 100
    page = response.content.decode()
    assert "44,5" in page  # total points
    assert page.count('data-testid="share"') == 9


def test_the_coordinator_adjusts_and_approves_the_reserve(client, coordinator, year_2020):
    client.force_login(coordinator)
    data = {
        **QUERY,
        "usage": "10",
        "per_registered": "5",
        "per_road_km": "0",
        f"share-{unit('173').pk}": "30",
        f"share-{unit('170').pk}": "37,5",
        f"share-{unit('171').pk}": "21",
        f"share-{unit('167').pk}": "11,5",
        "decision_number": "2050/QĐ-UBND",
        "decision_date": "20/07/2020",
    }
    response = client.post(reverse("funding-reserve"), data)
    reserve = CementBatch.objects.get(kind="reserve")
    assert response.status_code == 302 and response["Location"] == reverse("funding-batch", args=[reserve.pk])
    assert (reserve.year, reserve.decision_number, reserve.decision_date) == (
        2020,
        "2050/QĐ-UBND",
        datetime.date(2020, 7, 20),
    )
    assert sorted(reserve.allocations.values_list("unit__code", "tonnes")) == [
        ("167", Decimal("11.5")),
        ("170", Decimal("37.5")),
        ("171", Decimal("21")),
        ("173", Decimal("30")),
    ]
    assert [(row["code"], row["proposed"], row["approved"]) for row in reserve.basis[:4]] == [
        ("173", 34, "30"),
        ("170", 34, "37.5"),
        ("171", 21, "21"),
        ("167", 11, "11.5"),
    ]
    assert reserve.history.get().history_user == coordinator
    # The reserve raises what each district may use: Đại Từ used 190 of 221 t now.
    assert (
        client.get(reverse("funding-cement"), {"year": "2020"}).context["overview"].rows[2].allocated == 221
    )


def test_shares_that_do_not_add_up_to_the_reserve_are_refused_and_nothing_is_saved(
    client, coordinator, year_2020
):
    client.force_login(coordinator)
    data = {
        **QUERY,
        f"share-{unit('173').pk}": "30",
        f"share-{unit('170').pk}": "34",
        f"share-{unit('171').pk}": "21",
        f"share-{unit('167').pk}": "11",
        "decision_number": "2050/QĐ-UBND",
        "decision_date": "20/07/2020",
    }
    response = client.post(reverse("funding-reserve"), data)
    assert response.status_code == 400
    page = response.content.decode()
    with translation.override("vi"):
        assert tonnes_text(Decimal(96)) in page and tonnes_text(Decimal(100)) in page
    assert 'data-testid="shares-error"' in page
    assert 'value="30"' in page  # the coordinator's numbers stay on the page
    assert not CementBatch.objects.filter(kind="reserve").exists()


def test_a_negative_share_is_refused_naming_the_unit(client, coordinator, year_2020):
    client.force_login(coordinator)
    data = {
        **QUERY,
        f"share-{unit('173').pk}": "-4",
        f"share-{unit('170').pk}": "38",
        f"share-{unit('171').pk}": "55",
        f"share-{unit('167').pk}": "11",
        "decision_number": "2050/QĐ-UBND",
        "decision_date": "20/07/2020",
    }
    response = client.post(reverse("funding-reserve"), data)
    assert response.status_code == 400
    assert "Huyện Phú Bình:" in response.content.decode()
    assert not CementBatch.objects.filter(kind="reserve").exists()


def test_a_reserve_that_is_not_whole_tonnes_is_refused_on_its_field(client, coordinator, year_2020):
    client.force_login(coordinator)
    response = client.get(reverse("funding-reserve"), {**QUERY, "reserve": "100,5"})
    assert response.status_code == 200
    assert response.context["proposal"] is None
    assert 'data-testid="error-reserve"' in response.content.decode()


def test_the_workbook_holds_the_ranked_proposal_adding_up_to_the_reserve(client, coordinator, year_2020):
    client.force_login(coordinator)
    response = client.get(reverse("funding-reserve-export"), QUERY)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    with translation.override("vi"):
        expected = proposal_filename(2020)  # "Đề xuất phân bổ xi măng dự phòng năm 2020.xlsx"
    header = response["Content-Disposition"]
    assert expected.endswith(" 2020.xlsx")
    # Vietnamese letters go in filename*= (RFC 6266), a plain ASCII name in filename=.
    sent = unquote(header.split("filename*=utf-8''")[1]) if "filename*=" in header else header.split('"')[1]
    assert sent == expected
    sheet = openpyxl.load_workbook(BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=6, max_row=14)]
    assert [(row[2], row[13]) for row in rows] == [
        ("173", 34),
        ("170", 34),
        ("171", 21),
        ("167", 11),
        ("164", 0),
        ("165", 0),
        ("168", 0),
        ("169", 0),
        ("172", 0),
    ]
    assert sheet.cell(15, 14).value == 100  # the total row
    assert sheet.cell(6, 6).value == 100  # Phú Bình's usage ratio, percent
    assert sheet.cell(9, 6).value is None  # Định Hóa had nothing allocated: no ratio
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.print_title_rows == "$5:$5"


def test_the_workbook_carries_the_adjusted_shares_when_they_add_up(client, coordinator, year_2020):
    client.force_login(coordinator)
    shares = {
        f"share-{unit(code).pk}": value
        for code, value in (("173", "30"), ("170", "38"), ("171", "21"), ("167", "11"))
    }
    response = client.post(reverse("funding-reserve-export"), {**QUERY, **shares})
    sheet = openpyxl.load_workbook(BytesIO(response.content)).active
    assert [sheet.cell(row, 15).value for row in range(6, 10)] == [30, 38, 21, 11]
    assert sheet.cell(15, 15).value == 100
    wrong = client.post(
        reverse("funding-reserve-export"), {**QUERY, **shares, f"share-{unit('173').pk}": "31"}
    )
    assert wrong.status_code == 400 and 'data-testid="shares-error"' in wrong.content.decode()


def test_after_the_reform_the_reserve_goes_to_the_communes_in_force(client, coordinator):
    """2026: no districts any more; Xã Tân Cương used 9 of 10 t, Xã Phú Bình (new) has
    nothing allocated but registered to reach the standard in 2026."""
    tan_cuong = AdministrativeUnit.objects.get(name="Xã Tân Cương", valid_until=None)
    phu_binh = AdministrativeUnit.objects.get(name="Xã Phú Bình", valid_until=None)
    first = CementBatch.objects.create(
        year=2026, decision_number="1/QĐ-UBND", decision_date=datetime.date(2026, 3, 1)
    )
    first.allocations.create(unit=tan_cuong, tonnes=Decimal(10))
    CementUse.objects.create(
        unit=tan_cuong, year=2026, used_on=datetime.date(2026, 5, 1), tonnes=Decimal(9), purpose="school",
        description="Sân trường", evidence="Biên bản",
    )  # fmt: skip
    StandardTarget.objects.create(commune=phu_binh, year=2026)
    client.force_login(coordinator)
    response = client.get(reverse("funding-reserve"), {"year": "2026", "level": "commune", "reserve": "14"})
    rows = response.context["rows"]
    assert (
        len(rows) == AdministrativeUnit.objects.filter(kind="xa", valid_until=None, parent__code="19").count()
    )
    # 9 points (90 %) against 5 (one commune): 9 and 5 t.
    assert [(item["unit"].name, item["row"].share) for item in rows[:2]] == [
        ("Xã Tân Cương", 9),
        ("Xã Phú Bình", 5),
    ]
    assert sum(item["row"].share for item in rows) == 14


def test_only_coordinators_propose_and_approve(client, dai_tu_officer, leader, year_2020):
    for user in (dai_tu_officer, leader):
        client.force_login(user)
        assert client.get(reverse("funding-reserve"), QUERY).status_code == 403
        assert client.post(reverse("funding-reserve"), QUERY).status_code == 403
        assert client.get(reverse("funding-reserve-export"), QUERY).status_code == 403


def test_the_basis_writes_numbers_without_exponents():
    """A commune that used nothing has a ratio of 0 computed by division: stored as "0",
    not "0E+3", in the batch's basis that the page and the API show."""
    from decimal import Decimal

    from funding.services.reserve import _plain

    assert [_plain(Decimal("0E+3")), _plain(Decimal("12.500")), _plain(7)] == ["0", "12.500", "7"]
