"""Writes to assessments: create, change values, move through the workflow, comment.

Every function is keyword-only and owns its transaction. Each one checks, in order:
the unit lies in the acting user's scope (else :class:`core.exceptions.OutOfScope`, a
404), the workflow
table allows the action (else :class:`WorkflowRefused` saying why and who can act),
the caller's ``version`` is current (else :class:`StaleAssessment` saying what changed
meanwhile). Derived fields are recomputed by :mod:`criteria.evaluation` on every change;
every write is in the history with the acting user.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.models import Notification
from accounts.roles import Role, has_role, is_coordinator, user_roles
from accounts.scope import unit_scope
from communes.scope import require_unit
from core.exceptions import OutOfScope
from core.formatting import date_text
from criteria import evaluation
from criteria.models import (
    Assessment,
    AssessmentComment,
    AssessmentStatus,
    CommuneGroupAssignment,
    CriteriaSet,
    CriteriaSetLevel,
    Criterion,
    CriterionResult,
    Indicator,
    IndicatorValue,
    MeasureType,
    ReportingPeriod,
)
from criteria.services.notifications import notify_transition, transition_recipients
from criteria.workflow import NEEDS_REASON, TARGET_STATE, Action, allowed_actions

# The roles that open assessments and upload Excel criteria reports.
STARTING_ROLES = (Role.COORDINATOR, Role.DISTRICT_OFFICER, Role.COMMUNE_OFFICER)


class WorkflowRefused(ValidationError):
    """The workflow table does not allow this action now; the message says why."""


class StaleAssessment(ValidationError):
    """Someone saved the assessment after the version the user started from."""


@dataclass(frozen=True)
class ValueInput:
    """One indicator's input: ``number`` (percent as 0-100), ``achieved`` (Đạt/Không đạt
    or None), ``evidence`` (free text)."""

    number: Decimal | None = None
    achieved: bool | None = None
    evidence: str = ""


def acting_roles(user) -> frozenset[str]:
    """Role keys of ``user`` for the workflow table (a superuser acts as a coordinator)."""
    return frozenset(role.value for role in user_roles(user))


def assessment_actions(*, user, assessment: Assessment) -> frozenset[Action]:
    """What ``user`` may do on ``assessment`` now: the workflow table for its state and
    the user's roles, after the lock date only the coordinator's, and nothing that
    changes values outside the user's change scope."""
    locked = assessment.period.is_locked_on(timezone.localdate())
    actions = allowed_actions(assessment.status, acting_roles(user), locked=locked)
    if not unit_scope(user, for_change=True).filter(pk=assessment.commune_id).exists():
        actions = actions & {Action.COMMENT}
    if Action.APPROVE in actions and self_approval_refused(user=user, assessment=assessment):
        actions = actions - {Action.APPROVE}
    return actions


def self_approval_refused(*, user, assessment: Assessment) -> bool:
    """Whether separation of duties keeps ``user`` from approving ``assessment``: they
    submitted it themselves and ``settings.ALLOW_SELF_APPROVAL`` is off.

    Source: a house rule, not a legal text, and the province's choice. The plan's roles
    (``ARCHITECTURE.md``: district officers enter, the provincial coordinator approves or
    returns) make approval the check of a second person, and issue 11 found the demo's
    coordinator approving what he had submitted himself. A one-person office turns
    ``ALLOW_SELF_APPROVAL`` on. Returning one's own submission stays open: it is how a
    coordinator withdraws what they submitted.
    """
    return (
        not settings.ALLOW_SELF_APPROVAL
        and assessment.submitted_by_id is not None
        and assessment.submitted_by_id == user.pk
    )


def refusal_reason(*, user, assessment: Assessment, action: Action) -> str:
    """Why ``action`` is not open to ``user`` now, and who can act, in the user's language."""
    if (
        action == Action.APPROVE
        and assessment.status == AssessmentStatus.SUBMITTED
        and self_approval_refused(user=user, assessment=assessment)
    ):
        return _("You submitted this assessment; another provincial coordinator must approve it.")
    if action in {Action.EDIT, Action.SUBMIT} and (refusal := period_lock_refusal(user, assessment.period)):
        return refusal
    if assessment.status == AssessmentStatus.APPROVED:
        return _(
            "This assessment is approved and locked. A provincial coordinator can reopen it, giving a reason."
        )
    if assessment.status == AssessmentStatus.SUBMITTED:
        return _(
            "This assessment is waiting for approval. A provincial coordinator can approve it or return it."
        )
    return _("Your role cannot do this on an assessment in this state.")


