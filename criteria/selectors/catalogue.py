"""Reads of the criteria catalogue: the sets with their counts, one set laid out for its
page (groups > criteria > indicators), departments to choose from.

The criteria catalogue is reference data every signed-in user may read; there is no
scope to apply. Each function runs a fixed number of queries, however many criteria and
indicators a set holds.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from accounts.models import Agency, AgencyKind
from core.formatting import decimal_text
from core.numbers import trim_decimal
from criteria.catalogue import comparison_symbol
from criteria.models import (
    AssessmentStatus,
    CommuneGroup,
    Comparison,
    CriteriaSet,
    Criterion,
    Indicator,
    IndicatorGroupTarget,
    IndicatorValue,
)

# A numeric indicator whose target nobody has set yet (see Indicator.needs_target).
_NEEDS_TARGET = Q(criteria__indicators__target__isnull=True) & ~Q(
    criteria__indicators__comparison=Comparison.ACHIEVED
)


@dataclass(frozen=True)
class GroupTargetRow:
    commune_group: CommuneGroup
    target: Decimal


@dataclass(frozen=True)
class IndicatorRow:
    """An indicator as its row shows it: ``symbol`` "≥" / "≤" / "=" ("" for Đạt / Không
    đạt), ``target`` without trailing zeros (26.7, not 26.70), ``needs_target`` when a
    numeric indicator has no target yet (judged by the appraiser)."""

    indicator: Indicator
    symbol: str
    target: Decimal | None
    needs_target: bool
    group_targets: list[GroupTargetRow] = field(default_factory=list)


@dataclass(frozen=True)
class CriterionRow:
    criterion: Criterion
    indicators: list[IndicatorRow]


@dataclass(frozen=True)
class CriteriaGroupRows:
    """The criteria of one group (nhóm) of a set; ``name`` is "" for ungrouped criteria."""

    name: str
    criteria: list[CriterionRow]


@dataclass(frozen=True)
class SetCatalogue:
    criteria_set: CriteriaSet
    groups: list[CriteriaGroupRows]
    commune_groups: list[CommuneGroup]
    criterion_count: int
    indicator_count: int
    missing_target_count: int
    empty_criterion_count: int


def criteria_sets_overview() -> QuerySet[CriteriaSet]:
    """Every criteria set, oldest in force first, with ``criterion_count``,
    ``indicator_count`` and ``missing_target_count`` (numeric indicators with no target)
    annotated; one query."""
    return CriteriaSet.objects.select_related("based_on", "province").annotate(
        criterion_count=Count("criteria", distinct=True),
        indicator_count=Count("criteria__indicators"),
        missing_target_count=Count("criteria__indicators", filter=_NEEDS_TARGET),
    )


def criteria_set_by_code(code: str) -> CriteriaSet:
    """The set ``code``; raises CriteriaSet.DoesNotExist."""
    return CriteriaSet.objects.select_related("based_on", "province").get(code=code)


def indicator_row(indicator: Indicator) -> IndicatorRow:
    """The row of one indicator; reads ``indicator.group_targets`` (prefetch it)."""
    return IndicatorRow(
        indicator=indicator,
        symbol=comparison_symbol(indicator.comparison),
        target=trim_decimal(indicator.target),
        needs_target=indicator.needs_target,
        group_targets=[
            GroupTargetRow(commune_group=row.commune_group, target=trim_decimal(row.target))
            for row in indicator.group_targets.all()
        ],
    )


def _indicators_prefetch() -> Prefetch:
    return Prefetch(
        "indicators",
        queryset=Indicator.objects.order_by("position", "code").prefetch_related(
            Prefetch(
                "group_targets",
                queryset=IndicatorGroupTarget.objects.select_related("commune_group").order_by(
                    "commune_group__code"
                ),
            )
        ),
    )


def criteria_set_catalogue(*, criteria_set: CriteriaSet) -> SetCatalogue:
    """``criteria_set`` laid out for its page: criteria by group in number order, each
    with its department and indicators, the commune groups, and the counts the header
    shows (indicators lacking a target, criteria with no indicator yet). Four queries."""
    criteria = list(
        criteria_set.criteria.select_related("responsible_agency")
        .prefetch_related(_indicators_prefetch())
        .order_by("number")
    )
    groups: list[CriteriaGroupRows] = []
    for criterion in criteria:
        row = CriterionRow(
            criterion=criterion,
            indicators=[indicator_row(indicator) for indicator in criterion.indicators.all()],
        )
        if groups and groups[-1].name == criterion.group:
            groups[-1].criteria.append(row)
        else:
            groups.append(CriteriaGroupRows(name=criterion.group, criteria=[row]))
    rows = [row for group in groups for row in group.criteria]
    return SetCatalogue(
        criteria_set=criteria_set,
        groups=groups,
        commune_groups=list(criteria_set.commune_groups.order_by("code")),
        criterion_count=len(rows),
        indicator_count=sum(len(row.indicators) for row in rows),
        missing_target_count=sum(1 for row in rows for ind in row.indicators if ind.needs_target),
        empty_criterion_count=sum(1 for row in rows if not row.indicators),
    )


def indicator_for_change(pk: int) -> Indicator:
    """The indicator ``pk`` with its criterion, set and group targets; raises
    Indicator.DoesNotExist."""
    return (
        Indicator.objects.select_related("criterion__criteria_set")
        .prefetch_related(
            Prefetch(
                "group_targets",
                queryset=IndicatorGroupTarget.objects.select_related("commune_group").order_by(
                    "commune_group__code"
                ),
            )
        )
        .get(pk=pk)
    )


def indicator_history(indicator: Indicator, *, limit: int = 10):
    """The latest changes of ``indicator``, newest first, with who made them."""
    return indicator.history.select_related("history_user").order_by("-history_date", "-history_id")[:limit]


@dataclass(frozen=True)
class FieldChange:
    """One field of a change: ``old`` is None when the row was created (shown alone)."""

    label: str
    old: str | None
    new: str


@dataclass(frozen=True)
class IndicatorChange:
    """One change of an indicator or of one of its targets by commune group: when, by
    whom ("—" for a data import), what was done, and each field old -> new."""

    when: datetime.datetime
    user: str
    action: str
    changes: tuple[FieldChange, ...]


# The fields of an indicator its history shows, in the order of its edit form.
_SHOWN_FIELDS = ("code", "name", "measure_type", "unit", "comparison", "target", "verification", "source")
_NONE = "—"


def _shown(name: str, value) -> str:
    """A historical value as a reader wants it: a choice's label, 26,7 for a target."""
    if value is None or value == "":
        return _NONE
    if name == "target":
        return decimal_text(trim_decimal(value), grouping=False)
    field_ = Indicator._meta.get_field(name)
    if field_.choices:
        return str(dict(field_.flatchoices).get(value, value))
    return str(value)


