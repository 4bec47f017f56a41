"""``manage.py load_demo_cycle``: the demo as a live cycle for today (an illustrative
criteria set usable now, the open periods, assessments submitted, returned and in draft
by the demo users: :mod:`criteria.services.demo_cycle`). Safe to run twice. Refused when
DEMO_DATA is off. Its directives side is ``manage.py load_demo_directives``."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.formatting import date_text
from criteria.models import ReportingPeriod
from criteria.services.demo import DemoPreconditionError
from criteria.services.demo_cycle import DEMO_SET_NAME, DISTRICT_PERIOD_CODE, demo_cycle_load


class Command(BaseCommand):
    help = "Load the demo's live cycle for today (illustrative set, open periods, assessments), if missing."

    def handle(self, *args, **options):
        if not settings.DEMO_DATA:
            raise CommandError("DEMO_DATA is off: demo data is never loaded into a real installation.")
        try:
            result = demo_cycle_load()
        except DemoPreconditionError as error:
            raise CommandError(str(error)) from None
        period = ReportingPeriod.objects.get(code=DISTRICT_PERIOD_CODE)
        self.stdout.write(
            f"Demo cycle: set “{DEMO_SET_NAME}” {'created' if result.set_created else 'already there'}; "
            f"{period.code} open for district officers until {date_text(period.submission_deadline)} "
            f"(lock {date_text(period.lock_date)}{', extended now' if result.periods_extended else ''}); "
            f"{result.assessments} assessment(s) added ({result.submitted} submitted, "
            f"{result.returned} returned, {result.drafts} draft(s)); what already existed was left unchanged."
        )
