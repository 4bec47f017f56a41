"""The status of an assignment, derived from its dates when read; never stored, never
updated by a nightly job.

Four buckets (the ones the overdue board counts):

* ``done_on_time``: marked done on or before the deadline, or done with no deadline;
* ``done_late``: marked done after the deadline;
* ``open_within_term``: not done, and today is on or before the deadline (the deadline
  day itself still counts as on time, like a period's hạn nộp), or it has no deadline
  (a standing task is never overdue);
* ``open_overdue``: not done, and today is after the deadline.

"Today" is the caller's ``timezone.localdate()`` (Asia/Ho_Chi_Minh): at 00:30 on
18/07/2020 in Thái Nguyên (17:30 UTC on the 17th) a task due 17/07/2020 is overdue.
"""

import datetime

from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils.translation import gettext_lazy as _


class Bucket(models.TextChoices):
    """The four status buckets of an assignment."""

    DONE_ON_TIME = "done_on_time", _("Done on time")
    DONE_LATE = "done_late", _("Done late")
    OPEN_WITHIN_TERM = "open_within_term", _("Open, within term")
    OPEN_OVERDUE = "open_overdue", _("Open, overdue")


# Bootstrap colours of each bucket on every page.
BUCKET_COLOURS = {
    Bucket.DONE_ON_TIME: "success",
    Bucket.DONE_LATE: "warning",
    Bucket.OPEN_WITHIN_TERM: "primary",
    Bucket.OPEN_OVERDUE: "danger",
}


def bucket(
    *, deadline: datetime.date | None, completed_on: datetime.date | None, today: datetime.date
) -> Bucket:
    """The bucket of an assignment with ``deadline`` (None: standing task), done on
    ``completed_on`` (None: still open), seen on ``today``. Pure: no clock is read."""
    if completed_on is not None:
        if deadline is not None and completed_on > deadline:
            return Bucket.DONE_LATE
        return Bucket.DONE_ON_TIME
    if deadline is not None and today > deadline:
        return Bucket.OPEN_OVERDUE
    return Bucket.OPEN_WITHIN_TERM


def days_overdue(*, deadline: datetime.date | None, today: datetime.date) -> int:
    """Whole days past the deadline (0 on the deadline, or before it, or without one)."""
    if deadline is None:
        return 0
    return max((today - deadline).days, 0)


def bucket_expression(today: datetime.date) -> Case:
    """The same rule as :func:`bucket` as a database expression on ``Assignment``
    (fields ``deadline`` and ``completed_on``), for counting in one query."""
    return Case(
        When(
            Q(completed_on__isnull=False)
            & Q(deadline__isnull=False)
            & Q(completed_on__gt=models.F("deadline")),
            then=Value(Bucket.DONE_LATE.value),
        ),
        When(completed_on__isnull=False, then=Value(Bucket.DONE_ON_TIME.value)),
        When(Q(deadline__isnull=False) & Q(deadline__lt=today), then=Value(Bucket.OPEN_OVERDUE.value)),
        default=Value(Bucket.OPEN_WITHIN_TERM.value),
        output_field=models.CharField(),
    )
