"""The REST API of cement, funds, value-chain projects and OCOP products: what a system
reads is what the pages show the same account, and what it writes goes through the
pages' services (same rows, same history, same refusals, same messages).

The rows are built with the funding tests' factories (``tests/funding/factories.py``):
2020 cement and funds of Huyện Đại Từ (171) and Huyện Phú Bình (173), and 2026 ones of
the new Xã Phú Bình (05908), a commune since the 2025 reform."""

import datetime
import html
import io
from decimal import Decimal
from types import SimpleNamespace

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from accounts.models import ApiToken
from funding.models import (
    CementAllocation,
    CementBatch,
    CementDelivery,
    CementUse,
    ConditionCheck,
    Disbursement,
    FundAllocation,
    OcopProduct,
    SupportCondition,
    ValueChainProject,
)
from funding.services.cement import cement_use_create
from funding.services.projects import condition_check_set
from tests.conftest import unit
from tests.funding.factories import (
    CementAllocationFactory,
    CementBatchFactory,
    CementUseFactory,
    DisbursementFactory,
    FundAllocationFactory,
    batch,
    commune,
    fund,
    paid,
    registered,
    source,
    use,
)
from tests.funding.matrix import OCOP_DATA, USE_DATA

pytestmark = pytest.mark.django_db

NOW_TEXT = "2026-11-30T09:00:00+07:00"


def build_rows() -> SimpleNamespace:
    """Cement, funds, a project and an OCOP product for the API tests."""
    rows = SimpleNamespace()
    rows.dai_tu, rows.phu_binh = unit("171"), unit("173")
    rows.xa_phu_binh = unit("05908", current=True)
    rows.la_bang, rows.tan_khanh = commune("Xã La Bằng"), commune("Xã Tân Khánh")
    rows.batch = batch(d171="100", d173="80")
    rows.batch_2026 = CementBatchFactory(
        year=2026, decision_number="77/QĐ-UBND", decision_date=datetime.date(2026, 2, 2)
    )
    CementAllocationFactory(batch=rows.batch_2026, unit=rows.xa_phu_binh, tonnes=Decimal(50))
    rows.use = use("171", "10")
    use("173", "5")
    CementUseFactory(unit=rows.xa_phu_binh, year=2026, used_on=datetime.date(2026, 5, 4), tonnes=Decimal(2))
    rows.delivery = CementDelivery.objects.create(
        unit=rows.dai_tu,
        year=2020,
        delivered_on=datetime.date(2020, 3, 20),
        tonnes=Decimal("40.5"),
        reference="Biên bản giao nhận số 01/BB",
    )
    CementDelivery.objects.create(
        unit=rows.phu_binh, year=2020, delivered_on=datetime.date(2020, 3, 21), tonnes=Decimal(30)
    )
    rows.fund = fund("171", 1_000_000_000)
    fund("173", 500_000_000)
    FundAllocationFactory(unit=rows.xa_phu_binh, year=2026, amount=Decimal(200_000_000))
    rows.paid = paid("171", 100_000_000)
    paid("173", 50_000_000)
    DisbursementFactory(
        unit=rows.xa_phu_binh, year=2026, paid_on=datetime.date(2026, 6, 1), amount=Decimal(10_000_000)
    )
    call_command("load_missing", "support_conditions_4781", stdout=io.StringIO())
    rows.project = ValueChainProject.objects.create(
        name="Liên kết chè La Bằng",
        partner_name="HTX chè La Bằng",
        partner_kind="cooperative",
        product="Chè búp khô",
        links_production=True,
        links_consumption=True,
        area_ha=Decimal("50.5"),
        support_requested=Decimal(2_500_000_000),
        submission="Tờ trình số 168/TTr-VPĐP",
    )
    rows.project.communes.add(rows.la_bang)
    other = ValueChainProject.objects.create(
        name="Liên kết lúa Tân Khánh",
        partner_name="HTX Tân Khánh",
        partner_kind="cooperative",
        product="Gạo",
        links_processing=True,
        support_requested=Decimal(900_000_000),
    )
    other.communes.add(rows.tan_khanh)
    rows.ocop = OcopProduct.objects.create(
        name="Chè búp khô La Bằng",
        group="drinks",
        producer_name="HTX chè La Bằng",
        producer_kind="cooperative",
        commune=rows.la_bang,
        stars=4,
        rating_decision="2150/QĐ-UBND",
        rating_year=2019,
        project=rows.project,
    )
    OcopProduct.objects.create(
        name="Gạo Tân Khánh",
        producer_name="HTX Tân Khánh",
        producer_kind="cooperative",
        commune=rows.tan_khanh,
        stars=3,
        rating_decision="12/QĐ-UBND",
        rating_year=2020,
    )
    return rows


@pytest.fixture
def rows(db):
    return build_rows()


