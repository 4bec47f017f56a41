"""Scorer of the directive parser (issue 12, point 7) against a corpus of real directive
texts with hand-written expectations.

The corpus is ``bench/corpus/directives/``: each ``<slug>.txt`` (the text of one
provincial directive, abridged) sits beside ``<slug>.json`` (what a careful coordinator
expects the parser to propose; its keys are checked by :func:`check_expected`). The scorer runs :func:`directives.parsing.parse_directive`
and :func:`directives.metadata.parse_metadata` on each text, with the agencies of the
generic list (the provincial rows of the Thái Nguyên fixtures, the province's name put in
place of "Thái Nguyên") plus the document's own ``agencies``, and compares.

Run by hand:

    .venv/bin/python bench/parser_score.py            # the table of figures
    .venv/bin/python bench/parser_score.py --verbose  # and the misses of each document

or from Python: ``score_corpus()`` (figures of the whole corpus), ``score_documents()``
(one breakdown per document), ``score_document(text, expected)`` (one document).

Fields and their figures (each a :class:`Tally` of ``right``, ``given``, ``expected``;
precision = right / given, recall = right / expected, n = expected):

* ``number``, ``issued_on``, ``issuer``: per document, 1 right when the parser gives the
  expected value (number without spaces, case-insensitive; issuer through ``fold``).
* ``task``: a predicted task P matches an expected task E when ``fold(E.key)`` occurs
  in ``fold(P.text)``; greedy one-to-one in reading order (each expected task, in order,
  takes the first predicted task not yet taken that contains its key).
* ``deadline``: the value of a task is its ISO deadline, or ``"every:<recurrence>"``,
  or None. right = matched pairs with equal values; given = matched predicted tasks
  with a value; expected = expected tasks with a value.
* ``recurrence_day``: likewise for the day of a recurring task (``recurrence_day`` of
  the predicted task, None when the parser has no such attribute).
* ``lead``, ``cooperating``: agency names; right = Σ |pred ∩ exp| over matched tasks,
  given = Σ |pred| over matched tasks, expected = Σ |exp| over all expected tasks.

Pure Python: imports the two parser modules and ``core.text`` only, no Django.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from core.text import fold  # noqa: E402
from directives.metadata import parse_metadata  # noqa: E402
from directives.parsing import AgencyRef, parse_directive  # noqa: E402

DEFAULT = ROOT / "bench" / "corpus" / "directives"
FIXTURES = (
    ROOT / "accounts" / "fixtures" / "agencies_thai_nguyen.json",
    ROOT / "accounts" / "fixtures" / "agencies_2025.json",
)
FIXTURE_PROVINCE = "Thái Nguyên"
GENERIC_KINDS = frozenset({"department", "coordination_office", "leadership", "steering_committee", "other"})
DOCUMENT_KINDS = frozenset(
    {"district_committee", "steering_committee", "coordination_office", "commune_committee", "other"}
)
TASK_KINDS = frozenset({"conclusion_notice", "official_letter", "directive", "plan", "decision"})
RECURRENCES = frozenset({"monthly", "quarterly", "semiannual", "yearly"})
FIELDS = ("number", "issued_on", "issuer", "task", "deadline", "recurrence_day", "lead", "cooperating")
REQUIRED_KEYS = ("source", "province", "kind", "notes", "number", "issued_on", "issuer", "agencies", "tasks")
TASK_KEYS = ("key", "deadline", "recurrence", "recurrence_day", "lead", "cooperating")


# --- Agencies ------------------------------------------------------------------------


def _fixture_rows() -> list[dict]:
    """The provincial agency rows of the fixtures (kinds of :data:`GENERIC_KINDS`,
    scope the province itself), as ``{"name", "short_name", "kind"}``, fixture order."""
    rows = []
    for path in FIXTURES:
        for row in json.loads(path.read_text(encoding="utf-8")):
            if row.get("model") != "accounts.agency":
                continue
            fields = row["fields"]
            scope = fields.get("scope") or [None]
            if fields["kind"] in GENERIC_KINDS and scope[0] == "19":
                rows.append(
                    {"name": fields["name"], "short_name": fields["short_name"], "kind": fields["kind"]}
                )
    return rows


def generic_agencies(province: str) -> list[dict]:
    """The generic list for a document of ``province``: the provincial rows of the
    fixtures with "Thái Nguyên" in name and short name replaced by ``province``."""
    return [
        {
            "name": row["name"].replace(FIXTURE_PROVINCE, province),
            "short_name": row["short_name"].replace(FIXTURE_PROVINCE, province),
            "kind": row["kind"],
        }
        for row in _fixture_rows()
    ]


def combined_agencies(expected: dict) -> list[AgencyRef]:
    """``AgencyRef``s (ids from 1, in order) of the generic list of the document's
    province followed by the document's own ``agencies``."""
    rows = generic_agencies(expected["province"]) + list(expected.get("agencies") or [])
    return [
        AgencyRef(
            id=index, name=row["name"], short_name=row.get("short_name") or row["name"], kind=row["kind"]
        )
        for index, row in enumerate(rows, start=1)
    ]


