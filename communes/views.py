"""The pages of administrative units: the province tree (the home page), a unit's page
and the unit search.

Each view finds what it needs inside the user's scope (``request.user.unit_scope()``,
that is :func:`accounts.scope.unit_scope`), calls one selector or service, and answers;
outside the scope is 404. Other apps add their sections to a unit's page through
:data:`communes.signals.unit_page_sections` (the assessments of a commune come from
``criteria``), since this app sits below them and imports none of them.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from communes.forms import HamletForm, TreeDateForm, UnitSearchForm
from communes.gso_source import LAST_DAY_BEFORE_REFORM, REFORM_DATE
from communes.models import AdministrativeUnit, UnitLevel
from communes.scope import get_unit_or_404
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
from communes.signals import unit_page_sections
from core.forms import add_service_errors


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
        "trees": unit_trees(visible=request.user.unit_scope(), on=on),
        "before_reform": LAST_DAY_BEFORE_REFORM,
        "reform": REFORM_DATE,
        "is_before_reform": on < REFORM_DATE,
        "earliest_recorded": EARLIEST_RECORDED_STRUCTURE,
        "is_before_records": on < EARLIEST_RECORDED_STRUCTURE,
        # Set when the tree shows the last day of the user's closed scope unit.
        "scope_unit": scope_unit,
    }
    template = "communes/home.html#tree" if request.htmx else "communes/home.html"
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
        and request.user.unit_scope(for_change=True).filter(pk=unit.pk).exists()
    )
    if request.method == "POST" and not may_add_hamlet:
        raise PermissionDenied
    hamlet_form = HamletForm(request.POST or None) if may_add_hamlet else None
    if request.method == "POST" and hamlet_form.is_valid():
        try:
            hamlet = hamlet_create(user=request.user, commune=unit, **hamlet_form.cleaned_data)
        except ValidationError as error:
            add_service_errors(hamlet_form, error)
        else:
            messages.success(request, _("Added %(name)s.") % {"name": hamlet.name})
            return redirect("unit-detail", pk=unit.pk)
    ancestors = unit_ancestors(unit)
    visible = request.user.unit_scope()
    context = {
        "unit": unit,
        "sections": [
            html
            for _receiver, html in unit_page_sections.send(
                sender=AdministrativeUnit, request=request, unit=unit
            )
            if html
        ],
        "ancestors": ancestors,
        "visible_ancestor_ids": visible_unit_ids(visible=visible, units=ancestors),
        "children": unit_children(unit),
        "lineage": unit_lineage(visible=visible, unit=unit),
        "history": unit.history.select_related("history_user").order_by("-history_date")[:20],
        "hamlet_form": hamlet_form,
    }
    return render(request, "communes/unit_detail.html", context)


@login_required
@require_GET
def unit_search_view(request):
    """Accent-insensitive search of unit names inside the user's scope (htmx live)."""
    form = UnitSearchForm(request.GET)
    text = form.cleaned_data["q"] if form.is_valid() else ""
    found = unit_search(visible=request.user.unit_scope(), text=text) if text else None
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
    template = "communes/unit_search.html#results" if request.htmx else "communes/unit_search.html"
    return render(request, template, context)
