"""Celery tasks of the criteria app: they take ids, load, and send."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import User
from criteria.models import Assessment
from criteria.services.exports import export_job_run, export_jobs_purge
from criteria.services.reports import upload_apply
from criteria.workflow import Action


@shared_task(autoretry_for=(OSError,), retry_backoff=60, retry_kwargs={"max_retries": 5})
def send_assessment_returned_email(assessment_id: int) -> bool:
    """E-mail the submitter of a returned assessment: commune, period, reason, link.
    Returns False (and sends nothing) when the submitter has no e-mail address.
    Connection errors are retried with backoff (60 s, 120 s, ...)."""
    assessment = Assessment.objects.select_related("commune", "period", "submitted_by").get(pk=assessment_id)
    recipient = assessment.submitted_by
    if recipient is None or not recipient.email:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Assessment returned: %(commune)s, %(period)s") % {
            "commune": assessment.commune,
            "period": assessment.period,
        }
        body = _(
            "The assessment of %(commune)s for %(period)s was returned by the provincial coordination "
            "office.\n\nReason: %(reason)s\n\nOpen it: %(link)s"
        ) % {
            "commune": assessment.commune,
            "period": assessment.period,
            "reason": assessment.status_reason,
            "link": settings.PORTAL_URL + reverse("assessment-detail", args=[assessment.pk]),
        }
    send_mail(subject, body, None, [recipient.email])
    return True


def _workflow_email(assessment: Assessment, action: Action) -> tuple[str, str]:
    """The subject and body of the e-mail telling of ``action`` on ``assessment``, in
    the active language, with the assessment's address in the portal."""
    values = {
        "commune": assessment.commune,
        "period": assessment.period,
        "submitter": assessment.submitted_by or "?",
        "decider": assessment.decided_by or "?",
        "reason": assessment.status_reason,
        "link": settings.PORTAL_URL + reverse("assessment-detail", args=[assessment.pk]),
    }
    if action == Action.SUBMIT:
        subject = _("Assessment waiting for approval: %(commune)s, %(period)s")
        body = _(
            "%(submitter)s submitted the assessment of %(commune)s for %(period)s. It waits for a "
            "provincial coordinator to approve or return it.\n\nOpen it: %(link)s"
        )
    elif action == Action.APPROVE:
        subject = _("Assessment approved: %(commune)s, %(period)s")
        body = _(
            "The assessment of %(commune)s for %(period)s was approved by %(decider)s.\n\nOpen it: %(link)s"
        )
    else:
        subject = _("Assessment reopened: %(commune)s, %(period)s")
        body = _(
            "The assessment of %(commune)s for %(period)s was reopened by %(decider)s and is a draft "
            "again.\n\nReason: %(reason)s\n\nOpen it: %(link)s"
        )
    return subject % values, body % values


@shared_task(autoretry_for=(OSError,), retry_backoff=60, retry_kwargs={"max_retries": 5})
def send_assessment_workflow_email(assessment_id: int, action: str, recipient_id: int) -> bool:
    """E-mail one person that ``assessment_id`` was submitted, approved or reopened
    (``action``: "submit", "approve" or "reopen"; who is told is decided by
    :mod:`criteria.services.notifications`, which queues one task per recipient on
    commit). The mail describes the assessment as it stands when sent: commune, period,
    who acted, the reason of a reopening, the link. Returns False (and sends nothing)
    when the recipient is inactive or has no e-mail address. Connection errors are
    retried with backoff (60 s, 120 s, ...); a retry mails only this recipient."""
    action = Action(action)
    if action not in {Action.SUBMIT, Action.APPROVE, Action.REOPEN}:
        raise ValueError(f"no workflow e-mail for {action}")
    recipient = User.objects.filter(pk=recipient_id, is_active=True).first()
    if recipient is None or not recipient.email:
        return False
    assessment = Assessment.objects.select_related("commune", "period", "submitted_by", "decided_by").get(
        pk=assessment_id
    )
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = _workflow_email(assessment, action)
    send_mail(subject, body, None, [recipient.email])
    return True


@shared_task(acks_late=True)
def apply_report_upload(upload_id: int) -> None:
    """Write the communes of a confirmed Excel upload (a large one: see
    :mod:`criteria.services.reports`). Safe to run twice: written communes are skipped."""
    with translation.override(settings.LANGUAGE_CODE):
        upload_apply(upload_id=upload_id)


@shared_task(acks_late=True)
def build_summary_export(job_id: int) -> None:
    """Build the summary workbook of an export job (see :mod:`criteria.services.exports`),
    then delete the jobs and files older than 24 hours. Safe to run twice: a job already
    claimed is left alone. A failed build marks the job failed; nothing is raised."""
    export_job_run(job_id=job_id)
    export_jobs_purge()


@shared_task
def purge_export_jobs() -> int:
    """Delete the export jobs and files asked for more than 24 hours ago (also done after
    every build); answers how many went. For a beat schedule, if one is wanted."""
    return export_jobs_purge()
