"""The preview of an uploaded Excel criteria report: per commune row, what the upload
would change (old -> new), the criteria met after, or why the commune cannot change.
Nothing is written here: :func:`criteria.services.reports.upload_receive` stores the
preview with the upload, and :func:`~criteria.services.reports.upload_apply` writes what
it says once the uploader confirms.

A row is refused (its errors say why, naming sheet, row, column and commune) for an
unknown code, a commune outside the uploader's area or outside the template's unit, a
name in column B that is not the code's commune, a repeated row, a value of the wrong
type or out of range, an assessment the workflow table does not let the uploader edit
now (submitted, approved, a locked period), or an assessment changed on the portal after
the template was downloaded. A row that changes nothing is never refused.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scope import unit_scope
from communes.models import AdministrativeUnit
from core.text import fold
from criteria import evaluation
from criteria.models import CriteriaSet, Indicator, ReportingPeriod
from criteria.report_reading import RowValues, shown
from criteria.report_workbook import Layout
from criteria.selectors.reports import is_writable, report_assessments
from criteria.services.assessments import (
    ValueInput,
    acting_roles,
    changes_after,
    indicator_target,
    period_lock_refusal,
    refusal_reason,
    validate_value,
)
from criteria.spreadsheet import located
from criteria.workflow import Action, allowed_actions

FRESH_VERSION = 1  # an assessment just opened, nothing entered yet
STORED_PLACES = Decimal("0.0001")  # IndicatorValue.number: 14 digits, 4 after the point
STORED_LIMIT = Decimal("1e10")


@dataclass(frozen=True)
class UploadTarget:
    """The unit (district or province), period and criteria set a template was made for."""

    unit: AdministrativeUnit
    period: ReportingPeriod
    criteria_set: CriteriaSet


def upload_preview(
    *,
    user,
    target: UploadTarget,
    layout: Layout,
    indicators: dict[int, Indicator],
    rows: list[RowValues],
    downloaded: dict[int, int],
) -> list[dict]:
    """One entry per row of ``rows`` (JSON-ready dicts, in the rows' order): the row, the
    commune's code, name and unit id, its errors, the changes it would get (indicator,
    old and new as shown, the new number as a string and the new Đạt / Không đạt), its
    assessment's id, version and state, and the criteria met before and after.
    ``indicators`` are the set's indicators by id; ``downloaded`` maps a commune's unit id
    to its assessment's version when the template was made. Reads only."""
    by_code = {commune.code: commune for commune in layout.communes}
    others = _other_communes(user, target, {row.code for row in rows} - set(by_code))
    assessments = report_assessments(
        unit_ids=[commune.unit_id for commune in layout.communes],
        period=target.period,
        criteria_set=target.criteria_set,
    )
    lock_refusal = period_lock_refusal(user, target.period)
    roles = acting_roles(user)
    columns = {column.key: (index, column) for index, column in enumerate(layout.columns)}
    rows_of: dict[str, list[int]] = {}
    for row in rows:
        rows_of.setdefault(row.code, []).append(row.row)
    entries = []
    for row in rows:
        commune = by_code.get(row.code)
        entry = {
            "row": row.row,
            "code": row.code,
            "name": commune.name if commune else row.name,
            "unit_id": commune.unit_id if commune else None,
            "errors": list(row.errors),
            "changes": [],
            "assessment_id": None,
            "version": None,
            "state": "",
            "met_before": None,
            "met_after": None,
            "total": None,
        }
        entries.append(entry)
        where = f"{layout.data_sheet}, " + _("row %(row)s") % {"row": row.row}
        if not row.code:
            continue
        if commune is None:
            entry["errors"].insert(0, f"{where}: {others.get(row.code) or _unknown(row.code, layout)}")
            entry["state"] = _("Unknown code")
            continue
        if row.name and not _same_commune(row.name, commune.name):
            entry["errors"].insert(
                0,
                f"{where}: "
                + _(
                    "the code %(code)s in column A is %(commune)s, but column B says “%(typed)s”. Correct the code "
                    "or the name; the commune is not changed."
                )
                % {"code": row.code, "commune": commune.name, "typed": row.name},
            )
            continue
        if len(rows_of[row.code]) > 1:
            entry["errors"].insert(
                0,
                f"{where}: "
                + _("%(commune)s is in rows %(rows)s; keep one row per commune. The commune is not changed.")
                % {"commune": commune.name, "rows": ", ".join(map(str, rows_of[row.code]))},
            )
            continue
        assessment = assessments.get(commune.unit_id)
        merged = _merge(layout, assessment, row, indicators, columns, entry)
        if assessment is not None:
            entry.update(
                assessment_id=assessment.pk,
                version=assessment.version,
                state=assessment.get_status_display(),
                met_before=assessment.criteria_met,
            )
        if entry["changes"]:  # a row that changes nothing is never refused
            refusal = _refusal(user, roles, assessment, lock_refusal) or _changed_since_download(
                assessment, downloaded.get(commune.unit_id)
            )
            if refusal:
                entry["errors"].insert(0, f"{where}, {commune.name}: {refusal}")
            if assessment is None:
                entry["state"] = _("New draft")
        if is_writable(entry):
            _evaluate(entry, merged, indicators, assessment)
    return entries


def _same_commune(typed: str, name: str) -> bool:
    """Whether column B names the commune of the code: "Xã Phúc Lương", "Phúc Lương" and
    "xa phuc luong" all name Xã Phúc Lương."""
    typed, name = fold(typed), fold(name)
    return typed == name or typed.removeprefix("xa ") == name.removeprefix("xa ")


