"""``manage.py create_demo_users``: one demo user per role (never in production mode)."""

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from accounts.services import DEMO_PASSWORD, demo_users_ensure


class Command(BaseCommand):
    help = "Create one demo user per role, if missing. Refused when DEMO_DATA is off."

    def handle(self, *args, **options):
        try:
            results = demo_users_ensure()
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Demo users (password for each: {DEMO_PASSWORD}):")
        for demo, created in results:
            state = "created" if created else "already there"
            self.stdout.write(f"  {demo.username:<10} {demo.role.label!s:<24} ({state})")
