"""The daily reminder job: plan what is due, write it once into the ledger, notify in
the portal, and queue each recipient's one e-mail digest of the day (sent by
:mod:`directives.services.digests`).

Exactly once, and why: :func:`reminders_plan` inserts one ``ReminderLedger`` row per
(item, step, channel, recipient) with ``bulk_create(ignore_conflicts=True)`` under the
unique constraint ``reminder_once_per_step_recipient``: a second run on the same day,
two beats at once, or a redelivered Celery message inserts nothing new. Portal rows
become notifications after a conditional pending -> sent update of locked rows
(``select_for_update(skip_locked=True)`` on PostgreSQL), so two concurrent runs never
notify twice. E-mail rows are attached to the recipient's digest of the day (unique per
recipient and day); rows found after that digest went out wait for the next day's, so
nobody gets two digests a day.

A recurring task's assignment is reminded like any other: its deadline is its current
period's due date, and the steps are keyed on that date (``2020-09-15:overdue-0``), so
each period gets its own series once its deadline rolls (:mod:`directives.recurrence`).
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Notification
from core.formatting import date_text
from criteria.selectors.submissions import periods_due, submission_gaps, waiting_assessments
from directives import recurrence, reminders
from directives.models import (
    Channel,
    DeliveryState,
    ReminderDigest,
    ReminderLedger,
    ReminderPolicy,
    ReminderRun,
)
from directives.selectors.reminders import (
    Recipients,
    assignee_recipients,
    coordination_recipients,
    escalation_recipients,
    reminder_candidates,
)


def policy_get() -> ReminderPolicy:
    """The one policy row, created with the defaults (7, 3, 1 days before; on the day;
    every 3 days overdue; escalation at 7 days; reports 7 days before) if missing."""
    policy, _created = ReminderPolicy.objects.get_or_create(pk=1)
    return policy


def policy_numbers(policy: ReminderPolicy) -> reminders.PolicyNumbers:
    """The policy row's numbers for the pure planner (:mod:`directives.reminders`)."""
    return reminders.PolicyNumbers(
        days_before=policy.day_list,
        on_due_day=policy.on_due_day,
        overdue_every=policy.overdue_every_days,
        escalate_after=policy.escalate_after_days,
        report_days_before=policy.report_days_before,
        review_after=policy.review_after_days,
    )


def _task_text(task, deadline: datetime.date) -> str:
    """The task as a digest line names it: its text cut at 160 characters, after the
    period the deadline is for if it recurs ("Kỳ quý III/2020: Báo cáo ...")."""
    text = task.text if len(task.text) <= 160 else task.text[:157] + "…"
    if not task.recurrence:
        return text
    due = recurrence.last_due(task.recurrence, task.recurrence_day, deadline)
    label = recurrence.period_label(recurrence.period_of(task.recurrence, due))
    return _("Period %(period)s: %(task)s") % {"period": label, "task": text}


def _assignment_message(assignment, step: reminders.Step) -> str:
    """One digest line for an assignment, in the current language (a recurring task's
    names the period its deadline is for)."""
    values = {
        "agency": assignment.agency.short_name,
        "number": assignment.task.directive.number,
        "task": _task_text(assignment.task, assignment.deadline),
        "day": date_text(assignment.deadline),
        "n": step.days,
    }
    if step.kind == "before":
        text = ngettext(
            "%(agency)s: due in %(n)s day (%(day)s), directive %(number)s: %(task)s",
            "%(agency)s: due in %(n)s days (%(day)s), directive %(number)s: %(task)s",
            step.days,
        )
    elif step.kind == "due":
        text = _("%(agency)s: due today (%(day)s), directive %(number)s: %(task)s")
    elif step.kind == "escalation":
        text = ngettext(
            "Escalation: %(agency)s is %(n)s day overdue (deadline %(day)s), directive %(number)s: %(task)s",
            "Escalation: %(agency)s is %(n)s days overdue (deadline %(day)s), directive %(number)s: %(task)s",
            step.days,
        )
    else:
        text = ngettext(
            "%(agency)s: %(n)s day overdue (deadline %(day)s), directive %(number)s: %(task)s",
            "%(agency)s: %(n)s days overdue (deadline %(day)s), directive %(number)s: %(task)s",
            step.days,
        )
    return text % values


