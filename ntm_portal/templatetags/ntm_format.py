"""Number filters: decimals written the Vietnamese way, without trailing zeros."""

from decimal import Decimal

from django import template
from django.utils import formats

from ntm_portal.numbers import trim_decimal

register = template.Library()


def _normalized(value) -> Decimal | None:
    return None if value is None or value == "" else trim_decimal(Decimal(str(value)))


@register.filter
def decimal_vi(value) -> str:
    """35.9000 -> "35,9"; 1234.5 -> "1.234,5"; 100 -> "100"; None -> ""."""
    number = _normalized(value)
    return "" if number is None else formats.number_format(number, use_l10n=True, force_grouping=True)


@register.filter
def decimal_input(value) -> str:
    """The same without thousands separators, for an input box: 1234.5 -> "1234,5"."""
    number = _normalized(value)
    return "" if number is None else formats.number_format(number, use_l10n=True)