# --- Corpus --------------------------------------------------------------------------


@dataclass(frozen=True)
class Document:
    """One document of the corpus: ``slug`` (file stem), ``text``, ``expected`` (the JSON)."""

    slug: str
    text: str
    expected: dict


def load_corpus(path: Path | str = DEFAULT) -> list[Document]:
    """Every ``<slug>.txt`` of ``path`` that has a ``<slug>.json`` beside it, by slug."""
    folder = Path(path)
    documents = []
    for text_path in sorted(folder.glob("*.txt")):
        json_path = text_path.with_suffix(".json")
        if not json_path.exists():
            continue
        documents.append(
            Document(
                slug=text_path.stem,
                text=text_path.read_text(encoding="utf-8"),
                expected=json.loads(json_path.read_text(encoding="utf-8")),
            )
        )
    return documents


def _folded(value: str) -> str:
    return " ".join(fold(value).split())


def check_expected(expected: dict, text: str | None = None) -> list[str]:
    """The problems of one expected JSON ([] when well-formed): keys present, kinds and
    recurrences known, dates ISO, agency names in the combined list, task keys of 4-12
    words, unique, and (when ``text`` is given) found exactly once in the text."""
    problems = [f"missing key {key!r}" for key in REQUIRED_KEYS if key not in expected]
    if problems:
        return problems
    if expected["kind"] not in TASK_KINDS:
        problems.append(f"unknown kind {expected['kind']!r}")
    for agency in expected["agencies"]:
        if set(agency) < {"name", "short_name", "kind"}:
            problems.append(f"agency without name/short_name/kind: {agency!r}")
        elif agency["kind"] not in DOCUMENT_KINDS:
            problems.append(f"agency {agency['name']!r} of unknown kind {agency['kind']!r}")
    names = {ref.name for ref in combined_agencies(expected)}
    if len(names) != len(generic_agencies(expected["province"])) + len(expected["agencies"]):
        problems.append("an agency of the document repeats a name of the combined list")
    for key in ("issued_on",):
        if expected[key] is not None:
            try:
                datetime.date.fromisoformat(expected[key])
            except ValueError:
                problems.append(f"{key} is not an ISO date: {expected[key]!r}")
    folded_text = _folded(text) if text is not None else None
    keys = []
    for index, task in enumerate(expected["tasks"]):
        label = f"task {index + 1}"
        missing = [key for key in TASK_KEYS if key not in task]
        if missing:
            problems.append(f"{label}: missing {missing}")
            continue
        key = _folded(task["key"])
        keys.append(key)
        if not 4 <= len(key.split()) <= 12:
            problems.append(f"{label}: key of {len(key.split())} words: {task['key']!r}")
        if folded_text is not None and folded_text.count(key) != 1:
            found = folded_text.count(key)
            problems.append(f"{label}: key found {found} times in the text (not once): {task['key']!r}")
        if task["deadline"] is not None:
            try:
                datetime.date.fromisoformat(task["deadline"])
            except ValueError:
                problems.append(f"{label}: deadline not ISO: {task['deadline']!r}")
            if task["recurrence"] is not None:
                problems.append(f"{label}: both a deadline and a recurrence")
        if task["recurrence"] is not None and task["recurrence"] not in RECURRENCES:
            problems.append(f"{label}: unknown recurrence {task['recurrence']!r}")
        if task["recurrence_day"] is not None and task["recurrence"] is None:
            problems.append(f"{label}: recurrence_day without recurrence")
        for role in ("lead", "cooperating"):
            for name in task[role]:
                if name not in names:
                    problems.append(f"{label}: {role} {name!r} not in the combined list")
        if set(task["lead"]) & set(task["cooperating"]):
            problems.append(f"{label}: an agency both leads and cooperates")
        if not isinstance(task.get("unmatched", []), list):
            problems.append(f"{label}: unmatched is not a list")
    for index, key in enumerate(keys):
        others = [other for position, other in enumerate(keys) if position != index and key in other]
        if others:
            problems.append(f"task {index + 1}: key {key!r} also occurs in another task's key")
    return problems


