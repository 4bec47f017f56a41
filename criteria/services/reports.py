"""Uploads of Excel criteria reports: receive and analyse a file (nothing written but the
upload's own record), then, once the uploader confirms, write each commune through the
same services as the web form. Only commune and district officers and provincial coordinators upload
(:data:`REPORTERS_ONLY`); an upload is confirmed or cancelled by its uploader alone.

**What goes in.** A file that is not a readable template of the portal, was made for
another template version or structure, or names a unit outside the uploader's change
scope is refused whole (:class:`~criteria.spreadsheet.SpreadsheetRefused`, nothing
stored). Otherwise every row is judged on its own
(:mod:`criteria.services.report_preview`): a commune with any error (an unknown
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

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import require_role
from accounts.scope import unit_scope
from communes.models import AdministrativeUnit
from core.exceptions import OutOfScope
from criteria.models import (
    Assessment,
    CriteriaSet,
    ReportingPeriod,
    ReportUpload,
    UploadStatus,
)
from criteria.report_reading import not_a_template, read_meta, read_rows
from criteria.selectors.reports import is_writable, report_layout, set_indicators
from criteria.services.assessments import (
    STARTING_ROLES,
    StaleAssessment,
    ValueInput,
    WorkflowRefused,
    assessment_create,
    assessment_update_values,
    changes_after,
    incomplete_set_refusal,
)
from criteria.services.report_preview import UploadTarget, upload_preview
from criteria.spreadsheet import MAX_ROWS, SpreadsheetRefused, open_workbook

APPLY_IN_REQUEST_MAX = 10
REPORTERS_ONLY = gettext_lazy(
    "Only commune officers, district officers and provincial coordinators upload criteria reports."
)


def upload_receive(*, user, data: bytes, filename: str) -> ReportUpload:
    """Read an uploaded template and store it with its preview (status READY, or NOTHING
    when no commune would change); nothing else is written. Raises PermissionDenied
    (:data:`REPORTERS_ONLY`) unless ``user`` is a commune or district officer or a coordinator, and
    SpreadsheetRefused (the message names the file and what to do) for a file refused
    whole, a template of a unit outside the user's change scope included; then nothing is
    stored at all."""
    require_role(user, *STARTING_ROLES, message=REPORTERS_ONLY)
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
    preview = upload_preview(
        user=user,
        target=target,
        layout=layout,
        indicators={i.pk: i for i in indicators},
        rows=rows,
        downloaded=meta.versions,
    )
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


def _target(user, meta, filename: str) -> UploadTarget:
    """The unit, period and set the template names, the unit inside the change scope."""
    unit = AdministrativeUnit.objects.filter(pk=meta.unit_id, code=meta.unit_code).first()
    period = ReportingPeriod.objects.filter(code=meta.period_code).first()
    criteria_set = CriteriaSet.objects.filter(code=meta.criteria_set_code).first()
    if unit is None or period is None or criteria_set is None:
        raise SpreadsheetRefused(not_a_template(filename))
    if not unit_scope(user, for_change=True).filter(pk=unit.pk).exists():
        raise SpreadsheetRefused(
            _(
                "The file “%(name)s” is the template of %(unit)s, which is outside your area. Download the "
                "template of your own district."
            )
            % {"name": filename, "unit": unit.name}
        )
    return UploadTarget(unit=unit, period=period, criteria_set=criteria_set)


# --- Confirmation ------------------------------------------------------------------------------


def _require_uploader(user, upload: ReportUpload) -> None:
    if upload.uploaded_by_id != user.pk:
        raise OutOfScope


def upload_confirm(*, user, upload: ReportUpload) -> ReportUpload:
    """Start writing a READY upload, once: the claim is a conditional UPDATE, so a double
    click or two tabs start it once. Small uploads are written now; large ones by a Celery
    task queued on commit. Raises :class:`~core.exceptions.OutOfScope` unless ``user``
    sent the upload (an upload is its uploader's alone), WorkflowRefused when it is not
    READY or has nothing to import."""
    _require_uploader(user, upload)
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
    """Cancel a READY upload: it can no longer be confirmed. Raises
    :class:`~core.exceptions.OutOfScope` unless ``user`` sent it, WorkflowRefused when it
    was confirmed already (or has nothing to import)."""
    _require_uploader(user, upload)
    cancelled = ReportUpload.objects.filter(pk=upload.pk, status=UploadStatus.READY).update(
        status=UploadStatus.CANCELLED, finished_at=timezone.now()
    )
    if cancelled != 1:
        raise WorkflowRefused(_("Only an upload waiting for confirmation can be cancelled."))


def upload_apply(*, upload_id: int) -> None:
    """Write every commune of an APPLYING upload that is not written yet; safe to run
    twice (communes already in ``outcome`` are skipped). It acts as the uploader: each
    commune goes through the assessment services, which check the uploader's scope and
    the workflow again (a commune refused there is recorded as refused)."""
    upload = ReportUpload.objects.select_related("uploaded_by", "period", "criteria_set").get(pk=upload_id)
    if upload.status != UploadStatus.APPLYING:
        return
    outcome = dict(upload.outcome)
    for entry in upload.preview:
        key = str(entry["unit_id"])
        if not is_writable(entry) or key in outcome:
            continue

        def record(result: dict, key: str = key) -> None:
            outcome[key] = result
            _record(upload.pk, outcome)

        apply_preview_entry(
            user=upload.uploaded_by,
            period=upload.period,
            criteria_set=upload.criteria_set,
            entry=entry,
            record=record,
        )
    ReportUpload.objects.filter(pk=upload.pk).update(status=UploadStatus.APPLIED, finished_at=timezone.now())


def apply_preview_entry(
    *, user, period: ReportingPeriod, criteria_set: CriteriaSet, entry: dict, record=None
) -> dict:
    """Write one preview entry that :func:`~criteria.selectors.reports.is_writable` (a new
    draft where the commune has none, then its changed values at the version the preview
    read) in its own transaction, as ``user``, through the assessment services (which
    check the scope and the workflow again). Answers the commune's outcome:
    ``{"status": "imported", "changed": <values written>}`` or ``{"status": "refused",
    "message": <why, naming the commune>}``. ``record(outcome)``, when given, runs inside
    the write's transaction when it succeeds (an upload stores its outcome line with the
    commune's values, so a repeated run never writes it twice), after it when refused.
    Used by :func:`upload_apply` and by the REST API's bulk values."""
    try:
        with transaction.atomic():
            outcome = {"status": "imported", "changed": _apply_entry(user, period, criteria_set, entry)}
            if record is not None:
                record(outcome)
            return outcome
    except StaleAssessment:
        outcome = {"status": "refused", "message": _changed_since_preview(entry)}
    except (WorkflowRefused, OutOfScope, ValidationError) as error:
        outcome = {"status": "refused", "message": _message(error, entry)}
    if record is not None:
        record(outcome)
    return outcome


def _apply_entry(user, period: ReportingPeriod, criteria_set: CriteriaSet, entry: dict) -> int:
    if entry["assessment_id"]:
        assessment = Assessment.objects.select_related("period").get(pk=entry["assessment_id"])
        version = entry["version"]
    else:
        commune = AdministrativeUnit.objects.get(pk=entry["unit_id"])
        assessment = assessment_create(user=user, commune=commune, period=period, criteria_set=criteria_set)
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
