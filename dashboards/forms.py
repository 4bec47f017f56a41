"""The dashboard's filter: ``?period=<code>&set=<code>&unit=<id>``, each optional. An
unknown value is an error on its field; the view shows the default instead."""

from django import forms
from django.utils.translation import gettext_lazy as _

from communes.models import AdministrativeUnit
from criteria.forms.overview import OverviewFilterForm


class DashboardFilterForm(OverviewFilterForm):
    """The overview's period and set, and the unit (province, former district or
    commune) whose subtree the figures cover."""

    unit = forms.ModelChoiceField(
        label=_("Area"),
        queryset=AdministrativeUnit.objects.all(),
        required=False,
        error_messages={"invalid_choice": _("There is no administrative unit with the id “%(value)s”.")},
    )
