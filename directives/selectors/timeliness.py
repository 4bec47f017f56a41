"""The agencies' half of the timeliness scoreboard (bảng xếp hạng tính kịp thời) for the
year-end emulation ranking (thi đua): per agency, its lead assignments due in a year, in
the four status buckets of :mod:`directives.status`, with the on-time rate and rank of
:mod:`core.ranking`.

What counts (the province's rule for the scoreboard, written here): the LEAD (chủ trì)
assignments whose deadline falls in the year, i.e. from 01/01 to 31/12 of it. The
deadline is the assignment's own, which a granted extension moves (the agency is judged
against the deadline it was given). Standing tasks, which have no deadline, and
cooperating (phối hợp) assignments are not counted: they have no date to be late by, or
answer to the lead agency.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, QuerySet

from accounts.models import Agency
from core.ranking import on_time_rate, ranked
from directives.models import Assignment, AssignmentRole
from directives.selectors.directives import BucketCounts


@dataclass(frozen=True)
class AgencyTimeliness:
    """One row of the agencies' scoreboard: ``rank`` (ties share it), the agency, the
    counts of its lead assignments due in the year in the four buckets, and
    ``on_time_rate``: done on time over those due by the cut-off day (done, on time or
    late, or open past the deadline), percent to one decimal, None when none was due."""

    rank: int
    agency: Agency
    counts: BucketCounts
    on_time_rate: Decimal | None

    @property
    def due(self) -> int:
        """Assignments due by the cut-off day: done (on time or late) or open overdue."""
        return self.counts.done_on_time + self.counts.done_late + self.counts.open_overdue


def _year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def agency_timeliness(
    *, assignments: QuerySet[Assignment], year: int, today: datetime.date
) -> list[AgencyTimeliness]:
    """The agencies' scoreboard of ``year`` seen on ``today`` (the cut-off day), ranked:
    the highest on-time rate first, then the fewest open overdue, then the agency's name
    in Vietnamese order; equal rate and overdue share a rank (:mod:`core.ranking`).

    ``assignments`` is what the reader may see
    (:func:`directives.selectors.assignments.assignment_scope`); of those, only the LEAD
    assignments whose deadline falls in ``year`` are counted (standing tasks without a
    deadline are not; see the module's docstring). An agency with none is not listed.
    Two queries, whatever the number of agencies or assignments."""
    first, last = _year_bounds(year)
    counts: dict[int, BucketCounts] = defaultdict(BucketCounts)
    grouped = (
        assignments.filter(role=AssignmentRole.LEAD, deadline__gte=first, deadline__lte=last)
        .with_bucket(today)
        .values("agency_id", "bucket")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in grouped:
        counts[row["agency_id"]].add(row["bucket"], row["n"])
    agencies = Agency.objects.in_bulk(list(counts)) if counts else {}
    rows = [
        (
            agencies[pk],
            bucket_counts,
            on_time_rate(
                bucket_counts.done_on_time,
                bucket_counts.done_on_time + bucket_counts.done_late + bucket_counts.open_overdue,
            ),
        )
        for pk, bucket_counts in counts.items()
    ]
    return [
        AgencyTimeliness(rank=rank, agency=agency, counts=bucket_counts, on_time_rate=rate)
        for rank, (agency, bucket_counts, rate) in ranked(
            rows,
            rate=lambda row: row[2],
            overdue=lambda row: row[1].open_overdue,
            name=lambda row: row[0].name,
        )
    ]


def timeliness_years(*, assignments: QuerySet[Assignment]) -> list[int]:
    """The years in which some lead assignment of ``assignments`` has its deadline,
    latest first. One query."""
    days = (
        assignments.filter(role=AssignmentRole.LEAD, deadline__isnull=False)
        .order_by()
        .dates("deadline", "year", order="DESC")
    )
    return [day.year for day in days]
