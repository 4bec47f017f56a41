"""Which reminder step is due on a day (directives/reminders.py): pure, no database."""

import datetime

import pytest

from directives.reminders import PolicyNumbers, assignment_steps, report_step, review_step

DEADLINE = datetime.date(2020, 7, 17)
POLICY = PolicyNumbers()  # 7, 3, 1 days before; on the day; every 3 days overdue; escalate at 7


def steps_on(day: datetime.date, policy=POLICY, deadline=DEADLINE):
    return [
        step.key for step in assignment_steps(today=day, deadline=deadline, completed=False, policy=policy)
    ]


def day(n: int) -> datetime.date:
    """``n`` days after the deadline (negative: before)."""
    return DEADLINE + datetime.timedelta(days=n)


@pytest.mark.parametrize(
    ("offset", "expected"),
    [
        (-8, []),
        (-7, ["2020-07-17:before-7"]),
        (-5, ["2020-07-17:before-7"]),  # caught up once, the same step as on day -7
        (-3, ["2020-07-17:before-3"]),
        (-2, ["2020-07-17:before-3"]),
        (-1, ["2020-07-17:before-1"]),
        (0, ["2020-07-17:due"]),
        (1, ["2020-07-17:overdue-0"]),
        (3, ["2020-07-17:overdue-0"]),
        (4, ["2020-07-17:overdue-1"]),
        (7, ["2020-07-17:overdue-2", "2020-07-17:escalation"]),
        (30, ["2020-07-17:overdue-9", "2020-07-17:escalation"]),
    ],
)
def test_steps_around_a_deadline(offset, expected):
    assert steps_on(day(offset)) == expected


def test_the_policy_numbers_are_used():
    policy = PolicyNumbers(days_before=(10,), on_due_day=False, overdue_every=1, escalate_after=2)
    assert steps_on(day(-10), policy) == ["2020-07-17:before-10"]
    assert steps_on(day(-1), policy) == ["2020-07-17:before-10"]
    assert steps_on(day(0), policy) == []
    assert steps_on(day(1), policy) == ["2020-07-17:overdue-0"]
    assert steps_on(day(2), policy) == ["2020-07-17:overdue-1", "2020-07-17:escalation"]


def test_done_or_standing_tasks_have_no_step():
    assert assignment_steps(today=day(3), deadline=DEADLINE, completed=True, policy=POLICY) == []
    assert assignment_steps(today=day(3), deadline=None, completed=False, policy=POLICY) == []


def test_an_extended_deadline_starts_a_fresh_series():
    extended = datetime.date(2020, 7, 31)
    assert steps_on(day(1)) == ["2020-07-17:overdue-0"]
    assert steps_on(day(1), deadline=extended) == []  # 13 days left: nothing yet
    assert steps_on(datetime.date(2020, 7, 28), deadline=extended) == ["2020-07-31:before-3"]


def test_report_step_runs_from_n_days_before_to_the_submission_deadline():
    deadline = datetime.date(2020, 7, 15)
    assert report_step(today=datetime.date(2020, 7, 7), submission_deadline=deadline, policy=POLICY) is None
    step = report_step(today=datetime.date(2020, 7, 8), submission_deadline=deadline, policy=POLICY)
    assert (step.key, step.days) == ("2020-07-15:report-7", 7)
    assert (
        report_step(today=deadline, submission_deadline=deadline, policy=POLICY).key == "2020-07-15:report-7"
    )
    assert report_step(today=datetime.date(2020, 7, 16), submission_deadline=deadline, policy=POLICY) is None


def test_review_step_after_n_days_then_every_n_days():
    since = datetime.date(2020, 7, 1)
    assert review_step(today=datetime.date(2020, 7, 8), since=since, state="submitted", policy=POLICY) is None
    assert review_step(
        today=datetime.date(2020, 7, 9), since=since, state="submitted", policy=POLICY
    ).key == ("submitted-2020-07-01:wait-1")
    assert review_step(
        today=datetime.date(2020, 7, 15), since=since, state="submitted", policy=POLICY
    ).key == ("submitted-2020-07-01:wait-2")
