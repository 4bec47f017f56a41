"""Forms of the Excel report pages: which template to download, and the file to upload."""

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from core.formatting import date_text
from core.text import vi_sort_key
from criteria.forms.overview import UNKNOWN_CODE, PeriodChoiceField, SetChoiceField
from criteria.models import CriteriaSet, ReportingPeriod
from criteria.selectors.reports import report_communes
from criteria.services.assessments import incomplete_set_refusal, period_lock_refusal


class _UnitsInOrder(ModelChoiceIterator):
    """Provinces first (the one in force before closed ones), then districts in Vietnamese
    alphabetical order (Chợ Đồn after Chợ Mới, Đại Từ after Cao Bằng's D…)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        units = sorted(
            self.queryset,
            key=lambda unit: (unit.level != "province", unit.valid_until is not None, vi_sort_key(unit.name)),
        )
        for unit in units:
            yield self.choice(unit)


class UnitChoiceField(forms.ModelChoiceField):
    iterator = _UnitsInOrder

    def label_from_instance(self, obj):
        if obj.valid_until:
            return _("%(name)s (until %(day)s)") % {
                "name": obj.name,
                "day": date_text(obj.valid_until),
            }
        return obj.name


class TemplateForm(forms.Form):
    """``?unit=<id>&period=<code>&criteria_set=<code>``: ``units`` are the provinces and
    districts the user may change (:func:`criteria.selectors.reports.template_units`).
    Refused, with the reason on the field: a set with criteria lacking indicators, a set
    not in force during the period, a unit with no xã at the period's end, a period
    locked for the user (only a coordinator changes it then: the upload would be refused)."""

    unit = UnitChoiceField(label=_("Reporting unit"), queryset=None, empty_label=None)
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

    def __init__(self, *args, user, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["unit"].queryset = units

    def clean_criteria_set(self):
        criteria_set = self.cleaned_data["criteria_set"]
        if refusal := incomplete_set_refusal(criteria_set):
            raise forms.ValidationError(refusal)
        return criteria_set

    def clean_period(self):
        period = self.cleaned_data["period"]
        if refusal := period_lock_refusal(self.user, period):
            raise forms.ValidationError(refusal)
        return period

    def clean(self):
        data = super().clean()
        unit, period, criteria_set = data.get("unit"), data.get("period"), data.get("criteria_set")
        if unit and period and not report_communes(unit=unit, period=period).exists():
            self.add_error(
                "unit",
                _("%(unit)s has no commune (xã) in force at the end of %(period)s.")
                % {"unit": unit.name, "period": period.name},
            )
        if period and criteria_set and not _in_force_during(criteria_set, period):
            self.add_error(
                "criteria_set",
                _("%(set)s is in force from %(start)s to %(end)s, not during %(period)s.")
                % {
                    "set": criteria_set.name,
                    "start": _day(criteria_set.effective_from),
                    "end": _day(criteria_set.effective_until),
                    "period": period.name,
                },
            )
        return data


def _in_force_during(criteria_set: CriteriaSet, period: ReportingPeriod) -> bool:
    starts, ends = criteria_set.effective_from, criteria_set.effective_until
    return (starts is None or period.end >= starts) and (ends is None or period.start <= ends)


def _day(day) -> str:
    return date_text(day) if day else "…"


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Filled-in template (.xlsx)"),
        error_messages={"required": _("Choose the .xlsx file to upload."), "empty": _("The file is empty.")},
        allow_empty_file=True,  # open_workbook says so, naming the file
    )
