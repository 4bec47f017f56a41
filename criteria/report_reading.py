"""The Excel round trip of criteria reports, second half: read a filled template back.
Pure: an openpyxl workbook and the :class:`~criteria.report_workbook.Layout` the database
gives for its set, period and unit in; plain data out; no models and no queries.

**Reading** (:func:`read_meta`, then :func:`read_rows`) refuses a file that is not one of
our templates, an older template version or a changed structure
(:class:`~criteria.spreadsheet.SpreadsheetRefused`), and reads each row into a
:class:`RowValues` whose errors name sheet, row, column and commune. How cells are read
(decimal commas, percents, Đạt in any spelling, formulas) is :mod:`criteria.spreadsheet`.
A blank cell means "no change": the upload never erases a stored value (the web form does).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from core.formatting import decimal_text
from criteria.report_workbook import (
    ACHIEVED_TEXT,
    CODE_COLUMN,
    COMMUNE_CODE_DIGITS,
    FIRST_VALUE_COLUMN,
    HEADER_ROWS,
    META_SHEET,
    NAME_COLUMN,
    TEMPLATE_VERSION,
    VERSION_KEY,
    Column,
    Field,
    Layout,
    signature,
)
from criteria.spreadsheet import (
    CellError,
    SpreadsheetRefused,
    header_map,
    is_percent_format,
    iter_rows,
    located,
    read_achieved,
    read_number,
    read_percent,
    read_text,
)


@dataclass(frozen=True)
class Meta:
    """What the metadata sheet of an uploaded template says."""

    version: str
    criteria_set_code: str
    period_code: str
    unit_id: int | None
    unit_code: str
    data_sheet: str
    checksum: str
    versions: dict[int, int] = field(default_factory=dict)


@dataclass
class RowValues:
    """One data row as read: ``values`` maps a column key to a Decimal (number, percent
    0-100) or a bool (Đạt / Không đạt); blank cells are absent. ``errors`` are complete
    sentences naming sheet, row, column and commune."""

    row: int
    code: str
    name: str
    values: dict[str, Decimal | bool] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def not_a_template(filename: str) -> str:
    """The sentence refusing ``filename`` as not a report template of the portal."""
    return _(
        "The file “%(name)s” is not a report template of the portal. Download the template for your "
        "district and period from the page “Excel reports”, fill it in and upload it."
    ) % {"name": filename}


def read_meta(workbook, *, filename: str) -> Meta:
    """The metadata of an uploaded template. Raises SpreadsheetRefused when the workbook
    has no metadata sheet (not our template), was made for another template version, or
    its metadata was edited (the signature does not match)."""
    if META_SHEET not in workbook.sheetnames:
        raise SpreadsheetRefused(not_a_template(filename))
    pairs = []
    for row in workbook[META_SHEET].iter_rows(min_row=1, max_col=2):
        cells = [read_text(cell.value) for cell in row] + ["", ""]
        if cells[0]:
            pairs.append((cells[0], cells[1]))
    found = dict(pairs)
    if found.get("template_version") != TEMPLATE_VERSION:
        raise SpreadsheetRefused(
            _(
                "The file “%(name)s” was made from template version %(found)s; the portal now reads version "
                "%(version)s. Download a new template and copy your figures into it."
            )
            % {"name": filename, "found": found.get("template_version") or "?", "version": TEMPLATE_VERSION}
        )
    signed = [(key, value) for key, value in pairs if key != "signature"]
    if not constant_time_compare(found.get("signature", ""), signature(signed)):
        raise SpreadsheetRefused(
            _(
                "The hidden information of the file “%(name)s” (its unit, period or criteria set) was changed, "
                "so the file cannot be trusted. Download a new template and copy your figures into it."
            )
            % {"name": filename}
        )
    return Meta(
        version=found["template_version"],
        criteria_set_code=found.get("criteria_set", ""),
        period_code=found.get("period", ""),
        unit_id=int(found["unit_id"]) if found.get("unit_id", "").isdigit() else None,
        unit_code=found.get("unit_code", ""),
        data_sheet=found.get("data_sheet", ""),
        checksum=found.get("checksum", ""),
        versions={
            int(key.removeprefix(VERSION_KEY)): int(value)
            for key, value in pairs
            if key.startswith(VERSION_KEY) and key.removeprefix(VERSION_KEY).isdigit() and value.isdigit()
        },
    )


def read_rows(workbook, meta: Meta, layout: Layout, *, filename: str, max_rows: int) -> list[RowValues]:
    """Every data row of the upload, read against ``layout`` (built from the database for
    ``meta``'s set, period and unit). Raises SpreadsheetRefused when the structure is not
    the layout's: another checksum (the set changed since the download), a missing data
    sheet, or a value column whose header is not the expected indicator's."""
    if meta.checksum != layout.checksum:
        raise SpreadsheetRefused(
            _(
                "The file “%(name)s” was made before the criteria set “%(set)s” changed (or its columns were "
                "changed). Download a new template and copy your figures into it."
            )
            % {"name": filename, "set": layout.criteria_set_name}
        )
    if meta.data_sheet not in workbook.sheetnames:
        raise SpreadsheetRefused(
            _("The file “%(name)s” has no sheet “%(sheet)s”; do not rename the template's sheets.")
            % {"name": filename, "sheet": meta.data_sheet}
        )
    sheet = workbook[meta.data_sheet]
    _check_headers(sheet, layout)
    rows = []
    for number, cells in iter_rows(sheet, header_rows=HEADER_ROWS, max_rows=max_rows):
        rows.append(read_row(sheet.title, number, cells, layout.columns))
    return rows


def _check_headers(sheet, layout: Layout) -> None:
    headers = header_map(sheet, HEADER_ROWS)
    problems = []
    for index, column in enumerate(layout.columns):
        number = FIRST_VALUE_COLUMN + index
        found = headers.get(number, ("", ""))[-1]
        if found != column.heading and not found.startswith(f"{column.indicator_code} "):
            problems.append(
                located(
                    sheet.title,
                    HEADER_ROWS,
                    number,
                    _("indicator %(code)s was expected here, but the header says “%(found)s”.")
                    % {"code": column.indicator_code, "found": found or "—"},
                )
            )
    extra = [number for number in headers if number >= FIRST_VALUE_COLUMN + len(layout.columns)]
    if extra:
        problems.append(
            located(
                sheet.title,
                HEADER_ROWS,
                extra[0],
                _("this column is not in the template; columns must not be added or moved."),
            )
        )
    if problems:
        raise SpreadsheetRefused(" ".join(problems[:5]))


def normalise_code(text: str) -> str:
    """A GSO commune code as written: digits padded to five ("5443" -> "05443")."""
    return text.zfill(COMMUNE_CODE_DIGITS) if text.isdigit() else text


def read_row(sheet: str, number: int, cells, columns: tuple[Column, ...]) -> RowValues:
    """Row ``number`` of ``sheet`` read against ``columns``: ``cells`` (objects with
    ``value`` and ``number_format``, column A first) as :func:`read_rows` reads a data
    row; also how the REST API's bulk values read their JSON
    (:mod:`criteria.services.bulk_values`), so that both say the same of the same value."""
    by_position = {index: cell for index, cell in enumerate(cells, start=1)}
    code = normalise_code(read_text(_value(by_position, CODE_COLUMN)))
    name = read_text(_value(by_position, NAME_COLUMN))
    row = RowValues(row=number, code=code, name=name)
    who = name or code
    if not code:
        row.errors.append(
            located(
                sheet,
                number,
                CODE_COLUMN,
                _("the commune code is empty (commune “%(name)s”).") % {"name": name},
            )
        )
        return row
    for index, column in enumerate(columns):
        position = FIRST_VALUE_COLUMN + index
        cell = by_position.get(position)
        raw = None if cell is None else cell.value
        try:
            value = _read_cell(column.field, raw, None if cell is None else cell.number_format)
        except CellError as error:
            row.errors.append(located(sheet, number, position, f"{who}, {column.indicator_code}: {error}"))
            continue
        if value is not None:
            row.values[column.key] = value
    return row


def _value(cells: dict, position: int):
    cell = cells.get(position)
    return None if cell is None else cell.value


def _read_cell(kind: Field, raw, cell_format: str | None) -> Decimal | bool | None:
    if kind.is_mark:
        return read_achieved(raw)
    if kind == Field.PERCENT:
        return read_percent(raw, cell_is_percent_formatted=is_percent_format(cell_format))
    return read_number(raw)


def shown(value: Decimal | bool | None) -> str:
    """A value as the preview shows it: Đạt / Không đạt, a localised number, or —."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return ACHIEVED_TEXT[value]
    return decimal_text(value)
