"""Turn the text of a provincial directive into a proposal of sections, tasks, deadlines
and assignee agencies, for a coordinator to correct. Pure Python: no Django, no database.

The rules follow notice 58/TB-UBND of 06/07/2020 (Thái Nguyên), the usual shape of a
"thông báo kết luận", "chỉ thị" or "công văn":

* a preamble (number "Số: 58 /TB-UBND", place and date "Thái Nguyên, ngày 06 tháng 7 năm
  2020", title, findings) that holds no tasks;
* numbered sections "1. ", "2. "... whose heading names the assignees ("Các Sở, ngành của
  tỉnh", "Văn phòng Điều phối nông thôn mới tỉnh:", "UBND, BCĐ ... các huyện, thành phố,
  thị xã"), each with "- " bullets (tasks) and "+ " sub-bullets (tasks too);
* a closing ("Trên đây là kết luận ...", "Nơi nhận:" and the signature) that holds no tasks.

Every keyword is matched on the :func:`~ntm_portal.text.fold` of the text (no accents, no
case, ``đ`` -> ``d``), so "BCD" matches "BCĐ" and NFC and NFD spellings parse alike.
"""

import calendar
import dataclasses
import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ntm_portal.text import clean, fold, nfc


@dataclass(frozen=True)
class AgencyRef:
    """An agency the parser may assign; callers build these from ``Agency`` rows.
    ``kind`` is one of department, coordination_office, district_committee,
    steering_committee, leadership, external_system, other."""

    id: int
    name: str
    short_name: str
    kind: str


@dataclass(frozen=True)
class ParsedTask:
    """One proposed task. ``text`` is the bullet, cleaned, without its "- "/"+ " marker.
    ``deadline_phrase`` holds the words ``deadline`` came from ("trước ngày 17/7/2020");
    ``recurrence`` is "monthly" or "quarterly" for a recurring task (then no deadline).
    ``agency_ids`` are the section's agencies. ``parent_index`` is, for a "+" sub-bullet,
    the index in :attr:`ParsedDirective.tasks` of the "-" bullet above it."""

    section_number: str | None
    text: str
    deadline: datetime.date | None
    deadline_phrase: str | None
    recurrence: str | None
    agency_ids: tuple[int, ...]
    parent_index: int | None


@dataclass(frozen=True)
class ParsedSection:
    """A numbered section: its number ("1"), heading (cleaned, without the number) and the
    ids of the agencies its heading names."""

    number: str | None
    heading: str
    agency_ids: tuple[int, ...]


@dataclass(frozen=True)
class ParsedDirective:
    """The whole proposal: document number ("58/TB-UBND"), date of issue, sections and
    tasks in reading order."""

    number: str | None
    issued_on: datetime.date | None
    sections: tuple[ParsedSection, ...]
    tasks: tuple[ParsedTask, ...]


# --- Lines and structure ------------------------------------------------------------

_ITALIC = re.compile(r"\*(\S(?:[^*]*\S)?)\*")
_SECTION = re.compile(r"^(\d{1,2})\.(?!\d)\s*(.*)$")
_BULLET = re.compile(r"^([-+–•])\s*([\w(\"“'].*)$")
_CLOSING = re.compile(r"^(?:tren day la\b|noi nhan\b)")
_NUMBER = re.compile(r"^so ?:? ?(\d+) ?/ ?([a-z0-9]+(?:[-/.][a-z0-9]+)*)")
_ISSUED = re.compile(r"\bngay (\d{1,2}) thang (\d{1,2}) nam (\d{4})\b")


@dataclass
class _Item:
    """A logical line: a section heading, a "-" or "+" bullet, or other text, with the
    lines that directly continue it (no blank line in between) joined to it."""

    kind: str  # "section", "-", "+" or "text"
    text: str
    line: int  # index of its first line
    number: str | None = None


def _lines(text: str) -> list[str]:
    """Cleaned lines, markdown emphasis removed, up to the closing part."""
    lines = []
    for raw in nfc(text).replace("**", "").splitlines():
        line = clean(_ITALIC.sub(r"\1", raw))
        if _CLOSING.match(fold(line)):
            break
        lines.append(line)
    return lines


