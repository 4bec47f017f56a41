"""Writes of cement: batches and their allocations, deliveries, use reports; and the
checks every service module of the app shares (:mod:`funding.services.reserve` for the
approved reserve, :mod:`funding.services.funds` for fund allocations, disbursements and
expected rates, :mod:`funding.services.projects` for value-chain projects and OCOP).

Every function is keyword-only and owns its transaction; each checks, in order:

1. the unit lies in what the user may see (else :class:`OutOfScope`, a 404);
2. the user's role holds the permission (else ``PermissionDenied``, a 403: a leader or a
   department reads and never writes);
3. the unit lies in the user's change scope (else :class:`OutOfScope`);
4. the input (else ``ValidationError`` keyed by the form's field names, in the user's
   language, naming the field, the unit and the numbers): nothing is saved.

A use report (or delivery) that would take a holder beyond its allocation of the year,
or a disbursement beyond the allocation of its source, is refused. The check runs after
locking the holder's allocation rows of that year (``SELECT … FOR UPDATE``), so two
reports sent at the same moment are checked one after the other and cannot together
exceed the allocation. Every row written carries the acting user in its history.
"""

import datetime
from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scope import unit_scope
from communes.models import AdministrativeUnit, UnitLevel
from core.formatting import date_text, tonnes_text
from funding.models import (
    LINEAR_PURPOSES,
    BatchKind,
    CementAllocation,
    CementBatch,
    CementDelivery,
    CementUse,
    RoadKind,
    UsePurpose,
)

ZERO = Decimal(0)
MAX_TONNES = Decimal("999999999.999")
MAX_VND = Decimal("999999999999999999")
MAX_KM = Decimal("999999.999")
FIRST_YEAR, LAST_YEAR = 2010, 2100


class OutOfScope(Http404):
    """The unit lies outside what the user may see or change (answered as 404)."""


def require_change(user, unit: AdministrativeUnit, permission: str) -> None:
    """Raise :class:`OutOfScope` (404) outside the user's scope, 403 for a role without ``permission``, 404 outside
    the change scope (see the module's docstring)."""
    if not unit_scope(user).filter(pk=unit.pk).exists():
        raise OutOfScope
    if not user.has_perm(permission):
        raise PermissionDenied(_("Your role can read this but not change it."))
    if not unit_scope(user, for_change=True).filter(pk=unit.pk).exists():
        raise OutOfScope


def require_permission(user, permission: str) -> None:
    """Raise ``PermissionDenied`` (403) unless ``user``'s role holds ``permission``."""
    if not user.has_perm(permission):
        raise PermissionDenied(_("Your role can read this but not change it."))


def decimal_places(value: Decimal) -> int:
    """How many decimals ``value`` really has: 12.500 -> 1, 12 -> 0."""
    exponent = value.normalize().as_tuple().exponent
    return max(-exponent, 0) if isinstance(exponent, int) else 0


def check_tonnes(value, *, field: str, label: str, allow_zero: bool = False) -> Decimal:
    """``value`` as tonnes: more than 0 (or 0 with ``allow_zero``), at most three
    decimals, at most 999.999.999,999. Raises ValidationError on ``field`` naming
    ``label``."""
    if value is None or not isinstance(value, Decimal) or not value.is_finite():
        raise ValidationError({field: _("%(label)s: enter a number of tonnes.") % {"label": label}})
    if value < 0 or (value == 0 and not allow_zero):
        raise ValidationError({field: _("%(label)s: must be more than 0 tonnes.") % {"label": label}})
    if decimal_places(value) > 3:
        raise ValidationError({field: _("%(label)s: at most three decimals (kilograms).") % {"label": label}})
    if value > MAX_TONNES:
        raise ValidationError({field: _("%(label)s: the number is too large.") % {"label": label}})
    return value


def check_vnd(value, *, field: str, label: str) -> Decimal:
    """``value`` as VND: a whole number of dong, more than 0, at most 18 digits."""
    if value is None or not isinstance(value, Decimal) or not value.is_finite():
        raise ValidationError({field: _("%(label)s: enter an amount in dong.") % {"label": label}})
    if value <= 0:
        raise ValidationError({field: _("%(label)s: must be more than 0 đ.") % {"label": label}})
    if decimal_places(value) > 0:
        raise ValidationError(
            {field: _("%(label)s: a whole number of dong, without decimals.") % {"label": label}}
        )
    if value > MAX_VND:
        raise ValidationError({field: _("%(label)s: the number is too large.") % {"label": label}})
    return value


