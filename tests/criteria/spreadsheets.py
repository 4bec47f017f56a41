"""Workbooks for the spreadsheet tests, built in code: with openpyxl (as a program writes
them: formulas without saved results) and re-saved by LibreOffice (as a person's office
suite writes them: every formula's result saved, its own XML dialect). No database."""

import datetime
import os
import shutil
import signal
import subprocess
import unicodedata
import uuid
import zipfile
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

import openpyxl

SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's, where python3-uno lives (LibreOffice recommends it)
SOFFICE_MISSING = "LibreOffice is not installed (apt-get install libreoffice-calc-nogui)"
UNO_MISSING = (
    "LibreOffice's Python bridge is not installed (apt-get install libreoffice-calc-nogui python3-uno)"
)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def xlsx(workbook: openpyxl.Workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# Sheet "Giá trị": one cell per spelling, found by its code in column A. Value, number format.
CELLS = {
    "real number": (17.23, None),
    "whole number": (1234, None),
    "text decimal comma": ("17,23", None),
    "text with spaces": (" 17,23 ", None),
    "text thousands dots": ("1.234,5", None),
    "text nbsp thousands": ("1\u00a0234,5", None),
    "text zero-width": ("\u200b17,23", None),
    "blank text": ("   ", None),
    "not a number": ("17,2,3", None),
    "boolean": (True, None),
    "percent number": (85, None),
    "percent text": ("85%", None),
    "percent text spaced": (" 85,5 % ", None),
    "percent formatted": (0.85, "0%"),
    "percent formatted decimals": (0.8523, "0.00%"),
    "percent formatted whole": (1, "0%"),
    "percent small plain": (0.85, None),
    "percent over 100": (150, None),
    "percent formatted 85": (85, "0%"),
    "percent words": ("tám lăm", None),
    "dat": ("Đạt", None),
    "dat upper": ("ĐẠT", None),
    "khong dat": ("Không đạt", None),
    "khong dat nfd spaces": (nfd("  Không  đạt "), None),
    "khong dat capital": ("Không Đạt", None),
    "khong dat plain": ("khong dat", None),
    "chua dat": ("Chưa đạt", None),
    "ko dat": ("Ko đạt", None),
    "k.dat": ("K.Đạt", None),
    "achieved one": (1, None),
    "achieved zero": (0, None),
    "achieved two": (2, None),
    "achieved one text": ("1", None),
    "achieved zero text": (" 0 ", None),
    "co": ("Có", None),
    "long text": ("x" * 5000, None),
    "date cell": (datetime.date(2020, 7, 5), "DD/MM/YYYY"),
    "datetime cell": (datetime.datetime(2020, 7, 6, 0, 0), "DD/MM/YYYY HH:MM"),
    "date text": ("05/07/2020", None),
    "date text short": ("5/7/2020", None),
    "date text dashes": ("05-07-2020", None),
    "date text dots": ("05.07.2020", None),
    "date text iso": ("2020-07-05", None),
    "date text spaced": (" 31/12/2020 ", None),
    "date impossible": ("31/02/2020", None),
    "date month 13": ("05/13/2020", None),
    "date two-digit year": ("05/07/20", None),
    "date mixed separators": ("05/07-2020", None),
    "date serial number": (44017, None),
    "text nfd": (nfd("  Xã\u00a0 Tân  Cương "), None),
    "text code number": (2.1, None),
}

# Sheet "Số liệu": a criteria report with two header rows and merged header cells.
REPORT_HEADERS = [
    ("A1:A2", "STT"),
    ("B1:B2", "Xã"),
    ("C1:D1", nfd("Tiêu chí 2.  Giao thông")),
    ("E1:F1", "Tiêu chí 17. Môi trường"),
    ("G1:G2", "Ngày thẩm định"),
]
REPORT_CODES = {"C2": "2.1", "D2": "2.2", "E2": "17.1", "F2": 17.2}
REPORT_ROWS = {
    3: [1, "Xã Tân Cương", "Đạt", 0.85, "Không đạt", "95,5", datetime.date(2020, 7, 5)],
    4: [2, "Xã Phúc Xuân", "Không đạt", 0.9, "Đạt", 100, "06/07/2020"],
    # row 5 is left empty
    6: [3, "Xã Phúc Trìu", None, 0.7, "Đạt", "1.234,5", None],
}


def cases_workbook() -> bytes:
    """Sheet "Số liệu" (the report) then sheet "Giá trị" (one cell per spelling)."""
    workbook = openpyxl.Workbook()
    report = workbook.active
    report.title = "Số liệu"
    for span, text in REPORT_HEADERS:
        report[span.split(":")[0]] = text
        report.merge_cells(span)
    for coordinate, code in REPORT_CODES.items():
        report[coordinate] = code
    for row, values in REPORT_ROWS.items():
        for column, value in enumerate(values, start=1):
            report.cell(row, column, value)
        report.cell(row, 4).number_format = "0%"
        report.cell(row, 7).number_format = "DD/MM/YYYY"
    cases = workbook.create_sheet("Giá trị")
    cases.append(["Mã", "Giá trị"])
    for code, (value, number_format) in CELLS.items():
        cases.append([code, value])
        if number_format:
            cases.cell(cases.max_row, 2).number_format = number_format
    return xlsx(workbook)


def formula_workbook() -> bytes:
    """Numbers in E3:E6 and their total in E7 as a formula, plus a formula giving "" in F7:
    openpyxl saves neither result; LibreOffice computes and saves both."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Số liệu"
    sheet.append(["Xã", "Tổng"])
    sheet.append(["", ""])
    for number, commune in enumerate(["Tân Cương", "Phúc Xuân", "Phúc Trìu", "Quyết Thắng"], start=1):
        sheet.append([commune, None, None, None, number * 10])
    sheet["A7"] = "Cộng"
    sheet["E7"] = "=SUM(E3:E6)"
    sheet["F7"] = '=""'
    return xlsx(workbook)


# --- Editing the parts of a workbook --------------------------------------------------


def rewrite_part(data: bytes, part: str, change: Callable[[str], str]) -> bytes:
    """The same zip with ``part`` (an XML member) passed through ``change``."""
    buffer = BytesIO()
    with (
        zipfile.ZipFile(BytesIO(data)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for member in source.infolist():
            content = source.read(member)
            if member.filename == part:
                content = change(content.decode("utf-8")).encode("utf-8")
            target.writestr(member, content, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def with_dimension(ref: str | None) -> Callable[[str], str]:
    """A change that sets the sheet's ``<dimension ref=…>``, or removes it (None)."""

    def change(xml: str) -> str:
        start = xml.index("<dimension ")
        end = xml.index("/>", start) + 2
        return xml[:start] + (f'<dimension ref="{ref}"/>' if ref else "") + xml[end:]

    return change


def with_entity(xml: str) -> str:
    """Declare an XML entity (the start of a billion-laughs attack) before the root element."""
    doctype = '<!DOCTYPE root [<!ENTITY lol "lol">]>'
    if xml.startswith("<?xml"):
        end = xml.index("?>") + 2
        return xml[:end] + doctype + xml[end:]
    return doctype + xml


def zip_of(members: dict[str, bytes | int]) -> bytes:
    """A zip whose members are bytes, or that many zero bytes written in 1 MB steps (the
    zip stays small: zeros compress about 1000:1)."""
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            if isinstance(content, bytes):
                archive.writestr(name, content)
                continue
            chunk = bytes(1024 * 1024)
            with archive.open(name, "w") as member:
                for start in range(0, content, len(chunk)):
                    member.write(chunk[: content - start])
    return buffer.getvalue()


def minimal_xlsx_parts() -> dict[str, bytes]:
    """The parts of a tiny openpyxl workbook, to add a bomb to or to corrupt one of."""
    with zipfile.ZipFile(BytesIO(xlsx(openpyxl.Workbook()))) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


# --- LibreOffice -------------------------------------------------------------------------


def soffice_available() -> bool:
    return shutil.which("soffice") is not None


def uno_available() -> bool:
    if not (soffice_available() and os.path.exists(SYSTEM_PYTHON)):
        return False
    return subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True).returncode == 0


