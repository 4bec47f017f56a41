"""Edits of a directive's list of proposed tasks: insert, delete, split, merge, and the
bulk changes of agencies and deadlines. Pure Python, no database.

A list is a tuple of frozen dataclasses with the fields of
:class:`directives.services.directives.TaskInput` (``text``, ``deadline``,
``deadline_phrase``, ``lead_ids``, ``cooperating_ids``, ``warnings``, ``parent_index``...).
``parent_index`` points at an earlier task of the same list (a "+" sub-bullet's "-"
bullet) or is None. Every function returns a new tuple in which every ``parent_index``
still points at the same task as before the edit (or, when that task is gone, at its own
parent), and always at an earlier task.
"""

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import Any

Tasks = tuple[Any, ...]

# A sentence ends with ".", ";", "!" or "?" followed by a space and more text.
SENTENCE_END = re.compile(r"(?<=[.;!?])\s+(?=\S)")


def rebuild(tasks: Sequence[Any], mapping: Sequence[int | None], new: Sequence[Any]) -> Tasks:
    """``new`` with every ``parent_index`` moved through ``mapping`` (old index -> new
    index, None for a task that is gone). A parent that is gone is replaced by its own
    parent, up the chain; a parent that would not come before its child becomes None."""

    def target(old: int | None) -> int | None:
        while old is not None:
            if 0 <= old < len(mapping) and mapping[old] is not None:
                return mapping[old]
            old = tasks[old].parent_index if 0 <= old < len(tasks) else None
        return None

    result = []
    for index, task in enumerate(new):
        parent = target(task.parent_index) if task.parent_index is not None else None
        if parent is not None and parent >= index:
            parent = None
        result.append(replace(task, parent_index=parent) if parent != task.parent_index else task)
    return tuple(result)


def _shifted(tasks: Sequence[Any], build: Callable[[int], int | None]) -> list[int | None]:
    return [build(index) for index in range(len(tasks))]


def insert_after(tasks: Sequence[Any], index: int | None, task: Any) -> Tasks:
    """``task`` inserted after ``tasks[index]`` (at the start when ``index`` is None; at
    the end when ``index`` is the last). Its ``parent_index`` is taken from the task it
    follows (a sibling), and is given as an index of the old list."""
    at = 0 if index is None else index + 1
    mapping = _shifted(tasks, lambda i: i if i < at else i + 1)
    parent = tasks[index].parent_index if index is not None else None
    new = [*tasks[:at], replace(task, parent_index=parent), *tasks[at:]]
    # The inserted task's parent is an old index: map it like the others.
    return rebuild(tasks, mapping, new)


def delete(tasks: Sequence[Any], indexes: Iterable[int]) -> Tasks:
    """``tasks`` without those at ``indexes``; the sub-tasks of a deleted task move to
    its parent (or stand alone)."""
    gone = set(indexes)
    mapping: list[int | None] = []
    kept = []
    for index, task in enumerate(tasks):
        if index in gone:
            mapping.append(None)
        else:
            mapping.append(len(kept))
            kept.append(task)
    return rebuild(tasks, mapping, kept)


def split(tasks: Sequence[Any], index: int, first: str, second: str) -> Tasks:
    """``tasks[index]`` cut in two: ``first`` keeps its place and its sub-tasks, ``second``
    follows it as a sibling; both keep the agencies, deadline, recurrence and warnings."""
    task = tasks[index]
    mapping = _shifted(tasks, lambda i: i if i <= index else i + 1)
    new = [*tasks[:index], replace(task, text=first), replace(task, text=second), *tasks[index + 1 :]]
    return rebuild(tasks, mapping, new)


def _union(*groups: Iterable[Any]) -> tuple[Any, ...]:
    seen: dict[Any, None] = {}
    for group in groups:
        for item in group:
            seen.setdefault(item, None)
    return tuple(seen)


