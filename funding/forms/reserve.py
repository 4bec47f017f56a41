"""Forms of the reserve proposal: the question (year, level, reserve, the points of each
priority) and the decision that approves it (the shares are read by
:func:`funding.forms.fields.read_amounts`)."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.forms import CleanCharField, date_field
from funding.allocation import Weights
from funding.forms.fields import NumberField, StyledForm, year_field
from funding.selectors.cement import Level


class ReserveForm(StyledForm):
    """The proposal's question (query string): year, level, reserve in whole tonnes, and
    the points of each priority (defaults: :class:`funding.allocation.Weights`)."""

    year = year_field()
    level = forms.ChoiceField(
        label=gettext_lazy("Share among"),
        choices=[
            (Level.DISTRICT, gettext_lazy("District level")),
            (Level.COMMUNE, gettext_lazy("Commune level")),
        ],
    )
    reserve = NumberField(label=gettext_lazy("Reserve (tonnes)"))
    usage = NumberField(label=gettext_lazy("Points for using all the cement"), required=False)
    per_registered = NumberField(
        label=gettext_lazy("Points per commune registered this year"), required=False
    )
    per_road_km = NumberField(label=gettext_lazy("Points per km of road to harden"), required=False)

    def clean_reserve(self):
        value = self.cleaned_data["reserve"]
        if value is None or value != value.to_integral_value() or not 1 <= value <= 10_000_000:
            raise forms.ValidationError(_("A whole number of tonnes, from 1 to 10.000.000."))
        return int(value)

    def _points(self, name):
        value = self.cleaned_data.get(name)
        if value is not None and (value < 0 or value > 1000):
            raise forms.ValidationError(_("From 0 to 1.000 points."))
        return value

    def clean_usage(self):
        return self._points("usage")

    def clean_per_registered(self):
        return self._points("per_registered")

    def clean_per_road_km(self):
        return self._points("per_road_km")

    def weights(self) -> Weights:
        """The weights entered, defaults for the empty ones."""
        default = Weights()
        data = self.cleaned_data
        return Weights(
            usage=data.get("usage") if data.get("usage") is not None else default.usage,
            per_registered=data.get("per_registered")
            if data.get("per_registered") is not None
            else default.per_registered,
            per_road_km=data.get("per_road_km")
            if data.get("per_road_km") is not None
            else default.per_road_km,
        )


class ApproveForm(StyledForm):
    """The decision that approves the reserve; the shares are read by
    :func:`~funding.forms.fields.read_amounts`."""

    decision_number = CleanCharField(label=gettext_lazy("Decision number"), max_length=60)
    decision_date = date_field(gettext_lazy("Decision date"))
    note = CleanCharField(label=gettext_lazy("Note"), max_length=1000, required=False)
