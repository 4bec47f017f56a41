"""The map page (/dashboard/map/): what it hands the script, inside whose scope, and
what a bad query string does. The figures themselves are tested on the selector
(tests/criteria/test_map.py)."""

import datetime
import json
import re

import pytest
from django.urls import reverse

from communes.models import AdministrativeUnit, UnitKind
from criteria.models import Assessment, CriteriaSet, Criterion, ReportingPeriod
from tests.conftest import unit

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def data():
    period = ReportingPeriod.objects.create(
        code="2020-h1", name="6 tháng đầu năm 2020", kind="half_year", start=D(2020, 1, 1), end=D(2020, 6, 30),
        submission_deadline=D(2020, 7, 15), lock_date=D(2020, 8, 14),
    )  # fmt: skip
    criteria_set = CriteriaSet.objects.create(code="map-3", name="Bộ ba tiêu chí", level="standard")
    Criterion.objects.bulk_create(
        Criterion(criteria_set=criteria_set, number=n, name=f"Tiêu chí {n}") for n in (1, 2, 3)
    )
    dai_tu = list(unit("171").children.filter(kind=UnitKind.COMMUNE).order_by("code"))
    phu_binh = list(unit("173").children.filter(kind=UnitKind.COMMUNE).order_by("code"))
    for commune, met in ((dai_tu[0], 3), (dai_tu[1], 1), (phu_binh[0], 2)):
        Assessment.objects.create(
            commune=commune, period=period, criteria_set=criteria_set, status="approved",
            criteria_met=met, criteria_total=3, meets_standard=met == 3,
        )  # fmt: skip
    return {"period": period, "set": criteria_set, "dai_tu": dai_tu, "phu_binh": phu_binh}


def open_map(client, user, **query):
    client.force_login(user)
    return client.get(reverse("dashboard-map"), query)


def payload(response) -> dict:
    match = re.search(
        r'<script id="commune-map-data" type="application/json">(.*?)</script>', response.content.decode()
    )
    assert match, "the page carries no map data"
    return json.loads(match.group(1))


def test_the_leader_opens_the_map_of_the_province_with_its_script_and_no_inline_code(client, leader, data):
    response = open_map(client, leader)
    assert response.status_code == 200
    page = response.content.decode()
    assert response.context["period"] == data["period"]  # the latest with an approved assessment
    assert response.context["criteria_set"] == data["set"]
    assert "Bản đồ các xã" in page
    assert '<div id="commune-map"' in page
    assert re.search(r'<script src="/static/js/commune-map\.js" defer></script>', page)
    # The only scripts are files of the portal and the JSON data: nothing for a CSP to refuse.
    for tag in re.findall(r"<script[^>]*>", page):
        assert 'src="/static/' in tag or 'type="application/json"' in tag, tag
    communes = payload(response)["communes"]
    assert len(communes) == 121  # every xã of Thái Nguyên in force on 30/06/2020
    assert {c["met"] for c in communes if c["id"] == data["dai_tu"][0].pk} == {3}
    bands = {band["key"]: band["count"] for band in payload(response)["bands"]}
    assert bands == {"0-2": 2, "standard": 1, "unassessed": 118}


def test_a_district_officer_sees_their_district_and_no_other(client, dai_tu_officer, data):
    response = open_map(client, dai_tu_officer, period="2020-h1", set="map-3")
    ids = {c["id"] for c in payload(response)["communes"]}
    assert ids == {commune.pk for commune in data["dai_tu"]}
    assert open_map(client, dai_tu_officer, unit=unit("173").pk).status_code == 404
    assert open_map(client, dai_tu_officer, unit=data["phu_binh"][0].pk).status_code == 404


def test_a_unit_narrows_the_map_to_its_subtree(client, coordinator, data):
    response = open_map(client, coordinator, unit=data["dai_tu"][1].pk)
    communes = payload(response)["communes"]
    assert [(c["id"], c["met"]) for c in communes] == [(data["dai_tu"][1].pk, 1)]
    assert response.context["scope_unit"] == data["dai_tu"][1]


def test_a_bad_period_is_named_in_a_vietnamese_notice_and_the_default_shown(client, leader, data):
    response = open_map(client, leader, period="2099-h9", set="map-3")
    assert response.status_code == 200
    assert response.context["notices"] == [
        "Kỳ báo cáo: Không có mục nào có mã “2099-h9”. Đang hiển thị giá trị mặc định."
    ]
    assert response.context["period"] == data["period"]


def test_communes_without_coordinates_are_named_in_a_note(client, leader, data):
    AdministrativeUnit.objects.filter(pk__in=[c.pk for c in data["dai_tu"][:2]]).update(latitude=None)
    page = open_map(client, leader).content.decode()
    assert "2 xã chưa có tọa độ nên không có trên bản đồ." in page