def as_user(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def token_client(issue_token, bearer, agency_code: str):
    """(client, the token's own account) for a read-write token of ``agency_code``."""
    key = issue_token(agency_code)
    return bearer(key), ApiToken.objects.get(prefix=key.split("_")[1]).user


def errors_of(response) -> dict[str, str]:
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid"
    return {error["field"]: error["detail"] for error in body["errors"]}


# --- Whole payloads -----------------------------------------------------------------------


def test_a_batch_shows_a_district_officer_only_the_cement_of_their_district(rows, dai_tu_officer):
    allocation = CementAllocation.objects.get(batch=rows.batch, unit=rows.dai_tu)
    response = as_user(dai_tu_officer).get(f"/api/v1/cement-batches/{rows.batch.pk}/")
    assert response.status_code == 200
    assert response.json() == {
        "id": rows.batch.pk,
        "year": 2020,
        "kind": "regular",
        "decision_number": "512/QĐ-UBND",
        "decision_date": "2020-03-10",
        "note": "",
        "tonnes": "100.000",
        "allocations": [{"id": allocation.pk, "unit_id": rows.dai_tu.pk, "tonnes": "100.000"}],
        "basis": [],
        "created_by": None,
        "created_at": NOW_TEXT,
        "is_demo": False,
    }
    # The coordinator sees both districts of the batch; the 2026 batch is not Đại Từ's.
    coordinator_view = as_user(dai_tu_officer).get("/api/v1/cement-batches/").json()
    assert [row["id"] for row in coordinator_view["results"]] == [rows.batch.pk]


def test_the_coordinator_sees_every_allocation_of_a_batch_by_gso_code(rows, coordinator):
    body = as_user(coordinator).get(f"/api/v1/cement-batches/{rows.batch.pk}/").json()
    assert (body["tonnes"], [a["unit_id"] for a in body["allocations"]]) == (
        "180.000",
        [rows.dai_tu.pk, rows.phu_binh.pk],
    )


def test_an_allocation_a_delivery_and_a_use_report_in_full(rows, dai_tu_officer):
    api = as_user(dai_tu_officer)
    allocation = CementAllocation.objects.get(batch=rows.batch, unit=rows.dai_tu)
    assert api.get(f"/api/v1/cement-allocations/{allocation.pk}/").json() == {
        "id": allocation.pk,
        "batch_id": rows.batch.pk,
        "year": 2020,
        "kind": "regular",
        "decision_number": "512/QĐ-UBND",
        "unit_id": rows.dai_tu.pk,
        "tonnes": "100.000",
    }
    assert api.get(f"/api/v1/cement-deliveries/{rows.delivery.pk}/").json() == {
        "id": rows.delivery.pk,
        "unit_id": rows.dai_tu.pk,
        "year": 2020,
        "delivered_on": "2020-03-20",
        "tonnes": "40.500",
        "reference": "Biên bản giao nhận số 01/BB",
        "created_by": None,
        "is_demo": False,
    }
    assert api.get(f"/api/v1/cement-uses/{rows.use.pk}/").json() == {
        "id": rows.use.pk,
        "unit_id": rows.dai_tu.pk,
        "year": 2020,
        "used_on": "2020-05-05",
        "tonnes": "10.000",
        "purpose": "cultural_house",
        "road_kind": "",
        "length_km": None,
        "place_id": None,
        "description": "Nhà văn hóa xóm",
        "evidence": "Biên bản nghiệm thu số 1",
        "created_by": None,
        "created_at": NOW_TEXT,
        "is_demo": False,
    }


def test_a_source_an_allocation_and_a_disbursement_in_full_with_vnd_as_whole_dong(rows, dai_tu_officer):
    api = as_user(dai_tu_officer)
    central = source()
    assert api.get(f"/api/v1/fund-sources/{central.pk}/").json() == {
        "id": central.pk,
        "code": "ngan-sach-trung-uong",
        "name": "Ngân sách trung ương",
        "kind": "central",
        "position": 10,
        "is_active": True,
    }
    assert api.get(f"/api/v1/fund-allocations/{rows.fund.pk}/").json() == {
        "id": rows.fund.pk,
        "unit_id": rows.dai_tu.pk,
        "year": 2020,
        "source_id": central.pk,
        "amount": "1000000000",
        "decision_number": "",
        "decision_date": None,
        "note": "",
        "created_by": None,
        "is_demo": False,
    }
    assert api.get(f"/api/v1/disbursements/{rows.paid.pk}/").json() == {
        "id": rows.paid.pk,
        "unit_id": rows.dai_tu.pk,
        "year": 2020,
        "source_id": central.pk,
        "paid_on": "2020-06-01",
        "amount": "100000000",
        "note": "",
        "created_by": None,
        "created_at": NOW_TEXT,
        "is_demo": False,
    }


def test_a_project_with_its_checklist_and_an_ocop_product_in_full(rows, coordinator, dai_tu_officer):
    first = SupportCondition.objects.order_by("position", "code").first()
    condition_check_set(
        user=coordinator, project=rows.project, condition=first, outcome="met", note="Đủ hồ sơ"
    )
    api = as_user(dai_tu_officer)
    assert api.get(f"/api/v1/value-chain-projects/{rows.project.pk}/").json() == {
        "id": rows.project.pk,
        "name": "Liên kết chè La Bằng",
        "partner_name": "HTX chè La Bằng",
        "partner_kind": "cooperative",
        "product": "Chè búp khô",
        "links_production": True,
        "links_processing": False,
        "links_consumption": True,
        "area_ha": "50.50",
        "volume_tonnes": None,
        "support_requested": "2500000000",
        "support_approved": None,
        "status": "proposed",
        "submission": "Tờ trình số 168/TTr-VPĐP",
        "note": "",
        "commune_ids": [rows.la_bang.pk],
        "conditions_met": 1,
        "conditions_not_met": 0,
        "conditions_unchecked": 5,
        "checks": [
            {
                "condition_id": first.pk,
                "condition_code": first.code,
                "outcome": "met",
                "note": "Đủ hồ sơ",
                "checked_by": "coordinator",
                "checked_at": NOW_TEXT,
            }
        ],
        "created_by": None,
        "is_demo": False,
    }
    assert api.get(f"/api/v1/ocop-products/{rows.ocop.pk}/").json() == {
        "id": rows.ocop.pk,
        "name": "Chè búp khô La Bằng",
        "group": "drinks",
        "producer_name": "HTX chè La Bằng",
        "producer_kind": "cooperative",
        "commune_id": rows.la_bang.pk,
        "stars": 4,
        "rating_decision": "2150/QĐ-UBND",
        "rating_year": 2019,
        "project_id": rows.project.pk,
        "created_by": None,
        "is_demo": False,
    }


def test_lists_hold_what_the_pages_show_the_caller(rows, dai_tu_officer, commune_officer, phu_binh_officer):
    def ids(client, path):
        return {row["id"] for row in client.get(f"/api/v1/{path}/", {"page_size": 500}).json()["results"]}

    dai_tu, xa, phu_binh = as_user(dai_tu_officer), as_user(commune_officer), as_user(phu_binh_officer)
    assert ids(dai_tu, "cement-uses") == {rows.use.pk}
    assert ids(dai_tu, "cement-batches") == {rows.batch.pk}
    assert ids(xa, "cement-batches") == {rows.batch_2026.pk}
    assert ids(xa, "cement-uses") == set(
        CementUse.objects.filter(unit=rows.xa_phu_binh).values_list("pk", flat=True)
    )
    assert ids(xa, "disbursements") == set(
        Disbursement.objects.filter(unit=rows.xa_phu_binh).values_list("pk", flat=True)
    )
    assert ids(dai_tu, "value-chain-projects") == {rows.project.pk}
    assert ids(phu_binh, "value-chain-projects") == set(
        ValueChainProject.objects.filter(communes=rows.tan_khanh).values_list("pk", flat=True)
    )
    assert ids(xa, "value-chain-projects") == set()
    assert ids(dai_tu, "ocop-products") == {rows.ocop.pk}
    assert ids(xa, "ocop-products") == set()
    # Sources are reference data: everyone reads them all.
    assert len(ids(xa, "fund-sources")) == 8


# --- Writes go through the pages' services ------------------------------------------------


def _page_data(data: dict) -> dict:
    return {key: str(value) for key, value in data.items()}


def _same_row(model, page_row, api_row, *ignored):
    skip = {"id", "created_by", "created_at", *ignored}
    page = {k: v for k, v in model_to_dict(page_row).items() if k not in skip}
    api = {k: v for k, v in model_to_dict(api_row).items() if k not in skip}
    assert page == api


def _history(row):
    return [(record.history_type, record.history_user_id) for record in row.history.all()]


def test_a_use_report_through_the_api_is_the_row_and_history_the_form_makes(
    rows, client, dai_tu_officer, issue_token, bearer
):
    client.force_login(dai_tu_officer)
    form = _page_data(USE_DATA) | {"place": str(rows.la_bang.pk)}
    assert client.post(reverse("funding-use-new"), form).status_code == 302
    page_row = CementUse.objects.latest("pk")
    api, account = token_client(issue_token, bearer, "vpdp-ntm-huyen-dai-tu")
    response = api.post(
        "/api/v1/cement-uses/",
        {
            "unit_id": rows.dai_tu.pk,
            "year": 2020,
            "used_on": "2020-05-05",
            "tonnes": "10",
            "purpose": "school",
            "description": "Sân trường",
            "evidence": "Biên bản nghiệm thu",
            "place_id": rows.la_bang.pk,
        },
        format="json",
    )
    assert response.status_code == 201
    api_row = CementUse.objects.latest("pk")
    _same_row(CementUse, page_row, api_row)
    assert (api_row.created_by, _history(api_row)) == (account, [("+", account.pk)])
    assert _history(page_row) == [("+", dai_tu_officer.pk)]
    # The answer is the row as a GET reads it, with the same ETag.
    again = api.get(response["Location"])
    assert response.json() == again.json() and response["ETag"] == again["ETag"]
    assert response.json()["created_by"] == str(account)


def test_a_delivery_a_disbursement_and_an_ocop_product_as_the_forms_make_them(
    rows, client, dai_tu_officer, issue_token, bearer
):
    client.force_login(dai_tu_officer)
    api, account = token_client(issue_token, bearer, "vpdp-ntm-huyen-dai-tu")
    cases = [
        (
            CementDelivery,
            "funding-delivery-new",
            {"unit": rows.dai_tu.pk, "year": 2020, "delivered_on": "20/03/2020", "tonnes": "10,5", "reference": "BB 2"},
            "/api/v1/cement-deliveries/",
            {"unit_id": rows.dai_tu.pk, "year": 2020, "delivered_on": "2020-03-20", "tonnes": 10.5, "reference": "BB 2"},
        ),
        (
            Disbursement,
            "funding-disbursement-new",
            {"unit": rows.dai_tu.pk, "year": 2020, "source": source().pk, "paid_on": "01/06/2020", "amount": "1.000.000"},
            "/api/v1/disbursements/",
            {"unit_id": rows.dai_tu.pk, "year": 2020, "source_id": source().pk, "paid_on": "2020-06-01", "amount": 1000000},
        ),
        (
            OcopProduct,
            "funding-ocop-new",
            _page_data(OCOP_DATA),
            "/api/v1/ocop-products/",
            {
                "name": "Chè búp khô",
                "producer_name": "HTX chè",
                "producer_kind": "cooperative",
                "commune_id": rows.la_bang.pk,
                "stars": 4,
                "rating_decision": "2150/QĐ-UBND",
                "rating_year": 2019,
            },
        ),
    ]  # fmt: skip
    for model, page, form, path, body in cases:
        assert client.post(reverse(page), _page_data(form)).status_code == 302, page
        page_row = model.objects.latest("pk")
        response = api.post(path, body, format="json")
        assert response.status_code == 201, (path, response.json())
        api_row = model.objects.get(pk=response.json()["id"])
        _same_row(model, page_row, api_row)
        assert _history(api_row) == [("+", account.pk)] and _history(page_row) == [("+", dai_tu_officer.pk)]


def test_the_coordinator_records_a_batch_and_a_fund_allocation_as_the_forms_do(
    rows, client, coordinator, issue_token, bearer
):
    client.force_login(coordinator)
    api, account = token_client(issue_token, bearer, "vpdp-ntm-tinh")
    page_form = {
        "year": "2021",
        "level": "district",
        "kind": "regular",
        "decision_number": "88/QĐ-UBND",
        "decision_date": "15/02/2021",
        "note": "Đợt 1",
        f"unit-{rows.dai_tu.pk}": "120,5",
        f"unit-{rows.phu_binh.pk}": "80",
    }
    assert client.post(reverse("funding-batch-new"), page_form).status_code == 302
    page_batch = CementBatch.objects.get(decision_number="88/QĐ-UBND")
    response = api.post(
        "/api/v1/cement-batches/",
        {
            "year": 2021,
            "decision_number": "89/QĐ-UBND",
            "decision_date": "2021-02-15",
            "note": "Đợt 1",
            "allocations": [
                {"unit_id": rows.phu_binh.pk, "tonnes": "80"},
                {"unit_id": rows.dai_tu.pk, "tonnes": "120.5"},
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    api_batch = CementBatch.objects.get(pk=response.json()["id"])
    _same_row(CementBatch, page_batch, api_batch, "decision_number")
    assert [(a.unit_id, a.tonnes) for a in api_batch.allocations.order_by("unit__code")] == [
        (a.unit_id, a.tonnes) for a in page_batch.allocations.order_by("unit__code")
    ]
    assert _history(api_batch) == [("+", account.pk)]
    assert {_history(a)[0] for a in api_batch.allocations.all()} == {("+", account.pk)}
    assert response.json()["tonnes"] == "200.500"

    fund_form = {
        "unit": str(rows.dai_tu.pk),
        "year": "2021",
        "source": str(source("cong-dong").pk),
        "amount": "1.234.567",
        "decision_number": "90/QĐ-UBND",
        "decision_date": "01/03/2021",
    }
    assert client.post(reverse("funding-fund-allocation-new"), fund_form).status_code == 302
    page_row = FundAllocation.objects.latest("pk")
    response = api.post(
        "/api/v1/fund-allocations/",
        {
            "unit_id": rows.dai_tu.pk,
            "year": 2021,
            "source_id": source("cong-dong").pk,
            "amount": "1234567",
            "decision_number": "90/QĐ-UBND",
            "decision_date": "2021-03-01",
        },
        format="json",
    )
    assert response.status_code == 201
    api_row = FundAllocation.objects.get(pk=response.json()["id"])
    _same_row(FundAllocation, page_row, api_row)
    assert _history(api_row) == [("+", account.pk)]
    assert response.json()["amount"] == "1234567"


def test_a_commune_officer_reports_the_use_of_their_communes_cement(
    rows, commune_officer, issue_token, bearer
):
    api, account = token_client(issue_token, bearer, "ubnd-xa-05908")
    response = api.post(
        "/api/v1/cement-uses/",
        {
            "unit_id": rows.xa_phu_binh.pk,
            "year": 2026,
            "used_on": "2026-11-20",
            "tonnes": "3.25",
            "purpose": "road",
            "road_kind": "alley",
            "length_km": "0.4",
            "description": "Đường ngõ xóm Đồng",
            "evidence": "Biên bản nghiệm thu 07/BB",
        },
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["tonnes"], body["length_km"], body["road_kind"]) == ("3.250", "0.400", "alley")
    assert CementUse.objects.get(pk=body["id"]).history.get().history_user == account


# --- Refusals -----------------------------------------------------------------------------


def test_use_beyond_the_allocation_is_refused_with_the_pages_message_and_nothing_is_saved(
    rows, client, dai_tu_officer
):
    before = CementUse.objects.count()
    body = {
        "unit_id": rows.dai_tu.pk,
        "year": 2020,
        "used_on": "2020-05-05",
        "tonnes": "90.001",
        "purpose": "school",
        "description": "Sân trường",
        "evidence": "Biên bản",
    }
    errors = errors_of(as_user(dai_tu_officer).post("/api/v1/cement-uses/", body, format="json"))
    with translation.override("vi"), pytest.raises(ValidationError) as caught:
        cement_use_create(
            user=dai_tu_officer,
            unit=rows.dai_tu,
            year=2020,
            used_on=datetime.date(2020, 5, 5),
            tonnes=Decimal("90.001"),
            purpose="school",
            description="Sân trường",
            evidence="Biên bản",
        )
    assert errors == {"tonnes": caught.value.message_dict["tonnes"][0]}
    assert "90 tấn" in errors["tonnes"]  # at most what is left
    client.force_login(dai_tu_officer)
    page = client.post(reverse("funding-use-new"), _page_data(USE_DATA) | {"tonnes": "90,001"})
    assert html.escape(errors["tonnes"]) in page.content.decode()
    assert CementUse.objects.count() == before


def test_deliveries_and_disbursements_beyond_the_allocation_are_refused(rows, dai_tu_officer):
    api = as_user(dai_tu_officer)
    delivery = {"unit_id": rows.dai_tu.pk, "year": 2020, "delivered_on": "2020-04-01", "tonnes": "59.501"}
    assert list(errors_of(api.post("/api/v1/cement-deliveries/", delivery, format="json"))) == ["tonnes"]
    disbursement = {
        "unit_id": rows.dai_tu.pk,
        "year": 2020,
        "source_id": source().pk,
        "paid_on": "2020-07-01",
        "amount": 900_000_001,
    }
    errors = errors_of(api.post("/api/v1/disbursements/", disbursement, format="json"))
    assert list(errors) == ["amount"] and "900.000.000 đ" in errors["amount"]
    other_source = disbursement | {"source_id": source("ngan-sach-tinh").pk, "amount": 1}
    assert list(errors_of(api.post("/api/v1/disbursements/", other_source, format="json"))) == ["source_id"]
    assert (CementDelivery.objects.count(), Disbursement.objects.count()) == (2, 3)


_USE = {
    "year": 2020,
    "used_on": "2020-05-05",
    "tonnes": "1",
    "purpose": "school",
    "description": "Sân trường",
    "evidence": "Biên bản",
}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"tonnes": "1,5"}, "tonnes"),
        ({"tonnes": "0"}, "tonnes"),
        ({"tonnes": "1.0005"}, "tonnes"),
        ({"tonnes": "NaN"}, "tonnes"),
        ({"tonnes": True}, "tonnes"),
        ({"used_on": "05/05/2020"}, "used_on"),
        ({"used_on": "2027-01-01"}, "used_on"),
        ({"year": "hai nghìn"}, "year"),
        ({"year": 2019}, "year"),
        ({"purpose": "bridge"}, "purpose"),
        ({"purpose": "road"}, "road_kind"),
        ({"length_km": "-1"}, "length_km"),
        ({"description": "   "}, "description"),
        ({"description": "x" * 301}, "description"),
        ({"evidence": None}, "evidence"),
        ({"unit_id": "Đại Từ"}, "unit_id"),
        ({"unit_id": None}, "unit_id"),
        ({"place_id": "x"}, "place_id"),
    ],
)
def test_a_bad_use_report_is_400_naming_the_field_in_vietnamese(rows, dai_tu_officer, changes, field):
    body = {"unit_id": rows.dai_tu.pk, **_USE} | changes
    if field == "road_kind":
        body |= {"length_km": "1"}
    errors = errors_of(as_user(dai_tu_officer).post("/api/v1/cement-uses/", body, format="json"))
    assert field in errors
    assert not errors[field].isascii()  # Vietnamese
    assert CementUse.objects.count() == 3


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("cement-deliveries", {"year": 2020, "delivered_on": "2019-12-31", "tonnes": "1"}, "delivered_on"),
        ("disbursements", {"year": 2020, "source_id": 1, "paid_on": "2020-06-01", "amount": "1.5"}, "amount"),
        ("disbursements", {"year": 2020, "source_id": 99999, "paid_on": "2020-06-01", "amount": "1"}, "source_id"),
        ("ocop-products", {"name": "Chè", "producer_name": "HTX", "producer_kind": "cooperative",
                           "commune_id": "la_bang", "stars": 6, "rating_decision": "1/QĐ", "rating_year": 2019},
         "stars"),
        ("ocop-products", {"name": "Chè", "producer_name": "HTX", "producer_kind": "cooperative",
                           "commune_id": "la_bang", "stars": 3, "rating_decision": "1/QĐ", "rating_year": 2017},
         "rating_year"),
        ("ocop-products", {"name": "Chè", "producer_name": "HTX", "producer_kind": "cooperative",
                           "commune_id": "la_bang", "stars": 3, "rating_decision": "1/QĐ", "rating_year": 2019,
                           "project_id": 99999}, "project_id"),
    ],
)  # fmt: skip
def test_bad_writes_of_other_resources_are_400_naming_the_field(rows, dai_tu_officer, path, body, field):
    body = {"unit_id": rows.dai_tu.pk, **body}
    if body.get("commune_id") == "la_bang":
        body["commune_id"] = rows.la_bang.pk
        del body["unit_id"]
    if body.get("source_id") == 1:
        body["source_id"] = source().pk
    counts = (CementDelivery.objects.count(), Disbursement.objects.count(), OcopProduct.objects.count())
    errors = errors_of(as_user(dai_tu_officer).post(f"/api/v1/{path}/", body, format="json"))
    assert list(errors) == [field]
    assert (
        CementDelivery.objects.count(),
        Disbursement.objects.count(),
        OcopProduct.objects.count(),
    ) == counts


