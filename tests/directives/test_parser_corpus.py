"""The directive parser against the corpus of real directive texts (issue 12, point 7):
the figures of ``bench/parser_score.py`` must not fall below the floors below, the
corpus must stay varied and its expected JSON well-formed, and the scorer itself must
count right (checked on a tiny inline document with a fake parser)."""

import datetime
import json
from types import SimpleNamespace

import pytest

from bench.parser_score import (
    DEFAULT,
    FIELDS,
    REQUIRED_KEYS,
    check_expected,
    combined_agencies,
    load_corpus,
    score_corpus,
    score_document,
    score_documents,
)

FLOORS = {
    # The figures reported on issue 12 (22 documents, 156 tasks), rounded down: the
    # parser may get better, never worse.
    "number": {"precision": 1.0, "recall": 1.0},
    "issued_on": {"precision": 1.0, "recall": 1.0},
    "issuer": {"precision": 1.0, "recall": 1.0},
    "task": {"precision": 0.99, "recall": 0.99},
    "deadline": {"precision": 1.0, "recall": 0.97},
    "recurrence_day": {"precision": 1.0, "recall": 1.0},
    "lead": {"precision": 0.99, "recall": 0.99},
    "cooperating": {"precision": 0.99, "recall": 0.97},
}
# The held-out set (bench/corpus/directives-holdout: 10 documents of 10 other provinces,
# written without reading the parser). Its first score was task recall 0.857, deadline
# recall 0.850, lead precision 0.818 (a decision with an attached plan read as nothing);
# after the general fixes it found, the figures below. Its lead precision stays under 1:
# a heading addressed to "các sở, ban, ngành" gives every department as lead (as in
# notice 58/TB-UBND), where its author left the choice to the coordinator.
HOLDOUT = DEFAULT.parent / "directives-holdout"
HOLDOUT_FLOORS = {
    "task": {"precision": 0.98, "recall": 1.0},
    "deadline": {"precision": 1.0, "recall": 1.0},
    "lead": {"precision": 0.88, "recall": 1.0},
    "cooperating": {"precision": 1.0, "recall": 1.0},
}


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


@pytest.fixture(scope="module")
def figures():
    return score_corpus()


def test_floors_cover_every_field():
    assert set(FLOORS) == set(FIELDS)


@pytest.mark.parametrize("field", sorted(FLOORS))
def test_figures_not_below_floor(figures, field):
    for measure, floor in FLOORS[field].items():
        assert figures[field][measure] >= floor, (field, measure, figures[field])


def test_corpus_is_varied(corpus):
    assert len(corpus) >= 22
    assert len({doc.expected["province"] for doc in corpus}) >= 8
    assert len({doc.expected["kind"] for doc in corpus}) >= 4
    assert sum(len(doc.expected["tasks"]) for doc in corpus) >= 100


@pytest.mark.parametrize("field", sorted(HOLDOUT_FLOORS))
def test_held_out_figures_not_below_floor(field):
    figures = score_corpus(HOLDOUT)
    for measure, floor in HOLDOUT_FLOORS[field].items():
        assert figures[field][measure] >= floor, (field, measure, figures[field])


@pytest.mark.parametrize("folder", [DEFAULT, HOLDOUT], ids=["corpus", "holdout"])
def test_every_text_has_its_json(folder):
    texts = {path.stem for path in folder.glob("*.txt")}
    jsons = {path.stem for path in folder.glob("*.json")}
    assert texts == jsons and len(texts) >= 10


@pytest.mark.parametrize(
    "path", sorted([*DEFAULT.glob("*.json"), *HOLDOUT.glob("*.json")]), ids=lambda path: path.stem
)
def test_expected_json_is_well_formed(path):
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert set(REQUIRED_KEYS) <= set(expected)
    text = path.with_suffix(".txt").read_text(encoding="utf-8")
    assert 40 <= len(text.splitlines()) <= 200
    assert check_expected(expected, text) == []


def test_per_document_breakdown(corpus):
    rows = score_documents()
    assert [row["slug"] for row in rows] == [doc.slug for doc in corpus]
    for row in rows:
        assert set(row["fields"]) == set(FIELDS)
        assert row["fields"]["task"]["expected"] >= 1


# --- The scorer itself, on a tiny document with a fake parser ------------------------

TINY = {
    "source": "inline",
    "province": "Lạng Sơn",
    "kind": "official_letter",
    "notes": "",
    "number": "12/CV-VPĐP",
    "issued_on": "2020-07-06",
    "issuer": "Văn phòng Điều phối nông thôn mới tỉnh Lạng Sơn",
    "agencies": [
        {"name": "Ủy ban nhân dân huyện Bắc Sơn", "short_name": "UBND Bắc Sơn", "kind": "district_committee"}
    ],
    "tasks": [
        {
            "key": "rà soát hồ sơ xã đạt chuẩn",
            "deadline": "2020-07-15",
            "recurrence": None,
            "recurrence_day": None,
            "lead": ["Sở Tài chính"],
            "cooperating": ["Sở Xây dựng"],
        },
        {
            "key": "báo cáo tiến độ thực hiện hằng tháng",
            "deadline": None,
            "recurrence": "monthly",
            "recurrence_day": 20,
            "lead": ["Ủy ban nhân dân huyện Bắc Sơn"],
            "cooperating": [],
        },
        {
            "key": "tuyên truyền về xây dựng nông thôn mới",
            "deadline": None,
            "recurrence": None,
            "recurrence_day": None,
            "lead": ["Sở Thông tin và Truyền thông"],
            "cooperating": [],
        },
    ],
}


