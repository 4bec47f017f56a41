"""Forms of the Excel report pages: which template to download, and the file to upload."""

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from criteria.forms_overview import UNKNOWN_CODE, PeriodChoiceField, SetChoiceField
from criteria.models import CriteriaSet, ReportingPeriod
from criteria.selectors_reports import report_communes
from criteria.services import incomplete_set_refusal


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        if obj.valid_until:
            return _("%(name)s (until %(day)s)") % {
                "name": obj.name,
                "day": date_format(obj.valid_until, "SHORT_DATE_FORMAT"),
            }
        return obj.name


class TemplateForm(forms.Form):
    """``?unit=<id>&period=<code>&criteria_set=<code>``: ``units`` are the provinces and
    districts the user may change (:func:`criteria.selectors_reports.template_units`)."""

    unit = UnitChoiceField(label=_("District or province"), queryset=None, empty_label=None)
    period = PeriodChoiceField(
        label=_("Reporting period"),
        queryset=ReportingPeriod.objects.order_by("-start", "kind"),
        to_field_name="code",
        empty_label=None,
        error_messages=UNKNOWN_CODE,
    )
    criteria_set = SetChoiceField(
        label=_("Criteria set"),
        queryset=CriteriaSet.objects.order_by("-effective_from", "code"),
        to_field_name="code",
        empty_label=None,
        error_messages=UNKNOWN_CODE,
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units

    def clean_criteria_set(self):
        criteria_set = self.cleaned_data["criteria_set"]
        if refusal := incomplete_set_refusal(criteria_set):
            raise forms.ValidationError(refusal)
        return criteria_set

    def clean(self):
        data = super().clean()
        unit, period = data.get("unit"), data.get("period")
        if unit and period and not report_communes(unit=unit, period=period).exists():
            self.add_error(
                "unit",
                _("%(unit)s has no commune (xã) in force at the end of %(period)s.")
                % {"unit": unit.name, "period": period.name},
            )
        return data


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Filled-in template (.xlsx)"),
        error_messages={"required": _("Choose the .xlsx file to upload."), "empty": _("The file is empty.")},
        allow_empty_file=True,  # open_workbook says so, naming the file
    )
