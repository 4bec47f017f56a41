"""Read queries of recognitions (công nhận): the recognitions in a scope, and the
re-check of communes recognised under an older criteria set against a newer one.

Like ``communes.selectors`` these take the units the caller may see as a queryset
(``visible = accounts.scope.unit_scope(user)``), never the user, so a dashboard, an
export and the API compute the same figures for the same scope.

Every function here runs a fixed number of queries whatever the number of communes
(``tests/criteria/test_overview.py`` counts them).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Min, Q, QuerySet

from communes.models import AdministrativeUnit
from criteria.models import (
    Assessment,
    AssessmentStatus,
    CriteriaSet,
    Criterion,
    CriterionResult,
    Recognition,
    RecognitionLevel,
    ReportingPeriod,
)

# The set of the recognitions the re-check page looks at first: the 2010-2015 set of
# QĐ 491/QĐ-TTg, under which the communes of notice 58/TB-UBND were recognised in 2014-2016.
RECHECK_OLDER_SET_CODE = "qd-491-2009"


@dataclass(frozen=True)
class RecheckRow:
    """A commune recognised under an older set, against its approved assessment under
    a newer set: ``assessment`` is None when there is no approved assessment yet;
    ``unmet`` are the newer set's criteria it does not meet."""

    recognition: Recognition
    assessment: Assessment | None
    unmet: tuple[Criterion, ...]

    @property
    def commune(self) -> AdministrativeUnit:
        return self.recognition.unit

    @property
    def meets_newer_set(self) -> bool:
        return self.assessment is not None and self.assessment.meets_standard and not self.unmet


def recognition_recheck(
    *,
    visible: QuerySet[AdministrativeUnit],
    older_set: CriteriaSet,
    newer_set: CriteriaSet,
    period: ReportingPeriod,
    recognised_from: int | None = None,
    recognised_until: int | None = None,
) -> list[RecheckRow]:
    """The communes of ``visible`` recognised at the NTM standard under ``older_set``
    (decision year from ``recognised_from`` to ``recognised_until``, both inclusive,
    either optional), each with its approved assessment of ``period`` under ``newer_set``
    and the criteria of that assessment that are not met. Notice 58/TB-UBND asks this of
    the communes recognised in 2014-2016 against the 2017-2020 set. Ordered by decision
    date, then commune name. Three queries.
    """
    recognitions = Recognition.objects.filter(
        level=RecognitionLevel.STANDARD, criteria_set=older_set, unit__in=visible.assessed()
    )
    if recognised_from is not None:
        recognitions = recognitions.filter(decision_date__gte=datetime.date(recognised_from, 1, 1))
    if recognised_until is not None:
        recognitions = recognitions.filter(decision_date__lte=datetime.date(recognised_until, 12, 31))
    recognitions = list(recognitions.select_related("unit__parent").order_by("decision_date", "unit__name"))
    unit_ids = [r.unit_id for r in recognitions]
    assessed_qs = Assessment.objects.filter(
        status=AssessmentStatus.APPROVED, period=period, criteria_set=newer_set, commune_id__in=unit_ids
    )
    assessments = {a.commune_id: a for a in assessed_qs}
    unmet: dict[int, list[Criterion]] = defaultdict(list)
    for result in (
        CriterionResult.objects.filter(assessment__in=assessed_qs, met=False)
        .select_related("criterion")
        .order_by("criterion__number")
    ):
        unmet[result.assessment_id].append(result.criterion)
    rows = []
    for recognition in recognitions:
        assessment = assessments.get(recognition.unit_id)
        rows.append(
            RecheckRow(
                recognition=recognition,
                assessment=assessment,
                unmet=tuple(unmet.get(assessment.pk, ())) if assessment else (),
            )
        )
    return rows


def default_recheck_older_set(
    *, visible: QuerySet[AdministrativeUnit], newer_set: CriteriaSet | None
) -> CriteriaSet | None:
    """The set whose recognitions the re-check page shows by default: ``qd-491-2009`` when
    some xã of ``visible`` was recognised at the NTM standard under it; else the oldest set
    (by the day it took effect, then its decision date, then its first recognition) under
    which some xã of ``visible`` was so recognised. Never ``newer_set``; None when no other
    set has such a recognition. One query."""
    sets = CriteriaSet.objects.filter(
        recognitions__level=RecognitionLevel.STANDARD, recognitions__unit__in=visible.assessed()
    )
    if newer_set is not None:
        sets = sets.exclude(pk=newer_set.pk)
    candidates = list(
        sets.annotate(first_recognition=Min("recognitions__decision_date")).order_by(
            F("effective_from").asc(nulls_last=True),
            F("decision_date").asc(nulls_last=True),
            "first_recognition",
            "code",
        )
    )
    preferred = [s for s in candidates if s.code == RECHECK_OLDER_SET_CODE]
    return (preferred or candidates or [None])[0]


def recognitions_in_scope(*, visible: QuerySet[AdministrativeUnit]) -> QuerySet[Recognition]:
    """The recognitions of units in ``visible``, newest decision first."""
    return (
        Recognition.objects.filter(unit__in=visible)
        .select_related("unit__parent", "criteria_set")
        .order_by("-decision_date", "unit__name")
    )


def recognised_by_level(*, visible: QuerySet[AdministrativeUnit], on: datetime.date) -> dict[str, int]:
    """Units of ``visible`` in force on ``on`` recognised at each level by a decision
    dated up to ``on``: rural communes (xã) for the commune levels, hamlets for
    ``model_hamlet``; a unit recognised twice at a level counts once. One query."""
    rows = (
        Recognition.objects.filter(decision_date__lte=on, unit__in=visible.valid_on(on))
        .filter(Q(level=RecognitionLevel.MODEL_HAMLET) | Q(unit__in=visible.assessed()))
        .values("level")
        .annotate(n=Count("unit", distinct=True))
        .order_by()
    )
    found = {level: 0 for level in RecognitionLevel.values}
    found.update({row["level"]: row["n"] for row in rows})
    return found