def _run(command: list[str], *, timeout: int = 120) -> None:
    """Run LibreOffice in its own process group, so a hung soffice.bin (a grandchild of
    the soffice script) can be stopped with it."""
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise
    if process.returncode:
        raise RuntimeError(f"{command[0]} failed ({process.returncode}): {out.decode()} {err.decode()}")


def _workdir(root: Path) -> Path:
    work = root / f"lo-{uuid.uuid4().hex}"
    (work / "out").mkdir(parents=True)
    return work


def libreoffice_convert(data: bytes, *, suffix: str, convert_to: str, root: Path) -> bytes:
    """``data`` (a file ending in ``suffix``) opened and saved by LibreOffice as
    ``convert_to`` ("xlsx", "xls", "ods"), with a fresh profile so parallel runs never clash."""
    work = _workdir(root)
    source = work / f"source{suffix}"
    source.write_bytes(data)
    _run(
        [
            "soffice",
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            convert_to,
            "--outdir",
            str(work / "out"),
            str(source),
        ]  # fmt: skip
    )
    [result] = (work / "out").iterdir()
    return result.read_bytes()


# Runs under Debian's python3 with python3-uno: starts LibreOffice, opens the workbook and
# saves it as .xlsx with an opening password (an OLE2 container: EncryptionInfo and
# EncryptedPackage streams, "Standard" AES-128 encryption as Excel 2007 writes it).
_ENCRYPT = r"""
import os, signal, subprocess, sys, time, uno
from com.sun.star.beans import NamedValue, PropertyValue

source, target, profile, password = sys.argv[1:5]
def value(kind, name, content):
    item = kind(); item.Name = name; item.Value = content; return item
pipe = f"ntm{os.getpid()}"
office = subprocess.Popen(["soffice", f"-env:UserInstallation={profile}", "--headless", "--invisible",
    "--norestore", f"--accept=pipe,name={pipe};urp;"], stdout=subprocess.DEVNULL,
    stderr=subprocess.DEVNULL, start_new_session=True)
desktop = None
try:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for attempt in range(900):
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except Exception:
            time.sleep(0.1)
    desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
    document = desktop.loadComponentFromURL(uno.systemPathToFileUrl(source), "_blank", 0,
        (value(PropertyValue, "Hidden", True), value(PropertyValue, "ReadOnly", True)))
    encryption = uno.Any("[]com.sun.star.beans.NamedValue", (
        value(NamedValue, "CryptoType", "Standard"), value(NamedValue, "OOXPassword", password)))
    arguments = (value(PropertyValue, "FilterName", "Calc MS Excel 2007 XML"),
                 value(PropertyValue, "EncryptionData", encryption))
    uno.invoke(document, "storeToURL", (uno.systemPathToFileUrl(target),
        uno.Any("[]com.sun.star.beans.PropertyValue", arguments)))
    document.close(True)
finally:
    try:
        desktop.terminate()
    except Exception:
        pass
    try:
        office.wait(30)
    except subprocess.TimeoutExpired:
        os.killpg(office.pid, signal.SIGKILL)
"""


def libreoffice_encrypt(data: bytes, *, password: str, root: Path) -> bytes:
    """``data`` (an .xlsx) saved by LibreOffice with an opening password."""
    work = _workdir(root)
    source, target = work / "source.xlsx", work / "out" / "protected.xlsx"
    source.write_bytes(data)
    _run([SYSTEM_PYTHON, "-c", _ENCRYPT, str(source), str(target), (work / "profile").as_uri(), password])
    return target.read_bytes()
