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
from criteria.models import Comparison, MeasureType, Verification
from criteria.selectors.catalogue import departments

TARGET_HELP = _("A percentage as 0-100 (85 for 85 %); a decimal comma is fine: 26,7. Leave empty to clear.")


def _decimal_or_none(text: str) -> Decimal | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return parse_decimal(text)
    except NumberFormatError:
        raise ValidationError(_("Enter a number, for example 26,7."), code="invalid") from None


class GroupTargetsMixin:
    """One optional target field per commune group of the set, named "group-<id>" (the
    key the services give their errors), labelled with the group's name."""

    def add_group_fields(self, groups, initial: dict | None = None) -> None:
        self.commune_groups = list(groups)
        for group in self.commune_groups:
            name = f"group-{group.pk}"
            self.fields[name] = forms.CharField(label=group.name, required=False, max_length=30)
            if initial and group.pk in initial:
                self.initial[name] = initial[group.pk]

    def group_fields(self):
        """The bound fields of the groups, in the groups' order."""
        return [self[f"group-{group.pk}"] for group in self.commune_groups]

    def clean(self):
        cleaned = super().clean()
        for group in self.commune_groups:
            name = f"group-{group.pk}"
            if name in cleaned:
                try:
                    cleaned[name] = _decimal_or_none(cleaned[name])
                except ValidationError as error:
                    self.add_error(name, f"{group.name}: {' '.join(error.messages)}")
        return cleaned

    def group_targets(self) -> dict[int, Decimal | None]:
        """The typed target of each group whose field was sent (None when left empty),
        by group id; a group whose field was not sent at all is left as it is."""
        return {
            group.pk: self.cleaned_data.get(f"group-{group.pk}")
            for group in self.commune_groups
            if f"group-{group.pk}" in self.data
        }


NUMERIC_COMPARISON_CHOICES = [
    (Comparison.AT_LEAST.value, format_lazy("≥ {}", Comparison.AT_LEAST.label)),
    (Comparison.AT_MOST.value, format_lazy("≤ {}", Comparison.AT_MOST.label)),
    (Comparison.EQUAL.value, format_lazy("= {}", Comparison.EQUAL.label)),
]


class IndicatorTargetForm(GroupTargetsMixin, forms.Form):
    """A numeric indicator's comparison and target, and its target for each commune
    group of the set (``groups``); an empty target clears it."""

    comparison = forms.ChoiceField(label=_("Comparison"), choices=NUMERIC_COMPARISON_CHOICES)
    target = forms.CharField(label=_("Target"), required=False, max_length=30, help_text=TARGET_HELP)

    def __init__(self, *args, groups=(), group_initial: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_group_fields(groups, group_initial)

    def clean_target(self) -> Decimal | None:
        return _decimal_or_none(self.cleaned_data["target"])


class IndicatorForm(GroupTargetsMixin, forms.Form):
    """An indicator of a set as a coordinator adds or edits it, with its target for each
    commune group of the set (``groups``). The rules are in
    :mod:`criteria.services.indicators`."""

    code = forms.CharField(
        label=_("Code"), max_length=10, help_text=_("The criterion's number, a dot and a number: 2.1, 17.1a.")
    )
    name = forms.CharField(label=_("Indicator"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    unit = forms.CharField(
        label=_("Unit"), max_length=60, required=False, help_text=_("e.g. %, km, triệu đồng/người/năm")
    )
    measure_type = forms.ChoiceField(label=_("Measure type"), choices=MeasureType.choices)
    comparison = forms.ChoiceField(
        label=_("Comparison"),
        choices=[*NUMERIC_COMPARISON_CHOICES, (Comparison.ACHIEVED.value, Comparison.ACHIEVED.label)],
    )
    target = forms.CharField(label=_("Target"), required=False, max_length=30, help_text=TARGET_HELP)
    verification = forms.ChoiceField(label=_("Verification"), choices=Verification.choices)
    source = forms.CharField(
        label=_("Source"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The legal act and annex, or the page the target was read from."),
    )

    def __init__(self, *args, groups=(), group_initial: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_group_fields(groups, group_initial)

    def clean_target(self) -> Decimal | None:
        return _decimal_or_none(self.cleaned_data["target"])


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
