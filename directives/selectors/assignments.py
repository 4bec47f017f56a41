"""Read queries of the directives app about assignments: who acts for which agency,
which assignments a user may see or change, an assignment's page, "my agency's tasks",
the overdue board and the extension requests waiting.

Scope (complements :func:`accounts.scope.unit_scope`, which scopes by administrative
unit): directives are read by every role; an *assignment* and its reports are seen by
the provincial roles (coordinator, leader, API client: the whole province) and by the
users who act for its agency, and changed by those users and by coordinators. Outside
that, the assignment answers 404.

Who acts for an agency (decision, documented here): its own users and, for a district's
People's Committee (UBND huyện) and its steering committee (BCĐ NTM huyện), the users
of that district's coordination office (VPĐP NTM huyện), which notice 58/TB-UBND names
as the advisory body of the district steering committee ("bộ máy tham mưu cho Ban chỉ
đạo cấp huyện"); it is the office's staff who report on the district's tasks. A
commune officer (since 01/07/2025) belongs to its commune's People's Committee (UBND
xã) and so acts for it as its own agency. An agency that took in others when they were
merged (Sở Xây dựng took in Sở Giao thông vận tải in 2025: ``AgencySuccession``) acts
for them too, since it inherits their unfinished work; the merged agency's own users
keep acting for it.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet

from accounts.models import Agency, AgencyKind, AgencySuccession, User
from accounts.roles import Role, is_coordinator, user_roles
from communes.models import UnitLevel
from core.text import vi_sort_key
from directives.models import Assignment, AssignmentRole, ExtensionRequest, ExtensionStatus
from directives.selectors.directives import BucketCounts
from directives.status import Bucket

PROVINCE_WIDE_ROLES = frozenset({Role.COORDINATOR, Role.LEADER, Role.API_CLIENT})
# Agencies whose reporting a district coordination office does (see the module docstring).
SERVED_BY_DISTRICT_OFFICE = (AgencyKind.DISTRICT_COMMITTEE, AgencyKind.STEERING_COMMITTEE)


def _is_district_office(agency: Agency) -> bool:
    return agency.kind == AgencyKind.COORDINATION_OFFICE and agency.scope.level == UnitLevel.DISTRICT


def acting_agency_ids(user) -> set[int]:
    """Ids of the agencies ``user`` reports for: their own, plus the district committee
    and district steering committee served by their district coordination office, plus
    the agencies merged into their own (and into those, and so on).
    Empty for an anonymous user, an inactive user or agency, or a user with no agency."""
    if not user.is_authenticated or not user.is_active or user.agency_id is None:
        return set()
    agency = user.agency
    if not agency.is_active:
        return set()
    ids = {agency.pk}
    if _is_district_office(agency):
        ids |= set(
            Agency.objects.filter(
                scope_id=agency.scope_id, kind__in=SERVED_BY_DISTRICT_OFFICE, is_active=True
            ).values_list("pk", flat=True)
        )
    return ids | _merged_into(ids)


def _merged_into(agency_ids: set[int]) -> set[int]:
    """Ids of the agencies merged into ``agency_ids``, and into those, and so on (one
    query per generation of mergers; there was one in 2025)."""
    found: set[int] = set()
    wanted = set(agency_ids)
    while wanted:
        wanted = (
            set(
                AgencySuccession.objects.filter(successor_id__in=wanted).values_list(
                    "predecessor_id", flat=True
                )
            )
            - found
            - agency_ids
        )
        found |= wanted
    return found


def sees_whole_province(user) -> bool:
    """True for a superuser and for the coordinator, leader and API client roles."""
    return user.is_authenticated and user.is_active and bool(user_roles(user) & PROVINCE_WIDE_ROLES)


def assignment_scope(user, *, for_change: bool = False) -> QuerySet[Assignment]:
    """Assignments ``user`` may see (``for_change=False``) or report on
    (``for_change=True``). Coordinators: all, both ways. Leaders and API clients: all
    to read, none to change. Everyone else: the assignments of the agencies they act for
    (:func:`acting_agency_ids`), if their role may change data at all."""
    rows = Assignment.objects.all()
    if not user.is_authenticated or not user.is_active:
        return rows.none()
    if is_coordinator(user):
        return rows
    if not for_change and sees_whole_province(user):
        return rows
    if for_change and not user.has_perm("directives.add_progressreport"):
        return rows.none()
    return rows.filter(agency_id__in=acting_agency_ids(user))


def assignment_in_scope(user, pk) -> Assignment:
    """The assignment ``pk`` if ``user`` may see it (raises ``Assignment.DoesNotExist``)."""
    return (
        assignment_scope(user)
        .select_related("task__directive", "task__criterion", "agency", "completed_by")
        .get(pk=pk)
    )


def may_report(user, assignment: Assignment) -> bool:
    """True when ``user`` may post progress, mark done or ask for an extension on it."""
    return assignment_scope(user, for_change=True).filter(pk=assignment.pk).exists()


def assignment_page(assignment: Assignment) -> dict:
    """What the assignment page shows besides the assignment: reports, extension
    requests, deadline changes, the other agencies of the same task."""
    return {
        "reports": list(assignment.reports.select_related("author")),
        "extensions": list(assignment.extensions.select_related("requested_by", "decided_by")),
        "deadline_changes": list(assignment.deadline_changes.select_related("changed_by")),
        "siblings": list(
            Assignment.objects.filter(task_id=assignment.task_id)
            .exclude(pk=assignment.pk)
            .select_related("agency")
        ),
        "pending_extension": assignment.extensions.filter(status=ExtensionStatus.PENDING).first(),
    }


def coordinator_users() -> QuerySet[User]:
    """Active users holding the coordinator role (superusers included)."""
    return User.objects.filter(
        Q(groups__name=Role.COORDINATOR.value) | Q(is_superuser=True), is_active=True
    ).distinct()


def users_acting_for(agency: Agency) -> QuerySet[User]:
    """Active users who act for ``agency`` (the reverse of :func:`acting_agency_ids`)."""
    agency_ids = [agency.pk, *_successors_of(agency)]
    if agency.kind in SERVED_BY_DISTRICT_OFFICE:
        agency_ids += list(
            Agency.objects.filter(
                scope_id=agency.scope_id,
                kind=AgencyKind.COORDINATION_OFFICE,
                scope__level=UnitLevel.DISTRICT,
                is_active=True,
            ).values_list("pk", flat=True)
        )
    return User.objects.filter(is_active=True, agency_id__in=agency_ids, agency__is_active=True)


def _successors_of(agency: Agency) -> list[int]:
    """Ids of the agency ``agency`` was merged into, and of the one that was merged into,
    and so on."""
    ids: list[int] = []
    current = agency.pk
    while (
        successor := AgencySuccession.objects.filter(predecessor_id=current)
        .values_list("successor_id", flat=True)
        .first()
    ) is not None and successor not in ids:
        ids.append(successor)
        current = successor
    return ids


def my_assignments(user, *, today: datetime.date) -> QuerySet[Assignment]:
    """The assignments of the agencies ``user`` acts for, open ones first, then by
    deadline (none last), with their bucket."""
    return (
        Assignment.objects.filter(agency_id__in=acting_agency_ids(user))
        .with_bucket(today)
        .select_related("task__directive", "agency")
        .order_by(
            F("completed_on").asc(nulls_first=True),  # open ones first, on every database
            F("deadline").asc(nulls_last=True),  # the most overdue first, standing tasks last
            "task__directive",
            "task__position",
        )
    )


# --- The overdue board ---------------------------------------------------------------


@dataclass
class AgencyRow:
    """A row of the overdue board: an agency and the counts of its lead assignments."""

    agency: Agency
    counts: BucketCounts


def overdue_board(
    *, today: datetime.date, assignments: QuerySet[Assignment] | None = None
) -> tuple[list[AgencyRow], QuerySet[Assignment]]:
    """Per agency with lead assignments: the counts in the four buckets (most overdue
    first); and the open overdue lead assignments, the longest overdue first. Counts the
    ``assignments`` given (e.g. :func:`assignment_scope` of a user narrowed to a unit's
    agencies), every assignment when None. Two queries plus the agencies'."""
    base = Assignment.objects.all() if assignments is None else assignments
    rows: dict[int, BucketCounts] = defaultdict(BucketCounts)
    grouped = (
        base.filter(role=AssignmentRole.LEAD)
        .with_bucket(today)
        .values("agency_id", "bucket")
        .annotate(n=Count("pk"))
    )
    for row in grouped:
        rows[row["agency_id"]].add(row["bucket"], row["n"])
    agencies = Agency.objects.in_bulk(list(rows))
    table = sorted(
        (AgencyRow(agencies[pk], counts) for pk, counts in rows.items()),
        key=lambda row: (
            -row.counts.open_overdue,
            -row.counts.open_within_term,
            vi_sort_key(row.agency.name),
        ),
    )
    overdue = (
        base.filter(role=AssignmentRole.LEAD, completed_on__isnull=True, deadline__lt=today)
        .select_related("task__directive", "agency")
        .order_by("deadline", "agency__name")
    )
    return table, overdue


def pending_extensions() -> QuerySet[ExtensionRequest]:
    """Extension requests waiting for a coordinator, oldest first."""
    return (
        ExtensionRequest.objects.filter(status=ExtensionStatus.PENDING)
        .select_related("assignment__agency", "assignment__task__directive", "requested_by")
        .order_by("created_at")
    )


# The order of the buckets on the overdue board: what needs action first.
BUCKET_ORDER = [Bucket.OPEN_OVERDUE, Bucket.OPEN_WITHIN_TERM, Bucket.DONE_LATE, Bucket.DONE_ON_TIME]
