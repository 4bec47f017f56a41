"""Writes of the directives app about drafts of a new directive (bản nháp): paste a text
and keep the parser's proposal on the server, correct it a page at a time (the
directive's fields; a task's text, deadline and agencies; split, merge, delete, add;
bulk changes of agencies and deadlines), confirm it into a directive, or throw it away.

A draft's ``data`` is a :class:`~directives.services.directives.DirectiveInput` as JSON
(:func:`draft_data` / :func:`draft_input`, pure), plus ``revision``, a counter each
write raises: a write given another revision than the draft's (a page open in two tabs)
is refused, since its task numbers may no longer be the draft's.

Every write is keyword-only, takes the acting ``user`` (who needs
``directives.add_directive``: else PermissionDenied, a 403), works on the user's own
draft only (another's is :class:`~core.exceptions.OutOfScope`, a 404), validates all
its input before it writes anything (a ``ValidationError`` keyed by field, each message
naming the task: "Nhiệm vụ 12: ...") and locks the draft's row for its transaction.
Tasks are named by their number, 1 to the number of tasks.
"""

import datetime
from collections.abc import Callable, Sequence
from dataclasses import asdict, replace

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Agency
from accounts.roles import require_permission
from core.exceptions import OutOfScope
from core.text import clean
from directives import task_lists
from directives.models import Directive, DirectiveDraft, DirectiveKind, Recurrence
from directives.services.directives import (
    TEXT_MAX,
    DirectiveInput,
    TaskInput,
    directive_create,
    proposal_from_text,
)

PERMISSION = "directives.add_directive"
TASKS_MAX = 2000

# Bulk actions (the values the draft page posts).
SET_LEADS = "set_leads"
ADD_COOPERATING = "add_cooperating"
REMOVE_AGENCIES = "remove_agencies"
SET_DEADLINE = "set_deadline"
DELETE = "delete"
BULK_ACTIONS = (SET_LEADS, ADD_COOPERATING, REMOVE_AGENCIES, SET_DEADLINE, DELETE)


# The JSON of a draft -------------------------------------------------------------------


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def draft_data(data: DirectiveInput) -> dict:
    """``data`` as JSON: dates ISO ("2020-07-17") or None, tuples as lists, every field
    of :class:`DirectiveInput` and of each :class:`TaskInput` (warnings included).
    :func:`draft_input` reads it back equal."""
    values = asdict(data)
    values["issued_on"] = _iso(data.issued_on)
    values["recipient_ids"] = list(data.recipient_ids)
    values["tasks"] = [_task_data(task) for task in data.tasks]
    return values


def _task_data(task: TaskInput) -> dict:
    values = asdict(task)
    values["deadline"] = _iso(task.deadline)
    for name in ("lead_ids", "cooperating_ids", "unit_ids", "warnings"):
        values[name] = list(values[name])
    return values


def draft_input(data: dict) -> DirectiveInput:
    """The :class:`DirectiveInput` of a draft's JSON (see :func:`draft_data`); keys it
    does not know (``revision``) are left out, missing ones take their defaults."""
    fields = DirectiveInput.__dataclass_fields__
    values = {name: value for name, value in data.items() if name in fields and name != "tasks"}
    values.setdefault("number", "")
    values.setdefault("kind", "")
    values.setdefault("issuer", "")
    values.setdefault("title", "")
    values["issued_on"] = _date(data.get("issued_on"))
    values["recipient_ids"] = tuple(data.get("recipient_ids") or ())
    values["tasks"] = tuple(task_input(task) for task in data.get("tasks") or ())
    return DirectiveInput(**values)


def task_input(data: dict) -> TaskInput:
    """One task of a draft's JSON as a :class:`TaskInput`."""
    fields = TaskInput.__dataclass_fields__
    values = {name: value for name, value in data.items() if name in fields}
    values["deadline"] = _date(data.get("deadline"))
    for name in ("lead_ids", "cooperating_ids", "unit_ids", "warnings"):
        values[name] = tuple(data.get(name) or ())
    return TaskInput(**values)


def _stored(data: DirectiveInput, revision: int) -> dict:
    return {**draft_data(data), "revision": revision}


# Checks ---------------------------------------------------------------------------------


def _label(number: int) -> str:
    return _("Task %(n)s") % {"n": number}


def _known_agencies() -> set[int]:
    return set(Agency.objects.assignable().values_list("pk", flat=True))


