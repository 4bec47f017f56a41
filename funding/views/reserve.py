"""The reserve proposal (coordinators): the page that proposes how to share a year's
cement reserve, lets the coordinator adjust the shares and approve them with the
decision (a reserve batch), and the proposal's workbook for the report to the People's
Committee. Thin views, as in :mod:`funding.views.cement`: the method is
:mod:`funding.allocation`, the checks and the approval :mod:`funding.services.reserve`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.decorators import permission_required
from accounts.scope import unit_scope
from core.downloads import XLSX, attachment
from core.forms import add_service_errors
from funding import exports
from funding.forms.fields import default_year, read_amounts
from funding.forms.reserve import ApproveForm, ReserveForm
from funding.selectors.cement import Level, cement_has_demo, cement_years
from funding.selectors.reserve import district_holders
from funding.services.reserve import check_shares, reserve_approve, reserve_proposal


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
@permission_required("funding.add_cementbatch")
def reserve_view(request):
    """The reserve proposal (coordinators): enter the reserve, read the ranked proposal
    with each unit's reasons, adjust the shares (they must still add up exactly to the
    reserve), export the workbook, approve with the decision: a reserve batch."""
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
@permission_required("funding.add_cementbatch")
def reserve_export(request):
    """The proposal as a workbook for the report to the People's Committee
    (coordinators). GET (or a POST without shares): the proposed shares; a POST with
    shares adds the coordinator's adjusted shares, which must add up exactly to the
    reserve (else the proposal page with the error, 400)."""
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
