"""Fund allocations refuse the units a cement batch refuses (one function, one message);
decisions dated outside their year; the admin's expected rates never go down; errors
sit on the field they are about; sensible defaults; the reserve's warning when districts
already hold cement of the year."""

import datetime
from decimal import Decimal

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse

from communes.models import AdministrativeUnit
from funding.admin import DisbursementMilestoneForm
from funding.models import DisbursementMilestone, FundAllocation
from funding.services.cement import cement_batch_create
from funding.services.funds import disbursement_create, fund_allocation_create
from tests.conftest import unit
from tests.funding.factories import batch, commune, fund, registered, source

pytestmark = pytest.mark.django_db


def _bac_kan_commune() -> AdministrativeUnit:
    return (
        AdministrativeUnit.objects.filter(level="commune", kind="xa", parent__parent__code="06")
        .order_by("code")
        .first()
        or AdministrativeUnit.objects.filter(level="commune", parent__parent__code="06")
        .order_by("code")
        .first()
    )


def _allocate_funds(user, place, year=2020, **extra):
    return fund_allocation_create(
        user=user, unit=place, year=year, source=source(), amount=Decimal(100_000_000), **extra
    )


def test_a_bac_kan_commune_gets_neither_funds_nor_cement_of_2020_with_the_same_message(coordinator):
    place = _bac_kan_commune()
    with pytest.raises(ValidationError) as funds:
        _allocate_funds(coordinator, place)
    with pytest.raises(ValidationError) as cement:
        cement_batch_create(
            user=coordinator,
            year=2020,
            kind="regular",
            decision_number="1/QĐ-UBND",
            decision_date=datetime.date(2020, 3, 1),
            allocations={place: Decimal("10")},
        )
    assert funds.value.message_dict["unit"] == cement.value.message_dict[f"unit-{place.pk}"]
    assert "Bắc Kạn" in funds.value.message_dict["unit"][0]
    assert not FundAllocation.objects.exists()


def test_funds_never_go_to_a_commune_of_a_district_holding_funds_of_the_year_nor_the_reverse(coordinator):
    fund("171", 1_000_000_000)
    with pytest.raises(ValidationError) as caught:
        _allocate_funds(coordinator, commune("Xã Phúc Lương"))
    assert "Huyện Đại Từ" in caught.value.message_dict["unit"][0]
    _allocate_funds(coordinator, commune("Xã Tân Khánh"))  # Phú Bình holds nothing
    with pytest.raises(ValidationError) as caught:
        _allocate_funds(coordinator, unit("173"))
    assert "Xã Tân Khánh" in caught.value.message_dict["unit"][0]
    _allocate_funds(coordinator, commune("Xã Phúc Lương"), year=2021)  # another year is fine


@pytest.mark.parametrize(
    ("day", "refused"), [(datetime.date(2018, 12, 1), True), (datetime.date(2019, 12, 20), False)]
)
def test_a_decision_dated_outside_its_year_or_the_year_before_is_refused(coordinator, day, refused):
    def create():
        return cement_batch_create(
            user=coordinator,
            year=2020,
            kind="regular",
            decision_number="2/QĐ-UBND",
            decision_date=day,
            allocations={unit("171"): Decimal("10")},
        )

    if refused:
        with pytest.raises(ValidationError) as caught:
            create()
        assert list(caught.value.message_dict) == ["decision_date"]
        with pytest.raises(ValidationError) as caught:
            _allocate_funds(coordinator, unit("171"), decision_date=day)
        assert list(caught.value.message_dict) == ["decision_date"]
    else:
        create()
        _allocate_funds(coordinator, unit("171"), decision_date=day)


def test_the_admin_refuses_an_expected_rate_that_goes_down_like_the_portal():
    assert admin.site._registry[DisbursementMilestone].form is DisbursementMilestoneForm
    DisbursementMilestone.objects.create(year=2020, due_on=datetime.date(2020, 6, 30), expected_percent=50)
    form = DisbursementMilestoneForm(data={"year": 2020, "due_on": "2020-09-30", "expected_percent": "40"})
    assert not form.is_valid() and "30/06/2020" in form.errors["expected_percent"][0]
    form = DisbursementMilestoneForm(data={"year": 2020, "due_on": "2020-09-30", "expected_percent": "65"})
    assert form.is_valid()
    # Editing the 30/06 milestone itself is not compared with itself.
    june = DisbursementMilestone.objects.get()
    form = DisbursementMilestoneForm(
        instance=june, data={"year": 2020, "due_on": "2020-06-30", "expected_percent": "45"}
    )
    assert form.is_valid()


def test_a_disbursement_from_a_source_not_allocated_is_an_error_on_the_source(client, dai_tu_officer):
    fund("171", 1_000_000_000)
    with pytest.raises(ValidationError) as caught:
        disbursement_create(
            user=dai_tu_officer,
            unit=unit("171"),
            year=2020,
            source=source("ngan-sach-tinh"),
            paid_on=datetime.date(2020, 6, 1),
            amount=Decimal(1_000),
        )
    assert list(caught.value.message_dict) == ["source"]
    client.force_login(dai_tu_officer)
    form = client.get(reverse("funding-disbursement-new")).context["form"]
    assert list(form.fields["source"].queryset) == [source()]


def test_the_use_and_delivery_forms_default_to_the_latest_year_the_units_hold_cement(client, dai_tu_officer):
    batch(year=2019, number="1/QĐ-UBND", day=datetime.date(2019, 3, 1), d171="10")
    batch(d171="100")
    client.force_login(dai_tu_officer)
    for name in ("funding-use-new", "funding-delivery-new"):
        assert client.get(reverse(name)).context["form"].initial["year"] == 2020
    response = client.post(
        reverse("funding-use-new"),
        {
            "unit": str(unit("171").pk),
            "year": "2018",
            "used_on": "05/05/2020",
            "tonnes": "1",
            "purpose": "school",
            "description": "Sân trường",
            "evidence": "Biên bản",
        },
    )
    assert response.status_code == 400 and 'data-testid="error-year"' in response.content.decode()
    response = client.post(
        reverse("funding-delivery-new"),
        {"unit": str(unit("171").pk), "year": "2018", "delivered_on": "05/05/2020", "tonnes": "1"},
    )
    assert response.status_code == 400 and 'data-testid="error-year"' in response.content.decode()


def test_a_reserve_with_no_unit_of_the_level_that_year_is_an_error_on_the_year(client, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("funding-reserve"), {"year": "2026", "level": "district", "reserve": "100"})
    assert "year" in response.context["form"].errors
    assert "reserve" not in response.context["form"].errors


def test_a_commune_reserve_warns_when_their_districts_hold_cement_of_the_year(client, coordinator):
    batch(d171="200")
    registered("Xã Phúc Lương", "Xã Tân Khánh")
    client.force_login(coordinator)
    query = {"year": "2020", "level": "commune", "reserve": "100"}
    page = client.get(reverse("funding-reserve"), query).content.decode()
    assert 'data-testid="nesting-warning"' in page and "Huyện Đại Từ" in page
    page = client.get(reverse("funding-reserve"), {**query, "level": "district"}).content.decode()
    assert 'data-testid="nesting-warning"' not in page
