"""``manage.py load_demo_directives``: the directives side of the demo as a live cycle
(:mod:`directives.services.demo`): an illustrative plan whose deadlines count from today,
and the tasks of notice 58/TB-UBND (2020) marked done in 2020. Safe to run twice. Refused
when DEMO_DATA is off."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from directives.services.demo import PLAN_NUMBER, SEED_NUMBER, DemoPreconditionError, demo_directives_load


class Command(BaseCommand):
    help = "Load the demo plan with deadlines relative to today and close the 2020 notice's tasks, if needed."

    def handle(self, *args, **options):
        if not settings.DEMO_DATA:
            raise CommandError("DEMO_DATA is off: demo data is never loaded into a real installation.")
        try:
            result = demo_directives_load()
        except DemoPreconditionError as error:
            raise CommandError(str(error)) from None
        if result.plan_created:
            plan = "created"
        elif result.plan_moved_days:
            plan = f"moved by {result.plan_moved_days} day(s) to today"
        else:
            plan = "already there"
        self.stdout.write(
            f"Demo directives: plan {PLAN_NUMBER} {plan}; {result.seed_closed} open assignment(s) of "
            f"{SEED_NUMBER} marked done in 2020; what already existed was left unchanged."
        )
