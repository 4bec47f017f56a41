"""Writing changes so that django-simple-history records each one: a batch, or one row's
fields with its old values kept."""

from django.db.models import Model
from simple_history.utils import bulk_create_with_history, bulk_update_with_history


def changes_save(
    model: type[Model], *, created: list, changed: list, fields: list[str], deleted: list, user
) -> int:
    """Insert ``created``, update ``fields`` of ``changed`` and delete ``deleted`` (rows of
    ``model``), each with its history row naming ``user``, in bulk where simple-history
    allows it. Call it inside the service's transaction. Returns how many rows changed."""
    if created:
        bulk_create_with_history(created, model, default_user=user)
    if changed:
        bulk_update_with_history(changed, model, fields, default_user=user)
    for row in deleted:
        row._history_user = user
        row.delete()
    return len(created) + len(changed) + len(deleted)


def fields_save(row: Model, *, user, values: dict, baseline_reason: str, reason: str | None = None) -> None:
    """Set ``values`` (field name -> new value) on ``row`` and save those fields, with a
    history entry naming ``user`` (and ``reason``, if given). A row with no history yet (loaded raw,
    as ``loaddata`` does) first gets one of its current values with ``baseline_reason``,
    so that the history always holds the old value beside the new. Call it inside the
    service's transaction."""
    history = type(row).history
    if not history.filter(id=row.pk).exists():
        history.bulk_history_create([row], default_change_reason=baseline_reason)
    for name, value in values.items():
        setattr(row, name, value)
    row._history_user = user
    if reason is not None:
        row._change_reason = reason
    row.save(update_fields=list(values))
