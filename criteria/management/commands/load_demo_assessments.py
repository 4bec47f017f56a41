"""``manage.py load_demo_assessments``: illustrative assessments and recognitions for
the demo (every row flagged ``is_demo``). Safe to run twice: only what is missing is
written. Refused when DEMO_DATA is off."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from criteria.models import ReportingPeriod
from criteria.services.demo import PERIOD_CODES, DemoPreconditionError, demo_assessments_load


class Command(BaseCommand):
    help = "Load illustrative (demo) assessments for 2019 and 2020-h1 and recognitions, if missing."

    def handle(self, *args, **options):
        if not settings.DEMO_DATA:
            raise CommandError(
                "DEMO_DATA is off: demo assessments are never loaded into a real installation."
            )
        self._ensure_periods()
        try:
            result = demo_assessments_load()
        except DemoPreconditionError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Demo data: {result.assessments} assessment(s), {result.indicator_values} indicator value(s), "
            f"{result.recognitions} recognition(s) added; what already existed was left unchanged."
        )

    @staticmethod
    def _ensure_periods():
        """Create the periods 2019 and 2020 through the catalogue service when missing."""
        if ReportingPeriod.objects.filter(code__in=PERIOD_CODES).count() == len(PERIOD_CODES):
            return
        try:
            from criteria.services.catalogue import periods_ensure
        except ImportError:
            return  # demo_assessments_load names the missing periods
        for year in (2019, 2020):
            periods_ensure(year=year)
