"""Fixtures of the REST API tests: tokens issued as a coordinator issues them, and a
client that sends one."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Agency, TokenAccess
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
