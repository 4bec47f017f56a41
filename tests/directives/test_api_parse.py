"""The parse API (POST /api/v1/directives/parse/): the roles of the agencies it proposes,
and input that used to answer 500."""

from pathlib import Path

import pytest
from django.urls import reverse

from accounts.models import Agency

pytestmark = pytest.mark.django_db
SEED = Path(__file__).resolve().parents[2] / "directives" / "seeds" / "thong-bao-58-TB-UBND-2020.txt"


def _ids(**filters) -> list[int]:
    return sorted(Agency.objects.filter(**filters).values_list("pk", flat=True))


def _parse(client, body: str):
    response = client.post(reverse("directive-api-parse"), body, content_type="application/json")
    return response


def test_deeply_nested_json_is_a_400_not_a_500(client, coordinator):
    client.force_login(coordinator)
    body = '{"text": "a", "x": ' + "[" * 2000 + "]" * 2000 + "}"
    response = _parse(client, body)
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"code", "detail", "errors"} and body["errors"] == [] and body["detail"]


def test_unreadable_json_is_a_400(client, coordinator):
    client.force_login(coordinator)
    response = _parse(client, '{"text": ')
    assert response.status_code == 400 and response.json()["errors"] == []
    response = client.post(
        reverse("directive-api-parse"), b'{"text": "\xff\xfe"}', content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["errors"] == []


def test_form_encoded_input_is_still_accepted(client, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("directive-api-parse"), {"text": "1. Sở Y tế:\n\n- Báo cáo."})
    assert response.status_code == 200 and len(response.json()["tasks"]) == 1


def test_the_api_carries_lead_and_cooperating_agencies(client, coordinator):
    client.force_login(coordinator)
    text = (
        "1. Sở Nông nghiệp và PTNT chủ trì, phối hợp với Sở Tài chính:\n\n- Xây dựng đề án trước 31/02/2027."
    )
    data = client.post(reverse("directive-api-parse"), {"text": text}, content_type="application/json").json()
    lead, cooperating = _ids(code="so-nong-nghiep-ptnt"), _ids(code="so-tai-chinh")
    for row in (data["sections"][0], data["tasks"][0]):
        assert row["agency_ids"] == sorted(lead + cooperating)
        assert (row["lead_agency_ids"], row["cooperating_agency_ids"]) == (lead, cooperating)
    assert data["tasks"][0]["invalid_dates"] == ["31/02/2027"]


def test_the_seed_section_3_proposes_the_district_committees_lead_and_their_bcd_cooperating(
    client, coordinator
):
    client.force_login(coordinator)
    data = client.post(
        reverse("directive-api-parse"),
        {"text": SEED.read_text(encoding="utf-8")},
        content_type="application/json",
    ).json()
    committees = _ids(kind="district_committee")
    steering = [pk for pk in data["sections"][2]["agency_ids"] if pk not in committees]
    assert len(committees) == 9 and len(steering) == 9
    for row in (data["sections"][2], *(t for t in data["tasks"] if t["section_number"] == "3")):
        assert (row["lead_agency_ids"], row["cooperating_agency_ids"]) == (committees, steering)
    assert data["sections"][0]["cooperating_agency_ids"] == []
    assert len(data["sections"][0]["lead_agency_ids"]) == 17