def _check(user, assessment: Assessment, action: Action) -> None:
    if not unit_scope(user).filter(pk=assessment.commune_id).exists():
        raise OutOfScope
    if action not in assessment_actions(user=user, assessment=assessment):
        raise WorkflowRefused(refusal_reason(user=user, assessment=assessment, action=action), code="refused")


def _claim_version(user, assessment: Assessment, version: int) -> None:
    """Bump the version only if it is still ``version`` (a conditional UPDATE that must
    change exactly one row), so two concurrent saves cannot both pass."""
    claimed = Assessment.objects.filter(pk=assessment.pk, version=version).update(version=F("version") + 1)
    if claimed != 1:
        raise StaleAssessment(changes_since(assessment=assessment, version=version), code="stale")
    assessment.version = version + 1


def changes_after(*, assessment: Assessment, version: int) -> tuple[str, list[str]]:
    """Who saved ``assessment`` after ``version`` (names, comma-separated, "?" if unknown)
    and the value changes since ("2.1 (value): 20 → 25"). Value history rows carry the
    version they produced as their change reason."""
    from criteria.selectors.assessments import value_changes

    later = assessment.history.filter(version__gt=version).select_related("history_user")
    who = ", ".join(sorted({str(record.history_user) for record in later if record.history_user})) or "?"
    changes = [
        f"{entry['what']}: {entry['old']} → {entry['new']}"
        for entry in value_changes(assessment)
        if entry.get("version") is not None and entry["version"] > version
    ]
    return who, changes


def changes_since(*, assessment: Assessment, version: int) -> str:
    """The form's sentence saying who saved after ``version`` and which values changed."""
    who, changes = changes_after(assessment=assessment, version=version)
    message = _(
        "Someone saved this assessment after you opened it (%(who)s); your changes were not saved."
    ) % {"who": who}
    if changes:
        message += " " + _("Changed meanwhile: %(changes)s.") % {"changes": "; ".join(changes)}
    return message + " " + _("Reload the page and enter your changes again.")


def indicator_target(indicator: Indicator, assessment: Assessment) -> Decimal | None:
    """The target that applies to the assessment: the target of its commune group where
    the indicator has one, else the indicator's own. ``assessment.commune_group`` is the
    commune's group for the assessment's period, set when it is created and kept by
    :func:`criteria.services.groups.commune_groups_assign` (QĐ 51/2025/QĐ-TTg: thresholds
    by commune group)."""
    if assessment.commune_group_id:
        for group_target in indicator.group_targets.all():
            if group_target.commune_group_id == assessment.commune_group_id:
                return group_target.target
    return indicator.target


def recompute(assessment: Assessment, *, user=None) -> None:
    """Re-evaluate every indicator value, criterion result and the assessment's summary,
    writing only what changed."""
    values = {
        v.indicator_id: v
        for v in assessment.values.select_related("indicator").prefetch_related("indicator__group_targets")
    }
    results = {r.criterion_id: r for r in assessment.criterion_results.all()}
    criteria = list(assessment.criteria_set.criteria.prefetch_related("indicators"))
    met_flags = []
    for criterion in criteria:
        outcomes = []
        for indicator in criterion.indicators.all():
            value = values[indicator.pk]
            outcome = evaluation.evaluate_indicator(
                comparison=indicator.comparison,
                target=indicator_target(indicator, assessment),
                number=value.number,
                achieved=value.achieved,
            )
            if value.outcome != outcome:
                value.outcome = outcome
                value._history_user = user
                value.save(update_fields=["outcome"])
            outcomes.append(outcome)
        met = evaluation.criterion_met(outcomes)
        result = results[criterion.pk]
        if result.met != met:
            result.met = met
            result.save(update_fields=["met"])
        met_flags.append(met)
    summary = evaluation.summarize(met_flags)
    assessment.criteria_met = summary.met
    assessment.criteria_total = summary.total
    assessment.meets_standard = summary.meets_standard


