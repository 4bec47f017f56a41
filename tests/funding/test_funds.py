"""Funds: disbursement rates by unit and source on hand-computed data, the slow list
against the expected rate a coordinator sets, the disbursement limit, who may do what."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from funding.models import Disbursement, DisbursementMilestone, FundAllocation
from tests.conftest import unit
from tests.funding.factories import fund, paid, source

pytestmark = pytest.mark.django_db


@pytest.fixture
def funds_2020(db):
    """Đại Từ (171): central 1.000.000.000 đ, 600.000.000 paid (60 %); provincial
    500.000.000 đ, 100.000.000 paid (20 %). Phú Bình (173): central 2.000.000.000 đ,
    1.700.000.000 paid (85 %), of which 200.000.000 on 15/07/2020. Expected: 50 % by
    30/06/2020, 80 % by 30/09/2020."""
    fund("171", 1_000_000_000)
    fund("171", 500_000_000, source_code="ngan-sach-tinh")
    fund("173", 2_000_000_000)
    paid("171", 600_000_000)
    paid("171", 100_000_000, source_code="ngan-sach-tinh")
    paid("173", 1_500_000_000)
    paid("173", 200_000_000, day=datetime.date(2020, 7, 15))
    DisbursementMilestone.objects.create(year=2020, due_on=datetime.date(2020, 6, 30), expected_percent=50)
    DisbursementMilestone.objects.create(year=2020, due_on=datetime.date(2020, 9, 30), expected_percent=80)


def test_rates_by_unit_and_source_on_hand_computed_data(client, leader, funds_2020):
    client.force_login(leader)
    response = client.get(reverse("funding-funds"), {"year": "2020", "as_of": "30/06/2020"})
    overview = response.context["overview"]
    # On 30/06/2020 Phú Bình's July payment is not counted yet.
    assert [(r.key.code, r.allocated, r.disbursed, r.rate) for r in overview.by_unit] == [
        ("171", Decimal(1_500_000_000), Decimal(700_000_000), Decimal("46.7")),
        ("173", Decimal(2_000_000_000), Decimal(1_500_000_000), Decimal("75.0")),
    ]
    assert [(r.key.code, r.rate) for r in overview.by_source] == [
        ("ngan-sach-trung-uong", Decimal("70.0")),  # 2.100.000.000 / 3.000.000.000
        ("ngan-sach-tinh", Decimal("20.0")),
    ]
    assert overview.total.rate == Decimal("62.9")  # 2.200.000.000 / 3.500.000.000
    assert overview.expected == 50
    assert [
        (s.row.key[0].code, s.row.key[1].code, s.gap_points, s.shortfall) for s in overview.slow_pairs
    ] == [("171", "ngan-sach-tinh", Decimal("30.0"), Decimal(150_000_000))]
    assert [s.row.key.code for s in overview.slow_units] == ["171"]
    page = response.content.decode()
    assert "1.500.000.000 đ" in page and "46,7 %" in page and "150.000.000 đ" in page


def test_later_in_the_year_the_expected_rate_rises_and_more_units_are_slow(client, coordinator, funds_2020):
    client.force_login(coordinator)
    overview = client.get(reverse("funding-funds"), {"year": "2020", "as_of": "01/10/2020"}).context[
        "overview"
    ]
    assert overview.expected == 80
    assert [(r.key.code, r.rate) for r in overview.by_unit] == [
        ("171", Decimal("46.7")),
        ("173", Decimal("85.0")),
    ]
    assert [(s.row.key[0].code, s.row.key[1].code) for s in overview.slow_pairs] == [
        ("171", "ngan-sach-tinh"),  # 20 %: 60 points behind
        ("171", "ngan-sach-trung-uong"),  # 60 %: 20 points behind
    ]


def test_a_district_officer_sees_only_their_district(client, phu_binh_officer, funds_2020):
    client.force_login(phu_binh_officer)
    overview = client.get(reverse("funding-funds"), {"year": "2020"}).context["overview"]
    assert [r.key.code for r in overview.by_unit] == ["173"]


def _disbursement(**overrides):
    data = {
        "unit": str(unit("171").pk),
        "year": "2020",
        "source": str(source().pk),
        "paid_on": "20/08/2020",
        "amount": "400.000.001",
        "note": "",
    }
    data.update(overrides)
    return data


def test_a_disbursement_beyond_the_allocation_is_refused_and_nothing_is_saved(
    client, dai_tu_officer, funds_2020
):
    client.force_login(dai_tu_officer)
    response = client.post(reverse("funding-disbursement-new"), _disbursement())
    assert response.status_code == 400
    page = response.content.decode()
    assert "1.000.000.000 đ" in page and "600.000.000 đ" in page and "400.000.000 đ" in page
    assert Disbursement.objects.count() == 4
    response = client.post(reverse("funding-disbursement-new"), _disbursement(amount="400.000.000"))
    assert response.status_code == 302
    added = Disbursement.objects.latest("pk")
    assert (added.amount, added.history.get().history_user) == (Decimal(400_000_000), dai_tu_officer)


def test_a_district_officer_cannot_report_a_disbursement_for_another_district(
    client, phu_binh_officer, funds_2020
):
    client.force_login(phu_binh_officer)
    response = client.post(reverse("funding-disbursement-new"), _disbursement(amount="1"))
    assert response.status_code == 404
    assert Disbursement.objects.count() == 4


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"amount": "1,5"}, "amount"), ({"amount": "0"}, "amount"), ({"paid_on": "31/12/2019"}, "paid_on")],
)
def test_a_bad_disbursement_names_the_field(client, dai_tu_officer, funds_2020, overrides, field):
    client.force_login(dai_tu_officer)
    response = client.post(reverse("funding-disbursement-new"), _disbursement(**overrides))
    assert response.status_code == 400
    assert f'data-testid="error-{field}"' in response.content.decode()
    assert Disbursement.objects.count() == 4


def test_the_coordinator_allocates_funds_and_officers_may_not(client, coordinator, dai_tu_officer):
    data = {
        "unit": str(unit("171").pk),
        "year": "2020",
        "source": str(source("cong-dong").pk),
        "amount": "1.234.567",
        "decision_number": "88/QĐ-UBND",
        "decision_date": "01/03/2020",
    }
    client.force_login(dai_tu_officer)
    assert client.post(reverse("funding-fund-allocation-new"), data).status_code == 403
    client.force_login(coordinator)
    assert client.post(reverse("funding-fund-allocation-new"), data).status_code == 302
    row = FundAllocation.objects.get()
    assert (row.unit.code, row.amount, row.source.code) == ("171", Decimal(1234567), "cong-dong")
    page = client.get(reverse("funding-funds"), {"year": "2020"}).content.decode()
    assert "1.234.567 đ" in page


def test_the_coordinator_sets_expected_rates_that_never_go_down(
    client, coordinator, dai_tu_officer, funds_2020
):
    url = reverse("funding-milestone")
    client.force_login(dai_tu_officer)
    assert (
        client.post(url, {"year": "2020", "due_on": "31/12/2020", "expected_percent": "95"}).status_code
        == 403
    )
    client.force_login(coordinator)
    assert (
        client.post(url, {"year": "2020", "due_on": "31/12/2020", "expected_percent": "95"}).status_code
        == 302
    )
    response = client.post(url, {"year": "2020", "due_on": "31/08/2020", "expected_percent": "45"})
    assert response.status_code == 400
    assert 'data-testid="error-expected_percent"' in response.content.decode()
    assert (
        client.post(url, {"year": "2020", "due_on": "30/06/2020", "expected_percent": "55,5"}).status_code
        == 302
    )
    assert list(DisbursementMilestone.objects.values_list("due_on", "expected_percent")) == [
        (datetime.date(2020, 6, 30), Decimal("55.50")),
        (datetime.date(2020, 9, 30), Decimal("80.00")),
        (datetime.date(2020, 12, 31), Decimal("95.00")),
    ]
    changed = DisbursementMilestone.objects.get(due_on=datetime.date(2020, 6, 30))
    assert [record.history_user for record in changed.history.order_by("history_date")] == [None, coordinator]


def test_the_funds_overview_takes_the_same_number_of_queries_for_more_units(
    client, coordinator, funds_2020, django_assert_num_queries
):
    client.force_login(coordinator)
    url = reverse("funding-funds")
    client.get(url, {"year": "2020"})
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"year": "2020"})
    for code in ("164", "165", "167", "168", "169", "170", "172"):
        fund(code, 10_000_000, source_code="cong-dong")
        paid(code, 1_000_000, source_code="cong-dong")
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url, {"year": "2020"})
    assert len(response.context["overview"].by_unit) == 9
