"""``manage.py load_seed_directive``: the conclusion notice 58/TB-UBND of 06/07/2020
(``directives/seeds/``) as a directive, its tasks cut by the parser and assigned (every
department; the provincial coordination office; each district's People's Committee as
lead and its steering committee cooperating). Safe to run twice: when the directive is
already there nothing is added or changed. Needs the agencies fixture loaded first."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import Agency
from core.formatting import date_text
from directives.models import Directive
from directives.services.directives import directive_create_from_parse, proposal_from_text

SEED = Path(__file__).resolve().parents[2] / "seeds" / "thong-bao-58-TB-UBND-2020.txt"


class Command(BaseCommand):
    help = "Load notice 58/TB-UBND (2020) as a directive with its tasks and assignments, if missing."

    def handle(self, *args, **options):
        if not Agency.objects.exists():
            raise CommandError("No agency yet: run `manage.py load_missing agencies_thai_nguyen` first.")
        text = SEED.read_text(encoding="utf-8")
        proposal = proposal_from_text(text)
        existing = Directive.objects.filter(number=proposal.number, issued_on=proposal.issued_on).first()
        if existing is not None:
            self.stdout.write(
                f"Directive {existing.number} is already loaded ({existing.tasks.count()} tasks)."
            )
            return
        try:
            directive = directive_create_from_parse(user=None, text=text)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        assignments = sum(task.assignments.count() for task in directive.tasks.all())
        self.stdout.write(
            f"Directive {directive.number} of {date_text(directive.issued_on)}: "
            f"{directive.tasks.count()} tasks, {assignments} assignments."
        )
