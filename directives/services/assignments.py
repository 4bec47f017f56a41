"""Writes of the directives app on assignments: report progress, mark done, reopen, ask
for an extension and decide on it.

A recurring task's assignment ("báo cáo định kỳ hằng quý") has as its deadline the due
date of its oldest period not yet reported (:mod:`directives.recurrence`). The report
of that period rolls the deadline to the next period's due date, once per report and
kept as a :class:`DeadlineChange`; a report filed late covers the oldest missed period,
so no period is ever skipped. It is never marked done by its agency: a coordinator ends
it (then it stops recurring).

Every function is keyword-only, takes the acting ``user`` and owns its transaction; it
checks what that user may do itself: an assignment outside the user's scope raises
:class:`~core.exceptions.OutOfScope` (a 404), a role that may only read it
:class:`PermissionDenied` (a 403), and what is for coordinators only (reopen, decide)
:func:`~accounts.roles.require_role`. It validates its input (a ``ValidationError``
keyed by the field, in the user's language) and writes the history
(django-simple-history, with the acting user). Scope: :mod:`directives.selectors.assignments`.
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Notification
from accounts.roles import Role, require_role
from core.exceptions import OutOfScope
from core.formatting import date_text
from core.text import clean
from directives import recurrence
from directives.models import (
    Assignment,
    DeadlineChange,
    ExtensionRequest,
    ExtensionStatus,
    ProgressReport,
)
from directives.selectors.assignments import assignment_scope, coordinator_users
from directives.services.directives import validate_upload


def _check_change(user, assignment: Assignment) -> Assignment:
    """Reload ``assignment`` locked for update if ``user`` may report on it: OutOfScope
    (404) if they may not even see it, PermissionDenied (403) if they may only read."""
    if not assignment_scope(user).filter(pk=assignment.pk).exists():
        raise OutOfScope
    try:
        return assignment_scope(user, for_change=True).select_for_update().get(pk=assignment.pk)
    except Assignment.DoesNotExist:
        raise PermissionDenied(_("Your role can read this task but not report on it.")) from None


@transaction.atomic
def progress_report_create(
    *, user, assignment: Assignment, text: str, percent: int, attachment=None
) -> ProgressReport:
    """Post a progress report (text, percent 0-100, optional file) on ``assignment`` and
    set its progress to ``percent``. Refused on a task marked done (ValidationError)."""
    assignment = _check_change(user, assignment)
    errors = {}
    text = clean(text or "")
    if not text:
        errors["text"] = _("Write what was done.")
    if percent is None or not 0 <= percent <= 100:
        errors["percent"] = _("Progress is a percentage between 0 and 100.")
    if assignment.completed_on is not None:
        errors["text"] = _("This task is already marked done.")
    if attachment is not None:
        try:
            validate_upload(attachment, field="attachment")
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    report = ProgressReport.objects.create(
        assignment=assignment, author=user, text=text, percent=percent, attachment=attachment or ""
    )
    assignment.percent = percent
    assignment._history_user = user
    if _roll_to_next_period(user=user, assignment=assignment, today=timezone.localdate()):
        assignment.save(update_fields=["percent", "deadline"])
    else:
        assignment.save(update_fields=["percent"])
    return report


def _roll_to_next_period(*, user, assignment: Assignment, today: datetime.date) -> bool:
    """If ``assignment`` is recurring and a report filed ``today`` is its current
    period's (:func:`directives.recurrence.report_counts_for_period`), move its deadline
    (in memory; the caller saves) to the next period's due date, with a
    :class:`DeadlineChange` whose reason is in the portal's language ("Kỳ báo cáo tiếp
    theo (hằng quý)"). True if it moved."""
    task = assignment.task
    if not task.recurrence or assignment.deadline is None:
        return False
    if not recurrence.report_counts_for_period(
        task.recurrence, task.recurrence_day, assignment.deadline, today
    ):
        return False
    new = recurrence.following_due(task.recurrence, task.recurrence_day, assignment.deadline)
    with translation.override(settings.LANGUAGE_CODE):
        label = str(recurrence.RECURRENCE_LABELS[task.recurrence])
        reason = _("Next reporting period (%(recurrence)s)") % {"recurrence": label[:1].lower() + label[1:]}
    DeadlineChange.objects.create(
        assignment=assignment,
        old_deadline=assignment.deadline,
        new_deadline=new,
        reason=reason,
        changed_by=user,
    )
    assignment.deadline = new
    assignment._change_reason = reason[:100]
    return True


@transaction.atomic
def assignment_mark_done(*, user, assignment: Assignment, note: str = "") -> Assignment:
    """Mark ``assignment`` done today (local date): progress 100 %, a closing report if a
    ``note`` is given. Refused if already done. A recurring task's assignment is ended
    so (it stops recurring) by a coordinator only (PermissionDenied for its agency,
    whose reports roll it from period to period instead)."""
    assignment = _check_change(user, assignment)
    if assignment.task.recurrence:
        require_role(user, Role.COORDINATOR)
    if assignment.completed_on is not None:
        raise ValidationError({"done": _("This task is already marked done.")})
    now = timezone.now()
    assignment.completed_at, assignment.completed_on = now, timezone.localdate(now)
    assignment.completed_by, assignment.percent = user, 100
    assignment._history_user = user
    assignment.save(update_fields=["completed_at", "completed_on", "completed_by", "percent"])
    note = clean(note or "")
    if note:
        ProgressReport.objects.create(assignment=assignment, author=user, text=note, percent=100)
    ExtensionRequest.objects.filter(assignment=assignment, status=ExtensionStatus.PENDING).update(
        status=ExtensionStatus.REFUSED, decided_at=now, decision_note=_("The task was marked done.")
    )
    return assignment


