"""Turn the text of a provincial directive into a proposal of sections, tasks, deadlines
and assignee agencies, for a coordinator to correct. Pure Python: no Django, no database.

The rules follow notice 58/TB-UBND of 06/07/2020 (Thái Nguyên), the usual shape of a
"thông báo kết luận", "chỉ thị" or "công văn":

* a preamble (number "Số: 58 /TB-UBND", place and date "Thái Nguyên, ngày 06 tháng 7 năm
  2020", title, findings) that holds no tasks;
* numbered sections "1. ", "2. "... (or "I.", "II."..., with "1.", "2." as their
  sub-sections) whose heading names the assignees ("Các Sở, ngành của
  tỉnh", "Văn phòng Điều phối nông thôn mới tỉnh:", "UBND, BCĐ ... các huyện, thành phố,
  thị xã"), each with "- " bullets (tasks) and "+ " sub-bullets (tasks too);
* a closing ("Trên đây là kết luận ...", "Nơi nhận:" and the signature) that holds no tasks.

Every keyword is matched on the :func:`~core.text.fold` of the text (no accents, no
case, ``đ`` -> ``d``), so "BCD" matches "BCĐ" and NFC and NFD spellings parse alike.
"""

import calendar
import dataclasses
import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass

from core.text import clean, fold, nfc


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
    ``agency_ids`` are all the agencies its section names, ``cooperating_agency_ids``
    those of them named after "phối hợp với" (the others are proposed as leads).
    ``parent_index`` is, for a "+" sub-bullet, the index in :attr:`ParsedDirective.tasks`
    of the "-" bullet above it. ``invalid_dates`` are the impossible dates written after
    a deadline keyword ("31/02/2027"), for the coordinator to check."""

    section_number: str | None
    text: str
    deadline: datetime.date | None
    deadline_phrase: str | None
    recurrence: str | None
    agency_ids: tuple[int, ...]
    parent_index: int | None
    cooperating_agency_ids: tuple[int, ...] = ()
    invalid_dates: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParsedSection:
    """A numbered section: its number ("1", "II", or "II.1" for a "1." under "II."),
    heading (cleaned, without the number), the ids of all the agencies its heading names
    and, among them, those named as cooperating ("... chủ trì, phối hợp với Sở Tài
    chính")."""

    number: str | None
    heading: str
    agency_ids: tuple[int, ...]
    cooperating_agency_ids: tuple[int, ...] = ()


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
# "I. ", "II - ", "III) " (capitals only, so a sentence starting "V/v" or "Về" is not one).
_ROMAN_SECTION = re.compile(r"^([IVX]{1,6})\s*(?:\.(?!\d)|\)|[-–](?=\s))\s*(.*)$")
# A marker then a space then anything ("- <b>", "+ {x}"), or a marker glued to a word ("-Rà").
_BULLET = re.compile(r"^([-+–•])(?:\s+(\S.*)|([\w(\"“'].*))$")
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


def _roman(number: int) -> str:
    """``number`` (1-39) in Roman numerals: 1 -> "I", 4 -> "IV"."""
    letters = ""
    for value, symbol in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while number >= value:
            letters, number = letters + symbol, number - value
    return letters


def _items(lines: list[str]) -> list[_Item]:
    """Group lines into logical lines. A numbered line opens a section only if its number
    follows the previous section's (1, 2, 3... or I, II, III...), so a stray "1." inside
    a section is text. Under a Roman section, "1.", "2."... are its sub-sections
    ("II.1", "II.2"), counted again from 1 in each Roman section."""
    items: list[_Item] = []
    expected, expected_roman, roman, open_item = 1, 1, None, False
    for index, line in enumerate(lines):
        if not line:
            open_item = False
            continue
        heading, bullet = _SECTION.match(line), _BULLET.match(line)
        roman_heading = _ROMAN_SECTION.match(line)
        if roman_heading and roman_heading[1] == _roman(expected_roman):
            roman = roman_heading[1]
            items.append(_Item("section", roman_heading[2], index, roman))
            expected_roman, expected = expected_roman + 1, 1
        elif heading and int(heading[1]) == expected:
            number = f"{roman}.{expected}" if roman else str(expected)
            items.append(_Item("section", heading[2], index, number))
            expected += 1
        elif bullet:
            items.append(_Item("+" if bullet[1] == "+" else "-", bullet[2] or bullet[3], index))
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

# A date: "17/7/2020", "17.07.2020", "17/7" (the year of issue), "25/12/26" (2026), or
# "17 tháng 7 năm 2020". The same separator twice when a year follows.
_DATE = (
    r"(?:(?P<d{n}>\d{{1,2}}) ?(?P<s{n}>[/.-]) ?(?P<m{n}>\d{{1,2}})"
    r"(?: ?(?P=s{n}) ?(?P<y{n}>\d{{4}}|\d{{2}}))?(?![\d/])"
    r"|(?P<ld{n}>\d{{1,2}}) thang (?P<lm{n}>\d{{1,2}})(?: nam (?P<ly{n}>\d{{4}}))?\b)"
)
_DAY_DEADLINE = re.compile(
    r"\b(?:(?:xong|hoan thanh) )?(?:truoc|cham nhat|han chot|thoi han|han|den het)(?: (?:la|vao))?:?"
    r"(?: ngay)? ?" + _DATE.format(n="")
)
# "từ ngày 01/12/2026 đến (hết) ngày 31/12/2026": the end date is the deadline.
_RANGE_DEADLINE = re.compile(
    r"\btu(?: ngay)? ?" + _DATE.format(n="0") + r" ?(?:den|toi|-)(?: het)?(?: ngay)? ?" + _DATE.format(n="")
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


def _year(written: str | None, default_year: int | None) -> int | None:
    """The year of a date: as written, ``default_year`` if none, "26" -> 2026 (a two-digit
    year is taken only if the result lies between the year before the year of issue and
    twenty years after it, or any 20yy when the year of issue is unknown)."""
    if not written:
        return default_year
    if len(written) == 4:
        return int(written)
    year = 2000 + int(written)
    if default_year is None or default_year - 1 <= year <= default_year + 20:
        return year
    return None


def _day_candidate(match: re.Match, default_year: int | None, text: str, positions: list[int]):
    """``(deadline or None, the impossible date as written or None)`` of a day match."""
    if match["d"]:
        day, month, written = match.group("d", "m", "y")
        start, end = match.start("d"), match.end("y") if written else match.end("m")
    else:
        day, month, written = match.group("ld", "lm", "ly")
        start, end = match.start("ld"), match.end("ly") if written else match.end("lm")
    year = _year(written, default_year)
    if written and year is None:  # an ambiguous two-digit year: not a deadline, not an error
        return None, None
    deadline = _date(year, int(month), int(day))
    # An impossible day or month (whatever the year), or a day the year lacks (29/2/2021).
    impossible = deadline is None and (
        year is not None or not 1 <= int(month) <= 12 or not 1 <= int(day) <= 31
    )
    return deadline, text[positions[start] : positions[end]] if impossible else None


def _deadline(
    text: str, default_year: int | None
) -> tuple[datetime.date | None, str | None, str | None, tuple[str, ...]]:
    """``(deadline, deadline_phrase, recurrence, invalid_dates)`` of a task text.

    Only a date after a deadline keyword counts ("trước", "chậm nhất", "hạn", "đến hết"...)
    or the end of "từ ngày ... đến ngày ...", so the reference dates of cited documents are
    ignored. An explicit day wins over "trong tháng m/yyyy" (last day of the month), which
    wins over "quý III/2020" (last day of the quarter); within a kind the first valid one
    (in reading order) wins. A day without a year takes ``default_year``. Impossible dates
    after a keyword ("trước ngày 31/02/2027") are no deadline but come back, as written,
    in ``invalid_dates``. "hằng tháng"/"hằng quý" make a recurring task without deadline.
    """
    folded, positions = _folded_with_map(text)
    for recurrence, pattern in _RECURRENCES:
        if pattern.search(folded):
            return None, None, recurrence, ()
    days, invalid = [], []
    for pattern in (_RANGE_DEADLINE, _DAY_DEADLINE):
        for match in pattern.finditer(folded):
            deadline, impossible = _day_candidate(match, default_year, text, positions)
            days.append((match, deadline))
            if impossible and impossible not in invalid:
                invalid.append(impossible)
    candidates = sorted(days, key=lambda pair: pair[0].start())
    for match in _MONTH_DEADLINE.finditer(folded):
        candidates.append((match, _date(int(match[2]), int(match[1]), None)))
    for match in _QUARTER_DEADLINE.finditer(folded):
        quarter = _QUARTERS.get(match[1]) or int(match[1])
        candidates.append((match, _date(int(match[2]), 3 * quarter, None)))
    for match, deadline in candidates:
        if deadline is not None:
            return deadline, text[positions[match.start()] : positions[match.end()]], None, tuple(invalid)
    return None, None, None, tuple(invalid)


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


# Who is named after these words cooperates: "Sở A chủ trì, phối hợp với Sở B".
_COOPERATION = re.compile(r"\b(?:phoi hop (?:voi|cung)|va phoi hop)\b")


def _match_roles(heading: str, agencies: Sequence[AgencyRef]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """``(all agency ids, cooperating ids)`` of a heading: the agencies named after the
    first "phối hợp với"/"phối hợp cùng"/"và phối hợp" cooperate, unless also named
    before it (with or without "chủ trì"), where they lead."""
    folded = fold(heading)
    match = _COOPERATION.search(folded)
    if match is None:
        return _match_agencies(heading, agencies), ()
    # fold() keeps one character per character for these words, but map back to be safe.
    _, positions = _folded_with_map(heading)
    cut = positions[match.start()]
    lead = set(_match_agencies(heading[:cut], agencies))
    cooperating = set(_match_agencies(heading[cut:], agencies)) - lead
    return tuple(sorted(lead | cooperating)), tuple(sorted(cooperating))


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
    * Every "- " bullet ("-", "–", "•" and a space, then any text) of a section is a task; a "+ " bullet is a task whose
      ``parent_index`` is the "-" bullet above it. A section without bullets yields one
      task from the text after its heading's colon (or its whole line if it has no colon);
      the heading then stops at the colon. Without numbered sections every bullet of the
      body is a task with ``section_number`` None; without bullets there are no tasks.
    * Deadlines: see :func:`_deadline`; dates are day-first; impossible ones are no
      deadline and are listed in the task's ``invalid_dates``.
    * A section's agencies come from its heading, accent- and case-insensitively: "các Sở,
      ngành" -> every department; "Văn phòng Điều phối nông thôn mới tỉnh" -> the
      provincial coordination office; "UBND", "BCĐ", "Văn phòng Điều phối" followed by
      "các huyện, thành phố, thị xã"/"cấp huyện" -> the district committees, district
      steering committees, district coordination offices; otherwise any agency whose name
      or short name occurs (longest match first). Kinds named together give the union.
      Those named after "phối hợp với"/"phối hợp cùng"/"và phối hợp" are also in
      ``cooperating_agency_ids`` (the others lead). A task's agencies are always its
      section's, even if the bullet names a lead agency.
    * Sections may also be numbered "I.", "II -", "III)"... in sequence; then "1.", "2."
      under "II." are its sub-sections "II.1", "II.2" (a sub-section naming no agency
      takes its Roman section's, and a Roman section followed by sub-sections yields no
      task of its own).

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
    roles: dict[str, tuple[tuple[int, ...], tuple[int, ...]]] = {}  # of the Roman sections
    for position, (section, children) in enumerate(groups):
        bullets = [(child.kind, child.text) for child in children if child.kind in ("-", "+")]
        number = section.number if section else None
        heading = section.text if section else ""
        following = groups[position + 1][0] if position + 1 < len(groups) else None
        has_subsections = bool(number and following and (following.number or "").startswith(f"{number}."))
        if section and not bullets and not has_subsections:
            head, colon, rest = heading.partition(":")
            if colon and rest.strip():
                heading, bullets = f"{head}{colon}", [("-", rest.strip())]
            elif heading and not colon:
                bullets = [("-", heading)]
        agency_ids, cooperating_ids = _match_roles(heading, agencies) if section else ((), ())
        if number and "." not in number:
            roles[number] = (agency_ids, cooperating_ids)
        elif number and not agency_ids:  # a sub-section naming nobody: its Roman section's
            agency_ids, cooperating_ids = roles.get(number.partition(".")[0], ((), ()))
        if section:
            sections.append(ParsedSection(number, heading, agency_ids, cooperating_ids))
        parent = None
        for kind, bullet in bullets:
            deadline, phrase, recurrence, invalid = _deadline(bullet, year)
            parent_index = parent if kind == "+" else None
            tasks.append(
                ParsedTask(
                    number,
                    bullet,
                    deadline,
                    phrase,
                    recurrence,
                    agency_ids,
                    parent_index,
                    cooperating_ids,
                    invalid,
                )
            )
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


def _with_roles(row: dict) -> dict:
    """``row`` with "lead_agency_ids" (named, not cooperating) before its cooperating ones."""
    cooperating = row.pop("cooperating_agency_ids")
    lead = [agency_id for agency_id in row["agency_ids"] if agency_id not in cooperating]
    items = list(row.items())
    at = [key for key, _ in items].index("agency_ids") + 1
    return dict(
        items[:at] + [("lead_agency_ids", lead), ("cooperating_agency_ids", cooperating)] + items[at:]
    )


def to_json(parsed: ParsedDirective) -> dict:
    """JSON-ready data for the API: ``{"number", "issued_on", "sections": [{"number",
    "heading", "agency_ids", "lead_agency_ids", "cooperating_agency_ids"}], "tasks":
    [{"section_number", "text", "deadline", "deadline_phrase", "recurrence", "agency_ids",
    "lead_agency_ids", "cooperating_agency_ids", "parent_index", "invalid_dates"}]}``,
    dates as ISO strings ("2020-07-17") and tuples as lists. ``agency_ids`` are all the
    agencies named; the roles are the parser's (see :func:`parse_directive`)."""
    data = _jsonable(dataclasses.asdict(parsed))
    data["sections"] = [_with_roles(section) for section in data["sections"]]
    data["tasks"] = [_with_roles(task) for task in data["tasks"]]
    return data