def check_year(year, *, field: str = "year") -> int:
    """``year`` if it is a programme year (2010-2100), else ValidationError on ``field``."""
    if not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError(
            {field: _("Year: from %(first)s to %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR}}
        )
    return year


def check_not_future(day: datetime.date, *, field: str, label: str) -> None:
    """ValidationError on ``field`` naming ``label`` when ``day`` is after today."""
    if day > timezone.localdate():
        raise ValidationError({field: _("%(label)s: cannot be in the future.") % {"label": label}})


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
    (a province merged into another in 2025, Bắc Kạn into Thái Nguyên, ran its own
    programme before the merger: its old districts and communes are not ours)."""
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
    "funds") of that year. One function for cement batches and fund allocations, so both
    refuse the same units with the same message."""
    field = field or (lambda unit: f"unit-{unit.pk}")
    errors = {field(unit): message for unit in units if (message := holder_error(unit, year))}
    if errors:
        return errors
    return {
        field(unit): message
        for unit in units
        if (message := _nesting_errors(units, year, held=held).get(f"unit-{unit.pk}"))
    }


def check_decision_date(day: datetime.date | None, year: int, *, field: str = "decision_date") -> None:
    """ValidationError on ``field`` when the decision of an allocation of ``year`` is
    dated neither in ``year`` nor in the year before (plans are decided late the year
    before at the earliest), or in the future."""
    if day is None:
        return
    check_not_future(day, field=field, label=_("Decision date"))
    if day.year not in (year - 1, year):
        raise ValidationError(
            {
                field: _(
                    "Decision date: %(day)s is not in %(year)s or %(before)s; check the year of the allocation."
                )
                % {"day": date_text(day), "year": year, "before": year - 1}
            }
        )


# --- Cement batches -----------------------------------------------------------------------


@transaction.atomic
def cement_batch_create(
    *,
    user,
    year: int,
    kind: str,
    decision_number: str,
    decision_date: datetime.date,
    allocations: Mapping[AdministrativeUnit, Decimal],
    note: str = "",
    basis: list | None = None,
    is_demo: bool = False,
) -> CementBatch:
    """Record a batch (coordinators: ``funding.add_cementbatch``) and its allocations
    (tonnes by holder; units with 0 are left out).

    Raises PermissionDenied; :class:`OutOfScope` for a unit outside the change scope;
    ValidationError on "year", "decision_number", "decision_date" (in the future, or
    not in ``year`` or the year before), "allocations" (none given) or "unit-<pk>"
    naming the unit (:func:`holder_errors`, shared with fund allocations): a unit that
    is not a district or commune in force in ``year`` under a province still in force,
    one holding cement of ``year`` inside another holder of the same year (a district
    and one of its communes), a bad number of tonnes.
    """
    require_permission(user, "funding.add_cementbatch")
    check_year(year)
    if kind not in BatchKind.values:
        raise ValidationError({"kind": _("Choose regular or reserve.")})
    decision_number = (decision_number or "").strip()
    if not decision_number:
        raise ValidationError({"decision_number": _("Decision number: enter the number of the decision.")})
    if decision_date is None:
        raise ValidationError({"decision_date": _("Decision date: enter the date of the decision.")})
    check_decision_date(decision_date, year)
    visible_for_change = unit_scope(user, for_change=True)
    wanted: dict[AdministrativeUnit, Decimal] = {}
    errors: dict[str, str] = {}
    for unit, tonnes in allocations.items():
        if not visible_for_change.filter(pk=unit.pk).exists():
            raise OutOfScope
        try:
            tonnes = check_tonnes(tonnes, field=f"unit-{unit.pk}", label=unit.name, allow_zero=True)
        except ValidationError as error:
            errors.update({key: " ".join(value) for key, value in error.message_dict.items()})
            continue
        if tonnes == 0:
            continue
        wanted[unit] = tonnes
    if errors:
        raise ValidationError(errors)
    if not wanted:
        raise ValidationError({"allocations": _("Enter the tonnes of at least one unit.")})
    errors = holder_errors(list(wanted), year)
    if errors:
        raise ValidationError(errors)
    batch = CementBatch(
        year=year,
        kind=kind,
        decision_number=decision_number,
        decision_date=decision_date,
        note=(note or "").strip(),
        basis=basis or [],
        created_by=user,
        is_demo=is_demo,
    )
    batch._history_user = user
    try:
        with transaction.atomic():
            batch.save()
    except IntegrityError:
        raise ValidationError(
            {
                "decision_number": _("Decision number: %(number)s is already recorded for %(year)s.")
                % {"number": decision_number, "year": year}
            }
        ) from None
    for unit, tonnes in sorted(wanted.items(), key=lambda item: item[0].code):
        row = CementAllocation(batch=batch, unit=unit, tonnes=tonnes)
        row._history_user = user
        row.save()
    return batch


def _nesting_errors(units: list[AdministrativeUnit], year: int, *, held: str = "cement") -> dict[str, str]:
    """A holder may not lie inside another holder of the same year, nor contain one: the
    use of a district and of its commune would be counted twice. ``held``: "cement"
    (cement allocations) or "funds" (fund allocations)."""
    from funding.models import FundAllocation

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


def _locked_allocated(unit: AdministrativeUnit, year: int) -> Decimal:
    """The tonnes allocated to ``unit`` for ``year``, after locking those allocation rows
    until the end of the transaction (serialises the reports of one holder and year)."""
    rows = list(
        CementAllocation.objects.select_for_update(of=("self",))
        .filter(unit=unit, batch__year=year)
        .values_list("tonnes", flat=True)
    )
    return sum(rows, ZERO)


# --- Use reports and deliveries -----------------------------------------------------------


@transaction.atomic
def cement_use_create(
    *,
    user,
    unit: AdministrativeUnit,
    year: int,
    used_on: datetime.date,
    tonnes: Decimal,
    purpose: str,
    description: str,
    evidence: str,
    road_kind: str = "",
    length_km: Decimal | None = None,
    place: AdministrativeUnit | None = None,
    is_demo: bool = False,
) -> CementUse:
    """Report that ``tonnes`` of ``unit``'s cement of ``year`` were used (district
    officers and coordinators, in their change scope: ``funding.add_cementuse``).

    Refused with a ValidationError on "tonnes", saying the allocation, what was used and
    what is left, when the report would take the unit's use of ``year`` beyond its
    allocation (checked under a lock, see the module's docstring); on "year" when
    nothing was allocated to ``unit`` that year; on "used_on" (in the
    future, or before ``year``), "purpose", "road_kind" (required for a road, only for
    a road), "length_km" (required for a road or canal, more than 0), "place" (not
    inside ``unit``), "description", "evidence" (empty). Raises :class:`OutOfScope` /
    PermissionDenied as the module says.
    """
    require_change(user, unit, "funding.add_cementuse")
    check_year(year)
    tonnes = check_tonnes(tonnes, field="tonnes", label=_("Tonnes used"))
    errors = {}
    if used_on is None:
        errors["used_on"] = _("Date of use: enter the date.")
    elif used_on > timezone.localdate():
        errors["used_on"] = _("Date of use: cannot be in the future.")
    elif used_on.year < year:
        errors["used_on"] = _("Date of use: cement of %(year)s cannot be used before %(year)s.") % {
            "year": year
        }
    if purpose not in UsePurpose.values:
        errors["purpose"] = _("Purpose: choose what the cement was used for.")
    road_kind = road_kind or ""
    if purpose == UsePurpose.ROAD and road_kind not in RoadKind.values:
        errors["road_kind"] = _("Road kind: choose the kind of road.")
    if purpose != UsePurpose.ROAD and road_kind:
        errors["road_kind"] = _("Road kind: only for a road.")
    if length_km is not None and (length_km <= 0 or length_km > MAX_KM or decimal_places(length_km) > 3):
        errors["length_km"] = _("Length (km): more than 0, at most three decimals.")
    elif length_km is None and purpose in LINEAR_PURPOSES:
        errors["length_km"] = _("Length (km): enter the length of the road or canal.")
    if place is not None and not AdministrativeUnit.objects.within(unit).filter(pk=place.pk).exists():
        errors["place"] = _("Commune or hamlet: %(place)s is not in %(unit)s.") % {
            "place": place,
            "unit": unit,
        }
    description = (description or "").strip()
    evidence = (evidence or "").strip()
    if not description:
        errors["description"] = _("Works: say what was built.")
    if not evidence:
        errors["evidence"] = _("Evidence: name the acceptance record or other evidence.")
    if errors:
        raise ValidationError(errors)
    allocated = _locked_allocated(unit, year)
    if allocated <= 0:
        raise ValidationError(
            {"year": _("%(unit)s has no cement allocated for %(year)s.") % {"unit": unit, "year": year}}
        )
    used = CementUse.objects.filter(unit=unit, year=year).aggregate(total=Sum("tonnes"))["total"] or ZERO
    if used + tonnes > allocated:
        raise ValidationError(
            {
                "tonnes": _(
                    "Refused: this report would take %(unit)s beyond its cement allocation for %(year)s. "
                    "Allocated %(allocated)s, already used %(used)s, this report %(tonnes)s: at most "
                    "%(left)s can still be reported."
                )
                % {
                    "unit": unit,
                    "year": year,
                    "allocated": tonnes_text(allocated),
                    "used": tonnes_text(used),
                    "tonnes": tonnes_text(tonnes),
                    "left": tonnes_text(max(allocated - used, ZERO)),
                }
            }
        )
    use = CementUse(
        unit=unit,
        year=year,
        used_on=used_on,
        tonnes=tonnes,
        purpose=purpose,
        road_kind=road_kind,
        length_km=length_km,
        place=place,
        description=description,
        evidence=evidence,
        created_by=user,
        is_demo=is_demo,
    )
    use._history_user = user
    use.save()
    return use


@transaction.atomic
def cement_delivery_create(
    *,
    user,
    unit: AdministrativeUnit,
    year: int,
    delivered_on: datetime.date,
    tonnes: Decimal,
    reference: str = "",
    is_demo: bool = False,
) -> CementDelivery:
    """Record cement handed over to ``unit`` for its allocation of ``year``
    (``funding.add_cementdelivery``, in the change scope). Refused on "tonnes" when the
    deliveries would exceed the allocation (checked under the same lock as use
    reports), on "year" when nothing was allocated to ``unit`` that year, on
    "delivered_on" in the future or before ``year``."""
    require_change(user, unit, "funding.add_cementdelivery")
    check_year(year)
    tonnes = check_tonnes(tonnes, field="tonnes", label=_("Tonnes delivered"))
    if delivered_on is None:
        raise ValidationError({"delivered_on": _("Delivery date: enter the date.")})
    check_not_future(delivered_on, field="delivered_on", label=_("Delivery date"))
    if delivered_on.year < year:
        raise ValidationError(
            {
                "delivered_on": _("Delivery date: cement of %(year)s cannot be delivered before %(year)s.")
                % {"year": year}
            }
        )
    allocated = _locked_allocated(unit, year)
    if allocated <= 0:
        raise ValidationError(
            {"year": _("%(unit)s has no cement allocated for %(year)s.") % {"unit": unit, "year": year}}
        )
    delivered = (
        CementDelivery.objects.filter(unit=unit, year=year).aggregate(total=Sum("tonnes"))["total"] or ZERO
    )
    if delivered + tonnes > allocated:
        raise ValidationError(
            {
                "tonnes": _(
                    "Refused: the deliveries to %(unit)s would exceed its cement allocation for %(year)s. "
                    "Allocated %(allocated)s, already delivered %(delivered)s: at most %(left)s more."
                )
                % {
                    "unit": unit,
                    "year": year,
                    "allocated": tonnes_text(allocated),
                    "delivered": tonnes_text(delivered),
                    "left": tonnes_text(max(allocated - delivered, ZERO)),
                }
            }
        )
    delivery = CementDelivery(
        unit=unit,
        year=year,
        delivered_on=delivered_on,
        tonnes=tonnes,
        reference=(reference or "").strip(),
        created_by=user,
        is_demo=is_demo,
    )
    delivery._history_user = user
    delivery.save()
    return delivery
