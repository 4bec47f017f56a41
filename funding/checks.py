"""The checks of the numbers, years and dates every write of the app makes (cement,
funds, value-chain projects, the reserve), pure: no database. Each raises a
``ValidationError`` keyed by the form's field name, in the user's language, naming the
field (``label``) and the bound broken; it returns the value when it is good.

Bounds: tonnes more than 0 with at most three decimals (kilograms) up to
999.999.999,999 (the columns are ``DECIMAL(12, 3)``); VND a whole number of dong up to 18
digits (``DECIMAL(18, 0)``); km up to 999.999,999; programme years 2010-2100.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.formatting import date_text

ZERO = Decimal(0)
MAX_TONNES = Decimal("999999999.999")
MAX_VND = Decimal("999999999999999999")
MAX_KM = Decimal("999999.999")
FIRST_YEAR, LAST_YEAR = 2010, 2100


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
    """``value`` as VND: a whole number of dong, more than 0, at most 18 digits. Raises
    ValidationError on ``field`` naming ``label``."""
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
    """ValidationError on ``field`` naming ``label`` when ``day`` is after today (the
    portal's time zone)."""
    if day > timezone.localdate():
        raise ValidationError({field: _("%(label)s: cannot be in the future.") % {"label": label}})


def check_decision_date(day: datetime.date | None, year: int, *, field: str = "decision_date") -> None:
    """ValidationError on ``field`` when the decision of an allocation of ``year`` is
    dated neither in ``year`` nor in the year before (plans are decided late the year
    before at the earliest), or in the future. None (no date given) passes."""
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
