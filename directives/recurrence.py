"""Due dates of a recurring task's periods ("báo cáo hằng tháng trước ngày 20",
"định kỳ hằng quý, trước ngày 15 của tháng cuối quý"). Pure Python, no database.

A period ends with its last month: every month (monthly), March, June, September and
December (quarterly), June and December (semiannual), December (yearly). Its report is
due on ``day`` of that month (the month's last day when ``day`` is None or past the
month's end: day 31 in June is 30/06).
"""

import calendar
import datetime

# The months that close a period, by recurrence (Recurrence values).
PERIOD_END_MONTHS = {
    "monthly": tuple(range(1, 13)),
    "quarterly": (3, 6, 9, 12),
    "semiannual": (6, 12),
    "yearly": (12,),
}


def _due_in(year: int, month: int, day: int | None) -> datetime.date:
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(day or last, last))


def next_due(recurrence: str, day: int | None, on_or_after: datetime.date) -> datetime.date:
    """The first due date on or after ``on_or_after`` of a task recurring ``recurrence``
    ("monthly", "quarterly", "semiannual", "yearly") due on ``day`` (1-31, or None for
    the period's last day). Raises ``KeyError`` for another recurrence and ``ValueError``
    for a day outside 1-31.

    >>> next_due("quarterly", 15, datetime.date(2020, 7, 6))
    datetime.date(2020, 9, 15)
    """
    if day is not None and not 1 <= day <= 31:
        raise ValueError(f"due day must be 1-31, not {day}")
    months = PERIOD_END_MONTHS[recurrence]
    year = on_or_after.year
    while True:
        for month in months:
            due = _due_in(year, month, day)
            if due >= on_or_after:
                return due
        year += 1