def task_problems(task: TaskInput, *, known: set[int]) -> dict[str, str]:
    """What is wrong with ``task`` as a coordinator saves it, by field ("text",
    "deadline", "recurrence", "recurrence_day", "leads", "cooperating"); a task without
    a lead agency may stay in a draft (the confirmation refuses it)."""
    problems: dict[str, str] = {}
    if not clean(task.text):
        problems["text"] = _("the text is empty")
    elif len(task.text) > TEXT_MAX:
        problems["text"] = _("the text is longer than %(max)s characters") % {"max": TEXT_MAX}
    if task.recurrence and task.recurrence not in Recurrence.values:
        problems["recurrence"] = _("unknown recurrence")
    elif task.recurrence and task.deadline is not None:
        problems["deadline"] = _("a recurring task has no single deadline: leave the deadline empty")
    if task.recurrence_day is not None and not 1 <= task.recurrence_day <= 31:
        problems["recurrence_day"] = _("the due day of each period is a day from 1 to 31")
    elif task.recurrence_day is not None and not task.recurrence:
        problems["recurrence_day"] = _("a due day of each period needs a recurrence")
    if set(task.lead_ids) & set(task.cooperating_ids):
        problems["cooperating"] = _("an agency cannot both lead and cooperate")
    if not set(task.lead_ids) <= known:
        problems["leads"] = _("an agency chosen is unknown or inactive")
    if not set(task.cooperating_ids) <= known:
        problems["cooperating"] = _("an agency chosen is unknown or inactive")
    return problems


def _raise_task_problems(number: int, problems: dict[str, str]) -> None:
    if problems:
        raise ValidationError({field: f"{_label(number)}: {problem}." for field, problem in problems.items()})


def _index(data: DirectiveInput, number: int, *, field: str = "task") -> int:
    if not 1 <= number <= len(data.tasks):
        raise ValidationError(
            {
                field: _("There is no task %(n)s in this draft (it has %(count)s).")
                % {"n": number, "count": len(data.tasks)}
            }
        )
    return number - 1


# Writes ---------------------------------------------------------------------------------


def _own(user, draft: DirectiveDraft) -> None:
    require_permission(user, PERMISSION)
    if draft.created_by_id != user.pk:
        raise OutOfScope


def _check_revision(locked: DirectiveDraft, revision: int | None) -> None:
    """Raise ValidationError on "revision" if the draft is no longer at ``revision``
    (None: any): the page the write came from is out of date."""
    if revision is not None and revision != int(locked.data.get("revision") or 0):
        raise ValidationError(
            {
                "revision": _(
                    "This draft was changed in another window meanwhile; nothing was saved. "
                    "Check the page as it is now and do it again."
                )
            }
        )


def _edit(
    *, user, draft: DirectiveDraft, revision: int | None, change: Callable[[DirectiveInput], DirectiveInput]
) -> DirectiveDraft:
    """Lock the draft, check it is the user's and still at ``revision`` (None: any),
    store ``change(its input)`` (which raises ValidationError to refuse), one revision on."""
    _own(user, draft)
    with transaction.atomic():
        locked = DirectiveDraft.objects.select_for_update().get(pk=draft.pk)
        _check_revision(locked, revision)
        current = int(locked.data.get("revision") or 0)
        data = change(draft_input(locked.data))
        if len(data.tasks) > TASKS_MAX:
            raise ValidationError({"task": _("A draft holds at most %(max)s tasks.") % {"max": TASKS_MAX}})
        locked.data = _stored(data, current + 1)
        locked.save(update_fields=["data", "updated_at"])
    draft.data, draft.updated_at = locked.data, locked.updated_at
    return draft


@transaction.atomic
def draft_create(*, user, text: str) -> DirectiveDraft:
    """A draft of ``text``: the parser's proposal (:func:`proposal_from_text`), owned by
    ``user``. Raises ValidationError on "text" when the parser finds no task."""
    require_permission(user, PERMISSION)
    proposal = proposal_from_text(text)
    if not proposal.tasks:
        raise ValidationError(
            {
                "text": _(
                    "No task was found in the text. Check that it holds the part that gives work: numbered"
                    " items, a) b) c) items, bullets, or paragraphs such as “Giao Sở …”, “Yêu cầu …”, “Đề nghị …”."
                )
            }
        )
    return DirectiveDraft.objects.create(created_by=user, text=text, data=_stored(proposal, 0))


