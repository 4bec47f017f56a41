"""The portal's own pages: the province tree (home), unit pages, unit search, health.

Each view finds what it needs inside the user's scope (``accounts.scope``), calls one
selector or service, and answers; outside the scope is 404.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from kombu import Connection

from accounts.scope import get_unit_or_404, unit_scope
from accounts.services import notifications_mark_read
from communes.gso_source import LAST_DAY_BEFORE_REFORM, REFORM_DATE
from communes.models import UnitLevel
from communes.selectors import (
    EARLIEST_RECORDED_STRUCTURE,
    unit_ancestors,
    unit_children,
    unit_lineage,
    unit_search,
    unit_trees,
    visible_unit_ids,
)
from communes.services import hamlet_create
from criteria.forms import AssessmentCreateForm
from criteria.selectors_assessments import assessment_list
from criteria.services import may_start_assessment
from ntm_portal.forms import HamletForm, TreeDateForm, UnitSearchForm, add_service_errors


@login_required
@require_GET
def home(request):
    """The province tree on a chosen day: districts, their communes, xã vs phường/thị trấn.

    Without a valid day, the default day: today, or for a user whose scope unit is no
    longer in force (a district officer after 30/06/2025) the last day it was in force.
    A bad day is shown back as typed, with the error, over the tree of the default day."""
    form = TreeDateForm(request.GET)
    on = timezone.localdate()
    scope_unit = None
    if form.is_valid() and form.cleaned_data["on"]:
        on = form.cleaned_data["on"]
    else:
        agency = request.user.agency
        scope_unit = agency.scope if agency is not None else None
        if scope_unit is not None and scope_unit.valid_until and scope_unit.valid_until < on:
            on = scope_unit.valid_until
        else:
            scope_unit = None
    context = {
        "form": form,
        "on": on,
        "typed_on": request.GET.get("on", "") if form.errors else None,
        "trees": unit_trees(visible=unit_scope(request.user), on=on),
        "before_reform": LAST_DAY_BEFORE_REFORM,
        "reform": REFORM_DATE,
        "is_before_reform": on < REFORM_DATE,
        "earliest_recorded": EARLIEST_RECORDED_STRUCTURE,
        "is_before_records": on < EARLIEST_RECORDED_STRUCTURE,
        # Set when the tree shows the last day of the user's closed scope unit.
        "scope_unit": scope_unit,
    }
    template = "portal/home.html#tree" if request.htmx else "portal/home.html"
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def unit_detail(request, pk: int):
    """A unit: where it sits, what it contains, what it was formed from or merged into;
    on a commune in force, a form to add a hamlet for users whose role may add units and
    whose scope holds the commune.
    A POST from a user who may only read the unit is refused (403)."""
    unit = get_unit_or_404(request.user, pk)
    may_add_hamlet = (
        request.user.has_perm("communes.add_administrativeunit")
        and unit.level == UnitLevel.COMMUNE
        and unit.is_valid_on(timezone.localdate())
        and unit_scope(request.user, for_change=True).filter(pk=unit.pk).exists()
    )
    if request.method == "POST" and not may_add_hamlet:
        raise PermissionDenied
    hamlet_form = HamletForm(request.POST or None) if may_add_hamlet else None
    if request.method == "POST" and hamlet_form.is_valid():
        try:
            hamlet = hamlet_create(commune=unit, **hamlet_form.cleaned_data)
        except ValidationError as error:
            add_service_errors(hamlet_form, error)
        else:
            messages.success(request, _("Added %(name)s.") % {"name": hamlet.name})
            return redirect("unit-detail", pk=unit.pk)
    ancestors = unit_ancestors(unit)
    context = {
        "unit": unit,
        "assessments": assessment_list(visible=unit_scope(request.user)).filter(commune=unit)
        if unit.is_assessed
        else [],
        "assessment_form": AssessmentCreateForm(initial={"commune": unit.pk})
        if unit.is_assessed and may_start_assessment(request.user, unit)
        else None,
        "ancestors": ancestors,
        "visible_ancestor_ids": visible_unit_ids(visible=unit_scope(request.user), units=ancestors),
        "children": unit_children(unit),
        "lineage": unit_lineage(visible=unit_scope(request.user), unit=unit),
        "history": unit.history.select_related("history_user").order_by("-history_date")[:20],
        "hamlet_form": hamlet_form,
    }
    return render(request, "portal/unit_detail.html", context)


@login_required
@require_GET
def unit_search_view(request):
    """Accent-insensitive search of unit names inside the user's scope (htmx live)."""
    form = UnitSearchForm(request.GET)
    text = form.cleaned_data["q"] if form.is_valid() else ""
    found = unit_search(visible=unit_scope(request.user), text=text) if text else None
    context = {
        "form": form,
        # What the box shows: the cleaned text (no NUL, no zero-width characters), or
        # what was typed when it is refused (too long).
        "q": text if form.is_valid() else form["q"].value(),
        "results": found.units if found else [],
        "total": found.total if found else 0,
        "is_truncated": bool(found and found.is_truncated),
        "searched": bool(text),
    }
    template = "portal/unit_search.html#results" if request.htmx else "portal/unit_search.html"
    return render(request, template, context)


@never_cache
@require_GET
def healthz(request):
    """JSON health of the portal: ``{"status": "ok"|"degraded", "database": ...,
    "broker": ...}``. 200 when the database answers, 503 when it does not. The broker is
    ``"eager"`` when Celery runs in-process (no broker configured)."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as error:  # any driver error means the database is unreachable
        checks["database"] = f"error: {type(error).__name__}"
    if settings.CELERY_TASK_ALWAYS_EAGER and not settings.CELERY_BROKER_URL:
        checks["broker"] = "eager"
    else:
        checks["broker"] = _broker_status()
    healthy = checks["database"] == "ok" and checks["broker"] in ("ok", "eager")
    status = 200 if checks["database"] == "ok" else 503
    return JsonResponse(
        {"status": "ok" if healthy else "degraded", **checks, "time": timezone.now().isoformat()},
        status=status,
    )


def _broker_status() -> str:
    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception as error:  # kombu raises several unrelated types for "unreachable"
        return f"error: {type(error).__name__}"


@login_required
@require_http_methods(["GET", "POST"])
def notifications(request):
    """The user's notifications, newest first; a POST marks them all read."""
    rows = request.user.notifications.all()
    if request.method == "POST":
        notifications_mark_read(user=request.user)
        return redirect("notifications")
    return render(request, "portal/notifications.html", {"rows": rows[:200]})


def favicon(request):
    """Browsers ask for /favicon.ico on every page (the admin, JSON): send them to ours.
    Resolved per request, so production's hashed static name is used."""
    return redirect(static("img/favicon.svg"), permanent=True)
