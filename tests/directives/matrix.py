"""Objects for the permission matrix rows of the directive pages (tests/test_permission_matrix.py,
block "Directives (issue 5)"): each function builds what its URL needs and returns its
argument. Files are written once under MEDIA_ROOT at a fixed name and reused."""

import datetime
import io

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from directives.models import Assignment, Directive, DirectiveAttachment, ExtensionRequest, ProgressReport

PDF = b"%PDF-1.4 matrix"


def _seed() -> Directive:
    call_command("load_seed_directive", stdout=io.StringIO())
    return Directive.objects.get(number="58/TB-UBND")


def _file(name: str) -> str:
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(PDF))
    return name


def directive_pk() -> int:
    """Notice 58/TB-UBND."""
    return _seed().pk


def dai_tu_assignment_pk() -> int:
    """UBND huyện Đại Từ's (standing) task 7 of the seed: "Đẩy nhanh tiến độ sử dụng, giải ngân..."."""
    directive = _seed()
    return Assignment.objects.get(
        task__directive=directive, task__position=7, agency__code="ubnd-huyen-dai-tu"
    ).pk


def extension_pk() -> int:
    """A pending extension of the provincial office's task due 17/07/2020."""
    directive = _seed()
    assignment = Assignment.objects.get(
        task__directive=directive, task__position=4, agency__code="vpdp-ntm-tinh"
    )
    return ExtensionRequest.objects.create(
        assignment=assignment, requested_deadline=datetime.date(2026, 12, 31), reason="Chờ số liệu."
    ).pk


def attachment_pk() -> int:
    """A PDF attached to notice 58/TB-UBND."""
    return DirectiveAttachment.objects.create(
        directive=_seed(), file=_file("directives/matrix/58-TB-UBND.pdf"), name="58-TB-UBND.pdf"
    ).pk


def report_pk() -> int:
    """A progress report with a file on Đại Từ's assignment."""
    assignment = Assignment.objects.get(pk=dai_tu_assignment_pk())
    return ProgressReport.objects.create(
        assignment=assignment, text="Đã làm.", percent=10, attachment=_file("progress/matrix/bao-cao.pdf")
    ).pk


def _draft():
    """A draft of notice 58/TB-UBND by the persona "coordinator" (or, when the test's
    persona is another, by a coordinator of its own)."""
    from accounts.models import User
    from accounts.roles import Role
    from directives.services.drafts import draft_create
    from tests.conftest import make_user

    from .test_pages import SEED

    owner = User.objects.filter(username="coordinator").first() or make_user(
        "draft_owner", Role.COORDINATOR, "vpdp-ntm-tinh"
    )
    return draft_create(user=owner, text=SEED.read_text(encoding="utf-8"))


def draft_pk() -> int:
    """A draft of the seed notice by the coordinator."""
    return _draft().pk


def draft_task_args() -> list[int]:
    """Task 1 of a draft of the seed notice by the coordinator."""
    return [_draft().pk, 1]
