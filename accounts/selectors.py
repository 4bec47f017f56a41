"""Read queries of the accounts pages: the API tokens a coordinator issued."""

import datetime

from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import ApiToken
from accounts.roles import Role


class TokenState(models.TextChoices):
    """Where a token stands at a given instant: usable, past its expiry, or revoked."""

    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


def api_tokens() -> QuerySet[ApiToken]:
    """Every token, newest first, with its agency, issuer, revoker and its account's
    groups (the role it acts with) loaded: the number of queries of a page of them does
    not depend on its length."""
    return (
        ApiToken.objects.select_related("agency", "created_by", "revoked_by")
        .prefetch_related("user__groups")
        .order_by("-created_at", "-pk")
    )


def token_state(token: ApiToken, now: datetime.datetime) -> TokenState:
    """Revoked (whatever its expiry), else expired once ``expires_at`` is reached, else active."""
    if token.revoked_at is not None:
        return TokenState.REVOKED
    if token.expires_at <= now:
        return TokenState.EXPIRED
    return TokenState.ACTIVE


def token_last_day(token: ApiToken) -> datetime.date:
    """The last day (Vietnam time) the token works: ``expires_at`` is the midnight after
    the expiry date the coordinator chose (:func:`accounts.services.api_token_issue`)."""
    return (timezone.localtime(token.expires_at) - datetime.timedelta(microseconds=1)).date()


def token_roles(token: ApiToken) -> list[Role]:
    """The roles the token's account holds (the one :func:`accounts.services.token_role`
    gave it when issued), read from the prefetched groups of :func:`api_tokens`."""
    return [Role(group.name) for group in token.user.groups.all() if group.name in Role.values]
