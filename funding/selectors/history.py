"""The history users read on the portal's pages (not only in the admin): who changed
what and when, old → new, from django-simple-history's records.

Each page reads its records with one query per model (``select_related`` on the acting
user and on the foreign keys shown), whatever the number of rows, and compares each
record with the previous record of the same row in Python. Values are written the
Vietnamese way: 1.234.567 đ, 12,5 tấn, dd/mm/yyyy, the labels of choices (never their
codes), the text of a support condition (never its code).
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from communes.models import AdministrativeUnit
from core.formatting import date_text, datetime_text, decimal_text, tonnes_text, vnd_text
from funding.models import (
    CementAllocation,
    CementDelivery,
    CementUse,
    ConditionCheck,
    Disbursement,
    FundAllocation,
    ValueChainProject,
)

#: How many records of one model a page reads at most (newest first).
MAX_RECORDS = 500
NONE = "—"


@dataclass(frozen=True)
class Change:
    """One field of a record: ``old`` is None for a row created or deleted (the value
    is shown alone), else the value before and ``new`` the value after."""

    label: str
    old: str | None
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    """One change of one row: when, by whom ("—" only when truly unknown), what
    (``action``: created / changed / deleted; ``subject``: the row), and the fields."""

    when: datetime.datetime
    user: str
    action: str
    subject: str
    changes: tuple[Change, ...]
    kind: str = ""


# --- Formatting values --------------------------------------------------------------------


def _plain(value) -> str:
    return decimal_text(value) if isinstance(value, Decimal) else str(value)


def _bool(value) -> str:
    return _("Yes") if value else _("No")


def format_value(model, name: str, value, kind: str = "") -> str:
    """``value`` of the field ``name`` of ``model`` as a reader wants it: a choice's
    label, tonnes, VND, a date dd/mm/yyyy, yes/no; "—" when empty."""
    if value is None or value == "":
        return NONE
    field = model._meta.get_field(name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    formatter = {"tonnes": tonnes_text, "vnd": vnd_text, "bool": _bool}.get(kind)
    if formatter:
        return formatter(value)
    if isinstance(value, datetime.datetime):
        return datetime_text(value)
    if isinstance(value, datetime.date):
        return date_text(value)
    if isinstance(value, bool):
        return _bool(value)
    return _plain(value)


@dataclass(frozen=True)
class Spec:
    """How to read the records of one model: the fields shown (name, kind; a foreign
    key is read through ``select_related`` and shown by its ``str``), and the subject."""

    model: type
    fields: tuple[tuple[str, str], ...]
    subject: Callable
    related: tuple[str, ...] = ()
    kind: str = ""


def _action(history_type: str) -> str:
    return {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}.get(history_type, history_type)


def _record_user(record) -> str:
    user = record.history_user
    if user is None and hasattr(record, "checked_by_id"):
        user = record.checked_by  # a check written without an acting user: its checker
    return str(user) if user is not None else NONE


def _values(spec: Spec, record) -> dict[str, str]:
    values = {}
    for name, kind in spec.fields:
        if kind == "fk":
            related = getattr(record, name, None) if getattr(record, f"{name}_id") is not None else None
            values[name] = str(related) if related is not None else NONE
        else:
            values[name] = format_value(spec.model, name, getattr(record, name), kind)
    return values


def entries(spec: Spec, records: Iterable, extra: dict | None = None) -> list[HistoryEntry]:
    """The records of one model (any order) as entries, each compared with the record
    before it of the same row; a change that touched no shown field is left out.
    ``extra`` adds values read apart (by history id: {field name: text}), e.g. the
    communes of a project, shown after the fields of ``spec``."""
    names = [name for name, _k in spec.fields] + sorted(
        {n for values in (extra or {}).values() for n in values}
    )
    fields = tuple((name, "") for name in names)
    labels = {name: capfirst(str(spec.model._meta.get_field(name).verbose_name)) for name in names}
    previous: dict = {}
    found = []
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        values = _values(spec, record)
        if extra is not None:
            values.update({name: NONE for name in names if name not in values})
            values.update(extra.get(record.history_id, {}))
        before = previous.get(record.id)
        if record.history_type == "~" and before is not None:
            changes = tuple(
                Change(labels[name], before[name], values[name])
                for name, _k in fields
                if before[name] != values[name]
            )
            if not changes:
                previous[record.id] = values
                continue
        else:
            changes = tuple(
                Change(labels[name], None, values[name]) for name, _k in fields if values[name] != NONE
            )
        previous[record.id] = values
        found.append(
            HistoryEntry(
                when=record.history_date,
                user=_record_user(record),
                action=_action(record.history_type),
                subject=spec.subject(record),
                changes=changes,
                kind=spec.kind,
            )
        )
    return found


def _read(spec: Spec, queryset: QuerySet, extra: Callable | None = None) -> list[HistoryEntry]:
    records = list(
        queryset.select_related("history_user", *spec.related).order_by("-history_date", "-history_id")[
            :MAX_RECORDS
        ]
    )
    return entries(spec, records, extra([r.history_id for r in records]) if extra else None)


def _project_communes(history_ids: list[int]) -> dict[int, dict[str, str]]:
    """The communes of each historical record of a project (one query), as text."""
    through = apps.get_model("funding", "HistoricalValueChainProject_communes")
    names: dict[int, list[str]] = {history_id: [] for history_id in history_ids}
    rows = (
        through.objects.filter(history_id__in=history_ids)
        .select_related("administrativeunit")
        .order_by("administrativeunit__code")
    )
    for row in rows:
        if row.administrativeunit is not None:
            names[row.history_id].append(row.administrativeunit.name)
    return {history_id: {"communes": ", ".join(found) or NONE} for history_id, found in names.items()}


def _name(model) -> str:
    return capfirst(str(model._meta.verbose_name))


CEMENT_ALLOCATION = Spec(
    model=CementAllocation,
    fields=(("tonnes", "tonnes"),),
    related=("batch",),
    kind="cement_allocation",
    subject=lambda r: (
        f"{_name(CementAllocation)} · {r.batch.decision_number} ({r.batch.get_kind_display()})"
        if r.batch_id and r.batch
        else _name(CementAllocation)
    ),
)
CEMENT_DELIVERY = Spec(
    model=CementDelivery,
    fields=(("delivered_on", ""), ("tonnes", "tonnes"), ("reference", "")),
    kind="delivery",
    subject=lambda r: _name(CementDelivery),
)
CEMENT_USE = Spec(
    model=CementUse,
    fields=(
        ("used_on", ""),
        ("tonnes", "tonnes"),
        ("purpose", ""),
        ("road_kind", ""),
        ("length_km", ""),
        ("place", "fk"),
        ("description", ""),
        ("evidence", ""),
    ),
    related=("place",),
    kind="use",
    subject=lambda r: _name(CementUse),
)
FUND_ALLOCATION = Spec(
    model=FundAllocation,
    fields=(("amount", "vnd"), ("decision_number", ""), ("decision_date", ""), ("note", "")),
    related=("source",),
    kind="fund_allocation",
    subject=lambda r: f"{_name(FundAllocation)} · {r.source}",
)
DISBURSEMENT = Spec(
    model=Disbursement,
    fields=(("paid_on", ""), ("amount", "vnd"), ("note", "")),
    related=("source",),
    kind="disbursement",
    subject=lambda r: f"{_name(Disbursement)} · {r.source}",
)
PROJECT = Spec(
    model=ValueChainProject,
    fields=(
        ("status", ""),
        ("support_requested", "vnd"),
        ("support_approved", "vnd"),
        ("name", ""),
        ("partner_name", ""),
        ("partner_kind", ""),
        ("product", ""),
        ("links_production", "bool"),
        ("links_processing", "bool"),
        ("links_consumption", "bool"),
        ("area_ha", ""),
        ("volume_tonnes", "tonnes"),
        ("submission", ""),
        ("note", ""),
    ),
    kind="project",
    subject=lambda r: _name(ValueChainProject),
)
CONDITION_CHECK = Spec(
    model=ConditionCheck,
    fields=(("outcome", ""), ("note", "")),
    related=("condition", "checked_by"),
    kind="check",
    subject=lambda r: r.condition.text if r.condition_id and r.condition else NONE,
)


def unit_history(*, unit: AdministrativeUnit, year: int, limit: int = 50) -> list[HistoryEntry]:
    """The changes of ``unit``'s cement allocations (regular and reserve batches),
    deliveries, use reports, fund allocations and disbursements of ``year``, newest
    first. Five queries."""
    found = [
        *_read(CEMENT_ALLOCATION, CementAllocation.history.filter(unit_id=unit.pk, batch__year=year)),
        *_read(CEMENT_DELIVERY, CementDelivery.history.filter(unit_id=unit.pk, year=year)),
        *_read(CEMENT_USE, CementUse.history.filter(unit_id=unit.pk, year=year)),
        *_read(FUND_ALLOCATION, FundAllocation.history.filter(unit_id=unit.pk, year=year)),
        *_read(DISBURSEMENT, Disbursement.history.filter(unit_id=unit.pk, year=year)),
    ]
    found.sort(key=lambda entry: entry.when, reverse=True)
    return found[:limit]


def project_history(*, project: ValueChainProject, limit: int = 50) -> list[HistoryEntry]:
    """The changes of ``project`` (status, amounts, fields, communes; old → new),
    newest first. Two queries."""
    found = _read(PROJECT, ValueChainProject.history.filter(id=project.pk), extra=_project_communes)
    found.reverse()
    return found[:limit]


def check_history(*, project: ValueChainProject, limit: int = 50) -> list[HistoryEntry]:
    """Every check of ``project``'s conditions (the condition's text, the outcome and
    note, who checked and when), newest first. One query."""
    found = _read(CONDITION_CHECK, ConditionCheck.history.filter(project_id=project.pk))
    found.reverse()
    return found[:limit]
