from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The shared leaf package, installed as an app for its template filters
    (``{% load ntm_format %}``) and its ``load_missing`` command."""

    name = "core"
    verbose_name = _("Shared")
