"""Value-chain projects with their checklist of QĐ 4781 conditions (who checked each, when)
and OCOP products with their counts by district and star."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from funding.models import ConditionCheck, OcopProduct, SupportCondition, ValueChainProject
from tests.funding.factories import commune

pytestmark = pytest.mark.django_db


@pytest.fixture
def conditions(db):
    call_command("load_missing", "support_conditions_4781", stdout=io.StringIO())
    return list(SupportCondition.objects.order_by("position"))


def _project(**overrides):
    data = {
        "name": "Liên kết chè an toàn",
        "partner_name": "HTX chè La Bằng",
        "partner_kind": "cooperative",
        "product": "Chè búp khô",
        "links_production": "on",
        "links_consumption": "on",
        "area_ha": "50,5",
        "volume_tonnes": "",
        "support_requested": "2.500.000.000",
        "support_approved": "",
        "status": "proposed",
        "submission": "Tờ trình số 168/TTr-VPĐP",
        "communes": [str(commune("Xã La Bằng").pk), str(commune("Xã Hoàng Nông").pk)],
        "note": "",
    }
    data.update(overrides)
    return data


def test_the_coordinator_records_a_project_in_communes(client, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("funding-project-new"), _project())
    project = ValueChainProject.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "funding-project", args=[project.pk]
    )
    assert (project.area_ha, project.support_requested, project.linkage_labels) == (
        Decimal("50.5"),
        Decimal(2_500_000_000),
        [
            str(ValueChainProject._meta.get_field(n).verbose_name)
            for n in ("links_production", "links_consumption")
        ],
    )
    assert sorted(c.name for c in project.communes.all()) == ["Xã Hoàng Nông", "Xã La Bằng"]
    assert {record.history_user for record in project.history.all()} == {coordinator}
    page = client.get(response["Location"]).content.decode()
    assert "2.500.000.000 đ" in page and "50,5 ha" in page


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"links_production": "", "links_consumption": ""}, "links_production"),
        ({"support_approved": "3.000.000.000"}, "support_approved"),
        ({"status": "approved"}, "support_approved"),  # approving needs the amount
        ({"support_requested": "12,5"}, "support_requested"),
        ({"name": " "}, "name"),
    ],
)
def test_a_bad_project_names_the_field_and_nothing_is_saved(client, coordinator, overrides, field):
    client.force_login(coordinator)
    response = client.post(reverse("funding-project-new"), _project(**overrides))
    assert response.status_code == 400
    assert f'data-testid="error-{field}"' in response.content.decode()
    assert not ValueChainProject.objects.exists()


def test_the_checklist_says_who_checked_each_condition_and_when(client, coordinator, conditions):
    client.force_login(coordinator)
    client.post(reverse("funding-project-new"), _project())
    project = ValueChainProject.objects.get()
    first, second = conditions[0], conditions[2]
    url = reverse("funding-project-check", args=[project.pk, first.pk])
    assert client.post(url, {"outcome": "met", "note": ""}).status_code == 302
    # "Not met" needs a reason; without one nothing is recorded.
    url_second = reverse("funding-project-check", args=[project.pk, second.pk])
    client.post(url_second, {"outcome": "not_met", "note": ""})
    assert not ConditionCheck.objects.filter(condition=second).exists()
    client.post(url_second, {"outcome": "not_met", "note": "Chưa có hợp đồng bao tiêu."})
    response = client.get(reverse("funding-project", args=[project.pk]))
    items = {item.condition.code: item.check for item in response.context["items"]}
    assert len(items) == len(conditions)
    assert (items[first.code].outcome, items[first.code].checked_by) == ("met", coordinator)
    assert items[second.code].note == "Chưa có hợp đồng bao tiêu."
    assert items[conditions[1].code] is None
    page = response.content.decode()
    assert "30/11/2026 09:00" in page  # when (Asia/Ho_Chi_Minh)
    assert page.count("coordinator") >= 2
    # Checking again replaces the check; the history keeps both.
    client.post(url_second, {"outcome": "met", "note": "Đã bổ sung hợp đồng."})
    assert ConditionCheck.objects.get(condition=second).outcome == "met"
    assert ConditionCheck.history.filter(condition_id=second.pk).count() == 2
    rows = client.get(reverse("funding-projects")).context["rows"]
    assert [(r.met, r.not_met, r.unchecked) for r in rows] == [(2, 0, len(conditions) - 2)]


def test_the_conditions_fixture_marks_what_was_not_verified(conditions):
    assert {c.code: c.verification for c in conditions} == {
        "4781-cong-dong": "confirmed",
        "4781-trong-diem": "confirmed",
        "tb58-lien-ket-cu-the": "confirmed",
        "tb58-vung-nguyen-lieu": "confirmed",
        "4781-hop-dong-lien-ket": "unverified",
        "4781-phu-hop-quy-hoach": "unverified",
    }


def test_officers_read_projects_of_their_district_only_and_do_not_vet(
    client, coordinator, dai_tu_officer, phu_binh_officer, conditions
):
    client.force_login(coordinator)
    client.post(reverse("funding-project-new"), _project())
    project = ValueChainProject.objects.get()
    client.force_login(phu_binh_officer)
    assert client.get(reverse("funding-projects")).context["rows"] == []
    assert client.get(reverse("funding-project", args=[project.pk])).status_code == 404
    client.force_login(dai_tu_officer)
    assert client.get(reverse("funding-project", args=[project.pk])).status_code == 200
    check = reverse("funding-project-check", args=[project.pk, conditions[0].pk])
    assert client.post(check, {"outcome": "met"}).status_code == 403
    assert client.get(reverse("funding-project-edit", args=[project.pk])).status_code == 403
    assert not ConditionCheck.objects.exists()


def _ocop(**overrides):
    data = {
        "name": "Chè búp khô",
        "group": "drinks",
        "producer_name": "HTX chè La Bằng",
        "producer_kind": "cooperative",
        "commune": str(commune("Xã La Bằng").pk),
        "stars": "4",
        "rating_decision": "2150/QĐ-UBND",
        "rating_year": "2019",
        "project": "",
    }
    data.update(overrides)
    return data


def test_a_district_officer_records_ocop_products_of_their_communes_only(
    client, dai_tu_officer, phu_binh_officer
):
    client.force_login(phu_binh_officer)
    assert client.post(reverse("funding-ocop-new"), _ocop()).status_code == 404
    client.force_login(dai_tu_officer)
    assert client.post(reverse("funding-ocop-new"), _ocop(stars="6")).status_code == 400
    assert client.post(reverse("funding-ocop-new"), _ocop(rating_year="2027")).status_code == 400
    assert not OcopProduct.objects.exists()
    assert client.post(reverse("funding-ocop-new"), _ocop()).status_code == 302
    product = OcopProduct.objects.get()
    assert (product.stars, product.commune.name, product.history.get().history_user) == (
        4,
        "Xã La Bằng",
        dai_tu_officer,
    )


def test_ocop_counts_by_district_and_star(client, leader, django_assert_num_queries):
    def add(name, commune_name, stars):
        OcopProduct.objects.create(
            name=name, producer_name="HTX", producer_kind="cooperative", commune=commune(commune_name),
            stars=stars, rating_decision="1/QĐ", rating_year=2020,
        )  # fmt: skip

    add("Chè", "Xã La Bằng", 4)  # Đại Từ
    add("Miến", "Xã Hoàng Nông", 3)  # Đại Từ
    add("Gà đồi", "Xã Tân Khánh", 3)  # Phú Bình
    add("Trứng", "Xã Tân Khánh", 5)
    client.force_login(leader)
    url = reverse("funding-ocop")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add("Gạo", "Xã Linh Thông", 3)  # Định Hóa
    add("Mật ong", "Xã Văn Lăng", 3)  # Đồng Hỷ
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    counts = response.context["counts"]
    assert [(d.name, by_star, total) for d, by_star, total in counts.rows] == [
        ("Huyện Định Hóa", {3: 1, 4: 0, 5: 0}, 1),
        ("Huyện Đồng Hỷ", {3: 1, 4: 0, 5: 0}, 1),
        ("Huyện Đại Từ", {3: 1, 4: 1, 5: 0}, 2),
        ("Huyện Phú Bình", {3: 1, 4: 0, 5: 1}, 2),
    ]
    assert (counts.totals, counts.total) == ({3: 4, 4: 1, 5: 1}, 6)
    assert [p.name for p in response.context["products"]][:2] == ["Trứng", "Chè"]  # best first
    four_stars = client.get(url, {"stars": "4"}).context["products"]
    assert [p.name for p in four_stars] == ["Chè"]


def test_editing_a_project_keeps_its_numbers(client, coordinator):
    client.force_login(coordinator)
    client.post(reverse("funding-project-new"), _project(volume_tonnes="120", area_ha="50,5"))
    project = ValueChainProject.objects.get()
    page = client.get(reverse("funding-project-edit", args=[project.pk])).content.decode()
    assert 'value="120"' in page and 'value="50,5"' in page and 'value="2500000000"' in page
    edited = _project(
        volume_tonnes="120", area_ha="50,5", status="approved", support_approved="2.000.000.000"
    )
    assert client.post(reverse("funding-project-edit", args=[project.pk]), edited).status_code == 302
    project.refresh_from_db()
    assert (project.volume_tonnes, project.area_ha, project.support_approved, project.status) == (
        Decimal(120),
        Decimal("50.5"),
        Decimal(2_000_000_000),
        "approved",
    )
    assert project.history.first().history_user == coordinator
