"""Cement pages: the overview by unit, a batch, a unit's page, the batch, use-report and
delivery forms, and the reserve proposal with its workbook.

Thin views: check the permission (403 for a role that only reads), find the unit inside
the user's change scope (404 outside), call one selector or service, answer. Reading
needs ``funding.view_cementbatch`` (every role has it).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.scope import unit_scope
from communes.models import UnitLevel
from communes.scope import get_unit_or_404
from core.downloads import XLSX, attachment
from core.formatting import tonnes_text
from core.forms import add_service_errors
from funding import exports
from funding.forms import (
    ApproveForm,
    BatchForm,
    CementUseForm,
    DeliveryForm,
    ReserveForm,
    YearForm,
    default_year,
    read_amounts,
)
from funding.models import CementBatch
from funding.selectors.cement import (
    Level,
    batch_in_scope,
    cement_has_demo,
    cement_holders,
    cement_overview,
    cement_years,
    district_holders,
    latest_cement_year,
    programme_units,
    reference_day,
    unit_funding,
)
from funding.services.cement import cement_batch_create, cement_delivery_create, cement_use_create
from funding.services.reserve import check_shares, reserve_approve, reserve_proposal


def require(user, permission: str) -> None:
    """403 unless ``user`` holds ``permission``."""
    if not user.has_perm(permission):
        raise PermissionDenied


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
def cement_overview_view(request):
    """Allocated, delivered, used, usage ratio and not yet used per unit, for a year."""
    require(request.user, "funding.view_cementbatch")
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
def batch_detail(request, pk: int):
    """A batch: its decision and its allocations to the units in scope (404 if none)."""
    require(request.user, "funding.view_cementbatch")
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
def batch_create(request):
    """Record a batch (coordinators): the year and level are chosen first (query
    string), then the decision and the tonnes of each district or commune in force that
    year (empty: none)."""
    require(request.user, "funding.add_cementbatch")
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
def use_create(request):
    """Report cement used (district officers for their district, coordinators). A report
    beyond the unit's allocation is refused, saying what is left."""
    require(request.user, "funding.add_cementuse")
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
def delivery_create(request):
    """Record cement handed over to a unit (district officers, coordinators)."""
    require(request.user, "funding.add_cementdelivery")
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
def unit_detail(request, pk: int):
    """One unit's cement and funds of a year, with the history of its reports."""
    require(request.user, "funding.view_cementbatch")
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


# --- The reserve proposal -----------------------------------------------------------------


