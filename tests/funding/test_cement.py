"""Cement: use reports (who may report, the allocation limit, nothing half-saved, the
history), deliveries, batches, the overview and a unit's page."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from core.formatting import tonnes_text
from funding.models import CementAllocation, CementBatch, CementDelivery, CementUse
from funding.services.cement import cement_batch_create, cement_delivery_create, cement_use_create
from tests.conftest import unit
from tests.funding.factories import batch, commune, use

pytestmark = pytest.mark.django_db


def _form(**overrides):
    data = {
        "unit": str(unit("171").pk),
        "year": "2020",
        "used_on": "05/05/2020",
        "tonnes": "12,5",
        "purpose": "road",
        "road_kind": "hamlet_axis",
        "length_km": "0,8",
        "place": str(commune("Xã Phúc Lương").pk),
        "description": "Đường trục xóm Đồng Cả",
        "evidence": "Biên bản nghiệm thu số 12/BB-NT ngày 05/05/2020",
    }
    data.update(overrides)
    return data


def _vi(function, *args, **kwargs):
    with translation.override("vi"):
        return function(*args, **kwargs)


def test_district_officer_reports_use_for_their_district_and_the_history_names_them(client, dai_tu_officer):
    batch(d171="100")
    client.force_login(dai_tu_officer)
    response = client.post(reverse("funding-use-new"), _form(), follow=True)
    assert response.status_code == 200
    [report] = CementUse.objects.all()
    assert (report.unit, report.tonnes, report.road_kind, report.length_km) == (
        unit("171"),
        Decimal("12.5"),
        "hamlet_axis",
        Decimal("0.8"),
    )
    assert report.place == commune("Xã Phúc Lương")
    assert report.history.get().history_user == dai_tu_officer
    page = response.content.decode()
    assert _vi(tonnes_text, Decimal("12.5")) in page  # "12,5 tấn"
    assert "daitu_officer" in page  # the unit page's history says who reported


def test_district_officer_cannot_report_for_another_district(client, phu_binh_officer):
    batch(d171="100")
    client.force_login(phu_binh_officer)
    response = client.post(reverse("funding-use-new"), _form())
    assert response.status_code == 404
    assert not CementUse.objects.exists()


def test_a_commune_of_another_district_as_the_place_is_404_too(client, dai_tu_officer):
    batch(d171="100")
    client.force_login(dai_tu_officer)
    response = client.post(reverse("funding-use-new"), _form(place=str(commune("Xã Tân Khánh").pk)))
    assert response.status_code == 404
    assert not CementUse.objects.exists()


def test_a_report_beyond_the_allocation_is_refused_with_what_is_left_and_nothing_is_saved(
    client, dai_tu_officer
):
    batch(d171="60")
    batch(number="1375/QĐ-UBND", day=datetime.date(2020, 5, 12), d171="40")
    use("171", "95.5")
    client.force_login(dai_tu_officer)
    response = client.post(reverse("funding-use-new"), _form(tonnes="4,6"))
    assert response.status_code == 400
    page = response.content.decode()
    for figure in ("100", "95.5", "4.6", "4.5"):  # allocated, used, this report, at most
        assert _vi(tonnes_text, Decimal(figure)) in page
    assert 'data-testid="error-tonnes"' in page
    assert CementUse.objects.count() == 1
    # What is left can still be reported, to the kilogram.
    response = client.post(reverse("funding-use-new"), _form(tonnes="4,5"))
    assert response.status_code == 302
    assert CementUse.objects.count() == 2


def test_the_service_refuses_the_second_of_two_reports_that_together_exceed_the_allocation(dai_tu_officer):
    batch(d171="10")
    arguments = {
        "user": dai_tu_officer,
        "unit": unit("171"),
        "year": 2020,
        "used_on": datetime.date(2020, 5, 5),
        "purpose": "school",
        "description": "Sân trường",
        "evidence": "Biên bản",
    }
    cement_use_create(tonnes=Decimal("6"), **arguments)
    with pytest.raises(ValidationError) as caught:
        cement_use_create(tonnes=Decimal("6"), **arguments)
    assert list(caught.value.message_dict) == ["tonnes"]
    assert CementUse.objects.count() == 1


def test_a_unit_with_no_allocation_that_year_cannot_report_and_the_error_sits_on_the_year(dai_tu_officer):
    batch(year=2019, number="1/QĐ-UBND", day=datetime.date(2019, 3, 1), d171="10")
    with pytest.raises(ValidationError) as caught:
        cement_use_create(
            user=dai_tu_officer,
            unit=unit("171"),
            year=2020,
            used_on=datetime.date(2020, 5, 5),
            tonnes=Decimal("1"),
            purpose="school",
            description="Sân trường",
            evidence="Biên bản",
        )
    assert list(caught.value.message_dict) == ["year"]
    assert not CementUse.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"road_kind": ""}, "road_kind"),
        ({"purpose": "school"}, "road_kind"),  # a road kind only for a road
        ({"length_km": ""}, "length_km"),
        ({"tonnes": "0"}, "tonnes"),
        ({"tonnes": "1,2345"}, "tonnes"),
        ({"tonnes": "mười"}, "tonnes"),
        ({"used_on": "01/12/2026"}, "used_on"),  # tomorrow
        ({"used_on": "31/12/2019"}, "used_on"),  # before the allocation year
        ({"evidence": "   "}, "evidence"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_saved(client, dai_tu_officer, overrides, field):
    batch(d171="100")
    client.force_login(dai_tu_officer)
    response = client.post(reverse("funding-use-new"), _form(**overrides))
    assert response.status_code == 400
    assert f'data-testid="error-{field}"' in response.content.decode()
    assert not CementUse.objects.exists()


def test_read_only_roles_cannot_report(client, leader, department_officer):
    batch(d171="100")
    for user in (leader, department_officer):
        client.force_login(user)
        assert client.get(reverse("funding-use-new")).status_code == 403
        assert client.post(reverse("funding-use-new"), _form()).status_code == 403
    with pytest.raises(PermissionDenied):
        cement_use_create(
            user=leader,
            unit=unit("171"),
            year=2020,
            used_on=datetime.date(2020, 5, 5),
            tonnes=Decimal("1"),
            purpose="school",
            description="Sân trường",
            evidence="Biên bản",
        )
    assert not CementUse.objects.exists()


def test_deliveries_cannot_exceed_the_allocation(dai_tu_officer):
    batch(d171="100")
    cement_delivery_create(
        user=dai_tu_officer,
        unit=unit("171"),
        year=2020,
        delivered_on=datetime.date(2020, 3, 20),
        tonnes=Decimal("80"),
    )
    with pytest.raises(ValidationError) as caught:
        cement_delivery_create(
            user=dai_tu_officer,
            unit=unit("171"),
            year=2020,
            delivered_on=datetime.date(2020, 4, 20),
            tonnes=Decimal("20.001"),
        )
    assert list(caught.value.message_dict) == ["tonnes"]
    assert CementDelivery.objects.count() == 1


def test_coordinator_records_a_batch_for_the_districts_of_a_year(client, coordinator):
    client.force_login(coordinator)
    url = reverse("funding-batch-new")
    page = client.get(url, {"year": "2020", "level": "district"}).content.decode()
    # The 9 districts of Thái Nguyên in 2020, not Bắc Kạn's (merged into the province in 2025).
    assert page.count('name="unit-') == 9
    data = {
        "year": "2020",
        "level": "district",
        "kind": "regular",
        "decision_number": "512/QĐ-UBND",
        "decision_date": "10/03/2020",
        f"unit-{unit('171').pk}": "1.200,5",
        f"unit-{unit('173').pk}": "800",
    }
    response = client.post(url, data)
    created = CementBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("funding-batch", args=[created.pk])
    assert sorted(created.allocations.values_list("unit__code", "tonnes")) == [
        ("171", Decimal("1200.500")),
        ("173", Decimal("800.000")),
    ]
    assert created.history.get().history_user == coordinator
    page = client.get(response["Location"]).content.decode()
    assert _vi(tonnes_text, Decimal("2000.5")) in page  # the total: "2.000,5 tấn"


def test_a_batch_with_a_bad_number_names_the_unit_and_saves_nothing(client, coordinator):
    client.force_login(coordinator)
    data = {
        "year": "2020",
        "level": "district",
        "kind": "regular",
        "decision_number": "512/QĐ-UBND",
        "decision_date": "10/03/2020",
        f"unit-{unit('171').pk}": "12,5",
        f"unit-{unit('173').pk}": "tám trăm",
    }
    response = client.post(reverse("funding-batch-new"), data)
    assert response.status_code == 400
    assert "Huyện Phú Bình: “tám trăm”" in response.content.decode()
    assert not CementBatch.objects.exists() and not CementAllocation.objects.exists()


def test_a_commune_cannot_hold_cement_of_a_year_its_district_holds(coordinator):
    batch(d171="100")
    with pytest.raises(ValidationError) as caught:
        cement_batch_create(
            user=coordinator,
            year=2020,
            kind="regular",
            decision_number="999/QĐ-UBND",
            decision_date=datetime.date(2020, 6, 1),
            allocations={commune("Xã Phúc Lương"): Decimal("5")},
        )
    assert list(caught.value.message_dict) == [f"unit-{commune('Xã Phúc Lương').pk}"]
    assert CementBatch.objects.count() == 1


def test_district_officers_do_not_allocate(client, dai_tu_officer):
    client.force_login(dai_tu_officer)
    assert client.get(reverse("funding-batch-new")).status_code == 403
    with pytest.raises(PermissionDenied):
        cement_batch_create(
            user=dai_tu_officer,
            year=2020,
            kind="regular",
            decision_number="1",
            decision_date=datetime.date(2020, 6, 1),
            allocations={unit("171"): Decimal("5")},
        )


def test_the_overview_shows_allocated_used_ratio_and_stock_by_unit(client, leader):
    batch(d171="100", d170="300", d173="0.5")
    use("171", "95.5")
    use("170", "120")
    client.force_login(leader)
    response = client.get(reverse("funding-cement"), {"year": "2020"})
    page = response.content.decode()
    rows = response.context["overview"].rows
    assert [(r.unit.code, r.allocated, r.used, r.ratio, r.not_used, r.band) for r in rows] == [
        ("170", Decimal("300"), Decimal("120"), Decimal("40.0"), Decimal("180"), "low"),
        ("171", Decimal("100"), Decimal("95.5"), Decimal("95.5"), Decimal("4.5"), "high"),
        ("173", Decimal("0.5"), Decimal("0"), Decimal("0.0"), Decimal("0.5"), "low"),
    ]
    assert response.context["overview"].total.ratio == Decimal("53.8")  # 215,5 / 400,5
    assert "95,5 %" in page and "40,0 %" in page
    assert page.count('class="table-danger"') == 2  # the slow ones in red


def test_a_district_officer_sees_only_their_district_on_the_overview(client, phu_binh_officer):
    batch(d171="100", d173="50")
    client.force_login(phu_binh_officer)
    rows = client.get(reverse("funding-cement"), {"year": "2020"}).context["overview"].rows
    assert [r.unit.code for r in rows] == ["173"]
    assert client.get(reverse("funding-unit", args=[unit("171").pk])).status_code == 404


def test_the_overview_takes_the_same_number_of_queries_for_2_or_9_units(
    client, coordinator, django_assert_num_queries
):
    client.force_login(coordinator)
    batch(d171="100", d173="50")
    use("171", "10")
    client.get(reverse("funding-cement"), {"year": "2020"})  # warm the session and permission caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as two:
        client.get(reverse("funding-cement"), {"year": "2020"})
    batch(
        number="2/QĐ-UBND", **{f"d{code}": "10" for code in ("164", "165", "167", "168", "169", "170", "172")}
    )
    for code in ("164", "165", "167"):
        use(code, "1")
    with django_assert_num_queries(len(two.captured_queries)):
        response = client.get(reverse("funding-cement"), {"year": "2020"})
    assert len(response.context["overview"].rows) == 9


def test_a_use_report_locks_the_units_allocation_rows_before_checking_the_limit(dai_tu_officer, monkeypatch):
    """Two reports sent at the same moment must be checked one after the other: the
    service locks the holder's allocation rows of the year (SELECT … FOR UPDATE on
    PostgreSQL) before it sums what was used."""
    from django.db.models.query import QuerySet

    batch(d171="10")
    calls = []
    original = QuerySet.select_for_update

    def spy(self, *args, **kwargs):
        calls.append((self.model.__name__, kwargs.get("of")))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "select_for_update", spy)
    cement_use_create(
        user=dai_tu_officer,
        unit=unit("171"),
        year=2020,
        used_on=datetime.date(2020, 5, 5),
        tonnes=Decimal("6"),
        purpose="school",
        description="Sân trường",
        evidence="Biên bản",
    )
    assert calls == [("CementAllocation", ("self",))]


def test_a_district_officer_sees_only_their_share_of_a_batch(client, dai_tu_officer):
    created = batch(d171="100", d173="50")
    client.force_login(dai_tu_officer)
    [listed] = client.get(reverse("funding-cement"), {"year": "2020"}).context["overview"].batches
    assert listed.tonnes == Decimal(100)
    response = client.get(reverse("funding-batch", args=[created.pk]))
    assert [a.unit.code for a in response.context["allocations"]] == ["171"]
