"""Files the portal hands out: workbooks and CSV files as attachments whose Vietnamese
file names survive every browser, and cell writers that keep text as text.

``Content-Disposition`` carries an ASCII fallback name and the UTF-8 name (RFC 6266,
``filename*=utf-8''…``) through Django's :func:`~django.utils.http.content_disposition_header`.
"""

import csv
import io
from collections.abc import Iterable

from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what Excel or LibreOffice may run as a formula


def attachment(data: bytes, *, filename: str, content_type: str) -> HttpResponse:
    """An HTTP response that downloads ``data`` as ``filename`` (any Unicode name)."""
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["Cache-Control"] = "no-store"
    return response


def file_attachment(handle, *, filename: str, content_type: str) -> FileResponse:
    """A streamed HTTP response that downloads the open binary file ``handle`` (a stored
    export) as ``filename`` (any Unicode name); the response closes the file."""
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["Cache-Control"] = "no-store"
    return response


def set_text(cell, value: str) -> None:
    """Write ``value`` into an openpyxl cell as text, even when it starts with "=" (openpyxl
    would otherwise store it as a formula)."""
    cell.value = value
    cell.data_type = "s"


def csv_bytes(header: Iterable, rows: Iterable[Iterable]) -> bytes:
    """A CSV file in UTF-8 with a byte-order mark (so Excel reads Vietnamese letters),
    comma-separated, numbers as written by ``str`` (decimal point), dates ISO.

    A text value that starts with =, +, -, @ is prefixed with an apostrophe so that a
    spreadsheet program shows it as text instead of running it (OWASP CSV injection);
    numbers are left as they are."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_csv_cell(value) for value in header])
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
    return "\ufeff".encode() + buffer.getvalue().encode()


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
