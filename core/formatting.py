"""Numbers and dates as the portal writes them for people, in pages, messages,
workbooks and e-mails alike: the one home of these formats.

Vietnamese writing, in both interface languages (``core/formats``): a decimal comma
(17,23), a dot between thousands (1.234.567), no trailing zeros (26,70 -> 26,7; 100,00 ->
100), never an exponent (1E+2 -> 100); dates dd/mm/yyyy, never month-first. Functions
answer "" for None (percent: "—"), so that a template or message can pass an empty
value through. Machine formats (CSV, JSON, the API) keep ISO dates and a decimal point
and do not come here.
"""

import datetime
from decimal import Decimal
from fractions import Fraction

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.numbers import trim_decimal

DATE = "%d/%m/%Y"
DATETIME = "%d/%m/%Y %H:%M"


def _number(value) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    return Decimal(str(value))


def decimal_text(value, *, places: int | None = None, grouping: bool = True) -> str:
    """A number for people: ``Decimal("35.9000")`` -> "35,9"; 1234.5 -> "1.234,5"; 100 ->
    "100"; None -> "". With ``places``, rounded half-up to that many decimals, trailing
    zeros dropped (``places=2``: 14.0357142857… -> "14,04", 14.5 -> "14,5"). Without
    ``grouping`` no thousands dots, for an input box: 1234.5 -> "1234,5"."""
    number = _number(value)
    if number is None:
        return ""
    if places is not None:
        number = number.quantize(Decimal(1).scaleb(-places))
    return formats.number_format(trim_decimal(number), use_l10n=True, force_grouping=grouping)


def fixed_text(value, *, places: int) -> str:
    """A number with exactly ``places`` decimals shown: 95 -> "95,0" (``places=1``); None -> ""."""
    number = _number(value)
    if number is None:
        return ""
    return formats.number_format(number, decimal_pos=places, use_l10n=True, force_grouping=True)


def vnd_text(value) -> str:
    """Dong: ``Decimal(1234567)`` -> "1.234.567 đ"; None -> ""."""
    number = decimal_text(value)
    return f"{number} đ" if number else ""


def tonnes_text(value, *, places: int | None = None) -> str:
    """Tonnes: ``Decimal("12.500")`` -> "12,5 tấn" in Vietnamese ("12,5 t" in English);
    ``places`` as in :func:`decimal_text` (an exact quota to 3 decimals: 33,708 tấn);
    None -> ""."""
    number = decimal_text(value, places=places)
    return _("%(number)s t") % {"number": number} if number else ""


def percent_text(value, *, places: int | None = None, fixed: bool = False) -> str:
    """A percentage (0-100): ``Decimal("95.25")`` -> "95,25 %"; with ``places=1,
    fixed=True`` one decimal always shown, 95 -> "95,0 %"; None -> "—"."""
    if value is None or value == "":
        return "—"
    number = (
        fixed_text(value, places=places)
        if fixed and places is not None
        else decimal_text(value, places=places)
    )
    return f"{number} %"


def date_text(value: datetime.date | None) -> str:
    """A day: 6 July 2020 -> "06/07/2020"; None -> ""."""
    return value.strftime(DATE) if value is not None else ""


def datetime_text(value: datetime.datetime | None) -> str:
    """An instant in the portal's time zone (Asia/Ho_Chi_Minh): "06/07/2020 14:30"; None -> ""."""
    if value is None:
        return ""
    return (
        timezone.localtime(value).strftime(DATETIME) if timezone.is_aware(value) else value.strftime(DATETIME)
    )
