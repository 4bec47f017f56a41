"""Uploads of Excel criteria reports: receive and analyse a file (nothing written but the
upload's own record), then, once the uploader confirms, write each commune through the
same services as the web form.

**What goes in.** A file that is not a readable template of the portal, was made for
another template version or structure, or names a unit outside the uploader's change
scope is refused whole (:class:`~criteria.spreadsheet.SpreadsheetRefused`, nothing
stored). Otherwise every row is judged on its own: a commune with any error (an unknown
code, a commune outside the uploader's area or outside the template's unit, a repeated
row, a value of the wrong type or out of range, an assessment that is submitted, approved
or in a locked period) is not changed, and the others go in once the uploader confirms
the preview. The page always says which communes went in and which did not; when none
would change it says that nothing will be imported and offers no confirmation.

**How it goes in.** A commune with no assessment gets a new draft
(:func:`~criteria.services.assessments.assessment_create`); a draft or returned one is updated in
its state, as the web form does (:func:`~criteria.services.assessments.assessment_update_values`:
validation, evaluation, optimistic lock, history naming the uploader). Each commune is
written in its own transaction together with its line in the upload's outcome, so a
commune is never half written and a repeated confirmation (or a redelivered Celery
message) never writes it twice. The version read at analysis is the one the write must
find: a commune someone changed after the preview is refused with what changed.

**Large uploads.** More than :data:`APPLY_IN_REQUEST_MAX` communes to write are written
by the Celery task ``criteria.tasks.apply_report_upload`` (queued on commit), whose
progress the page shows; smaller ones in the request.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scope import unit_scope
from communes.models import AdministrativeUnit
from core.text import fold
from criteria import evaluation
from criteria.models import (
    Assessment,
    CriteriaSet,
    Indicator,
    ReportingPeriod,
    ReportUpload,
    UploadStatus,
)
from criteria.report_workbook import Layout, RowValues, read_meta, read_rows, shown
from criteria.report_workbook import not_a_template as _not_a_template
from criteria.selectors.reports import is_writable, report_assessments, report_layout, set_indicators
from criteria.services.assessments import (
    OutOfScope,
    StaleAssessment,
    ValueInput,
    WorkflowRefused,
    acting_roles,
    assessment_create,
    assessment_update_values,
    changes_after,
    incomplete_set_refusal,
    indicator_target,
    period_lock_refusal,
    refusal_reason,
    validate_value,
)
from criteria.spreadsheet import MAX_ROWS, SpreadsheetRefused, located, open_workbook
from criteria.workflow import Action, allowed_actions

APPLY_IN_REQUEST_MAX = 10
FRESH_VERSION = 1  # an assessment just opened, nothing entered yet
STORED_PLACES = Decimal("0.0001")  # IndicatorValue.number: 14 digits, 4 after the point
STORED_LIMIT = Decimal("1e10")


@dataclass(frozen=True)
class _Target:
    unit: AdministrativeUnit
    period: ReportingPeriod
    criteria_set: CriteriaSet


def upload_receive(*, user, data: bytes, filename: str) -> ReportUpload:
    """Read an uploaded template and store it with its preview (status READY, or NOTHING
    when no commune would change); nothing else is written. Raises SpreadsheetRefused (the message names the file and what to
    do) for a file refused whole; then nothing is stored at all."""
    workbook = open_workbook(data, filename=filename)
    try:
        meta = read_meta(workbook, filename=filename)
        target = _target(user, meta, filename)
        if refusal := incomplete_set_refusal(target.criteria_set):
            raise SpreadsheetRefused(refusal)
        indicators = set_indicators(target.criteria_set)
        layout = report_layout(
            unit=target.unit, period=target.period, criteria_set=target.criteria_set, indicators=indicators
        )
        rows = read_rows(workbook, meta, layout, filename=filename, max_rows=MAX_ROWS)
    finally:
        workbook.close()
    preview = _preview(user, target, layout, {i.pk: i for i in indicators}, rows, meta.versions)
    to_write = sum(1 for entry in preview if is_writable(entry))
    return ReportUpload.objects.create(
        uploaded_by=user,
        filename=filename[:255],
        data=data,
        unit=target.unit,
        period=target.period,
        criteria_set=target.criteria_set,
        status=UploadStatus.READY if to_write else UploadStatus.NOTHING,
        preview=preview,
        progress_total=to_write,
    )


def _target(user, meta, filename: str) -> _Target:
    """The unit, period and set the template names, the unit inside the change scope."""
    unit = AdministrativeUnit.objects.filter(pk=meta.unit_id, code=meta.unit_code).first()
    period = ReportingPeriod.objects.filter(code=meta.period_code).first()
    criteria_set = CriteriaSet.objects.filter(code=meta.criteria_set_code).first()
    if unit is None or period is None or criteria_set is None:
        raise SpreadsheetRefused(_not_a_template(filename))
    if not unit_scope(user, for_change=True).filter(pk=unit.pk).exists():
        raise SpreadsheetRefused(
            _(
                "The file “%(name)s” is the template of %(unit)s, which is outside your area. Download the "
                "template of your own district."
            )
            % {"name": filename, "unit": unit.name}
        )
    return _Target(unit=unit, period=period, criteria_set=criteria_set)


def _preview(
    user,
    target: _Target,
    layout: Layout,
    indicators: dict[int, Indicator],
    rows: list[RowValues],
    downloaded: dict[int, int],
):
    """One entry per row (JSON-ready): the commune, its errors, and the changes it would
    get with the criteria met before and after. ``downloaded`` maps a commune's unit id to
    its assessment's version when the template was made."""
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
            number = value.quantize(STORED_PLACES, rounding=ROUND_HALF_UP)
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


