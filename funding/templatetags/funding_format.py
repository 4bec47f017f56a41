"""Filters of the cement and funds pages: VND as "1.234.567 đ", tonnes as "12,5 tấn",
percents as "95,2 %" (Vietnamese grouping and decimal comma in both languages, as the
rest of the portal writes numbers)."""

from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

from ntm_portal.templatetags.ntm_format import decimal_vi

register = template.Library()


@register.filter
def vnd(value) -> str:
    """``Decimal(1234567)`` -> "1.234.567 đ"; None -> ""."""
    return "" if value is None or value == "" else f"{decimal_vi(value)} đ"


@register.filter
def tonnes(value) -> str:
    """``Decimal("12.500")`` -> "12,5 tấn" (Vietnamese) / "12,5 t"; None -> ""."""
    return "" if value is None or value == "" else _("%(number)s t") % {"number": decimal_vi(value)}


@register.filter
def pct(value) -> str:
    """``Decimal("95.0")`` -> "95 %", ``Decimal("95.25")`` -> "95,25 %"; None -> "—"."""
    return "—" if value is None or value == "" else f"{decimal_vi(value)} %"


@register.filter
def pct1(value) -> str:
    """A rate with one decimal always shown: ``Decimal("95")`` -> "95,0 %"; None -> "—"."""
    if value is None or value == "":
        return "—"
    from django.utils import formats

    return f"{formats.number_format(Decimal(value), decimal_pos=1, use_l10n=True, force_grouping=True)} %"


@register.filter
def fraction_tonnes(value) -> str:
    """An exact quota (a ``Fraction``) to three decimals: 33,708."""
    if value is None:
        return ""
    return decimal_vi((Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.001")))


@register.filter
def with_label(error, label) -> str:
    """An error message that names its field: "Tonnes used: …" (unchanged when the
    message already starts with the label, as the services' messages do)."""
    error, label = str(error), str(label)
    return error if not label or error.startswith(f"{label}:") else f"{label}: {error}"


@register.filter
def decimal_km(value) -> str:
    """A plain decimal the Vietnamese way (km, points): "12,5"; None -> ""."""
    return "" if value is None or value == "" else decimal_vi(value)
