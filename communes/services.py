"""Writes to administrative units. Each function owns its transaction; every change is
recorded by django-simple-history."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communes.gso_source import REFORM_DATE, ProvinceData
from communes.models import AdministrativeUnit, UnitKind, UnitLevel, UnitSuccession
from communes.scope import ScopedUser, require_unit
from core.text import clean, fold

_SOURCE_FIELDS = (
    "name",
    "short_name",
    "kind",
    "level",
    "valid_from",
    "latitude",
    "longitude",
    "area_km2",
)


@dataclass
class ImportResult:
    """Counts of what :func:`units_import` did: rows created, and rows already there."""

    units_created: int = 0
    units_kept: int = 0
    successions_created: int = 0
    successions_kept: int = 0


@transaction.atomic
def units_import(*, data: ProvinceData) -> ImportResult:
    """Create the units and lineage links of ``data`` (from
    :func:`communes.gso_source.read_province`) that are not in the database yet, matched
    on (GSO code, valid-until day).

    A unit already there is kept as it is, even where it differs from the source: a
    coordinator may have corrected it, and the history shows who did. Idempotent: a
    second run writes nothing. Nothing is ever deleted.
    """
    result = ImportResult()
    by_ref: dict[str, AdministrativeUnit] = {}
    existing = {unit.natural_key(): unit for unit in AdministrativeUnit.objects.all()}
    for record in data.units:  # parents always come before their children
        key = (record.code, record.valid_until.isoformat() if record.valid_until else None)
        unit = existing.get(key)
        if unit is None:
            unit = AdministrativeUnit(
                code=record.code,
                valid_until=record.valid_until,
                parent=by_ref[record.parent_ref] if record.parent_ref else None,
                **{name: getattr(record, name) for name in _SOURCE_FIELDS},
            )
            unit.save()
            result.units_created += 1
        else:
            result.units_kept += 1
        by_ref[record.ref] = unit

    existing_pairs = set(UnitSuccession.objects.values_list("predecessor_id", "successor_id"))
    for record in data.successions:
        predecessor = by_ref[record.predecessor_ref]
        successor = by_ref[record.successor_ref]
        if (predecessor.pk, successor.pk) in existing_pairs:
            result.successions_kept += 1
            continue
        UnitSuccession.objects.create(
            predecessor=predecessor,
            successor=successor,
            effective_date=REFORM_DATE,
            is_partial=record.is_partial,
            is_primary=record.is_primary,
            legal_basis=record.legal_basis,
        )
        existing_pairs.add((predecessor.pk, successor.pk))
        result.successions_created += 1
    return result


HAMLET_KINDS = (UnitKind.HAMLET, UnitKind.RESIDENTIAL_GROUP)


@transaction.atomic
def hamlet_create(
    *, user: ScopedUser, commune: AdministrativeUnit, name: str, kind: str = UnitKind.HAMLET
) -> AdministrativeUnit:
    """Add a hamlet (xóm, thôn, bản) or residential group (tổ dân phố) under ``commune``,
    in force from today, for ``user``. ``name`` is cleaned (NFC, single spaces).

    Raises :class:`~core.exceptions.OutOfScope` (404) when ``commune`` lies outside the
    user's change scope and ``PermissionDenied`` when their role adds no units
    (:func:`communes.scope.require_unit`).
    Raises :class:`ValidationError` naming the field: the parent is not a commune-level
    unit in force today, the name is empty, or the commune already has a hamlet of that
    name in force (the message names that hamlet as it is spelled).
    """
    require_unit(user, commune, permission="communes.add_administrativeunit")
    today = timezone.localdate()
    name = clean(name)
    if commune.level != UnitLevel.COMMUNE or not commune.is_valid_on(today):
        raise ValidationError(
            {"parent": _("Hamlets can only be added to a commune-level unit that is in force today.")}
        )
    if kind not in HAMLET_KINDS:
        raise ValidationError({"kind": _("Choose a hamlet or a residential group.")})
    if not name:
        raise ValidationError({"name": _("Enter the hamlet's name.")})
    siblings = commune.children.valid_on(today).filter(level=UnitLevel.HAMLET)
    existing = next((sibling for sibling in siblings if fold(sibling.short_name) == fold(name)), None)
    if existing is not None:
        # Name the hamlet that is there, as it is spelled, not the user's spelling of it.
        if existing.kind == UnitKind.RESIDENTIAL_GROUP:
            message = _("%(commune)s already has the residential group %(name)s.")
        else:
            message = _("%(commune)s already has the hamlet %(name)s.")
        raise ValidationError({"name": message % {"commune": commune.name, "name": existing.name}})
    hamlet = AdministrativeUnit(
        name=name,
        short_name=name,
        kind=kind,
        level=UnitLevel.HAMLET,
        parent=commune,
        valid_from=today,
        latitude=None,
        longitude=None,
    )
    hamlet.full_clean()
    hamlet.save()
    return hamlet
