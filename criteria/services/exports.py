"""The summary workbook, built in the request or in the background with a progress bar.

**What it holds.** :func:`summary_export` reads the overview's figures and the approved
assessments of a period under a set, in what the user may read
(:func:`accounts.scope.unit_scope`), optionally narrowed to one unit's subtree, and
writes the workbook of :mod:`criteria.exports.summary`. The synchronous download
(``/criteria/exports/summary.xlsx``) and the background job call this same function, so
their figures are the same.

**Who.** Everyone signed in may export what they may read: a leader or a coordinator the
province, a district officer their district, a commune officer their commune. Exporting
changes no data, so read-only roles (leaders) export too. A unit outside the user's
scope is :class:`~core.exceptions.OutOfScope` (404). A job is seen by the user who asked
for it, and by coordinators.

**How a job runs.** :func:`export_job_start` records an :class:`~criteria.models.ExportJob`
(QUEUED) and queues the Celery task ``criteria.tasks.build_summary_export`` on commit; in
the embedded portal (no broker, ``CELERY_TASK_ALWAYS_EAGER``) it runs in the request right
after the commit, elsewhere on a worker. :func:`export_job_run` claims the job with a
conditional update (QUEUED, or RUNNING for longer than :data:`STALE_AFTER` after a lost
worker, to RUNNING), so a redelivered message builds it once; it moves ``progress``
(percent) after each step and each sheet, then stores the file (DONE, 100). Any error
marks the job FAILED with a message for people in the job's language; nothing is raised,
so no page answers 500.

**How long files stay.** A job and its file are deleted :data:`KEEP_FOR` (24 hours) after
they were asked for, by :func:`export_jobs_purge`, which every run of the task calls when
it has finished (and which ``criteria.tasks.purge_export_jobs`` runs alone, for a beat
schedule if one is wanted). So a file lives at least 24 hours, and until the next export
after that.
"""

import datetime
import logging
from collections.abc import Callable

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.scope import unit_scope
from communes.models import AdministrativeUnit
from core.exceptions import OutOfScope
from criteria.exports.summary import SUMMARY_SHEETS, summary_filename, summary_workbook
from criteria.models import CriteriaSet, ExportJob, ExportKind, ExportState, ReportingPeriod
from criteria.selectors.exports import assessment_export
from criteria.selectors.overview import province_overview

logger = logging.getLogger(__name__)

KEEP_FOR = datetime.timedelta(hours=24)
STALE_AFTER = datetime.timedelta(minutes=15)

# Progress (percent) after each step of a summary job: claimed, figures read, communes
# read, then each sheet up to SHEETS_WRITTEN; 100 once the file is stored.
CLAIMED, FIGURES_READ, COMMUNES_READ, SHEETS_WRITTEN = 5, 25, 45, 85
SHEET_STEP = (SHEETS_WRITTEN - COMMUNES_READ) // SUMMARY_SHEETS


def export_scope_name(user, unit: AdministrativeUnit | None = None) -> str:
    """The name of the area an export covers: ``unit``'s ("Xã Phúc Lương") when the
    export is narrowed to it, else the user's scope ("Huyện Đại Từ"), or "All
    administrative units" for a superuser or a user without an agency."""
    if unit is not None:
        return unit.name
    agency = getattr(user, "agency", None)
    if user.is_superuser or agency is None:
        return _("All administrative units")
    return agency.scope.name


def summary_export(
    *,
    user,
    period: ReportingPeriod,
    criteria_set: CriteriaSet,
    unit: AdministrativeUnit | None = None,
    progress: Callable[[int], None] | None = None,
) -> bytes:
    """The summary workbook (.xlsx bytes, in the active language) of ``period`` under
    ``criteria_set`` for what ``user`` may read, narrowed to ``unit``'s subtree when given
    (a unit outside the user's scope gives an empty workbook: the caller checks the unit
    first, see :func:`export_job_start`). Writes nothing. ``progress(percent)``, when
    given, is called after each read and each sheet (percent 25 to 85). A fixed number of
    queries (13 today: the scope, the overview's and the export's), whatever the number of
    communes."""
    visible = unit_scope(user)
    if unit is not None:
        visible = visible.within(unit)
    overview = province_overview(visible=visible, period=period, criteria_set=criteria_set)
    if progress is not None:
        progress(FIGURES_READ)
    communes = assessment_export(
        visible=visible, period=period, criteria_set=criteria_set, approved_only=True, with_values=False
    )
    if progress is not None:
        progress(COMMUNES_READ)
    return summary_workbook(
        overview,
        communes,
        scope_name=export_scope_name(user, unit),
        generated_on=timezone.localdate(),
        progress=None if progress is None else (lambda sheets: progress(COMMUNES_READ + SHEET_STEP * sheets)),
    )


