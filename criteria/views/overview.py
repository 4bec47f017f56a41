"""The overview pages: the province (or district) overview of a period, the re-check of
recognised communes against a newer set, and the list of recognitions.

Everyone logged in reads, inside their scope (a district officer sees their district's
figures, a leader the province's); only a provincial coordinator records a recognition.
A bad query string never fails: the page says which field it did not understand and
shows the default instead.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import coordinator_required
from accounts.roles import is_coordinator
from accounts.scope import unit_scope
from communes.scope import area_of, get_unit_or_404
from core.formatting import date_text
from core.forms import add_service_errors, query_notices
from criteria.forms.overview import AreaFilterForm, RecheckFilterForm, RecognitionForm
from criteria.models import CriteriaSet, Recognition, RecognitionLevel, ReportingPeriod
from criteria.selectors.overview import (
    approved_coverage,
    default_criteria_set,
    default_period,
    province_overview,
)
from criteria.selectors.recognitions import (
    default_recheck_older_set,
    recognition_recheck,
    recognitions_in_scope,
)
from criteria.services.recognitions import recognition_create

RECOGNITIONS_PER_PAGE = 50


@login_required
@require_GET
def overview(request):
    """Headline figures, distribution, districts, criteria and departments of a period,
    with its coverage (xã with an approved assessment, of those the period covers). It
    opens on the latest period with an approved assessment in the user's scope; ``?unit=``
    narrows it to a unit's subtree, as the dashboard does (404 outside the scope)."""
    form = AreaFilterForm(request.GET)
    form.is_valid()
    scope_unit, visible = area_of(request.user, form.cleaned_data.get("unit"))
    period = form.cleaned_data.get("period") or default_period(visible=visible)
    criteria_set = form.cleaned_data.get("set") or default_criteria_set(visible=visible, period=period)
    result = coverage = None
    if period is not None and criteria_set is not None:
        result = province_overview(visible=visible, period=period, criteria_set=criteria_set)
        coverage = approved_coverage(visible=visible, period=period, criteria_set=criteria_set)
    context = {
        "form": form,
        "notices": query_notices(form),
        "period": period,
        "criteria_set": criteria_set,
        "scope_unit": scope_unit,
        "overview": result,
        "coverage": coverage,
        "periods": ReportingPeriod.objects.order_by("-start", "kind"),
        "sets": CriteriaSet.objects.order_by("-effective_from", "code"),
        "chart": _chart_data(result) if result else None,
    }
    return render(request, "criteria/overview/overview.html", context)


def _chart_data(result) -> dict:
    """The distribution for Chart.js (read by static/js/overview.js via json_script)."""
    top = max([result.criteria_total, *result.distribution]) if result.distribution else result.criteria_total
    labels = list(range(min(result.distribution, default=0), top + 1))
    return {
        "labels": [str(n) for n in labels],
        "counts": [result.distribution.get(n, 0) for n in labels],
        "label": _("Communes"),
        "x_title": _("Criteria met"),
        "y_title": _("Communes"),
    }


@login_required
@require_GET
def recognition_recheck_view(request):
    """Communes recognised under an older set, against their assessment under a newer one.

    Defaults: the period is the latest with an approved assessment in scope, the newer set
    the one its approved assessments use, the older set ``qd-491-2009`` (or the oldest
    other set with a recognition in scope). One set as both is refused with a notice."""
    visible = unit_scope(request.user)
    form = RecheckFilterForm(request.GET)
    form.is_valid()
    data = form.cleaned_data
    notices = query_notices(form)
    period = data.get("period") or default_period(visible=visible)
    newer = data.get("newer") or default_criteria_set(visible=visible, period=period)
    older = data.get("older") or default_recheck_older_set(visible=visible, newer_set=newer)
    rows = []
    same_set = older is not None and older == newer
    if same_set:
        notices.append(
            _(
                "The communes recognised under %(set)s cannot be re-checked against the same set: "
                "choose another set under “Recognised under” or “Re-checked against”."
            )
            % {"set": older.name}
        )
    elif period is not None and newer is not None and older is not None:
        rows = recognition_recheck(
            visible=visible,
            older_set=older,
            newer_set=newer,
            period=period,
            recognised_from=data.get("from"),
            recognised_until=data.get("until"),
        )
    context = {
        "form": form,
        "notices": notices,
        "period": period,
        "older": older,
        "newer": newer,
        "year_from": data.get("from"),
        "year_until": data.get("until"),
        "rows": rows,
        "same_set": same_set,
        "count_meeting": sum(1 for row in rows if row.meets_newer_set),
        "count_unmet": sum(1 for row in rows if row.assessment is not None and not row.meets_newer_set),
        "count_unassessed": sum(1 for row in rows if row.assessment is None),
        "periods": ReportingPeriod.objects.order_by("-start", "kind"),
        "sets": CriteriaSet.objects.order_by("-effective_from", "code"),
    }
    return render(request, "criteria/overview/recheck.html", context)


@login_required
@require_GET
def recognition_list(request):
    """The recognitions of the units in scope (``?unit=<id>``: of a unit's subtree, 404
    outside the scope), newest first, at ``?level=``, decided up to ``?until=<yyyy-mm-dd>``
    when given (the dashboard's cut-off); the form for coordinators."""
    unit = request.GET.get("unit")
    area, visible = area_of(request.user, get_unit_or_404(request.user, unit) if unit else None)
    level = request.GET.get("level", "")
    recognitions = recognitions_in_scope(visible=visible)
    until = _iso_day(request.GET.get("until", ""))
    if until is not None:
        recognitions = recognitions.filter(decision_date__lte=until)
    if level in RecognitionLevel.values:
        recognitions = recognitions.filter(level=level)
    else:
        level = ""
    page = Paginator(recognitions, RECOGNITIONS_PER_PAGE).get_page(request.GET.get("page"))
    form = None
    if is_coordinator(request.user):
        form = RecognitionForm(units=unit_scope(request.user, for_change=True))
    context = {
        "page": page,
        "level": level,
        "levels": RecognitionLevel.choices,
        "form": form,
        "has_demo": any(recognition.is_demo for recognition in page),
        "area": area,
        "until": until,
    }
    return render(request, "criteria/overview/recognition_list.html", context)


def _iso_day(text: str) -> datetime.date | None:
    """``yyyy-mm-dd`` as a date; None for anything else (the filter is then not applied)."""
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


@login_required
@require_http_methods(["GET", "POST"])
@coordinator_required
def recognition_create_view(request):
    """Record a recognition decision (provincial coordinator only; others 403)."""
    form = RecognitionForm(request.POST or None, units=unit_scope(request.user, for_change=True))
    if request.method == "POST" and form.is_valid():
        try:
            recognition = recognition_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Recorded: %(recognition)s.") % {"recognition": _describe(recognition)}
            )
            return redirect("recognition-list")
    return render(request, "criteria/overview/recognition_form.html", {"form": form})


def _describe(recognition: Recognition) -> str:
    return _("%(unit)s, %(level)s, decision %(number)s of %(day)s") % {
        "unit": recognition.unit.name,
        "level": recognition.get_level_display(),
        "number": recognition.decision_number,
        "day": date_text(recognition.decision_date),
    }
