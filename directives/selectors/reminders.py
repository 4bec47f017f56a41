"""Read queries of the reminder job (:mod:`directives.services.reminders`): the open lead
assignments a reminder step can be due for, who gets each reminder (the assignee
agency's addresses and users, the escalation recipients, the coordinators), and, for
the overdue board, the undelivered e-mails and the last run of the job. Who acts for an
agency is :mod:`directives.selectors.assignments`.
"""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from accounts.models import Agency, AgencyKind
from communes.models import UnitLevel
from directives.models import Assignment, AssignmentRole, DeliveryState, ReminderDigest, ReminderRun
from directives.selectors.assignments import coordinator_users, users_acting_for

# --- Reminder recipients --------------------------------------------------------------


@dataclass(frozen=True)
class Recipients:
    """Who gets a reminder: e-mail addresses (lower case, sorted, no repeats) and the
    users who get it as an in-portal notification."""

    emails: tuple[str, ...]
    user_ids: tuple[int, ...]


def _emails(values) -> tuple[str, ...]:
    return tuple(sorted({value.strip().lower() for value in values if value and value.strip()}))


def assignee_recipients(agency: Agency) -> Recipients:
    """The agency's contact e-mails and the users acting for it (e-mail and portal)."""
    users = list(users_acting_for(agency).values_list("pk", "email"))
    return Recipients(
        _emails([*agency.email_list, *(email for _pk, email in users)]), tuple(pk for pk, _e in users)
    )


def escalation_recipients(agency: Agency) -> Recipients:
    """An escalation goes to the agency's head (``head_email``) and to the provincial
    coordination office: its contact e-mails and the coordinators."""
    offices = Agency.objects.filter(
        kind=AgencyKind.COORDINATION_OFFICE, scope__level=UnitLevel.PROVINCE, is_active=True
    )
    coordinators = list(coordinator_users().values_list("pk", "email"))
    emails = [agency.head_email, *(e for office in offices for e in office.email_list)]
    emails += [email for _pk, email in coordinators]
    return Recipients(_emails(emails), tuple(pk for pk, _e in coordinators))


def coordination_recipients() -> Recipients:
    """Coordinators (e-mail and portal), for items waiting on them."""
    coordinators = list(coordinator_users().values_list("pk", "email"))
    return Recipients(_emails(e for _pk, e in coordinators), tuple(pk for pk, _e in coordinators))


def reminder_candidates(*, today: datetime.date, horizon_days: int) -> QuerySet[Assignment]:
    """Open lead assignments with a deadline no later than ``today + horizon_days``
    (every overdue one included): the only ones a reminder step can be due for. A
    recurring task's assignment is among them by its current period's due date (its
    deadline, :mod:`directives.recurrence`). Cooperating agencies (phối hợp) are not chased: the lead (chủ trì) answers for the
    deadline."""
    return (
        Assignment.objects.filter(
            role=AssignmentRole.LEAD,
            completed_on__isnull=True,
            deadline__isnull=False,
            deadline__lte=today + datetime.timedelta(days=horizon_days),
            agency__is_active=True,
        )
        .select_related("task__directive", "agency", "agency__scope")
        .order_by("pk")
    )


def undelivered_digests(limit: int = 100) -> QuerySet[ReminderDigest]:
    """Reminder e-mails the mail server refused, or that failed after their retries:
    what coordinators must fix (an address) or watch."""
    return ReminderDigest.objects.filter(state__in=[DeliveryState.REFUSED, DeliveryState.FAILED]).order_by(
        "-day", "recipient"
    )[:limit]


def last_reminder_run() -> ReminderRun | None:
    """The latest run of the reminder job, or None if it never ran."""
    return ReminderRun.objects.order_by("-started_at").first()
