"""Turn the text of a provincial directive into a proposal of sections, tasks, deadlines
and assignee agencies, for a coordinator to correct. Pure Python: no Django, no database.

The shapes read are those provinces really issue (the corpus in
``bench/corpus/directives``, scored by ``bench/parser_score.py``), first of them notice
58/TB-UBND of 06/07/2020 (Thái Nguyên):

* a header (number "Số: 58 /TB-UBND", "Số 875/ UBND-NL"; place and date "Thái Nguyên,
  ngày 06 tháng 7 năm 2020" or "Ngày 06/4/2018"; or a source note "(Theo Công văn số
  6012/UBND-KT, ngày 14/11/2023)"), the kind and summary, "Kính gửi:" for a công văn;
* an outline: Roman sections "I.", Arabic "1.", multi-level "1.1.", lettered items "a)",
  bullets "- ", "+ ", "• ", "– " in any nesting, whichever comes first being the
  outermost, and plain paragraphs that give work ("Giao Sở Tài chính chủ trì…",
  "Yêu cầu UBND các huyện…", "Đề nghị…");
* text copied from a PDF: lines wrapped at 80 columns, page numbers and repeated running
  headers between the lines of a bullet;
* a closing ("Trên đây là …", "Nơi nhận:", a paragraph ending "./.") that holds no tasks.

Sections about aims, findings and results ("Mục đích, yêu cầu", "Kết quả đạt được",
"Tồn tại, hạn chế") hold no tasks. A task's agencies are taken from its own words first
("Sở A chủ trì, phối hợp với Sở B", "Giao Sở A …", "Sở A: …", "(Sở A chủ trì)",
"Cơ quan chủ trì: …"), else from the nearest heading or lead-in above it, else from the
"Kính gửi" list. The body a report goes to ("báo cáo UBND tỉnh", "gửi Văn phòng Điều
phối") and a document's author ("Tờ trình số 168/TTr-VPĐP … của Văn phòng Điều phối")
are never assignees; a name the agency list lacks comes back as written in
``unmatched_agencies``, never silently dropped.

Every keyword is matched on the :func:`~core.text.fold` of the text (no accents, no
case, ``đ`` -> ``d``), so "BCD" matches "BCĐ" and NFC and NFD spellings parse alike.
"""

import calendar
import dataclasses
import datetime
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from core.text import clean, fold, nfc


@dataclass(frozen=True)
class AgencyRef:
    """An agency the parser may assign; callers build these from ``Agency`` rows.
    ``kind`` is one of department, coordination_office, district_committee,
    commune_committee, steering_committee, leadership, external_system, other."""

    id: int
    name: str
    short_name: str
    kind: str


@dataclass(frozen=True)
class ParsedTask:
    """One proposed task. ``text`` is the item, cleaned, without its marker ("- ",
    "a)", "1.1."). ``deadline_phrase`` holds the words ``deadline`` came from ("trước
    ngày 17/7/2020"); ``recurrence`` is "monthly", "quarterly", "semiannual" or
    "yearly" for a recurring report (then no deadline) and ``recurrence_day`` the day of
    each period's last month it is due (None: the last day). ``agency_ids`` are every
    agency assigned, ``cooperating_agency_ids`` those of them that cooperate (the others
    lead); ``agency_source`` says where they came from: "task" (its own words),
    "heading" (the section or lead-in above it), "recipients" ("Kính gửi") or "" (none).
    ``unmatched_agencies`` are assignee names as written that no agency matches ("Hội
    Nông dân tỉnh", "các Sở, ngành liên quan"). ``parent_index`` is, for an item under
    another task ("+" under "-"), that task's index in :attr:`ParsedDirective.tasks`.
    ``invalid_dates`` are impossible dates written after a deadline keyword
    ("31/02/2027"); ``deadline_before_issue`` is True when the deadline falls before the
    date of issue."""

    section_number: str | None
    text: str
    deadline: datetime.date | None
    deadline_phrase: str | None
    recurrence: str | None
    agency_ids: tuple[int, ...]
    parent_index: int | None
    cooperating_agency_ids: tuple[int, ...] = ()
    invalid_dates: tuple[str, ...] = ()
    recurrence_day: int | None = None
    unmatched_agencies: tuple[str, ...] = ()
    agency_source: str = ""
    deadline_before_issue: bool = False


@dataclass(frozen=True)
class ParsedSection:
    """A numbered section: its number ("1", "II", "II.1" for a "1." under "II.", "2.3"
    for "2.3."), heading (cleaned, without the number), the ids of the agencies its
    heading assigns and, among them, those that cooperate."""

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


# --- Folding with positions -----------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    """:func:`fold` of one character (a space for white space), remembered."""
    return " " if char.isspace() else fold(char) or char


def _folded_with_map(line: str) -> tuple[str, list[int]]:
    """``fold`` of ``line`` character by character and, for each folded offset, the
    offset in ``line`` it came from (plus one past the end), so that a match on the
    folded text gives back the original words. Punctuation stays as it is."""
    chars, positions = [], []
    for index, char in enumerate(line):
        folded = _fold_char(char)
        chars.append(folded)
        positions.extend([index] * len(folded))
    positions.append(len(line))
    return "".join(chars), positions


# Spelt out before agency names are matched: "UBND" -> "uy ban nhan dan", "NN&PTNT"...
_ABBREVIATIONS = (
    (r"ubnd", "uy ban nhan dan"),
    (r"hdnd", "hoi dong nhan dan"),
    (r"bcd", "ban chi dao"),
    (r"vpdp", "van phong dieu phoi"),
    (r"ctmtqg|ct mtqg", "chuong trinh muc tieu quoc gia"),
    (r"mtqg", "muc tieu quoc gia"),
    (r"ntm", "nong thon moi"),
    (r"nn (?:va )?ptnt|nnptnt", "nong nghiep va phat trien nong thon"),
    (r"nn (?:va )?mt|nnmt", "nong nghiep va moi truong"),
    (r"ptnt", "phat trien nong thon"),
    (r"kh (?:va )?dt|khdt", "ke hoach va dau tu"),
    (r"tn (?:va )?mt|tnmt", "tai nguyen va moi truong"),
    (r"gtvt", "giao thong van tai"),
    (r"ld ?tb (?:va )?xh|ldtbxh", "lao dong thuong binh va xa hoi"),
    (r"tb (?:va )?xh|tbxh", "thuong binh va xa hoi"),
    (r"tt (?:va )?tt|tttt", "thong tin va truyen thong"),
    (r"vhttdl|vh ?tt (?:va )?dl", "van hoa the thao va du lich"),
    (r"gd (?:va )?dt|gddt", "giao duc va dao tao"),
    (r"kh (?:va )?cn|khcn", "khoa hoc va cong nghe"),
    (r"dt (?:va )?tg", "dan toc va ton giao"),
    (r"mttq", "mat tran to quoc"),
    (r"chqs", "chi huy quan su"),
    (r"tp", "thanh pho"),
    (r"tx", "thi xa"),
)
_ABBREVIATION = re.compile(
    r"(?<![a-z0-9])(?:" + "|".join(f"(?:{a})" for a, _ in _ABBREVIATIONS) + r")(?![a-z0-9])"
)
_EXPANSIONS = [(re.compile(rf"^(?:{a})$"), b) for a, b in _ABBREVIATIONS]


def _expand(match: re.Match) -> str:
    return next(full for pattern, full in _EXPANSIONS if pattern.match(match[0]))


@dataclass(frozen=True)
class _Norm:
    """A text in the form agency names are matched on: folded, punctuation turned into
    spaces (commas and semicolons kept as separators), abbreviations spelt out, single
    spaces; ``positions[i]`` is the offset in the original of ``text[i]``."""

    text: str
    positions: list[int]


# A document's number and symbol ("168/TTr-VPĐP", "25/2022/QĐ-UBND"): never an agency.
_DOCUMENT_SYMBOL = re.compile(r"\b\d{1,6} ?/ ?(?:\d{4} ?/ ?)?[a-z][a-z0-9&]*(?: ?[-/.] ?[a-z0-9&]+)*")


@functools.lru_cache(maxsize=2048)
def _normalise(original: str) -> _Norm:
    folded, positions = _folded_with_map(original)
    symbols = set()
    for match in _DOCUMENT_SYMBOL.finditer(folded):
        symbols.update(range(match.start(), match.end()))
    chars, where = [], []
    for index, char in enumerate(folded):
        char = char if (char.isalnum() or char in ",;:()") and index not in symbols else " "
        if char == " " and (not chars or chars[-1] == " "):
            continue
        if char in ",;:)" and chars and chars[-1] == " ":
            chars.pop(), where.pop()
        chars.append(char)
        where.append(positions[index])
    text = "".join(chars)
    out, out_where, last = [], [], 0
    for match in _ABBREVIATION.finditer(text):
        out.append(text[last : match.start()])
        out_where.extend(where[last : match.start()])
        full = _expand(match)
        out.append(full)
        out_where.extend([where[match.start()]] * len(full))
        last = match.end()
    out.append(text[last:])
    out_where.extend(where[last:])
    out_where.append(len(original))
    return _Norm("".join(out), out_where)


