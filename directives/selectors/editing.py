"""Read queries behind the editing of a saved directive
(:mod:`directives.services.editing`): the version a form is read at (optimistic
locking), why a task can no longer be changed (it has progress), and the history of a
directive, its tasks and their assignments as rows of "who, when, field, old → new".

The version of a directive is the id of its latest history row; the version of a task
is the pair of the latest history ids of the task and of its assignments (an
assignment added, removed or changed, a report's progress, moves it). A form carries
the version it was read at; the service compares it before it writes.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Max
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from accounts.models import Agency
from core.formatting import date_text
from criteria.selectors.catalogue import criteria_choices
from directives.models import (
    Assignment,
    AssignmentRole,
    Directive,
    DirectiveKind,
    ExtensionRequest,
    ProgressReport,
    Recurrence,
    Task,
)

# The change reason of every history row the editing services write; a directive's row
# whose recipients changed carries them after it: "edit|+12,15|-7" (agency ids added,
# removed; recipients are a many-to-many relation, which the history does not track, so
# a directive's change reason is a text field without limit).
EDIT_REASON = "edit"


def directive_version(directive_id: int) -> str:
    """The version of a directive's own fields: the id of its latest history row."""
    latest = Directive.history.filter(id=directive_id).aggregate(latest=Max("history_id"))["latest"]
    return str(latest or 0)


def task_version(task_id: int) -> str:
    """The version of a task and its assignments: "<task history id>.<assignment history id>"."""
    task = Task.history.filter(id=task_id).aggregate(latest=Max("history_id"))["latest"]
    assignments = Assignment.history.filter(task_id=task_id).aggregate(latest=Max("history_id"))["latest"]
    return f"{task or 0}.{assignments or 0}"


def task_lock_reason(task_ids) -> str:
    """Why the tasks ``task_ids`` (a task and its sub-tasks) may no longer be changed, in
    the user's language ("Nhiệm vụ đã có báo cáo tiến độ của Sở Xây dựng ngày
    12/08/2020: không sửa được nữa."), or "" when none has any progress: no progress
    report, no assignment marked done or above 0 %, no extension request."""
    ids = list(task_ids)
    report = (
        ProgressReport.objects.filter(assignment__task_id__in=ids)
        .select_related("assignment__agency")
        .order_by("created_at", "pk")
        .first()
    )
    if report is not None:
        return _("The task has a progress report of %(agency)s of %(day)s: it can no longer be changed.") % {
            "agency": report.assignment.agency.name,
            "day": date_text(timezone.localdate(report.created_at)),
        }
    assignments = Assignment.objects.filter(task_id__in=ids).select_related("agency")
    done = assignments.filter(completed_on__isnull=False).order_by("completed_on", "pk").first()
    if done is not None:
        return _("%(agency)s marked the task done on %(day)s: it can no longer be changed.") % {
            "agency": done.agency.name,
            "day": date_text(done.completed_on),
        }
    started = assignments.filter(percent__gt=0).order_by("pk").first()
    if started is not None:
        return _("%(agency)s reported %(percent)s%% progress on the task: it can no longer be changed.") % {
            "agency": started.agency.name,
            "percent": started.percent,
        }
    extension = (
        ExtensionRequest.objects.filter(assignment__task_id__in=ids)
        .select_related("assignment__agency")
        .order_by("created_at", "pk")
        .first()
    )
    if extension is not None:
        return _(
            "The task has an extension request of %(agency)s of %(day)s: it can no longer be changed."
        ) % {
            "agency": extension.assignment.agency.name,
            "day": date_text(timezone.localdate(extension.created_at)),
        }
    return ""


def subtree_ids(task: Task) -> list[int]:
    """The ids of ``task`` and of every task below it (its "+" sub-tasks, theirs...), in
    one query over the directive's tasks."""
    children = defaultdict(list)
    for pk, parent_id in Task.objects.filter(directive_id=task.directive_id).values_list("pk", "parent_id"):
        children[parent_id].append(pk)
    ids, queue = [], [task.pk]
    while queue:
        current = queue.pop()
        ids.append(current)
        queue.extend(children[current])
    return ids


def recipients_reason(old: set[int], new: set[int]) -> str:
    """The change reason of a directive's history row whose recipients went from
    ``old`` to ``new`` (agency ids): "edit|+12,15|-7"."""
    return f"{EDIT_REASON}|+{','.join(map(str, sorted(new - old)))}|-{','.join(map(str, sorted(old - new)))}"


def _recipient_ids(reason: str | None) -> tuple[list[int], list[int]]:
    """(added, removed) read back from :func:`recipients_reason`."""
    if not reason or not reason.startswith(EDIT_REASON + "|"):
        return [], []
    parts = reason.split("|")[1:]
    lists = {"+": [], "-": []}
    for part in parts:
        if part[:1] in lists:
            lists[part[:1]] = [int(pk) for pk in part[1:].split(",") if pk.isdigit()]
    return lists["+"], lists["-"]


@dataclass
class HistoryChange:
    """One field of one history row: its label, the old and the new value as text."""

    field: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    """One history row as the page shows it: when, who, what it is about (the
    directive, a task, an agency's assignment), what happened and the changed fields."""

    when: datetime.datetime
    who: str
    subject: str
    action: str
    changes: list[HistoryChange] = field(default_factory=list)
    order: int = 0