def _fakes(
    tasks,
    number="12/ CV-VPĐP",
    issued_on=datetime.date(2020, 7, 6),
    issuer="VĂN PHÒNG ĐIỀU PHỐI NÔNG THÔN MỚI TỈNH LẠNG SƠN",
):
    def parse(text, refs):
        ids = {ref.name: ref.id for ref in refs}
        built = []
        for row in tasks:
            built.append(
                SimpleNamespace(
                    text=row["text"],
                    deadline=row.get("deadline"),
                    recurrence=row.get("recurrence"),
                    recurrence_day=row.get("recurrence_day"),
                    agency_ids=tuple(ids[name] for name in row.get("lead", []) + row.get("cooperating", [])),
                    cooperating_agency_ids=tuple(ids[name] for name in row.get("cooperating", [])),
                )
            )
        return SimpleNamespace(number=number, issued_on=issued_on, tasks=tuple(built))

    def metadata(text, refs):
        return SimpleNamespace(issuer=issuer)

    return parse, metadata


def test_scorer_counts_right():
    parse, metadata = _fakes(
        [
            {  # matches task 1 (case and accents folded), right deadline, lead right, cooperating wrong
                "text": "Sở Tài chính RÀ SOÁT hồ sơ xa dat chuan, xong trước ngày 15/7/2020.",
                "deadline": datetime.date(2020, 7, 15),
                "lead": ["Sở Tài chính"],
                "cooperating": ["Sở Y tế"],
            },
            {"text": "Một việc không được mong đợi.", "lead": ["Sở Xây dựng"]},
            {  # matches task 2, recurrence right but day wrong, lead missing
                "text": "UBND huyện báo cáo tiến độ   thực hiện hằng tháng.",
                "recurrence": "monthly",
                "recurrence_day": 25,
            },
        ]
    )
    score = score_document("text", TINY, parse=parse, metadata=metadata)
    t = score.tallies
    assert (t["number"].right, t["issued_on"].right, t["issuer"].right) == (1, 1, 1)
    assert (t["task"].right, t["task"].given, t["task"].expected) == (2, 3, 3)
    assert (t["deadline"].right, t["deadline"].given, t["deadline"].expected) == (2, 2, 2)
    assert (t["recurrence_day"].right, t["recurrence_day"].given, t["recurrence_day"].expected) == (0, 1, 1)
    # lead: task 1 right (1/1), task 2 none given of 1 expected, task 3 unmatched (1 expected)
    assert (t["lead"].right, t["lead"].given, t["lead"].expected) == (1, 1, 3)
    assert (t["cooperating"].right, t["cooperating"].given, t["cooperating"].expected) == (0, 1, 1)
    figures = t["task"].figures()
    assert figures == {"precision": 2 / 3, "recall": 2 / 3, "n": 3}
    assert any("tuyên truyền" in miss for miss in score.misses)
    assert any("Một việc" in miss for miss in score.misses)


def test_scorer_fails_a_wrong_header_and_no_tasks():
    parse, metadata = _fakes([], number="13/CV-VPĐP", issued_on=datetime.date(2020, 6, 7), issuer="")
    t = score_document("text", TINY, parse=parse, metadata=metadata).tallies
    assert t["number"].figures() == {"precision": 0.0, "recall": 0.0, "n": 1}
    assert t["issued_on"].right == 0
    assert t["issuer"].figures() == {"precision": 0.0, "recall": 0.0, "n": 1}
    assert t["task"].figures() == {"precision": 0.0, "recall": 0.0, "n": 3}
    assert t["lead"].figures()["recall"] == 0.0


def test_one_to_one_matching():
    """Two expected tasks whose keys both occur in one predicted task: only one matches."""
    parse, metadata = _fakes([{"text": "rà soát hồ sơ xã đạt chuẩn và báo cáo tiến độ thực hiện hằng tháng"}])
    t = score_document("text", TINY, parse=parse, metadata=metadata).tallies
    assert (t["task"].right, t["task"].given) == (1, 1)


def test_combined_agencies_substitute_the_province():
    names = {ref.name for ref in combined_agencies(TINY)}
    assert "Ủy ban nhân dân tỉnh Lạng Sơn (Chủ tịch, các Phó Chủ tịch)" in names
    assert "Ủy ban nhân dân huyện Bắc Sơn" in names
    assert "Sở Nông nghiệp và Môi trường" in names
    assert not any("Thái Nguyên" in name for name in names)
    assert "Ủy ban nhân dân huyện Định Hóa" not in names


def test_check_expected_reports_problems():
    broken = json.loads(json.dumps(TINY))
    broken["tasks"][0]["lead"] = ["Sở Không Có"]
    broken["tasks"][1]["key"] = "ngắn"
    problems = check_expected(broken, "rà soát hồ sơ xã đạt chuẩn")
    assert any("Sở Không Có" in problem for problem in problems)
    assert any("key of 1 words" in problem for problem in problems)
    assert any("not once" in problem for problem in problems)
