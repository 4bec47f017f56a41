"""The permission matrix of the funding API: every endpoint and method × every persona,
read-only and read-write tokens of several agencies (each acting as a person of its
agency), expired and revoked tokens, no credentials. Outside the caller's scope: 404;
a role that reads but may not write: 403; a read-only token writing: 403
``token_read_only``; no credentials: 401."""

import datetime

import pytest
import time_machine
from rest_framework.test import APIClient

from accounts.models import ApiToken, TokenAccess
from accounts.services import api_token_revoke
from funding.models import CementAllocation, SupportCondition
from tests.api.test_funding_api import build_rows
from tests.funding.factories import source

pytestmark = pytest.mark.django_db

COVERED_ROUTES = {
    "cement-batch-api-list",
    "cement-batch-api-detail",
    "cement-batch-api-reserve-proposal",
    "cement-batch-api-approve-reserve",
    "cement-allocation-api-list",
    "cement-allocation-api-detail",
    "cement-delivery-api-list",
    "cement-delivery-api-detail",
    "cement-use-api-list",
    "cement-use-api-detail",
    "fund-source-api-list",
    "fund-source-api-detail",
    "fund-allocation-api-list",
    "fund-allocation-api-detail",
    "disbursement-api-list",
    "disbursement-api-detail",
    "value-chain-project-api-list",
    "value-chain-project-api-detail",
    "value-chain-project-api-checks",
    "ocop-product-api-list",
    "ocop-product-api-detail",
}

# Who each caller is, for what it may see and do.
COORDINATOR, DAI_TU, PHU_BINH, XA_PHU_BINH, XA_TAN_CUONG, DEPARTMENT, LEADER, SYSTEM = (
    "coordinator",
    "dai_tu",
    "phu_binh",
    "xa_phu_binh",
    "xa_tan_cuong",
    "department",
    "leader",
    "system",
)
PERSONAS = [
    ("coordinator", COORDINATOR),
    ("dai_tu_officer", DAI_TU),
    ("phu_binh_officer", PHU_BINH),
    ("commune_officer", XA_PHU_BINH),
    ("other_commune_officer", XA_TAN_CUONG),
    ("department_officer", DEPARTMENT),
    ("leader", LEADER),
    ("api_client_user", SYSTEM),
]
TOKENS = [
    ("vpdp-ntm-tinh", TokenAccess.READ_WRITE, COORDINATOR),
    ("vpdp-ntm-tinh", TokenAccess.READ, COORDINATOR),
    ("vpdp-ntm-huyen-dai-tu", TokenAccess.READ_WRITE, DAI_TU),
    ("vpdp-ntm-huyen-dai-tu", TokenAccess.READ, DAI_TU),
    ("vpdp-ntm-huyen-phu-binh", TokenAccess.READ_WRITE, PHU_BINH),
    ("ubnd-xa-05908", TokenAccess.READ_WRITE, XA_PHU_BINH),
    ("so-tai-chinh", TokenAccess.READ_WRITE, DEPARTMENT),
    ("ubnd-tinh", TokenAccess.READ, LEADER),
    ("trung-tam-thong-tin-tinh", TokenAccess.READ_WRITE, SYSTEM),
]

# Who sees the rows of Huyện Đại Từ (pre-2025) and those of the new Xã Phú Bình.
SEES_DAI_TU = {COORDINATOR, DAI_TU, DEPARTMENT, LEADER, SYSTEM}
SEES_XA = {COORDINATOR, XA_PHU_BINH, DEPARTMENT, LEADER, SYSTEM}
EVERYONE = {COORDINATOR, DAI_TU, PHU_BINH, XA_PHU_BINH, XA_TAN_CUONG, DEPARTMENT, LEADER, SYSTEM}
# Who reports use, deliveries, disbursements and OCOP products, and for which unit.
REPORTS_FOR_DAI_TU = {COORDINATOR, DAI_TU}
REPORTS_FOR_XA = {COORDINATOR, XA_PHU_BINH}
REPORTERS = {COORDINATOR, DAI_TU, PHU_BINH, XA_PHU_BINH, XA_TAN_CUONG}