def _key(value: str) -> str:
    """Normalised form of an agency's name: ``_key("Sở NN&PTNT") == "so nong nghiep va
    phat trien nong thon"``; a parenthesis is left out."""
    text = _normalise(re.sub(r"\([^)]*\)", " ", value)).text
    return re.sub(r" +", " ", re.sub(r"[,;:()]", " ", text)).strip()


# --- Agencies -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Mention:
    """Agencies named at ``start:end`` of a normalised text: ``ids`` (several for a
    group such as "các Sở, ngành"), or none with ``label`` the name as written."""

    start: int
    end: int
    ids: tuple[int, ...]
    label: str = ""


_ALL_DEPARTMENTS = re.compile(
    r"\b(?:thu truong )?cac so,? (?:ban,? )?nganh(?:,? doan the)?(?: cua tinh| tinh)?\b"
)
_VAGUE = re.compile(
    r"\b(?:cac|nhung) (?:so,? (?:ban,? )?nganh|co quan,?(?: don vi)?|don vi|nganh|to chuc|dia phuong|"
    r"so,? nganh,? dia phuong)(?:,? (?:dia phuong|don vi|co quan))*,? (?:co )?lien quan\b"
    r"|\bcac so,? (?:ban,? )?nganh,? (?:duoc phan cong|phu trach)[a-z ]*|\bcac so,? (?:ban,? )?nganh,? con lai\b"
    r"|\bcac to chuc(?: trong he thong)? chinh tri,? xa hoi(?: tinh| cac cap)?\b|\bcac (?:hoi,? )?doan the(?: tinh| chinh tri xa hoi)?\b"
    r"|\bcac co quan,? don vi\b|\bcac (?:hoi,? )?doan the\b|\bcac dia phuong\b|\bcac don vi\b|\bcac co quan\b"
)
_PROVINCIAL_OFFICE = re.compile(r"\bvan phong dieu phoi\b(?:(?! tinh\b)[a-z ]){0,50} tinh\b")
_PROVINCIAL_STEERING = re.compile(r"\bban chi dao\b(?:(?! tinh\b)[a-z0-9 ]){0,90} tinh\b")
_DISTRICT_SCOPE = re.compile(r"\b(?:cac|cap) (?:huyen|thanh pho|thi xa)(?:,? (?:huyen|thanh pho|thi xa))*\b")
_COMMUNE_SCOPE = re.compile(
    r"\b(?:chu tich )?uy ban nhan dan (?:cac|cap) xa(?:,? (?:phuong|thi tran|dac khu))*\b"
    r"|\buy ban nhan dan (?:cac|cap) (?:xa,? )?phuong\b"
)
_BODY = re.compile(r"\b(uy ban nhan dan|ban chi dao|van phong dieu phoi)\b")
_BODY_KINDS = {
    "uy ban nhan dan": "district_committee",
    "ban chi dao": "steering_committee",
    "van phong dieu phoi": "coordination_office",
}
_DISTRICT_LEVEL = re.compile(r"\b(?:huyen|thanh pho|thi xa)\b")
# "các Sở: Tài chính, Xây dựng" and "các Sở Tài chính, Xây dựng và Công Thương".
_SO_LIST = re.compile(
    r"\bcac so(?P<group>,? (?:ban,? )?nganh:)?:? (?P<items>(?:[^;:.()](?! chu tri| phoi hop))+)"
)
_ORGANISATION = re.compile(
    r"^(?:so|ban(?! hanh| chi dao xa)|hoi(?! nghi| dong)|uy ban|cuc|chi cuc|kho bac|ngan hang|lien minh|tinh doan|"
    r"trung tam|dai (?:phat thanh|truyen hinh|pt)|bao(?! cao| dam| ve| hiem)|cong an|bo chi huy|van phong|lien doan|"
    r"doan thanh nien|mat tran|cong ty|tong cong ty|thanh tra|bao hiem xa hoi)\b"
)


