"""Forms of the value-chain projects (a project, one condition's check) and of the OCOP
products (a product, the list's filter)."""

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from communes.models import AdministrativeUnit
from core.forms import CleanCharField
from funding.forms.fields import NumberField, StyledForm, UnitField, unit_choices, unit_label
from funding.models import CheckOutcome, OcopGroup, PartnerKind, ProjectStatus, ValueChainProject


class ProjectForm(StyledForm):
    """A value-chain project; ``communes`` are the xã it may be placed in."""

    name = CleanCharField(label=gettext_lazy("Name"), max_length=300)
    partner_name = CleanCharField(label=gettext_lazy("Lead enterprise or cooperative"), max_length=200)
    partner_kind = forms.ChoiceField(label=gettext_lazy("Kind of lead"), choices=PartnerKind.choices)
    product = CleanCharField(label=gettext_lazy("Product"), max_length=150)
    links_production = forms.BooleanField(label=gettext_lazy("Production linkage"), required=False)
    links_processing = forms.BooleanField(label=gettext_lazy("Processing linkage"), required=False)
    links_consumption = forms.BooleanField(label=gettext_lazy("Consumption linkage"), required=False)
    area_ha = NumberField(label=gettext_lazy("Area (ha)"), required=False)
    volume_tonnes = NumberField(label=gettext_lazy("Volume (tonnes a year)"), required=False)
    support_requested = NumberField(label=gettext_lazy("Support asked (VND)"))
    support_approved = NumberField(label=gettext_lazy("Support approved (VND)"), required=False)
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=ProjectStatus.choices)
    submission = CleanCharField(label=gettext_lazy("Submission"), max_length=150, required=False)
    communes = forms.ModelMultipleChoiceField(
        label=gettext_lazy("In communes"), queryset=AdministrativeUnit.objects.none(), required=False
    )
    note = CleanCharField(
        label=gettext_lazy("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, communes: QuerySet[AdministrativeUnit], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["communes"].queryset = communes
        self.fields["communes"].label_from_instance = unit_label
        self.fields["communes"].widget.attrs["size"] = "8"

    @staticmethod
    def initial_from(project: ValueChainProject) -> dict:
        """The form's initial values from a stored project."""
        names = [f.name for f in ValueChainProject._meta.fields]
        data = {name: getattr(project, name) for name in names}
        data["communes"] = list(project.communes.all())
        return data


class CheckForm(StyledForm):
    """One condition's check on a project: met or not met, and a note (why not)."""

    outcome = forms.ChoiceField(label=gettext_lazy("Outcome"), choices=CheckOutcome.choices)
    note = CleanCharField(label=gettext_lazy("Note"), max_length=500, required=False)


class OcopForm(StyledForm):
    """An OCOP product of one of ``communes``, optionally in one of ``projects``."""

    name = CleanCharField(label=gettext_lazy("Product"), max_length=200)
    group = forms.ChoiceField(
        label=gettext_lazy("Product group"), choices=[("", "—"), *OcopGroup.choices], required=False
    )
    producer_name = CleanCharField(label=gettext_lazy("Producer"), max_length=200)
    producer_kind = forms.ChoiceField(label=gettext_lazy("Kind of producer"), choices=PartnerKind.choices)
    commune = UnitField(label=gettext_lazy("Commune"))
    stars = forms.TypedChoiceField(
        label=gettext_lazy("Stars"), coerce=int, choices=[("3", "3 ★"), ("4", "4 ★"), ("5", "5 ★")]
    )
    rating_decision = CleanCharField(label=gettext_lazy("Rating decision"), max_length=60)
    rating_year = forms.IntegerField(label=gettext_lazy("Rating year"), min_value=2018, max_value=2100)
    project = forms.ModelChoiceField(
        label=gettext_lazy("Value-chain project"),
        queryset=ValueChainProject.objects.none(),
        required=False,
        empty_label="—",
    )

    def __init__(self, *args, communes, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].choices = unit_choices(communes)
        self.fields["project"].queryset = projects
        if not self.is_bound:
            self.initial.setdefault("rating_year", timezone.localdate().year)


class OcopFilterForm(forms.Form):
    """``?stars=3|4|5`` of the OCOP list (optional)."""

    stars = forms.TypedChoiceField(
        label=gettext_lazy("Stars"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", "—"), ("3", "3 ★"), ("4", "4 ★"), ("5", "5 ★")],
    )