def _items(lines: list[str]) -> list[_Item]:
    """Group lines into logical lines. A numbered line opens a section only if its number
    follows the previous section's (1, 2, 3...), so a stray "1." inside a section is text."""
    items: list[_Item] = []
    expected, open_item = 1, False
    for index, line in enumerate(lines):
        if not line:
            open_item = False
            continue
        heading, bullet = _SECTION.match(line), _BULLET.match(line)
        if heading and int(heading[1]) == expected:
            items.append(_Item("section", heading[2], index, str(expected)))
            expected += 1
        elif bullet:
            items.append(_Item("+" if bullet[1] == "+" else "-", bullet[2], index))
        elif open_item:
            items[-1].text = f"{items[-1].text} {line}".strip()
        else:
            items.append(_Item("text", line, index))
        open_item = True
    return items


def _groups(items: list[_Item]) -> list[tuple[_Item | None, list[_Item]]]:
    """``(section, its items)`` pairs, the preamble dropped; one ``(None, items)`` pair
    when the text has no numbered section."""
    groups: list[tuple[_Item | None, list[_Item]]] = []
    for item in items:
        if item.kind == "section":
            groups.append((item, []))
        elif groups:
            groups[-1][1].append(item)
    return groups or [(None, items)]


def _folded_with_map(line: str) -> tuple[str, list[int]]:
    """``fold(line)`` and, for each folded offset, the offset in ``line`` it came from
    (plus one past the end), so a match on the folded text gives back the original words."""
    chars, positions = [], []
    for index, char in enumerate(line):
        folded = " " if char == " " else fold(char)
        chars.append(folded)
        positions.extend([index] * len(folded))
    positions.append(len(line))
    return "".join(chars), positions


def _header(lines: list[str]) -> tuple[str | None, datetime.date | None]:
    """The document number and the date of issue, taken from the first lines that carry them."""
    number, issued_on = None, None
    for line in lines:
        folded, positions = _folded_with_map(line)
        if number is None and (match := _NUMBER.match(folded)):
            number = f"{match[1]}/{line[positions[match.start(2)] : positions[match.end(2)]]}"
        if issued_on is None and (match := _ISSUED.search(folded)):
            issued_on = _date(int(match[3]), int(match[2]), int(match[1]))
    return number, issued_on


# --- Deadlines ----------------------------------------------------------------------

_DAY_DEADLINE = re.compile(
    r"\b(?:(?:xong|hoan thanh) )?(?:truoc|cham nhat|han chot|thoi han|han)(?: (?:la|vao))?:?(?: ngay)? ?"
    r"(?:(?P<d>\d{1,2}) ?[/.-] ?(?P<m>\d{1,2})(?: ?[/.-] ?(?P<y>\d{4}))?(?![\d/])"
    r"|(?P<ld>\d{1,2}) thang (?P<lm>\d{1,2})(?: nam (?P<ly>\d{4}))?\b)"
)
_MONTH_DEADLINE = re.compile(r"\btrong thang (\d{1,2})(?: ?/ ?| nam )(\d{4})\b")
_QUARTER_DEADLINE = re.compile(r"\b(?:trong )?quy (iv|i{1,3}|[1-4])(?: ?/ ?| nam )(\d{4})\b")
_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_RECURRENCES = (("monthly", re.compile(r"\bhang thang\b")), ("quarterly", re.compile(r"\bhang quy\b")))


def _date(year: int | None, month: int, day: int | None) -> datetime.date | None:
    """The date, or the month's last day when ``day`` is None; None if impossible."""
    if year is None or not 1 <= month <= 12:
        return None
    last_day = calendar.monthrange(year, month)[1] if 1 <= year <= 9999 else 0
    day = last_day if day is None else day
    return datetime.date(year, month, day) if 1 <= day <= last_day else None


