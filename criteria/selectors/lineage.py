"""Read queries on what a commune's predecessors achieved before the 2025 merger: their
recognitions by level and their last approved assessment, for the unit page and the
assessment page of a new commune, and the roll-up the overview shows for the communes
formed on 01/07/2025 that have no recognition decision of their own yet.

**The rule.** A new commune counts as recognised only from a Recognition of the new unit
itself. Its predecessors' recognitions are shown beside it ("formed from N communes, of
which M recognised") and never counted as its own. Source: NTM_FACTS.md §6, point 3
("Recognition does not carry over automatically. A merged commune built from a mix of
recognised and unrecognised old communes has no defined NTM status"). That point is
analysis, not a legal source, and §3 says how the post-2025 procedure replaces the district
step is not confirmed. So this rule is **the province's choice, pending the post-2025
recognition procedure**, and not a legal one. The portal invents no status: it counts
nothing it cannot point to a decision for.

**What is counted.**

- Only rural communes (xã) among the predecessors count in N and M, because only a xã
  takes part in the programme. A township (thị trấn) or a ward (phường) merged into a new
  xã is listed on the unit page but not counted.
- A split commune (one row per new unit in :class:`communes.models.UnitSuccession`) counts
  in every new commune it went into, marked as split.
- "Recognised" at a level means a Recognition of the former commune at that level
  (đạt chuẩn, nâng cao, kiểu mẫu), as recorded. One level is never inferred from another.

**Who sees it.** The selectors take the units the caller may see (``visible``). The
predecessors of a commune in ``visible`` are part of that commune's record (the new
People's Committee holds their files), so their recognitions and approved results are shown
to whoever may see the new commune. Only links to them are limited to ``visible``. Drafts
and submitted or returned assessments of the predecessors are never shown.

Every function here runs a fixed number of queries, whatever the number of predecessors or
communes (``tests/criteria/test_lineage.py`` counts them).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, FilteredRelation, OuterRef, Q, QuerySet, Subquery

from communes.models import ASSESSED_KINDS, AdministrativeUnit, UnitSuccession
from core.text import vi_sort_key
from criteria.models import Assessment, AssessmentStatus, Recognition, RecognitionLevel

# The levels at which a commune is recognised (NTM_FACTS §3), in the order pages show them.
COMMUNE_LEVELS: tuple[str, ...] = (
    RecognitionLevel.STANDARD,
    RecognitionLevel.ADVANCED,
    RecognitionLevel.MODEL,
)


@dataclass(frozen=True)
class LevelCount:
    """How many former communes were recognised at ``level``, by a decision of their own."""

    level: str
    label: str
    count: int


def _level_counts(recognised: dict[str, int]) -> tuple[LevelCount, ...]:
    labels = dict(RecognitionLevel.choices)
    return tuple(LevelCount(level, labels[level], recognised.get(level, 0)) for level in COMMUNE_LEVELS)


@dataclass(frozen=True)
class PredecessorResult:
    """One former unit of a commune and what it achieved.

    ``unit`` is the former unit with its parent (the old district) loaded.
    ``is_partial`` means only part of it went into this commune. ``successor_count`` is how
    many new units it went into. ``recognitions`` are its commune-level recognitions, by
    level and then by decision date. ``last_approved`` is its approved assessment of the
    latest period (any criteria set), or None.
    """

    unit: AdministrativeUnit
    is_partial: bool
    successor_count: int
    recognitions: tuple[Recognition, ...]
    last_approved: Assessment | None

    @property
    def is_split(self) -> bool:
        """Part of it went into another new commune as well."""
        return self.is_partial or self.successor_count > 1

    @property
    def is_counted(self) -> bool:
        """A rural commune (xã): counted in "formed from N communes"."""
        return self.unit.is_assessed

    @property
    def levels(self) -> frozenset[str]:
        return frozenset(recognition.level for recognition in self.recognitions)


@dataclass(frozen=True)
class CommuneLineage:
    """The predecessors of ``unit`` and what each achieved.

    ``predecessors`` holds every former unit that went into ``unit``, in Vietnamese
    alphabetical order. ``visible_ids`` are those the caller may open.
    """

    unit: AdministrativeUnit
    predecessors: tuple[PredecessorResult, ...]
    visible_ids: frozenset[int]

    @property
    def former_communes(self) -> tuple[PredecessorResult, ...]:
        """The former rural communes (xã): N in "formed from N communes"."""
        return tuple(row for row in self.predecessors if row.is_counted)

    @property
    def recognised(self) -> int:
        """Former xã with a recognition at the NTM standard (M in "of which M recognised")."""
        return sum(1 for row in self.former_communes if RecognitionLevel.STANDARD in row.levels)

    @property
    def by_level(self) -> tuple[LevelCount, ...]:
        counts = {
            level: sum(1 for row in self.former_communes if level in row.levels) for level in COMMUNE_LEVELS
        }
        return _level_counts(counts)


def commune_lineage(
    *, visible: QuerySet[AdministrativeUnit], unit: AdministrativeUnit
) -> CommuneLineage | None:
    """What the predecessors of ``unit`` achieved (see the module's rule), or None when
    no predecessor is recorded. Four queries whatever the number of predecessors (one
    when there is none): the lineage rows, the recognitions, the last approved assessments
    and the predecessors the caller may open.
    """
    rows = list(
        UnitSuccession.objects.filter(successor=unit)
        .select_related("predecessor__parent")
        .annotate(successor_count=Count("predecessor__successions_as_predecessor"))
    )
    if not rows:
        return None
    ids = [row.predecessor_id for row in rows]
    recognitions: dict[int, list[Recognition]] = defaultdict(list)
    order = {level: index for index, level in enumerate(COMMUNE_LEVELS)}
    for recognition in Recognition.objects.filter(unit_id__in=ids, level__in=COMMUNE_LEVELS).select_related(
        "criteria_set"
    ):
        recognitions[recognition.unit_id].append(recognition)
    latest = (
        Assessment.objects.filter(commune=OuterRef("commune"), status=AssessmentStatus.APPROVED)
        .order_by("-period__end", "-period__start", "-pk")
        .values("pk")[:1]
    )
    last_approved = {
        assessment.commune_id: assessment
        for assessment in Assessment.objects.filter(commune_id__in=ids, status=AssessmentStatus.APPROVED)
        .annotate(latest=Subquery(latest))
        .filter(pk=F("latest"))
        .select_related("period", "criteria_set")
    }
    visible_ids = frozenset(visible.filter(pk__in=ids).values_list("pk", flat=True))
    predecessors = [
        PredecessorResult(
            unit=row.predecessor,
            is_partial=row.is_partial,
            successor_count=row.successor_count,
            recognitions=tuple(
                sorted(recognitions[row.predecessor_id], key=lambda r: (order[r.level], r.decision_date))
            ),
            last_approved=last_approved.get(row.predecessor_id),
        )
        for row in rows
    ]
    predecessors.sort(key=lambda row: vi_sort_key(row.unit.name))
    return CommuneLineage(unit=unit, predecessors=tuple(predecessors), visible_ids=visible_ids)


@dataclass(frozen=True)
class MergerRow:
    """A new commune with no recognition decision of its own: formed from ``formed_from``
    former xã, of which ``by_level`` were recognised at each level."""

    unit: AdministrativeUnit
    formed_from: int
    by_level: tuple[LevelCount, ...]

    @property
    def recognised(self) -> int:
        """Former xã recognised at the NTM standard."""
        return self.by_level[0].count


@dataclass(frozen=True)
class MergerSummary:
    """The overview's roll-up of the new communes with no decision of their own yet.

    The headline reads: ``communes`` new communes with no own decision yet, formed from
    ``former_communes`` former xã, ``recognised`` of them recognised at the NTM standard.
    The last two count each former xã once, even when it was split. ``rows`` holds one
    row per such commune, in Vietnamese alphabetical order. ``has_demo`` is True when a
    counted recognition is illustrative demo data.
    """

    rows: tuple[MergerRow, ...]
    former_communes: int
    recognised: int
    has_demo: bool

    @property
    def communes(self) -> int:
        return len(self.rows)


def merger_summary(
    *, communes: QuerySet[AdministrativeUnit], on: datetime.date, recognised_ids: set[int]
) -> MergerSummary:
    """The roll-up of the communes in ``communes`` that were formed by a merger effective
    on or before ``on`` and are not in ``recognised_ids`` (those with a decision of their
    own). It counts the former xã and their recognitions dated on or before ``on``, under
    any criteria set. One query, whatever the number of communes.
    """
    rows = (
        UnitSuccession.objects.filter(
            successor__in=communes, effective_date__lte=on, predecessor__kind__in=ASSESSED_KINDS
        )
        .exclude(successor_id__in=recognised_ids)
        .annotate(
            decided=FilteredRelation(
                "predecessor__recognitions",
                condition=Q(
                    predecessor__recognitions__decision_date__lte=on,
                    predecessor__recognitions__level__in=COMMUNE_LEVELS,
                ),
            ),
            decided_level=F("decided__level"),
            decided_demo=F("decided__is_demo"),
        )
        .select_related("successor")
    )
    units: dict[int, AdministrativeUnit] = {}
    formed_from: dict[int, set[int]] = defaultdict(set)
    levels: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    standard: set[int] = set()
    has_demo = False
    for row in rows:
        units[row.successor_id] = row.successor
        formed_from[row.successor_id].add(row.predecessor_id)
        if row.decided_level is None:
            continue
        levels[row.successor_id][row.decided_level].add(row.predecessor_id)
        has_demo = has_demo or bool(row.decided_demo)
        if row.decided_level == RecognitionLevel.STANDARD:
            standard.add(row.predecessor_id)
    merger_rows = sorted(
        (
            MergerRow(
                unit=unit,
                formed_from=len(formed_from[pk]),
                by_level=_level_counts({level: len(ids) for level, ids in levels[pk].items()}),
            )
            for pk, unit in units.items()
        ),
        key=lambda row: vi_sort_key(row.unit.name),
    )
    return MergerSummary(
        rows=tuple(merger_rows),
        former_communes=len(set().union(*formed_from.values())),
        recognised=len(standard),
        has_demo=has_demo,
    )