def test_a_body_that_is_not_an_object_or_not_json_is_400(rows, dai_tu_officer):
    api = as_user(dai_tu_officer)
    response = api.post("/api/v1/cement-uses/", [1, 2], format="json")
    assert errors_of(response) == {None: "Gửi lên một đối tượng JSON."}
    broken = api.post("/api/v1/cement-uses/", "{", content_type="application/json")
    assert (broken.status_code, broken.json()["code"]) == (400, "malformed")


def test_a_bad_batch_names_the_item_and_the_field(rows, coordinator):
    api = as_user(coordinator)
    body = {
        "year": 2020,
        "decision_number": "9/QĐ-UBND",
        "decision_date": "2020-04-01",
        "allocations": [
            {"unit_id": rows.dai_tu.pk, "tonnes": "1.0001"},
            {"unit_id": rows.la_bang.pk, "tonnes": "5"},
        ],
    }
    errors = errors_of(api.post("/api/v1/cement-batches/", body, format="json"))
    [(field, message)] = errors.items()
    assert field == "allocations[0].tonnes"
    assert "Huyện Đại Từ" in message
    # Đại Từ holds 2020 cement: one of its communes may not hold cement of 2020 too.
    body["allocations"][0]["tonnes"] = "1"
    errors = errors_of(api.post("/api/v1/cement-batches/", body, format="json"))
    [(field, message)] = errors.items()
    assert field == "allocations[1].unit_id"
    assert "Xã La Bằng" in message
    duplicate = body | {
        "decision_number": "512/QĐ-UBND",
        "allocations": [{"unit_id": rows.dai_tu.pk, "tonnes": 1}],
    }
    assert list(errors_of(api.post("/api/v1/cement-batches/", duplicate, format="json"))) == [
        "decision_number"
    ]
    assert CementBatch.objects.count() == 2 and CementAllocation.objects.count() == 3


