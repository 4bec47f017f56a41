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
_PLACE = re.compile(r"^(?P<place>[^,\d]{2,60}), ngay \d{1,2} thang \d{1,2} nam \d{4}")
# fold() turns "12/CV-VPĐP" into "12 cv vpdp" (a "/" between two words becomes a space).
_SYMBOL = re.compile(r"^so ?:? ?\d+ ?/? ?(?P<symbol>[a-z][\w. /-]*)")
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
    return [clean(line.replace("**", "").replace("*", "")) for line in nfc(text).splitlines()]


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
        if kind is not None and title and symbol and place:
            break
    # fold() turned "TB-UBND" into "tb ubnd". The issuing body is the first known word:
    # "58/TB-UBND" (kind, then body), "215/VPĐP-KH" (a công văn: body, then drafting unit).
    words = symbol.replace("/", " ").replace("-", " ").split()
    template = next((_ISSUERS[word] for word in words if word in _ISSUERS), None)
    issuer = template.format(place=place).strip() if template and place else ""
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
            ids.update(agencies_named(line.lstrip("-+• "), agencies))
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
