"""Editing a saved directive: its own fields, one task (text, section, deadline,
recurrence, criterion, lead and cooperating agencies), a task added after another, a
task deleted with its sub-tasks.

The directive's own fields stay editable for good (a typo in the number must be
fixable). A task is editable, and deletable, only while it has no progress
(:func:`directives.selectors.editing.task_lock_reason`: no progress report, nothing
marked done or above 0 %, no extension request); else :class:`TaskLocked` says why.

Every function is keyword-only, takes the acting ``user`` (``directives.change_directive``,
coordinators: else ``PermissionDenied``, a 403) and the ``version`` the user's form was
read at (:mod:`directives.selectors.editing`); it locks the directive's row, compares
the version (:class:`StaleEdit` if someone saved in between: nothing is saved) and
validates with the same rules as creation (:func:`directives.services.directives.task_problems`,
``ValidationError``). Every row written, changed or deleted has its history row naming
the user, with the change reason :data:`~directives.selectors.editing.EDIT_REASON`;
a deadline moved by the edit is also a :class:`~directives.models.DeadlineChange`
("Sửa văn bản"). Both refusals are :class:`EditRefused`, which a view answers 409.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import translation
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from accounts.models import Agency
from accounts.roles import require_permission
from core.text import clean
from directives.models import Assignment, AssignmentRole, DeadlineChange, Directive, Task
from directives.recurrence import next_due
from directives.selectors.editing import (
    EDIT_REASON,
    directive_version,
    recipients_reason,
    subtree_ids,
    task_lock_reason,
    task_version,
)
from directives.services.directives import (
    DirectiveInput,
    TaskInput,
    check_number_free,
    directive_field_errors,
    task_problems,
)

PERMISSION = "directives.change_directive"


class EditRefused(Exception):
    """An edit that cannot be made as asked; ``message`` says why, in the user's language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class TaskLocked(EditRefused):
    """The task (or a sub-task) already has progress: it can no longer be changed."""


class StaleEdit(EditRefused):
    """Someone saved after the version the form was read at."""


@dataclass
class TaskEditResult:
    """What :func:`task_update` did: the task, the agencies added and removed (short
    names), how many assignments' deadlines moved, and the assignments whose own
    deadline (moved apart from the task's) was left as it was: (short name, deadline)."""

    task: Task
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    moved: int = 0
    kept: list[tuple[str, datetime.date | None]] = field(default_factory=list)


def _stale(what: str) -> StaleEdit:
    return StaleEdit(_("Someone else has just changed %(what)s: reload the page.") % {"what": what})


def _lock_directive(pk: int) -> Directive:
    """The directive's row, locked until the transaction ends: edits of one directive
    and of its tasks run one after the other."""
    return Directive.objects.select_for_update().get(pk=pk)


def _lock_task(task: Task) -> Task:
    """Lock the task's directive then reload the task (``Task.DoesNotExist`` if it was deleted)."""
    _lock_directive(task.directive_id)
    return Task.objects.select_for_update().get(pk=task.pk)


def _check_task_version(task: Task, version: str) -> None:
    if task_version(task.pk) != version:
        raise _stale(_("this task"))


def _check_unlocked(task_ids) -> None:
    reason = task_lock_reason(task_ids)
    if reason:
        raise TaskLocked(reason)


def assignment_deadline(*, deadline, recurrence: str, recurrence_day, issued_on) -> datetime.date | None:
    """The deadline an assignment of a task starts with, as creation gives it: the
    task's, or for a recurring task its first period's due date after the directive's
    date (:func:`directives.recurrence.next_due`)."""
    return next_due(recurrence, recurrence_day, issued_on) if recurrence else deadline


def _validate_task(data: TaskInput, *, known: set[int]) -> None:
    """The creation's checks of one task (``task_problems``) and the due day's, as a
    ValidationError with one message not tied to a field."""
    problems = task_problems(data, index=0, known=known)
    if data.recurrence_day is not None and not 1 <= data.recurrence_day <= 31:
        problems.append(_("the due day of each period is a day from 1 to 31"))
    if problems:
        text = "; ".join(problems)
        raise ValidationError({NON_FIELD_ERRORS: [text[:1].upper() + text[1:] + "."]})


def _known_agencies(*, keep=()) -> set[int]:
    """Agencies a task may be given to: those that take new work, plus ``keep`` (the
    agencies it already has, even if one has since been merged away)."""
    return set(Agency.objects.assignable().values_list("pk", flat=True)) | set(keep)


