"""Read queries on the submission of assessments, which the reminder job of the
directives app reads (issue 5, point 5): the periods whose submission deadline comes
within some days, the districts whose communes' assessments are not submitted by then,
and the assessments waiting on the coordinators.

This is the criteria app's own selector module. The directives app may import only
``criteria.selectors`` (the one declared arrow between the domains, enforced by
import-linter in ``pyproject.toml``), never ``criteria.models``: what it needs of the
assessments' state is read here, so that a change of the criteria models touches this
module, not directives.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from accounts.models import Agency, AgencyKind
from communes.models import AdministrativeUnit
from criteria.models import Assessment, AssessmentStatus, ReportingPeriod

SUBMITTED_STATES = (AssessmentStatus.SUBMITTED, AssessmentStatus.APPROVED)
WAITING_STATES = (AssessmentStatus.SUBMITTED, AssessmentStatus.RETURNED)


@dataclass(frozen=True)
class SubmissionGap:
    """A People's Committee (a district's before the 2025 reform, a commune's after it)
    with ``missing`` of its ``total`` communes (xã in force during the period) lacking a
    submitted or approved assessment for ``period``."""

    agency: Agency
    period: ReportingPeriod
    missing: int
    total: int


def periods_due(*, today: datetime.date, days_before: int) -> QuerySet[ReportingPeriod]:
    """Periods whose submission deadline (hạn nộp) is today or in the next ``days_before`` days."""
    return ReportingPeriod.objects.filter(
        submission_deadline__gte=today, submission_deadline__lte=today + datetime.timedelta(days=days_before)
    ).order_by("submission_deadline")


def submission_gaps(period: ReportingPeriod) -> list[SubmissionGap]:
    """For each active district committee (UBND cấp huyện) and commune committee (UBND cấp
    xã): its communes in force during ``period`` that have no submitted or approved
    assessment for it. A committee with no commune in force then (a district's after the
    2025 reform, a new commune's before it) or none missing is left out."""
    submitted = Assessment.objects.filter(period=period, status__in=SUBMITTED_STATES).values("commune_id")
    gaps = []
    committees = Agency.objects.filter(
        kind__in=[AgencyKind.DISTRICT_COMMITTEE, AgencyKind.COMMUNE_COMMITTEE], is_active=True
    ).select_related("scope")
    for agency in committees.order_by("name"):
        communes = (
            AdministrativeUnit.objects.within(agency.scope)
            .assessed()
            .filter(
                Q(valid_from__isnull=True) | Q(valid_from__lte=period.end),
                Q(valid_until__isnull=True) | Q(valid_until__gte=period.start),
            )
        )
        total = communes.count()
        missing = communes.exclude(pk__in=submitted).count() if total else 0
        if missing:
            gaps.append(SubmissionGap(agency, period, missing, total))
    return gaps


@dataclass(frozen=True)
class Waiting:
    """An assessment in ``state`` (submitted: waiting for approval; returned: waiting to
    be resubmitted) since the local date ``since``."""

    assessment: Assessment
    state: str
    since: datetime.date


def waiting_assessments(*, before: datetime.date) -> list[Waiting]:
    """Assessments submitted or returned before ``before`` (local dates), oldest first."""
    from django.utils import timezone

    rows = (
        Assessment.objects.filter(status__in=WAITING_STATES)
        .select_related("commune", "period")
        .order_by("updated_at")
    )
    result = []
    for row in rows:
        moment = row.submitted_at if row.status == AssessmentStatus.SUBMITTED else row.decided_at
        moment = moment or row.updated_at
        since = timezone.localdate(moment)
        if since < before:
            result.append(Waiting(row, row.status, since))
    return result