def _other_communes(user, target: _Target, codes: set[str]) -> dict[str, str]:
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


# --- Confirmation ------------------------------------------------------------------------------


def upload_confirm(*, user, upload: ReportUpload) -> ReportUpload:
    """Start writing a READY upload, once: the claim is a conditional UPDATE, so a double
    click or two tabs start it once. Small uploads are written now; large ones by a Celery
    task queued on commit. Raises WorkflowRefused when the upload is not READY or has
    nothing to import."""
    if upload.progress_total == 0:
        raise WorkflowRefused(_("Nothing in this file can be imported, so there is nothing to confirm."))
    claimed = ReportUpload.objects.filter(pk=upload.pk, status=UploadStatus.READY).update(
        status=UploadStatus.APPLYING, confirmed_at=timezone.now()
    )
    if claimed != 1:
        if ReportUpload.objects.filter(pk=upload.pk, status=UploadStatus.CANCELLED).exists():
            raise WorkflowRefused(_("This upload was cancelled; upload the file again to import it."))
        raise WorkflowRefused(_("This file has already been confirmed."))
    if upload.progress_total <= APPLY_IN_REQUEST_MAX:
        upload_apply(upload_id=upload.pk)
    else:
        from criteria.tasks import apply_report_upload

        transaction.on_commit(lambda: apply_report_upload.delay(upload.pk))
    upload.refresh_from_db()
    return upload


def upload_cancel(*, user, upload: ReportUpload) -> None:
    """Cancel a READY upload: it can no longer be confirmed. Raises WorkflowRefused when it
    was confirmed already (or has nothing to import)."""
    cancelled = ReportUpload.objects.filter(pk=upload.pk, status=UploadStatus.READY).update(
        status=UploadStatus.CANCELLED, finished_at=timezone.now()
    )
    if cancelled != 1:
        raise WorkflowRefused(_("Only an upload waiting for confirmation can be cancelled."))


def upload_apply(*, upload_id: int) -> None:
    """Write every commune of an APPLYING upload that is not written yet; safe to run
    twice (communes already in ``outcome`` are skipped)."""
    upload = ReportUpload.objects.select_related("uploaded_by", "period", "criteria_set").get(pk=upload_id)
    if upload.status != UploadStatus.APPLYING:
        return
    outcome = dict(upload.outcome)
    for entry in upload.preview:
        if not is_writable(entry) or str(entry["unit_id"]) in outcome:
            continue
        key = str(entry["unit_id"])
        try:
            with transaction.atomic():
                changed = _apply_entry(upload, entry)
                outcome[key] = {"status": "imported", "changed": changed}
                _record(upload.pk, outcome)
        except StaleAssessment:
            outcome[key] = {"status": "refused", "message": _changed_since_preview(entry)}
            _record(upload.pk, outcome)
        except (WorkflowRefused, OutOfScope, ValidationError) as error:
            outcome[key] = {"status": "refused", "message": _message(error, entry)}
            _record(upload.pk, outcome)
    ReportUpload.objects.filter(pk=upload.pk).update(status=UploadStatus.APPLIED, finished_at=timezone.now())


def _apply_entry(upload: ReportUpload, entry: dict) -> int:
    user = upload.uploaded_by
    if entry["assessment_id"]:
        assessment = Assessment.objects.select_related("period").get(pk=entry["assessment_id"])
        version = entry["version"]
    else:
        commune = AdministrativeUnit.objects.get(pk=entry["unit_id"])
        assessment = assessment_create(
            user=user, commune=commune, period=upload.period, criteria_set=upload.criteria_set
        )
        version = assessment.version
    evidence = dict(assessment.values.values_list("indicator_id", "evidence"))
    values = {
        change["indicator_id"]: ValueInput(
            number=None if change["number"] is None else Decimal(change["number"]),
            achieved=change["achieved"],
            evidence=evidence.get(change["indicator_id"], ""),
        )
        for change in entry["changes"]
    }
    assessment_update_values(user=user, assessment=assessment, version=version, values=values)
    return len(values)


def _changed_since_preview(entry: dict) -> str:
    assessment = Assessment.objects.get(pk=entry["assessment_id"])
    who, changes = changes_after(assessment=assessment, version=entry["version"])
    message = _("%(commune)s was changed on the portal after the preview (by %(who)s).") % {
        "commune": entry["name"],
        "who": who,
    }
    if changes:
        message += " " + _("Changed meanwhile: %(changes)s.") % {"changes": "; ".join(changes)}
    return message + " " + _("Upload the file again to see the new preview.")


def _record(upload_pk: int, outcome: dict) -> None:
    ReportUpload.objects.filter(pk=upload_pk).update(outcome=outcome, progress_done=F("progress_done") + 1)


def _message(error: Exception, entry: dict) -> str:
    if isinstance(error, OutOfScope):
        text = _("outside your area.")
    elif isinstance(error, ValidationError):
        text = " ".join(error.messages)
    else:
        text = str(error)
    return f"{entry['name']}: {text}"
