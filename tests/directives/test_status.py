"""Status buckets are derived from dates when read, in Asia/Ho_Chi_Minh: done on time,
done late, open within term, open overdue. The deadline day itself is within term."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from directives.models import Assignment
from directives.services.assignments import assignment_mark_done
from directives.status import Bucket, bucket, days_overdue

from .conftest import assignment_of

VN = ZoneInfo("Asia/Ho_Chi_Minh")
DEADLINE = datetime.date(2020, 7, 17)  # "báo cáo UBND tỉnh trước ngày 17/7/2020" (58/TB-UBND, 2.1)


def at(day: int, hour: int, minute: int) -> datetime.datetime:
    return datetime.datetime(2020, 7, day, hour, minute, tzinfo=VN)


# --- Pure rule -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("deadline", "completed_on", "today", "expected"),
    [
        (DEADLINE, None, datetime.date(2020, 7, 16), Bucket.OPEN_WITHIN_TERM),
        (DEADLINE, None, DEADLINE, Bucket.OPEN_WITHIN_TERM),
        (DEADLINE, None, datetime.date(2020, 7, 18), Bucket.OPEN_OVERDUE),
        (DEADLINE, DEADLINE, datetime.date(2020, 8, 1), Bucket.DONE_ON_TIME),
        (DEADLINE, datetime.date(2020, 7, 18), datetime.date(2020, 8, 1), Bucket.DONE_LATE),
        (None, None, datetime.date(2030, 1, 1), Bucket.OPEN_WITHIN_TERM),
        (None, datetime.date(2020, 7, 18), datetime.date(2030, 1, 1), Bucket.DONE_ON_TIME),
    ],
)
def test_bucket_rule(deadline, completed_on, today, expected):
    assert bucket(deadline=deadline, completed_on=completed_on, today=today) == expected


def test_days_overdue_counts_whole_days_after_the_deadline():
    assert days_overdue(deadline=DEADLINE, today=DEADLINE) == 0
    assert days_overdue(deadline=DEADLINE, today=datetime.date(2020, 7, 20)) == 3
    assert days_overdue(deadline=None, today=datetime.date(2020, 7, 20)) == 0


# --- With the clock frozen in Thái Nguyên ----------------------------------------------


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (at(16, 0, 30), Bucket.OPEN_WITHIN_TERM),
        (at(16, 23, 30), Bucket.OPEN_WITHIN_TERM),
        (at(17, 0, 30), Bucket.OPEN_WITHIN_TERM),
        (at(17, 23, 30), Bucket.OPEN_WITHIN_TERM),  # 16:30 UTC: still the 17th in Thái Nguyên
        (at(18, 0, 30), Bucket.OPEN_OVERDUE),  # 17:30 UTC on the 17th, but the 18th here
        (at(18, 23, 30), Bucket.OPEN_OVERDUE),
    ],
)
def test_open_assignment_bucket_at_the_edges_of_the_day(seed_directive, moment, expected):
    office = assignment_of(seed_directive, "vpdp-ntm-tinh", deadline=DEADLINE)
    with time_machine.travel(moment, tick=False):
        today = timezone.localdate()
        assert office.bucket == expected
        in_database = Assignment.objects.with_bucket(today).get(pk=office.pk).bucket
        assert in_database == expected.value


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (at(16, 0, 30), Bucket.DONE_ON_TIME),
        (at(16, 23, 30), Bucket.DONE_ON_TIME),
        (at(17, 0, 30), Bucket.DONE_ON_TIME),
        (at(17, 23, 30), Bucket.DONE_ON_TIME),
        (at(18, 0, 30), Bucket.DONE_LATE),
        (at(18, 23, 30), Bucket.DONE_LATE),
    ],
)
def test_marking_done_at_the_edges_of_the_day(seed_directive, coordinator, moment, expected):
    office = assignment_of(seed_directive, "vpdp-ntm-tinh", deadline=DEADLINE)
    with time_machine.travel(moment, tick=False):
        assignment_mark_done(user=coordinator, assignment=office)
    office.refresh_from_db()
    assert office.completed_on == moment.date()
    # Read years later: a done assignment keeps its bucket.
    assert office.bucket == expected
    assert Assignment.objects.with_bucket(timezone.localdate()).get(pk=office.pk).bucket == expected.value


def test_a_standing_task_is_never_overdue(seed_directive):
    standing = assignment_of(seed_directive, "so-giao-thong-van-tai", position=1)
    assert standing.deadline is None
    assert standing.bucket == Bucket.OPEN_WITHIN_TERM


def test_the_directive_page_colours_follow_the_clock(client, coordinator, seed_directive):
    client.force_login(coordinator)
    url = reverse("directive-detail", args=[seed_directive.pk])
    office_task = assignment_of(seed_directive, "vpdp-ntm-tinh", deadline=DEADLINE)
    marker = f'href="{reverse("directive-assignment", args=[office_task.pk])}"'
    for moment, bucket_name in ((at(17, 23, 30), "open_within_term"), (at(18, 0, 30), "open_overdue")):
        with time_machine.travel(moment, tick=False):
            page = client.get(url).content.decode()
        badge = page[page.index(marker) :].split("</a>", 1)[0]
        assert f'data-bucket="{bucket_name}"' in badge
