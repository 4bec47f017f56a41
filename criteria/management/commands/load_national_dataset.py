"""``manage.py load_national_dataset [--periods 6] [--seed 1] [--province CODE ...]``:
an ILLUSTRATIVE dataset at national scale, for benchmarks only (``bench/dashboard_bench.py``).

It loads the real pre-2025 units of all of Vietnam (or of the pre-2025 provinces named by
``--province``, e.g. ``--province 48`` for Đà Nẵng) from the ``vietnamadminunits``
package, the half-year periods ending with the second half of 2020, an approved
assessment of every xã in each of them under the 2016-2020 national set with invented,
seeded pseudo-random criteria results, and invented recognitions: about 46,000
assessments and 877,000 criterion results for the country, in a couple of minutes on
PostgreSQL (:mod:`criteria.services.national_dataset`).

The figures are made up. NEVER run it on a production database: every assessment and
recognition is flagged ``is_demo`` and the dashboards say so, but they would mix with
real reports. Refused when DEMO_DATA is off. Safe to run twice: only what is missing is
written (it can follow ``make run``'s Thái Nguyên demo).
"""

import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.base import DeserializationError

from communes.gso_source import UnknownProvince
from criteria.models import CriteriaSet
from criteria.services.demo import SET_CODE
from criteria.services.national_dataset import MAX_PERIODS, DatasetPreconditionError, national_dataset_load


class Command(BaseCommand):
    help = (
        "Load an illustrative (made-up) national dataset for benchmarks: all pre-2025 units of Vietnam, "
        "approved assessments of every xã for consecutive half years, recognitions. Never in production."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--periods",
            type=int,
            default=6,
            help=f"half years ending with 2020-h2, 1-{MAX_PERIODS} (default 6)",
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="seed of the pseudo-random results (default 1)"
        )
        parser.add_argument(
            "--province",
            action="append",
            default=[],
            help="pre-2025 GSO code of a province to load alone, e.g. 48 (repeatable; default: all 63)",
        )

    def handle(self, *args, periods: int, seed: int, province: list[str], **options):
        if not settings.DEMO_DATA:
            raise CommandError(
                "DEMO_DATA is off: illustrative data is never loaded into a real installation."
            )
        if not 1 <= periods <= MAX_PERIODS:
            raise CommandError(f"--periods takes 1 to {MAX_PERIODS} half years (the 2016-2020 set).")
        if any(not code.isdigit() for code in province):
            raise CommandError("--province takes GSO codes of digits, e.g. 48.")
        started = time.perf_counter()
        if not CriteriaSet.objects.filter(code=SET_CODE).exists():
            try:
                call_command("load_missing", "criteria_sets_national", verbosity=0)
            except DeserializationError:
                # The sets name the departments answering for each criterion.
                raise CommandError(
                    "The national criteria sets need the agencies: run manage.py load_admin_units --province 19 "
                    "and manage.py load_missing agencies_thai_nguyen criteria_sets_national first, as make run does."
                ) from None
        try:
            result = national_dataset_load(
                periods=periods, seed=seed, province_codes=[code.zfill(2) for code in province]
            )
        except UnknownProvince as error:
            raise CommandError(f"No pre-2025 province with GSO code {error}.") from None
        except DatasetPreconditionError as error:
            raise CommandError(str(error)) from None
        recognitions = ", ".join(
            f"{count} {level}" for level, count in sorted(result.recognitions_created.items())
        )
        self.stdout.write(
            f"Illustrative national dataset (is_demo, never for production), seed {seed}:\n"
            f"  units: {result.units_created} created, {result.units_kept} already there\n"
            f"  periods: {', '.join(result.periods)}\n"
            f"  xã: {result.communes}; approved assessments: {result.assessments_created} created, "
            f"{result.assessments_kept} already there; criterion results: {result.criterion_results}\n"
            f"  recognitions: {recognitions or 'none'} created, {result.recognitions_kept} already there\n"
            f"  in {time.perf_counter() - started:.1f} s"
        )