class _Matcher:
    """Finds the agencies of a list of :class:`AgencyRef` named in a text: by name or
    short name (longest first, abbreviations spelt out) and by the usual group phrases
    ("các Sở, ngành", "UBND, BCĐ … các huyện, thành phố, thị xã", "UBND các xã",
    "Văn phòng Điều phối … tỉnh")."""

    def __init__(self, agencies: Sequence[AgencyRef]):
        self.agencies = list(agencies)
        keys: dict[str, set[int]] = {}
        for agency in self.agencies:
            for name in (agency.name, agency.short_name):
                key = _key(name)
                if len(key) >= 4:
                    keys.setdefault(key, set()).add(agency.id)
                # "Đài Phát thanh - Truyền hình tỉnh" for "… tỉnh Vĩnh Phúc".
                if (short := re.match(r"^(.+ tinh) [a-z]+(?: [a-z]+){0,2}$", key)) and len(
                    short[1].split()
                ) >= 3:
                    keys.setdefault(short[1], set()).add(agency.id)
        self.keys = {key: tuple(sorted(ids)) for key, ids in keys.items()}
        ordered = sorted(self.keys, key=len, reverse=True)
        self.names = (
            re.compile(
                r"(?<![a-z0-9])(?:"
                + "|".join(re.escape(key).replace(r"\ ", ",? ") for key in ordered)
                + r")(?![a-z0-9])"
            )
            if ordered
            else None
        )
        self.by_kind: dict[str, tuple[int, ...]] = {}
        for agency in self.agencies:
            self.by_kind.setdefault(agency.kind, ())
            self.by_kind[agency.kind] += (agency.id,)
        self.district_level = {
            a.id
            for a in self.agencies
            if a.kind == "district_committee" or _DISTRICT_LEVEL.search(_key(a.name))
        }
        self.provincial_office = tuple(
            a.id for a in self.agencies if a.kind == "coordination_office" and _key(a.name).endswith(" tinh")
        )
        self.provincial_steering = tuple(
            a.id
            for a in self.agencies
            if a.kind == "steering_committee"
            and not _DISTRICT_LEVEL.search(_key(a.name))
            and " tinh" in _key(a.name)
        )

    def _kind(self, kind: str, *, district: bool = False) -> tuple[int, ...]:
        ids = self.by_kind.get(kind, ())
        return tuple(i for i in ids if i in self.district_level) if district else ids

    def mentions(self, norm: _Norm, original: str) -> list[_Mention]:
        """Every agency mention of ``norm`` (the normalised ``original``), in order,
        never overlapping: group phrases first, then names."""
        text = norm.text
        found: list[_Mention] = []
        taken = [False] * len(text)

        def add(start: int, end: int, ids: tuple[int, ...], label: str = "") -> None:
            if any(taken[start:end]):
                return
            for index in range(start, end):
                taken[index] = True
            found.append(_Mention(start, end, ids, label))

        def words(start: int, end: int) -> str:
            return clean(original[norm.positions[start] : norm.positions[end - 1] + 1]).strip(" ,;:")

        for match in _SO_LIST.finditer(text):
            self._so_list(match, add, words)
        for match in _COMMUNE_SCOPE.finditer(text):
            listed = self._named_list(text, match.end(), ["uy ban nhan dan xa", "uy ban nhan dan phuong"])
            if listed is not None:
                add(match.start(), listed[1], listed[0])
                continue
            ids = self._kind("commune_committee")
            add(match.start(), match.end(), ids, "" if ids else words(match.start(), match.end()))
        for match in _DISTRICT_SCOPE.finditer(text):
            self._district(text, match, add, words)
        for match in _ALL_DEPARTMENTS.finditer(text):
            if not _VAGUE.match(text, match.start()):
                add(match.start(), match.end(), self._kind("department"), words(match.start(), match.end()))
        for match in _VAGUE.finditer(text):
            add(match.start(), match.end(), (), words(match.start(), match.end()))
        for match in _PROVINCIAL_OFFICE.finditer(text):
            if self.provincial_office and not self._names_at(text, match.start(), match.end()):
                add(match.start(), match.end(), self.provincial_office)
        for match in _PROVINCIAL_STEERING.finditer(text):
            if self.provincial_steering and not self._names_at(text, match.start(), match.end()):
                add(match.start(), match.end(), self.provincial_steering)
        if self.names is not None:
            for match in self.names.finditer(text):
                add(match.start(), match.end(), self.keys[match[0].replace(",", "")])
        return sorted(found, key=lambda mention: mention.start)

    def _names_at(self, text: str, start: int, end: int) -> bool:
        """Whether an agency's own name covers ``text[start:end]`` exactly (it wins)."""
        return text[start:end].replace(",", "") in self.keys

    def _so_list(self, match: re.Match, add, words) -> None:
        """ "các Sở: Tài chính, Xây dựng, Văn hóa, Thể thao và Du lịch": each item as
        "sở <item>", the longest run of items that names a department first."""
        parts = [(part.start(), part[0]) for part in re.finditer(r"[^,;]+", match["items"])]
        offset, index, named = match.start("items"), 0, False
        while index < len(parts):
            for stop in range(min(len(parts), index + 4), index, -1):
                name = " ".join(text.strip() for _, text in parts[index:stop])
                name = re.sub(r"^(?:va |so )+", "", name)
                if (ids := self.keys.get(f"so {name}")) is not None:
                    start = offset + parts[index][0] + len(parts[index][1]) - len(parts[index][1].lstrip())
                    end = offset + parts[stop - 1][0] + len(parts[stop - 1][1].rstrip())
                    add(start, end, ids)
                    index, named = stop, True
                    break
            else:
                position, text = parts[index]
                for piece in re.finditer(r"(?:(?!\bva\b)[a-z0-9 ])+", text):
                    name = re.sub(r"^(?:so )", "", piece[0].strip())
                    if name and (ids := self.keys.get(f"so {name}")) is not None:
                        lead = len(piece[0]) - len(piece[0].lstrip())
                        add(offset + position + piece.start() + lead, offset + position + piece.end(), ids)
                        named = True
                index += 1
        if named and match["group"]:
            # "các Sở, ngành: X, Y" names X and Y, not every department.
            add(match.start(), match.start("items"), ())

    def _named_list(self, text: str, at: int, prefixes: list[str]) -> tuple[tuple[int, ...], int] | None:
        """ "…các huyện: Đại Từ, Phú Bình và Võ Nhai": the agencies "<prefix> <name>"
        names, read item by item (the longest run of words that names one) until an
        item names none; ``(ids, end)`` or None if the first item names none."""
        ids: list[int] = []
        position, end = at, None
        while True:
            item = re.match(r"(?::|,|;|\s|\bva\b)*", text[position:])
            start = position + item.end()
            words = re.match(r"[a-z0-9]+(?: [a-z0-9]+){0,5}", text[start:])
            if not words:
                break
            found = None
            parts = words[0].split()
            for size in range(len(parts), 0, -1):
                name = " ".join(parts[:size])
                hits = [i for prefix in prefixes for i in self.keys.get(f"{prefix} {name}", ())]
                if hits:
                    found = (hits, start + len(name))
                    break
            if found is None:
                break
            ids.extend(found[0])
            position = end = found[1]
        return (tuple(sorted(set(ids))), end) if ids else None

    def _district(self, text: str, match: re.Match, add, words) -> None:
        """ "UBND, BCĐ Chương trình … các huyện, thành phố, thị xã" (the bodies named
        before it in the same clause), "UBND các huyện: Đại Từ, Phú Bình" (those)."""
        clause_start = max(text.rfind(";", 0, match.start()), text.rfind(":", 0, match.start())) + 1
        window = text[clause_start : match.start()]
        bodies = list(_BODY.finditer(window))
        # Only the bodies of the run just before "các huyện" (no other mention between).
        start = match.start()
        kinds = set()
        for body in reversed(bodies):
            between = window[body.end() :]
            if re.search(r"\btinh\b", between):
                break
            if self.names is not None and self.names.search(between[: max(0, len(between) - 1)]):
                break
            kinds.add(_BODY_KINDS[body[1]])
            start = clause_start + body.start()
        kinds = kinds or {"district_committee"}
        prefixes = [
            f"{body} {level}"
            for body, kind in (
                ("uy ban nhan dan", "district_committee"),
                ("ban chi dao", "steering_committee"),
            )
            if kind in kinds
            for level in ("huyen", "thanh pho", "thi xa")
        ]
        # "các huyện: Đại Từ, Phú Bình" names some; "các huyện, thành phố Gia Nghĩa" all.
        single = len(_DISTRICT_LEVEL.findall(match[0])) == 1
        listed = self._named_list(text, match.end(), prefixes) if single else None
        if listed is not None:
            add(start, listed[1], listed[0])
            return
        ids = tuple(sorted({i for kind in kinds for i in self._kind(kind, district=True)}))
        add(start, match.end(), ids, "" if ids else words(start, match.end()))


# Words that open an assignee list ("Giao Sở A", "Yêu cầu UBND các huyện").
_TRIGGER = re.compile(
    r"\b(?:giao(?: nhiem vu)?(?: cho)?|yeu cau|de nghi|dong y giao|thong nhat giao|uy quyen(?: cho)?)\s"
)
# Between two agencies of one list.
_SEPARATOR = re.compile(
    r"(?:\s|,|;|:|\bva\b|\bcac\b|\bcung\b|\bthu truong\b|\bchu tich\b|\bgiam doc\b|\btruong\b|\blanh dao\b|"
    r"\bdong chi\b|\bd c\b|\bso\b(?=:? [a-z])|\bsau\b(?=:))*"
)
_LEAD_AFTER = re.compile(r"\s?,?\s?(?:chu tri|la co quan chu tri|lam dau moi|la dau moi)\b")
_COOPERATION = re.compile(r"\b(?:phoi hop (?:chat che )?(?:voi |cung )?|va phoi hop voi |cung voi )")
_LABEL_LEAD = re.compile(r"\b(?:(?:co quan|don vi) )?(?:chu tri|thuc hien|dau moi) ?:\s?")
_LABEL_COOPERATING = re.compile(r"\b(?:(?:co quan|don vi) )?phoi hop ?:\s?")
# Who comes after these words receives a report or wrote a document: never an assignee.
_RECIPIENT = re.compile(
    r"\b(?:bao cao(?: ket qua)?(?: ve)?|gui(?: ve)?|trinh|tham muu(?: cho)?|xin y kien|de xuat(?: voi)?|"
    r"cua|tai|theo|thong qua|tong hop(?: bao cao)?(?: gui)?)\s$"
)


@dataclass
class _Roles:
    """Agencies assigned by a text: leads, cooperating, unmatched names as written."""

    lead: set[int] = field(default_factory=set)
    cooperating: set[int] = field(default_factory=set)
    unmatched: list[str] = field(default_factory=list)
    # Whether a lead was named, matched or not ("Hội Nông dân tỉnh chủ trì").
    lead_named: bool = False

    def __bool__(self) -> bool:
        return bool(self.lead or self.cooperating or self.unmatched)

    def named(self) -> bool:
        return bool(self.lead or self.lead_named)


def _unknown_organisation(original: str, norm: _Norm, start: int) -> tuple[int, str] | None:
    """An organisation's name the list lacks starting at ``norm.text[start]`` ("Hội
    Nông dân tỉnh"): ``(end, name as written)``, or None."""
    text = norm.text
    if not _ORGANISATION.match(text[start:]):
        return None
    stop = re.compile(
        r",|;|\s(?:chu tri|phoi hop|thuc hien|tham muu|co trach nhiem|khan truong|chi dao|huong dan|to chuc|"
        r"can cu|theo|ra soat|trien khai|xay dung|tiep tuc|kiem tra|bao cao|lam ro|nghien cuu|day manh|"
        r"quan tam|tap trung|phan bo|bo tri|uu tien|dam bao|de|va|cac|trong|ve|nham|van dong|ho tro|tuyen truyen|"
        r"giam sat|cho vay|tham gia|phat dong)\b"
    )
    end_match = stop.search(text, start)
    end = end_match.start() if end_match else len(text)
    # Provincial bodies end with "tỉnh" (and the province's name): "Hội Nông dân tỉnh".
    if province := re.match(r"(?:[a-z0-9]+ ){1,7}?tinh\b", text[start:end]):
        end = start + province.end()
    words = text[start:end].split()
    if not 2 <= len(words) <= 10:
        return None
    first = original[norm.positions[start] :]
    name = clean(original[norm.positions[start] : norm.positions[end - 1] + 1]).strip(" ,;:.")
    # Proper names start with a capital: "Hội Nông dân", not "ban hành".
    if not first[:1].isupper():
        return None
    return end, name


