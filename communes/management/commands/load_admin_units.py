"""``manage.py load_admin_units --province 19``: load a province's real units."""

from django.core.management.base import BaseCommand, CommandError

from communes.gso_source import UnknownProvince, read_province
from communes.services import units_import


class Command(BaseCommand):
    help = (
        "Load a province's administrative units (pre-2025 and from 1 July 2025) and the "
        "lineage between them from the vietnamadminunits package. Adds only what is missing: "
        "units already there, edited or not, are kept. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--province", required=True, help="GSO code of the province, e.g. 19")

    def handle(self, *args, province, **options):
        if not province.isdigit():
            raise CommandError(f"--province takes a GSO code of digits, not {province!r}.")
        try:
            data = read_province(province.zfill(2))
        except UnknownProvince:
            raise CommandError(f"No province with GSO code {province} in the 2025 structure.") from None
        result = units_import(data=data)
        self.stdout.write(
            f"Units: {result.units_created} created, {result.units_kept} already there (kept as they are). "
            f"Lineage links: {result.successions_created} created, {result.successions_kept} already there."
        )
