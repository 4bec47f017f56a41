"""How the REST API knows who calls it: portal tokens, and their throttle.

A call carries ``Authorization: Bearer ntm_<prefix>_<secret>`` (the key shown once when
a coordinator issued the token, :func:`accounts.services.api_token_issue`). The token is
found by its prefix and its key compared by digest; the call then acts as the token's
account. A browser session (a person logged in to the portal) works as well.
"""

import datetime
import hmac

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions, throttling

from accounts.models import ApiToken
from accounts.services import TOKEN_KEY_PREFIX, token_digest

# last_used_at is written at most this often per token, not on every call.
_LAST_USED_STEP = datetime.timedelta(minutes=1)


class TokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Bearer <key>`` (or ``Token <key>``). A malformed, unknown,
    expired or revoked key is a 401 with code ``token_invalid``, ``token_expired`` or
    ``token_revoked``; no header leaves the call to the next authenticator."""

    keywords = ("bearer", "token")

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].decode("latin-1").lower() not in self.keywords:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                _("Send the token as “Authorization: Bearer <key>”."), "token_invalid"
            )
        key = parts[1].decode("latin-1")
        prefix = key.removeprefix(TOKEN_KEY_PREFIX).partition("_")[0]
        token = (
            ApiToken.objects.select_related("user__agency__scope").filter(prefix=prefix).first()
            if key.startswith(TOKEN_KEY_PREFIX) and prefix
            else None
        )
        if token is None or not hmac.compare_digest(token.key_hash, token_digest(key)):
            raise exceptions.AuthenticationFailed(_("This API token is not valid."), "token_invalid")
        now = timezone.now()
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("This API token was revoked."), "token_revoked")
        if token.expires_at <= now:
            raise exceptions.AuthenticationFailed(_("This API token has expired."), "token_expired")
        if token.last_used_at is None or now - token.last_used_at >= _LAST_USED_STEP:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class TokenAccessPermission(permissions.BasePermission):
    """A read-only token may only read (GET, HEAD, OPTIONS): 403 ``token_read_only``."""

    message = _("This API token is read-only.")
    code = "token_read_only"

    def has_permission(self, request, view):
        token = request.auth
        if isinstance(token, ApiToken) and token.read_only:
            return request.method in permissions.SAFE_METHODS
        return True


class ApiRateThrottle(throttling.SimpleRateThrottle):
    """At most ``settings.NTM_API_RATE`` calls (e.g. ``"600/min"``) per token, or per
    logged-in person; past it, 429 with ``Retry-After`` in seconds."""

    scope = "api"

    def get_rate(self):
        return settings.NTM_API_RATE

    def get_cache_key(self, request, view):
        token = request.auth
        if isinstance(token, ApiToken):
            return f"throttle_api_token_{token.pk}"
        if request.user and request.user.is_authenticated:
            return f"throttle_api_user_{request.user.pk}"
        return f"throttle_api_anon_{self.get_ident(request)}"


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema names the portal's tokens: HTTP bearer."""

    target_class = TokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": str(_("A key issued by a coordinator at /tokens/: Authorization: Bearer ntm_…")),
        }
