"""``manage.py load_commune_agencies``: the People's Committee (UBND) of every
commune-level unit in force, as an agency scoped to its commune, made from the units
table (:func:`accounts.services.commune_agencies_ensure`). Safe to run twice: agencies
already there, edited or not, are left as they are. Needs the units loaded first
(``manage.py load_admin_units --province 19``)."""

from django.core.management.base import BaseCommand, CommandError

from accounts.services import commune_agencies_ensure
from communes.models import AdministrativeUnit


class Command(BaseCommand):
    help = "Create the People's Committee agency of every commune-level unit in force, if missing."

    def add_arguments(self, parser):
        parser.add_argument(
            "--province", default="19", help="GSO code of the province in force (default 19)."
        )

    def handle(self, *args, province, **options):
        try:
            result = commune_agencies_ensure(province_code=province)
        except AdministrativeUnit.DoesNotExist:
            raise CommandError(
                f"No province {province!r} in force: run `manage.py load_admin_units --province {province}` first."
            ) from None
        self.stdout.write(
            f"Commune People's Committees: {result.created} created, {result.kept} already there (kept as they are)."
        )
