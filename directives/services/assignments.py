"""Writes of the directives app on assignments: report progress, mark done, reopen, ask
for an extension and decide on it.

Every function is keyword-only, takes the acting ``user`` and owns its transaction; it
checks what that user may do itself: an assignment outside the user's scope raises
:class:`~core.exceptions.OutOfScope` (a 404), a role that may only read it
:class:`PermissionDenied` (a 403), and what is for coordinators only (reopen, decide)
:func:`~accounts.roles.require_role`. It validates its input (a ``ValidationError``
keyed by the field, in the user's language) and writes the history
(django-simple-history, with the acting user). Scope: :mod:`directives.selectors.assignments`.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Notification
from accounts.roles import Role, require_role
from core.exceptions import OutOfScope
from core.formatting import date_text
from core.text import clean
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
    assignment.save(update_fields=["percent"])
    return report


@transaction.atomic
def assignment_mark_done(*, user, assignment: Assignment, note: str = "") -> Assignment:
    """Mark ``assignment`` done today (local date): progress 100 %, a closing report if a
    ``note`` is given. Refused if already done."""
    assignment = _check_change(user, assignment)
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
