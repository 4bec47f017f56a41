"""``manage.py load_demo_funding``: illustrative cement, funds, value-chain projects and
OCOP products for the demo (every row flagged ``is_demo``), and the QĐ 4781 conditions
if missing. Safe to run twice: only what is missing is written. Refused when DEMO_DATA
is off."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from funding.services.demo.load import DemoPreconditionError, demo_funding_load


class Command(BaseCommand):
    help = (
        "Load illustrative (demo) cement of 2020, funds, value-chain projects and OCOP products, if missing."
    )

    def handle(self, *args, **options):
        if not settings.DEMO_DATA:
            raise CommandError(
                "DEMO_DATA is off: demo funding data is never loaded into a real installation."
            )
        try:
            result = demo_funding_load()
        except DemoPreconditionError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Demo funding: {result.batches} cement batch(es), {result.uses} use report(s), "
            f"{result.fund_rows} fund row(s), {result.projects} project(s), {result.ocop} OCOP product(s) added; "
            "what already existed was left unchanged."
        )
