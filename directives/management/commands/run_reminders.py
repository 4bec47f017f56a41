"""``manage.py run_reminders [--day 2026-11-30]``: run the daily reminder job now, in
this process (Celery beat runs it at 07:00 in production). Safe to run twice: a reminder
already sent is not sent again. E-mails go where ``EMAIL_URL`` says (the console by
default); notifications appear in the portal."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from directives.models import ReminderDigest
from directives.tasks import run_daily_reminders


class Command(BaseCommand):
    help = "Run the directive and report reminder job once, now."

    def add_arguments(self, parser):
        parser.add_argument("--day", help="the day to plan for, YYYY-MM-DD (default: today)")

    def handle(self, *args, day=None, **options):
        if day:
            try:
                datetime.date.fromisoformat(day)
            except ValueError:
                raise CommandError(f"--day must be a date like 2026-11-30, not {day!r}") from None
        result = run_daily_reminders(day)
        self.stdout.write(
            f"Reminders for {result['day']}: {result['planned']} new, "
            f"{result['notifications']} notifications, {result['digests']} e-mails queued."
        )
        # The e-mails themselves may be base64 on the console: list the day's digests plainly.
        day = datetime.date.fromisoformat(result["day"])
        for digest in ReminderDigest.objects.filter(day=day).prefetch_related("items"):
            self.stdout.write(f"  {digest.recipient} [{digest.get_state_display()}]")
            for item in digest.items.all():
                self.stdout.write(f"    - {item.message}")
