"""Fixtures of the directive tests: the seed notice 58/TB-UBND loaded as a directive,
and helpers to find its agencies and assignments."""

import datetime
import io

import pytest
from django.core.management import call_command

from accounts.models import Agency
from directives.models import Assignment, Directive, Task


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files of these tests go to a temporary folder, not var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def seed_directive(db) -> Directive:
    """Notice 58/TB-UBND, cut and assigned by ``manage.py load_seed_directive``."""
    call_command("load_seed_directive", verbosity=0, stdout=io.StringIO())
    return Directive.objects.get(number="58/TB-UBND")


def agency(code: str) -> Agency:
    return Agency.objects.get(code=code)


def assignment_of(directive: Directive, code: str, *, deadline: datetime.date | None = None, position=None):
    """The assignment of the agency ``code`` on the task with ``deadline`` (or at ``position``)."""
    tasks = Task.objects.filter(directive=directive)
    task = tasks.get(position=position) if position is not None else tasks.get(deadline=deadline)
    return Assignment.objects.get(task=task, agency__code=code)


def make_task(
    *,
    agency_code: str,
    deadline: datetime.date | None,
    number: str = "1/TB-TEST",
    text: str = "Báo cáo kết quả.",
):
    """A one-task directive assigned to one agency (lead), through the service."""
    from directives.services.directives import DirectiveInput, TaskInput, directive_create

    directive = directive_create(
        user=None,
        data=DirectiveInput(
            number=number,
            kind="conclusion_notice",
            issuer="Ủy ban nhân dân tỉnh Thái Nguyên",
            issued_on=datetime.date(2026, 11, 1),
            title="Thông báo thử",
            tasks=(TaskInput(text=text, deadline=deadline, lead_ids=(agency(agency_code).pk,)),),
        ),
    )
    return Assignment.objects.get(task__directive=directive)