def _deadline(text: str, default_year: int | None) -> tuple[datetime.date | None, str | None, str | None]:
    """``(deadline, deadline_phrase, recurrence)`` of a task text.

    Only a date after a deadline keyword counts ("trước", "chậm nhất", "hạn"...), so the
    reference dates of cited documents are ignored. An explicit day wins over "trong tháng
    m/yyyy" (last day of the month), which wins over "quý III/2020" (last day of the
    quarter); within a kind the first valid one wins. A day without a year takes
    ``default_year``. "hằng tháng"/"hằng quý" make a recurring task without deadline.
    """
    folded, positions = _folded_with_map(text)
    for recurrence, pattern in _RECURRENCES:
        if pattern.search(folded):
            return None, None, recurrence
    candidates = []
    for match in _DAY_DEADLINE.finditer(folded):
        day, month, year = match.group("d", "m", "y") if match["d"] else match.group("ld", "lm", "ly")
        candidates.append((match, _date(int(year) if year else default_year, int(month), int(day))))
    for match in _MONTH_DEADLINE.finditer(folded):
        candidates.append((match, _date(int(match[2]), int(match[1]), None)))
    for match in _QUARTER_DEADLINE.finditer(folded):
        quarter = _QUARTERS.get(match[1]) or int(match[1])
        candidates.append((match, _date(int(match[2]), 3 * quarter, None)))
    for match, deadline in candidates:
        if deadline is not None:
            return deadline, text[positions[match.start()] : positions[match.end()]], None
    return None, None, None


# --- Agencies -----------------------------------------------------------------------

_ABBREVIATIONS = {
    "ubnd": "uy ban nhan dan",
    "bcd": "ban chi dao",
    "vpdp": "van phong dieu phoi",
    "ntm": "nong thon moi",
    "ptnt": "phat trien nong thon",
}
_ABBREVIATION = re.compile(r"\b(?:" + "|".join(_ABBREVIATIONS) + r")\b")
_ALL_DEPARTMENTS = re.compile(r"\bcac so,? (?:ban,? )?nganh\b")
_PROVINCIAL_OFFICE = re.compile(r"\bvan phong dieu phoi\b[^,;:]*\btinh\b")
_DISTRICT_SCOPE = re.compile(r"\b(?:cac|cap) (?:huyen|thanh pho|thi xa)\b")
# A body not followed by "tỉnh" in its clause, i.e. the district-level one.
_DISTRICT_BODY = re.compile(r"\b(uy ban nhan dan|ban chi dao|van phong dieu phoi)\b(?![^,;:]*\btinh\b)")
_DISTRICT_LEVEL = re.compile(r"\b(?:huyen|thanh pho|thi xa)\b")
_BODY_KINDS = {
    "uy ban nhan dan": "district_committee",
    "ban chi dao": "steering_committee",
    "van phong dieu phoi": "coordination_office",
}


def _key(value: str) -> str:
    """Folded text with the usual abbreviations spelt out ("UBND" -> "uy ban nhan dan")."""
    return _ABBREVIATION.sub(lambda match: _ABBREVIATIONS[match[0]], fold(value))


def _match_agencies(heading: str, agencies: Sequence[AgencyRef]) -> tuple[int, ...]:
    """Ids of the agencies a section heading names (see :func:`parse_directive`), sorted."""
    text = _key(heading)
    ids = set()
    if _ALL_DEPARTMENTS.search(text):
        ids |= {agency.id for agency in agencies if agency.kind == "department"}
    if _PROVINCIAL_OFFICE.search(text):
        ids |= {a.id for a in agencies if a.kind == "coordination_office" and _key(a.name).endswith(" tinh")}
    if _DISTRICT_SCOPE.search(text):
        kinds = {_BODY_KINDS[match[1]] for match in _DISTRICT_BODY.finditer(text)}
        ids |= {
            agency.id
            for agency in agencies
            if agency.kind in kinds
            and (agency.kind == "district_committee" or _DISTRICT_LEVEL.search(_key(agency.name)))
        }
    names = sorted(
        ((_key(name), a.id) for a in agencies for name in (a.name, a.short_name) if name.strip()),
        key=lambda pair: -len(pair[0]),
    )
    for name, agency_id in names:
        pattern = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")
        if pattern.search(text):
            ids.add(agency_id)
            text = pattern.sub(lambda match: "#" * len(match[0]), text)  # longest match first
    return tuple(sorted(ids))


