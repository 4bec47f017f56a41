"""Forms of the funds pages: the overview's filter, a fund allocation, a disbursement,
an expected rate."""

from django import forms
from django.utils.translation import gettext_lazy

from core.forms import DATE_INPUTS, CleanCharField, date_field
from funding.forms.fields import NumberField, StyledForm, UnitField, unit_choices, year_field
from funding.models import FundSource


class FundsFilterForm(forms.Form):
    """``?year=&as_of=dd/mm/yyyy`` of the funds overview (both optional)."""

    year = year_field(required=False)
    as_of = forms.DateField(label=gettext_lazy("As of"), required=False, input_formats=DATE_INPUTS)


def _source_field():
    return forms.ModelChoiceField(
        label=gettext_lazy("Source"),
        queryset=FundSource.objects.filter(is_active=True).order_by("position", "name"),
        empty_label="—",
    )


class FundAllocationForm(StyledForm):
    """Funds allocated to one of ``units`` (districts and communes of the change scope)."""

    unit = UnitField(label=gettext_lazy("Locality"))
    year = year_field()
    source = _source_field()
    amount = NumberField(label=gettext_lazy("Amount (VND)"))
    decision_number = CleanCharField(label=gettext_lazy("Decision number"), max_length=60, required=False)
    decision_date = date_field(gettext_lazy("Decision date"), required=False)
    note = CleanCharField(label=gettext_lazy("Note"), max_length=300, required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = unit_choices(units)


class DisbursementForm(StyledForm):
    """A disbursement by one of ``holders`` (units with a fund allocation)."""

    unit = UnitField(label=gettext_lazy("Locality"))
    year = year_field(gettext_lazy("Allocation year"))
    source = _source_field()
    paid_on = date_field(gettext_lazy("Disbursement date"))
    amount = NumberField(label=gettext_lazy("Amount (VND)"))
    note = CleanCharField(label=gettext_lazy("Note"), max_length=300, required=False)

    def __init__(self, *args, holders, sources=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = unit_choices(holders)
        if sources is not None:
            self.fields["source"].queryset = sources


class MilestoneForm(StyledForm):
    """The disbursement rate (percent) expected of a year's funds by a date."""

    year = year_field()
    due_on = date_field(gettext_lazy("By date"))
    expected_percent = NumberField(label=gettext_lazy("Expected rate (%)"))
