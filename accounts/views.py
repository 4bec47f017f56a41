"""The signed-in user's own pages, the coordinators' API tokens, and the staffing of the
coordination offices."""

import secrets
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import coordinator_required
from accounts.forms import ApiTokenForm, StaffingFormSet, StaffingRowForm
from accounts.models import Agency, ApiToken
from accounts.roles import Role, is_coordinator, require_role
from accounts.scope import unit_scope
from accounts.selectors import (
    NO_CHANGE,
    StaffingChange,
    TokenState,
    api_tokens,
    coordination_offices,
    staffing_history,
    token_last_day,
    token_roles,
    token_state,
)
from accounts.services import (
    StaffingInput,
    StaffingRefused,
    agency_staffing_update_all,
    api_token_issue,
    api_token_revoke,
    notifications_mark_read,
)
from accounts.staffing import staffing_totals
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


# --- Staffing of the coordination offices ---------------------------------------------


@dataclass(frozen=True)
class StaffingRow:
    """One office of the staffing table: the agency, what its history says
    (:class:`~accounts.selectors.StaffingChange`) and, for a coordinator, its form."""

    agency: Agency
    change: StaffingChange
    form: StaffingRowForm | None

    @property
    def former_until(self) -> str:
        """The last day of the office's unit (dd/mm/yyyy) when it is no longer in force
        (a district office after 01/07/2025), else ""."""
        return date_text(self.agency.scope.valid_until)

    @property
    def changed_at(self) -> str:
        return datetime_text(self.change.changed_at)


@login_required
@require_http_methods(["GET", "POST"])
def agency_staffing(request):
    """The full-time NTM staff of the coordination offices in the user's scope (the
    province's, then the districts', former ones marked): required, in post, shortfall,
    who changed them last and when. Everyone signed in reads; a provincial coordinator
    edits every row in one form, saved all together or not at all
    (:func:`accounts.services.agency_staffing_update_all`): 302 back to the page when
    saved, 400 with the errors on their rows, 409 when someone else saved a row the user
    changed since the page was read (the others 403 on POST)."""
    if request.method == "POST":
        require_role(request.user, Role.COORDINATOR)
    offices = list(coordination_offices(visible=unit_scope(request.user)))
    history = staffing_history(agencies=offices)
    formset, status, notice = None, 200, ""
    if request.method == "POST":
        formset = StaffingFormSet(request.POST, prefix="staff")
        if formset.is_valid():
            status, notice = _staffing_save(request, formset, {office.pk: office for office in offices})
            if status == 302:
                return redirect("agency-staffing")
        else:
            status, notice = 400, _("Nothing was saved: correct the rows marked below.")
    elif is_coordinator(request.user):
        formset = StaffingFormSet(
            prefix="staff", initial=[_staffing_initial(office, history) for office in offices]
        )
    forms = {_form_agency(form): form for form in formset} if formset is not None else {}
    rows = [
        StaffingRow(office, history.get(office.pk, NO_CHANGE), forms.get(office.pk)) for office in offices
    ]
    context = {
        "rows": rows,
        "formset": formset,
        "notice": notice,
        "totals": staffing_totals((office.ntm_staff_required, office.ntm_staff_actual) for office in offices),
    }
    return render(request, "accounts/staffing.html", context, status=status)


def _staffing_initial(office: Agency, history: dict[int, StaffingChange]) -> dict:
    return {
        "agency": office.pk,
        "version": history.get(office.pk, NO_CHANGE).version,
        "required": office.ntm_staff_required,
        "actual": office.ntm_staff_actual,
    }


def _form_agency(form: StaffingRowForm) -> int | None:
    """The id of the office a (bound or unbound) row form is for, None if unreadable."""
    try:
        return int(form["agency"].value())
    except (TypeError, ValueError):
        return None


def _staffing_save(request, formset, offices: dict[int, Agency]) -> tuple[int, str]:
    """Save the rows the user changed: (302, "") when saved, else (400 or 409, the
    sentence above the table) with each refused row's errors on its form."""
    changed = [form for form in formset if form.counts_changed()]
    gone = [form for form in changed if form.cleaned_data["agency"] not in offices]
    for form in gone:
        form.add_error(None, _("This office is no longer listed: reload the page."))
    if gone:
        return 409, _("Nothing was saved: the list of offices changed since you opened the page.")
    rows = [
        StaffingInput(
            agency=offices[form.cleaned_data["agency"]],
            required=form.cleaned_data["required"],
            actual=form.cleaned_data["actual"],
            version=form.cleaned_data["version"],
        )
        for form in changed
    ]
    try:
        saved = agency_staffing_update_all(user=request.user, rows=rows)
    except StaffingRefused as refused:
        for index, error in refused.errors.items():
            add_service_errors(changed[index], error)
        for index, stale in refused.stale.items():
            changed[index].add_error(None, stale.message)
        if refused.stale:
            return 409, _(
                "Nothing was saved: someone else changed the rows marked below since you opened the page."
            )
        return 400, _("Nothing was saved: correct the rows marked below.")
    if saved:
        messages.success(
            request,
            ngettext(
                "Staffing saved for %(count)s office.", "Staffing saved for %(count)s offices.", len(saved)
            )
            % {"count": len(saved)},
        )
    else:
        messages.info(request, _("Nothing changed: no count was edited."))
    return 302, ""
