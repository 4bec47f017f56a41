"""The permission matrix of the catalogue, periods, recognitions and overview endpoints:
every endpoint and method for every persona, read-only and read-write tokens of several
agencies, outsiders of another district and another commune, expired and revoked tokens,
and no credentials.

What it checks: everyone signed in reads the catalogue and the periods (as the pages);
recognitions and the overview's figures only inside the caller's units, anything else a
404; only a provincial coordinator writes (403 for others, ``token_read_only`` for a
read-only token, 405 for a method the endpoint does not offer).
"""

import datetime

import pytest
import time_machine
from rest_framework.test import APIClient

from accounts.models import Agency, ApiToken, TokenAccess
from accounts.roles import is_coordinator
from accounts.services import api_token_revoke, commune_agency_code
from criteria.models import Assessment, AssessmentStatus, Indicator, Recognition
from tests.api.conftest import PERSONAS
from tests.criteria import test_overview
from tests.criteria.test_overview import xa_of

pytestmark = pytest.mark.django_db

data = test_overview.data  # the overview's hand-computed dataset (see its module docstring)

COVERED_ROUTES = {
    "criteria-set-api-list",
    "criteria-set-api-detail",
    "criteria-set-api-copy",
    "criterion-api-list",
    "criterion-api-detail",
    "indicator-api-list",
    "indicator-api-detail",
    "period-api-list",
    "period-api-detail",
    "period-api-overview",
    "recognition-api-list",
    "recognition-api-detail",
}

TOKENS = [
    ("vpdp-ntm-tinh", TokenAccess.READ_WRITE),
    ("vpdp-ntm-tinh", TokenAccess.READ),
    ("vpdp-ntm-huyen-dai-tu", TokenAccess.READ),
    ("vpdp-ntm-huyen-dai-tu", TokenAccess.READ_WRITE),
    ("vpdp-ntm-huyen-phu-binh", TokenAccess.READ_WRITE),
    (commune_agency_code("05908"), TokenAccess.READ_WRITE),
    ("ubnd-tinh", TokenAccess.READ),
    ("so-tai-chinh", TokenAccess.READ_WRITE),
]
ALL_METHODS = ("get", "post", "put", "patch", "delete")


def _clients(caller):
    """(label, client, the user it acts as, read-only token?) for every persona and token."""
    labels = [*PERSONAS, *(f"token {code} {access}" for code, access in TOKENS)]
    return [(label, *caller(label)) for label in labels]


@pytest.fixture
def world(data):
    """The overview dataset, one numeric indicator to set a target on, and the URLs."""
    criterion = data["set"].criteria.get(number=1)
    indicator = Indicator.objects.create(
        criterion=criterion,
        code="1.1",
        name="Tỷ lệ đường trục xã được cứng hóa",
        measure_type="percent",
        comparison=">=",
        verification="target_unknown",
    )
    communes = data["communes"]
    return {
        **data,
        "criterion": criterion,
        "indicator": indicator,
        "in_dai_tu": Recognition.objects.get(unit=communes["b"]),
        "in_phu_binh": Recognition.objects.get(unit=communes["d"], level="standard"),
    }


def _read_urls(world) -> dict[str, str]:
    return {
        "criteria-set-api-list": "/api/v1/criteria-sets/",
        "criteria-set-api-detail": f"/api/v1/criteria-sets/{world['set'].pk}/",
        "criterion-api-list": "/api/v1/criteria/",
        "criterion-api-detail": f"/api/v1/criteria/{world['criterion'].pk}/",
        "indicator-api-list": "/api/v1/indicators/",
        "indicator-api-detail": f"/api/v1/indicators/{world['indicator'].pk}/",
        "period-api-list": "/api/v1/periods/",
        "period-api-detail": f"/api/v1/periods/{world['period'].pk}/",
        "period-api-overview": f"/api/v1/periods/{world['period'].pk}/overview/",
        "recognition-api-list": "/api/v1/recognitions/",
    }


def test_every_caller_reads_the_catalogue_the_periods_and_the_overview_of_their_scope(world, caller):
    urls = _read_urls(world)
    for label, client, user, _read_only in _clients(caller):
        for name, url in urls.items():
            response = client.get(url)
            assert response.status_code == 200, (label, name, response.content[:200])
        visible = user.unit_scope()
        overview = client.get(urls["period-api-overview"], {"criteria_set": world["set"].pk}).json()
        approved = Assessment.objects.filter(
            status=AssessmentStatus.APPROVED,
            period=world["period"],
            criteria_set=world["set"],
            commune__in=visible.assessed(),
        )
        assert overview["totals"]["assessed"] == approved.count(), label
        listed = client.get(urls["recognition-api-list"], {"page_size": 500}).json()
        assert listed["count"] == Recognition.objects.filter(unit__in=visible).count(), label


def test_a_recognition_outside_the_callers_units_is_404(world, caller):
    for label, client, user, _read_only in _clients(caller):
        for recognition in (world["in_dai_tu"], world["in_phu_binh"]):
            visible = user.unit_scope().filter(pk=recognition.unit_id).exists()
            response = client.get(f"/api/v1/recognitions/{recognition.pk}/")
            assert response.status_code == (200 if visible else 404), (label, recognition.unit.name)
            if not visible:
                assert response.json()["code"] == "not_found"


