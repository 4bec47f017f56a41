"""Read queries of the directives app about the documents: the list of directives and a
directive's page, each with the counts of its lead assignments in the four status
buckets (:mod:`directives.status`). Every role reads directives; which assignments a
user may open is :mod:`directives.selectors.assignments`.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch

from directives.models import Assignment, AssignmentRole, Directive


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


def directive_detail(*, pk, today: datetime.date) -> tuple[Directive, list[SectionView], BucketCounts]:
    """A directive with its tasks grouped by section, each task's assignments annotated
    with their ``bucket``, and the counts of its lead assignments. Raises
    ``Directive.DoesNotExist``."""
    directive = Directive.objects.prefetch_related("recipients", "attachments").get(pk=pk)
    assignments = Prefetch(
        "assignments",
        queryset=Assignment.objects.with_bucket(today)
        .select_related("agency")
        .order_by("role", "agency__name"),
    )
    tasks = directive.tasks.select_related("criterion").prefetch_related(assignments, "units")
    sections: list[SectionView] = []
    counts = BucketCounts()
    for task in tasks:
        if not sections or sections[-1].number != task.section_number:
            sections.append(SectionView(task.section_number, task.section_heading))
        sections[-1].tasks.append(task)
        for assignment in task.assignments.all():
            if assignment.role == AssignmentRole.LEAD:
                counts.add(assignment.bucket)
    return directive, sections, counts
