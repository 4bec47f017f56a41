"""Cement pages: the overview by unit, a batch, a unit's page, the batch, use-report and
delivery forms (the reserve proposal is :mod:`funding.views.reserve`).

Thin views: ``@permission_required`` says who may call them (403 for a role that only
reads), the unit is found inside the user's change scope (404 outside), then one
selector or service is called (the service checks scope and permission again) and the
page answers. Reading needs ``funding.view_cementbatch`` (every role has it).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import permission_required
from accounts.scope import unit_scope
from communes.models import UnitLevel
from communes.scope import get_unit_or_404
from core.formatting import tonnes_text
from core.forms import add_service_errors
from funding.forms.cement import BatchForm, CementUseForm, DeliveryForm, YearForm
from funding.forms.fields import default_year, read_amounts
from funding.models import CementBatch
from funding.selectors.cement import (
    Level,
    batch_in_scope,
    cement_holders,
    cement_overview,
    cement_years,
    latest_cement_year,
    programme_units,
    reference_day,
    unit_funding,
)
from funding.services.cement import cement_batch_create, cement_delivery_create, cement_use_create


def posted_unit(request, field: str = "unit"):
    """The unit named by the POST field ``field`` if it lies in the user's change scope
    (404 otherwise); None when the field is empty or not a number (the form says so)."""
    raw = request.POST.get(field, "")
    if not raw.strip().isdigit():
        return None
    return get_unit_or_404(request.user, int(raw), for_change=True)


def selected_year(request, years: list[int]) -> int:
    """``?year=`` if valid, else the newest year of ``years``, else this year."""
    form = YearForm(request.GET)
    if form.is_valid() and form.cleaned_data.get("year"):
        return form.cleaned_data["year"]
    return default_year(years, timezone.localdate())


@login_required
@require_GET
@permission_required("funding.view_cementbatch")
def cement_overview_view(request):
    """Allocated, delivered, used, usage ratio and not yet used per unit, for a year."""
    years = cement_years()
    year = selected_year(request, years)
    overview = cement_overview(visible=unit_scope(request.user), year=year)
    return render(
        request,
        "funding/cement_overview.html",
        {
            "overview": overview,
            "years": sorted({*years, year}, reverse=True),
            "year": year,
            "may_report": request.user.has_perm("funding.add_cementuse"),
            "may_deliver": request.user.has_perm("funding.add_cementdelivery"),
            "may_allocate": request.user.has_perm("funding.add_cementbatch"),
        },
    )


@login_required
@require_GET
@permission_required("funding.view_cementbatch")
def batch_detail(request, pk: int):
    """A batch: its decision and its allocations to the units in scope (404 if none)."""
    try:
        batch, allocations = batch_in_scope(visible=unit_scope(request.user), pk=pk)
    except (CementBatch.DoesNotExist, ValueError):
        raise Http404 from None
    total = sum(a.tonnes for a in allocations)
    return render(
        request,
        "funding/batch_detail.html",
        {"batch": batch, "allocations": allocations, "total": total, "basis": batch.basis},
    )


def _batch_units(user, year: str, level: str, today) -> list:
    """The districts or communes in force in ``year`` in the user's change scope."""
    if not (str(year).isdigit() and 2010 <= int(year) <= 2100 and level in Level.CHOICES):
        return []
    return list(
        programme_units(
            visible=unit_scope(user, for_change=True), level=level, day=reference_day(int(year), today)
        )
    )


@login_required
@require_http_methods(["GET", "POST"])
@permission_required("funding.add_cementbatch")
def batch_create(request):
    """Record a batch (coordinators): the year and level are chosen first (query
    string), then the decision and the tonnes of each district or commune in force that
    year (empty: none)."""
    today = timezone.localdate()
    if request.method == "POST":
        form = BatchForm(request.POST)
        year, level = request.POST.get("year", ""), request.POST.get("level", "")
    else:
        year = request.GET.get("year") or str(today.year)
        level = request.GET.get("level") or Level.DISTRICT
        form = BatchForm(initial={"year": year, "level": level, "kind": "regular"})
    units = _batch_units(request.user, year, level, today)
    errors: dict[str, str] = {}
    if request.method == "POST":
        values, errors = read_amounts(request.POST, units, prefix="unit")
        if form.is_valid() and not errors:
            data = form.cleaned_data
            try:
                batch = cement_batch_create(
                    user=request.user,
                    year=data["year"],
                    kind=data["kind"],
                    decision_number=data["decision_number"],
                    decision_date=data["decision_date"],
                    note=data["note"],
                    allocations=values,
                )
            except ValidationError as error:
                found = error.message_dict
                errors = {k: " ".join(v) for k, v in found.items() if k not in form.fields}
                add_service_errors(
                    form, ValidationError({k: v for k, v in found.items() if k in form.fields})
                )
            else:
                messages.success(request, _("Batch %(batch)s recorded.") % {"batch": batch})
                return redirect("funding-batch", pk=batch.pk)
    rows = [(unit, request.POST.get(f"unit-{unit.pk}", ""), errors.get(f"unit-{unit.pk}")) for unit in units]
    return render(
        request,
        "funding/batch_form.html",
        {
            "form": form,
            "rows": rows,
            "year": year,
            "level": level,
            "levels": [(Level.DISTRICT, _("District level")), (Level.COMMUNE, _("Commune level"))],
            "general": errors.get("allocations"),
            "has_errors": bool(errors) or bool(form.errors),
        },
        status=400 if request.method == "POST" else 200,
    )


