"""Which units may hold cement or funds of a year: the one rule for cement batches
(:func:`funding.services.cement.cement_batch_create`) and fund allocations
(:func:`funding.services.funds.fund_allocation_create`), so both refuse the same units
with the same message. It reads the database (the units' parents, the holders of the
year already recorded), hence here and not in :mod:`funding.checks`.

A holder is a district or commune in force in the year, under a province still in force
(a province merged into another in 2025, Bắc Kạn into Thái Nguyên, ran its own
programme before the merger: its old districts and communes are not ours), and it never
lies inside another holder of the same year nor contains one (the use of a district and
of its commune would be counted twice).
"""

import datetime

from django.db.models import Q
from django.utils.translation import gettext as _

from communes.models import AdministrativeUnit, UnitLevel
from funding.models import CementAllocation, FundAllocation


def _in_force_during(unit: AdministrativeUnit, year: int) -> bool:
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return (unit.valid_from is None or unit.valid_from <= end) and (
        unit.valid_until is None or unit.valid_until >= start
    )


def _province_of(unit: AdministrativeUnit) -> AdministrativeUnit | None:
    """The province ``unit`` lies in (itself for a province), walking up the parents."""
    current, steps = unit, 0
    while current is not None and current.level != UnitLevel.PROVINCE and steps < 5:
        current, steps = current.parent, steps + 1
    return current


def holder_error(unit: AdministrativeUnit, year: int) -> str | None:
    """Why ``unit`` cannot hold an allocation (cement or funds) of ``year``, or None: it
    must be a district or commune in force in ``year``, under a province still in force
    (see the module's docstring). Reads the unit's parents."""
    if unit.level not in (UnitLevel.DISTRICT, UnitLevel.COMMUNE):
        return _("%(unit)s: cement and funds are allocated to districts and communes only.") % {"unit": unit}
    if not _in_force_during(unit, year):
        return _("%(unit)s was not in force in %(year)s.") % {"unit": unit, "year": year}
    province = _province_of(unit)
    if province is None or province.valid_until is not None:
        return _(
            "%(unit)s belonged to %(province)s, a province that ran its own programme: "
            "it cannot hold cement or funds of this province."
        ) % {"unit": unit, "province": province or "—"}
    return None


def holder_errors(
    units: list[AdministrativeUnit], year: int, *, held: str = "cement", field=None
) -> dict[str, str]:
    """Every reason why ``units`` cannot hold allocations of ``year`` together, keyed by
    ``field(unit)`` (default "unit-<pk>"): :func:`holder_error` for each, then the
    nesting rule (:func:`_nesting_errors`) against the holders of ``held`` ("cement" or
    "funds") of that year. Empty when they all may."""
    field = field or (lambda unit: f"unit-{unit.pk}")
    errors = {field(unit): message for unit in units if (message := holder_error(unit, year))}
    if errors:
        return errors
    return {
        field(unit): message
        for unit in units
        if (message := _nesting_errors(units, year, held=held).get(f"unit-{unit.pk}"))
    }


def _nesting_errors(units: list[AdministrativeUnit], year: int, *, held: str = "cement") -> dict[str, str]:
    """A holder may not lie inside another holder of the same year, nor contain one: the
    use of a district and of its commune would be counted twice. ``held``: "cement"
    (cement allocations) or "funds" (fund allocations)."""
    errors = {}
    ids = {unit.pk for unit in units}
    parents = {unit.parent_id for unit in units if unit.parent_id}
    if held == "funds":
        related = FundAllocation.objects.filter(year=year)
        template = _("%(unit)s: %(other)s already holds funds of %(year)s; allocate to one of the two only.")
    else:
        related = CementAllocation.objects.filter(batch__year=year)
        template = _("%(unit)s: %(other)s already holds cement of %(year)s; allocate to one of the two only.")
    related = related.filter(Q(unit_id__in=parents) | Q(unit__parent_id__in=ids)).select_related("unit")
    holders = {row.unit for row in related}
    for unit in units:
        for other in holders:
            if other.pk == unit.parent_id or other.parent_id == unit.pk:
                errors[f"unit-{unit.pk}"] = template % {"unit": unit, "other": other, "year": year}
        if unit.parent_id in ids:
            errors[f"unit-{unit.pk}"] = _("%(unit)s lies inside another unit of this batch.") % {"unit": unit}
    return errors