def _list_at(
    original: str, norm: _Norm, mentions: list[_Mention], start: int
) -> tuple[list[_Mention], list[str], int]:
    """The agency list starting at ``start`` (separators skipped): its mentions, the
    unmatched organisation names in it, and where it ends (``start`` if empty)."""
    text = norm.text
    by_start = {mention.start: mention for mention in mentions}
    found, unknown, position, end = [], [], start, start
    while position < len(text):
        skip = _SEPARATOR.match(text, position)
        at = skip.end() if skip else position
        # A mention may start inside the separators ("các Sở, ngành" starts at "các").
        at = next((i for i in range(position, at + 1) if i in by_start), at)
        if at in by_start:
            mention = by_start[at]
            found.append(mention)
            if not mention.ids and mention.label:
                unknown.append(mention.label)
            position = end = mention.end
            continue
        unknown_here = _unknown_organisation(original, norm, at)
        if unknown_here is not None:
            unknown.append(unknown_here[1])
            position = end = unknown_here[0]
            continue
        break
    return found, unknown, end


def _roles(original: str, matcher: _Matcher) -> _Roles:
    """The agencies a text assigns by its own words (empty if it names none):

    * the list after "giao", "yêu cầu", "đề nghị", "phân công" leads;
    * a list at the very start leads ("Sở Tài chính chủ trì…", "UBND các huyện: …");
    * a list before "chủ trì" or after "Cơ quan chủ trì:" leads;
    * a list after "phối hợp với/cùng", "Cơ quan phối hợp:", or before "phối hợp"
      cooperates;
    * any other mention (after "báo cáo", "gửi", "của", "tham mưu cho"…, or an object
      "hướng dẫn UBND cấp xã") assigns nobody.
    """
    norm = _normalise(original)
    text = norm.text
    mentions = matcher.mentions(norm, original)
    roles = _Roles()

    def take(start: int, into: set[int]) -> int:
        found, unknown, end = _list_at(original, norm, mentions, start)
        if into is roles.lead and (found or unknown):
            roles.lead_named = True
        for mention in found:
            if into is roles.cooperating and mention.label and len(mention.ids) > 3:
                # "phối hợp với các sở, ngành": the departments concerned, not all of them.
                unknown.append(mention.label)
                continue
            into.update(mention.ids)
        for name in unknown:
            if name not in roles.unmatched:
                roles.unmatched.append(name)
        return end

    lead_starts = [0]
    lead_starts += [match.end() for match in _TRIGGER.finditer(text)]
    lead_starts += [match.end() for match in _LABEL_LEAD.finditer(text)]
    for start in lead_starts:
        found, _unknown, end = _list_at(original, norm, mentions, start)
        if start == 0 and not found and not _unknown:
            continue
        if start == 0 and _RECIPIENT.search(text[: found[0].start + 1] if found else ""):
            continue
        if start == 0 and _TRIGGER.match(text[end:].lstrip(" ,") + " "):
            continue  # "UBND tỉnh yêu cầu …": who asks, not who does
        into = roles.lead
        tail = text[end : end + 24]
        if re.match(r"\s?,?\s?phoi hop\b(?! voi| cung)", tail):
            into = roles.cooperating
        take(start, into)
    for match in _LEAD_AFTER.finditer(text):
        # "…, Sở A chủ trì": the list that ends just before "chủ trì".
        before = [
            m for m in mentions if m.end <= match.start() and text[m.end : match.start()].strip(" ,") == ""
        ]
        for mention in before:
            roles.lead.update(mention.ids)
    for pattern in (_COOPERATION, _LABEL_COOPERATING):
        for match in pattern.finditer(text):
            take(match.end(), roles.cooperating)
    for match in re.finditer(r"\bphoi hop\b(?! voi| cung)", text):
        # "Sở A chủ trì; Sở B, Sở C phối hợp": the list ending just before it.
        run = [m for m in mentions if m.end <= match.start()]
        while (
            run
            and text[run[-1].end : match.start()].strip(" ,;") == ""
            or (run and text[run[-1].end : match.start()].strip(" ,;") in ("va", ""))
        ):
            roles.cooperating.update(run[-1].ids)
            boundary = run[-1].start
            run = [m for m in run[:-1] if text[m.end : boundary].strip(" ,;") in ("", "va")]
            if not run:
                break
    roles.cooperating -= roles.lead
    return roles


def _heading_roles(original: str, matcher: _Matcher) -> _Roles:
    """The agencies a heading or lead-in assigns: its own words as :func:`_roles`, or
    every agency it names (then those after "phối hợp với" cooperate)."""
    roles = _roles(original, matcher)
    if roles.named():
        return roles
    norm = _normalise(original)
    cut = _COOPERATION.search(norm.text)
    for mention in matcher.mentions(norm, original):
        if _RECIPIENT.search(norm.text[max(0, mention.start - 30) : mention.start]):
            continue
        target = roles.cooperating if cut and mention.start >= cut.start() else roles.lead
        target.update(mention.ids)
        roles.lead_named = roles.lead_named or target is roles.lead
        if not mention.ids and mention.label and mention.label not in roles.unmatched:
            roles.unmatched.append(mention.label)
    roles.cooperating -= roles.lead
    return roles


def agencies_named(text: str, agencies: Sequence[AgencyRef]) -> tuple[int, ...]:
    """Ids of every agency a line names (names, short names, group phrases; see
    :func:`parse_directive`), sorted: used for the recipients (nơi nhận)."""
    matcher = _Matcher(agencies)
    norm = _normalise(text)
    return tuple(sorted({i for mention in matcher.mentions(norm, text) for i in mention.ids}))


# --- Deadlines ----------------------------------------------------------------------

# A date: "17/7/2020", "17.07.2020", "17/7" (the year of issue), "25/12/26" (2026), or
# "17 tháng 7 năm 2020". The same separator twice when a year follows.
_DATE = (
    r"(?:(?P<d{n}>\d{{1,2}}) ?(?P<s{n}>[/.-]) ?(?P<m{n}>\d{{1,2}})"
    r"(?: ?(?P=s{n}) ?(?P<y{n}>\d{{4}}|\d{{2}}))?(?![\d/])"
    r"|(?P<ld{n}>\d{{1,2}}) thang (?P<lm{n}>\d{{1,2}})(?:,? nam (?P<ly{n}>\d{{4}}))?\b)"
)
_KEYWORD = (
    r"(?:(?:xong|hoan thanh) )?(?:truoc|cham nhat(?: la)?|han chot|thoi han|"
    r"thoi gian(?: thuc hien| hoan thanh)?:|han|den het|het|xong truoc|trong ngay)"
)
_DAY_DEADLINE = re.compile(r"\b" + _KEYWORD + r"(?: (?:la|vao))?:?(?: ngay)? ?" + _DATE.format(n=""))
# "từ ngày 01/12/2026 đến (hết) ngày 31/12/2026": the end date is the deadline.
_RANGE_DEADLINE = re.compile(
    r"\btu(?: ngay)? ?" + _DATE.format(n="0") + r" ?(?:den|toi|-)(?: het)?(?: ngay)? ?" + _DATE.format(n="")
)
_MONTH = r"thang (?P<month>\d{1,2})(?:(?: ?[/.-] ?| nam )(?P<year>\d{4}))?"
# "trước tháng 9.2020": the end of August; "trong tháng 9/2020", "cuối tháng 9": its end.
_BEFORE_MONTH = re.compile(r"\b(?:den |hoan thanh |xong )?truoc " + _MONTH + r"\b")
_IN_MONTH = re.compile(
    r"\b(?:trong|cuoi|het|den het|den cuoi|hoan thanh|xong|thoi gian(?: thuc hien| hoan thanh)?:?|thoi han:?|vao)"
    r" (?:(?:trong|cuoi) )?" + _MONTH + r"\b"
)
_QUARTER = r"quy (?P<quarter>iv|i{1,3}|[1-4])(?:(?: ?[/.-] ?| nam )(?P<year>\d{4}))?"
_IN_QUARTER = re.compile(
    r"(?:\b(?:trong|cuoi|het|den het|den cuoi|hoan thanh|xong|thoi gian(?: thuc hien| hoan thanh)?:?|thoi han:?|truoc|vao)"
    r" (?:(?:trong|cuoi) )?)?" + _QUARTER + r"\b"
)
_YEAR = re.compile(
    r"(?<!de ra )(?<!da )(?<!cua )(?<!nhu )(?<!voi )(?<!so )\b(?P<word>trong|cuoi|den cuoi|het|den het|hoan thanh(?: trong)?|xong(?: trong)?|truoc|thoi gian(?: thuc hien| hoan"
    r" thanh)?:?|thoi han:?)( nam| quy iv nam)? (?P<year>20\d{2})\b(?! ?-)"
)
_HALF = re.compile(r"\b(?P<half>6 thang (?:dau|cuoi)) nam(?: (?P<year>20\d{2}))?\b")
_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_RECURRENCES = (
    ("monthly", re.compile(r"\bhang thang\b|\bdinh ky (?:hang )?thang\b")),
    ("quarterly", re.compile(r"\bhang quy\b|\bdinh ky (?:hang )?quy\b|\b(?:cua )?thang cuoi (?:moi )?quy\b")),
    (
        "semiannual",
        re.compile(
            r"\b(?:dinh ky )?6 thang(?: mot lan| 1 lan)\b|\bdinh ky 6 thang\b|\bsau thang mot lan\b"
            r"|\b(?:bao cao|ket qua)\b[a-z ]{0,40}\b6 thang,? (?:va )?(?:ca )?nam\b"
        ),
    ),
    ("yearly", re.compile(r"\bhang nam\b|\bdinh ky (?:hang )?nam\b")),
)
_RECURRENCE_DAY = re.compile(r"\b(?:truoc|cham nhat|truoc ngay|han)(?: la)?(?: ngay)? (\d{1,2})(?![\d/.])")


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
    impossible = deadline is None and (
        year is not None or not 1 <= int(month) <= 12 or not 1 <= int(day) <= 31
    )
    return deadline, text[positions[start] : positions[end]] if impossible else None


