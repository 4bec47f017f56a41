"""The signed-in user's own pages, and the coordinators' API tokens."""

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import coordinator_required
from accounts.forms import ApiTokenForm
from accounts.models import ApiToken
from accounts.selectors import TokenState, api_tokens, token_last_day, token_roles, token_state
from accounts.services import api_token_issue, api_token_revoke, notifications_mark_read
from core.formatting import date_text, datetime_text
from core.forms import add_service_errors

TOKENS_PER_PAGE = 50
# The one-time values of the token forms handed out in this session (the newest few).
_ONCE_KEY = "api_token_form_once"
_ONCE_KEPT = 10


@login_required
@require_http_methods(["GET", "POST"])
def notifications(request):
    """The user's notifications, newest first; a POST marks them all read."""
    rows = request.user.notifications.all()
    if request.method == "POST":
        notifications_mark_read(user=request.user)
        return redirect("notifications")
    return render(request, "accounts/notifications.html", {"rows": rows[:200]})


@login_required
@require_GET
@coordinator_required
def api_token_list(request):
    """Every API token, newest first, 50 a page: its system, agency, access, the role it
    acts with, who issued it and when, its last day, when it was last used, its state,
    and a revoke button (with a confirmation) for an active one. Coordinators only."""
    now = timezone.now()
    page = Paginator(api_tokens(), TOKENS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [_token_row(token, now) for token in page]
    return render(request, "accounts/api_token_list.html", {"page": page, "rows": rows})


def _token_row(token: ApiToken, now) -> dict:
    state = token_state(token, now)
    return {
        "token": token,
        "roles": ", ".join(str(role.label) for role in token_roles(token)),
        "state": state,
        "active": state == TokenState.ACTIVE,
        "issued_at": datetime_text(token.created_at),
        "valid_until": date_text(token_last_day(token)),
        "last_used": datetime_text(token.last_used_at),
        "revoked_at": datetime_text(token.revoked_at),
    }


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@coordinator_required
def api_token_new(request):
    """The form of a new token; once issued, the page that shows its key, the only time
    it is shown (answered to the POST itself, never kept: ``Cache-Control: no-store``).
    Each form carries a one-time value (``once``), so sending it again (reloading the
    page of the key) issues nothing and comes back as the form saying so (409).
    Coordinators only."""
    if request.method == "GET":
        return _token_form(request, ApiTokenForm())
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return _token_form(request, form, status=400)
    once = request.POST.get("once", "")
    if once not in request.session.get(_ONCE_KEY, []):
        notice = _(
            "This form was already sent: the token was issued and its key is not shown again. "
            "Send the form again to issue another token."
        )
        return _token_form(request, form, status=409, notice=notice)
    try:
        issued = api_token_issue(user=request.user, **form.values())
    except ValidationError as error:
        add_service_errors(form, error)
        return _token_form(request, form, status=400)
    request.session[_ONCE_KEY] = [value for value in request.session[_ONCE_KEY] if value != once]
    context = {
        "token": issued.token,
        "key": issued.key,
        "role": ", ".join(str(role.label) for role in token_roles(issued.token)),
        "valid_until": date_text(token_last_day(issued.token)),
        "units_url": request.build_absolute_uri(reverse("unit-api-list")),
    }
    return render(request, "accounts/api_token_issued.html", context)


def _token_form(request, form: ApiTokenForm, *, status: int = 200, notice: str = ""):
    """The form page with a new one-time value, kept in the session with the few before it."""
    once = secrets.token_urlsafe(16)
    request.session[_ONCE_KEY] = [*request.session.get(_ONCE_KEY, [])[-(_ONCE_KEPT - 1) :], once]
    context = {"form": form, "once": once, "notice": notice}
    return render(request, "accounts/api_token_new.html", context, status=status)


@login_required
@require_POST
@coordinator_required
def api_token_revoke_view(request, pk: int):
    """Revoke a token (the list asks to confirm first): every later call with its key is
    refused (401). Coordinators only."""
    token = get_object_or_404(ApiToken, pk=pk)
    was_revoked = token.revoked_at is not None
    api_token_revoke(user=request.user, token=token)
    if was_revoked:
        messages.info(request, _("The token “%(name)s” was already revoked.") % {"name": token.name})
    else:
        messages.success(
            request,
            _("Token “%(name)s” revoked: the system can no longer call the API with it.")
            % {"name": token.name},
        )
    return redirect("api-token-list")
