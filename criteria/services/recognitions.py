"""Writes on recognitions (công nhận): a commune or hamlet recognised at a level by a
decision. Communes are recognised by the provincial chairman, model hamlets by the
district committee (NTM_FACTS §3); in the portal a provincial coordinator records
either, for a unit inside their change scope, and the service checks both."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role, require_role
from communes.models import AdministrativeUnit, UnitLevel
from communes.scope import require_unit
from core.formatting import date_text
from core.text import clean
from criteria.models import CriteriaSet, Recognition, RecognitionLevel

# Levels at which a rural commune (xã) is recognised; a model hamlet is the other one.
COMMUNE_LEVELS = frozenset({RecognitionLevel.STANDARD, RecognitionLevel.ADVANCED, RecognitionLevel.MODEL})


@transaction.atomic
def recognition_create(
    *,
    user,
    unit: AdministrativeUnit,
    level: str,
    criteria_set: CriteriaSet,
    decision_number: str,
    decision_date: datetime.date,
    signer: str = "",
) -> Recognition:
    """Record that ``unit`` was recognised at ``level`` under ``criteria_set`` by decision
    ``decision_number`` of ``decision_date``.

    Raises ``PermissionDenied`` unless ``user`` is a provincial coordinator,
    :class:`~core.exceptions.OutOfScope` when ``unit`` lies outside their change scope
    (:func:`communes.scope.require_unit`), and :class:`ValidationError` with messages
    keyed by field: a commune level for a unit that is not a rural commune (xã), a model
    hamlet for a unit that is not a hamlet, an unknown level, an empty decision number, a
    decision date in the future, before the set was issued (its ``decision_date``, when
    known), after the set ceased to apply (its ``effective_until``, when known) or on a
    day the unit was not in force, and a second recognition of the same unit at the same
    level under the same set.
    """
    require_role(user, Role.COORDINATOR)
    require_unit(user, unit)
    decision_number = clean(decision_number or "")
    signer = clean(signer or "")
    errors: dict[str, list] = {}

    def refuse(field, message, **params):
        errors.setdefault(field, []).append(ValidationError(message, params=params or None))

    if level not in RecognitionLevel.values:
        refuse("level", _("Choose a recognition level."))
    elif level in COMMUNE_LEVELS and not unit.is_assessed:
        refuse(
            "unit",
            _("%(unit)s is not a rural commune (xã): only a xã is recognised at this level."),
            unit=unit.name,
        )
    elif level == RecognitionLevel.MODEL_HAMLET and unit.level != UnitLevel.HAMLET:
        refuse("unit", _("%(unit)s is not a hamlet: only a hamlet is a model NTM hamlet."), unit=unit.name)
    if not decision_number:
        refuse("decision_number", _("Enter the number of the recognition decision."))
    today = timezone.localdate()
    if decision_date > today:
        refuse(
            "decision_date",
            _("The decision date cannot be after today (%(today)s)."),
            today=date_text(today),
        )
    elif criteria_set.decision_date is not None and decision_date < criteria_set.decision_date:
        refuse(
            "decision_date",
            _("The decision date cannot be before %(set)s was issued (%(day)s)."),
            set=criteria_set.name,
            day=date_text(criteria_set.decision_date),
        )
    elif criteria_set.effective_until is not None and decision_date > criteria_set.effective_until:
        refuse(
            "decision_date",
            _("The decision date cannot be after the last day %(set)s applied (%(day)s)."),
            set=criteria_set.name,
            day=date_text(criteria_set.effective_until),
        )
    elif not unit.is_valid_on(decision_date):
        refuse(
            "decision_date",
            _("%(unit)s was not in force on %(day)s."),
            unit=unit.name,
            day=date_text(decision_date),
        )
    if (
        "unit" not in errors
        and "level" not in errors
        and Recognition.objects.filter(unit=unit, level=level, criteria_set=criteria_set).exists()
    ):
        message, params = _duplicate_message(unit, level, criteria_set)
        refuse("unit", message, **params)
    if errors:
        raise ValidationError(errors)
    try:
        # A savepoint, so that a concurrent duplicate leaves the outer transaction usable.
        with transaction.atomic():
            return Recognition.objects.create(
                unit=unit,
                level=level,
                criteria_set=criteria_set,
                decision_number=decision_number,
                decision_date=decision_date,
                signer=signer,
            )
    except IntegrityError:
        message, params = _duplicate_message(unit, level, criteria_set)
        raise ValidationError({"unit": [ValidationError(message, params=params)]}) from None


def _duplicate_message(unit, level, criteria_set):
    return (
        _("%(unit)s is already recognised at the level “%(level)s” under %(set)s."),
        {"unit": unit.name, "level": RecognitionLevel(level).label, "set": criteria_set.name},
    )
