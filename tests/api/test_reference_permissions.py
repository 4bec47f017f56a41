"""The permission matrix of the reference data: units and agencies, for every persona,
read-only and read-write tokens of several agencies, and no credentials."""

import pytest
from rest_framework.test import APIClient

from accounts.models import Agency, TokenAccess
from communes.models import AdministrativeUnit
from tests.api.conftest import PERSONAS

pytestmark = pytest.mark.django_db

COVERED_ROUTES = {"unit-api-list", "unit-api-detail", "agency-api-list", "agency-api-detail"}

TOKENS = [
    ("vpdp-ntm-tinh", TokenAccess.READ_WRITE),
    ("vpdp-ntm-huyen-dai-tu", TokenAccess.READ),
    ("vpdp-ntm-huyen-dai-tu", TokenAccess.READ_WRITE),
    ("ubnd-tinh", TokenAccess.READ),
    ("so-tai-chinh", TokenAccess.READ),
]


def _clients(caller):
    """(label, client, the user it acts as, read-only token?) for every persona and token."""
    labels = [*PERSONAS, *(f"token {code} {access}" for code, access in TOKENS)]
    return [(label, *caller(label)) for label in labels]


def test_units_list_is_the_callers_scope_and_others_are_404(caller):
    phu_binh = AdministrativeUnit.objects.get(code="173", valid_until__isnull=False)
    dai_tu = AdministrativeUnit.objects.get(code="171", valid_until__isnull=False)
    for label, client, user, read_only in _clients(caller):
        visible = user.unit_scope()
        listed = client.get("/api/v1/units/", {"page_size": 500})
        assert listed.status_code == 200, label
        assert listed.json()["count"] == visible.count(), label
        for unit in (phu_binh, dai_tu):
            expected = 200 if visible.filter(pk=unit.pk).exists() else 404
            assert client.get(f"/api/v1/units/{unit.pk}/").status_code == expected, (label, unit.name)
        # Units and agencies are read only for everyone.
        for url in ("/api/v1/units/", f"/api/v1/units/{dai_tu.pk}/", "/api/v1/agencies/"):
            for method in ("post", "put", "patch", "delete"):
                status = getattr(client, method)(url, {}, format="json").status_code
                assert status in (403, 405), (label, method, url, status)
                if read_only:
                    assert status == 403, (label, method, url)


def test_every_persona_and_token_reads_the_agencies(caller):
    clients = _clients(caller)
    total = Agency.objects.count()
    agency = Agency.objects.get(code="vpdp-ntm-tinh")
    for label, client, _user, _read_only in clients:
        assert client.get("/api/v1/agencies/", {"page_size": 500}).json()["count"] == total, label
        assert client.get(f"/api/v1/agencies/{agency.pk}/").status_code == 200, label


def test_no_credentials_is_401_everywhere():
    anonymous = APIClient()
    unit = AdministrativeUnit.objects.get(code="19", valid_until=None)
    for url in ("/api/v1/units/", f"/api/v1/units/{unit.pk}/", "/api/v1/agencies/", "/api/v1/agencies/1/"):
        assert anonymous.get(url).status_code == 401, url
