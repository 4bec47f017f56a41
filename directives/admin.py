"""Admin of the directives app: the reminder policy (one row a coordinator edits), and
read-only views of directives, the reminder ledger, digests and runs. Directives, tasks
and assignments are written through the portal's pages (services), not here."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from directives.models import (
    Directive,
    ReminderDigest,
    ReminderLedger,
    ReminderPolicy,
    ReminderRun,
)


@admin.register(ReminderPolicy)
class ReminderPolicyAdmin(SimpleHistoryAdmin):
    """The single policy row: it can be changed, never added twice or deleted."""

    list_display = [
        "__str__",
        "days_before",
        "on_due_day",
        "overdue_every_days",
        "escalate_after_days",
        "report_days_before",
        "review_after_days",
        "is_active",
    ]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not ReminderPolicy.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never changed by hand: written by the reminder job only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Directive)
class DirectiveAdmin(SimpleHistoryAdmin):
    """Directive fields can be corrected here, with history; tasks come from the portal."""

    list_display = ["number", "kind", "issued_on", "issuer", "signer"]
    list_filter = ["kind"]
    search_fields = ["number", "title"]
    readonly_fields = ["created_by", "created_at"]
    filter_horizontal = ["recipients"]

    def has_add_permission(self, request):
        return False  # a directive comes with its tasks: use the portal's "New directive" page


@admin.register(ReminderDigest)
class ReminderDigestAdmin(ReadOnlyAdmin):
    """One e-mail per recipient and day, with its delivery state and the server's answer."""

    list_display = ["recipient", "day", "state", "attempts", "sent_at", "last_error"]
    list_filter = ["state", "day"]
    search_fields = ["recipient"]


@admin.register(ReminderLedger)
class ReminderLedgerAdmin(ReadOnlyAdmin):
    """Every reminder step sent, once per item, step, channel and recipient."""

    list_display = ["item_key", "step", "channel", "recipient", "day", "state"]
    list_filter = ["channel", "state", "day"]
    search_fields = ["item_key", "recipient"]


@admin.register(ReminderRun)
class ReminderRunAdmin(ReadOnlyAdmin):
    """Each run of the daily job."""

    list_display = [
        "day",
        "started_at",
        "finished_at",
        "reminders_planned",
        "notifications",
        "digests_queued",
    ]
