"""Funds pages: the overview (disbursement rates by unit and by source, the expected rate
and the slow-disbursement lists), the allocation and disbursement forms, and the
expected rates a coordinator sets. Thin views, as in :mod:`funding.views.cement`."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import permission_required
from accounts.scope import unit_scope
from communes.models import UnitLevel
from core.formatting import date_text, decimal_text, vnd_text
from core.forms import add_service_errors
from funding.forms.fields import default_year
from funding.forms.funds import DisbursementForm, FundAllocationForm, FundsFilterForm, MilestoneForm
from funding.selectors.funds import allocated_sources, fund_holders, fund_years, funds_overview
from funding.services.funds import disbursement_create, fund_allocation_create, milestone_set
from funding.views.cement import posted_unit


def _overview_context(request, *, milestone_form=None) -> dict:
    form = FundsFilterForm(request.GET)
    form.is_valid()
    today = timezone.localdate()
    years = fund_years()
    year = form.cleaned_data.get("year") or default_year(years, today)
    as_of = form.cleaned_data.get("as_of") or min(today, datetime.date(year, 12, 31))
    overview = funds_overview(visible=unit_scope(request.user), year=year, as_of=as_of)
    may_set = request.user.has_perm("funding.add_disbursementmilestone")
    return {
        "form": form,
        "overview": overview,
        "year": year,
        "as_of": as_of,
        "years": sorted({*years, year}, reverse=True),
        "may_disburse": request.user.has_perm("funding.add_disbursement"),
        "may_allocate": request.user.has_perm("funding.add_fundallocation"),
        "milestone_form": (milestone_form or MilestoneForm(initial={"year": year})) if may_set else None,
    }


@login_required
@require_GET
@permission_required("funding.view_fundallocation")
def funds_overview_view(request):
    """Allocated and disbursed VND and the disbursement rate by unit and by source, for a
    year as of a day (default: today, or the year's last day for a past year), with the
    expected rate on that day and the units and pairs below it."""
    return render(request, "funding/funds_overview.html", _overview_context(request))


def _fund_units(user):
    """Districts and communes of the user's change scope (for an allocation)."""
    return (
        unit_scope(user, for_change=True)
        .filter(level__in=[UnitLevel.DISTRICT, UnitLevel.COMMUNE])
        .select_related("parent")
        .order_by("valid_until", "level", "code", "name")
    )


@login_required
@require_http_methods(["GET", "POST"])
@permission_required("funding.add_fundallocation")
def fund_allocation_create_view(request):
    """Record funds allocated to a unit for a year from a source (coordinators)."""
    unit = posted_unit(request) if request.method == "POST" else None
    form = FundAllocationForm(
        request.POST or None, units=_fund_units(request.user), initial={"year": timezone.localdate().year}
    )
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                row = fund_allocation_create(
                    user=request.user,
                    unit=unit,
                    year=data["year"],
                    source=data["source"],
                    amount=data["amount"],
                    decision_number=data["decision_number"],
                    decision_date=data["decision_date"],
                    note=data["note"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Allocation recorded: %(amount)s of %(source)s to %(unit)s.")
                    % {"amount": vnd_text(row.amount), "source": row.source, "unit": row.unit},
                )
                return redirect(f"{reverse('funding-funds')}?year={row.year}")
        return render(request, "funding/fund_allocation_form.html", {"form": form}, status=400)
    return render(request, "funding/fund_allocation_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
@permission_required("funding.add_disbursement")
def disbursement_create_view(request):
    """Report a disbursement (district officers for their district, coordinators). A
    disbursement beyond the allocation of its source is refused, saying what is left."""
    unit = posted_unit(request) if request.method == "POST" else None
    changeable = unit_scope(request.user, for_change=True)
    holders = fund_holders(units=changeable)
    initial = {"year": request.GET.get("year") or timezone.localdate().year, "unit": request.GET.get("unit")}
    form = DisbursementForm(
        request.POST or None, holders=holders, sources=allocated_sources(units=changeable), initial=initial
    )
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                row = disbursement_create(
                    user=request.user,
                    unit=unit,
                    year=data["year"],
                    source=data["source"],
                    paid_on=data["paid_on"],
                    amount=data["amount"],
                    note=data["note"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Disbursement saved: %(amount)s of %(source)s by %(unit)s.")
                    % {"amount": vnd_text(row.amount), "source": row.source, "unit": row.unit},
                )
                return redirect(f"{reverse('funding-unit', args=[row.unit_id])}?year={row.year}")
        return render(request, "funding/disbursement_form.html", {"form": form}, status=400)
    return render(request, "funding/disbursement_form.html", {"form": form})


@login_required
@require_POST
@permission_required("funding.add_disbursementmilestone")
def milestone_set_view(request):
    """Set the rate expected by a date (coordinators); the overview shows the error."""
    form = MilestoneForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            milestone = milestone_set(
                user=request.user,
                year=data["year"],
                due_on=data["due_on"],
                expected_percent=data["expected_percent"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Expected rate set: %(rate)s %% by %(day)s.")
                % {
                    "rate": decimal_text(milestone.expected_percent),
                    "day": date_text(milestone.due_on),
                },
            )
            return redirect(f"{reverse('funding-funds')}?year={milestone.year}")
    context = _overview_context(request, milestone_form=form)
    return render(request, "funding/funds_overview.html", context, status=400)
