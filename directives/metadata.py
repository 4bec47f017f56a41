"""The header and closing of a directive's text: kind, summary (trích yếu), issuing body,
signer and recipients (nơi nhận). Pure Python, no database; the tasks are
:mod:`directives.parsing`'s job.

Shape of notice 58/TB-UBND of 06/07/2020, the usual Vietnamese administrative layout
(Nghị định 30/2020/NĐ-CP on document formats):

* "Số: 58 /TB-UBND" (the symbol's last part names the issuing body, UBND);
* "Thái Nguyên, ngày 06 tháng 7 năm 2020" (the place);
* the kind in capitals on its own line ("THÔNG BÁO", "CHỈ THỊ", "QUYẾT ĐỊNH", "KẾ
  HOẠCH"), then the summary up to the first blank line; a công văn has no kind line but
  a "V/v ..." summary;
* "Nơi nhận:" with "- " lines (the recipients), then the signature block whose last
  line is the signer's name.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass

from core.text import clean, fold, nfc
from directives.parsing import AgencyRef, agencies_named

_KINDS = {
    "thong bao": "conclusion_notice",
    "thong bao ket luan": "conclusion_notice",
    "chi thi": "directive",
    "quyet dinh": "decision",
    "ke hoach": "plan",
    "cong van": "official_letter",
}
_SUBJECT = re.compile(r"^v ?[/ ]? ?v\b")  # "V/v", folded to "v v"
_PLACE = re.compile(r"^(?P<place>[^,\d]{2,60}), ngay \d{1,2}(?: thang \d{1,2} nam \d{4}| \d{1,2} \d{4})")
# fold() turns "12/CV-VPĐP" into "12 cv vpdp" (a "/" between two words becomes a space),
# and "15/2023/QĐ-UBND" into "15 2023 qd ubnd".
_SYMBOL = re.compile(r"^so ?:? ?\d+ ?/? ?(?:\d{4} ?/? ?)?(?P<symbol>[a-z][\w. /-]*)")
_RECIPIENTS = re.compile(r"^noi nhan\b")
_SIGNATURE_WORDS = re.compile(r"^(?:tl|kt|tm|tuq)\.|^(?:chu tich|pho chu tich|chanh van phong|pho chanh)")
# Issuing bodies by a part of the symbol (…/TB-UBND -> UBND, …/VPĐP-KH -> VPĐP).
_ISSUERS = {
    "ubnd": "Ủy ban nhân dân tỉnh {place}",
    "vpdp": "Văn phòng Điều phối nông thôn mới tỉnh {place}",
    "bcd": "Ban Chỉ đạo các Chương trình mục tiêu quốc gia tỉnh {place}",
    "snn": "Sở Nông nghiệp và Phát triển nông thôn tỉnh {place}",
}


@dataclass(frozen=True)
class DocumentMeta:
    """What the header and closing say: ``kind`` (a ``DirectiveKind`` value or None),
    ``title`` (the summary, cleaned, "" if none), ``issuer`` ("" if unknown), ``signer``
    ("" if none), ``recipient_ids`` (agencies named under "Nơi nhận", sorted)."""

    kind: str | None
    title: str
    issuer: str
    signer: str
    recipient_ids: tuple[int, ...]


def _plain_lines(text: str) -> list[str]:
    """Cleaned lines, each column of a two-column header ("ỦY BAN NHÂN DÂN    CỘNG HÒA
    XÃ HỘI…", or cells separated by "|") on a line of its own, left column first."""
    lines = []
    for raw in nfc(text).replace("**", "").replace("*", "").splitlines():
        for cell in re.split(r"\s*\|\s*|\s{3,}", raw.strip()):
            lines.append(clean(cell))
        if not raw.strip():
            lines.append("")
    return lines


def _left_column(text: str) -> list[str]:
    """The left column of the header block (the issuing body, over the number): the
    first cell of each of the first lines, up to the "Số" line, rules left out."""
    cells = []
    for raw in nfc(text).replace("**", "").splitlines()[:12]:
        first = clean(re.split(r"\s*\|\s*|\s{3,}", raw.strip())[0]) if raw.strip() else ""
        folded = fold(first)
        if not first or set(first) <= set("-_=– "):
            continue
        if _SYMBOL.match(folded) or folded.startswith(("cong hoa", "doc lap")):
            if _SYMBOL.match(folded):
                break
            continue
        if _PLACE.match(folded) or folded in _KINDS:
            break
        cells.append(first)
    return cells


# The bodies a header names, as the portal writes them.
_BODY_NAMES = (
    (re.compile(r"^(?:uy ban nhan dan|ubnd)\b"), "Ủy ban nhân dân"),
    (re.compile(r"^(?:van phong dieu phoi|vpdp)\b"), "Văn phòng Điều phối nông thôn mới"),
    (re.compile(r"^ban chi dao\b"), "Ban Chỉ đạo các Chương trình mục tiêu quốc gia"),
    (re.compile(r"^van phong\b"), "Văn phòng"),
    (
        re.compile(r"^so nong nghiep va (?:phat trien nong thon|ptnt)\b"),
        "Sở Nông nghiệp và Phát triển nông thôn",
    ),
    (re.compile(r"^so nong nghiep va moi truong\b"), "Sở Nông nghiệp và Môi trường"),
)
_PROVINCE = re.compile(r"\b(tinh|thanh pho) (?P<name>[a-z][a-z ]*)$")


def _province_name(line: str) -> str:
    """ "TỈNH BÌNH DƯƠNG" -> "Bình Dương" (each word capitalised)."""
    folded = fold(line)
    match = _PROVINCE.search(folded)
    if not match:
        return ""
    words = line.split()[-len(match["name"].split()) :]
    return " ".join(word[:1].upper() + word[1:].lower() for word in words)


def _issuer_from_header(text: str) -> str:
    """The issuing body from the header block: "ỦY BAN NHÂN DÂN / TỈNH BÌNH DƯƠNG" ->
    "Ủy ban nhân dân tỉnh Bình Dương"; "UBND TỈNH TUYÊN QUANG / VĂN PHÒNG" -> "Văn phòng
    Ủy ban nhân dân tỉnh Tuyên Quang"; "UBND TỈNH KHÁNH HÒA / SỞ NÔNG NGHIỆP VÀ PHÁT
    TRIỂN NÔNG THÔN" -> "Sở Nông nghiệp và Phát triển nông thôn tỉnh Khánh Hòa"; "" if
    none."""
    cells = _left_column(text)
    province = next((_province_name(cell) for cell in cells if _province_name(cell)), "")
    bodies = []
    for cell in cells:
        folded = fold(cell)
        name = next((name for pattern, name in _BODY_NAMES if pattern.match(folded)), None)
        if name:
            bodies.append(name)
    if not bodies or not province:
        return ""
    if len(bodies) == 1:
        return f"{bodies[0]} tỉnh {province}"
    parent, unit = bodies[0], bodies[-1]
    if unit == "Văn phòng":  # the office of the People's Committee
        return f"Văn phòng {parent} tỉnh {province}"
    return f"{unit} tỉnh {province}"


def parse_metadata(text: str, agencies: Sequence[AgencyRef]) -> DocumentMeta:
    """Read the kind, summary, issuer, signer and recipients of a directive's text.

    Never raises on odd text: what is not found is empty (``kind`` None). Raises
    :class:`TypeError` if ``text`` is not a ``str``.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_metadata() needs the text as a str, not {type(text).__name__}")
    lines = _plain_lines(text)
    kind, title, place, symbol = None, "", "", ""
    for index, line in enumerate(lines):
        folded = fold(line)
        if not symbol and (match := _SYMBOL.match(folded)):
            symbol = match["symbol"]
        if not place and (match := _PLACE.match(folded)):
            place = line[: len(match["place"])].strip()
        if kind is None and folded in _KINDS and line.upper() == line:
            kind = _KINDS[folded]
            title = _paragraph(lines, index + 1)
        elif kind is None and not title and _SUBJECT.match(folded):
            kind, title = "official_letter", _paragraph(lines, index)
        elif kind is None and _KINH_GUI.match(folded):
            kind = "official_letter"  # a công văn without "V/v": "Kính gửi" tells
        if kind is not None and title and symbol and place:
            break
    # fold() turned "TB-UBND" into "tb ubnd". The issuing body is the first known word:
    # "58/TB-UBND" (kind, then body), "215/VPĐP-KH" (a công văn: body, then drafting unit).
    words = symbol.replace("/", " ").replace("-", " ").split()
    template = next((_ISSUERS[word] for word in words if word in _ISSUERS), None)
    issuer = _issuer_from_header(text) or (template.format(place=place).strip() if template and place else "")
    recipients, signer = _closing(lines, agencies)
    return DocumentMeta(kind, title, issuer, signer, recipients)


def _paragraph(lines: list[str], start: int) -> str:
    """The lines from ``start`` (blank lines before it skipped) up to the next blank line."""
    while start < len(lines) and not lines[start]:
        start += 1
    words = []
    for line in lines[start:]:
        if not line:
            break
        words.append(line)
    return " ".join(words)


_AS_ABOVE = re.compile(r"^nhu tren\b")
_AS_ARTICLE = re.compile(r"^nhu dieu (\d{1,3})\b")
_KINH_GUI = re.compile(r"^kinh gui\b")


def _as_above(line: str, body: list[str]) -> str:
    """A recipient line with "Như trên" (the "Kính gửi" list) or "Như Điều 3" (the
    article that says who carries the decision out) replaced by what it points at."""
    folded = fold(line)
    if _AS_ABOVE.match(folded):
        start = next((i for i, text in enumerate(body) if _KINH_GUI.match(fold(text))), None)
        if start is None:
            return line
        block = [body[start].partition(":")[2]]
        for text in body[start + 1 :]:
            if not text.startswith(("-", "+", "•")):
                break
            block.append(text)
        return "; ".join(block)
    if match := _AS_ARTICLE.match(folded):
        article = re.compile(rf"^dieu {match[1]}\b")
        return next((text for text in body if article.match(fold(text))), line)
    return line


def _closing(lines: list[str], agencies: Sequence[AgencyRef]) -> tuple[tuple[int, ...], str]:
    """Recipients under "Nơi nhận:" and the signer (the last line of the signature)."""
    start = next((i for i, line in enumerate(lines) if _RECIPIENTS.match(fold(line))), None)
    if start is None:
        return (), ""
    ids: set[int] = set()
    last = start
    for index in range(start + 1, len(lines)):
        line = lines[index]
        if line.startswith(("-", "+", "•")):
            named = line.lstrip("-+• ")
            ids.update(agencies_named(_as_above(named, lines[:start]), agencies))
            last = index
        elif line and index > last + 1:
            break
    tail = [line for line in lines[last + 1 :] if line]
    signer = ""
    if tail:
        candidate = tail[-1]
        folded = fold(candidate)
        if (
            len(candidate) <= 60
            and not any(ch.isdigit() for ch in candidate)
            and not _SIGNATURE_WORDS.match(folded)
        ):
            signer = candidate
    return tuple(sorted(ids)), signer
