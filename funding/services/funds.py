"""Writes of funds: allocations (coordinators), disbursements (district officers in
their district, coordinators) and the expected disbursement rates (coordinators). Same
shape and order of checks as :mod:`funding.services.cement`; a disbursement beyond what its
unit was allocated from that source that year is refused after locking those
allocation rows, so two reports at the same moment cannot together exceed it."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from accounts.roles import require_permission
from communes.models import AdministrativeUnit
from communes.scope import require_unit
from core.exceptions import READ_ONLY_MESSAGE
from core.formatting import date_text, decimal_text, vnd_text
from funding.checks import ZERO, check_decision_date, check_not_future, check_vnd, check_year, decimal_places
from funding.models import Disbursement, DisbursementMilestone, FundAllocation, FundSource
from funding.services.holders import holder_errors


@transaction.atomic
def fund_allocation_create(
    *,
    user,
    unit: AdministrativeUnit,
    year: int,
    source: FundSource,
    amount: Decimal,
    decision_number: str = "",
    decision_date: datetime.date | None = None,
    note: str = "",
    is_demo: bool = False,
) -> FundAllocation:
    """Record funds allocated to ``unit`` for ``year`` from ``source`` (coordinators:
    ``funding.add_fundallocation``). ValidationError on "amount", "year", "unit" (not a
    district or commune in force in ``year``), "source" (inactive), "decision_date"
    (in the future)."""
    require_unit(user, unit, permission="funding.add_fundallocation")
    check_year(year)
    amount = check_vnd(amount, field="amount", label=_("Amount (VND)"))
    if errors := holder_errors([unit], year, held="funds", field=lambda _unit: "unit"):
        raise ValidationError(errors)
    if not source.is_active:
        raise ValidationError({"source": _("Source: %(source)s is no longer used.") % {"source": source}})
    check_decision_date(decision_date, year)
    row = FundAllocation(
        unit=unit,
        year=year,
        source=source,
        amount=amount,
        decision_number=(decision_number or "").strip(),
        decision_date=decision_date,
        note=(note or "").strip(),
        created_by=user,
        is_demo=is_demo,
    )
    row._history_user = user
    row.save()
    return row


@transaction.atomic
def disbursement_create(
    *,
    user,
    unit: AdministrativeUnit,
    year: int,
    source: FundSource,
    paid_on: datetime.date,
    amount: Decimal,
    note: str = "",
    is_demo: bool = False,
) -> Disbursement:
    """Report a disbursement of ``unit``'s ``year`` funds from ``source`` (district
    officers and coordinators in their change scope: ``funding.add_disbursement``).

    Refused on "amount" when the disbursements of that unit, year and source would
    exceed what was allocated (checked after locking those allocation rows); on
    "paid_on" in the future or before ``year``."""
    require_unit(user, unit, permission="funding.add_disbursement")
    check_year(year)
    amount = check_vnd(amount, field="amount", label=_("Amount (VND)"))
    if paid_on is None:
        raise ValidationError({"paid_on": _("Disbursement date: enter the date.")})
    check_not_future(paid_on, field="paid_on", label=_("Disbursement date"))
    if paid_on.year < year:
        raise ValidationError(
            {
                "paid_on": _("Disbursement date: funds of %(year)s cannot be disbursed before %(year)s.")
                % {"year": year}
            }
        )
    allocated = sum(
        FundAllocation.objects.select_for_update()
        .filter(unit=unit, year=year, source=source)
        .values_list("amount", flat=True),
        ZERO,
    )
    if allocated <= 0:
        raise ValidationError(
            {
                "source": _("Source: %(unit)s has no funds of %(source)s allocated for %(year)s.")
                % {"unit": unit, "source": source, "year": year}
            }
        )
    disbursed = (
        Disbursement.objects.filter(unit=unit, year=year, source=source).aggregate(total=Sum("amount"))[
            "total"
        ]
        or ZERO
    )
    if disbursed + amount > allocated:
        raise ValidationError(
            {
                "amount": _(
                    "Refused: %(unit)s would disburse more than its %(source)s allocation for %(year)s. "
                    "Allocated %(allocated)s, already disbursed %(disbursed)s: at most %(left)s more."
                )
                % {
                    "unit": unit,
                    "source": source,
                    "year": year,
                    "allocated": vnd_text(allocated),
                    "disbursed": vnd_text(disbursed),
                    "left": vnd_text(max(allocated - disbursed, ZERO)),
                }
            }
        )
    row = Disbursement(
        unit=unit,
        year=year,
        source=source,
        paid_on=paid_on,
        amount=amount,
        note=(note or "").strip(),
        created_by=user,
        is_demo=is_demo,
    )
    row._history_user = user
    row.save()
    return row


@transaction.atomic
def milestone_set(
    *, user, year: int, due_on: datetime.date, expected_percent: Decimal, is_demo: bool = False
) -> DisbursementMilestone:
    """Set the disbursement rate expected of the funds of ``year`` by ``due_on``
    (coordinators: ``funding.add_disbursementmilestone``); an existing milestone of the
    same day is changed. The rates must not go down over time: refused on
    "expected_percent" when an earlier milestone expects more, or a later one less.
    Also refused outside 0-100 (two decimals) and for a day before ``year``."""
    require_permission(user, "funding.add_disbursementmilestone", message=READ_ONLY_MESSAGE)
    check_year(year)
    if due_on is None:
        raise ValidationError({"due_on": _("By date: enter the date.")})
    if due_on.year < year:
        raise ValidationError({"due_on": _("By date: cannot be before %(year)s.") % {"year": year}})
    if (
        expected_percent is None
        or not expected_percent.is_finite()
        or not 0 <= expected_percent <= 100
        or decimal_places(expected_percent) > 2
    ):
        raise ValidationError(
            {"expected_percent": _("Expected rate (%): from 0 to 100, at most two decimals.")}
        )
    if message := milestone_rate_error(
        year=year, due_on=due_on, expected_percent=expected_percent, lock=True
    ):
        raise ValidationError({"expected_percent": message})
    milestone = DisbursementMilestone.objects.filter(
        year=year, due_on=due_on
    ).first() or DisbursementMilestone(year=year, due_on=due_on)
    milestone.expected_percent = expected_percent
    milestone.set_by = user
    milestone.is_demo = is_demo
    milestone._history_user = user
    milestone.save()
    return milestone


def milestone_rate_error(
    *, year: int, due_on: datetime.date, expected_percent: Decimal, exclude_pk=None, lock: bool = False
) -> str | None:
    """Why ``expected_percent`` by ``due_on`` would make the expected rates of ``year`` go
    down over time (an earlier milestone expects more, or a later one less), or None.
    The milestone of the same day (and ``exclude_pk``, the row being edited) is left
    out. Used by :func:`milestone_set` and by the admin's form, so both refuse alike."""
    others = DisbursementMilestone.objects.filter(year=year).exclude(due_on=due_on)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if lock:
        others = others.select_for_update()
    earlier = (
        others.filter(due_on__lt=due_on, expected_percent__gt=expected_percent).order_by("-due_on").first()
    )
    later = others.filter(due_on__gt=due_on, expected_percent__lt=expected_percent).order_by("due_on").first()
    for other in (earlier, later):
        if other is not None:
            return _(
                "Expected rate (%%): the rate expected by %(day)s is %(rate)s %%; rates cannot go down over time."
            ) % {"day": date_text(other.due_on), "rate": decimal_text(other.expected_percent)}
    return None
