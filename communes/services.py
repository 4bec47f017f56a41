"""Writes to administrative units. Each function owns its transaction; every change is
recorded by django-simple-history."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

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


@transaction.atomic
def units_bulk_import(*, data: ProvinceData, batch_size: int = 2000) -> ImportResult:
    """Create the units of ``data`` that are not in the database yet, matched on (GSO
    code, valid-until day) as :func:`units_import` does, in bulk: one ``INSERT`` per
    ``batch_size`` units of a tree level, with their "created" history rows, so the whole
    country (:func:`communes.gso_source.read_legacy`, 10,794 units) loads in seconds.

    For loads of thousands of units; the lineage of ``data`` is not written (use
    :func:`units_import` for a province and its lineage). A unit already there is kept as
    it is. Idempotent: a second run writes nothing. Nothing is ever deleted.
    """
    result = ImportResult()
    existing = {unit.natural_key(): unit for unit in AdministrativeUnit.objects.exclude(code="")}
    by_ref: dict[str, AdministrativeUnit] = {}
    waiting = list(data.units)  # parents always come before their children
    while waiting:
        # One wave: the units whose parent is known (saved, or not to be saved).
        wave = [record for record in waiting if record.parent_ref is None or record.parent_ref in by_ref]
        if not wave:
            raise ValueError(
                f"unit {waiting[0].ref!r} names a parent {waiting[0].parent_ref!r} that is not in the data"
            )
        waiting = [
            record for record in waiting if not (record.parent_ref is None or record.parent_ref in by_ref)
        ]
        new: list[tuple[str, AdministrativeUnit]] = []
        for record in wave:
            key = (record.code, record.valid_until.isoformat() if record.valid_until else None)
            unit = existing.get(key)
            if unit is not None:
                by_ref[record.ref] = unit
                result.units_kept += 1
                continue
            unit = AdministrativeUnit(
                code=record.code,
                valid_until=record.valid_until,
                parent=by_ref[record.parent_ref] if record.parent_ref else None,
                search_key=fold(record.name),  # what save() sets; bulk_create does not call it
                **{name: getattr(record, name) for name in _SOURCE_FIELDS},
            )
            new.append((record.ref, unit))
        created = bulk_create_with_history(
            [unit for _ref, unit in new], AdministrativeUnit, batch_size=batch_size
        )
        for (ref, _unsaved), unit in zip(new, created, strict=True):
            by_ref[ref] = unit
        result.units_created += len(created)
    return result
