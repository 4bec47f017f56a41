"""What the forms of every funding topic share (:mod:`funding.forms.cement`,
:mod:`funding.forms.reserve`, :mod:`funding.forms.funds`, :mod:`funding.forms.projects`).

Numbers are read as people in the province write them
(:func:`core.numbers.parse_decimal`: "1.234.567" đ, "12,5" tấn) and shown back in input
boxes without thousands dots (:func:`core.formatting.decimal_text`); dates as
dd/mm/yyyy. A unit is chosen by id among those the user may change: the view finds it
with ``get_unit_or_404`` first, so a unit outside the scope answers 404, not a form
error. The rules that need the database (allocation limits) are the services'.
"""

import datetime
from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communes.models import AdministrativeUnit, UnitLevel
from core.formatting import DATE, decimal_text
from core.forms import BootstrapBoundField
from core.numbers import NumberFormatError, parse_decimal

YEAR_BOUNDS = {"min_value": 2010, "max_value": 2100}


class NumberInput(forms.TextInput):
    """A text box that shows a stored ``Decimal`` the way the field reads it back:
    decimal comma, no grouping, no trailing zeros (120.000 t -> "120", 50.50 ha ->
    "50,5"), so that editing never turns 120,000 into a hundred and twenty thousand."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, Decimal | int):
            return decimal_text(value, grouping=False)
        return super().format_value(value)


class NumberField(forms.Field):
    """A number written the Vietnamese way ("1.234.567", "12,5"), as ``Decimal``; empty
    is None (``required=False``)."""

    widget = NumberInput

    def to_python(self, value):
        value = (value or "").strip() if isinstance(value, str) else value
        if value in ("", None):
            return None
        if isinstance(value, Decimal):
            return value
        try:
            return parse_decimal(str(value))
        except NumberFormatError:
            raise forms.ValidationError(
                _("“%(value)s” is not a number (write 1.234.567 or 12,5)."),
                params={"value": value},
                code="invalid",
            ) from None


def unit_label(unit: AdministrativeUnit) -> str:
    """ "Xã Phúc Lương — Huyện Đại Từ (05767)"."""
    label = unit.name
    if unit.parent_id and unit.parent.level != UnitLevel.PROVINCE:
        label += f" — {unit.parent.name}"
    return f"{label} ({unit.code})" if unit.code else label


def unit_choices(units) -> list[tuple[str, str]]:
    """Select options (id, label) for ``units``, with an empty first option."""
    return [("", "—"), *((str(u.pk), unit_label(u)) for u in units)]


class UnitField(forms.TypedChoiceField):
    """A unit chosen by id among ``units`` (a list or queryset given at init)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("coerce", int)
        kwargs.setdefault("empty_value", None)
        super().__init__(*args, **kwargs)


class StyledForm(forms.Form):
    """Bootstrap classes on every widget; ``is-invalid`` on fields with errors."""

    bound_field_class = BootstrapBoundField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select form-select-sm"
            else:
                css = "form-control form-control-sm"
            widget.attrs["class"] = css
            if isinstance(field, forms.DateField):
                widget.attrs.update({"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "maxlength": "10"})
                widget.format = DATE


def year_field(label=None, *, required=True) -> forms.IntegerField:
    """A programme year, 2010 to 2100 (label "Year" unless given)."""
    return forms.IntegerField(label=label or gettext_lazy("Year"), required=required, **YEAR_BOUNDS)


def read_amounts(data, units, *, prefix: str) -> tuple[dict, dict[str, str]]:
    """Read the inputs ``<prefix>-<unit id>`` of ``units``: ({unit: Decimal}, errors keyed
    ``<prefix>-<unit id>`` naming the unit). Empty inputs are left out."""
    values, errors = {}, {}
    for unit in units:
        raw = (data.get(f"{prefix}-{unit.pk}") or "").strip()
        if not raw:
            continue
        try:
            values[unit] = parse_decimal(raw)
        except NumberFormatError:
            errors[f"{prefix}-{unit.pk}"] = _("%(unit)s: “%(value)s” is not a number.") % {
                "unit": unit.name,
                "value": raw,
            }
    return values, errors


def default_year(years: list[int], today: datetime.date) -> int:
    """The newest year with data, or this year."""
    return years[0] if years else today.year