@dataclass(frozen=True)
class _Deadline:
    deadline: datetime.date | None = None
    phrase: str | None = None
    recurrence: str | None = None
    recurrence_day: int | None = None
    invalid: tuple[str, ...] = ()


def _recurrence(folded: str) -> tuple[str, int | None, int, int] | None:
    """``(recurrence, due day, start, end)`` of a duty that recurs ("báo cáo hằng tháng
    trước ngày 20": monthly, 20; "phân bổ vốn hằng năm": yearly; "báo cáo 6 tháng, năm":
    semiannual), with the span of ``folded`` the words stand in, or None."""
    for recurrence, pattern in _RECURRENCES:
        if match := pattern.search(folded):
            offset = max(0, match.start() - 60)
            day = _RECURRENCE_DAY.search(folded[offset : match.end() + 60])
            if day and 1 <= int(day[1]) <= 31:
                start, end = min(match.start(), offset + day.start()), max(match.end(), offset + day.end())
                return recurrence, int(day[1]), start, end
            return recurrence, None, match.start(), match.end()
    return None


def _deadline(text: str, default_year: int | None) -> _Deadline:
    """The deadline of a task text, with the words it came from.

    Only a date after a deadline keyword counts ("trước", "chậm nhất", "hạn", "đến hết",
    "Thời gian hoàn thành:"…) or the end of "từ ngày … đến ngày …", so the reference
    dates of cited documents are ignored. An explicit day wins over a month ("trong tháng
    9/2020": 30/09; "trước tháng 9.2020": 31/08), which wins over a quarter ("trong quý
    III/2020": 30/09), which wins over a half ("6 tháng đầu năm": 30/06) and a year ("đến
    cuối năm 2018", "trong năm 2019": 31/12); within a kind the first valid one (in
    reading order) wins. A day or month without a year takes ``default_year``.
    Impossible dates after a keyword ("trước ngày 31/02/2027") are no deadline but come
    back, as written, in ``invalid``. A recurring report ("hằng tháng", "định kỳ hằng
    quý", "6 tháng một lần", "hằng năm" with "báo cáo"/"định kỳ") has no deadline.
    """
    folded, positions = _folded_with_map(text)
    recurring = _recurrence(folded)
    if recurring:
        recurrence, day, start, end = recurring
        words = text[positions[start] : positions[end]].strip(" ,;.")
        return _Deadline(phrase=words, recurrence=recurrence, recurrence_day=day)

    def phrase(match: re.Match) -> str:
        return text[positions[match.start()] : positions[match.end()]].strip()

    days, invalid = [], []
    for pattern in (_RANGE_DEADLINE, _DAY_DEADLINE):
        for match in pattern.finditer(folded):
            deadline, impossible = _day_candidate(match, default_year, text, positions)
            days.append((match, deadline))
            if impossible and impossible not in invalid:
                invalid.append(impossible)
    kinds: list[list[tuple[re.Match, datetime.date | None]]] = [
        sorted(days, key=lambda pair: pair[0].start())
    ]
    months = []
    for match in _BEFORE_MONTH.finditer(folded):
        year = _year(match["year"], default_year)
        month = int(match["month"])
        if year and 1 <= month <= 12:
            months.append((match, _date(year - (month == 1), 12 if month == 1 else month - 1, None)))
    for match in _IN_MONTH.finditer(folded):
        months.append((match, _date(_year(match["year"], default_year), int(match["month"]), None)))
    kinds.append(sorted(months, key=lambda pair: pair[0].start()))
    quarters = []
    for match in _IN_QUARTER.finditer(folded):
        quarter = _QUARTERS.get(match["quarter"]) or int(match["quarter"])
        year = _year(match["year"], default_year)
        quarters.append((match, _date(year, 3 * quarter, None)))
    kinds.append(quarters)
    halves = []
    for match in _HALF.finditer(folded):
        year = _year(match["year"], default_year)
        halves.append((match, _date(year, 6 if "dau" in match["half"] else 12, None)))
    years = []
    for match in _YEAR.finditer(folded):
        year = int(match["year"])
        years.append((match, _date(year - 1 if match["word"] == "truoc" else year, 12, None)))
    kinds.append(sorted(halves + years, key=lambda pair: pair[0].start()))
    for candidates in kinds:
        for match, deadline in candidates:
            if deadline is not None:
                return _Deadline(deadline=deadline, phrase=phrase(match), invalid=tuple(invalid))
    return _Deadline(invalid=tuple(invalid))


# --- Lines ----------------------------------------------------------------------------

_ITALIC = re.compile(r"\*(\S(?:[^*]*\S)?)\*")
_PAGE_NUMBER = re.compile(
    r"^(?:[-–—]\s*)?(?:trang\s+)?\d{1,3}(?:\s*/\s*\d{1,3})?(?:\s*[-–—])?$", re.IGNORECASE
)
_CLOSING = re.compile(r"^(?:tren day la\b|noi nhan\b|noi gui\b)")
_TERMINAL = ".;:!?"


def _physical_lines(text: str) -> list[str]:
    """Cleaned lines, markdown emphasis removed, page numbers and repeated running
    headers (the same short line three times or more, or twice past the header) left
    out as blank lines."""
    lines = [clean(_ITALIC.sub(r"\1", raw)) for raw in nfc(text).replace("**", "").splitlines()]
    counts: dict[str, int] = {}
    for line in lines:
        if line:
            counts[line] = counts.get(line, 0) + 1
    seen: set[str] = set()
    out = []
    for index, line in enumerate(lines):
        after_page = index and _PAGE_NUMBER.match(lines[index - 1]) and lines[index - 1]
        following = next((later for later in lines[index + 1 : index + 3] if later), "")
        if (
            after_page
            and line[:1].isupper()
            and line[-1:] not in _TERMINAL
            and (_marker(following) or following[:1].islower())
        ):
            out.append("")  # a running header under the page number
            continue
        repeated = (
            line
            and counts[line] >= 2
            and len(line) <= 90
            and not _marker(line)
            and line in seen
            and index > 15
            and not line.endswith((";", "."))
        )
        if _PAGE_NUMBER.match(line) or repeated:
            out.append("")
        else:
            out.append(line)
        seen.add(line)
    return out


@dataclass
class _Line:
    """A logical line: physical lines of one paragraph or item joined."""

    text: str
    index: int  # of its first physical line
    blank_before: bool


def _wrap_width(lines: list[str]) -> int:
    lengths = sorted(len(line) for line in lines if line)
    return lengths[int(len(lengths) * 0.9)] if lengths else 0


def _logical_lines(lines: list[str]) -> list[_Line]:
    """Join the physical lines of one paragraph: a line that starts in lower case, or
    follows a line cut near the wrap width without closing punctuation, continues it
    (across a blank line or a page number, only when it starts in lower case)."""
    width = _wrap_width(lines)
    out: list[_Line] = []
    blank = True
    for index, line in enumerate(lines):
        if not line:
            blank = True
            continue
        if out and not _marker(line):
            previous = out[-1].text
            open_end = previous[-1:] not in _TERMINAL
            lower = line[:1].islower() or line[:1] in "(“\"'" and line[1:2].islower()
            # A PDF wraps at 60-100 columns; a line cut near that width goes on.
            wrapped = open_end and width >= 60 and len(lines[index - 1] if not blank else "") >= 0.75 * width
            if (lower and open_end) or (not blank and (lower or wrapped)):
                out[-1].text = f"{previous} {line}"
                blank = False
                continue
        out.append(_Line(line, index, blank))
        blank = False
    return out


