from django.contrib import admin
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from criteria.models import (
    Assessment,
    CommuneGroup,
    CriteriaSet,
    Criterion,
    Indicator,
    ProgrammeTarget,
    Recognition,
    ReportingPeriod,
)


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ["number", "name", "group", "responsible_agency"]
    autocomplete_fields = ["responsible_agency"]


@admin.register(CriteriaSet)
class CriteriaSetAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "level", "decision", "effective_from", "based_on"]
    search_fields = ["name", "code", "decision"]
    inlines = [CriterionInline]


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ["code", "name", "measure_type", "unit", "comparison", "target", "verification"]


@admin.register(Criterion)
class CriterionAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "criteria_set", "group", "responsible_agency"]
    list_filter = ["criteria_set"]
    search_fields = ["name"]
    autocomplete_fields = ["responsible_agency"]
    inlines = [IndicatorInline]


@admin.register(CommuneGroup)
class CommuneGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "criteria_set"]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "kind", "start", "end", "submission_deadline", "lock_date"]


@admin.register(Assessment)
class AssessmentAdmin(SimpleHistoryAdmin):
    list_display = ["commune", "period", "criteria_set", "status", "criteria_met", "meets_standard"]
    list_filter = ["period", "criteria_set", "status"]
    search_fields = ["commune__search_key"]
    # Values and status change only through the services (workflow, history, locking).
    readonly_fields = [f.name for f in Assessment._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Recognition)
class RecognitionAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "level", "criteria_set", "decision_number", "decision_date", "signer"]
    list_filter = ["level", "criteria_set"]
    search_fields = ["unit__search_key", "decision_number"]
    autocomplete_fields = ["unit"]


@admin.register(ProgrammeTarget)
class ProgrammeTargetAdmin(SimpleHistoryAdmin):
    """The programme's targets, as the coordinators keep them on /criteria/targets/. The
    model's "unit" reads "đơn vị tính" (an indicator's unit) in Vietnamese: the admin
    names it the administrative unit it is."""

    list_display = ["unit_name", "level", "year", "count_display", "source"]
    list_filter = ["level", "year"]
    list_select_related = ["unit"]
    search_fields = ["unit__search_key", "source"]
    autocomplete_fields = ["unit"]

    @admin.display(description=_("administrative unit"), ordering="unit__code")
    def unit_name(self, obj):
        return obj.unit.name

    @admin.display(description=_("target (units recognised)"), ordering="count")
    def count_display(self, obj):
        return _("not determined yet") if obj.count is None else obj.count

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "unit" in form.base_fields:
            form.base_fields["unit"].label = capfirst(_("administrative unit"))
        return form
