from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import Agency, AgencySuccession, User
from core.formatting import date_text


class MergedInInline(admin.TabularInline):
    """On a successor's page: the agencies merged into it, and when."""

    model = AgencySuccession
    fk_name = "successor"
    fields = ["predecessor", "effective_date", "notes"]
    autocomplete_fields = ["predecessor"]
    extra = 0
    verbose_name = _("agency merged into this one")
    verbose_name_plural = _("agencies merged into this one")


@admin.register(Agency)
class AgencyAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "short_name",
        "kind",
        "scope",
        "ntm_staff_required",
        "ntm_staff_actual",
        "is_active",
        "merged_into_display",
    ]
    list_filter = ["kind", "is_active", ("merger", admin.EmptyFieldListFilter)]
    list_select_related = ["scope", "merger__successor"]
    search_fields = ["name", "short_name", "code"]
    autocomplete_fields = ["scope"]
    inlines = [MergedInInline]
    # No prepopulated_fields: the admin's slug JavaScript turns "Sở Đồng Thử" into
    # "s-djng-th"; an agency's code is typed by hand.

    @admin.display(description=_("merged into"))
    def merged_into_display(self, obj):
        merger = getattr(obj, "merger", None)
        if merger is None:
            return "—"
        return _("%(agency)s (from %(day)s)") % {
            "agency": merger.successor.name,
            "day": date_text(merger.effective_date),
        }


@admin.register(AgencySuccession)
class AgencySuccessionAdmin(SimpleHistoryAdmin):
    list_display = ["predecessor", "successor", "effective_date"]
    list_select_related = ["predecessor", "successor"]
    search_fields = ["predecessor__name", "successor__name"]
    autocomplete_fields = ["predecessor", "successor"]


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    list_display = ["username", "get_full_name", "agency", "is_active", "is_staff"]
    list_filter = ["groups", "agency__kind", "is_active", "is_staff"]
    autocomplete_fields = ["agency"]
    fieldsets = BaseUserAdmin.fieldsets + ((_("Agency"), {"fields": ["agency", "phone"]}),)
    add_fieldsets = BaseUserAdmin.add_fieldsets + ((_("Agency"), {"fields": ["agency"]}),)