@pytest.fixture
def rows(db):
    return build_rows()


@pytest.fixture
def callers(rows, caller):
    """(label, kind, client, read-only token?) for every persona and token."""
    labels = [*PERSONAS, *((f"token {code} {access}", kind) for code, access, kind in TOKENS)]
    return [(label, kind, *caller(label)[::2]) for label, kind in labels]


def _details(rows):
    """(path, id, the kinds of caller that see it) for one row of each resource."""
    allocation = CementAllocation.objects.get(batch=rows.batch, unit=rows.dai_tu)
    return [
        ("cement-batches", rows.batch_2026.pk, SEES_XA),
        ("cement-batches", rows.batch.pk, SEES_DAI_TU | {PHU_BINH}),
        ("cement-allocations", allocation.pk, SEES_DAI_TU),
        ("cement-deliveries", rows.delivery.pk, SEES_DAI_TU),
        ("cement-uses", rows.use.pk, SEES_DAI_TU),
        ("fund-sources", source().pk, EVERYONE),
        ("fund-allocations", rows.fund.pk, SEES_DAI_TU),
        ("disbursements", rows.paid.pk, SEES_DAI_TU),
        ("value-chain-projects", rows.project.pk, SEES_DAI_TU),
        ("ocop-products", rows.ocop.pk, SEES_DAI_TU),
    ]


def test_reads_show_each_caller_its_scope_and_the_rest_is_404(rows, callers):
    for label, kind, client, _read_only in callers:
        for path, pk, seen_by in _details(rows):
            expected = 200 if kind in seen_by else 404
            response = client.get(f"/api/v1/{path}/{pk}/")
            assert response.status_code == expected, (label, path)
            listed = client.get(f"/api/v1/{path}/", {"page_size": 500})
            assert listed.status_code == 200, (label, path)
            assert (pk in {row["id"] for row in listed.json()["results"]}) == (kind in seen_by), (label, path)


def _reports(rows, unit, year: int, day: str, commune) -> list[tuple[str, dict]]:
    return [
        (
            "cement-uses",
            {"unit_id": unit.pk, "year": year, "used_on": day, "tonnes": "1", "purpose": "school",
             "description": "Sân trường", "evidence": "Biên bản"},
        ),
        ("cement-deliveries", {"unit_id": unit.pk, "year": year, "delivered_on": day, "tonnes": "1"}),
        (
            "disbursements",
            {"unit_id": unit.pk, "year": year, "source_id": source().pk, "paid_on": day, "amount": 1},
        ),
        (
            "ocop-products",
            {"name": "Chè", "producer_name": "HTX", "producer_kind": "cooperative", "commune_id": commune.pk,
             "stars": 3, "rating_decision": "1/QĐ", "rating_year": 2020},
        ),
    ]  # fmt: skip


def _refused(label, response, read_only: bool, expected: int):
    assert response.status_code == expected, (label, response.request["PATH_INFO"], response.json())
    if expected == 403 and read_only:
        assert response.json()["code"] == "token_read_only", label


def test_officers_report_for_their_own_holders_only(rows, callers):
    for_dai_tu = _reports(rows, rows.dai_tu, 2020, "2020-06-10", rows.la_bang)
    for_xa = _reports(rows, rows.xa_phu_binh, 2026, "2026-11-02", rows.xa_phu_binh)
    for label, kind, client, read_only in callers:
        for reports, allowed, seen in (
            (for_dai_tu, REPORTS_FOR_DAI_TU, SEES_DAI_TU),
            (for_xa, REPORTS_FOR_XA, SEES_XA),
        ):
            for path, body in reports:
                response = client.post(f"/api/v1/{path}/", body, format="json")
                if read_only:
                    expected = 403
                elif kind in allowed:
                    expected = 201
                elif kind in REPORTERS:
                    expected = 404  # the role reports, but not for this unit
                else:
                    expected = 403  # a department, a leader, another system: read only
                _refused(label, response, read_only, expected)
                assert expected != 201 or kind in seen


