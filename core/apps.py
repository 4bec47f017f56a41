from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The shared leaf package, installed as an app for its template filters
    (``{% load ntm_format %}``), its ``load_missing`` command and the SQL function of
    accent-insensitive search on SQLite (:mod:`core.db`)."""

    name = "core"
    verbose_name = _("Shared")

    def ready(self):
        from core.db import register_sqlite_functions

        connection_created.connect(register_sqlite_functions, dispatch_uid="core.db.sqlite_functions")
