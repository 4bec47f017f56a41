"""``manage.py load_missing FIXTURE…``: like ``loaddata``, but only adds the objects
that do not exist yet (matched by natural key), so reference data that coordinators
have since edited is never overwritten by a second ``make run``."""

from django.core import serializers
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.core.management.commands.loaddata import Command as LoadData
from django.db import connection, transaction


class Command(BaseCommand):
    help = "Load fixture objects whose natural key is not in the database yet; leave the rest."

    def add_arguments(self, parser):
        parser.add_argument("fixtures", nargs="+")

    @transaction.atomic
    def handle(self, *args, fixtures, **options):
        finder = LoadData()
        finder.using = "default"
        finder.app_label = None
        finder.verbosity = 0
        finder.serialization_formats = serializers.get_public_serializer_formats()
        added = kept = 0
        loaded_models = set()
        for name in fixtures:
            found = finder.find_fixtures(name)
            if not found:
                raise CommandError(f"No fixture named {name!r}.")
            for path, _dirname, _basename in found:
                fmt = path.rsplit(".", 1)[-1]
                with open(path, encoding="utf-8") as stream:
                    for record in serializers.deserialize(fmt, stream, handle_forward_references=False):
                        # A natural key found in the database resolves to its pk; a fixture pk
                        # may be present or not: either way, ask the database.
                        obj = record.object
                        if obj.pk is not None and type(obj)._default_manager.filter(pk=obj.pk).exists():
                            kept += 1
                            continue
                        # A normal save (not loaddata's raw one) so the history records the import.
                        record.object.save()
                        loaded_models.add(type(record.object))
                        for field, values in (record.m2m_data or {}).items():
                            getattr(record.object, field).set(values)
                        added += 1
        # Rows loaded with explicit pks leave PostgreSQL's sequences behind: reset them, as
        # loaddata does, so the next row created by the portal cannot collide with them.
        if loaded_models:
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), sorted(loaded_models, key=str)):
                    cursor.execute(sql)
        self.stdout.write(f"{added} object(s) added, {kept} already present and left unchanged.")
