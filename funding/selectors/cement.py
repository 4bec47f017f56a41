"""Read queries of cement: the overview by holder, a batch, one unit's page (its cement
and its funds of a year, with their history), the holders the use and delivery forms
offer, and the units of the programme a batch or a reserve goes to. The funds overview
is :mod:`funding.selectors.funds`, the reserve's candidates
:mod:`funding.selectors.reserve`. Like ``criteria.selectors.overview`` they take the
units the caller may see as a queryset (``visible = accounts.scope.unit_scope(user)``),
never the user, so a page, an export and a dashboard compute the same figures for the
same scope.

Every function runs a fixed number of queries whatever the number of units or rows
(sums are computed in the database, grouped by unit; ``tests/funding`` counts them).
Tonnes and VND are ``Decimal``; rates are percents from :mod:`funding.rates`.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from communes.models import AdministrativeUnit, UnitKind, UnitLevel
from funding import rates
from funding.models import (
    CementAllocation,
    CementBatch,
    CementDelivery,
    CementUse,
    Disbursement,
    FundAllocation,
)
from funding.selectors.history import unit_history

ZERO = Decimal(0)


class Level:
    """The two levels cement and funds are allocated to."""

    DISTRICT = UnitLevel.DISTRICT.value
    COMMUNE = UnitLevel.COMMUNE.value
    CHOICES = (DISTRICT, COMMUNE)


def reference_day(year: int, today: datetime.date) -> datetime.date:
    """The day whose structure a year's proposal uses: the year's last day, or today in
    the current year (2020 -> 31/12/2020, the 9 districts; 2026 -> today's communes)."""
    return min(datetime.date(year, 12, 31), today)


def _sum(queryset, field_name: str) -> dict:
    return {
        row["unit_id"]: row["total"] or ZERO
        for row in queryset.values("unit_id").annotate(total=Sum(field_name))
    }


# --- Cement overview ----------------------------------------------------------------------


@dataclass(frozen=True)
class CementRow:
    """One holder's cement for a year (tonnes)."""

    unit: AdministrativeUnit
    allocated: Decimal
    delivered: Decimal
    used: Decimal
    is_demo: bool = False

    @property
    def ratio(self) -> Decimal | None:
        """The usage ratio in percent (one decimal), None with nothing allocated."""
        return rates.usage_ratio(used=self.used, allocated=self.allocated)

    @property
    def band(self) -> str:
        """The colour band of the ratio (:func:`funding.rates.usage_band`)."""
        return rates.usage_band(self.ratio)

    @property
    def not_used(self) -> Decimal:
        """Allocated and not yet used (tồn chưa sử dụng)."""
        return max(self.allocated - self.used, ZERO)

    @property
    def not_delivered(self) -> Decimal:
        """Allocated and not yet handed over (never negative)."""
        return max(self.allocated - self.delivered, ZERO)


@dataclass(frozen=True)
class CementOverview:
    """The cement of ``year`` by holder (rows ordered by GSO code), the province total,
    and the year's batches (those with an allocation in scope)."""

    year: int
    rows: tuple[CementRow, ...]
    total: CementRow | None
    batches: tuple[CementBatch, ...]
    has_demo: bool


def cement_years(*, unit: AdministrativeUnit | None = None) -> list[int]:
    """Years that have a cement batch (with ``unit``: an allocation to that unit), newest
    first (one query)."""
    if unit is None:
        return list(CementBatch.objects.order_by("-year").values_list("year", flat=True).distinct())
    return list(
        CementAllocation.objects.filter(unit=unit)
        .order_by("-batch__year")
        .values_list("batch__year", flat=True)
        .distinct()
    )


def cement_has_demo(*, year: int) -> bool:
    """Whether a cement batch of ``year`` is illustrative demo data (one query)."""
    return CementBatch.objects.filter(year=year, is_demo=True).exists()


def cement_overview(*, visible: QuerySet[AdministrativeUnit], year: int) -> CementOverview:
    """Allocated, delivered, used (tonnes), usage ratio and what is left, per holder in
    ``visible`` for ``year``. Five queries."""
    allocations = CementAllocation.objects.filter(batch__year=year, unit__in=visible)
    allocated = {
        row["unit_id"]: (row["total"], row["demo"])
        for row in allocations.values("unit_id").annotate(
            total=Sum("tonnes"), demo=Count("pk", filter=Q(batch__is_demo=True))
        )
    }
    delivered = _sum(CementDelivery.objects.filter(year=year, unit__in=visible), "tonnes")
    used = _sum(CementUse.objects.filter(year=year, unit__in=visible), "tonnes")
    ids = set(allocated) | set(delivered) | set(used)
    units = AdministrativeUnit.objects.filter(pk__in=ids).select_related("parent").order_by("code", "name")
    rows = tuple(
        CementRow(
            unit=unit,
            allocated=allocated.get(unit.pk, (ZERO, False))[0],
            delivered=delivered.get(unit.pk, ZERO),
            used=used.get(unit.pk, ZERO),
            is_demo=bool(allocated.get(unit.pk, (ZERO, False))[1]),
        )
        for unit in units
    )
    total = None
    if rows:
        total = CementRow(
            unit=None,
            allocated=sum((r.allocated for r in rows), ZERO),
            delivered=sum((r.delivered for r in rows), ZERO),
            used=sum((r.used for r in rows), ZERO),
        )
    batches = tuple(
        CementBatch.objects.filter(year=year, allocations__unit__in=visible)
        .annotate(tonnes=Sum("allocations__tonnes", filter=Q(allocations__unit__in=visible)))
        .order_by("decision_date", "pk")
        .distinct()
    )
    has_demo = any(r.is_demo for r in rows) or any(b.is_demo for b in batches)
    return CementOverview(year=year, rows=rows, total=total, batches=batches, has_demo=has_demo)


def batch_in_scope(
    *, visible: QuerySet[AdministrativeUnit], pk
) -> tuple[CementBatch, list[CementAllocation]]:
    """A batch and its allocations to units in ``visible`` (by GSO code). Raises
    ``CementBatch.DoesNotExist`` when the batch does not exist or has no allocation in
    ``visible``. Two queries."""
    batch = CementBatch.objects.select_related("created_by").get(pk=pk)
    allocations = list(
        batch.allocations.filter(unit__in=visible)
        .select_related("unit", "unit__parent")
        .order_by("unit__code")
    )
    if not allocations:
        raise CementBatch.DoesNotExist
    return batch, allocations


# --- Rows for the REST API ----------------------------------------------------------------


def batches_in_scope(*, visible: QuerySet[AdministrativeUnit]) -> QuerySet[CementBatch]:
    """The batches with an allocation to a unit in ``visible`` (those
    :func:`batch_in_scope` shows), each with ``visible_allocations``: its allocations to
    units in ``visible``, by GSO code. Three queries for any number of batches (with
    the count of a page)."""
    allocations = CementAllocation.objects.filter(unit__in=visible)
    return (
        CementBatch.objects.filter(pk__in=allocations.values("batch_id"))
        .select_related("created_by")
        .prefetch_related(
            Prefetch(
                "allocations",
                queryset=allocations.select_related("unit").order_by("unit__code", "pk"),
                to_attr="visible_allocations",
            )
        )
    )


def allocations_in_scope(*, visible: QuerySet[AdministrativeUnit]) -> QuerySet[CementAllocation]:
    """Cement allocations to units in ``visible``, with their batch."""
    return CementAllocation.objects.filter(unit__in=visible).select_related("batch")


def deliveries_in_scope(*, visible: QuerySet[AdministrativeUnit]) -> QuerySet[CementDelivery]:
    """Deliveries to units in ``visible`` (as a unit's page lists them), with who recorded them."""
    return CementDelivery.objects.filter(unit__in=visible).select_related("created_by")


def uses_in_scope(*, visible: QuerySet[AdministrativeUnit]) -> QuerySet[CementUse]:
    """Use reports of units in ``visible`` (as a unit's page lists them), with who reported them."""
    return CementUse.objects.filter(unit__in=visible).select_related("created_by")


# --- One unit's page ----------------------------------------------------------------------


@dataclass(frozen=True)
class UnitFunding:
    """Everything of one holder for a year: cement allocations (with their batch),
    deliveries, use reports, fund allocations and disbursements, and the history of all
    of them (:class:`funding.selectors.history.HistoryEntry`, newest first)."""

    unit: AdministrativeUnit
    year: int
    cement: CementRow
    allocations: list
    deliveries: list
    uses: list
    fund_allocations: list
    disbursements: list
    funds_allocated: Decimal
    funds_disbursed: Decimal
    history: list = field(default_factory=list)

    @property
    def funds_rate(self) -> Decimal | None:
        """The unit's disbursement rate over every source, in percent."""
        return rates.disbursement_rate(disbursed=self.funds_disbursed, allocated=self.funds_allocated)


def unit_funding(*, unit: AdministrativeUnit, year: int) -> UnitFunding:
    """What ``unit`` was given and did in ``year``, with the history of every row of it
    (:func:`funding.selectors.history.unit_history`). Ten queries."""
    allocations = list(
        CementAllocation.objects.filter(unit=unit, batch__year=year)
        .select_related("batch")
        .order_by("batch__decision_date")
    )
    deliveries = list(CementDelivery.objects.filter(unit=unit, year=year).select_related("created_by"))
    uses = list(CementUse.objects.filter(unit=unit, year=year).select_related("place", "created_by"))
    fund_allocations = list(
        FundAllocation.objects.filter(unit=unit, year=year)
        .select_related("source")
        .order_by("source__position", "pk")
    )
    disbursements = list(
        Disbursement.objects.filter(unit=unit, year=year).select_related("source", "created_by")
    )
    history = unit_history(unit=unit, year=year)
    cement = CementRow(
        unit=unit,
        allocated=sum((a.tonnes for a in allocations), ZERO),
        delivered=sum((d.tonnes for d in deliveries), ZERO),
        used=sum((u.tonnes for u in uses), ZERO),
    )
    return UnitFunding(
        unit=unit,
        year=year,
        cement=cement,
        allocations=allocations,
        deliveries=deliveries,
        uses=uses,
        fund_allocations=fund_allocations,
        disbursements=disbursements,
        funds_allocated=sum((a.amount for a in fund_allocations), ZERO),
        funds_disbursed=sum((d.amount for d in disbursements), ZERO),
        history=history,
    )


def cement_holders(*, units: QuerySet[AdministrativeUnit]) -> QuerySet[AdministrativeUnit]:
    """Units of ``units`` that hold a cement allocation in some year (for the use and
    delivery forms), by GSO code."""
    held = CementAllocation.objects.values("unit_id")
    return units.filter(pk__in=held).select_related("parent").order_by("code", "name")


def latest_cement_year(*, units: QuerySet[AdministrativeUnit]) -> int | None:
    """The latest year in which a unit of ``units`` holds cement, or None (one query)."""
    return (
        CementAllocation.objects.filter(unit__in=units)
        .order_by("-batch__year")
        .values_list("batch__year", flat=True)
        .first()
    )


def programme_units(
    *, visible: QuerySet[AdministrativeUnit], level: str, day: datetime.date
) -> QuerySet[AdministrativeUnit]:
    """The units of ``level`` ("district", or "commune": rural communes, xã) in force on
    ``day`` in ``visible`` under a province still in force today. A province merged into
    another in 2025 (Bắc Kạn into Thái Nguyên) ran its own programme before the merger:
    its old districts are not shared Thái Nguyên's reserve."""
    units = visible.valid_on(day)
    if level == Level.DISTRICT:
        units = units.filter(
            level=UnitLevel.DISTRICT, parent__level=UnitLevel.PROVINCE, parent__valid_until__isnull=True
        )
    else:
        units = units.filter(kind=UnitKind.COMMUNE).filter(
            Q(parent__level=UnitLevel.PROVINCE, parent__valid_until__isnull=True)
            | Q(parent__parent__level=UnitLevel.PROVINCE, parent__parent__valid_until__isnull=True)
        )
    return units.select_related("parent").order_by("code", "name")