def export_job_start(
    *,
    user,
    period: ReportingPeriod,
    criteria_set: CriteriaSet,
    unit: AdministrativeUnit | None = None,
) -> ExportJob:
    """Ask for the summary workbook of ``period`` under ``criteria_set`` (narrowed to
    ``unit`` when given) to be built in the background; answers the job (QUEUED, or
    already finished in the embedded portal, where the task runs on commit in the same
    process). A job of the same user and selection still waiting or running is answered
    instead of a second one (a double click starts one). Raises
    :class:`~core.exceptions.OutOfScope` when ``unit`` lies outside what ``user`` may
    read. Any signed-in user may ask: exporting changes no data."""
    if unit is not None and not unit_scope(user).filter(pk=unit.pk).exists():
        raise OutOfScope
    language = translation.get_language() or settings.LANGUAGE_CODE
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    selection = {
        "kind": ExportKind.SUMMARY,
        "requested_by": user,
        "period": period,
        "criteria_set": criteria_set,
        "unit": unit,
        "language": language,
    }
    with transaction.atomic():
        waiting = (
            ExportJob.objects.filter(
                **selection,
                state__in=[ExportState.QUEUED, ExportState.RUNNING],
                requested_at__gte=timezone.now() - STALE_AFTER,
            )
            .order_by("-requested_at")
            .first()
        )
        if waiting is not None:
            return waiting
        job = ExportJob.objects.create(**selection)
        from criteria.tasks import build_summary_export

        transaction.on_commit(lambda: build_summary_export.delay(job.pk))
    job.refresh_from_db()
    return job


def export_job_run(*, job_id: int) -> None:
    """Build the workbook of job ``job_id`` and store it (DONE, progress 100), once: the
    claim is a conditional update, so a second delivery of the task does nothing (a job
    RUNNING for longer than :data:`STALE_AFTER`, whose worker was lost, is taken again).
    Works in the job's language, as the user who asked for it (their scope today). Any
    error marks the job FAILED with a message for people and is logged; nothing is
    raised. A job that no longer exists (purged) is ignored."""
    now = timezone.now()
    claimed = (
        ExportJob.objects.filter(pk=job_id)
        .filter(Q(state=ExportState.QUEUED) | Q(state=ExportState.RUNNING, started_at__lt=now - STALE_AFTER))
        .update(state=ExportState.RUNNING, started_at=now, progress=CLAIMED, error="")
    )
    if claimed != 1:
        return
    job = ExportJob.objects.select_related(
        "requested_by__agency__scope", "period", "criteria_set", "unit"
    ).get(pk=job_id)
    with translation.override(job.language):
        try:
            data = summary_export(
                user=job.requested_by,
                period=job.period,
                criteria_set=job.criteria_set,
                unit=job.unit,
                progress=lambda percent: _progress(job.pk, percent),
            )
            job.filename = summary_filename(job.period)
            job.file.save(job.filename, ContentFile(data), save=False)
            job.state, job.progress, job.finished_at = ExportState.DONE, 100, timezone.now()
            job.save(update_fields=["filename", "file", "state", "progress", "finished_at"])
        except Exception:
            logger.exception("export job %s failed", job_id)
            ExportJob.objects.filter(pk=job_id).update(
                state=ExportState.FAILED,
                finished_at=timezone.now(),
                error=_(
                    "The summary workbook could not be produced because of an unexpected error. "
                    "Try again; if it fails again, tell the provincial coordination office."
                ),
            )


def _progress(job_pk: int, percent: int) -> None:
    ExportJob.objects.filter(pk=job_pk, state=ExportState.RUNNING).update(progress=min(percent, 99))


def export_jobs_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete every job asked for more than :data:`KEEP_FOR` (24 hours) before ``now``
    (default: now), whatever its state, and its file; answers how many jobs went. A file
    already missing from the storage is no error. Safe to run at the same time twice."""
    cutoff = (now or timezone.now()) - KEEP_FOR
    old = list(ExportJob.objects.filter(requested_at__lt=cutoff).only("pk", "file"))
    for job in old:
        if job.file:
            try:
                job.file.storage.delete(job.file.name)
            except OSError:
                logger.warning("could not delete the file %s of export job %s", job.file.name, job.pk)
    deleted, _per_model = ExportJob.objects.filter(pk__in=[job.pk for job in old]).delete()
    return deleted
