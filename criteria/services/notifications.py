"""Who hears of an assessment's submission, approval or reopening, and what they read:
a notification in the portal, then an e-mail once the transaction commits. (A return is
told to the submitter by :func:`criteria.services.assessments.assessment_transition`
itself.) Called inside the transition's transaction; writes nothing else."""

from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import Notification, User
from accounts.roles import Role
from criteria.models import Assessment, IndicatorValue
from criteria.workflow import Action


def coordinator_ids() -> set[int]:
    """Ids of the active users holding the provincial coordinator role, superusers too."""
    return set(
        User.objects.filter(
            Q(groups__name=Role.COORDINATOR.value) | Q(is_superuser=True), is_active=True
        ).values_list("pk", flat=True)
    )


def last_editor_id(assessment: Assessment) -> int | None:
    """Who last changed a value of ``assessment`` (form or Excel upload), or None."""
    return (
        IndicatorValue.history.filter(
            assessment_id=assessment.pk, history_type="~", history_user__isnull=False
        )
        .order_by("-history_date", "-history_id")
        .values_list("history_user_id", flat=True)
        .first()
    )


def transition_recipients(
    *, assessment: Assessment, action: Action, previous_decider_id: int | None
) -> set[int | None]:
    """Who hears of ``action``: a submission goes to the provincial coordinators (they
    approve or return it); an approval to the submitter and whoever last changed a
    value; a reopening to the submitter and the coordinator who had approved it."""
    if action == Action.SUBMIT:
        return coordinator_ids()
    if action == Action.APPROVE:
        return {assessment.submitted_by_id, last_editor_id(assessment)}
    return {assessment.submitted_by_id, previous_decider_id}


def notification_text(*, assessment: Assessment, action: Action, actor) -> str:
    """The portal's sentence for ``action`` (submit, approve or reopen) on ``assessment``
    by ``actor``, in the active language."""
    texts = {
        Action.SUBMIT: _(
            "The assessment of %(commune)s (%(period)s) was submitted by %(who)s: it waits for approval."
        ),
        Action.APPROVE: _("The assessment of %(commune)s (%(period)s) was approved by %(who)s."),
        Action.REOPEN: _("The assessment of %(commune)s (%(period)s) was reopened by %(who)s: %(reason)s"),
    }
    return texts[action] % {
        "commune": assessment.commune,
        "period": assessment.period,
        "who": actor,
        "reason": assessment.status_reason,
    }


def notify_transition(
    *, assessment: Assessment, action: Action, actor, recipient_ids: set[int | None]
) -> None:
    """Notify ``recipient_ids`` (the actor and inactive users left out) of ``action`` on
    ``assessment``: a portal notification each, written in the portal's language (the
    recipient did not choose the actor's), linking to the assessment; and, once the
    transaction commits, one e-mail task per recipient
    (:func:`criteria.tasks.send_assessment_workflow_email`), so that a retried e-mail
    reaches only the one it failed for."""
    from criteria.tasks import send_assessment_workflow_email

    wanted = {pk for pk in recipient_ids if pk is not None and pk != actor.pk}
    recipients = sorted(User.objects.filter(pk__in=wanted, is_active=True).values_list("pk", flat=True))
    if not recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):
        message = notification_text(assessment=assessment, action=action, actor=actor)
    link = reverse("assessment-detail", args=[assessment.pk])
    Notification.objects.bulk_create(
        Notification(recipient_id=pk, message=message, link=link) for pk in recipients
    )
    for pk in recipients:
        transaction.on_commit(partial(send_assessment_workflow_email.delay, assessment.pk, action.value, pk))
