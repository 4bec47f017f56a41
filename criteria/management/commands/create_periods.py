"""``manage.py create_periods --year 2019 --year 2020``: make sure each year has its
reporting periods (first half, second half, whole year). Safe to run twice: periods that
exist already are left as they are."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from core.formatting import date_text
from criteria.services.catalogue import periods_ensure


class Command(BaseCommand):
    help = "Create the half-year and year reporting periods of the given years where missing."

    def add_arguments(self, parser):
        parser.add_argument(
            "--year", type=int, action="append", required=True, help="a year, e.g. 2020 (repeatable)"
        )

    def handle(self, *args, year: list[int], **options):
        for one_year in year:
            try:
                periods = periods_ensure(year=one_year)
            except ValidationError as error:
                raise CommandError("; ".join(error.messages)) from None
            for period in periods:
                self.stdout.write(
                    f"{period.code}: {date_text(period.start)}-{date_text(period.end)}, "
                    f"deadline {date_text(period.submission_deadline)}, lock {date_text(period.lock_date)}"
                )
