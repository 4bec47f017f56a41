"""The criteria catalogue pages: the sets, one set (groups > criteria > indicators), and
the coordinator's changes: an indicator's target (and its targets by commune group), a
new indicator, an indicator's edit or deletion, a criterion's department, a provincial
copy of a set.

Every signed-in user may read the catalogue (reference data, no scope). Only a
provincial coordinator may change it: anyone else gets 403, on GET and POST alike.
Each view finds its object (404 if unknown), checks the input, calls one service or
selector, and answers; under htmx it answers with the partial it replaces.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import coordinator_required
from accounts.roles import is_coordinator
from communes.models import UnitLevel
from core.formatting import decimal_text
from core.forms import add_service_errors
from criteria.forms.catalogue import (
    CriteriaSetCopyForm,
    CriterionAgencyForm,
    IndicatorForm,
    IndicatorTargetForm,
)
from criteria.models import Comparison, Verification
from criteria.selectors.catalogue import (
    criteria_set_by_code,
    criteria_set_catalogue,
    criteria_sets_overview,
    criterion_for_change,
    departments,
    indicator_changes,
    indicator_for_change,
    indicator_history,
    indicator_row,
    indicator_usage,
)
from criteria.services.catalogue import (
    criteria_set_copy,
    criterion_set_responsible_agency,
    indicator_set_target,
)
from criteria.services.indicators import (
    IndicatorInput,
    indicator_create,
    indicator_delete,
    indicator_update,
)

TEMPLATE_DIR = "criteria/catalogue/"


def _found(getter, key):
    """``getter(key)``, or 404 when there is no such object."""
    try:
        return getter(key)
    except ObjectDoesNotExist:
        raise Http404 from None


def _set_url(code: str, anchor: str = "") -> str:
    url = reverse("criteria-set-detail", args=[code])
    return f"{url}#{anchor}" if anchor else url


@login_required
@require_GET
def criteria_set_list(request):
    """Every criteria set with its counts, and how many indicators still lack a target."""
    context = {"sets": criteria_sets_overview(), "may_edit": is_coordinator(request.user)}
    return render(request, TEMPLATE_DIR + "set_list.html", context)


@login_required
@require_GET
def criteria_set_detail(request, code: str):
    """One set: criteria by group, each with its department and indicators (target,
    verification); indicators without a target are flagged as judged by the appraiser."""
    criteria_set = _found(criteria_set_by_code, code)
    may_edit = is_coordinator(request.user)
    context = {
        "catalogue": criteria_set_catalogue(criteria_set=criteria_set),
        "may_edit": may_edit,
        "departments": list(departments()) if may_edit else [],
    }
    return render(request, TEMPLATE_DIR + "set_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@coordinator_required
def indicator_target(request, pk: int):
    """A coordinator sets or clears a numeric indicator's target (and comparison).
    Under htmx, GET answers the form row and a successful POST the updated indicator row;
    otherwise a full page, and a redirect to the set after saving."""
    indicator = _found(indicator_for_change, pk)
    criteria_set = indicator.criterion.criteria_set
    initial = {
        "comparison": indicator.comparison,
        "target": decimal_text(indicator.target, grouping=False),
    }
    form = IndicatorTargetForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        groups=criteria_set.commune_groups.order_by("code"),
        group_initial=_group_initial(indicator),
    )
    if request.method == "POST" and form.is_valid():
        try:
            indicator_set_target(
                user=request.user,
                indicator=indicator,
                target=form.cleaned_data["target"],
                comparison=form.cleaned_data["comparison"],
                group_targets=form.group_targets(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if request.htmx:
                indicator = indicator_for_change(indicator.pk)
                context = {"row": indicator_row(indicator), "may_edit": True, "saved": True}
                return render(request, TEMPLATE_DIR + "set_detail.html#indicator_row", context)
            messages.success(request, _("Saved the target of indicator %(code)s.") % {"code": indicator.code})
            return redirect(_set_url(criteria_set.code, f"indicator-{indicator.pk}"))
    context = {
        "indicator": indicator,
        "criteria_set": criteria_set,
        "form": form,
        "is_boolean": indicator.comparison == Comparison.ACHIEVED,
    }
    if request.htmx:
        return render(request, TEMPLATE_DIR + "set_detail.html#indicator_form", context)
    context["history"] = indicator_history(indicator)
    return render(request, TEMPLATE_DIR + "indicator_target.html", context)


def _group_initial(indicator) -> dict[int, str]:
    """Each group target of ``indicator`` as its field shows it (26,7), by group id;
    reads the prefetched ``group_targets``."""
    return {
        row.commune_group_id: decimal_text(row.target, grouping=False)
        for row in indicator.group_targets.all()
    }


def _indicator_page(request, *, form, criterion, indicator=None, status=200):
    context = {
        "form": form,
        "criterion": criterion,
        "criteria_set": criterion.criteria_set,
        "indicator": indicator,
        "usage": indicator_usage(indicator) if indicator is not None else None,
        "changes": indicator_changes(indicator) if indicator is not None else [],
    }
    return render(request, TEMPLATE_DIR + "indicator_form.html", context, status=status)


def _indicator_input(form) -> IndicatorInput:
    data = form.cleaned_data
    return IndicatorInput(
        code=data["code"],
        name=data["name"],
        unit=data["unit"],
        measure_type=data["measure_type"],
        comparison=data["comparison"],
        target=data["target"],
        verification=data["verification"],
        source=data["source"],
        group_targets=form.group_targets(),
    )


@login_required
@require_http_methods(["GET", "POST"])
@coordinator_required
def indicator_create_view(request, pk: int):
    """A coordinator adds an indicator to criterion ``pk`` (code, name, unit, measure,
    comparison, target, verification, source, a target per commune group) and lands on
    the set's page at the new indicator."""
    criterion = _found(criterion_for_change, pk)
    groups = criterion.criteria_set.commune_groups.order_by("code")
    initial = {
        "code": f"{criterion.number}.{criterion.indicators.count() + 1}",
        "verification": Verification.SET_BY_COORDINATOR,
        "comparison": Comparison.AT_LEAST,
    }
    form = IndicatorForm(request.POST if request.method == "POST" else None, initial=initial, groups=groups)
    if request.method == "POST" and form.is_valid():
        try:
            indicator = indicator_create(user=request.user, criterion=criterion, data=_indicator_input(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Added indicator %(code)s.") % {"code": indicator.code})
            return redirect(_set_url(criterion.criteria_set.code, f"indicator-{indicator.pk}"))
    return _indicator_page(request, form=form, criterion=criterion, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
@coordinator_required
def indicator_edit_view(request, pk: int):
    """A coordinator edits indicator ``pk``; the page shows its history (old -> new) and
    how many assessments hold values of it (which keeps its measure type)."""
    indicator = _found(indicator_for_change, pk)
    criterion = indicator.criterion
    initial = {
        "code": indicator.code,
        "name": indicator.name,
        "unit": indicator.unit,
        "measure_type": indicator.measure_type,
        "comparison": indicator.comparison,
        "target": decimal_text(indicator.target, grouping=False),
        "verification": indicator.verification,
        "source": indicator.source,
    }
    form = IndicatorForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        groups=criterion.criteria_set.commune_groups.order_by("code"),
        group_initial=_group_initial(indicator),
    )
    if request.method == "POST" and form.is_valid():
        try:
            indicator_update(user=request.user, indicator=indicator, data=_indicator_input(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved indicator %(code)s.") % {"code": form.cleaned_data["code"]})
            return redirect(_set_url(criterion.criteria_set.code, f"indicator-{indicator.pk}"))
    return _indicator_page(
        request, form=form, criterion=criterion, indicator=indicator, status=400 if form.errors else 200
    )


@login_required
@require_http_methods(["GET", "POST"])
@coordinator_required
def indicator_delete_view(request, pk: int):
    """A coordinator deletes indicator ``pk`` after confirming (GET asks); an indicator
    with values in assessments is kept, and the page says why."""
    indicator = _found(indicator_for_change, pk)
    criteria_set = indicator.criterion.criteria_set
    refusal = ""
    if request.method == "POST":
        try:
            indicator_delete(user=request.user, indicator=indicator)
        except ValidationError as error:
            refusal = " ".join(error.messages)
        else:
            messages.success(request, _("Deleted indicator %(code)s.") % {"code": indicator.code})
            return redirect(_set_url(criteria_set.code, f"criterion-{indicator.criterion_id}"))
    context = {
        "indicator": indicator,
        "criteria_set": criteria_set,
        "usage": indicator_usage(indicator),
        "refusal": refusal,
    }
    return render(request, TEMPLATE_DIR + "indicator_delete.html", context, status=400 if refusal else 200)


@login_required
@require_http_methods(["GET", "POST"])
@coordinator_required
def criteria_set_copy_view(request, code: str):
    """A coordinator copies a set into a provincial variant (criteria, indicators with
    their targets, commune groups) and lands on the new set's page."""
    source = _found(criteria_set_by_code, code)
    form = CriteriaSetCopyForm(
        request.POST if request.method == "POST" else None,
        initial={"name": source.name, "province": _default_province(request.user)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            copy = criteria_set_copy(user=request.user, source=source, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Created %(name)s as a copy.") % {"name": copy.name})
            return redirect(_set_url(copy.code))
    return render(request, TEMPLATE_DIR + "set_copy.html", {"source": source, "form": form})


def _default_province(user):
    """The user's agency's scope when it is a province (the province's own variant)."""
    agency = getattr(user, "agency", None)
    if agency is not None and agency.scope.level == UnitLevel.PROVINCE:
        return agency.scope_id
    return None


# The role is checked before the method, so that anyone else gets 403 on GET as on POST.
@login_required
@coordinator_required
@require_POST
def criterion_agency(request, pk: int):
    """A coordinator makes a department responsible for a criterion (POST only). Under
    htmx the answer is the criterion's department block; otherwise a redirect to the set
    with a message."""
    criterion = _found(criterion_for_change, pk)
    form = CriterionAgencyForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            criterion_set_responsible_agency(
                user=request.user, criterion=criterion, agency=form.cleaned_data["agency"]
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = " ".join(form.errors.get("agency", []))
    if request.htmx:
        context = {
            "criterion": criterion,
            "may_edit": True,
            "departments": list(departments()),
            "agency_error": error,
            "saved": not error,
        }
        return render(request, TEMPLATE_DIR + "set_detail.html#criterion_agency", context)
    if error:
        messages.error(request, f"{_('Responsible department')}: {error}")
    else:
        messages.success(
            request,
            _("Criterion %(number)s is now the responsibility of %(agency)s.")
            % {"number": criterion.number, "agency": criterion.responsible_agency.name},
        )
    return redirect(_set_url(criterion.criteria_set.code, f"criterion-{criterion.pk}"))