# --- Outline --------------------------------------------------------------------------

# "Điều 2. Tổ chức thực hiện" of a decision.
_ARTICLE_ITEM = re.compile(r"^(?:Điều|ĐIỀU|Dieu)\s+(?P<label>\d{1,3})\s*[.:]\s*(?P<rest>.*)$")
_ROMAN_ITEM = re.compile(r"^(?P<label>[IVX]{1,6})\s*(?:\.(?!\d)|\)|[-–:](?=\s))\s*(?P<rest>.*)$")
_MULTI_ITEM = re.compile(r"^(?P<label>\d{1,2}(?:\.\d{1,2}){1,3})\.?(?=\s|$)\s*(?P<rest>.*)$")
_ARABIC_ITEM = re.compile(r"^(?P<label>\d{1,2})\s*(?:\.(?!\d)|\)(?=\s))\s*(?P<rest>.*)$")
_LETTERS = "abcdđeghiklmnopqrstuvxy"
_LETTER_ITEM = re.compile(r"^(?P<label>[a-zđ])\s*[).](?=\s)\s*(?P<rest>\S.*)$")
_BULLET_ITEM = re.compile(r"^(?P<label>[-+–—•·▪●*○■□✓])(?:\s+(?P<rest>\S.*)|(?P<glued>[\w(\"“'].*))$")
_BULLET_GROUPS = {"–": "-", "—": "-", "·": "•", "▪": "•", "●": "•", "*": "•", "■": "•", "○": "o", "□": "o"}


def _roman_value(label: str) -> int:
    values = {"I": 1, "V": 5, "X": 10}
    total = 0
    for index, char in enumerate(label):
        value = values[char]
        total += -value if index + 1 < len(label) and values[label[index + 1]] > value else value
    return total


def _marker(line: str) -> tuple[str, str, str, int] | None:
    """``(type, label, rest, value)`` of a line that opens an outline item, else None.
    Types: "roman", "multi<depth>", "arabic", "letter", "bullet<char>"."""
    if match := _ARTICLE_ITEM.match(line):
        return "article", f"Điều {match['label']}", match["rest"], int(match["label"])
    if match := _ROMAN_ITEM.match(line):
        return "roman", match["label"], match["rest"], _roman_value(match["label"])
    if match := _MULTI_ITEM.match(line):
        label = match["label"]
        if not re.match(r"^\d{1,2}\.\d{1,2}\.\d{2,4}", line):  # not a date "15.7.2020"
            return f"multi{label.count('.')}", label, match["rest"], int(label.rsplit(".", 1)[1])
    if match := _ARABIC_ITEM.match(line):
        return "arabic", match["label"], match["rest"], int(match["label"])
    if match := _LETTER_ITEM.match(line):
        return "letter", match["label"], match["rest"], _LETTERS.index(match["label"]) + 1
    if match := _BULLET_ITEM.match(line):
        char = _BULLET_GROUPS.get(match["label"], match["label"])
        return f"bullet{char}", match["label"], match["rest"] or match["glued"], 0
    return None


_HEADINGS = ("article", "roman", "arabic", "multi1", "multi2", "multi3")


@dataclass
class _Node:
    """An outline item ("section" types are numbered) or a paragraph ("text")."""

    type: str
    label: str
    text: str
    value: int = 0
    children: list["_Node"] = field(default_factory=list)
    number: str | None = None


def _outline(lines: list[_Line]) -> list[_Node]:
    """Build the outline: the first marker type met is the outermost; a type seen above
    closes the items below it; a number opens an item only if it follows its sibling
    (or is the first of its list), so that a stray "1." inside a sentence is text.
    A paragraph closes the bullets and lettered items above it and belongs to the
    nearest numbered section."""
    root = _Node("root", "", "")
    stack: list[_Node] = [root]
    for line in lines:
        marker = _marker(line.text)
        if marker is not None:
            kind, label, rest, value = marker
            types = [node.type for node in stack]
            if kind in types:
                sibling = stack[types.index(kind)]
                ordered = kind.startswith("bullet") or value == sibling.value + 1
                if not ordered:
                    marker = None
            elif not kind.startswith("bullet") and value != 1 and len(stack) > 1:
                marker = None
        if marker is None:
            folded = fold(line.text)
            closing = _CLOSING_PARAGRAPH.search(folded)
            if _CLOSING_SENTENCE.search(line.text) and not closing:
                break  # "… thông báo để các cơ quan, đơn vị biết, thực hiện./."
            text = line.text
            if closing:
                # "Giao Ban Dân tộc … theo dõi. Trong quá trình thực hiện nếu có khó khăn …"
                end = text.rfind(". ", 0, closing.start())
                if end < 0:
                    break
                text = text[: end + 1]
            node = _Node("text", "", text)
            while stack[-1].type not in ("root", *_HEADINGS):
                stack.pop()
            stack[-1].children.append(node)
            if closing:
                break
            continue
        kind, label, rest, value = marker
        types = [node.type for node in stack]
        if kind in types:
            del stack[types.index(kind) :]
        node = _Node(kind, label, rest, value)
        stack[-1].children.append(node)
        stack.append(node)
    return root.children


# --- Tasks ----------------------------------------------------------------------------

# Headings of parts that hold no tasks (aims, findings), unless they also say tasks.
_NO_TASKS = re.compile(
    r"^(?:ve )?(?:muc dich|yeu cau|muc tieu|quan diem|ket qua|danh gia|tinh hinh|can cu|pham vi|doi tuong|"
    r"nhung ton tai|ton tai|han che|nguyen nhan|thuc trang|boi canh|su can thiet|bai hoc|mot so ket qua|"
    r"nhung ket qua|ket qua dat duoc|uu diem|khuyet diem|dac diem|chi tieu|thoi gian,? dia diem|"
    r"thanh phan|kinh phi|nguon von|noi dung (?:kiem tra|giam sat|danh gia)|hinh thuc|phuong thuc|phuong phap|"
    r"thoi gian|thoi diem|ky bao cao|che do bao cao)\b"
)
_TASK_WORDS = re.compile(
    r"\b(?:nhiem vu|giai phap|to chuc thuc hien|phan cong|trach nhiem|ket luan|chi dao)\b"
)
_ASSIGNING = re.compile(r"^(?:giao|yeu cau|de nghi|phan cong|uy quyen|dong y giao|thong nhat giao)\b")
_INTRO_WORDS = re.compile(
    r"^(?:can cu|thuc hien (?:chi thi|cong van|ke hoach|nghi quyet|quyet dinh|thong bao|van ban|y kien|chi dao)|"
    r"theo (?!doi)|xet|tren co so|de (?:thuc hien|dam bao|trien khai|hoan thanh|kip thoi|tiep tuc)|nham|ngay \d)"
)
# The usual last words of a document: never a task, and nothing after them is one.
_CLOSING_PARAGRAPH = re.compile(
    r"\btrong qua trinh (?:trien khai )?thuc hien,? neu co (?:kho khan|vuong mac|phat sinh)"
    r"|\bchiu trach nhiem thi hanh\b|\bco hieu luc(?: thi hanh)? (?:ke )?tu ngay\b"
)
_CLOSING_SENTENCE = re.compile(r"\./\.\s*$")
# "(Ban hành kèm theo Quyết định số 914/QĐ-UBND …)": a plan attached to a decision
# starts after it, with an outline of its own.
_ATTACHMENT = re.compile(r"^\(?(?:ban hanh )?kem theo (?:quyet dinh|chi thi|cong van|thong bao|van ban)\b")


@dataclass
class _Context:
    matcher: _Matcher
    year: int | None
    issued_on: datetime.date | None
    sections: list[ParsedSection] = field(default_factory=list)
    tasks: list[ParsedTask] = field(default_factory=list)


def _heading_and_rest(text: str) -> tuple[str, str]:
    """ "Sở Tài chính: chủ trì …" -> ("Sở Tài chính:", "chủ trì …"); the heading part
    must be short (at most 14 words) to count."""
    head, colon, rest = text.partition(":")
    if colon and rest.strip() and len(head.split()) <= 14:
        return f"{head}{colon}", rest.strip()
    return text, ""


# An item that records a decision or a finding rather than giving work ("Thống nhất
# thông qua…", "Ghi nhận…"), unless it also gives work ("Thống nhất giao …").
_NOT_WORK = re.compile(
    r"^(?:thong nhat|dong y|ghi nhan|bieu duong|danh gia cao|chap thuan)\b(?!.*\b(?:giao|yeu cau)\b)"
)