# --- Scoring -------------------------------------------------------------------------


@dataclass
class Tally:
    """Counts of one field: ``right`` (true positives), ``given`` (what the parser
    proposed), ``expected`` (what the JSON expects)."""

    right: int = 0
    given: int = 0
    expected: int = 0

    def add(self, other: Tally) -> None:
        self.right += other.right
        self.given += other.given
        self.expected += other.expected

    def figures(self) -> dict:
        """``{"precision", "recall", "n"}``: precision 1.0 when nothing was given and
        nothing expected, 0.0 when nothing was given but something was; recall 1.0
        when nothing was expected."""
        nothing = 0.0 if self.expected else 1.0
        precision = self.right / self.given if self.given else nothing
        recall = self.right / self.expected if self.expected else 1.0
        return {"precision": precision, "recall": recall, "n": self.expected}


@dataclass
class DocumentScore:
    """The breakdown of one document: a :class:`Tally` per field of :data:`FIELDS` and
    the ``misses`` (lines "field: expected … / got …")."""

    slug: str
    tallies: dict[str, Tally] = field(default_factory=lambda: {name: Tally() for name in FIELDS})
    misses: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        """``{"slug", "fields": {field: {"right", "given", "expected", "precision",
        "recall", "n"}}, "misses": [str]}``."""
        return {
            "slug": self.slug,
            "fields": {
                name: {"right": t.right, "given": t.given, "expected": t.expected, **t.figures()}
                for name, t in self.tallies.items()
            },
            "misses": list(self.misses),
        }


def _task_value(deadline, recurrence) -> str | None:
    if deadline is not None:
        return deadline.isoformat() if isinstance(deadline, datetime.date) else str(deadline)
    if recurrence:
        return f"every:{recurrence}"
    return None


def _lead_ids(task) -> list[int]:
    if hasattr(task, "lead_agency_ids"):
        return list(task.lead_agency_ids)
    cooperating = set(task.cooperating_agency_ids)
    return [i for i in task.agency_ids if i not in cooperating]


def _single(tally: Tally, misses: list[str], name: str, expected, got, equal: bool) -> None:
    tally.expected += expected is not None and expected != ""
    tally.given += got is not None and got != ""
    if equal and got not in (None, ""):
        tally.right += 1
    elif expected not in (None, "") or got not in (None, ""):
        misses.append(f"{name}: expected {expected!r} / got {got!r}")