# The fields each model's history shows; the others (position, creation stamps, the
# body text, who marked done) are left out.
_DIRECTIVE_FIELDS = ("number", "kind", "issuer", "signer", "issued_on", "title")
_TASK_FIELDS = (
    "section_number",
    "section_heading",
    "text",
    "deadline",
    "deadline_phrase",
    "recurrence",
    "recurrence_day",
    "parent",
    "criterion",
)
_ASSIGNMENT_FIELDS = ("role", "deadline", "completed_on", "percent")


def _excerpt(text: str, size: int = 70) -> str:
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


def directive_history(*, directive: Directive) -> list[HistoryEntry]:
    """The history of ``directive``, of its tasks (also deleted ones) and of their
    assignments, newest first: created (the directive, and a task or assignment added
    after the directive was saved), changed (one :class:`HistoryChange` per field,
    values as a person reads them) and deleted rows. Four queries whatever the length, five
    when a task names a criterion."""
    directive_rows = list(
        Directive.history.filter(id=directive.pk).select_related("history_user").order_by("history_id")
    )
    task_rows = list(
        Task.history.filter(directive_id=directive.pk).select_related("history_user").order_by("history_id")
    )
    task_ids = {row.id for row in task_rows}
    assignment_rows = list(
        Assignment.history.filter(task_id__in=task_ids).select_related("history_user").order_by("history_id")
    )
    agency_ids = {row.agency_id for row in assignment_rows}
    for row in directive_rows:
        added, removed = _recipient_ids(row.history_change_reason)
        agency_ids.update(added, removed)
    agencies = dict(Agency.objects.filter(pk__in=agency_ids).values_list("pk", "short_name"))
    criterion_ids = {row.criterion_id for row in task_rows if row.criterion_id}
    criteria = (
        {
            criterion.pk: f"{criterion.criteria_set.decision} · {criterion}"
            for criterion in criteria_choices().filter(pk__in=criterion_ids)
        }
        if criterion_ids
        else {}
    )
    texts = {row.id: row.text for row in task_rows}  # the latest text of every task

    def show(model, name: str, value) -> str:
        if value is None or value == "":
            return "—"
        if name == "kind":
            return str(DirectiveKind(value).label) if value in DirectiveKind.values else value
        if name == "recurrence":
            return str(Recurrence(value).label) if value in Recurrence.values else value
        if name == "role":
            return str(AssignmentRole(value).label) if value in AssignmentRole.values else value
        if name == "parent":
            return _excerpt(texts.get(value, f"#{value}"))
        if name == "criterion":
            return criteria.get(value, f"#{value}")
        if isinstance(value, datetime.date):
            return date_text(value)
        if name == "percent":
            return f"{value} %"
        return str(value)

    def label(model, name: str) -> str:
        if name == "recurrence_day":  # the edit form's label
            return _("Due day of each period (1-31)")
        return capfirst(str(model._meta.get_field(name).verbose_name))

    def who(row) -> str:
        user = row.history_user
        return (user.get_full_name() or user.username) if user else "—"

    entries: list[HistoryEntry] = []

    def walk(rows, model, fields, subject, show_created):
        by_object = defaultdict(list)
        for row in rows:
            by_object[row.id].append(row)
        for versions in by_object.values():
            previous = None
            for row in versions:
                entry = HistoryEntry(
                    when=row.history_date, who=who(row), subject=subject(row), action="", order=row.history_id
                )
                if row.history_type == "+":
                    if show_created(row):
                        entry.action = _("created")
                        entries.append(entry)
                elif row.history_type == "-":
                    entry.action = _("deleted")
                    entries.append(entry)
                elif previous is not None:
                    delta = row.diff_against(previous, included_fields=fields)
                    entry.changes = [
                        HistoryChange(
                            label(model, c.field), show(model, c.field, c.old), show(model, c.field, c.new)
                        )
                        for c in sorted(delta.changes, key=lambda c: fields.index(c.field))
                    ]
                    if model is Directive:
                        entry.changes += _recipient_changes(row, agencies)
                    if entry.changes:
                        entry.action = _("changed")
                        entries.append(entry)
                previous = row

    walk(directive_rows, Directive, list(_DIRECTIVE_FIELDS), lambda row: _("Directive"), lambda row: True)
    walk(
        task_rows,
        Task,
        list(_TASK_FIELDS),
        lambda row: _("Task “%(text)s”") % {"text": _excerpt(texts.get(row.id, row.text))},
        lambda row: row.history_change_reason == EDIT_REASON,
    )
    walk(
        assignment_rows,
        Assignment,
        list(_ASSIGNMENT_FIELDS),
        lambda row: (
            _("%(agency)s on “%(text)s”")
            % {"agency": agencies.get(row.agency_id, "?"), "text": _excerpt(texts.get(row.task_id, ""), 50)}
        ),
        lambda row: row.history_change_reason == EDIT_REASON,
    )
    entries.sort(key=lambda entry: (entry.when, entry.order), reverse=True)
    return entries


def _recipient_changes(row, agencies: dict[int, str]) -> list[HistoryChange]:
    added, removed = _recipient_ids(row.history_change_reason)
    if not added and not removed:
        return []

    def names(ids):
        return "; ".join(agencies.get(pk, f"#{pk}") for pk in ids) or "—"

    return [
        HistoryChange(
            capfirst(str(Directive._meta.get_field("recipients").verbose_name)),
            _("removed: %(names)s") % {"names": names(removed)},
            _("added: %(names)s") % {"names": names(added)},
        )
    ]