def _deadline_reason() -> str:
    """The reason of a DeadlineChange written by an edit, in the portal's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("Directive edited")


@transaction.atomic
def directive_update(*, user, directive: Directive, data: DirectiveInput, version: str) -> Directive:
    """Change the directive's own fields (number, kind, issuer, signer, issued_on, title,
    recipient_ids; ``data.tasks`` and ``data.body`` are ignored), always allowed.

    Raises ``PermissionDenied``; :class:`StaleEdit` if ``version`` (a
    :func:`~directives.selectors.editing.directive_version`) is not current;
    ``ValidationError`` keyed by field, "number" when another directive has the same
    number and date. One history row names ``user`` (the recipients' change in its
    reason); nothing is written when nothing changed."""
    require_permission(user, PERMISSION)
    directive = _lock_directive(directive.pk)
    if directive_version(directive.pk) != version:
        raise _stale(_("this directive"))
    errors = directive_field_errors(data)
    if errors:
        raise ValidationError(errors)
    check_number_free(number=data.number, issued_on=data.issued_on, exclude_pk=directive.pk)
    values = {
        "number": clean(data.number),
        "kind": data.kind,
        "issuer": clean(data.issuer),
        "signer": clean(data.signer),
        "issued_on": data.issued_on,
        "title": clean(data.title),
    }
    old_recipients = set(directive.recipients.values_list("pk", flat=True))
    new_recipients = set(data.recipient_ids)
    changed = [name for name, value in values.items() if getattr(directive, name) != value]
    if not changed and old_recipients == new_recipients:
        return directive
    for name in changed:
        setattr(directive, name, values[name])
    directive._history_user = user
    directive._change_reason = (
        recipients_reason(old_recipients, new_recipients) if old_recipients != new_recipients else EDIT_REASON
    )
    try:
        with transaction.atomic():
            directive.save()
    except IntegrityError:  # a concurrent save of the same number and date
        raise ValidationError({"number": _("This directive is already in the portal.")}) from None
    if old_recipients != new_recipients:
        directive.recipients.set(new_recipients)
    return directive


def _apply_task_fields(task: Task, data: TaskInput) -> bool:
    """Set the task's fields from ``data``; True if one changed. A changed deadline
    drops the deadline as written in the text ("trước ngày 17/7/2020"), no longer true."""
    values = {
        "text": clean(data.text),
        "section_number": clean(data.section_number),
        "section_heading": clean(data.section_heading),
        "deadline": data.deadline,
        "recurrence": data.recurrence,
        "recurrence_day": data.recurrence_day if data.recurrence else None,
        "criterion_id": data.criterion_id,
    }
    if values["deadline"] != task.deadline or values["recurrence"] != task.recurrence:
        values["deadline_phrase"] = ""
    changed = False
    for name, value in values.items():
        if getattr(task, name) != value:
            setattr(task, name, value)
            changed = True
    return changed


def _new_assignments(task: Task, roles: dict[int, str], deadline) -> list[Assignment]:
    return [Assignment(task=task, agency_id=pk, role=role, deadline=deadline) for pk, role in roles.items()]


def _wanted_roles(data: TaskInput) -> dict[int, str]:
    return {
        **{pk: AssignmentRole.COOPERATING for pk in data.cooperating_ids},
        **{pk: AssignmentRole.LEAD for pk in data.lead_ids},
    }


@transaction.atomic
def task_update(*, user, task: Task, data: TaskInput, version: str) -> TaskEditResult:
    """Change one task: ``data.text``, ``section_number``, ``section_heading``,
    ``deadline``, ``recurrence``, ``recurrence_day``, ``criterion_id``, ``lead_ids``,
    ``cooperating_ids`` (``parent_index``, ``unit_ids`` are ignored).

    An agency no longer named loses its assignment (deleted, with its history row); a
    new one gets an assignment due the task's deadline; a changed role updates the row.
    A new deadline moves every assignment still due the task's old deadline (a
    :class:`DeadlineChange` each, "Sửa văn bản"; none when the task no longer has a
    deadline) and leaves those with a deadline of their own (``TaskEditResult.kept``).

    Raises ``PermissionDenied``, ``Task.DoesNotExist`` (deleted meanwhile),
    :class:`StaleEdit`, :class:`TaskLocked` (it has progress), ``ValidationError``."""
    require_permission(user, PERMISSION)
    task = _lock_task(task)
    # Progress first: a report filed while the form was open also moves the version,
    # and its reason is the one the coordinator needs to read.
    _check_unlocked([task.pk])
    _check_task_version(task, version)
    assignments = {a.agency_id: a for a in task.assignments.select_for_update().select_related("agency")}
    _validate_task(data, known=_known_agencies(keep=assignments))
    issued_on = task.directive.issued_on
    old_due = assignment_deadline(
        deadline=task.deadline,
        recurrence=task.recurrence,
        recurrence_day=task.recurrence_day,
        issued_on=issued_on,
    )
    if _apply_task_fields(task, data):
        task._history_user, task._change_reason = user, EDIT_REASON
        task.save()
    new_due = assignment_deadline(
        deadline=task.deadline,
        recurrence=task.recurrence,
        recurrence_day=task.recurrence_day,
        issued_on=issued_on,
    )
    result = TaskEditResult(task=task)
    wanted = _wanted_roles(data)
    for agency_id, assignment in assignments.items():
        if agency_id not in wanted:
            assignment._history_user, assignment._change_reason = user, EDIT_REASON
            assignment.delete()
            result.removed.append(assignment.agency.short_name)
            continue
        fields = []
        if assignment.role != wanted[agency_id]:
            assignment.role = wanted[agency_id]
            fields.append("role")
        if new_due != old_due and assignment.deadline == old_due:
            if new_due is not None:
                DeadlineChange.objects.create(
                    assignment=assignment,
                    old_deadline=assignment.deadline,
                    new_deadline=new_due,
                    reason=_deadline_reason(),
                    changed_by=user,
                )
            assignment.deadline = new_due
            fields.append("deadline")
            result.moved += 1
        elif new_due != old_due:
            result.kept.append((assignment.agency.short_name, assignment.deadline))
        if fields:
            assignment._history_user, assignment._change_reason = user, EDIT_REASON
            assignment.save(update_fields=fields)
    added = {pk: role for pk, role in wanted.items() if pk not in assignments}
    if added:
        bulk_create_with_history(
            _new_assignments(task, added, new_due),
            Assignment,
            default_user=user,
            default_change_reason=EDIT_REASON,
        )
        result.added = list(
            Agency.objects.filter(pk__in=added).order_by("name").values_list("short_name", flat=True)
        )
    return result


def _shift_positions(directive_id: int, *, from_position: int) -> None:
    """Make room at ``from_position``: every task of the directive at or after it moves
    one down, in two updates so that the unique (directive, position) is never broken
    on the way (first past the last position, then back, one further)."""
    later = Task.objects.filter(directive_id=directive_id, position__gte=from_position)
    offset = (Task.objects.filter(directive_id=directive_id).aggregate(m=Max("position"))["m"] or 0) + 1
    later.update(position=F("position") + offset)
    Task.objects.filter(directive_id=directive_id, position__gte=from_position + offset).update(
        position=F("position") - offset + 1
    )


@transaction.atomic
def task_add(*, user, after: Task, data: TaskInput, version: str) -> Task:
    """Add a task to a saved directive right after the task ``after`` and its sub-tasks,
    at ``after``'s level (a sub-task's sibling is a sub-task of the same task); the
    later tasks' positions move one down in the same transaction. ``data`` as for
    :func:`task_update`; its assignments are due the new task's deadline.

    ``version`` is ``after``'s. Raises ``PermissionDenied``, ``Task.DoesNotExist``,
    :class:`StaleEdit`, ``ValidationError``."""
    require_permission(user, PERMISSION)
    after = _lock_task(after)
    _check_task_version(after, version)
    _validate_task(data, known=_known_agencies())
    last = Task.objects.filter(pk__in=subtree_ids(after)).aggregate(m=Max("position"))["m"] or after.position
    _shift_positions(after.directive_id, from_position=last + 1)
    task = Task(directive_id=after.directive_id, position=last + 1, parent_id=after.parent_id)
    _apply_task_fields(task, data)
    task._history_user, task._change_reason = user, EDIT_REASON
    task.save()
    deadline = assignment_deadline(
        deadline=task.deadline,
        recurrence=task.recurrence,
        recurrence_day=task.recurrence_day,
        issued_on=after.directive.issued_on,
    )
    bulk_create_with_history(
        _new_assignments(task, _wanted_roles(data), deadline),
        Assignment,
        default_user=user,
        default_change_reason=EDIT_REASON,
    )
    return task


@transaction.atomic
def task_delete(*, user, task: Task, version: str) -> int:
    """Delete a task without progress, its sub-tasks and all their assignments, each
    with its history row naming ``user``. Returns how many tasks were deleted; the other
    tasks keep their positions (the reading order is unchanged).

    Raises ``PermissionDenied``, ``Task.DoesNotExist``, :class:`StaleEdit`,
    :class:`TaskLocked` (it or a sub-task has progress)."""
    require_permission(user, PERMISSION)
    task = _lock_task(task)
    ids = subtree_ids(task)
    _check_unlocked(ids)
    _check_task_version(task, version)
    for assignment in Assignment.objects.filter(task_id__in=ids):
        assignment._history_user, assignment._change_reason = user, EDIT_REASON
        assignment.delete()
    # Deepest first: subtree_ids lists a task before the tasks below it.
    for row in reversed(list(Task.objects.filter(pk__in=ids).order_by("position"))):
        row._history_user, row._change_reason = user, EDIT_REASON
        row.delete()
    return len(ids)