def _short(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def score_document(
    text: str,
    expected: dict,
    slug: str = "",
    parse: Callable = parse_directive,
    metadata: Callable = parse_metadata,
) -> DocumentScore:
    """Score one document: ``parse(text, refs)`` and ``metadata(text, refs)`` (the real
    parser by default; the tests pass fakes) against ``expected`` (the JSON dict)."""
    refs = combined_agencies(expected)
    names = {ref.id: ref.name for ref in refs}
    parsed = parse(text, refs)
    meta = metadata(text, refs)
    score = DocumentScore(slug=slug)
    t, misses = score.tallies, score.misses

    number_exp, number_got = expected.get("number"), parsed.number
    norm = lambda value: "".join(value.split()).casefold() if value else None  # noqa: E731
    _single(t["number"], misses, "number", number_exp, number_got, norm(number_exp) == norm(number_got))

    date_exp = expected.get("issued_on")
    date_got = parsed.issued_on.isoformat() if parsed.issued_on else None
    _single(t["issued_on"], misses, "issued_on", date_exp, date_got, date_exp == date_got)

    issuer_exp, issuer_got = expected.get("issuer"), (meta.issuer or None)
    same_issuer = bool(issuer_exp and issuer_got) and _folded(issuer_exp) == _folded(issuer_got)
    _single(t["issuer"], misses, "issuer", issuer_exp, issuer_got, same_issuer)

    predicted = list(parsed.tasks)
    folded_predicted = [_folded(task.text) for task in predicted]
    taken: set[int] = set()
    pairs: list[tuple[dict, object | None]] = []
    for exp in expected["tasks"]:
        key = _folded(exp["key"])
        match = next(
            (i for i, folded in enumerate(folded_predicted) if i not in taken and key in folded),
            None,
        )
        if match is not None:
            taken.add(match)
        pairs.append((exp, predicted[match] if match is not None else None))
    t["task"] = Tally(right=len(taken), given=len(predicted), expected=len(expected["tasks"]))
    for exp, got in pairs:
        if got is None:
            misses.append(f"task: expected «{exp['key']}» / got no task containing it")
    for i, task in enumerate(predicted):
        if i not in taken:
            misses.append(f"task: unexpected «{_short(task.text)}»")

    for exp, got in pairs:
        label = f"«{_short(exp['key'], 50)}»"
        value_exp = _task_value(exp.get("deadline"), exp.get("recurrence"))
        t["deadline"].expected += value_exp is not None
        day_exp = exp.get("recurrence_day")
        t["recurrence_day"].expected += day_exp is not None
        if got is not None:
            value_got = _task_value(got.deadline, got.recurrence)
            t["deadline"].given += value_got is not None
            if value_got is not None and value_got == value_exp:
                t["deadline"].right += 1
            elif value_got is not None or value_exp is not None:
                misses.append(f"deadline {label}: expected {value_exp} / got {value_got}")
            day_got = getattr(got, "recurrence_day", None)
            t["recurrence_day"].given += day_got is not None
            if day_got is not None and day_got == day_exp:
                t["recurrence_day"].right += 1
            elif day_got is not None or day_exp is not None:
                misses.append(f"recurrence_day {label}: expected {day_exp} / got {day_got}")
        for role in ("lead", "cooperating"):
            want = set(exp.get(role) or [])
            t[role].expected += len(want)
            if got is None:
                continue
            ids = _lead_ids(got) if role == "lead" else list(got.cooperating_agency_ids)
            have = {names.get(i, f"#{i}") for i in ids}
            t[role].given += len(have)
            t[role].right += len(want & have)
            if want != have:
                misses.append(f"{role} {label}: expected {sorted(want)} / got {sorted(have)}")
    return score


def score_documents(path: Path | str = DEFAULT) -> list[dict]:
    """One breakdown per document of the corpus, by slug: ``DocumentScore.as_dict()``
    (``{"slug", "fields": {field: {"right", "given", "expected", "precision",
    "recall", "n"}}, "misses": [...]}``)."""
    return [score_document(doc.text, doc.expected, slug=doc.slug).as_dict() for doc in load_corpus(path)]


def score_corpus(path: Path | str = DEFAULT) -> dict[str, dict]:
    """Figures of the whole corpus: ``{field: {"precision": float, "recall": float,
    "n": int}}`` for every field of :data:`FIELDS` (counts summed over documents)."""
    totals = {name: Tally() for name in FIELDS}
    for doc in load_corpus(path):
        score = score_document(doc.text, doc.expected, slug=doc.slug)
        for name, tally in score.tallies.items():
            totals[name].add(tally)
    return {name: tally.figures() for name, tally in totals.items()}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--verbose", "-v", action="store_true", help="print the misses of each document")
    parser.add_argument("--path", default=str(DEFAULT), help="the corpus folder")
    args = parser.parse_args(argv)
    documents = load_corpus(args.path)
    totals = {name: Tally() for name in FIELDS}
    scores = []
    for doc in documents:
        score = score_document(doc.text, doc.expected, slug=doc.slug)
        scores.append(score)
        for name, tally in score.tallies.items():
            totals[name].add(tally)
    print(f"{len(documents)} documents in {args.path}")
    print(f"{'field':<16}{'precision':>10}{'recall':>10}{'n':>7}")
    for name, tally in totals.items():
        figures = tally.figures()
        print(f"{name:<16}{figures['precision']:>10.3f}{figures['recall']:>10.3f}{figures['n']:>7}")
    if args.verbose:
        for score in scores:
            task = score.tallies["task"]
            print(f"\n== {score.slug}: tasks {task.right}/{task.expected} (parser gave {task.given})")
            for miss in score.misses:
                print(f"  {miss}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
