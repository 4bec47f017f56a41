"""Indicator values of many communes of one period in one call (the REST API's bulk
values), judged and written exactly as an uploaded Excel criteria report is.

The posted communes become the rows of the data sheet the upload reads, through the same
cell readers (:func:`criteria.report_reading.read_row`): ``communes[i]`` is row ``3 + i``
(after the two header rows) of the template of the unit, each posted value the cell of
its indicator's column, a null or absent value a blank cell ("no change": like the
upload, bulk values never erase a stored value; the single assessment's
``PATCH …/values/`` does). So :func:`bulk_values_preview` answers the upload's own
preview (:func:`criteria.services.report_preview.upload_preview`: per commune its changes
old -> new, its errors naming indicator and commune, the criteria met before and after),
and :func:`bulk_values_apply` writes each commune alone, as a confirmed upload does
(:func:`criteria.services.reports.apply_preview_entry`): one commune's refusal never
stops the others.

The template's unit is the one named, else the caller's own (their agency's scope: the
district of a district officer, the province of a coordinator), as the reports page
proposes it; it must be one a template is made for
(:func:`criteria.selectors.reports.template_units`).
"""

from dataclasses import dataclass, replace

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.roles import require_role
from accounts.scope import unit_scope
from core.exceptions import OutOfScope
from criteria.models import Assessment, CriteriaSet, ReportingPeriod
from criteria.report_reading import RowValues, normalise_code, read_row
from criteria.report_workbook import FIRST_VALUE_COLUMN, HEADER_ROWS, Column, Field, Layout
from criteria.selectors.reports import is_writable, report_layout, set_indicators, template_units
from criteria.services.assessments import STARTING_ROLES, incomplete_set_refusal
from criteria.services.report_preview import UploadTarget, upload_preview
from criteria.services.reports import REPORTERS_ONLY, apply_preview_entry

# Communes in one call: each is written in the request (no Celery task), in its own
# transaction; a province has about 120 xã.
BULK_MAX_COMMUNES = 500


@dataclass(frozen=True)
class PostedValue:
    """One indicator's cells for one commune, the indicator named by id or by code:
    ``number`` goes to the indicator's number or percent column (percent 0-100),
    ``achieved`` to its Đạt / Không đạt column (a yes/no indicator) or to the appraiser's
    conclusion column (a numeric indicator with no target yet); ``value`` stands for
    the indicator's own column (``number``, or ``achieved`` of a yes/no indicator).
    Each is a JSON number, string or boolean, read as the template's cell would be;
    None leaves the stored value."""

    indicator_id: int | None = None
    indicator_code: str = ""
    value: object = None
    number: object = None
    achieved: object = None


@dataclass(frozen=True)
class PostedCommune:
    """One commune of a call: its unit id or its GSO code, the version of its assessment
    the caller read (None: whatever it is now), and its values."""

    commune_id: int | None = None
    code: str = ""
    version: int | None = None
    values: tuple[PostedValue, ...] = ()


@dataclass(frozen=True)
class BulkPreview:
    """The unit, period and set of a call and its preview entries, one per posted
    commune in the posted order (the upload's entries, see
    :func:`~criteria.services.report_preview.upload_preview`)."""

    target: UploadTarget
    entries: list[dict]


def bulk_target(
    *, user, unit_id: int | None, period: ReportingPeriod, criteria_set: CriteriaSet
) -> UploadTarget:
    """The template a call stands for. Raises PermissionDenied (:data:`REPORTERS_ONLY`)
    unless ``user`` uploads reports, :class:`~core.exceptions.OutOfScope` for a unit
    outside their change scope, ValidationError on ``unit_id`` for a unit no template is
    made for (or none named when the user's own is not one), on ``criteria_set_id`` for
    a set with criteria lacking indicators."""
    require_role(user, *STARTING_ROLES, message=REPORTERS_ONLY)
    changeable = unit_scope(user, for_change=True)
    units = template_units(changeable=changeable)
    if unit_id is None:
        unit = units.filter(pk=getattr(user.agency, "scope_id", None)).first()
        if unit is None:
            raise ValidationError(
                {"unit_id": _("Name the unit (province, district or commune) of these communes.")}
            )
    else:
        if not changeable.filter(pk=unit_id).exists():
            raise OutOfScope
        unit = units.filter(pk=unit_id).first()
        if unit is None:
            raise ValidationError(
                {
                    "unit_id": _(
                        "Choose a province, a district or your own commune: the units a template is made for."
                    )
                }
            )
    if refusal := incomplete_set_refusal(criteria_set):
        raise ValidationError({"criteria_set_id": refusal})
    return UploadTarget(unit=unit, period=period, criteria_set=criteria_set)


