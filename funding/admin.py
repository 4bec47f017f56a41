"""Reference data of cement and funds in the admin: fund sources, the support conditions
of QĐ 4781/QĐ-BNN-VPĐP, the communes registered to reach the standard each year, the
roads still to harden; the other rows are listed read-only-by-default: they are written
through the portal's pages (which check the allocation limits and the scope)."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from funding.models import (
    CementAllocation,
    CementBatch,
    CementUse,
    ConditionCheck,
    Disbursement,
    DisbursementMilestone,
    FundAllocation,
    FundSource,
    OcopProduct,
    RoadBacklog,
    StandardTarget,
    SupportCondition,
    ValueChainProject,
)


@admin.register(FundSource)
class FundSourceAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "kind", "position", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code"]


@admin.register(SupportCondition)
class SupportConditionAdmin(SimpleHistoryAdmin):
    list_display = ["code", "position", "text", "verification", "is_active"]
    list_filter = ["verification", "is_active"]
    search_fields = ["code", "text"]


@admin.register(StandardTarget)
class StandardTargetAdmin(SimpleHistoryAdmin):
    list_display = ["commune", "year", "note", "is_demo"]
    list_filter = ["year"]
    search_fields = ["commune__search_key", "commune__code"]
    autocomplete_fields = ["commune"]


@admin.register(RoadBacklog)
class RoadBacklogAdmin(SimpleHistoryAdmin):
    list_display = ["commune", "year", "km", "is_demo"]
    list_filter = ["year"]
    search_fields = ["commune__search_key", "commune__code"]
    autocomplete_fields = ["commune"]


class DisbursementMilestoneForm(forms.ModelForm):
    """The admin's milestone form refuses what the portal refuses: a rate that would make
    the expected rates go down over time (the same check as
    :func:`funding.services.funds.milestone_set`)."""

    class Meta:
        model = DisbursementMilestone
        fields = ["year", "due_on", "expected_percent", "is_demo"]

    def clean(self):
        from funding.services.funds import milestone_rate_error

        data = super().clean()
        year, due_on, rate = data.get("year"), data.get("due_on"), data.get("expected_percent")
        if year and due_on and rate is not None:
            if due_on.year < year:
                self.add_error("due_on", _("By date: cannot be before %(year)s.") % {"year": year})
            message = milestone_rate_error(
                year=year, due_on=due_on, expected_percent=rate, exclude_pk=self.instance.pk
            )
            if message:
                self.add_error("expected_percent", message)
        return data


@admin.register(DisbursementMilestone)
class DisbursementMilestoneAdmin(SimpleHistoryAdmin):
    form = DisbursementMilestoneForm
    list_display = ["year", "due_on", "expected_percent", "set_by"]
    list_filter = ["year"]

    def save_model(self, request, obj, form, change):
        obj.set_by = request.user
        super().save_model(request, obj, form, change)


class ReadOnlyAdmin(SimpleHistoryAdmin):
    """Written through the portal's services (limits, scope, history); shown here for
    reference only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CementAllocationInline(admin.TabularInline):
    model = CementAllocation
    extra = 0
    fields = ["unit", "tonnes"]
    readonly_fields = ["unit", "tonnes"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(CementBatch)
class CementBatchAdmin(ReadOnlyAdmin):
    list_display = ["decision_number", "year", "kind", "decision_date", "is_demo"]
    list_filter = ["year", "kind"]
    inlines = [CementAllocationInline]


@admin.register(CementUse)
class CementUseAdmin(ReadOnlyAdmin):
    list_display = ["unit", "year", "used_on", "tonnes", "purpose", "created_by"]
    list_filter = ["year", "purpose"]
    search_fields = ["unit__search_key", "description"]


@admin.register(FundAllocation)
class FundAllocationAdmin(ReadOnlyAdmin):
    list_display = ["unit", "year", "source", "amount", "decision_number"]
    list_filter = ["year", "source"]
    search_fields = ["unit__search_key"]


@admin.register(Disbursement)
class DisbursementAdmin(ReadOnlyAdmin):
    list_display = ["unit", "year", "source", "paid_on", "amount", "created_by"]
    list_filter = ["year", "source"]
    search_fields = ["unit__search_key"]


class ConditionCheckInline(admin.TabularInline):
    model = ConditionCheck
    extra = 0
    fields = ["condition", "outcome", "note", "checked_by", "checked_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ValueChainProject)
class ValueChainProjectAdmin(ReadOnlyAdmin):
    list_display = ["name", "partner_name", "product", "status", "support_requested", "support_approved"]
    list_filter = ["status", "partner_kind"]
    search_fields = ["name", "partner_name", "product"]
    inlines = [ConditionCheckInline]


@admin.register(OcopProduct)
class OcopProductAdmin(ReadOnlyAdmin):
    list_display = ["name", "stars", "producer_name", "commune", "rating_year"]
    list_filter = ["stars", "rating_year"]
    search_fields = ["name", "producer_name"]
