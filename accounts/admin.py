from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import Agency, User


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
    ]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name", "code"]
    autocomplete_fields = ["scope"]
    # No prepopulated_fields: the admin's slug JavaScript turns "Sở Đồng Thử" into
    # "s-djng-th"; an agency's code is typed by hand.


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    list_display = ["username", "get_full_name", "agency", "is_active", "is_staff"]
    list_filter = ["groups", "agency__kind", "is_active", "is_staff"]
    autocomplete_fields = ["agency"]
    fieldsets = BaseUserAdmin.fieldsets + ((_("Agency"), {"fields": ["agency", "phone"]}),)
    add_fieldsets = BaseUserAdmin.add_fieldsets + ((_("Agency"), {"fields": ["agency"]}),)