def bulk_values_preview(
    *,
    user,
    period: ReportingPeriod,
    criteria_set: CriteriaSet,
    communes: list[PostedCommune],
    unit_id: int | None = None,
) -> BulkPreview:
    """What posting ``communes`` would change, as the preview of the equivalent Excel
    upload (see the module docstring). Raises as :func:`bulk_target`, and
    ValidationError keyed by the path of the value (``communes[0].values[2].number``)
    for a value the template has no cell for: an indicator not in the set, one named
    twice for a commune, a number for a yes/no indicator, a conclusion for an indicator
    with a target. Reads only."""
    target = bulk_target(user=user, unit_id=unit_id, period=period, criteria_set=criteria_set)
    indicators = set_indicators(criteria_set)
    layout = report_layout(unit=target.unit, period=period, criteria_set=criteria_set, indicators=indicators)
    communes = _resolved(communes, layout)
    codes = _codes(user, layout, communes)
    entries = upload_preview(
        user=user,
        target=target,
        layout=layout,
        indicators={indicator.pk: indicator for indicator in indicators},
        rows=[
            _row(layout, offset, posted, code)
            for offset, (posted, code) in enumerate(zip(communes, codes, strict=True))
        ],
        downloaded=_versions(layout, target, communes, codes),
    )
    return BulkPreview(target=target, entries=entries)


def bulk_values_apply(*, user, preview: BulkPreview) -> list[dict]:
    """Write every entry of ``preview`` that changes something and has no error, each
    commune alone (:func:`~criteria.services.reports.apply_preview_entry`: a new draft
    where there is none, the values through the assessment services, the history naming
    ``user``). One outcome per entry, in order: ``{"status": "imported", "changed": n}``,
    ``{"status": "refused", "message": …}`` (refused when written: changed meanwhile, the
    workflow), ``{"status": "invalid"}`` (the entry's errors say why) or
    ``{"status": "unchanged"}``."""
    outcomes = []
    for entry in preview.entries:
        if is_writable(entry):
            outcome = apply_preview_entry(
                user=user,
                period=preview.target.period,
                criteria_set=preview.target.criteria_set,
                entry=entry,
            )
        else:
            outcome = {"status": "invalid" if entry["errors"] else "unchanged"}
        outcomes.append(outcome)
    return outcomes


@dataclass(frozen=True)
class _Cell:
    """What :func:`~criteria.report_reading.read_row` reads of a cell."""

    value: object = None
    number_format: str = "General"


