"""Forms of the accounts pages: a coordinator issues an API token."""

import datetime
from itertools import groupby

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency, AgencyKind, ApiToken, TokenAccess
from accounts.services import token_role
from core.forms import BootstrapBoundField, CleanCharField, WholeNumberField, date_field
from core.text import vi_sort_key

# What a token is issued for when the coordinator does not change it.
TOKEN_DEFAULT_DAYS = 90

# The kinds of agency in the order the select shows them: another system first (what a
# token is usually for), then the province's own agencies from the top down.
_KIND_ORDER = [
    AgencyKind.EXTERNAL_SYSTEM,
    AgencyKind.PROVINCIAL_DEPARTMENT,
    AgencyKind.COORDINATION_OFFICE,
    AgencyKind.DISTRICT_COMMITTEE,
    AgencyKind.COMMUNE_COMMITTEE,
    AgencyKind.STEERING_COMMITTEE,
    AgencyKind.LEADERSHIP,
    AgencyKind.OTHER,
]


class _AgenciesByKind(ModelChoiceIterator):
    """The agencies in one ``<optgroup>`` per kind (:data:`_KIND_ORDER`), each group in
    Vietnamese alphabetical order: one query."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        rank = {kind: index for index, kind in enumerate(_KIND_ORDER)}
        agencies = sorted(self.queryset, key=lambda a: (rank.get(a.kind, len(rank)), vi_sort_key(a.name)))
        for kind, members in groupby(agencies, key=lambda a: a.kind):
            yield (AgencyKind(kind).label, [self.choice(agency) for agency in members])


class AgencyField(forms.ModelChoiceField):
    """An agency that takes new work (``Agency.objects.assignable()``), grouped by kind,
    each named with the role its token acts with ("Sở Xây dựng · Cán bộ sở, ngành")."""

    iterator = _AgenciesByKind

    def __init__(self, **kwargs):
        super().__init__(Agency.objects.assignable().select_related("scope"), empty_label="—", **kwargs)

    def label_from_instance(self, obj):
        return f"{obj.name} · {token_role(obj).label}"


class ApiTokenForm(forms.Form):
    """A token for another provincial system: its name, its agency (whose role and scope
    it acts with), read only or read and write, and the last day it works. The rules
    (a name, an agency in force, at most a year) are the service's
    (:func:`accounts.services.api_token_issue`); its errors come back on these fields."""

    bound_field_class = BootstrapBoundField

    name = CleanCharField(
        label=_("System name"),
        max_length=ApiToken._meta.get_field("name").max_length,
        help_text=_("The system that will use the token."),
        error_messages={"required": _("Name the system that will use the token.")},
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )
    agency = AgencyField(
        label=_("Agency"),
        help_text=_("The token sees and changes what a person of this agency may, in its scope."),
        error_messages={"required": _("Choose the agency the token acts for.")},
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    access = forms.ChoiceField(
        label=_("Access"),
        choices=TokenAccess.choices,
        initial=TokenAccess.READ,
        error_messages={"required": _("Choose read only or read and write.")},
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    expires_on = date_field(
        _("Valid until"), attrs={"class": "form-control", "placeholder": "dd/mm/yyyy", "autocomplete": "off"}
    )

    def __init__(self, *args, today: datetime.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        today = today or timezone.localdate()
        self.fields["expires_on"].initial = today + datetime.timedelta(days=TOKEN_DEFAULT_DAYS)
        self.fields["expires_on"].help_text = _(
            "The token works until the end of this day; at most a year from today."
        )
        self.fields["expires_on"].error_messages["required"] = _(
            "Type the last day the token works (dd/mm/yyyy)."
        )

    def values(self) -> dict:
        """The cleaned values as :func:`accounts.services.api_token_issue` takes them."""
        data = self.cleaned_data
        return {
            "name": data["name"],
            "agency": data["agency"],
            "access": data["access"],
            "expires_on": data["expires_on"],
        }


class StaffingRowForm(forms.Form):
    """One coordination office of the staffing table: its id and the version it was read
    at (hidden), and its two counts, empty while not reported. The rules of the counts
    (0 to 999, the staff required given with the staff in post) are the service's
    (:func:`accounts.services.agency_staffing_update`); its errors come back on these
    fields. The counts carry their initial value in hidden inputs (``show_hidden_initial``),
    so that only the rows the user changed are saved and checked against their version:
    a row someone else changed meanwhile, left as it was, is not a conflict."""

    bound_field_class = BootstrapBoundField
    COUNTS = ("required", "actual")

    agency = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.CharField(widget=forms.HiddenInput, max_length=20)
    required = WholeNumberField(
        label=_("Staff required"),
        required=False,
        show_hidden_initial=True,
        error_messages={"invalid": _("Staff required: type a whole number.")},
        widget=forms.TextInput(
            attrs={"class": "form-control form-control-sm", "inputmode": "numeric", "size": 5}
        ),
    )
    actual = WholeNumberField(
        label=_("Staff in post"),
        required=False,
        show_hidden_initial=True,
        error_messages={"invalid": _("Staff in post: type a whole number.")},
        widget=forms.TextInput(
            attrs={"class": "form-control form-control-sm", "inputmode": "numeric", "size": 5}
        ),
    )

    def counts_changed(self) -> bool:
        """Whether the user changed one of the two counts of this row."""
        return any(name in self.changed_data for name in self.COUNTS)


StaffingFormSet = forms.formset_factory(StaffingRowForm, extra=0)