# --- A unit outside the scope is a 404 and nothing is saved -------------------------------


def test_a_unit_in_the_body_outside_the_callers_scope_is_404_and_nothing_is_saved(
    rows, dai_tu_officer, commune_officer, coordinator
):
    api = as_user(dai_tu_officer)
    counts = lambda: [m.objects.count() for m in (CementUse, CementDelivery, Disbursement, OcopProduct)]  # noqa: E731
    before = counts()
    outside = [
        ("cement-uses", {"unit_id": rows.phu_binh.pk, **_USE}),
        ("cement-uses", {"unit_id": rows.dai_tu.pk, **_USE, "place_id": rows.tan_khanh.pk}),
        ("cement-deliveries", {"unit_id": rows.phu_binh.pk, "year": 2020, "delivered_on": "2020-04-01", "tonnes": 1}),
        ("disbursements", {"unit_id": rows.phu_binh.pk, "year": 2020, "source_id": source().pk,
                           "paid_on": "2020-07-01", "amount": 1}),
        ("ocop-products", {**{k: str(v) for k, v in OCOP_DATA.items()}, "commune_id": rows.tan_khanh.pk,
                           "stars": 4, "rating_year": 2019}),
        ("cement-uses", {"unit_id": 10**12, **_USE}),
    ]  # fmt: skip
    for path, body in outside:
        response = api.post(f"/api/v1/{path}/", body, format="json")
        assert (response.status_code, response.json()["code"]) == (404, "not_found"), (path, body)
    # A commune officer cannot write for the district around it either.
    response = as_user(commune_officer).post(
        "/api/v1/cement-uses/", {"unit_id": rows.dai_tu.pk, **_USE}, format="json"
    )
    assert response.status_code == 404
    batch_body = {
        "year": 2022,
        "decision_number": "5/QĐ-UBND",
        "decision_date": "2022-03-01",
        "allocations": [{"unit_id": rows.dai_tu.pk, "tonnes": 1}, {"unit_id": 10**9, "tonnes": 1}],
    }
    assert as_user(coordinator).post("/api/v1/cement-batches/", batch_body, format="json").status_code == 404
    assert counts() == before and CementBatch.objects.count() == 2