def _save(assessment: Assessment, user, fields: list[str]) -> None:
    assessment._history_user = user
    assessment.save(update_fields=[*fields, "version", "updated_at"])


def starts_assessments(user) -> bool:
    """Whether ``user``'s role opens assessments: a district officer or a coordinator
    (:data:`STARTING_ROLES`)."""
    return has_role(user, *STARTING_ROLES)


def may_start_assessment(user, commune) -> bool:
    """Whether ``user`` may open an assessment of ``commune``: a role that starts them
    (:func:`starts_assessments`) and a change scope that holds the commune."""
    return starts_assessments(user) and unit_scope(user, for_change=True).filter(pk=commune.pk).exists()


def period_lock_refusal(user, period: ReportingPeriod) -> str | None:
    """Why ``user`` may not change assessments of ``period`` today (it was locked and the
    user is not a coordinator), or None."""
    if period.is_locked_on(timezone.localdate()) and not is_coordinator(user):
        return _(
            "The period was locked on %(day)s: only a provincial coordinator can change this assessment."
        ) % {"day": date_text(period.lock_date)}
    return None


def incomplete_set_refusal(criteria_set) -> str | None:
    """Why no assessment can be started under ``criteria_set`` (criteria without
    indicators, or no criteria at all), or None."""
    empty = list(
        criteria_set.criteria.filter(indicators__isnull=True)
        .order_by("number")
        .values_list("number", flat=True)
    )
    if empty or not criteria_set.criteria.exists():
        return _(
            "%(set)s is not complete: criteria %(numbers)s have no indicators yet. "
            "A provincial coordinator must add them first."
        ) % {"set": criteria_set, "numbers": ", ".join(map(str, empty)) or "—"}
    return None


def _sets_by_preference() -> list[CriteriaSet]:
    """Every criteria set, ``complete`` set on each (it has criteria, each holding at
    least one indicator: what :func:`incomplete_set_refusal` accepts), in one query; the
    complete ones first, then the NTM-standard ones, then the newest."""
    sets = list(
        CriteriaSet.objects.annotate(
            criteria_count=Count("criteria", distinct=True),
            empty_count=Count("criteria", filter=Q(criteria__indicators__isnull=True), distinct=True),
        ).order_by(F("effective_from").desc(nulls_last=True), "code")
    )
    for criteria_set in sets:
        criteria_set.complete = criteria_set.criteria_count > 0 and criteria_set.empty_count == 0
    return sorted(sets, key=lambda s: (not s.complete, s.level != CriteriaSetLevel.STANDARD))


def _set_in_force(criteria_set: CriteriaSet, period: ReportingPeriod) -> bool:
    """Whether ``criteria_set`` applies on some day of ``period`` (an empty bound is open)."""
    return (criteria_set.effective_from is None or criteria_set.effective_from <= period.end) and (
        criteria_set.effective_until is None or criteria_set.effective_until >= period.start
    )


def assessment_start_defaults(*, user, commune) -> tuple[ReportingPeriod | None, CriteriaSet | None]:
    """The (period, set) the "start an assessment" form of ``commune`` proposes, so that
    pressing the button works.

    The period: the newest (by start) that has begun by today, is not locked for
    ``user`` (:func:`period_lock_refusal`; a coordinator is never locked out) and during
    which the commune is in force (as :func:`assessment_create` checks). The set: one in
    force during that period, complete (:func:`incomplete_set_refusal`), NTM standard
    rather than advanced or model, the newest, that the commune has no assessment under
    yet in that period. An older usable period is taken when the newest has no such set.
    When no pair qualifies: the newest usable period with the set in force during it
    that comes first in that order (None if none), so that starting says what is
    missing; (None, None) when no period is usable. Three queries.
    """
    today = timezone.localdate()
    periods = [
        period
        for period in ReportingPeriod.objects.filter(start__lte=today).order_by("-start", "-end")
        if period_lock_refusal(user, period) is None
        and (commune.is_valid_on(period.start) or commune.is_valid_on(period.end))
    ]
    if not periods:
        return None, None
    sets = _sets_by_preference()
    taken = set(Assessment.objects.filter(commune=commune).values_list("period_id", "criteria_set_id"))
    for period in periods:
        for criteria_set in sets:
            if (
                criteria_set.complete
                and _set_in_force(criteria_set, period)
                and (period.pk, criteria_set.pk) not in taken
            ):
                return period, criteria_set
    in_force = [criteria_set for criteria_set in sets if _set_in_force(criteria_set, periods[0])]
    return periods[0], in_force[0] if in_force else None


