"""Forms of the assessment pages. The per-indicator inputs are named ``n-<id>`` (number),
``a-<id>`` (Đạt "1" / Không đạt "0" / none "") and ``e-<id>`` (evidence)."""

from django import forms
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.numbers import NumberFormatError, parse_decimal
from core.text import clean
from criteria.models import CriteriaSet, Indicator, ReportingPeriod
from criteria.services.assessments import ValueInput

EVIDENCE_MAX = 2000


def read_values(data, indicators: list[Indicator]) -> tuple[dict[int, ValueInput], dict[str, str]]:
    """Read the posted inputs of ``indicators``: (values by indicator id, errors keyed
    ``indicator-<id>`` naming the indicator code). Absent inputs are not returned."""
    values, errors = {}, {}
    for indicator in indicators:
        if f"n-{indicator.pk}" not in data and f"a-{indicator.pk}" not in data:
            continue
        raw_number = clean(data.get(f"n-{indicator.pk}", ""))
        raw_achieved = data.get(f"a-{indicator.pk}", "")
        evidence = data.get(f"e-{indicator.pk}", "").strip()
        number = None
        if raw_number:
            try:
                number = parse_decimal(raw_number)
            except NumberFormatError:
                errors[f"indicator-{indicator.pk}"] = _("%(code)s: “%(value)s” is not a number.") % {
                    "code": indicator.code,
                    "value": raw_number,
                }
                continue
        if raw_achieved not in ("", "1", "0"):
            errors[f"indicator-{indicator.pk}"] = _("%(code)s: choose Đạt or Không đạt.") % {
                "code": indicator.code
            }
            continue
        if len(evidence) > EVIDENCE_MAX:
            errors[f"indicator-{indicator.pk}"] = _(
                "%(code)s: the evidence note is longer than %(max)s characters."
            ) % {
                "code": indicator.code,
                "max": EVIDENCE_MAX,
            }
            continue
        achieved = None if raw_achieved == "" else raw_achieved == "1"
        values[indicator.pk] = ValueInput(number=number, achieved=achieved, evidence=evidence)
    return values, errors


class AssessmentCreateForm(forms.Form):
    """Start an assessment: the commune (hidden), a period and a set by code, the newest
    first. The view sets the initial period and set to a pair that can be used today
    (:func:`criteria.services.assessments.assessment_start_defaults`)."""

    commune = forms.IntegerField(widget=forms.HiddenInput)
    period = forms.ModelChoiceField(
        ReportingPeriod.objects.order_by("-start", "kind"),
        label=gettext_lazy("Period"),
        to_field_name="code",
        empty_label=None,
    )
    criteria_set = forms.ModelChoiceField(
        CriteriaSet.objects.order_by(F("effective_from").desc(nulls_last=True), "code"),
        label=gettext_lazy("Criteria set"),
        to_field_name="code",
        empty_label=None,
    )


class ReasonForm(forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    reason = forms.CharField(label=gettext_lazy("Reason"), required=False, max_length=2000)


class CommentForm(forms.Form):
    criterion = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(label=gettext_lazy("Comment"), max_length=2000)
