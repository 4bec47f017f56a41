"""Filters of the criteria lists (django-filter), shared by the pages and, later, the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from criteria.models import Assessment, AssessmentStatus, CriteriaSet, ReportingPeriod


class AssessmentFilter(django_filters.FilterSet):
    """``?period=<code>&criteria_set=<code>&status=<status>&meets_standard=true|false``,
    each optional: periods and sets by their codes (``2020-h1``, ``qd-1980-2016``), the
    status by its key (``draft``, ``submitted``, ``returned``, ``approved``)."""

    period = django_filters.ModelChoiceFilter(
        queryset=ReportingPeriod.objects.all(), to_field_name="code", label=_("Period"), empty_label="—"
    )
    criteria_set = django_filters.ModelChoiceFilter(
        queryset=CriteriaSet.objects.all(), to_field_name="code", label=_("Criteria set"), empty_label="—"
    )
    status = django_filters.ChoiceFilter(choices=AssessmentStatus.choices, label=_("Status"), empty_label="—")
    meets_standard = django_filters.ChoiceFilter(
        choices=(("true", _("Meets the standard")), ("false", _("Does not meet it yet"))),
        method="filter_meets_standard",
        label=_("Meets the standard"),
        empty_label="—",
    )

    class Meta:
        model = Assessment
        fields = ["period", "criteria_set", "status", "meets_standard"]

    def filter_meets_standard(self, queryset, name, value):
        return queryset.filter(meets_standard=value == "true")
