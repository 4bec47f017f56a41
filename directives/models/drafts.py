"""Drafts of a directive being entered (bản nháp): the pasted text and the parser's
proposal as the coordinator corrects it, kept on the server so that a proposal of
hundreds of tasks is edited a page at a time and nothing is lost between pages."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DirectiveDraft(models.Model):
    """A coordinator's draft of a new directive. ``text`` is the text as pasted;
    ``data`` the proposal being corrected, in the shape of
    :class:`directives.services.directives.DirectiveInput` as JSON (dates ISO, agency
    ids). Deleted when the directive is saved; never read by anyone but its author."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.CASCADE,
        related_name="directive_drafts",
    )
    text = models.TextField(_("text as pasted"), blank=True)
    data = models.JSONField(_("proposal"), default=dict)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("directive draft")
        verbose_name_plural = _("directive drafts")
        ordering = ["-updated_at", "-pk"]

    def __str__(self):
        return f"{self.data.get('number') or '—'} ({self.created_by})"
