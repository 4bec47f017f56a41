"""Forms of the cement pages: the year shown, a batch's decision (the tonnes of each unit
are read by :func:`funding.forms.fields.read_amounts`), a use report, a delivery. What
they share (number fields, unit choices, styling) is :mod:`funding.forms.fields`."""

from django import forms
from django.utils.translation import gettext_lazy

from core.forms import CleanCharField, date_field
from funding.forms.fields import NumberField, StyledForm, UnitField, unit_choices, year_field
from funding.models import BatchKind, RoadKind, UsePurpose
from funding.selectors.cement import Level


class YearForm(forms.Form):
    """``?year=`` of an overview or a unit's page (optional)."""

    year = year_field(required=False)


class BatchForm(StyledForm):
    """A cement batch's decision; the tonnes of each unit are read by
    :func:`~funding.forms.fields.read_amounts`."""

    year = year_field()
    level = forms.ChoiceField(
        label=gettext_lazy("Allocated to"),
        choices=[
            (Level.DISTRICT, gettext_lazy("District level")),
            (Level.COMMUNE, gettext_lazy("Commune level")),
        ],
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=BatchKind.choices)
    decision_number = CleanCharField(label=gettext_lazy("Decision number"), max_length=60)
    decision_date = date_field(gettext_lazy("Decision date"))
    note = CleanCharField(
        label=gettext_lazy("Note"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CementUseForm(StyledForm):
    """A use report. ``holders`` are the units the user may report for; ``places`` the
    communes and hamlets the cement may have gone to."""

    unit = UnitField(label=gettext_lazy("Locality"))
    year = year_field(gettext_lazy("Allocation year"))
    used_on = date_field(gettext_lazy("Date of use"))
    tonnes = NumberField(label=gettext_lazy("Tonnes used"))
    purpose = forms.ChoiceField(label=gettext_lazy("Purpose"), choices=[("", "—"), *UsePurpose.choices])
    road_kind = forms.ChoiceField(
        label=gettext_lazy("Road kind"), choices=[("", "—"), *RoadKind.choices], required=False
    )
    length_km = NumberField(label=gettext_lazy("Length (km)"), required=False)
    place = UnitField(label=gettext_lazy("Commune or hamlet"), required=False)
    description = CleanCharField(label=gettext_lazy("Works"), max_length=300)
    evidence = CleanCharField(
        label=gettext_lazy("Evidence"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "E.g. acceptance record no. 12/BB-NT of 15/09/2020, photos kept by the commune."
        ),
    )

    def __init__(self, *args, holders, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = unit_choices(holders)
        self.fields["place"].choices = unit_choices(places)


class DeliveryForm(StyledForm):
    """Cement handed over to one of ``holders``."""

    unit = UnitField(label=gettext_lazy("Locality"))
    year = year_field(gettext_lazy("Allocation year"))
    delivered_on = date_field(gettext_lazy("Delivery date"))
    tonnes = NumberField(label=gettext_lazy("Tonnes delivered"))
    reference = CleanCharField(label=gettext_lazy("Delivery record"), max_length=150, required=False)

    def __init__(self, *args, holders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = unit_choices(holders)
