"""Forms of the overview pages: the period and set filters (from the query string) and
the recognition form. Codes in the query string are matched exactly; an unknown one is
an error on its field, and the view falls back to a default."""

from django import forms
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communes.models import AdministrativeUnit, UnitKind, UnitLevel
from core.formatting import date_text
from core.forms import DATE_INPUTS
from criteria.models import CriteriaSet, RecognitionLevel, ReportingPeriod
from criteria.selectors.overview import default_recognition_set

UNKNOWN_CODE = {"invalid_choice": _("There is no entry with the code “%(value)s”.")}


class PeriodChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class SetChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.decision})" if obj.decision else obj.name


def _period_field(label):
    return PeriodChoiceField(
        label=label,
        queryset=ReportingPeriod.objects.order_by("-start", "kind"),
        to_field_name="code",
        required=False,
        error_messages=UNKNOWN_CODE,
    )


def _set_field(label):
    return SetChoiceField(
        label=label,
        queryset=CriteriaSet.objects.order_by("-effective_from", "code"),
        to_field_name="code",
        required=False,
        error_messages=UNKNOWN_CODE,
    )


class OverviewFilterForm(forms.Form):
    """``?period=<code>&set=<code>``; both optional."""

    period = _period_field(_("Reporting period"))
    set = _set_field(_("Criteria set"))


class AreaFilterForm(OverviewFilterForm):
    """``?period=<code>&set=<code>&unit=<id>``, each optional: the overview's period and
    set, and the unit (province, former district or commune) whose subtree is counted.
    Whether the unit lies in the user's scope is the view's check (404 otherwise)."""

    unit = forms.ModelChoiceField(
        label=_("Area"),
        queryset=AdministrativeUnit.objects.all(),
        required=False,
        error_messages={"invalid_choice": _("There is no administrative unit with the id “%(value)s”.")},
    )


class RecheckFilterForm(forms.Form):
    """``?older=<set>&newer=<set>&period=<code>&from=<year>&until=<year>``; all optional."""

    older = _set_field(_("Recognised under"))
    newer = _set_field(_("Re-checked against"))
    period = _period_field(_("Assessment period"))
    # "from" is a Python keyword: the field is added under that name below.
    until = forms.IntegerField(
        label=_("Recognised until (year)"), required=False, min_value=2000, max_value=2100
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {
            **{name: self.fields[name] for name in ("older", "newer", "period")},
            "from": forms.IntegerField(
                label=_("Recognised from (year)"), required=False, min_value=2000, max_value=2100
            ),
            "until": self.fields["until"],
        }

    def clean(self):
        data = super().clean()
        start, end = data.get("from"), data.get("until")
        if start is not None and end is not None and start > end:
            self.add_error("until", _("The last year comes before the first year."))
        return data


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        label = f"{obj.name} — {obj.parent.name}" if obj.parent else obj.name
        if obj.valid_until:
            label += " " + str(_("(in force until %(day)s)") % {"day": date_text(obj.valid_until)})
        return label


class RecognitionForm(forms.Form):
    """A recognition decision: which unit, at which level, under which set, by which
    decision. ``units`` is the queryset the user may change (a coordinator's scope).
    Unbound, it proposes the NTM standard level and the standard set in force today
    (:func:`criteria.selectors.overview.default_recognition_set`), which a decision
    dated today may be recorded under."""

    unit = UnitChoiceField(label=_("Commune or hamlet"), queryset=AdministrativeUnit.objects.none())
    level = forms.ChoiceField(label=_("Recognition level"), choices=RecognitionLevel.choices)
    criteria_set = SetChoiceField(
        label=_("Criteria set"), queryset=CriteriaSet.objects.order_by("-effective_from", "code")
    )
    decision_number = forms.CharField(label=_("Decision number"), max_length=60)
    decision_date = forms.DateField(label=_("Decision date"), input_formats=DATE_INPUTS)
    signer = forms.CharField(label=_("Signer"), max_length=150, required=False)

    def __init__(self, *args, units: QuerySet[AdministrativeUnit], **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("level", RecognitionLevel.STANDARD)
            if "criteria_set" not in self.initial:
                self.initial["criteria_set"] = default_recognition_set(day=timezone.localdate())
        self.fields["unit"].queryset = (
            units.filter(Q(kind=UnitKind.COMMUNE) | Q(level=UnitLevel.HAMLET))
            .select_related("parent")
            .order_by(F("valid_until").desc(nulls_first=True), "name", "pk")
        )
