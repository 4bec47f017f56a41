"""Read queries of funds: the funds overview (allocated and disbursed VND by unit, by
source and by both, with the expected rate and the slow lists), the years with funds,
and the units and sources the allocation and disbursement forms offer. Like
:mod:`funding.selectors.cement` they take the units the caller may see as a queryset
(``visible = accounts.scope.unit_scope(user)``), never the user, and run a fixed number
of queries whatever the number of rows. VND are ``Decimal``; rates are percents from
:mod:`funding.rates`.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from communes.models import AdministrativeUnit
from funding import rates
from funding.models import Disbursement, DisbursementMilestone, FundAllocation, FundSource

ZERO = Decimal(0)


def allocated_sources(*, units: QuerySet[AdministrativeUnit]) -> QuerySet[FundSource]:
    """Active sources allocated to a unit of ``units`` in some year (for the
    disbursement form), in their order."""
    held = FundAllocation.objects.filter(unit__in=units).values("source_id")
    return FundSource.objects.filter(is_active=True, pk__in=held).order_by("position", "name")


def fund_holders(*, units: QuerySet[AdministrativeUnit]) -> QuerySet[AdministrativeUnit]:
    """Units of ``units`` that hold a fund allocation in some year, by GSO code."""
    held = FundAllocation.objects.values("unit_id")
    return units.filter(pk__in=held).select_related("parent").order_by("code", "name")


def fund_allocations_in_scope(*, visible: QuerySet[AdministrativeUnit]) -> QuerySet[FundAllocation]:
    """Fund allocations to units in ``visible``, with who recorded them."""
    return FundAllocation.objects.filter(unit__in=visible).select_related("created_by")


def disbursements_in_scope(*, visible: QuerySet[AdministrativeUnit]) -> QuerySet[Disbursement]:
    """Disbursements of units in ``visible`` (as a unit's page lists them), with who reported them."""
    return Disbursement.objects.filter(unit__in=visible).select_related("created_by")


@dataclass(frozen=True)
class FundsOverview:
    """Funds of ``year`` on ``as_of``: ``by_unit`` (key: unit), ``by_source`` (key:
    source) and ``pairs`` (key: (unit, source)) as :class:`~funding.rates.RateRow`
    (VND; disbursements dated up to ``as_of``), the expected rate on ``as_of`` from the
    ``milestones``, and the units and unit × source pairs below it (slow)."""

    year: int
    as_of: datetime.date
    by_unit: tuple[rates.RateRow, ...]
    by_source: tuple[rates.RateRow, ...]
    pairs: tuple[rates.RateRow, ...]
    total: rates.RateRow | None
    milestones: tuple[DisbursementMilestone, ...]
    expected: Decimal
    slow_units: tuple[rates.SlowRow, ...]
    slow_pairs: tuple[rates.SlowRow, ...]
    has_demo: bool


def fund_years() -> list[int]:
    """Years that have a fund allocation, newest first (one query)."""
    return list(FundAllocation.objects.order_by("-year").values_list("year", flat=True).distinct())


def funds_overview(
    *, visible: QuerySet[AdministrativeUnit], year: int, as_of: datetime.date
) -> FundsOverview:
    """Allocated and disbursed VND of ``year`` by unit, by source and by both, in
    ``visible``, with disbursements dated up to ``as_of``; the expected rate on
    ``as_of`` and the slow lists. Five queries."""
    allocated = {
        (row["unit_id"], row["source_id"]): (row["total"], row["demo"])
        for row in FundAllocation.objects.filter(year=year, unit__in=visible)
        .values("unit_id", "source_id")
        .annotate(total=Sum("amount"), demo=Count("pk", filter=Q(is_demo=True)))
    }
    disbursed = {
        (row["unit_id"], row["source_id"]): row["total"]
        for row in Disbursement.objects.filter(year=year, unit__in=visible, paid_on__lte=as_of)
        .values("unit_id", "source_id")
        .annotate(total=Sum("amount"))
    }
    keys = set(allocated) | set(disbursed)
    units = {
        u.pk: u
        for u in AdministrativeUnit.objects.filter(pk__in={k[0] for k in keys}).select_related("parent")
    }
    sources = {s.pk: s for s in FundSource.objects.filter(pk__in={k[1] for k in keys})}
    milestones = tuple(DisbursementMilestone.objects.filter(year=year).order_by("due_on"))

    def unit_order(pk):
        return (units[pk].code, units[pk].name)

    def source_order(pk):
        return (sources[pk].position, sources[pk].name)

    pair_keys = sorted(keys, key=lambda k: (unit_order(k[0]), source_order(k[1])))
    pairs = tuple(
        rates.RateRow(
            key=(units[u], sources[s]),
            allocated=allocated.get((u, s), (ZERO, False))[0],
            disbursed=disbursed.get((u, s), ZERO),
        )
        for u, s in pair_keys
    )

    def grouped(index: int, lookup: dict, order) -> tuple[rates.RateRow, ...]:
        totals: dict[int, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
        for key in keys:
            totals[key[index]][0] += allocated.get(key, (ZERO, False))[0]
            totals[key[index]][1] += disbursed.get(key, ZERO)
        return tuple(
            rates.RateRow(key=lookup[pk], allocated=a, disbursed=d)
            for pk, (a, d) in sorted(totals.items(), key=lambda item: order(item[0]))
        )

    by_unit = grouped(0, units, unit_order)
    by_source = grouped(1, sources, source_order)
    total = None
    if keys:
        total = rates.RateRow(
            key=None,
            allocated=sum((row.allocated for row in by_unit), ZERO),
            disbursed=sum((row.disbursed for row in by_unit), ZERO),
        )
    expected = rates.expected_rate_on(((m.due_on, m.expected_percent) for m in milestones), as_of)
    return FundsOverview(
        year=year,
        as_of=as_of,
        by_unit=by_unit,
        by_source=by_source,
        pairs=pairs,
        total=total,
        milestones=milestones,
        expected=expected,
        slow_units=tuple(rates.slow_rows(by_unit, expected=expected)),
        slow_pairs=tuple(rates.slow_rows(pairs, expected=expected)),
        has_demo=any(demo for _total, demo in allocated.values()),
    )
