"""Forms of the unit pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from communes.models import UnitKind
from core.forms import DATE_INPUTS, BootstrapBoundField, CleanCharField


class TreeDateForm(forms.Form):
    """The day whose structure the province tree shows (default: today)."""

    on = forms.DateField(label=_("Structure on"), required=False, input_formats=DATE_INPUTS)


class UnitSearchForm(forms.Form):
    q = CleanCharField(label=_("Unit name"), max_length=100, required=False)


class HamletForm(forms.Form):
    bound_field_class = BootstrapBoundField

    name = CleanCharField(label=_("Hamlet name"), max_length=150)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (UnitKind.HAMLET, UnitKind.HAMLET.label),
            (UnitKind.RESIDENTIAL_GROUP, UnitKind.RESIDENTIAL_GROUP.label),
        ],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
