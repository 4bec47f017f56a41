"""Read queries of the cement reserve: the units a reserve of a year may go to, each with
what the proposal weighs (:class:`funding.allocation.Candidate`), and the districts
whose cement of that year a reserve for their communes would count twice. Like
:mod:`funding.selectors.cement` they take the units the caller may see (here: change)
as a queryset, never the user, in a fixed number of queries. Tonnes and km are
``Decimal``.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum

from communes.models import AdministrativeUnit, UnitLevel
from funding.allocation import Candidate
from funding.models import CementAllocation, CementUse, RoadBacklog, StandardTarget
from funding.selectors.cement import programme_units, reference_day

ZERO = Decimal(0)


def reserve_candidates(
    *, visible: QuerySet[AdministrativeUnit], year: int, level: str, today: datetime.date
) -> list[tuple[AdministrativeUnit, Candidate]]:
    """The units of ``level`` a reserve of ``year`` may go to (:func:`programme_units` on
    :func:`reference_day`), each with its :class:`~funding.allocation.Candidate`: the
    tonnes allocated to it or to units directly under it in ``year`` (every batch
    recorded so far) and used of them, its communes registered to reach the standard in
    ``year``, and the km of road its communes still have to harden (recorded for
    ``year``). Five queries."""
    units = list(programme_units(visible=visible, level=level, day=reference_day(year, today)))
    ids = {unit.pk for unit in units}
    allocated: dict[int, Decimal] = defaultdict(lambda: ZERO)
    used: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for model, amounts, lookup in (
        (CementAllocation, allocated, {"batch__year": year}),
        (CementUse, used, {"year": year}),
    ):
        rows = (
            model.objects.filter(**lookup)
            .filter(Q(unit_id__in=ids) | Q(unit__parent_id__in=ids))
            .values("unit_id", "unit__parent_id")
            .annotate(total=Sum("tonnes"))
        )
        for row in rows:
            owner = row["unit_id"] if row["unit_id"] in ids else row["unit__parent_id"]
            amounts[owner] += row["total"] or ZERO
    registered: dict[int, int] = defaultdict(int)
    for commune_id, parent_id in (
        StandardTarget.objects.filter(year=year)
        .filter(Q(commune_id__in=ids) | Q(commune__parent_id__in=ids))
        .values_list("commune_id", "commune__parent_id")
    ):
        registered[commune_id if commune_id in ids else parent_id] += 1
    roads: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for commune_id, parent_id, km in (
        RoadBacklog.objects.filter(year=year)
        .filter(Q(commune_id__in=ids) | Q(commune__parent_id__in=ids))
        .values_list("commune_id", "commune__parent_id", "km")
    ):
        roads[commune_id if commune_id in ids else parent_id] += km
    return [
        (
            unit,
            Candidate(
                key=unit.pk,
                code=unit.code,
                name=unit.name,
                allocated=allocated[unit.pk],
                used=used[unit.pk],
                registered=registered[unit.pk],
                road_km=roads[unit.pk],
            ),
        )
        for unit in units
    ]


def district_holders(*, visible: QuerySet[AdministrativeUnit], year: int) -> list[AdministrativeUnit]:
    """Districts of ``visible`` holding cement of ``year`` (by GSO code; one query): a
    reserve of that year for their communes would count the cement twice."""
    held = CementAllocation.objects.filter(batch__year=year).values("unit_id")
    return list(visible.filter(level=UnitLevel.DISTRICT, pk__in=held).order_by("code", "name").distinct())