def _proposal_context(request, form: ReserveForm, *, shares=None, share_errors=None):
    """The proposal for a valid ``form`` (or its error), with the shares shown in the
    inputs: the coordinator's (``shares``, raw text by unit id) or the proposed ones."""
    context = {"form": form, "proposal": None, "rows": [], "has_demo": False}
    if not form.is_valid():
        return context
    data = form.cleaned_data
    try:
        units, proposal = reserve_proposal(
            user=request.user,
            year=data["year"],
            level=data["level"],
            reserve=data["reserve"],
            weights=form.weights(),
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return context
    share_errors = share_errors or {}
    rows = []
    for row in proposal.rows:
        key = row.candidate.key
        entered = (shares or {}).get(key)
        rows.append(
            {
                "row": row,
                "unit": units[key],
                "value": entered if entered is not None else str(row.share),
                "error": share_errors.get(f"share-{key}"),
            }
        )
    has_demo = cement_has_demo(year=data["year"])
    nested = []
    if data["level"] == Level.COMMUNE:
        nested = [
            unit.name
            for unit in district_holders(visible=unit_scope(request.user, for_change=True), year=data["year"])
        ]
    return context | {
        "proposal": proposal,
        "rows": rows,
        "has_demo": has_demo,
        "weights": form.weights(),
        "nested_holders": nested,
        "proposal_year": data["year"],
    }


def _posted_shares(post) -> dict[int, str]:
    """The share inputs as typed (``share-<unit id>``), to show them again."""
    return {
        int(name.split("-", 1)[1]): value.strip()
        for name, value in post.items()
        if name.startswith("share-") and name.split("-", 1)[1].isdigit()
    }


def _general(found: dict[str, list[str]]) -> str:
    """The service's messages that belong to no input of the page."""
    keys = [
        k
        for k in found
        if k in ("shares", "allocations", "reserve", "level", "year") or k.startswith("unit-")
    ]
    return " ".join(" ".join(found[k]) for k in keys)


@login_required
@require_http_methods(["GET", "POST"])
def reserve_view(request):
    """The reserve proposal (coordinators): enter the reserve, read the ranked proposal
    with each unit's reasons, adjust the shares (they must still add up exactly to the
    reserve), export the workbook, approve with the decision: a reserve batch."""
    require(request.user, "funding.add_cementbatch")
    if request.method == "GET":
        bound = "reserve" in request.GET
        form = ReserveForm(
            request.GET if bound else None,
            initial={"year": default_year(cement_years(), timezone.localdate()), "level": Level.DISTRICT},
        )
        context = _proposal_context(request, form) if bound else {"form": form, "proposal": None}
        return render(request, "funding/reserve.html", context | {"approve_form": ApproveForm()})
    approve_form = ApproveForm(request.POST)
    shares = _posted_shares(request.POST)
    context = _proposal_context(request, ReserveForm(request.POST), shares=shares)
    if context["proposal"] is None:
        return render(request, "funding/reserve.html", context | {"approve_form": approve_form}, status=400)
    form = context["form"]
    parsed, errors = read_amounts(request.POST, [r["unit"] for r in context["rows"]], prefix="share")
    general = ""
    if approve_form.is_valid() and not errors:
        data = form.cleaned_data
        try:
            batch = reserve_approve(
                user=request.user,
                year=data["year"],
                level=data["level"],
                reserve=data["reserve"],
                weights=form.weights(),
                shares={unit.pk: value for unit, value in parsed.items()},
                decision_number=approve_form.cleaned_data["decision_number"],
                decision_date=approve_form.cleaned_data["decision_date"],
                note=approve_form.cleaned_data["note"],
            )
        except ValidationError as error:
            found = error.message_dict
            errors = {k: " ".join(v) for k, v in found.items() if k.startswith("share-")}
            general = _general(found)
            add_service_errors(
                approve_form, ValidationError({k: v for k, v in found.items() if k in approve_form.fields})
            )
        else:
            messages.success(
                request,
                _("The reserve of %(year)s is approved: batch %(batch)s recorded.")
                % {"year": batch.year, "batch": batch.decision_number},
            )
            return redirect("funding-batch", pk=batch.pk)
    context = _proposal_context(request, ReserveForm(request.POST), shares=shares, share_errors=errors)
    return render(
        request,
        "funding/reserve.html",
        context | {"approve_form": approve_form, "general": general},
        status=400,
    )


@login_required
@require_http_methods(["GET", "POST"])
def reserve_export(request):
    """The proposal as a workbook for the report to the People's Committee
    (coordinators). GET (or a POST without shares): the proposed shares; a POST with
    shares adds the coordinator's adjusted shares, which must add up exactly to the
    reserve (else the proposal page with the error, 400)."""
    require(request.user, "funding.add_cementbatch")
    source = request.GET if request.method == "GET" else request.POST
    form = ReserveForm(source)
    context = _proposal_context(request, form)
    proposal = context.get("proposal")
    if proposal is None:
        return render(request, "funding/reserve.html", context | {"approve_form": ApproveForm()}, status=400)
    adjusted = None
    if request.method == "POST" and _posted_shares(request.POST):
        units = {r["unit"].pk: r["unit"] for r in context["rows"]}
        parsed, errors = read_amounts(request.POST, list(units.values()), prefix="share")
        general = None
        if not errors:
            try:
                adjusted = check_shares(
                    proposal=proposal, units=units, shares={u.pk: v for u, v in parsed.items()}
                )
            except ValidationError as error:
                errors = {k: " ".join(v) for k, v in error.message_dict.items() if k.startswith("share-")}
                general = _general(error.message_dict)
        if errors or general:
            context = _proposal_context(
                request, ReserveForm(source), shares=_posted_shares(request.POST), share_errors=errors
            )
            return render(
                request,
                "funding/reserve.html",
                context | {"approve_form": ApproveForm(), "general": general},
                status=400,
            )
    data = form.cleaned_data
    content = exports.proposal_workbook(
        proposal=proposal,
        units={r["unit"].pk: r["unit"] for r in context["rows"]},
        year=data["year"],
        level=data["level"],
        adjusted=adjusted,
        generated_on=timezone.localdate(),
        has_demo=context["has_demo"],
    )
    return attachment(content, filename=exports.proposal_filename(data["year"]), content_type=XLSX)
