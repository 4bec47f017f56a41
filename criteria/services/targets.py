"""Writes on the programme's targets (mục tiêu, :class:`criteria.models.ProgrammeTarget`):
how many units of the province or of a district are to be recognised at a level by the
end of a year, as a decision or notice sets it (notice 58/TB-UBND of 06/07/2020: 100
communes at the standard by 2020). A provincial coordinator adds a target, or sets and
changes its count and source; a target whose count is not known yet is kept with no
count. Every change is in the history, naming the user.
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.roles import Role, require_role
from communes.models import AdministrativeUnit, UnitLevel
from communes.scope import require_unit
from core.formatting import decimal_text
from core.history import fields_save
from core.text import clean
from criteria.models import ProgrammeTarget, RecognitionLevel
from criteria.selectors.targets import TARGET_BASELINE_REASON, target_version

# The units a target is set for: the province and its districts (former ones included,
# for the targets of 2016-2020), never a commune or a hamlet.
TARGET_UNIT_LEVELS = frozenset({UnitLevel.PROVINCE, UnitLevel.DISTRICT})
YEAR_MIN, YEAR_MAX = 2010, 2100
# The most units a target may count: Vietnam had about 10,000 communes before 2025.
COUNT_MAX = 10_000
SOURCE_MAX = ProgrammeTarget._meta.get_field("source").max_length


class StaleTarget(Exception):
    """Someone saved the target after the version the user's form was read at;
    ``message`` says so and asks to reload, in the user's language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _require_coordinator(user) -> None:
    require_role(
        user, Role.COORDINATOR, message=_("Only a provincial coordinator keeps the programme targets.")
    )


def _count_and_source_errors(count, source: str) -> dict[str, str]:
    errors = {}
    if count is not None and (isinstance(count, bool) or not isinstance(count, int)):
        errors["count"] = _("Target: type a whole number, or leave it empty while it is not known.")
    elif count is not None and not 0 <= count <= COUNT_MAX:
        errors["count"] = _("Target: type a whole number from 0 to %(max)s.") % {
            "max": decimal_text(COUNT_MAX)
        }
    if len(source) > SOURCE_MAX:
        errors["source"] = _("Source: at most %(max)s characters.") % {"max": SOURCE_MAX}
    elif count is not None and not source:
        errors["source"] = _("Source: name the decision or notice that sets this target.")
    return errors


def _duplicate(unit: AdministrativeUnit, level: str, year: int) -> ValidationError:
    return ValidationError(
        {
            NON_FIELD_ERRORS: _(
                "%(unit)s already has a target for %(level)s by the end of %(year)s: "
                "change that one in the list instead."
            )
            % {"unit": unit.name, "level": RecognitionLevel(level).label, "year": year}
        }
    )


@transaction.atomic
def programme_target_create(
    *, user, unit: AdministrativeUnit, level: str, year: int, count: int | None, source: str = ""
) -> ProgrammeTarget:
    """Add the target of ``unit`` (the province or a district) for ``level`` (a
    ``RecognitionLevel`` value) by the end of ``year`` (2010 to 2100): ``count`` units
    (0 to 10,000; None while not known) as ``source`` sets it (required with a count, at
    most 300 characters). The history row names ``user``.

    Raises ``PermissionDenied`` unless ``user`` is a provincial coordinator;
    :class:`~core.exceptions.OutOfScope` when ``unit`` lies outside their change scope;
    ``ValidationError`` keyed by field ("unit", "level", "year", "count", "source"), and
    not tied to a field when ``unit`` already has a target for ``level`` and ``year``
    (the database's ``programme_target_unique`` also catches a concurrent duplicate)."""
    _require_coordinator(user)
    require_unit(user, unit)
    source = clean(source or "")
    errors = {}
    if unit.level not in TARGET_UNIT_LEVELS:
        errors["unit"] = _("%(unit)s is not the province or a district: a target is set for those.") % {
            "unit": unit.name
        }
    if level not in RecognitionLevel.values:
        errors["level"] = _("Choose a recognition level.")
    if isinstance(year, bool) or not isinstance(year, int) or not YEAR_MIN <= year <= YEAR_MAX:
        errors["year"] = _("Year: type a year from %(first)s to %(last)s.") % {
            "first": YEAR_MIN,
            "last": YEAR_MAX,
        }
    errors |= _count_and_source_errors(count, source)
    if errors:
        raise ValidationError(errors)
    if ProgrammeTarget.objects.filter(unit=unit, level=level, year=year).exists():
        raise _duplicate(unit, level, year)
    target = ProgrammeTarget(unit=unit, level=level, year=year, count=count, source=source)
    target._history_user = user
    try:
        # A savepoint, so that a concurrent duplicate leaves the outer transaction usable.
        with transaction.atomic():
            target.save()
    except IntegrityError:
        raise _duplicate(unit, level, year) from None
    return target


@transaction.atomic
def programme_target_update(
    *, user, target: ProgrammeTarget, count: int | None, source: str, version: str | None = None
) -> bool:
    """Set the ``count`` (None: not known yet) and ``source`` of ``target``, with the
    rules of :func:`programme_target_create`; its unit, level and year do not change.
    ``version`` is the one the user's form was read at
    (:func:`criteria.selectors.targets.target_version`); None skips the check. A target
    with no history yet (loaded from a fixture) first gets a row of itself as it stood
    (change reason ``TARGET_BASELINE_REASON``), so the history shows old and new; the
    change's row names ``user``. Nothing is written when nothing changes. Returns whether
    the target changed.

    Raises ``PermissionDenied``, :class:`~core.exceptions.OutOfScope` as creation does;
    :class:`StaleTarget` when someone saved the target after ``version``;
    ``ValidationError`` keyed by field ("count", "source")."""
    _require_coordinator(user)
    target = ProgrammeTarget.objects.select_for_update().select_related("unit").get(pk=target.pk)
    require_unit(user, target.unit)
    if version is not None and target_version(target.pk) != version:
        raise StaleTarget(_("Someone else has just changed this target: reload the page."))
    source = clean(source or "")
    errors = _count_and_source_errors(count, source)
    if errors:
        raise ValidationError(errors)
    if (target.count, target.source) == (count, source):
        return False
    fields_save(
        target,
        user=user,
        values={"count": count, "source": source},
        baseline_reason=TARGET_BASELINE_REASON,
    )
    return True