def _coordinator_writes(rows, label: str, index: int) -> list[tuple[str, str, dict]]:
    number = f"{100 + index}/QĐ-UBND"
    return [
        (
            "post",
            "/api/v1/cement-batches/",
            {"year": 2022, "decision_number": number, "decision_date": "2022-03-01",
             "allocations": [{"unit_id": rows.dai_tu.pk, "tonnes": "5"}]},
        ),
        (
            "post",
            "/api/v1/fund-allocations/",
            {"unit_id": rows.dai_tu.pk, "year": 2022, "source_id": source().pk, "amount": "1000"},
        ),
        (
            "post",
            "/api/v1/value-chain-projects/",
            {"name": f"Dự án {label}", "partner_name": "HTX", "partner_kind": "cooperative", "product": "Chè",
             "links_production": True, "support_requested": 1},
        ),
        ("patch", f"/api/v1/value-chain-projects/{rows.project.pk}/", {"note": label}),
        (
            "post",
            f"/api/v1/value-chain-projects/{rows.project.pk}/checks/",
            {"condition_id": SupportCondition.objects.order_by("position").first().pk, "outcome": "met"},
        ),
        ("get", "/api/v1/cement-batches/reserve-proposal/?year=2020&level=district&reserve=10", None),
        (
            "post",
            "/api/v1/cement-batches/approve-reserve/",
            {"year": 2020, "level": "district", "reserve": 10, "decision_number": number,
             "decision_date": "2020-07-01", "shares": [{"unit_id": rows.dai_tu.pk, "tonnes": 10}]},
        ),
    ]  # fmt: skip


def test_only_coordinators_allocate_record_projects_and_share_the_reserve(rows, callers):
    for index, (label, kind, client, read_only) in enumerate(callers):
        for method, url, body in _coordinator_writes(rows, label, index):
            if body is None:
                response = client.get(url)
                allowed = 200
            else:
                response = getattr(client, method)(url, body, format="json")
                allowed = 201 if method == "post" and not url.endswith("checks/") else 200
            if kind == COORDINATOR and not (read_only and body is not None):
                assert response.status_code == allowed, (label, url, response.json())
            else:
                _refused(label, response, read_only and body is not None, 403)


def test_methods_the_api_does_not_offer_are_refused(rows, callers):
    details = [f"/api/v1/{path}/{pk}/" for path, pk, _seen in _details(rows)]
    read_only_lists = ["/api/v1/cement-allocations/", "/api/v1/fund-sources/"]
    for label, _kind, client, read_only in callers:
        for url in details:
            for method in ("put", "delete") + (() if "value-chain-projects" in url else ("patch",)):
                status = getattr(client, method)(url, {}, format="json").status_code
                assert status == (403 if read_only else 405), (label, method, url)
        for url in read_only_lists:
            assert client.post(url, {}, format="json").status_code == (403 if read_only else 405), (
                label,
                url,
            )


def test_no_credentials_or_a_dead_token_is_401_everywhere(rows, issue_token, bearer, issuer):
    anonymous = APIClient()
    urls = [f"/api/v1/{path}/{pk}/" for path, pk, _seen in _details(rows)]
    urls += [f"/api/v1/{path}/" for path, _pk, _seen in _details(rows)]
    urls += [
        "/api/v1/cement-batches/reserve-proposal/",
        "/api/v1/cement-batches/approve-reserve/",
        f"/api/v1/value-chain-projects/{rows.project.pk}/checks/",
    ]
    expired = bearer(issue_token("vpdp-ntm-tinh", days=1))
    revoked_key = issue_token("vpdp-ntm-tinh")
    api_token_revoke(user=issuer, token=ApiToken.objects.get(prefix=revoked_key.split("_")[1]))
    revoked = bearer(revoked_key)
    for url in urls:
        for method in ("get", "post", "patch"):
            response = getattr(anonymous, method)(url, {}, format="json")
            assert (response.status_code, response.json()["code"]) == (401, "not_authenticated"), (
                method,
                url,
            )
        assert revoked.get(url).json()["code"] == "token_revoked", url
        with time_machine.travel(datetime.datetime(2026, 12, 3, tzinfo=datetime.UTC)):
            assert expired.post(url, {}, format="json").json()["code"] == "token_expired", url