def _resolved(communes: list[PostedCommune], layout: Layout) -> list[PostedCommune]:
    """``communes`` with every value's indicator id (from its code where given by code),
    each value checked to have its cell in the template (see :func:`bulk_values_preview`)."""
    by_id: dict[int, Column] = {}
    by_code: dict[str, set[int]] = {}
    parts: dict[int, set[str]] = {}
    for column in layout.columns:
        by_id.setdefault(column.indicator_id, column)
        by_code.setdefault(column.indicator_code, set()).add(column.indicator_id)
        parts.setdefault(column.indicator_id, set()).add(_part(column))
    errors: dict[str, str] = {}
    resolved = []
    for at, commune in enumerate(communes):
        values, seen = [], set()
        for place, value in enumerate(commune.values):
            path = f"communes[{at}].values[{place}]"
            if value.indicator_id is not None:
                indicator_id = value.indicator_id if value.indicator_id in by_id else None
                if indicator_id is None:
                    errors[f"{path}.indicator_id"] = _(
                        "The criteria set has no indicator with the id %(id)s."
                    ) % {"id": value.indicator_id}
                    continue
            else:
                found = by_code.get(value.indicator_code, set())
                if len(found) != 1:
                    errors[f"{path}.indicator_code"] = (
                        _("The criteria set has no indicator with the code “%(code)s”.")
                        if not found
                        else _("Several indicators of the set have the code “%(code)s”: give indicator_id.")
                    ) % {"code": value.indicator_code}
                    continue
                [indicator_id] = found
            code = by_id[indicator_id].indicator_code
            if indicator_id in seen:
                errors[f"{path}.indicator_id"] = _("Indicator %(code)s is given twice for this commune.") % {
                    "code": code
                }
                continue
            seen.add(indicator_id)
            if value.value is not None:
                own = "number" if "number" in parts[indicator_id] else "achieved"
                if getattr(value, own) is not None:
                    errors[f"{path}.value"] = _("Give value or %(field)s, not both.") % {"field": own}
                    continue
                value = replace(value, **{own: value.value, "value": None})
            for part in ("number", "achieved"):
                if getattr(value, part) is not None and part not in parts[indicator_id]:
                    errors[f"{path}.{part}"] = (
                        _("Indicator %(code)s is judged Đạt / Không đạt: send “achieved”, not “number”.")
                        if part == "number"
                        else _(
                            "Indicator %(code)s has a target: send its “number”; “achieved” is the appraiser's "
                            "conclusion of an indicator whose target is not set yet."
                        )
                    ) % {"code": code}
            values.append(replace(value, indicator_id=indicator_id))
        resolved.append(replace(commune, values=tuple(values)))
    if errors:
        raise ValidationError(errors)
    return resolved


def _part(column: Column) -> str:
    """Which posted value fills ``column``: "number" (a number or percent) or "achieved"."""
    return "number" if column.field in (Field.NUMBER, Field.PERCENT) else "achieved"


def _codes(user, layout: Layout, communes: list[PostedCommune]) -> list[str | None]:
    """The GSO code of each posted commune: its own, or that of its unit id (the template's
    communes, else the units the user sees; None for an id of no unit they see)."""
    by_id = {commune.unit_id: commune.code for commune in layout.communes}
    other_ids = {c.commune_id for c in communes if c.commune_id is not None and c.commune_id not in by_id}
    if other_ids:
        by_id |= dict(unit_scope(user).filter(pk__in=other_ids).values_list("pk", "code"))
    return [by_id.get(c.commune_id) if c.commune_id is not None else normalise_code(c.code) for c in communes]


def _row(layout: Layout, offset: int, posted: PostedCommune, code: str | None) -> RowValues:
    """The data row the posted commune stands for, read as the upload reads a row."""
    number = HEADER_ROWS + 1 + offset
    if code is None:
        where = f"{layout.data_sheet}, " + _("row %(row)s") % {"row": number}
        message = _("no commune of your area has the id %(id)s.") % {"id": posted.commune_id}
        return RowValues(row=number, code="", name="", errors=[f"{where}: {message}"])
    slots = {
        (column.indicator_id, _part(column)): FIRST_VALUE_COLUMN - 1 + index
        for index, column in enumerate(layout.columns)
    }
    # Column B holds the commune's name, as in the template the portal makes.
    name = next((commune.name for commune in layout.communes if commune.code == code), "")
    cells = [_Cell(code), _Cell(name)] + [_Cell() for _column in layout.columns]
    for value in posted.values:
        for part in ("number", "achieved"):
            raw = getattr(value, part)
            position = slots.get((value.indicator_id, part))
            if raw is not None and position is not None:
                cells[position] = _Cell(raw)
    return read_row(layout.data_sheet, number, cells, layout.columns)


def _versions(
    layout: Layout, target: UploadTarget, communes: list[PostedCommune], codes: list[str | None]
) -> dict[int, int]:
    """The assessment version each commune is judged against, by unit id, as a template
    records the versions at its download: the one posted, else the one stored now."""
    unit_of = {commune.code: commune.unit_id for commune in layout.communes}
    versions = dict(
        Assessment.objects.filter(
            commune_id__in=unit_of.values(), period=target.period, criteria_set=target.criteria_set
        ).values_list("commune_id", "version")
    )
    posted: dict[int, int] = {}
    for commune, code in zip(communes, codes, strict=True):
        unit_id = unit_of.get(code or "")
        if unit_id is not None and commune.version is not None:
            posted.setdefault(unit_id, commune.version)
    return versions | posted