def _action(history_type: str) -> str:
    return {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}.get(history_type, history_type)


def _record_changes(records, fields, label, shown) -> list[IndicatorChange]:
    """``records`` (oldest first) as changes, each against the record before it of the
    same row; a record that changed none of ``fields`` is left out."""
    before: dict = {}
    found = []
    for record in records:
        values = {name: shown(name, getattr(record, name)) for name in fields}
        previous = before.get(record.id)
        before[record.id] = values
        if record.history_type == "~" and previous is not None:
            changes = tuple(
                FieldChange(label(record, name), previous[name], values[name])
                for name in fields
                if previous[name] != values[name]
            )
            if not changes:
                continue
        elif record.history_type == "-":
            changes = tuple(FieldChange(label(record, name), values[name], _NONE) for name in fields)
        else:
            changes = tuple(
                FieldChange(label(record, name), None, values[name])
                for name in fields
                if values[name] != _NONE
            )
        found.append(
            IndicatorChange(
                when=record.history_date,
                user=str(record.history_user) if record.history_user else _NONE,
                action=_action(record.history_type),
                changes=changes,
            )
        )
    return found


def indicator_changes(indicator: Indicator, *, limit: int = 30) -> list[IndicatorChange]:
    """Every change of ``indicator`` (code, name, measure, unit, comparison, target,
    verification, source) and of its targets by commune group, old -> new, newest
    first. Three queries."""
    labels = {name: capfirst(str(Indicator._meta.get_field(name).verbose_name)) for name in _SHOWN_FIELDS}
    own = indicator.history.select_related("history_user").order_by("history_date", "history_id")
    found = _record_changes(own, _SHOWN_FIELDS, lambda record, name: labels[name], _shown)
    groups = dict(indicator.criterion.criteria_set.commune_groups.values_list("pk", "name"))
    group_records = (
        IndicatorGroupTarget.history.filter(indicator_id=indicator.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    found += _record_changes(
        group_records,
        ("target",),
        lambda record, name: f"{labels['target']} · {groups.get(record.commune_group_id, _NONE)}",
        _shown,
    )
    found.sort(key=lambda change: change.when, reverse=True)
    return found[:limit]


@dataclass(frozen=True)
class IndicatorUsage:
    """How many assessments hold a value of an indicator, and how many of them are
    approved."""

    assessments: int
    approved: int


def indicator_usage(indicator: Indicator) -> IndicatorUsage:
    """The assessments holding a value of ``indicator``. One query."""
    counts = IndicatorValue.objects.filter(indicator=indicator).aggregate(
        assessments=Count("pk"), approved=Count("pk", filter=Q(assessment__status=AssessmentStatus.APPROVED))
    )
    return IndicatorUsage(**counts)


def criterion_for_change(pk: int) -> Criterion:
    """The criterion ``pk`` with its set and department; raises Criterion.DoesNotExist."""
    return Criterion.objects.select_related("criteria_set", "responsible_agency").get(pk=pk)


def departments() -> QuerySet[Agency]:
    """Active provincial departments (sở, ngành), by name: who may answer for a criterion."""
    return Agency.objects.filter(kind=AgencyKind.PROVINCIAL_DEPARTMENT, is_active=True).order_by("name")


def criteria_choices() -> QuerySet[Criterion]:
    """Every criterion of every set, with its set, in the order a picker lists them
    (set code, then number): what a directive's task may say it serves."""
    return Criterion.objects.select_related("criteria_set").order_by("criteria_set__code", "number")


def criteria_with_indicators() -> QuerySet[Criterion]:
    """Every criterion of every set with its department and its indicators (in the order
    of the set's page) and their targets by commune group prefetched: what the REST API
    lists. Four queries, however many criteria are read."""
    return Criterion.objects.select_related("responsible_agency").prefetch_related(_indicators_prefetch())


def indicators_with_targets() -> QuerySet[Indicator]:
    """Every indicator of every set with its criterion and its targets by commune group
    (by group code) prefetched: what the REST API lists. Two queries, however many
    indicators are read."""
    return Indicator.objects.select_related("criterion").prefetch_related(
        Prefetch(
            "group_targets",
            queryset=IndicatorGroupTarget.objects.select_related("commune_group").order_by(
                "commune_group__code"
            ),
        )
    )