def _changed_since_download(assessment, downloaded: int | None) -> str | None:
    """Why a row is refused because its commune's assessment changed on the portal after
    the template was made (the template's values would silently undo the change): the
    version then (none, counted as the version a new empty assessment has) is not the
    version now."""
    if assessment is None or assessment.version == (downloaded or FRESH_VERSION):
        return None
    who, changes = changes_after(assessment=assessment, version=downloaded or FRESH_VERSION)
    message = _(
        "the assessment was changed on the portal after this template was downloaded (by %(who)s)."
    ) % {"who": who}
    if changes:
        message += " " + _("Changed meanwhile: %(changes)s.") % {"changes": "; ".join(changes)}
    return message + " " + _("Download a new template and enter your figures again.")


def _refusal(user, roles, assessment, lock_refusal: str | None) -> str | None:
    """Why the workflow table refuses a change: the assessment is not editable by the
    user's ``roles`` now (submitted, approved, locked), or, with no assessment yet, the
    period is locked. The scope was checked once for the template's unit."""
    if assessment is None:
        return lock_refusal
    locked = assessment.period.is_locked_on(timezone.localdate())
    if Action.EDIT not in allowed_actions(assessment.status, roles, locked=locked):
        return refusal_reason(user=user, assessment=assessment, action=Action.EDIT)
    return None


def _merge(layout, assessment, row: RowValues, indicators, columns, entry) -> dict[int, tuple]:
    """The values after the upload, by indicator id: (number, achieved). Adds each changed
    indicator to ``entry["changes"]`` and each invalid value to its errors."""
    stored = assessment.stored if assessment is not None else {}
    merged = {pk: (value.number, value.achieved) for pk, value in stored.items()}
    for key, value in row.values.items():
        index, column = columns[key]
        indicator = indicators[column.indicator_id]
        number, achieved = merged.get(indicator.pk, (None, None))
        if column.field.is_mark:
            achieved = value
        else:
            # A value too large to store is not rounded: 1e40 has more digits than the
            # decimal context holds, and quantize() would raise.
            number = (
                value if abs(value) >= STORED_LIMIT else value.quantize(STORED_PLACES, rounding=ROUND_HALF_UP)
            )
            message = validate_value(indicator, ValueInput(number=number))
            if message is None and abs(number) >= STORED_LIMIT:
                message = _("The value is too large.")
            if message:
                entry["errors"].append(
                    located(
                        layout.data_sheet, row.row, 3 + index, f"{entry['name']}, {indicator.code}: {message}"
                    )
                )
                continue
        merged[indicator.pk] = (number, achieved)
    for pk, (number, achieved) in merged.items():
        old = stored.get(pk)
        old_pair = (old.number, old.achieved) if old is not None else (None, None)
        if (number, achieved) != old_pair:
            indicator = indicators[pk]
            entry["changes"].append(
                {
                    "indicator_id": pk,
                    "code": indicator.code,
                    "name": indicator.name,
                    "old": _pair_shown(old_pair),
                    "new": _pair_shown((number, achieved)),
                    "number": None if number is None else str(number),
                    "achieved": achieved,
                }
            )
    return merged


def _pair_shown(pair: tuple) -> str:
    number, achieved = pair
    if number is not None and achieved is not None:
        return f"{shown(number)} · {shown(achieved)}"
    return shown(achieved if number is None else number)


def _evaluate(entry, merged, indicators: dict[int, Indicator], assessment) -> None:
    """Criteria met after the change, as :func:`criteria.services.assessments.recompute` counts them."""
    by_criterion: dict[int, list] = {}
    for indicator in indicators.values():
        number, achieved = merged.get(indicator.pk, (None, None))
        target = indicator_target(indicator, assessment) if assessment is not None else indicator.target
        outcome = evaluation.evaluate_indicator(
            comparison=indicator.comparison, target=target, number=number, achieved=achieved
        )
        by_criterion.setdefault(indicator.criterion_id, []).append(outcome)
    summary = evaluation.summarize(evaluation.criterion_met(outcomes) for outcomes in by_criterion.values())
    entry.update(met_after=summary.met, total=summary.total, meets_after=summary.meets_standard)


def _other_communes(user, target: UploadTarget, codes: set[str]) -> dict[str, str]:
    """For codes not in the template: why, by code (outside the user's area, or a commune
    of the area that is not under the template's unit)."""
    if not codes:
        return {}
    changeable = set(unit_scope(user, for_change=True).values_list("pk", flat=True))
    found = AdministrativeUnit.objects.assessed().valid_on(target.period.end).filter(code__in=codes)
    reasons = {}
    for unit in found:
        if unit.pk not in changeable:
            reasons[unit.code] = _("%(commune)s (code %(code)s) is outside your area.") % {
                "commune": unit.name,
                "code": unit.code,
            }
        else:
            reasons[unit.code] = _(
                "%(commune)s (code %(code)s) is not in %(unit)s, the unit of this template."
            ) % {
                "commune": unit.name,
                "code": unit.code,
                "unit": target.unit.name,
            }
    return reasons


def _unknown(code: str, layout: Layout) -> str:
    return _("no commune of %(unit)s has the code “%(code)s” (column A).") % {
        "unit": layout.unit_name,
        "code": code,
    }
