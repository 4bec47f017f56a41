"""Writes of a set's indicators in the portal: add, edit and delete an indicator, and its
targets by commune group (nhóm xã, QĐ 51/2025/QĐ-TTg).

Every function is keyword-only, runs in one transaction and takes the acting ``user``:
only a provincial coordinator may change the catalogue (``PermissionDenied``, 403, for
anyone else). Bad input raises :class:`django.core.exceptions.ValidationError` with a
dict keyed by the field at fault ("code", "measure_type", "target", "group-<id>" for the
target of one commune group), in Vietnamese through gettext; nothing is saved then.
Every change is in the history (simple_history), with the acting user.

What an edit may not do, because assessments already hold values of the indicator
(the province's choice, so that a value entered for one question is never read as the
answer to another): change its measure type, switch it between Đạt / Không đạt and a
numeric comparison, or delete it. Targets may still change: the stored outcomes of
assessments are kept (an approved one is locked), and a draft is judged by the new
target when its values are next saved.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from accounts.roles import Role, require_role
from core.history import changes_save
from core.text import clean, nfc
from criteria.catalogue import PERCENT_MAX, TARGET_DECIMAL_PLACES, TARGET_MAX, decimal_places
from criteria.models import (
    Comparison,
    Criterion,
    Indicator,
    IndicatorGroupTarget,
    IndicatorValue,
    MeasureType,
    Verification,
)

# An indicator's code is its criterion's number, then optionally a dot and a number, then
# optionally one letter: "5", "2.1", "17.1a" (the codes of QĐ 1980/QĐ-TTg and QĐ 318/QĐ-TTg).
CODE_PATTERN = re.compile(r"(?P<criterion>[0-9]{1,2})(\.[0-9]{1,2})?[a-z]?")
NAME_MAX_LENGTH = 500
UNIT_MAX_LENGTH = 60


@dataclass(frozen=True)
class IndicatorInput:
    """What a coordinator types for an indicator. ``target`` is in the indicator's unit
    (a percent is 0-100); ``group_targets`` maps a commune group's id to its target
    (None clears it); None leaves the group targets as they are."""

    code: str
    name: str
    measure_type: str
    comparison: str
    verification: str
    unit: str = ""
    target: Decimal | None = None
    source: str = ""
    group_targets: Mapping[int, Decimal | None] | None = field(default=None)


def target_error(measure_type: str, target: Decimal | None) -> str | None:
    """Why ``target`` cannot be the target of an indicator measured as ``measure_type``
    (negative, a percent over 100, more than 2 decimals, too large), or None."""
    if target is None:
        return None
    if not target.is_finite():
        return _("Enter a number, for example 26,7.")
    if target < 0:
        return _("It cannot be negative.")
    if measure_type == MeasureType.PERCENT and target > PERCENT_MAX:
        return _("A percentage cannot be more than 100.")
    if target > TARGET_MAX:
        return _("The number is too large.")
    if decimal_places(target.normalize()) > TARGET_DECIMAL_PLACES:
        return _("Use at most 2 decimal places.")
    return None


def code_error(code: str, criterion: Criterion) -> str | None:
    """Why ``code`` cannot name an indicator of ``criterion``: empty, not in the "2.1"
    style (:data:`CODE_PATTERN`), or not starting with the criterion's number; None
    when it is fine."""
    if not code:
        return _("Give the indicator a code, for example %(number)s.1.") % {"number": criterion.number}
    match = CODE_PATTERN.fullmatch(code)
    if match is None:
        return _(
            "Write the code as the criterion's number, a dot and a number, e.g. %(number)s.1 or %(number)s.1a."
        ) % {"number": criterion.number}
    if int(match["criterion"]) != criterion.number:
        return _(
            "An indicator of criterion %(number)s has a code starting with %(number)s, e.g. %(number)s.1."
        ) % {"number": criterion.number}
    return None


def values_count(indicator: Indicator) -> int:
    """How many assessments hold a value row of ``indicator``."""
    return IndicatorValue.objects.filter(indicator=indicator).count()


def _is_numeric(comparison: str) -> bool:
    return comparison != Comparison.ACHIEVED


def _group_target_errors(indicator_like, groups: dict, group_targets: Mapping[int, Decimal | None]) -> dict:
    """The errors of the targets typed per commune group, keyed "group-<id>"."""
    errors = {}
    numeric = _is_numeric(indicator_like.comparison) and indicator_like.measure_type != MeasureType.BOOLEAN
    for group_id, target in group_targets.items():
        group = groups.get(group_id)
        if group is None:
            errors[f"group-{group_id}"] = _("This commune group is not one of the set's groups.")
        elif target is not None and not numeric:
            message = _("This indicator is judged Đạt / Không đạt: it has no numeric target.")
            errors[f"group-{group_id}"] = f"{group.name}: {message}"
        elif message := target_error(indicator_like.measure_type, target):
            errors[f"group-{group_id}"] = f"{group.name}: {message}"
    return errors


def _write_group_targets(user, indicator: Indicator, group_targets: Mapping[int, Decimal | None]) -> int:
    """Create, change or delete the group targets of ``indicator`` that differ from
    ``group_targets``; returns how many rows changed. Checked by the caller."""
    stored = {row.commune_group_id: row for row in IndicatorGroupTarget.objects.filter(indicator=indicator)}
    created, changed, deleted = [], [], []
    for group_id, target in group_targets.items():
        row = stored.get(group_id)
        if target is None:
            if row is not None:
                deleted.append(row)
        elif row is None:
            created.append(
                IndicatorGroupTarget(indicator=indicator, commune_group_id=group_id, target=target)
            )
        elif row.target != target:
            row.target = target
            changed.append(row)
    return changes_save(
        IndicatorGroupTarget, created=created, changed=changed, fields=["target"], deleted=deleted, user=user
    )


def _set_groups(indicator: Indicator) -> dict:
    return {group.pk: group for group in indicator.criterion.criteria_set.commune_groups.all()}


@transaction.atomic
def indicator_group_targets_set(
    *, user, indicator: Indicator, group_targets: Mapping[int, Decimal | None]
) -> int:
    """Set the target of ``indicator`` for each commune group of its set:
    ``group_targets`` maps a group's id to its target (in the indicator's unit; None
    clears it, and the indicator's own target applies to that group's communes). Writes
    only what differs, with history; returns how many group targets changed.

    Raises PermissionDenied unless ``user`` is a provincial coordinator; ValidationError
    keyed "group-<id>" naming the group (a group of another set, a target for a Đạt /
    Không đạt indicator, or a bad number as for :func:`target_error`).
    """
    require_role(user, Role.COORDINATOR)
    errors = _group_target_errors(indicator, _set_groups(indicator), group_targets)
    if errors:
        raise ValidationError(errors)
    return _write_group_targets(user, indicator, group_targets)


def _clean_input(data: IndicatorInput) -> IndicatorInput:
    return IndicatorInput(
        code=clean(data.code).replace(" ", "").lower(),
        name=clean(data.name),
        measure_type=data.measure_type,
        comparison=data.comparison,
        verification=data.verification,
        unit=clean(data.unit),
        target=data.target,
        source=nfc(data.source or "").strip(),
        group_targets=data.group_targets,
    )


def _errors(criterion: Criterion, data: IndicatorInput, indicator: Indicator | None) -> dict:
    """Every error of ``data`` for an indicator of ``criterion`` (``indicator`` is the
    one being edited, or None for a new one), keyed by field."""
    errors = {}
    if message := code_error(data.code, criterion):
        errors["code"] = message
    else:
        same_code = Indicator.objects.filter(
            criterion__criteria_set_id=criterion.criteria_set_id, code=data.code
        )
        if indicator is not None:
            same_code = same_code.exclude(pk=indicator.pk)
        if same_code.exists():
            errors["code"] = _("The set already has an indicator %(code)s.") % {"code": data.code}
    if not data.name:
        errors["name"] = _("Say what the indicator measures.")
    elif len(data.name) > NAME_MAX_LENGTH:
        errors["name"] = _("Use at most %(count)s characters.") % {"count": NAME_MAX_LENGTH}
    if len(data.unit) > UNIT_MAX_LENGTH:
        errors["unit"] = _("Use at most %(count)s characters.") % {"count": UNIT_MAX_LENGTH}
    if data.measure_type not in MeasureType.values:
        errors["measure_type"] = _("Choose how the indicator is measured.")
    if data.comparison not in Comparison.values:
        errors["comparison"] = _("Choose a comparison.")
    elif data.measure_type == MeasureType.BOOLEAN and data.comparison != Comparison.ACHIEVED:
        errors["comparison"] = _(
            "An indicator measured as achieved / not achieved is judged Đạt / Không đạt."
        )
    if data.verification not in Verification.values:
        errors["verification"] = _("Choose how sure the indicator is.")
    if data.target is not None and (
        data.comparison == Comparison.ACHIEVED or data.measure_type == MeasureType.BOOLEAN
    ):
        errors["target"] = _("This indicator is judged Đạt / Không đạt: it has no numeric target.")
    elif message := target_error(data.measure_type, data.target):
        errors["target"] = message
    if indicator is not None and "measure_type" not in errors and "comparison" not in errors:
        errors.update(_used_indicator_errors(indicator, data))
    if data.group_targets and not errors.keys() & {"measure_type", "comparison"}:
        groups = {group.pk: group for group in criterion.criteria_set.commune_groups.all()}
        errors.update(_group_target_errors(data, groups, data.group_targets))
    return errors


def _used_indicator_errors(indicator: Indicator, data: IndicatorInput) -> dict:
    """What an edit may not change once assessments hold values of the indicator."""
    changes_kind = data.measure_type != indicator.measure_type
    changes_judgement = _is_numeric(data.comparison) != _is_numeric(indicator.comparison)
    if not (changes_kind or changes_judgement):
        return {}
    count = values_count(indicator)
    if not count:
        return {}
    explain = _(
        "Indicator %(code)s already has values in %(count)s assessments: changing it would change "
        "what those values mean. Keep it, and add a new indicator instead."
    ) % {"code": indicator.code, "count": count}
    return {"measure_type" if changes_kind else "comparison": explain}


_FIELDS = ["code", "name", "measure_type", "unit", "comparison", "target", "verification", "source"]


@transaction.atomic
def indicator_create(*, user, criterion: Criterion, data: IndicatorInput) -> Indicator:
    """Add an indicator to ``criterion`` (after its last one), with its targets by commune
    group when ``data.group_targets`` gives them.

    ``data.code`` is unique in the set and starts with the criterion's number ("2.1",
    "5", "17.1a"); a Đạt / Không đạt indicator (measure "achieved / not achieved", or the
    comparison "achieved") has no numeric target; a numeric one with no target yet is
    judged by the appraiser until a coordinator sets it (:mod:`criteria.evaluation`).

    Raises PermissionDenied unless ``user`` is a provincial coordinator; ValidationError
    keyed by field ("code", "name", "unit", "measure_type", "comparison", "target",
    "verification", "group-<id>").
    """
    require_role(user, Role.COORDINATOR)
    data = _clean_input(data)
    if errors := _errors(criterion, data, None):
        raise ValidationError(errors)
    last = criterion.indicators.aggregate(last=Max("position"))["last"] or 0
    indicator = Indicator(
        criterion=criterion, position=last + 1, **{name: getattr(data, name) for name in _FIELDS}
    )
    indicator._history_user = user
    indicator.save()
    if data.group_targets:
        _write_group_targets(user, indicator, data.group_targets)
    return indicator


@transaction.atomic
def indicator_update(*, user, indicator: Indicator, data: IndicatorInput) -> Indicator:
    """Change ``indicator`` to ``data`` (the same rules as :func:`indicator_create`), and
    its targets by commune group when ``data.group_targets`` gives them. Once it becomes
    Đạt / Không đạt its group targets are removed. A save that changes nothing writes
    nothing.

    Raises as :func:`indicator_create`, and ValidationError on "measure_type" or
    "comparison" when assessments hold values of the indicator and the edit would change
    its measure type or switch it between Đạt / Không đạt and a numeric comparison
    (saying how many assessments and what to do instead).
    """
    require_role(user, Role.COORDINATOR)
    indicator = (
        Indicator.objects.select_for_update().select_related("criterion__criteria_set").get(pk=indicator.pk)
    )
    data = _clean_input(data)
    if errors := _errors(indicator.criterion, data, indicator):
        raise ValidationError(errors)
    changed = [name for name in _FIELDS if getattr(indicator, name) != getattr(data, name)]
    for name in changed:
        setattr(indicator, name, getattr(data, name))
    if changed:
        indicator._history_user = user
        indicator.save(update_fields=changed)
    if not _is_numeric(indicator.comparison):
        _write_group_targets(
            user, indicator, dict.fromkeys(indicator.group_targets.values_list("commune_group_id", flat=True))
        )
    elif data.group_targets:
        _write_group_targets(user, indicator, data.group_targets)
    return indicator


@transaction.atomic
def indicator_delete(*, user, indicator: Indicator) -> None:
    """Delete ``indicator`` and its group targets (the history keeps them).

    Raises PermissionDenied unless ``user`` is a provincial coordinator; ValidationError
    (not keyed) when assessments hold values of it, saying how many.
    """
    require_role(user, Role.COORDINATOR)
    if count := values_count(indicator):
        raise ValidationError(
            _(
                "Indicator %(code)s has values in %(count)s assessments, so it cannot be deleted: "
                "those assessments would lose them."
            )
            % {"code": indicator.code, "count": count}
        )
    for row in indicator.group_targets.all():
        row._history_user = user
        row.delete()
    indicator._history_user = user
    indicator.delete()