def draft_fields_save(
    *,
    user,
    draft: DirectiveDraft,
    number: str,
    kind: str,
    issuer: str,
    signer: str,
    issued_on: datetime.date | None,
    title: str,
    recipient_ids: Sequence[int],
    revision: int | None = None,
) -> DirectiveDraft:
    """Save the directive's own fields in the draft. Empty values may stay until the
    confirmation; a kind not among :class:`DirectiveKind` raises on "kind", an unknown
    or inactive recipient on "recipients"."""
    errors = {}
    if kind and kind not in DirectiveKind.values:
        errors["kind"] = _("Choose the kind of document.")
    if not set(recipient_ids) <= _known_agencies():
        errors["recipients"] = _("An agency chosen is unknown or inactive.")
    if errors:
        raise ValidationError(errors)

    def change(data: DirectiveInput) -> DirectiveInput:
        return replace(
            data,
            number=clean(number),
            kind=kind,
            issuer=clean(issuer),
            signer=clean(signer),
            issued_on=issued_on,
            title=clean(title),
            recipient_ids=tuple(dict.fromkeys(recipient_ids)),
        )

    return _edit(user=user, draft=draft, revision=revision, change=change)


def _task_from(base: TaskInput, values: dict) -> TaskInput:
    """``base`` with the values a coordinator typed (text, deadline, recurrence,
    recurrence_day, criterion_id, lead_ids, cooperating_ids); a changed deadline loses
    the words of the old one."""
    task = replace(
        base,
        text=clean(values.get("text", base.text)),
        deadline=values.get("deadline", base.deadline),
        recurrence=values.get("recurrence", base.recurrence) or "",
        recurrence_day=values.get("recurrence_day", base.recurrence_day),
        criterion_id=values.get("criterion_id", base.criterion_id),
        lead_ids=tuple(dict.fromkeys(values.get("lead_ids", base.lead_ids))),
        cooperating_ids=tuple(dict.fromkeys(values.get("cooperating_ids", base.cooperating_ids))),
    )
    if task.deadline != base.deadline:
        task = replace(task, deadline_phrase="")
    return task


def draft_task_save(*, user, draft: DirectiveDraft, number: int, values: dict, revision: int | None = None):
    """Save task ``number``'s fields from ``values`` (keys: ``text``, ``deadline`` (a
    date or None), ``recurrence``, ``recurrence_day``, ``criterion_id``, ``lead_ids``,
    ``cooperating_ids``; a key left out keeps its value). Raises ValidationError keyed
    by field ("text", "deadline", "leads"...), each message naming the task."""
    known = _known_agencies()

    def change(data: DirectiveInput) -> DirectiveInput:
        index = _index(data, number)
        task = _task_from(data.tasks[index], values)
        _raise_task_problems(number, task_problems(task, known=known))
        return replace(data, tasks=task_lists.updated(data.tasks, [index], lambda _old: task))

    return _edit(user=user, draft=draft, revision=revision, change=change)


def draft_task_add(
    *, user, draft: DirectiveDraft, after: int, values: dict, revision: int | None = None
) -> DirectiveDraft:
    """Add a task after task ``after`` (0: first), in its section and under its parent,
    with the fields of ``values`` (as :func:`draft_task_save`). Raises ValidationError
    keyed by field, naming the new task's number."""
    known = _known_agencies()

    def change(data: DirectiveInput) -> DirectiveInput:
        if after:
            _index(data, after, field="after")
        previous = data.tasks[after - 1] if after else (data.tasks[0] if data.tasks else None)
        base = TaskInput(
            text="",
            section_number=previous.section_number if previous else "",
            section_heading=previous.section_heading if previous else "",
        )
        task = _task_from(base, values)
        _raise_task_problems(after + 1, task_problems(task, known=known))
        return replace(data, tasks=task_lists.insert_after(data.tasks, after - 1 if after else None, task))

    return _edit(user=user, draft=draft, revision=revision, change=change)


def draft_task_split(
    *, user, draft: DirectiveDraft, number: int, first: str, second: str, revision: int | None = None
) -> DirectiveDraft:
    """Cut task ``number`` in two tasks of texts ``first`` and ``second`` (both keep its
    agencies, deadline and recurrence; the first keeps its sub-tasks). Raises
    ValidationError on "first" or "second" when a part is empty or too long."""
    first, second = clean(first), clean(second)

    def change(data: DirectiveInput) -> DirectiveInput:
        index = _index(data, number)
        errors = {}
        for field, text, n in (("first", first, number), ("second", second, number + 1)):
            if not text:
                errors[field] = f"{_label(n)}: {_('the text is empty')}."
            elif len(text) > TEXT_MAX:
                errors[field] = (
                    f"{_label(n)}: {_('the text is longer than %(max)s characters') % {'max': TEXT_MAX}}."
                )
        if errors:
            raise ValidationError(errors)
        return replace(data, tasks=task_lists.split(data.tasks, index, first, second))

    return _edit(user=user, draft=draft, revision=revision, change=change)


