"""Database functions the portal adds to Django's: accent-insensitive search in SQL.

:class:`Folded` is :func:`core.text.fold` computed by the database, so that a list can
be searched without accents ("dong hy" finds "Đồng Hỷ") and still paged by the
database. PostgreSQL gets ``translate`` over a table of every accented Latin letter;
SQLite calls :func:`core.text.fold` itself, registered on each new connection
(:func:`register_sqlite_functions`).
"""

import unicodedata

from django.db.models import CharField, Func

from core.text import fold


def _fold_table() -> tuple[str, str]:
    """Every letter of Latin-1, Latin Extended-A/B and Latin Extended Additional (all
    of Vietnamese) that folds to one ASCII letter, with that letter, upper case included."""
    source, target = [], []
    for code in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        char = chr(code)
        if not unicodedata.category(char).startswith("L"):
            continue
        folded = fold(char)
        if len(folded) == 1 and folded.isascii() and folded != char:
            source.append(char)
            target.append(folded)
    return "".join(source), "".join(target)


_FROM, _TO = _fold_table()


class Folded(Func):
    """``Folded("name")``: the column without accents and in lower case, as
    :func:`core.text.fold` gives it (spaces and punctuation aside, which stay as stored)."""

    output_field = CharField()
    arity = 1

    def as_sql(self, compiler, connection, **extra_context):  # pragma: no cover - other back ends
        raise NotImplementedError(f"Folded has no SQL for {connection.vendor}")

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="ntm_fold", **extra_context)

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"lower(translate({sql}, %s, %s))", [*params, _FROM, _TO]


def _sqlite_fold(value):
    return None if value is None else fold(value)


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: give a new SQLite connection ``ntm_fold``."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("ntm_fold", 1, _sqlite_fold, deterministic=True)