def test_the_outsiders_see_nothing_of_dai_tu(world, phu_binh_officer, other_commune_officer):
    for user in (phu_binh_officer, other_commune_officer):
        client = APIClient()
        client.force_authenticate(user)
        assert client.get(f"/api/v1/recognitions/{world['in_dai_tu'].pk}/").status_code == 404
        rows = client.get("/api/v1/recognitions/", {"unit": world["in_dai_tu"].unit_id}).json()
        assert rows["count"] == 0
        overview = client.get(
            f"/api/v1/periods/{world['period'].pk}/overview/", {"criteria_set": world["set"].pk}
        ).json()
        assert "171" not in {row["district_code"] for row in overview["districts"]}


def _writes(world) -> list[tuple[str, str, str, dict]]:
    """(route, method, URL, a body that reaches the service but is refused there): an
    allowed caller gets 400 naming a field, so the matrix changes nothing."""
    return [
        ("indicator-api-detail", "patch", f"/api/v1/indicators/{world['indicator'].pk}/", {"target": "-1"}),
        (
            "criterion-api-detail",
            "patch",
            f"/api/v1/criteria/{world['criterion'].pk}/",
            {"responsible_agency_id": Agency.objects.get(code="ubnd-tinh").pk},
        ),
        (
            "criteria-set-api-copy",
            "post",
            f"/api/v1/criteria-sets/{world['set'].pk}/copy/",
            {
                "code": "a b",
                "name": "Bộ tiêu chí thử",
                "province_id": world["communes"]["a"].parent.parent_id,
            },
        ),
        (
            "recognition-api-list",
            "post",
            "/api/v1/recognitions/",
            {
                "unit_id": xa_of("171")[8].pk,
                "level": "standard",
                "criteria_set_id": world["set"].pk,
                "decision_number": "9/QĐ-UBND",
                "decision_date": "2030-01-01",
            },
        ),
    ]


def test_only_a_coordinator_writes_and_a_read_only_token_never(world, caller):
    recognitions = Recognition.objects.count()
    for label, client, user, read_only in _clients(caller):
        for route, method, url, body in _writes(world):
            response = getattr(client, method)(url, body, format="json")
            if read_only:
                expected, code = 403, "token_read_only"
            elif is_coordinator(user):
                expected, code = 400, "invalid"
            else:
                expected, code = 403, "permission_denied"
            assert (response.status_code, response.json()["code"]) == (expected, code), (label, route)
    assert Recognition.objects.count() == recognitions
    world["indicator"].refresh_from_db()
    assert world["indicator"].target is None


def test_methods_an_endpoint_does_not_offer_are_405_or_refused_before(world, caller):
    urls = _read_urls(world) | {"recognition-api-detail": f"/api/v1/recognitions/{world['in_dai_tu'].pk}/"}
    offered = {
        "criteria-set-api-copy": {"post"},
        "criterion-api-detail": {"get", "patch"},
        "indicator-api-detail": {"get", "patch"},
        "recognition-api-list": {"get", "post"},
    }
    urls["criteria-set-api-copy"] = f"/api/v1/criteria-sets/{world['set'].pk}/copy/"
    for label, client, user, read_only in _clients(caller):
        coordinator = is_coordinator(user) and not read_only
        for name, url in urls.items():
            for method in ALL_METHODS:
                if method in offered.get(name, {"get"}):
                    continue
                status = getattr(client, method)(url, {}, format="json").status_code
                if read_only and method != "get":
                    assert status == 403, (label, method, name)
                elif coordinator or method == "get":
                    assert status == 405, (label, method, name)
                else:
                    assert status in (403, 404, 405), (label, method, name, status)


def test_no_credentials_expired_and_revoked_tokens_are_401_everywhere(world, issue_token, bearer, issuer):
    urls = _read_urls(world) | {
        "recognition-api-detail": f"/api/v1/recognitions/{world['in_dai_tu'].pk}/",
        "criteria-set-api-copy": f"/api/v1/criteria-sets/{world['set'].pk}/copy/",
    }
    assert set(urls) == COVERED_ROUTES
    expired_key = issue_token("vpdp-ntm-tinh", days=1)
    revoked_key = issue_token("vpdp-ntm-tinh")
    api_token_revoke(user=issuer, token=ApiToken.objects.get(prefix=revoked_key.split("_")[1]))
    callers = [
        ("anonymous", APIClient(), "not_authenticated"),
        ("revoked", bearer(revoked_key), "token_revoked"),
    ]
    for name, url in urls.items():
        for label, client, code in callers:
            for method in ALL_METHODS:
                response = getattr(client, method)(url, {}, format="json")
                assert (response.status_code, response.json()["code"]) == (401, code), (label, method, name)
    with time_machine.travel(datetime.datetime(2026, 12, 2, 0, 0, 1, tzinfo=datetime.UTC)):
        for name, url in urls.items():
            response = bearer(expired_key).get(url)
            assert (response.status_code, response.json()["code"]) == (401, "token_expired"), name
