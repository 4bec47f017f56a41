"""Forms of the criteria catalogue pages. They read the input (a decimal comma is
accepted: "26,7"); the rules live in :mod:`criteria.services.catalogue`."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from communes.models import AdministrativeUnit, UnitLevel
from core.forms import DATE_INPUTS
from core.numbers import NumberFormatError, parse_decimal
from criteria.models import Comparison
from criteria.selectors.catalogue import departments


class IndicatorTargetForm(forms.Form):
    """A numeric indicator's comparison and target; an empty target clears it."""

    comparison = forms.ChoiceField(
        label=_("Comparison"),
        choices=[
            (Comparison.AT_LEAST.value, format_lazy("≥ {}", Comparison.AT_LEAST.label)),
            (Comparison.AT_MOST.value, format_lazy("≤ {}", Comparison.AT_MOST.label)),
            (Comparison.EQUAL.value, format_lazy("= {}", Comparison.EQUAL.label)),
        ],
    )
    target = forms.CharField(
        label=_("Target"),
        required=False,
        max_length=30,
        help_text=_(
            "A percentage as 0-100 (85 for 85 %); a decimal comma is fine: 26,7. Leave empty to clear."
        ),
    )

    def clean_target(self) -> Decimal | None:
        text = self.cleaned_data["target"].strip()
        if not text:
            return None
        try:
            return parse_decimal(text)
        except NumberFormatError:
            raise ValidationError(_("Enter a number, for example 26,7."), code="invalid") from None


class CriterionAgencyForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Responsible department"), queryset=departments())


class CriteriaSetCopyForm(forms.Form):
    """A provincial variant of a set: its own code, name, province and decision."""

    code = forms.CharField(
        label=_("Code"),
        max_length=60,
        help_text=_("Letters, digits and hyphens, e.g. tn-2017-2020."),
    )
    name = forms.CharField(label=_("Name"), max_length=255)
    province = forms.ModelChoiceField(
        label=_("Province"),
        queryset=AdministrativeUnit.objects.filter(level=UnitLevel.PROVINCE).order_by(
            F("valid_until").desc(nulls_first=True), "name"
        ),
    )
    decision = forms.CharField(label=_("Decision"), max_length=100, required=False)
    decision_date = forms.DateField(label=_("Decision date"), required=False, input_formats=DATE_INPUTS)
