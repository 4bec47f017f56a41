"""Assessment pages: the list, the form grouped by criterion with live evaluation (htmx),
the workflow buttons, comments and history. Each view finds the assessment inside the
user's scope (404 outside), calls one service or selector, and answers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.roles import is_coordinator
from accounts.scope import unit_scope
from communes.scope import area_of, get_unit_or_404
from core.exceptions import OutOfScope
from criteria import evaluation
from criteria.filters import AssessmentFilter
from criteria.forms.assessments import (
    AssessmentCreateForm,
    CommentForm,
    ReasonForm,
    read_values,
)
from criteria.models import Assessment, AssessmentStatus, Criterion, Indicator
from criteria.selectors.assessments import (
    assessment_history,
    assessment_in_scope,
    assessment_list,
    assessment_page,
    assessment_sheet,
)
from criteria.services.assessments import (
    StaleAssessment,
    WorkflowRefused,
    assessment_actions,
    assessment_comment,
    assessment_create,
    assessment_start_defaults,
    assessment_transition,
    assessment_update_values,
    indicator_target,
    may_start_assessment,
    refusal_reason,
    self_approval_refused,
    starts_assessments,
    validate_value,
)
from criteria.views.lineage import lineage_of
from criteria.workflow import Action


def _get(request, pk) -> Assessment:
    """The assessment ``pk`` if its commune lies in the user's scope;
    :class:`~core.exceptions.OutOfScope` (404) otherwise."""
    try:
        return assessment_in_scope(visible=unit_scope(request.user), pk=pk)
    except (Assessment.DoesNotExist, ValueError):
        raise OutOfScope from None


def _messages_from(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


ASSESSMENTS_PER_PAGE = 50


@login_required
@require_GET
def assessment_list_view(request):
    """Assessments in the user's scope, filtered by period, set, status and whether they
    meet the standard, and narrowed by ``?unit=<id>`` to a unit's subtree (404 outside
    the scope, as on the dashboard whose tiles link here); 50 a page (``?page=``; a page
    past the last shows the last, as Django's ``get_page`` does)."""
    unit = request.GET.get("unit")
    area, visible = area_of(request.user, get_unit_or_404(request.user, unit) if unit else None)
    filters = AssessmentFilter(request.GET or None, queryset=assessment_list(visible=visible))
    # A filter that does not validate (an unknown period code) filters nothing.
    rows = filters.qs if filters.is_valid() else filters.queryset
    page = assessment_page(rows, number=request.GET.get("page"), per_page=ASSESSMENTS_PER_PAGE)
    may_start = starts_assessments(request.user)
    return render(
        request,
        "criteria/assessments/list.html",
        {
            "form": filters.form,
            "page": page,
            "count": page.paginator.count,
            "may_start": may_start,
            "area": area,
        },
    )


@login_required
@require_POST
def assessment_create_view(request):
    """Start a draft assessment of a commune (in the user's change scope) for a period."""
    form = AssessmentCreateForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields and form.fields[field].label else field
            messages.error(request, f"{label}: {' '.join(errors)}")
        return redirect("assessment-list")
    commune = get_unit_or_404(request.user, form.cleaned_data["commune"], for_change=True)
    try:
        assessment = assessment_create(
            user=request.user,
            commune=commune,
            period=form.cleaned_data["period"],
            criteria_set=form.cleaned_data["criteria_set"],
        )
    except ValidationError as error:
        _messages_from(request, error)
        return redirect("unit-detail", pk=commune.pk)
    return redirect("assessment-detail", pk=assessment.pk)


def _sheet_context(request, assessment, *, errors=None, posted=None):
    """Everything the assessment page shows. With ``posted`` values (after an error, or
    while evaluating live) the outcomes and the summary are those the input would give."""
    actions = assessment_actions(user=request.user, assessment=assessment)
    criteria = assessment_sheet(assessment)
    errors = dict(errors or {})
    if posted is not None:
        errors |= _value_errors(criteria, posted)
        _apply_posted(
            assessment, criteria, {pk: v for pk, v in posted.items() if f"indicator-{pk}" not in errors}
        )
    for criterion in criteria:
        for indicator in criterion.indicators.all():
            indicator.error = errors.get(f"indicator-{indicator.pk}")
            # A refused number is shown back as typed ("abc"), never replaced by the stored one.
            indicator.typed = request.POST.get(f"n-{indicator.pk}") if indicator.error else None
    blocked = (
        None
        if Action.EDIT in actions
        else refusal_reason(user=request.user, assessment=assessment, action=Action.EDIT)
    )
    return {
        "assessment": assessment,
        "approve_blocked": _approve_blocked(request.user, assessment, actions),
        "criteria": criteria,
        "summary": evaluation.summarize(criterion.met for criterion in criteria),
        "actions": actions,
        "can_edit": Action.EDIT in actions,
        "blocked": blocked,
        "errors": errors,
        "is_coordinator": is_coordinator(request.user),
        "user_agency_id": request.user.agency_id,
    }


def _approve_blocked(user, assessment, actions) -> str | None:
    """Why the approve button is missing where the user would otherwise have it: they
    submitted the assessment themselves (separation of duties); else None."""
    if (
        assessment.status == AssessmentStatus.SUBMITTED
        and Action.APPROVE not in actions
        and Action.RETURN in actions
        and self_approval_refused(user=user, assessment=assessment)
    ):
        return refusal_reason(user=user, assessment=assessment, action=Action.APPROVE)
    return None


def _value_errors(criteria, posted) -> dict[str, str]:
    """The service's own checks (percent 0-100, not negative...), run on typed values so
    the page says at once what a save would refuse."""
    errors = {}
    for criterion in criteria:
        for indicator in criterion.indicators.all():
            value = posted.get(indicator.pk)
            message = validate_value(indicator, value) if value is not None else None
            if message:
                errors[f"indicator-{indicator.pk}"] = f"{indicator.code}: {message}"
    return errors


def _apply_posted(assessment, criteria, posted) -> None:
    """Put the typed values on the sheet with the outcomes they give (nothing is saved)."""
    for criterion in criteria:
        outcomes = []
        for indicator in criterion.indicators.all():
            value = posted.get(indicator.pk)
            if value is not None and indicator.value is not None:
                indicator.value.number, indicator.value.achieved, indicator.value.evidence = (
                    value.number,
                    value.achieved,
                    value.evidence,
                )
                indicator.value.outcome = evaluation.evaluate_indicator(
                    comparison=indicator.comparison,
                    target=indicator_target(indicator, assessment),
                    number=value.number,
                    achieved=value.achieved,
                )
            outcomes.append(indicator.value.outcome if indicator.value else evaluation.Outcome.MISSING)
        criterion.met = evaluation.criterion_met(evaluation.Outcome(o) for o in outcomes)


@login_required
@require_http_methods(["GET", "POST"])
def assessment_detail(request, pk: int):
    """The assessment form (or, when it cannot be edited, the values and why). A POST
    saves the changed values, refusing a save based on an outdated version."""
    assessment = _get(request, pk)
    if request.method == "POST":
        indicators = list(Indicator.objects.filter(criterion__criteria_set=assessment.criteria_set_id))
        values, errors = read_values(request.POST, indicators)
        version = _version(request)
        if not errors:
            try:
                assessment_update_values(
                    user=request.user, assessment=assessment, version=version, values=values
                )
            except WorkflowRefused as error:
                _messages_from(request, error)
                return redirect("assessment-detail", pk=pk)
            except StaleAssessment as error:
                # Keep the user's input on screen beside the message of what changed.
                _messages_from(request, error)
                fresh = _get(request, pk)
                context = _sheet_context(request, fresh, posted=values) | {
                    "history": assessment_history(fresh)
                }
                return render(request, "criteria/assessments/detail.html", context, status=409)
            except ValidationError as error:
                errors = {key: " ".join(msgs) for key, msgs in error.message_dict.items()}
            else:
                messages.success(
                    request,
                    _("Saved. %(met)s of %(total)s criteria met.")
                    % {"met": assessment.criteria_met, "total": assessment.criteria_total},
                )
                return redirect("assessment-detail", pk=pk)
        context = _sheet_context(request, assessment, errors=errors, posted=values)
        messages.error(request, _("Nothing was saved: correct the values marked below."))
        return render(
            request,
            "criteria/assessments/detail.html",
            context | {"history": assessment_history(assessment)},
            status=400,
        )
    context = _sheet_context(request, assessment) | {
        "history": assessment_history(assessment),
        "lineage": lineage_of(request, assessment.commune),
    }
    return render(request, "criteria/assessments/detail.html", context)


def _version(request) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return 0


@login_required
@require_POST
def assessment_evaluate(request, pk: int):
    """htmx: the whole sheet as typed, evaluated but not saved. Answers only out-of-band
    fragments (each outcome badge, each value's error, the criteria-met count), so the
    inputs, and what the user is typing in them, are never replaced."""
    assessment = _get(request, pk)
    indicators = list(Indicator.objects.filter(criterion__criteria_set=assessment.criteria_set_id))
    values, errors = read_values(request.POST, indicators)
    context = _sheet_context(request, assessment, errors=errors, posted=values)
    return render(request, "criteria/assessments/evaluate.html", context)


@login_required
@require_POST
def assessment_transition_view(request, pk: int, action: str):
    """Submit, approve, return (with a reason) or reopen (with a reason)."""
    assessment = _get(request, pk)
    try:
        action = Action(action)
    except ValueError:
        raise Http404 from None
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form was incomplete; reload the page and try again."))
        return redirect("assessment-detail", pk=pk)
    try:
        assessment_transition(
            user=request.user,
            assessment=assessment,
            action=action,
            version=form.cleaned_data["version"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        if hasattr(error, "error_dict") and "reason" in error.error_dict:
            messages.error(request, _("Reason") + ": " + " ".join(error.message_dict["reason"]))
        else:
            _messages_from(request, error)
    else:
        messages.success(
            request,
            _("Done: the assessment is now %(status)s.")
            % {"status": assessment.get_status_display().lower()},
        )
    return redirect("assessment-detail", pk=pk)


@login_required
@require_POST
def assessment_comment_view(request, pk: int):
    """A comment on one criterion (department officers: their department's criteria)."""
    assessment = _get(request, pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("Comment") + ": " + " ".join(form.errors.get("text", [_("Write the comment.")]))
        )
        return redirect("assessment-detail", pk=pk)
    criterion = Criterion.objects.filter(
        pk=form.cleaned_data["criterion"], criteria_set=assessment.criteria_set_id
    ).first()
    if criterion is None:
        raise Http404
    try:
        assessment_comment(
            user=request.user, assessment=assessment, criterion=criterion, text=form.cleaned_data["text"]
        )
    except ValidationError as error:
        _messages_from(request, error)
    else:
        messages.success(request, _("Comment added."))
    return redirect("assessment-detail", pk=pk)


def unit_assessments_section(sender, *, request, unit, **kwargs) -> str | None:
    """The "Assessments" section of an assessed commune's unit page
    (:data:`communes.signals.unit_page_sections`): its assessments in the user's scope,
    and the form that starts one where the user may, set to a period and set that can
    be used today (:func:`~criteria.services.assessments.assessment_start_defaults`)."""
    if not unit.is_assessed:
        return None
    form, no_open_period = None, None
    if may_start_assessment(request.user, unit):
        period, criteria_set = assessment_start_defaults(user=request.user, commune=unit)
        if period is None:
            no_open_period = _(
                "No assessment of this commune can be started today: no reporting period that has "
                "begun is open to you while the commune was in force."
            )
            if not is_coordinator(request.user):
                no_open_period += " " + _("A provincial coordinator can still start one after the lock date.")
        else:
            form = AssessmentCreateForm(
                initial={"commune": unit.pk, "period": period, "criteria_set": criteria_set}
            )
    context = {
        "assessments": assessment_list(visible=unit_scope(request.user)).filter(commune=unit),
        "assessment_form": form,
        "no_open_period": no_open_period,
    }
    return render_to_string("criteria/assessments/unit_section.html", context, request=request)
