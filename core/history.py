"""Writing a batch of changes so that django-simple-history records each one."""

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