@dataclass
class _Planned:
    item_key: str
    step: str
    message: str
    link: str
    recipients: Recipients
    assignment_id: int | None = None


def _plan_items(today: datetime.date, numbers: reminders.PolicyNumbers) -> list[_Planned]:
    """Every (item, step, recipients) due today, messages in the portal's language."""
    planned: list[_Planned] = []
    horizon = max(numbers.days_before, default=0)
    for assignment in reminder_candidates(today=today, horizon_days=horizon):
        steps = reminders.assignment_steps(
            today=today, deadline=assignment.deadline, completed=False, policy=numbers
        )
        link = reverse("directive-assignment", args=[assignment.pk])
        for step in steps:
            recipients = (
                escalation_recipients(assignment.agency)
                if step.kind == "escalation"
                else assignee_recipients(assignment.agency)
            )
            planned.append(
                _Planned(
                    f"assignment:{assignment.pk}",
                    step.key,
                    _assignment_message(assignment, step),
                    link,
                    recipients,
                    assignment.pk,
                )
            )
    for period in periods_due(today=today, days_before=numbers.report_days_before):
        step = reminders.report_step(
            today=today, submission_deadline=period.submission_deadline, policy=numbers
        )
        if step is None:
            continue
        for gap in submission_gaps(period):
            message = _(
                "%(agency)s: %(missing)s of %(total)s communes have not submitted their assessment for "
                "%(period)s; submission deadline %(day)s"
            ) % {
                "agency": gap.agency.short_name,
                "missing": gap.missing,
                "total": gap.total,
                "period": period.name,
                "day": date_text(period.submission_deadline),
            }
            planned.append(
                _Planned(
                    f"report:{period.pk}:{gap.agency.pk}",
                    step.key,
                    message,
                    reverse("assessment-list") + f"?period={period.code}",
                    assignee_recipients(gap.agency),
                )
            )
    coordinators = None
    before = today - datetime.timedelta(days=numbers.review_after)
    for waiting in waiting_assessments(before=before):
        step = reminders.review_step(today=today, since=waiting.since, state=waiting.state, policy=numbers)
        if step is None:
            continue
        coordinators = coordinators or coordination_recipients()
        template = (
            _("Assessment of %(commune)s (%(period)s) waiting for approval since %(day)s (%(n)s days)")
            if waiting.state == "submitted"
            else _("Assessment of %(commune)s (%(period)s) returned on %(day)s, not resubmitted (%(n)s days)")
        )
        planned.append(
            _Planned(
                f"review:{waiting.assessment.pk}",
                step.key,
                template
                % {
                    "commune": waiting.assessment.commune.name,
                    "period": waiting.assessment.period.name,
                    "day": date_text(waiting.since),
                    "n": step.days,
                },
                reverse("assessment-detail", args=[waiting.assessment.pk]),
                coordinators,
            )
        )
    return planned


def _lock_pending(queryset):
    """Lock the rows for this transaction; on PostgreSQL skip rows a concurrent run
    holds (it handles them). SQLite serialises writers, so no lock is needed there."""
    if connection.features.has_select_for_update_skip_locked:
        return queryset.select_for_update(skip_locked=True)
    return queryset


@dataclass(frozen=True)
class PlanResult:
    """What one run did: ledger rows it inserted, notifications it created, and the ids
    of the digests to send (today's and earlier ones still unsent)."""

    planned: int
    notifications: int
    digest_ids: tuple[int, ...]