@transaction.atomic
def assignment_reopen(*, user, assignment: Assignment, reason: str) -> Assignment:
    """Reopen an assignment marked done by mistake (coordinators, reason required)."""
    require_role(user, Role.COORDINATOR)
    assignment = _check_change(user, assignment)
    if assignment.completed_on is None:
        raise ValidationError({"reason": _("This task is not marked done.")})
    if not clean(reason or ""):
        raise ValidationError({"reason": _("Give a reason.")})
    assignment.completed_at = assignment.completed_on = assignment.completed_by = None
    assignment._history_user = user
    assignment._change_reason = clean(reason)[:100]
    assignment.save(update_fields=["completed_at", "completed_on", "completed_by"])
    return assignment


def _next_period_due(assignment: Assignment) -> datetime.date | None:
    """For a recurring assignment with a deadline: the due date of the period after the
    one its deadline is for (an extension must stay before it, so that the deadline
    always names its period). None otherwise."""
    task = assignment.task
    if not task.recurrence or assignment.deadline is None:
        return None
    period_due = recurrence.last_due(task.recurrence, task.recurrence_day, assignment.deadline)
    return recurrence.following_due(task.recurrence, task.recurrence_day, period_due)


@transaction.atomic
def extension_request_create(
    *, user, assignment: Assignment, requested_deadline: datetime.date, reason: str
) -> ExtensionRequest:
    """Ask for a later deadline. The task must be open and have a deadline; the new date
    must be after the current deadline and not in the past; one pending request at a
    time. Coordinators are notified in the portal."""
    assignment = _check_change(user, assignment)
    errors = {}
    today = timezone.localdate()
    if assignment.completed_on is not None:
        errors["requested_deadline"] = _("This task is already marked done.")
    elif assignment.deadline is None:
        errors["requested_deadline"] = _("This task has no deadline to extend.")
    elif requested_deadline is None or requested_deadline <= assignment.deadline:
        errors["requested_deadline"] = _("The new deadline must be after the current one (%(day)s).") % {
            "day": date_text(assignment.deadline)
        }
    elif requested_deadline < today:
        errors["requested_deadline"] = _("The new deadline cannot be in the past.")
    elif (following := _next_period_due(assignment)) and requested_deadline >= following:
        errors["requested_deadline"] = _(
            "A period's deadline can move only before the next period's report is due (%(day)s)."
        ) % {"day": date_text(following)}
    if not clean(reason or ""):
        errors["reason"] = _("Give a reason.")
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            request = ExtensionRequest.objects.create(
                assignment=assignment,
                requested_by=user,
                requested_deadline=requested_deadline,
                reason=clean(reason),
            )
    except IntegrityError:
        raise ValidationError(
            {"requested_deadline": _("An extension request is already waiting for a decision.")}
        ) from None
    link = reverse("directive-assignment", args=[assignment.pk])
    message = _("%(agency)s asks to extend “%(task)s” to %(day)s.") % {
        "agency": assignment.agency.short_name,
        "task": assignment.task.text[:80],
        "day": date_text(requested_deadline),
    }
    Notification.objects.bulk_create(
        [
            Notification(recipient=coordinator, message=message, link=link)
            for coordinator in coordinator_users()
        ]
    )
    return request


@transaction.atomic
def extension_decide(*, user, extension: ExtensionRequest, grant: bool, note: str = "") -> ExtensionRequest:
    """Grant (the assignment's deadline moves; the move is kept as a DeadlineChange) or
    refuse (a note is required) a pending request. Coordinators only (PermissionDenied);
    a request already decided is refused (ValidationError). The requester is notified."""
    require_role(user, Role.COORDINATOR)
    extension = ExtensionRequest.objects.select_for_update().select_related("assignment").get(pk=extension.pk)
    if extension.status != ExtensionStatus.PENDING:
        raise ValidationError({"decision": _("This request was already decided.")})
    note = clean(note or "")
    if not grant and not note:
        raise ValidationError({"note": _("Say why the extension is refused.")})
    assignment = Assignment.objects.select_for_update().get(pk=extension.assignment_id)
    now = timezone.now()
    extension.status = ExtensionStatus.GRANTED if grant else ExtensionStatus.REFUSED
    extension.decided_by, extension.decided_at, extension.decision_note = user, now, note
    extension.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    if grant:
        DeadlineChange.objects.create(
            assignment=assignment,
            old_deadline=assignment.deadline,
            new_deadline=extension.requested_deadline,
            reason=extension.reason,
            changed_by=user,
        )
        assignment.deadline = extension.requested_deadline
        assignment._history_user = user
        assignment._change_reason = "extension"
        assignment.save(update_fields=["deadline"])
    if extension.requested_by_id:
        day = date_text(extension.requested_deadline)
        message = (
            _("Extension to %(day)s granted: %(task)s")
            if grant
            else _("Extension to %(day)s refused: %(task)s")
        ) % {"day": day, "task": assignment.task.text[:80]}
        Notification.objects.create(
            recipient_id=extension.requested_by_id,
            message=message + (f" ({note})" if note else ""),
            link=reverse("directive-assignment", args=[assignment.pk]),
        )
    return extension