def _places(user):
    """Communes and hamlets of the user's change scope: where reported cement went."""
    return (
        unit_scope(user, for_change=True)
        .filter(level__in=[UnitLevel.COMMUNE, UnitLevel.HAMLET])
        .select_related("parent")
        .order_by("parent__code", "code", "name")
    )


@login_required
@require_http_methods(["GET", "POST"])
@permission_required("funding.add_cementuse")
def use_create(request):
    """Report cement used (district officers for their district, coordinators). A report
    beyond the unit's allocation is refused, saying what is left."""
    unit = posted_unit(request) if request.method == "POST" else None
    place = posted_unit(request, "place") if request.method == "POST" else None
    holders = cement_holders(units=unit_scope(request.user, for_change=True))
    initial = {
        "year": request.GET.get("year") or _default_cement_year(request.user),
        "unit": request.GET.get("unit"),
    }
    form = CementUseForm(request.POST or None, holders=holders, places=_places(request.user), initial=initial)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                use = cement_use_create(
                    user=request.user,
                    unit=unit,
                    year=data["year"],
                    used_on=data["used_on"],
                    tonnes=data["tonnes"],
                    purpose=data["purpose"],
                    road_kind=data["road_kind"],
                    length_km=data["length_km"],
                    place=place,
                    description=data["description"],
                    evidence=data["evidence"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Use report saved: %(tonnes)s for %(unit)s.")
                    % {"tonnes": tonnes_text(use.tonnes), "unit": use.unit},
                )
                return redirect(f"{_unit_url(use.unit_id)}?year={use.year}")
        return render(request, "funding/use_form.html", {"form": form}, status=400)
    return render(request, "funding/use_form.html", {"form": form})


def _default_cement_year(user) -> int:
    """The latest year the user's units hold cement, else this year."""
    return latest_cement_year(units=unit_scope(user, for_change=True)) or timezone.localdate().year


def _unit_url(pk) -> str:
    return reverse("funding-unit", args=[pk])


@login_required
@require_http_methods(["GET", "POST"])
@permission_required("funding.add_cementdelivery")
def delivery_create(request):
    """Record cement handed over to a unit (district officers, coordinators)."""
    unit = posted_unit(request) if request.method == "POST" else None
    holders = cement_holders(units=unit_scope(request.user, for_change=True))
    initial = {
        "year": request.GET.get("year") or _default_cement_year(request.user),
        "unit": request.GET.get("unit"),
    }
    form = DeliveryForm(request.POST or None, holders=holders, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                delivery = cement_delivery_create(
                    user=request.user,
                    unit=unit,
                    year=data["year"],
                    delivered_on=data["delivered_on"],
                    tonnes=data["tonnes"],
                    reference=data["reference"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Delivery recorded: %(tonnes)s to %(unit)s.")
                    % {"tonnes": tonnes_text(delivery.tonnes), "unit": delivery.unit},
                )
                return redirect(f"{_unit_url(delivery.unit_id)}?year={delivery.year}")
        return render(request, "funding/delivery_form.html", {"form": form}, status=400)
    return render(request, "funding/delivery_form.html", {"form": form})


@login_required
@require_GET
@permission_required("funding.view_cementbatch")
def unit_detail(request, pk: int):
    """One unit's cement and funds of a year, with the history of its reports."""
    unit = get_unit_or_404(request.user, pk)
    years = cement_years(unit=unit)
    year = selected_year(request, years)
    data = unit_funding(unit=unit, year=year)
    may_change = unit_scope(request.user, for_change=True).filter(pk=unit.pk).exists()
    return render(
        request,
        "funding/unit_detail.html",
        {
            "data": data,
            "unit": unit,
            "year": year,
            "years": sorted({*years, year}, reverse=True),
            "may_report": may_change and request.user.has_perm("funding.add_cementuse"),
            "may_disburse": may_change and request.user.has_perm("funding.add_disbursement"),
        },
    )
