"""Forms of the programme targets page: a new target, and the count and source of one.
The rules (which units, which years, a source with a count, no second target of a unit
for a level and year) are the service's (:mod:`criteria.services.targets`); its errors
come back on these fields."""

from django import forms
from django.db.models import F, QuerySet
from django.utils.translation import gettext_lazy as _

from communes.models import AdministrativeUnit
from core.forms import BootstrapBoundField, CleanCharField, WholeNumberField
from criteria.forms.overview import UnitChoiceField
from criteria.models import ProgrammeTarget, RecognitionLevel
from criteria.services.targets import TARGET_UNIT_LEVELS

_INPUT = {"class": "form-control form-control-sm"}


def _count_field():
    return WholeNumberField(
        label=_("Target (units recognised)"),
        required=False,
        help_text=_("Leave empty while not known."),
        error_messages={
            "invalid": _("Target: type a whole number, or leave it empty while it is not known.")
        },
        widget=forms.TextInput(attrs={**_INPUT, "inputmode": "numeric"}),
    )


def _source_field():
    return CleanCharField(
        label=_("Source"),
        required=False,
        max_length=ProgrammeTarget._meta.get_field("source").max_length,
        help_text=_("The decision or notice that sets the target, e.g. Thông báo 58/TB-UBND ngày 06/7/2020."),
        widget=forms.TextInput(attrs=_INPUT),
    )


class ProgrammeTargetForm(forms.Form):
    """A new target: the unit (the province or a district of ``units``, the user's change
    scope, in force first), the level, the year it is due by, its count and source."""

    bound_field_class = BootstrapBoundField

    unit = UnitChoiceField(
        label=_("Province or district"),
        queryset=AdministrativeUnit.objects.none(),
        error_messages={"required": _("Choose the province or a district.")},
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    level = forms.ChoiceField(
        label=_("Recognition level"),
        choices=RecognitionLevel.choices,
        error_messages={"required": _("Choose a recognition level.")},
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    year = forms.IntegerField(
        label=_("By the end of year"),
        error_messages={
            "required": _("Year: type the year the target is due by."),
            "invalid": _("Year: type a year, e.g. 2025."),
        },
        widget=forms.NumberInput(attrs={**_INPUT, "min": 2010, "max": 2100}),
    )
    count = _count_field()
    source = _source_field()

    def __init__(self, *args, units: QuerySet[AdministrativeUnit], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = (
            units.filter(level__in=TARGET_UNIT_LEVELS)
            .select_related("parent")
            .order_by(
                F("parent_id").asc(nulls_first=True), F("valid_until").desc(nulls_first=True), "code", "pk"
            )
        )


class ProgrammeTargetEditForm(forms.Form):
    """The count and source of a target, and the version it was read at (hidden)."""

    bound_field_class = BootstrapBoundField

    count = _count_field()
    source = _source_field()
    version = forms.CharField(widget=forms.HiddenInput, max_length=20)
