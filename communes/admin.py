from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from communes.models import AdministrativeUnit, UnitSuccession


class SuccessionInline(admin.TabularInline):
    model = UnitSuccession
    fk_name = "successor"
    extra = 0
    autocomplete_fields = ["predecessor"]
    verbose_name_plural = UnitSuccession._meta.get_field("predecessor").verbose_name


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "kind", "level", "parent", "valid_from", "valid_until"]
    list_filter = ["level", "kind", "valid_until"]
    search_fields = ["name", "code", "search_key"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["search_key"]
    inlines = [SuccessionInline]

    def get_search_results(self, request, queryset, search_term):
        # Accent-insensitive, like the portal's own search: "dong hy" finds Đồng Hỷ.
        matched, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return matched | queryset.search(search_term), may_have_duplicates


@admin.register(UnitSuccession)
class UnitSuccessionAdmin(SimpleHistoryAdmin):
    list_display = ["predecessor", "successor", "effective_date", "is_partial", "is_primary", "legal_basis"]
    list_filter = ["effective_date", "is_partial"]
    search_fields = [
        "predecessor__search_key",
        "successor__search_key",
        "predecessor__code",
        "successor__code",
    ]
    autocomplete_fields = ["predecessor", "successor"]