def _is_work(text: str) -> bool:
    """Whether an item gives work: not a heading in capitals, not a decision."""
    return not text.isupper() and not _NOT_WORK.match(fold(text))


def _add_task(
    context: _Context, section: str | None, text: str, default: _Roles, source: str, parent: int | None
) -> int:
    own = _roles(text, context.matcher)
    if own.named():
        lead, cooperating, unmatched, used = own.lead, own.cooperating, own.unmatched, "task"
    else:
        lead = set(default.lead)
        cooperating = (default.cooperating | own.cooperating) - lead
        unmatched = list(default.unmatched) + [
            name for name in own.unmatched if name not in default.unmatched
        ]
        used = source if default or own else ""
    context.tasks.append(
        ParsedTask(
            section_number=section,
            text=text,
            deadline=None,
            deadline_phrase=None,
            recurrence=None,
            agency_ids=tuple(sorted(lead | cooperating)),
            parent_index=parent,
            cooperating_agency_ids=tuple(sorted(cooperating)),
            unmatched_agencies=tuple(unmatched),
            agency_source=used,
        )
    )
    _set_text(context, len(context.tasks) - 1, text)
    return len(context.tasks) - 1


def _set_text(context: _Context, index: int, text: str) -> None:
    """Give task ``index`` the text ``text`` and the deadline read from it."""
    found = _deadline(text, context.year)
    context.tasks[index] = dataclasses.replace(
        context.tasks[index],
        text=text,
        deadline=found.deadline,
        deadline_phrase=found.phrase,
        recurrence=found.recurrence,
        recurrence_day=found.recurrence_day,
        invalid_dates=found.invalid,
        deadline_before_issue=bool(
            found.deadline and context.issued_on and found.deadline < context.issued_on
        ),
    )


def _continue_task(context: _Context, index: int, text: str) -> None:
    """A paragraph that goes on with task ``index`` (it gives no work of its own): its
    words, and a deadline they give, are the task's."""
    _set_text(context, index, f"{context.tasks[index].text} {text}")


def _is_heading_like(text: str) -> bool:
    """A section's own words that only head what follows: "Sở Tài chính:", "Văn phòng
    Điều phối nông thôn mới tỉnh", "NHIỆM VỤ TRỌNG TÂM" (not a sentence ending in ".")."""
    return text.endswith(":") or text.isupper() or (len(text.split()) <= 12 and not text.endswith((".", ";")))


def _is_heading_text(text: str) -> bool:
    """A bullet that only introduces the items below it ("Sở Tài chính:", "Về vốn:")."""
    return text.endswith(":") and len(text.split()) <= 12


def _walk(
    context: _Context,
    nodes: list[_Node],
    section: str | None,
    default: _Roles,
    source: str,
    tasks_here: bool,
    parent: int | None,
    top: bool = False,
) -> None:
    """Turn the items of one level into tasks (see :func:`parse_directive`); at the
    ``top`` (outside any section) only paragraphs that assign work are tasks."""
    has_items = any(node.type != "text" for node in nodes)
    seen_item = False
    last_task: int | None = None
    for node in nodes:
        folded = fold(node.text)
        if node.type == "text":
            if (
                _CLOSING.match(folded)
                or _CLOSING_SENTENCE.search(node.text)
                or _CLOSING_PARAGRAPH.search(folded)
            ):
                return
            assigning = bool(_ASSIGNING.match(folded)) or _roles(node.text, context.matcher).named()
            if node.text.endswith(":"):
                roles = _heading_roles(node.text, context.matcher)
                if roles.lead:  # "UBND tỉnh yêu cầu các đơn vị:" names nobody new
                    default, source = roles, "heading"
                continue
            if not tasks_here or _INTRO_WORDS.match(folded) and not assigning:
                continue
            if (has_items and not seen_item or top) and not assigning:
                continue  # a lead-in paragraph before the items, or findings
            if has_items and seen_item and not assigning and last_task is not None:
                _continue_task(context, last_task, node.text)
                continue
            if _is_work(node.text):
                last_task = _add_task(context, section, node.text, default, source, parent)
            continue
        seen_item = True
        if node.type == "article" and _CLOSING_PARAGRAPH.search(folded):
            return  # "Điều 3. Chánh Văn phòng … chịu trách nhiệm thi hành Quyết định này."
        if node.type in _HEADINGS:
            number = _section_number(node, section)
            heading, rest = node.text, ""
            paragraphs = node.children and all(child.type == "text" for child in node.children)
            follow_up: list[_Node] = []
            if paragraphs and not _is_heading_like(node.text):
                # "4. Đề nghị Ngân hàng … ưu tiên vốn vay …." and paragraphs continuing it.
                follow_up, node = node.children, dataclasses.replace(node, children=[])
            if not node.children:
                heading, rest = _heading_and_rest(node.text)
            roles = _heading_roles(heading, context.matcher)
            # "1. Đánh giá kết quả" heads findings; "1. Đánh giá, phân hạng 30 sản phẩm OCOP
            # trong quý III/2020." is a task.
            eligible = tasks_here and not (
                _NO_TASKS.match(fold(heading))
                and not _TASK_WORDS.search(fold(heading))
                and (_is_heading_like(heading) or node.children)
            )
            if not tasks_here and _TASK_WORDS.match(fold(heading)) and _is_heading_like(heading):
                eligible = True
            context.sections.append(
                ParsedSection(
                    number,
                    heading,
                    tuple(sorted(roles.lead | roles.cooperating)),
                    tuple(sorted(roles.cooperating)),
                )
            )
            child_default, child_source = (roles, "heading") if roles else (default, source)
            if node.children:
                _walk(context, node.children, number, child_default, child_source, eligible, None)
            elif (
                eligible
                and (rest or not heading.endswith(":"))
                and _is_work(rest or heading)
                and (
                    node.type != "article"
                    or _ASSIGNING.match(folded)
                    or _roles(node.text, context.matcher).named()
                )
            ):
                text = rest or heading
                if rest and not roles:  # "Sở Nông nghiệp và PTNT: rà soát …" naming nobody known
                    text = node.text
                task_default = child_default if rest else default
                whole = _roles(node.text, context.matcher) if rest else None
                if whole is not None and whole.named() and whole.lead != roles.lead:
                    # "UBND các huyện: Bình Sơn, Đức Phổ đăng ký …": the colon is inside the list.
                    task_default, text = whole, node.text
                last_task = _add_task(
                    context, number, text, task_default, child_source if rest else source, None
                )
                for paragraph in follow_up:
                    if (
                        _ASSIGNING.match(fold(paragraph.text))
                        or _roles(paragraph.text, context.matcher).named()
                    ):
                        last_task = _add_task(context, number, paragraph.text, default, source, None)
                    else:
                        _continue_task(context, last_task, paragraph.text)
            continue
        # A lettered item or a bullet: a task, unless it only heads the items below it.
        if not tasks_here:
            continue
        if node.children and (
            _is_heading_text(node.text) or node.type == "letter" and node.text.endswith(":")
        ):
            roles = _heading_roles(node.text, context.matcher)
            child_default, child_source = (roles, "heading") if roles.named() else (default, source)
            _walk(context, node.children, section, child_default, child_source, True, parent)
            continue
        if not node.children and not _is_work(node.text):
            continue
        index = _add_task(context, section, node.text, default, source, parent)
        last_task = index
        if node.children:
            own = _roles(node.text, context.matcher)
            child_default = own if own.named() else default
            _walk(context, node.children, section, child_default, source, True, index)


def _section_number(node: _Node, section: str | None) -> str:
    """ "1" for "1." at the top, "II.1" for a "1." under "II.", "Điều 2.1" for a "1." under
    "Điều 2.", "2.3" for "2.3."."""
    if (node.type == "arabic" or node.type.startswith("multi")) and section and not section[0].isdigit():
        return f"{section}.{node.label}"  # "II.1", "Điều 2.1"
    return node.label


# --- Header ---------------------------------------------------------------------------

