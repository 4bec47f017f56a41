"""Read queries of the directives app about the documents: the list of directives and a
directive's page, each with the counts of its lead assignments in the four status
buckets (:mod:`directives.status`). Every role reads directives; which assignments a
user may open is :mod:`directives.selectors.assignments`.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Func, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from directives.models import Assignment, AssignmentRole, Directive, Task
from directives.status import Bucket


@dataclass
class BucketCounts:
    """Counts of lead assignments in each bucket."""

    done_on_time: int = 0
    done_late: int = 0
    open_within_term: int = 0
    open_overdue: int = 0

    @property
    def total(self) -> int:
        """All four buckets together."""
        return self.done_on_time + self.done_late + self.open_within_term + self.open_overdue

    def add(self, bucket: str, count: int = 1) -> None:
        """Count ``count`` more assignments in ``bucket`` (a Bucket value)."""
        setattr(self, bucket, getattr(self, bucket) + count)


def directive_list(*, today: datetime.date) -> list[tuple[Directive, BucketCounts]]:
    """Every directive, newest first, with the bucket counts of its lead assignments
    (two queries whatever the number of directives)."""
    # Meta.ordering is not applied to a query that groups: say it.
    directives = list(
        Directive.objects.annotate(task_count=Count("tasks", distinct=True)).order_by("-issued_on", "-pk")
    )
    counts: dict[int, BucketCounts] = defaultdict(BucketCounts)
    rows = (
        Assignment.objects.filter(role=AssignmentRole.LEAD)
        .with_bucket(today)
        .values("task__directive_id", "bucket")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        counts[row["task__directive_id"]].add(row["bucket"], row["n"])
    return [(directive, counts[directive.pk]) for directive in directives]


@dataclass
class SectionView:
    """A section of a directive's page: its number, heading and tasks."""

    number: str
    heading: str
    tasks: list = field(default_factory=list)


TASKS_PER_PAGE = 50


def directive_detail(
    *, pk, today: datetime.date, page=1
) -> tuple[Directive, list[SectionView], BucketCounts, Page]:
    """A directive, the tasks of page ``page`` (50 a page, in reading order; a number
    past the last gives the last) grouped by section with each task's assignments
    annotated with their ``bucket``, the counts of the lead assignments of all its tasks,
    and the page. A fixed number of queries whatever the number of tasks. Raises
    ``Directive.DoesNotExist``."""
    directive = Directive.objects.prefetch_related("recipients", "attachments").get(pk=pk)
    counts = BucketCounts()
    rows = (
        Assignment.objects.filter(task__directive=directive, role=AssignmentRole.LEAD)
        .with_bucket(today)
        .values("bucket")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        counts.add(row["bucket"], row["n"])
    paginator = Paginator(directive.tasks.order_by("position").values_list("pk", flat=True), TASKS_PER_PAGE)
    shown = paginator.get_page(page)
    assignments = Prefetch(
        "assignments",
        queryset=Assignment.objects.with_bucket(today)
        .select_related("agency")
        .order_by("role", "agency__name"),
    )
    tasks = (
        Task.objects.filter(pk__in=list(shown.object_list))
        .order_by("position")
        .select_related("criterion__criteria_set")
        .prefetch_related(assignments, "units")
    )
    sections: list[SectionView] = []
    for task in tasks:
        if not sections or sections[-1].number != task.section_number:
            sections.append(SectionView(task.section_number, task.section_heading))
        sections[-1].tasks.append(task)
    return directive, sections, counts, shown


def directives_with_counts(*, today: datetime.date) -> QuerySet[Directive]:
    """Every directive (every role reads them, as :func:`directive_list`), annotated
    with ``task_count`` and, as ``lead_<bucket>``, the counts of its lead assignments in
    each bucket seen ``today``: the figures of the directive list page, in one query
    whatever the number of rows, so that the REST API can filter and page it."""
    lead = Assignment.objects.filter(task__directive=OuterRef("pk"), role=AssignmentRole.LEAD).with_bucket(
        today
    )

    def count(rows) -> Coalesce:
        counted = rows.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
        return Coalesce(Subquery(counted, output_field=IntegerField()), 0)

    return Directive.objects.annotate(
        task_count=count(Task.objects.filter(directive=OuterRef("pk"))),
        **{f"lead_{bucket.value}": count(lead.filter(bucket=bucket.value)) for bucket in Bucket},
    )