def draft_task_merge(*, user, draft: DirectiveDraft, number: int, revision: int | None = None):
    """Merge task ``number`` with the next one (texts joined, agencies united, the
    earliest deadline). Raises ValidationError on "task" for the last task."""

    def change(data: DirectiveInput) -> DirectiveInput:
        index = _index(data, number)
        if index == len(data.tasks) - 1:
            raise ValidationError(
                {
                    "task": _("%(task)s is the last task: there is none after it to merge with.")
                    % {"task": _label(number)}
                }
            )
        return replace(data, tasks=task_lists.merge_with_next(data.tasks, index))

    return _edit(user=user, draft=draft, revision=revision, change=change)


def draft_task_delete(*, user, draft: DirectiveDraft, number: int, revision: int | None = None):
    """Delete task ``number`` (its sub-tasks move up to its parent). Raises
    ValidationError on "task" for the only task left."""
    return draft_bulk(user=user, draft=draft, action=DELETE, numbers=[number], revision=revision)


def draft_bulk(
    *,
    user,
    draft: DirectiveDraft,
    action: str,
    numbers: Sequence[int] | None,
    agency_ids: Sequence[int] = (),
    deadline: datetime.date | None = None,
    revision: int | None = None,
) -> DirectiveDraft:
    """Apply ``action`` (one of :data:`BULK_ACTIONS`) to tasks ``numbers`` (None: every
    task of the draft): set the lead agencies to ``agency_ids``, add ``agency_ids`` as
    cooperating, remove ``agency_ids``, set the deadline to ``deadline`` (None: standing),
    delete. Raises ValidationError on "action", "tasks" (none chosen, or deleting them
    all), "agencies" (none given for an agency action) or "deadline" (a recurring task
    chosen, named)."""
    if action not in BULK_ACTIONS:
        raise ValidationError({"action": _("Choose what to do with the tasks ticked.")})
    if action in (SET_LEADS, ADD_COOPERATING, REMOVE_AGENCIES) and not agency_ids:
        raise ValidationError({"agencies": _("Choose at least one agency.")})
    if action in (SET_LEADS, ADD_COOPERATING) and not set(agency_ids) <= _known_agencies():
        raise ValidationError({"agencies": _("An agency chosen is unknown or inactive.")})

    def change(data: DirectiveInput) -> DirectiveInput:
        if numbers is None:
            indexes = list(range(len(data.tasks)))
        else:
            indexes = sorted({_index(data, number, field="tasks") for number in numbers})
        if not indexes:
            raise ValidationError({"tasks": _("Tick at least one task.")})
        tasks = data.tasks
        if action == SET_LEADS:
            tasks = task_lists.set_leads(tasks, indexes, agency_ids)
        elif action == ADD_COOPERATING:
            tasks = task_lists.add_cooperating(tasks, indexes, agency_ids)
        elif action == REMOVE_AGENCIES:
            tasks = task_lists.remove_agencies(tasks, indexes, agency_ids)
        elif action == SET_DEADLINE:
            recurring = [index + 1 for index in indexes if tasks[index].recurrence]
            if deadline is not None and recurring:
                raise ValidationError(
                    {
                        "deadline": _(
                            "%(tasks)s recur: a recurring task has no single deadline. Untick them."
                        )
                        % {"tasks": ", ".join(_label(n) for n in recurring)}
                    }
                )
            tasks = task_lists.set_deadline(tasks, indexes, deadline)
        else:
            if len(indexes) == len(tasks):
                raise ValidationError(
                    {"tasks": _("A draft keeps at least one task: delete the draft instead.")}
                )
            tasks = task_lists.delete(tasks, indexes)
        return replace(data, tasks=tasks)

    return _edit(user=user, draft=draft, revision=revision, change=change)


@transaction.atomic
def draft_confirm(*, user, draft: DirectiveDraft, revision: int | None = None) -> Directive:
    """Save the draft as a directive with :func:`directive_create` (which validates all:
    its ValidationError, keyed "number", "issued_on", "tasks-<index>"..., is raised as
    it is and the draft stays), then delete the draft. A ``revision`` other than the
    draft's (the page confirmed was out of date) raises ValidationError on "revision"."""
    _own(user, draft)
    locked = DirectiveDraft.objects.select_for_update().get(pk=draft.pk)
    _check_revision(locked, revision)
    directive = directive_create(user=user, data=draft_input(locked.data))
    locked.delete()
    return directive


@transaction.atomic
def draft_delete(*, user, draft: DirectiveDraft) -> None:
    """Throw the draft away."""
    _own(user, draft)
    DirectiveDraft.objects.filter(pk=draft.pk).delete()