def merged(first: Any, second: Any) -> Any:
    """``first`` and ``second`` as one task: texts joined, agencies united (an agency that
    leads in either leads), the earliest deadline with its words, warnings of both."""
    leads = _union(first.lead_ids, second.lead_ids)
    cooperating = tuple(a for a in _union(first.cooperating_ids, second.cooperating_ids) if a not in leads)
    dated = [task for task in (first, second) if task.deadline is not None]
    earliest = min(dated, key=lambda task: task.deadline) if dated else first
    return replace(
        first,
        text=f"{first.text.rstrip()} {second.text.lstrip()}".strip(),
        lead_ids=leads,
        cooperating_ids=cooperating,
        deadline=earliest.deadline,
        deadline_phrase=earliest.deadline_phrase,
        recurrence=(first.recurrence or second.recurrence) if not dated else "",
        recurrence_day=(first.recurrence_day or second.recurrence_day) if not dated else None,
        warnings=_union(first.warnings, second.warnings),
    )


def merge_with_next(tasks: Sequence[Any], index: int) -> Tasks:
    """``tasks[index]`` and ``tasks[index + 1]`` as one task at ``index`` (see
    :func:`merged`); the sub-tasks of either are the merged task's. Raises IndexError
    when ``index`` is the last task."""
    if not 0 <= index < len(tasks) - 1:
        raise IndexError(index)
    mapping = _shifted(tasks, lambda i: i if i <= index else i - 1)
    new = [*tasks[:index], merged(tasks[index], tasks[index + 1]), *tasks[index + 2 :]]
    return rebuild(tasks, mapping, new)


def updated(tasks: Sequence[Any], indexes: Iterable[int], change: Callable[[Any], Any]) -> Tasks:
    """``tasks`` with ``change(task)`` at ``indexes`` (a change keeps ``parent_index``)."""
    chosen = set(indexes)
    return tuple(change(task) if index in chosen else task for index, task in enumerate(tasks))


def set_leads(tasks: Sequence[Any], indexes: Iterable[int], agency_ids: Sequence[int]) -> Tasks:
    """The tasks at ``indexes`` led by ``agency_ids`` exactly (no longer cooperating)."""
    leads = _union(agency_ids)
    return updated(
        tasks,
        indexes,
        lambda t: replace(
            t, lead_ids=leads, cooperating_ids=tuple(a for a in t.cooperating_ids if a not in leads)
        ),
    )


def add_cooperating(tasks: Sequence[Any], indexes: Iterable[int], agency_ids: Sequence[int]) -> Tasks:
    """``agency_ids`` added to the cooperating agencies of the tasks at ``indexes``
    (an agency that already leads a task keeps leading it)."""
    return updated(
        tasks,
        indexes,
        lambda t: replace(
            t, cooperating_ids=tuple(a for a in _union(t.cooperating_ids, agency_ids) if a not in t.lead_ids)
        ),
    )


def remove_agencies(tasks: Sequence[Any], indexes: Iterable[int], agency_ids: Sequence[int]) -> Tasks:
    """``agency_ids`` taken off the tasks at ``indexes``, as lead or cooperating."""
    drop = set(agency_ids)
    return updated(
        tasks,
        indexes,
        lambda t: replace(
            t,
            lead_ids=tuple(a for a in t.lead_ids if a not in drop),
            cooperating_ids=tuple(a for a in t.cooperating_ids if a not in drop),
        ),
    )


def set_deadline(tasks: Sequence[Any], indexes: Iterable[int], deadline) -> Tasks:
    """The tasks at ``indexes`` due on ``deadline`` (None: standing); the words of the
    old deadline go with it."""
    return updated(
        tasks,
        indexes,
        lambda t: t if t.deadline == deadline else replace(t, deadline=deadline, deadline_phrase=""),
    )


def sentence_boundaries(text: str) -> list[int]:
    """The offsets in ``text`` where a sentence after the first starts: where a split
    "at a sentence boundary" may cut."""
    return [match.end() for match in SENTENCE_END.finditer(text)]


def split_text(text: str, offset: int) -> tuple[str, str]:
    """``text`` cut at ``offset``, both parts stripped."""
    return text[:offset].strip(), text[offset:].strip()