@transaction.atomic
def assessment_create(*, user, commune, period: ReportingPeriod, criteria_set) -> Assessment:
    """Open a draft assessment of ``commune`` for ``period`` under ``criteria_set``, with
    one empty value per indicator. Raises :class:`~core.exceptions.OutOfScope` outside the
    user's change scope (:func:`communes.scope.require_unit`), ValidationError when the unit
    is not a xã in force during the period, when the role may not start one (leader, API
    client, department), or when one exists already."""
    require_unit(user, commune)
    if not may_start_assessment(user, commune):
        raise WorkflowRefused(
            _("Only commune officers, district officers and provincial coordinators start assessments.")
        )
    if refusal := period_lock_refusal(user, period):
        raise WorkflowRefused(refusal)
    if not commune.is_assessed or not (commune.is_valid_on(period.start) or commune.is_valid_on(period.end)):
        raise ValidationError(
            {"commune": _("Only a rural commune (xã) in force during the period is assessed.")}
        )
    if refusal := incomplete_set_refusal(criteria_set):
        raise ValidationError({"criteria_set": refusal})
    if Assessment.objects.filter(commune=commune, period=period, criteria_set=criteria_set).exists():
        raise ValidationError(
            {
                "commune": _("%(commune)s already has an assessment for this period and criteria set.")
                % {"commune": commune}
            }
        )
    # The commune's group for the period decides its targets (criteria.services.groups).
    group = CommuneGroupAssignment.objects.group_of(commune=commune, period=period, criteria_set=criteria_set)
    assessment = Assessment(
        commune=commune, period=period, criteria_set=criteria_set, commune_group=group, created_by=user
    )
    assessment._history_user = user
    try:
        with transaction.atomic():
            assessment.save()
    except IntegrityError:  # created concurrently by someone else
        raise ValidationError(
            {
                "commune": _("%(commune)s already has an assessment for this period and criteria set.")
                % {"commune": commune}
            }
        ) from None
    indicators = Indicator.objects.filter(criterion__criteria_set=criteria_set)
    bulk_create_with_history(
        [IndicatorValue(assessment=assessment, indicator=i) for i in indicators],
        IndicatorValue,
        default_user=user,
    )
    CriterionResult.objects.bulk_create(
        CriterionResult(assessment=assessment, criterion=c) for c in criteria_set.criteria.all()
    )
    recompute(assessment, user=user)
    assessment.save(update_fields=["criteria_met", "criteria_total", "meets_standard"])
    return assessment


def validate_value(indicator: Indicator, value: ValueInput) -> str | None:
    """The error message for one input (English msgid, translated), or None if valid."""
    if value.number is not None:
        if indicator.measure_type == MeasureType.BOOLEAN:
            return _("This indicator is judged Đạt / Không đạt, not by a number.")
        if value.number < 0:
            return _("The value cannot be negative.")
        if indicator.measure_type == MeasureType.PERCENT and value.number > 100:
            return _("A percentage is between 0 and 100.")
    return None


