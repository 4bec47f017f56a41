"""Celery tasks of the criteria app: they take ids, load, and send."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from criteria.models import Assessment
from criteria.services.reports import upload_apply


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


@shared_task(acks_late=True)
def apply_report_upload(upload_id: int) -> None:
    """Write the communes of a confirmed Excel upload (a large one: see
    :mod:`criteria.services.reports`). Safe to run twice: written communes are skipped."""
    with translation.override(settings.LANGUAGE_CODE):
        upload_apply(upload_id=upload_id)
