"""Fixtures of the REST API tests: tokens issued as a coordinator issues them, and a
client that sends one."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Agency, ApiToken, TokenAccess
from accounts.roles import Role
from accounts.services import api_token_issue
from tests.conftest import make_user


@pytest.fixture
def issuer(db):
    """The coordinator who issues the tests' tokens."""
    return make_user("token_issuer", Role.COORDINATOR, "vpdp-ntm-tinh")


@pytest.fixture
def issue_token(issuer):
    """``issue_token("vpdp-ntm-huyen-dai-tu", access="read_write")`` -> the key."""

    def issue(agency_code: str, *, access: str = TokenAccess.READ_WRITE, days: int = 30) -> str:
        return api_token_issue(
            user=issuer,
            agency=Agency.objects.get(code=agency_code),
            name=f"Hệ thống thử ({agency_code})",
            access=access,
            expires_on=timezone.localdate() + datetime.timedelta(days=days),
        ).key

    return issue


@pytest.fixture
def bearer():
    """``bearer(key)`` -> an APIClient that sends ``Authorization: Bearer <key>``."""

    def client(key: str) -> APIClient:
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
        return api

    return client


# Every persona of tests/conftest.py, as the API permission matrices call them.
PERSONAS = (
    "coordinator",
    "dai_tu_officer",
    "phu_binh_officer",
    "commune_officer",
    "other_commune_officer",
    "department_officer",
    "leader",
    "api_client_user",
)


@pytest.fixture
def caller(request, issue_token, bearer):
    """``caller("dai_tu_officer")`` or ``caller("token vpdp-ntm-tinh read")`` -> (an
    APIClient acting as that persona or with a new token of that agency and access, the
    user it acts as, whether it is a read-only token)."""

    def make(label: str):
        if not label.startswith("token "):
            user = request.getfixturevalue(label)
            client = APIClient()
            client.force_authenticate(user)
            return client, user, False
        _token, code, access = label.split(" ")
        key = issue_token(code, access=access)
        token = ApiToken.objects.get(prefix=key.split("_")[1])
        return bearer(key), token.user, token.read_only

    return make