# --- Value-chain projects: changes, checks, If-Match --------------------------------------


def test_a_stale_if_match_is_412_and_the_current_etag_changes_the_project(rows, coordinator):
    api = as_user(coordinator)
    url = f"/api/v1/value-chain-projects/{rows.project.pk}/"
    etag = api.get(url)["ETag"]
    changed = api.patch(url, {"note": "Đã thẩm định hồ sơ"}, format="json", HTTP_IF_MATCH=etag)
    assert changed.status_code == 200 and changed.json()["note"] == "Đã thẩm định hồ sơ"
    assert changed["ETag"] == api.get(url)["ETag"] != etag
    stale = api.patch(url, {"note": "Ghi đè"}, format="json", HTTP_IF_MATCH=etag)
    assert (stale.status_code, stale.json()["code"]) == (412, "precondition_failed")
    rows.project.refresh_from_db()
    assert rows.project.note == "Đã thẩm định hồ sơ"
    assert rows.project.history.order_by("-history_id").first().history_user == coordinator
    # A check of a condition is guarded by the project's ETag too.
    condition = SupportCondition.objects.order_by("position").first()
    check = {"condition_id": condition.pk, "outcome": "not_met", "note": "Thiếu hợp đồng"}
    stale = api.post(f"{url}checks/", check, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412 and not ConditionCheck.objects.exists()
    current = api.get(url)["ETag"]
    done = api.post(f"{url}checks/", check, format="json", HTTP_IF_MATCH=current)
    assert done.status_code == 200 and done.json()["conditions_not_met"] == 1
    assert ConditionCheck.objects.get().history.get().history_user == coordinator
    assert errors_of(api.post(f"{url}checks/", check | {"note": ""}, format="json")).keys() == {"note"}


def test_a_status_the_workflow_refuses_is_409_and_bad_fields_are_400(rows, coordinator):
    api = as_user(coordinator)
    url = f"/api/v1/value-chain-projects/{rows.project.pk}/"
    refused = api.patch(url, {"status": "completed"}, format="json")
    assert (refused.status_code, refused.json()["code"]) == (409, "conflict")
    assert "Hoàn thành" in refused.json()["detail"] or "completed" not in refused.json()["detail"]
    open_conditions = api.patch(url, {"status": "approved", "support_approved": "1000"}, format="json")
    assert open_conditions.status_code == 409
    assert errors_of(api.patch(url, {"support_approved": "9999999999"}, format="json")).keys() == {
        "support_approved"
    }
    assert errors_of(
        api.patch(url, {"links_production": False, "links_consumption": False}, format="json")
    ).keys() == {"links_production"}
    outside = api.patch(url, {"commune_ids": [rows.la_bang.pk, 10**9]}, format="json")
    assert outside.status_code == 404
    rows.project.refresh_from_db()
    assert (rows.project.status, rows.project.support_approved) == ("proposed", None)


def test_the_coordinator_records_a_project_through_the_service(rows, coordinator):
    response = as_user(coordinator).post(
        "/api/v1/value-chain-projects/",
        {
            "name": "Liên kết bưởi",
            "partner_name": "Công ty Bưởi",
            "partner_kind": "enterprise",
            "product": "Bưởi",
            "links_consumption": True,
            "support_requested": 500000000,
            "commune_ids": [rows.tan_khanh.pk],
        },
        format="json",
    )
    assert response.status_code == 201
    project = ValueChainProject.objects.get(pk=response.json()["id"])
    assert list(project.communes.all()) == [rows.tan_khanh]
    assert {record.history_user for record in project.history.all()} == {coordinator}
    assert response.json()["conditions_unchecked"] == 6


# --- The cement reserve -------------------------------------------------------------------


def test_the_reserve_proposal_and_its_approval(rows, coordinator, client):
    registered("Xã Phúc Lương")
    api = as_user(coordinator)
    query = {"year": 2020, "level": "district", "reserve": 100}
    body = api.get("/api/v1/cement-batches/reserve-proposal/", query).json()
    client.force_login(coordinator)
    page = client.get(reverse("funding-reserve"), query).context["rows"]
    assert [(r["unit_id"], r["proposed"]) for r in body["rows"]] == [
        (item["unit"].pk, item["row"].share) for item in page
    ]
    assert body["rows"][0] == {
        "unit_id": rows.dai_tu.pk,
        "code": "171",
        "name": "Huyện Đại Từ",
        "rank": 1,
        "allocated": "100.000",
        "used": "10.000",
        "ratio": "10",
        "registered": 1,
        "road_km": "0.000",
        "points": "6",
        "proposed": body["rows"][0]["proposed"],
    }
    assert {k: v for k, v in body.items() if k != "rows"} == {
        "year": 2020,
        "level": "district",
        "reserve": 100,
        "weights": {"usage": "10", "per_registered": "5", "per_road_km": "0"},
        "total_points": body["total_points"],
        "nested_holder_ids": [],
    }
    assert sum(r["proposed"] for r in body["rows"]) == 100
    bad = api.get("/api/v1/cement-batches/reserve-proposal/", query | {"reserve": "1.5", "usage": "-1"})
    assert errors_of(bad).keys() == {"reserve", "usage"}

    shares = [{"unit_id": rows.dai_tu.pk, "tonnes": 60}, {"unit_id": rows.phu_binh.pk, "tonnes": 30}]
    approve = query | {"decision_number": "1375/QĐ-UBND", "decision_date": "2020-07-10", "shares": shares}
    errors = errors_of(api.post("/api/v1/cement-batches/approve-reserve/", approve, format="json"))
    assert list(errors) == ["shares"] and "10 tấn" in errors["shares"]
    shares[1]["tonnes"] = 40
    response = api.post("/api/v1/cement-batches/approve-reserve/", approve, format="json")
    assert response.status_code == 201, response.json()
    reserve = CementBatch.objects.get(pk=response.json()["id"])
    assert (reserve.kind, reserve.history.get().history_user) == ("reserve", coordinator)
    assert response.json() == api.get(f"/api/v1/cement-batches/{reserve.pk}/").json()
    assert [(row["unit_id"], row["approved"]) for row in reserve.basis][:2] == [
        (rows.dai_tu.pk, "60"),
        (rows.phu_binh.pk, "40"),
    ]


# --- Filters, ordering, search ------------------------------------------------------------


def test_filters_by_unit_district_year_source_dates_and_updated_since(rows, coordinator):
    api = as_user(coordinator)

    def ids(path, **query):
        response = api.get(f"/api/v1/{path}/", {"page_size": 500, **query})
        assert response.status_code == 200, (path, query, response.json())
        return {row["id"] for row in response.json()["results"]}

    dai_tu_uses = set(CementUse.objects.filter(unit=rows.dai_tu).values_list("pk", flat=True))
    assert ids("cement-uses", unit=rows.dai_tu.pk) == dai_tu_uses
    assert ids("cement-uses", district=rows.dai_tu.pk) == dai_tu_uses
    province = rows.dai_tu.parent_id
    phu_binh_uses = set(CementUse.objects.filter(unit=rows.phu_binh).values_list("pk", flat=True))
    assert ids("cement-uses", district=province) >= dai_tu_uses | phu_binh_uses
    assert ids("cement-uses", year=2026) == set(
        CementUse.objects.filter(year=2026).values_list("pk", flat=True)
    )
    assert ids("cement-uses", used_on_after="2020-05-05", used_on_before="2020-05-05") == set(
        CementUse.objects.filter(year=2020).values_list("pk", flat=True)
    )
    assert ids("cement-uses", purpose="road") == set()
    assert ids("cement-batches", unit=rows.phu_binh.pk) == {rows.batch.pk}
    assert ids("cement-batches", district=rows.dai_tu.pk, kind="regular") == {rows.batch.pk}
    assert ids("cement-allocations", batch=rows.batch_2026.pk) == set(
        rows.batch_2026.allocations.values_list("pk", flat=True)
    )
    assert ids("cement-deliveries", delivered_on_before="2020-03-20") == {rows.delivery.pk}
    assert ids("fund-allocations", year=2020, unit=rows.dai_tu.pk) == {rows.fund.pk}
    assert ids("fund-allocations", source=source("ngan-sach-tinh").pk) == set()
    assert ids("disbursements", paid_on_after="2026-01-01") == set(
        Disbursement.objects.filter(year=2026).values_list("pk", flat=True)
    )
    assert ids("value-chain-projects", status="proposed", district=rows.dai_tu.pk) == {rows.project.pk}
    assert ids("value-chain-projects", commune=rows.tan_khanh.pk) == set(
        ValueChainProject.objects.filter(communes=rows.tan_khanh).values_list("pk", flat=True)
    )
    assert ids("ocop-products", stars=4, district=rows.dai_tu.pk) == {rows.ocop.pk}
    assert ids("fund-sources", kind="central") == {source().pk}
    # updated_since: rows created or changed since then; a batch changes with its allocations.
    assert ids("cement-uses", updated_since="2026-11-30T10:00:00+07:00") == set()
    with time_machine.travel(datetime.datetime(2026, 11, 30, 10, 0, tzinfo=datetime.UTC)):
        allocation = rows.batch.allocations.get(unit=rows.phu_binh)
        allocation.tonnes = Decimal(81)
        allocation.save()
    assert ids("cement-batches", updated_since="2026-11-30T12:00:00+07:00") == {rows.batch.pk}
    # An id out of scope filters to nothing; it is not an error.
    assert ids("cement-uses", unit=10**12) == set()


@pytest.mark.parametrize(
    ("path", "parameter", "value"),
    [
        ("cement-uses", "year", "năm ngoái"),
        ("cement-uses", "unit", "Đại Từ"),
        ("cement-uses", "used_on_after", "05/05/2020"),
        ("cement-uses", "purpose", "bridge"),
        ("cement-uses", "ordering", "evidence"),
        ("cement-batches", "kind", "other"),
        ("cement-batches", "updated_since", "hôm qua"),
        ("cement-deliveries", "delivered_on_before", "x"),
        ("disbursements", "source", "ngân sách"),
        ("fund-allocations", "decision_date_after", "2020-13-01"),
        ("value-chain-projects", "status", "done"),
        ("ocop-products", "stars", "many"),
        ("fund-sources", "is_active", "maybe"),
        ("cement-allocations", "page_size", "0"),
    ],
)
def test_a_bad_filter_is_400_naming_the_parameter(rows, dai_tu_officer, path, parameter, value):
    response = as_user(dai_tu_officer).get(f"/api/v1/{path}/", {parameter: value})
    assert response.status_code == 400
    assert [error["field"] for error in response.json()["errors"]] == [parameter]


def test_ordering_ends_with_the_id_and_search_ignores_accents(rows, coordinator):
    api = as_user(coordinator)
    for _ in range(3):
        use("171", "1", day=datetime.date(2020, 6, 6))
    listed = api.get("/api/v1/cement-uses/", {"ordering": "used_on", "page_size": 2})
    first = [row["id"] for row in listed.json()["results"]]
    second = [row["id"] for row in api.get(listed.json()["next"]).json()["results"]]
    everything = [
        row["id"]
        for row in api.get("/api/v1/cement-uses/", {"ordering": "used_on", "page_size": 100}).json()[
            "results"
        ]
    ]
    assert first + second == everything[:4] and len(set(everything)) == len(everything)
    same_day = [u for u in everything if CementUse.objects.get(pk=u).used_on == datetime.date(2020, 6, 6)]
    assert same_day == sorted(same_day)
    found = api.get("/api/v1/value-chain-projects/", {"search": "lien ket che"}).json()["results"]
    assert [row["id"] for row in found] == [rows.project.pk]
    assert [
        row["id"] for row in api.get("/api/v1/ocop-products/", {"search": "TAN KHANH"}).json()["results"]
    ] == [OcopProduct.objects.get(commune=rows.tan_khanh).pk]
    assert api.get("/api/v1/cement-uses/", {"search": "đại từ", "page_size": 100}).json()["count"] == len(
        CementUse.objects.filter(unit=rows.dai_tu)
    )


# --- Query counts -------------------------------------------------------------------------

LISTS = [
    "cement-batches",
    "cement-allocations",
    "cement-deliveries",
    "cement-uses",
    "fund-sources",
    "fund-allocations",
    "disbursements",
    "value-chain-projects",
    "ocop-products",
]


@pytest.mark.parametrize("path", LISTS)
def test_the_queries_of_a_list_do_not_depend_on_its_page_size(rows, coordinator, path):
    # More rows than the smaller page, each with what a row may carry.
    more = batch(year=2019, number="3/QĐ-UBND", day=datetime.date(2019, 3, 1), d171="5", d170="6")
    CementBatch.objects.filter(pk=more.pk).update(created_by=coordinator)
    for day in (1, 2, 3):
        use("170", "1", year=2019, day=datetime.date(2019, 6, day))
        CementDelivery.objects.create(
            unit=unit("170"),
            year=2019,
            delivered_on=datetime.date(2019, 4, day),
            tonnes=1,
            created_by=coordinator,
        )
        fund("170", 1000 + day, year=2019)
        paid("170", day, year=2019, day=datetime.date(2019, 6, day))
        project = ValueChainProject.objects.create(
            name=f"Dự án {day}", partner_name="HTX", partner_kind="cooperative", product="Chè",
            links_production=True, support_requested=1, created_by=coordinator,
        )  # fmt: skip
        project.communes.add(rows.la_bang, rows.tan_khanh)
        for condition in SupportCondition.objects.all()[:2]:
            condition_check_set(user=coordinator, project=project, condition=condition, outcome="met")
        OcopProduct.objects.create(
            name=f"Sản phẩm {day}", producer_name="HTX", producer_kind="cooperative", commune=rows.la_bang,
            stars=3, rating_decision="1/QĐ", rating_year=2019, project=project, created_by=coordinator,
        )  # fmt: skip
    api = as_user(coordinator)
    counts = []
    for size in (2, 50):
        with CaptureQueriesContext(connection) as queries:
            response = api.get(f"/api/v1/{path}/", {"page_size": size})
        assert response.status_code == 200
        assert len(response.json()["results"]) == min(size, response.json()["count"])
        counts.append(len(queries))
    assert response.json()["count"] > 2
    assert counts[0] == counts[1], path
