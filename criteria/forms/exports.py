"""The form that starts a background export: the overview's period and set, and the
unit whose subtree the workbook covers; each optional (the overview's defaults, the
user's whole scope). Whether the unit lies in the user's scope is the view's check."""

from django import forms
from django.utils.translation import gettext_lazy as _

from communes.models import AdministrativeUnit
from criteria.forms.overview import OverviewFilterForm


class SummaryExportForm(OverviewFilterForm):
    """``period=<code>&set=<code>&unit=<id>`` (POST), as the dashboard's filter names them."""

    unit = forms.ModelChoiceField(
        label=_("Area"),
        queryset=AdministrativeUnit.objects.all(),
        required=False,
        error_messages={"invalid_choice": _("There is no administrative unit with the id “%(value)s”.")},
    )