@transaction.atomic
def reminders_plan(*, today: datetime.date) -> PlanResult:
    """Plan the reminders due on ``today`` (a local date) and queue their e-mails.

    Safe to run any number of times, at once or one after the other (see the module
    docstring). The digests to send are queued on commit (``directives.tasks``)."""
    policy = policy_get()
    run = ReminderRun.objects.create(day=today, started_at=timezone.now())
    if not policy.is_active:
        run.finished_at = timezone.now()
        run.save(update_fields=["finished_at"])
        return PlanResult(0, 0, ())
    with translation.override(settings.LANGUAGE_CODE):
        items = _plan_items(today, policy_numbers(policy))
    rows = []
    for item in items:
        for email in item.recipients.emails:
            rows.append((item, Channel.EMAIL, email))
        for user_id in item.recipients.user_ids:
            rows.append((item, Channel.PORTAL, str(user_id)))
    before = ReminderLedger.objects.count()
    ReminderLedger.objects.bulk_create(
        [
            ReminderLedger(
                item_key=item.item_key,
                assignment_id=item.assignment_id,
                step=item.step,
                channel=channel,
                recipient=recipient,
                day=today,
                message=item.message,
                link=item.link,
            )
            for item, channel, recipient in rows
        ],
        ignore_conflicts=True,
        batch_size=500,
    )
    planned = ReminderLedger.objects.count() - before
    notifications = _notify_in_portal()
    digest_ids = _attach_to_digests(today)
    run.finished_at = timezone.now()
    run.reminders_planned, run.notifications, run.digests_queued = planned, notifications, len(digest_ids)
    run.save(update_fields=["finished_at", "reminders_planned", "notifications", "digests_queued"])
    if digest_ids:
        from directives.tasks import send_reminder_digest

        transaction.on_commit(lambda: [send_reminder_digest.delay(pk) for pk in digest_ids])
    return PlanResult(planned, notifications, digest_ids)


def _notify_in_portal() -> int:
    """Turn pending portal rows into notifications, each exactly once."""
    pending = list(
        _lock_pending(ReminderLedger.objects.filter(channel=Channel.PORTAL, state=DeliveryState.PENDING))
    )
    if not pending:
        return 0
    Notification.objects.bulk_create(
        [
            Notification(recipient_id=int(row.recipient), message=row.message, link=row.link)
            for row in pending
        ],
        batch_size=500,
    )
    ReminderLedger.objects.filter(pk__in=[row.pk for row in pending]).update(state=DeliveryState.SENT)
    return len(pending)


def _attach_to_digests(today: datetime.date) -> tuple[int, ...]:
    """Attach pending e-mail rows to their recipient's digest of ``today`` (created if
    missing, used only while still pending), and return every digest to send: pending or
    failed ones of any day, and those whose sending claim ran out."""
    # A row left pending on a digest that went out without it waits for the next digest.
    ReminderLedger.objects.filter(
        channel=Channel.EMAIL,
        state=DeliveryState.PENDING,
        digest__state__in=[DeliveryState.SENT, DeliveryState.REFUSED],
    ).update(digest=None)
    pending = _lock_pending(
        ReminderLedger.objects.filter(channel=Channel.EMAIL, state=DeliveryState.PENDING, digest__isnull=True)
    )
    by_recipient: dict[str, list[int]] = {}
    for pk, recipient in pending.values_list("pk", "recipient"):
        by_recipient.setdefault(recipient, []).append(pk)
    for recipient, ids in by_recipient.items():
        digest, _created = ReminderDigest.objects.get_or_create(recipient=recipient, day=today)
        # Locked, so a worker cannot claim it between this check and the attachment
        # (its claim waits for this transaction and then sees the new rows).
        digest = ReminderDigest.objects.select_for_update().get(pk=digest.pk)
        if digest.state in (DeliveryState.PENDING, DeliveryState.FAILED):
            ReminderLedger.objects.filter(pk__in=ids, digest__isnull=True).update(digest=digest)
    now = timezone.now()
    due = ReminderDigest.objects.filter(
        Q(state__in=[DeliveryState.PENDING, DeliveryState.FAILED])
        | Q(state=DeliveryState.SENDING, claimed_until__lt=now),
        day__lte=today,
        items__isnull=False,
    ).distinct()
    return tuple(due.order_by("pk").values_list("pk", flat=True))
