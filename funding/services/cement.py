"""Writes of cement: batches and their allocations, deliveries, use reports. The other
service modules of the app have the same shape (:mod:`funding.services.reserve` for the
approved reserve, :mod:`funding.services.funds` for fund allocations, disbursements and
expected rates, :mod:`funding.services.projects` for value-chain projects and OCOP); the
checks of numbers, years and dates they share are :mod:`funding.checks`, the rule of
who may hold cement or funds :mod:`funding.services.holders`.

Every function is keyword-only, takes the acting ``user`` and owns its transaction; each
checks, in order (:func:`communes.scope.require_unit`):

1. the unit lies in what the user may see (else :class:`~core.exceptions.OutOfScope`, a 404);
2. the user's role holds the permission (else ``PermissionDenied``, a 403: a leader or a
   department reads and never writes);
3. the unit lies in the user's change scope (else ``OutOfScope``);
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

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import require_permission
from accounts.scope import unit_scope
from communes.models import AdministrativeUnit
from communes.scope import require_unit
from core.exceptions import READ_ONLY_MESSAGE, OutOfScope
from core.formatting import tonnes_text
from funding.checks import (
    MAX_KM,
    ZERO,
    check_decision_date,
    check_not_future,
    check_tonnes,
    check_year,
    decimal_places,
)
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
from funding.services.holders import holder_errors

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

    Raises PermissionDenied; :class:`~core.exceptions.OutOfScope` for a unit outside the
    change scope;
    ValidationError on "year", "decision_number", "decision_date" (in the future, or
    not in ``year`` or the year before), "allocations" (none given) or "unit-<pk>"
    naming the unit (:func:`funding.services.holders.holder_errors`, shared with fund
    allocations): a unit that
    is not a district or commune in force in ``year`` under a province still in force,
    one holding cement of ``year`` inside another holder of the same year (a district
    and one of its communes), a bad number of tonnes.
    """
    require_permission(user, "funding.add_cementbatch", message=READ_ONLY_MESSAGE)
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
    inside ``unit``), "description", "evidence" (empty). Raises ``OutOfScope`` /
    PermissionDenied as the module says.
    """
    require_unit(user, unit, permission="funding.add_cementuse")
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
    require_unit(user, unit, permission="funding.add_cementdelivery")
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
