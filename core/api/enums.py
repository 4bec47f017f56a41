"""The names of the OpenAPI schema's enums: each choice set after its class.

drf-spectacular names an enum after the field that uses it (``kind`` -> ``KindEnum``);
when fields of the same name use different choices (a unit's kind, an agency's kind, a
period's kind) it falls back to hashed names (``Kind9f4Enum``) and warns, which
``spectacular --fail-on-warn`` refuses. :class:`ChoicesClassNames` is the setting
``ENUM_NAME_OVERRIDES``: every ``TextChoices`` / ``IntegerChoices`` class of the portal's
apps gives its own name (``UnitKind`` -> ``UnitKindEnum``), also the classes that later
issues add, so names are stable and say what they are. Read when the first schema is
generated (the models are loaded by then); nothing is imported here at start-up, because
settings import this module.
"""

from collections.abc import Mapping

# The packages whose choice classes name the schema's enums.
PORTAL_PACKAGES = ("core", "communes", "accounts", "criteria", "directives", "funding")


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


class ChoicesClassNames(Mapping):
    """``{"UnitKindEnum": UnitKind, ...}`` for every choice class of the portal. Two
    classes of one name in different apps are told apart by the app
    (``CriteriaStatusEnum``); of two classes with the same choices, the first by module
    and name gives the name (drf-spectacular needs one name per choice set)."""

    def __init__(self):
        self._names = None

    def _load(self) -> dict:
        if self._names is None:
            from django.db.models import Choices

            classes = sorted(
                {
                    cls
                    for cls in _subclasses(Choices)
                    if cls.__module__.split(".")[0] in PORTAL_PACKAGES and cls.choices
                },
                key=lambda cls: (cls.__module__, cls.__qualname__),
            )
            counts = {}
            for cls in classes:
                counts[cls.__name__] = counts.get(cls.__name__, 0) + 1
            names, seen = {}, set()
            for cls in classes:
                choices = tuple((value, str(label)) for value, label in cls.choices)
                if choices in seen:
                    continue
                seen.add(choices)
                app = cls.__module__.split(".")[0].capitalize()
                name = cls.__name__ if counts[cls.__name__] == 1 else app + cls.__name__
                names[f"{name}Enum"] = cls
            self._names = names
        return self._names

    def __getitem__(self, key):
        return self._load()[key]

    def __iter__(self):
        return iter(self._load())

    def __len__(self):
        return len(self._load())
