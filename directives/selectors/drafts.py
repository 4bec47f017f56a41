"""Read queries about drafts of a new directive: only their author ever reads them."""

from dataclasses import dataclass

from core.exceptions import OutOfScope
from directives.models import DirectiveDraft


def draft_of(*, user, pk: int) -> DirectiveDraft:
    """The draft ``pk`` if ``user`` wrote it; else OutOfScope (404), whether it exists
    or not."""
    try:
        return DirectiveDraft.objects.get(pk=pk, created_by=user)
    except DirectiveDraft.DoesNotExist:
        raise OutOfScope from None


@dataclass(frozen=True)
class DraftRow:
    """A line of "my drafts": the number typed so far, the count of tasks, when last saved."""

    pk: int
    number: str
    title: str
    task_count: int
    updated_at: object


def drafts_of(*, user) -> list[DraftRow]:
    """The drafts ``user`` wrote, last changed first (one query)."""
    return [
        DraftRow(
            pk=draft.pk,
            number=draft.data.get("number") or "",
            title=draft.data.get("title") or "",
            task_count=len(draft.data.get("tasks") or ()),
            updated_at=draft.updated_at,
        )
        for draft in DirectiveDraft.objects.filter(created_by=user).defer("text")
    ]
