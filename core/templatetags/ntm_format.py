"""Template filters for numbers: the formats of :mod:`core.formatting`, for pages.

``{% load ntm_format %}``, then ``{{ value|decimal_vi }}`` (1.234,5), ``|decimal_input``
(1234,5, for an input box), ``|vnd`` (1.234.567 đ), ``|tonnes`` (12,5 tấn),
``|fraction_tonnes`` (an exact quota: 33,708), ``|pct`` (95,25 %), ``|pct1`` (95,0 %),
``|points`` (two decimals at most: 14,04).
"""

from django import template

from core import formatting

register = template.Library()


@register.filter
def decimal_vi(value) -> str:
    """35.9000 -> "35,9"; 1234.5 -> "1.234,5"; 100 -> "100"; None -> ""."""
    return formatting.decimal_text(value)


@register.filter
def decimal_input(value) -> str:
    """The same without thousands separators, for an input box: 1234.5 -> "1234,5"."""
    return formatting.decimal_text(value, grouping=False)


@register.filter
def points(value) -> str:
    """A score or weight rounded to two decimals: 14.0357142857… -> "14,04"; None -> ""."""
    return formatting.decimal_text(value, places=2)


@register.filter
def vnd(value) -> str:
    """``Decimal(1234567)`` -> "1.234.567 đ"; None -> ""."""
    return formatting.vnd_text(value)


@register.filter
def tonnes(value) -> str:
    """``Decimal("12.500")`` -> "12,5 tấn" (Vietnamese) / "12,5 t"; None -> ""."""
    return formatting.tonnes_text(value)


@register.filter
def fraction_tonnes(value) -> str:
    """An exact quota (a ``Fraction``) to three decimals, without the unit: "33,708"."""
    return formatting.decimal_text(value, places=3)


@register.filter
def pct(value) -> str:
    """``Decimal("95.0")`` -> "95 %", ``Decimal("95.25")`` -> "95,25 %"; None -> "—"."""
    return formatting.percent_text(value)


@register.filter
def pct1(value) -> str:
    """A rate with one decimal always shown: ``Decimal("95")`` -> "95,0 %"; None -> "—"."""
    return formatting.percent_text(value, places=1, fixed=True)


@register.filter
def with_label(error, label) -> str:
    """An error message that names its field: "Tonnes used: …" (unchanged when the
    message already starts with the label, as the services' messages do)."""
    error, label = str(error), str(label)
    return error if not label or error.startswith(f"{label}:") else f"{label}: {error}"
