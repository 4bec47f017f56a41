"""Read numbers the way people in the province write them. Pure, no database.

"17,23", " 17,23 ", "1.234,5", "1 234,5", "85%", "17.23" (a lone dot with 1-2 decimals is a
decimal point, as spreadsheets export) -> Decimal. Vietnamese writing uses the comma as
decimal separator and the dot for thousands.
"""

import re
from decimal import Decimal, InvalidOperation

from core.text import clean

_THOUSANDS_DOTS = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$")
_PLAIN = re.compile(r"^-?\d+([.,]\d+)?$")


class NumberFormatError(ValueError):
    """The text is not a number in any accepted spelling."""


def parse_decimal(text: str) -> Decimal:
    """Parse ``text`` to a Decimal; a trailing "%" is dropped (the value stays 0-100).

    "1.234,5" -> 1234.5; "1.234" -> 1234 (dot groups of three are thousands);
    "17,23" and "17.23" -> 17.23. Raises :class:`NumberFormatError` otherwise.
    """
    value = clean(text).replace("\u202f", "").replace(" ", "")
    if value.endswith("%"):
        value = value[:-1]
    if _THOUSANDS_DOTS.match(value):
        value = value.replace(".", "").replace(",", ".")
    elif _PLAIN.match(value):
        value = value.replace(",", ".")
    else:
        raise NumberFormatError(text)
    try:
        return Decimal(value)
    except InvalidOperation:
        raise NumberFormatError(text) from None


def trim_decimal(value: Decimal | None) -> Decimal | None:
    """``value`` without trailing fractional zeros and never in exponent form:
    26.70 -> 26.7, 36.00 -> 36, 100.00 -> 100; None stays None."""
    if value is None:
        return None
    normalized = value.normalize()
    if normalized.as_tuple().exponent > 0:
        normalized = normalized.quantize(Decimal(1))
    return normalized
