"""Which reminder steps are due on a day: pure planning, no database, no clock.

Given today's date, the policy's numbers and an item's dates, each function returns the
one step that is current for the item today, or None. A step is a string that is unique
for what it reminds of; the ledger (``ReminderLedger``, unique per item, step, channel
and recipient) makes sure it goes out once. Because the *current* step is returned (the
latest one whose day has come), a day the job did not run is caught up the next day
with a single reminder, never a burst; a task created 5 days before its deadline gets
the "7 days before" step at once.

Steps of an assignment, keyed on the deadline they count from (so an extension granted
later starts a fresh series, and so does each period of a recurring task, whose deadline
rolls to the next period's due date when the period is reported):

* ``<deadline>:before-<d>`` for the smallest ``d`` of ``days_before`` that is at least
  the days left (7, 3, 1 by default);
* ``<deadline>:due`` on the deadline (if ``on_due_day``);
* ``<deadline>:overdue-<k>`` on day 1 overdue (k=0) and every ``overdue_every`` days
  after (k=1, 2...);
* ``<deadline>:escalation`` from ``escalate_after`` days overdue, once, to the agency's
  head and the provincial coordination office besides the assignees.
"""

import datetime
from dataclasses import dataclass

from directives.status import days_overdue


@dataclass(frozen=True)
class PolicyNumbers:
    """The numbers of a ``ReminderPolicy`` row, or the defaults of notice-driven practice:
    7, 3 and 1 days before, on the day, every 3 days overdue, escalation at 7 days."""

    days_before: tuple[int, ...] = (7, 3, 1)
    on_due_day: bool = True
    overdue_every: int = 3
    escalate_after: int = 7
    report_days_before: int = 7
    review_after: int = 7


@dataclass(frozen=True)
class Step:
    """A due step: ``key`` (stored in the ledger), ``kind`` ("before", "due", "overdue",
    "escalation", "report", "review"), ``days`` (days left before, or days overdue/waiting)."""

    key: str
    kind: str
    days: int


def assignment_steps(
    *,
    today: datetime.date,
    deadline: datetime.date | None,
    completed: bool,
    policy: PolicyNumbers,
) -> list[Step]:
    """The steps due today for an assignment: at most a regular one (before, due or
    overdue) and an escalation. None for a done assignment or one without a deadline
    (a standing task is followed on its page, not chased)."""
    if completed or deadline is None:
        return []
    prefix = deadline.isoformat()
    left = (deadline - today).days
    steps: list[Step] = []
    if left > 0:
        candidates = [day for day in policy.days_before if day >= left]
        if candidates:
            day = min(candidates)
            steps.append(Step(f"{prefix}:before-{day}", "before", left))
    elif left == 0:
        if policy.on_due_day:
            steps.append(Step(f"{prefix}:due", "due", 0))
    else:
        overdue = days_overdue(deadline=deadline, today=today)
        every = max(policy.overdue_every, 1)
        steps.append(Step(f"{prefix}:overdue-{(overdue - 1) // every}", "overdue", overdue))
        if overdue >= policy.escalate_after:
            steps.append(Step(f"{prefix}:escalation", "escalation", overdue))
    return steps


def report_step(
    *, today: datetime.date, submission_deadline: datetime.date, policy: PolicyNumbers
) -> Step | None:
    """For a district with communes whose assessments of a period are not submitted: the
    step due today, from ``report_days_before`` days before the period's submission
    deadline up to the deadline itself (once per period and district), else None."""
    left = (submission_deadline - today).days
    if 0 <= left <= policy.report_days_before:
        return Step(f"{submission_deadline.isoformat()}:report-{policy.report_days_before}", "report", left)
    return None


def review_step(
    *, today: datetime.date, since: datetime.date, state: str, policy: PolicyNumbers
) -> Step | None:
    """For an assessment ``state`` ("submitted" or "returned") since ``since``: a step
    once it has waited longer than ``review_after`` days, then every ``review_after``
    days while it still waits; None before."""
    waited = (today - since).days
    every = max(policy.review_after, 1)
    if waited <= every:
        return None
    return Step(f"{state}-{since.isoformat()}:wait-{waited // every}", "review", waited)