def agencies_named(text: str, agencies: Sequence[AgencyRef]) -> tuple[int, ...]:
    """Ids of the agencies a line names, by the same rules as a section heading (see
    :func:`parse_directive`): used for the recipients (nơi nhận) of a directive."""
    return _match_agencies(text, agencies)


# --- Entry points -------------------------------------------------------------------


def parse_directive(text: str, agencies: Sequence[AgencyRef]) -> ParsedDirective:
    """Propose the sections and tasks of a directive's text (NFC or NFD, any line endings,
    non-breaking spaces and markdown ``**bold**``/``*italic*`` accepted).

    * ``number`` from "Số: 58 /TB-UBND" (spaces removed), ``issued_on`` from the first
      "ngày 06 tháng 7 năm 2020".
    * Sections are the lines "1. ", "2. "... numbered in sequence; text before the first
      one is preamble, and everything from "Trên đây là ..." or "Nơi nhận:" on is closing:
      neither yields tasks.
    * Every "- " bullet of a section is a task; a "+ " bullet is a task whose
      ``parent_index`` is the "-" bullet above it. A section without bullets yields one
      task from the text after its heading's colon (or its whole line if it has no colon);
      the heading then stops at the colon. Without numbered sections every bullet of the
      body is a task with ``section_number`` None; without bullets there are no tasks.
    * Deadlines: see :func:`_deadline`; dates are day-first and impossible ones ignored.
    * A section's agencies come from its heading, accent- and case-insensitively: "các Sở,
      ngành" -> every department; "Văn phòng Điều phối nông thôn mới tỉnh" -> the
      provincial coordination office; "UBND", "BCĐ", "Văn phòng Điều phối" followed by
      "các huyện, thành phố, thị xã"/"cấp huyện" -> the district committees, district
      steering committees, district coordination offices; otherwise any agency whose name
      or short name occurs (longest match first). Kinds named together give the union.
      A task's agencies are always its section's, even if the bullet names a lead agency.

    Never raises on odd text (an empty string gives an empty result); raises
    :class:`TypeError` if ``text`` is not a ``str``.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_directive() needs the text as a str, not {type(text).__name__}")
    lines = _lines(text)
    groups = _groups(_items(lines))
    doc_number, issued_on = _header(lines[: groups[0][0].line] if groups[0][0] else lines)
    year = issued_on.year if issued_on else None

    sections: list[ParsedSection] = []
    tasks: list[ParsedTask] = []
    for section, children in groups:
        bullets = [(child.kind, child.text) for child in children if child.kind in ("-", "+")]
        number = section.number if section else None
        heading = section.text if section else ""
        if section and not bullets:
            head, colon, rest = heading.partition(":")
            if colon and rest.strip():
                heading, bullets = f"{head}{colon}", [("-", rest.strip())]
            elif heading and not colon:
                bullets = [("-", heading)]
        agency_ids = _match_agencies(heading, agencies) if section else ()
        if section:
            sections.append(ParsedSection(number, heading, agency_ids))
        parent = None
        for kind, bullet in bullets:
            deadline, phrase, recurrence = _deadline(bullet, year)
            parent_index = parent if kind == "+" else None
            tasks.append(ParsedTask(number, bullet, deadline, phrase, recurrence, agency_ids, parent_index))
            if kind == "-":
                parent = len(tasks) - 1
    return ParsedDirective(doc_number, issued_on, tuple(sections), tuple(tasks))


def _jsonable(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    return value


def to_json(parsed: ParsedDirective) -> dict:
    """JSON-ready data for the API: ``{"number", "issued_on", "sections": [{"number",
    "heading", "agency_ids"}], "tasks": [{"section_number", "text", "deadline",
    "deadline_phrase", "recurrence", "agency_ids", "parent_index"}]}``, dates as ISO
    strings ("2020-07-17") and tuples as lists."""
    return _jsonable(dataclasses.asdict(parsed))