# "58/TB-UBND", "875/ UBND-NL" (folded): the number, then the symbol.
_NUMBER_AND_SYMBOL = r"(\d{1,6})\s?/\s?([a-z0-9đ]+(?:\s?[-/.]\s?[a-z0-9đ]+)*)"
_NUMBER = re.compile(r"^(?:so|so hieu)\s?:?\s?" + _NUMBER_AND_SYMBOL)
_SOURCE_NOTE = re.compile(
    r"\(?\btheo (?:cong van|thong bao|chi thi|ke hoach|quyet dinh|van ban)(?: so)?\s?:?\s?"
    + _NUMBER_AND_SYMBOL
    + r"(?:,? ngay (\d{1,2})\s?[/.-]\s?(\d{1,2})\s?[/.-]\s?(\d{4}))?"
)
_TITLE_NUMBER = re.compile(
    r"^(?:cong van|thong bao|chi thi|ke hoach|quyet dinh)(?: ket luan)? so\s?:?\s?" + _NUMBER_AND_SYMBOL
)
_PLACE_DATE = re.compile(
    r"(?:^|[,|]\s?)ngay\s?(\d{1,2})\s?(?:thang\s?(\d{1,2})\s?nam\s?(\d{4})|[/.-]\s?(\d{1,2})\s?[/.-]\s?(\d{4}))"
)
_KIND_LINE = re.compile(
    r"^(?:thong bao|chi thi|ke hoach|quyet dinh|cong van|bao cao|v ?/ ?v|ve viec|kinh gui)\b"
)


def _symbol(line: str, positions: list[int], match: re.Match) -> str:
    return re.sub(r"\s+", "", line[positions[match.start(2)] : positions[match.end(2)]])


def _header(lines: list[str]) -> tuple[str | None, datetime.date | None]:
    """The document number ("875/UBND-NL": spaces removed) and the date of issue, from
    the header lines: "Số:" (or "Số" without colon), a place-date line or a line starting
    "Ngày 06/4/2018", or a source note "(Theo Công văn số 6012/UBND-KT, ngày
    14/11/2023)" anywhere in the text; a title "Công văn số …" on the first lines."""
    number, issued_on = None, None
    head = lines[:40]
    for index, line in enumerate(head):
        folded, positions = _folded_with_map(line)
        for part_start in [0, *[m.end() for m in re.finditer(r"\|", folded)]]:
            part = folded[part_start:].lstrip(" |")
            offset = len(folded) - len(folded[part_start:].lstrip(" |"))
            if number is None and (match := _NUMBER.match(part)):
                shifted = positions[offset:]
                number = f"{match[1]}/{_symbol(line, shifted, match)}"
            if number is None and index < 6 and (match := _TITLE_NUMBER.match(part)):
                number = f"{match[1]}/{_symbol(line, positions[offset:], match)}"
        if issued_on is None and (match := _PLACE_DATE.search(folded)):
            if match[2]:
                issued_on = _date(int(match[3]), int(match[2]), int(match[1]))
            else:
                issued_on = _date(int(match[5]), int(match[4]), int(match[1]))
        if number and issued_on:
            break
    if number is None or issued_on is None:
        for line in lines:
            folded, positions = _folded_with_map(line)
            if match := _SOURCE_NOTE.search(folded):
                number = number or f"{match[1]}/{_symbol(line, positions, match)}"
                if issued_on is None and match[3]:
                    issued_on = _date(int(match[5]), int(match[4]), int(match[3]))
                break
    return number, issued_on


def _recipients_block(lines: list[_Line], matcher: _Matcher) -> tuple[_Roles, int]:
    """ "Kính gửi: …" of a công văn: the agencies it names (the default assignees) and
    the index of the first logical line after it (0 if there is none)."""
    for index, line in enumerate(lines[:30]):
        folded = fold(line.text)
        if folded.startswith("kinh gui"):
            roles = _Roles()
            texts = [line.text.partition(":")[2]]
            end = index + 1
            while (
                end < len(lines)
                and _marker(lines[end].text)
                and _marker(lines[end].text)[0].startswith("bullet")
            ):
                texts.append(lines[end].text)
                end += 1
            for text in texts:
                norm = _normalise(text)
                for mention in matcher.mentions(norm, text):
                    roles.lead.update(mention.ids)
                    if not mention.ids and mention.label:
                        roles.unmatched.append(mention.label)
            return roles, end
    return _Roles(), 0


def _body_start(lines: list[_Line]) -> int:
    """Index of the first logical line past the header (number, place-date, kind and
    summary, "V/v", "Kính gửi"): the line after the last header-looking line among the
    first twelve."""
    start = 0
    for index, line in enumerate(lines[:12]):
        folded = fold(line.text)
        if _marker(line.text) and not _KIND_LINE.match(folded):
            break
        if (
            _NUMBER.match(folded)
            or _PLACE_DATE.search(folded)
            or _KIND_LINE.match(folded)
            or line.text.isupper()
            or folded.startswith(("cong hoa xa hoi", "doc lap"))
        ):
            start = index + 1
            if _KIND_LINE.match(folded) and folded.split()[0] in ("thong", "chi", "ke", "quyet", "bao"):
                # The summary under the kind line is header too.
                start = (
                    index + 2 if index + 1 < len(lines) and not _marker(lines[index + 1].text) else index + 1
                )
    return start


# --- Entry points -------------------------------------------------------------------


def parse_directive(text: str, agencies: Sequence[AgencyRef]) -> ParsedDirective:
    """Propose the sections and tasks of a directive's text (NFC or NFD, any line endings,
    non-breaking spaces, markdown ``**bold**``/``*italic*``, text copied from a PDF).

    * ``number`` and ``issued_on``: see :func:`_header`.
    * The outline (:func:`_outline`): numbered sections "I.", "1.", "1.1."; lettered
      items "a)"; bullets "-", "+", "•", "–". Numbered sections are headings; every
      lettered item and bullet is a task (an item under another is a task too, its
      ``parent_index`` pointing at it), except one that only heads the items below it
      ("Sở Tài chính:"). A section without items yields its paragraphs as tasks (and the
      text after its heading's colon); a paragraph among items is a task if it assigns
      work ("Giao …", "Yêu cầu …", "Đề nghị …", or an agency as its subject), else it
      continues the task above it. A lead-in paragraph ending in ":" gives its agencies
      to the items after it.
    * Before the first section (or in a text without any) only items and paragraphs
      that assign work are tasks; the "Kính gửi" list is the default assignee.
    * Parts about aims, findings, results hold no tasks (:data:`_NO_TASKS`).
    * Deadlines: :func:`_deadline`; a deadline before the date of issue is flagged.
    * Agencies: :func:`_roles` on the task's own words, else the heading's.

    Never raises on odd text (an empty string gives an empty result); raises
    :class:`TypeError` if ``text`` is not a ``str``.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_directive() needs the text as a str, not {type(text).__name__}")
    physical = _physical_lines(text)
    number, issued_on = _header(physical)
    matcher = _Matcher(agencies)
    context = _Context(matcher, issued_on.year if issued_on else None, issued_on)
    attached = next((i for i, line in enumerate(physical) if _ATTACHMENT.match(fold(line))), None)
    parts = [physical] if attached is None else [physical[:attached], physical[attached + 1 :]]
    recipients = _Roles()
    for index, part in enumerate(parts):
        cut = next((i for i, line in enumerate(part) if _CLOSING.match(fold(line))), len(part))
        lines = _logical_lines(part[:cut])
        start = 0
        if index == 0:
            recipients, after_recipients = _recipients_block(lines, matcher)
            start = max(after_recipients, _body_start(lines))
        _walk_document(context, _outline(lines[start:]), recipients)
    return ParsedDirective(number, issued_on, tuple(context.sections), tuple(context.tasks))


def _walk_document(context: _Context, nodes: list[_Node], recipients: _Roles) -> None:
    """The tasks of a document's outline (or of a plan attached to a decision)."""
    if any(node.type in _HEADINGS for node in nodes):
        # The preamble holds no tasks but paragraphs that assign work.
        first = next(i for i, node in enumerate(nodes) if node.type in _HEADINGS)
        preamble = [
            node
            for node in nodes[:first]
            if node.type == "text" and _ASSIGNING.match(fold(node.text)) and not node.text.endswith(":")
        ]
        _walk(context, preamble, None, recipients, "recipients", True, None)
        _walk(context, nodes[first:], None, recipients, "recipients", True, None, top=True)
    else:
        _walk(context, nodes, None, recipients, "recipients", True, None, top=True)


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
    [{"section_number", "text", "deadline", "deadline_phrase", "recurrence",
    "recurrence_day", "agency_ids", "lead_agency_ids", "cooperating_agency_ids",
    "unmatched_agencies", "agency_source", "parent_index", "invalid_dates",
    "deadline_before_issue"}]}``, dates as ISO strings ("2020-07-17") and tuples as
    lists. ``agency_ids`` are all the agencies assigned; the roles are the parser's."""
    data = _jsonable(dataclasses.asdict(parsed))
    data["sections"] = [_with_roles(section) for section in data["sections"]]
    data["tasks"] = [_with_roles(task) for task in data["tasks"]]
    return data