@transaction.atomic
def assessment_update_values(
    *, user, assessment: Assessment, version: int, values: dict[int, ValueInput]
) -> Assessment:
    """Store the values (by indicator id) that differ from what is stored, then recompute.

    Raises :class:`~core.exceptions.OutOfScope`, :class:`WorkflowRefused` (not editable now, with why),
    ValidationError keyed ``"indicator-<id>"`` naming the indicator (nothing is saved if
    any value is invalid), and :class:`StaleAssessment` if ``version`` is not current.
    """
    _check(user, assessment, Action.EDIT)
    stored = {
        v.indicator_id: v
        for v in assessment.values.select_related("indicator").prefetch_related("indicator__group_targets")
    }
    errors = {}
    for indicator_id, value in values.items():
        if indicator_id not in stored:
            errors[f"indicator-{indicator_id}"] = _("Unknown indicator.")
            continue
        message = validate_value(stored[indicator_id].indicator, value)
        if message:
            errors[f"indicator-{indicator_id}"] = f"{stored[indicator_id].indicator.code}: {message}"
    if errors:
        raise ValidationError(errors)
    _claim_version(user, assessment, version)
    changed = []
    for indicator_id, value in values.items():
        row = stored[indicator_id]
        if (row.number, row.achieved, row.evidence) != (value.number, value.achieved, value.evidence):
            row.number, row.achieved, row.evidence = value.number, value.achieved, value.evidence
            row.outcome = evaluation.evaluate_indicator(
                comparison=row.indicator.comparison,
                target=indicator_target(row.indicator, assessment),
                number=row.number,
                achieved=row.achieved,
            )
            changed.append(row)
    # One UPDATE per value and one history INSERT for them all; the change reason is the
    # version the save produced (changes_since reads it).
    bulk_update_with_history(
        changed,
        IndicatorValue,
        ["number", "achieved", "evidence", "outcome"],
        default_user=user,
        default_change_reason=str(assessment.version),
    )
    recompute(assessment, user=user)
    _save(assessment, user, ["criteria_met", "criteria_total", "meets_standard"])
    return assessment


@transaction.atomic
def assessment_transition(
    *, user, assessment: Assessment, action: Action, version: int, reason: str = ""
) -> Assessment:
    """Submit, approve, return (reason required) or reopen (reason required)
    ``assessment``, and tell the people concerned in the portal and, on commit, by
    e-mail (:mod:`criteria.services.notifications`). Approving one's own submission is refused
    (:func:`self_approval_refused`). Raises as :func:`assessment_update_values`, plus
    ValidationError on "reason" when it is empty."""
    if action not in TARGET_STATE:
        raise ValueError(f"{action} is not a transition")
    _check(user, assessment, action)
    reason = reason.strip()
    if action in NEEDS_REASON and not reason:
        raise ValidationError({"reason": _("Give a reason.")})
    _claim_version(user, assessment, version)
    previous_decider_id = assessment.decided_by_id
    now = timezone.now()
    assessment.status = TARGET_STATE[action]
    assessment.status_reason = reason
    fields = ["status", "status_reason"]
    if action == Action.SUBMIT:
        assessment.submitted_by, assessment.submitted_at = user, now
        fields += ["submitted_by", "submitted_at"]
    else:
        assessment.decided_by, assessment.decided_at = user, now
        fields += ["decided_by", "decided_at"]
    _save(assessment, user, fields)
    if action == Action.RETURN and assessment.submitted_by_id:
        _notify_returned(assessment)
    elif action != Action.RETURN:
        notify_transition(
            assessment=assessment,
            action=action,
            actor=user,
            recipient_ids=transition_recipients(
                assessment=assessment, action=action, previous_decider_id=previous_decider_id
            ),
        )
    return assessment


def _notify_returned(assessment: Assessment) -> None:
    from criteria.tasks import send_assessment_returned_email

    link = reverse("assessment-detail", args=[assessment.pk])
    Notification.objects.create(
        recipient_id=assessment.submitted_by_id,
        message=_("The assessment of %(commune)s (%(period)s) was returned: %(reason)s")
        % {"commune": assessment.commune, "period": assessment.period, "reason": assessment.status_reason},
        link=link,
    )
    transaction.on_commit(lambda: send_assessment_returned_email.delay(assessment.pk))


@transaction.atomic
def assessment_comment(*, user, assessment: Assessment, criterion: Criterion, text: str) -> AssessmentComment:
    """A comment on one criterion. A department officer may comment only on the criteria
    their department answers for; the workflow table must allow COMMENT."""
    _check(user, assessment, Action.COMMENT)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write the comment.")})
    if criterion.criteria_set_id != assessment.criteria_set_id:
        raise ValidationError({"criterion": _("This criterion is not in the assessment's set.")})
    if not is_coordinator(user) and criterion.responsible_agency_id != user.agency_id:
        raise WorkflowRefused(_("You can comment only on the criteria your department answers for."))
    return AssessmentComment.objects.create(
        assessment=assessment, criterion=criterion, author=user, text=text
    )
