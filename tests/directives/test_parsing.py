"""Directive parsing (directives/parsing.py): pure functions, no database.

The reference text is notice 58/TB-UBND of 06/07/2020 (Thái Nguyên), matched against the
province's agencies from accounts/fixtures/agencies_thai_nguyen.json.
"""

import datetime
import json
import unicodedata
from pathlib import Path

import pytest

from directives.parsing import AgencyRef, ParsedDirective, parse_directive, to_json

SEED = Path(__file__).resolve().parents[2] / "directives" / "seeds" / "thong-bao-58-TB-UBND-2020.txt"
FIXTURE = Path(__file__).resolve().parents[2] / "accounts" / "fixtures" / "agencies_thai_nguyen.json"


def _agencies() -> list[AgencyRef]:
    """One AgencyRef per fixture row, id = position in the file + 1."""
    rows = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return [
        AgencyRef(index, row["fields"]["name"], row["fields"]["short_name"], row["fields"]["kind"])
        for index, row in enumerate(rows, start=1)
    ]


AGENCIES = _agencies()


def _ids(kind: str, name_filter=lambda name: True) -> set[int]:
    return {agency.id for agency in AGENCIES if agency.kind == kind and name_filter(agency.name)}


def _id(name: str) -> int:
    return next(agency.id for agency in AGENCIES if agency.name == name)


DEPARTMENTS = _ids("department")
DISTRICT_COMMITTEES = _ids("district_committee")
DISTRICT_STEERING = _ids("steering_committee", lambda name: "huyện" in name or "thành phố" in name)
PROVINCIAL_OFFICE = _id("Văn phòng Điều phối nông thôn mới tỉnh")


@pytest.fixture(scope="module")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed(seed_text) -> ParsedDirective:
    return parse_directive(seed_text, AGENCIES)


def _section_tasks(parsed: ParsedDirective, number: str):
    return [task for task in parsed.tasks if task.section_number == number]


def _notice(body: str, date_line: str = "Thái Nguyên, ngày 06 tháng 7 năm 2020") -> str:
    """A minimal notice around ``body``: number, place and date, preamble, closing."""
    preamble = f"Số: 12/TB-UBND\n\n{date_line}\n\nTHÔNG BÁO\n\nUBND tỉnh yêu cầu:"
    return f"{preamble}\n\n{body}\n\nNơi nhận:\n- Như trên;\n- Lưu: VT.\n"


def _only_task(bullet: str, date_line: str = "Thái Nguyên, ngày 06 tháng 7 năm 2020"):
    parsed = parse_directive(_notice(f"1. Sở Y tế:\n\n- {bullet}", date_line), AGENCIES)
    assert len(parsed.tasks) == 1
    return parsed.tasks[0]


# --- The fixture itself --------------------------------------------------------------


def test_fixture_has_the_expected_agency_counts():
    assert len(DEPARTMENTS) == 17
    assert len(DISTRICT_COMMITTEES) == 9
    assert len(DISTRICT_STEERING) == 9


# --- 1. The seed notice --------------------------------------------------------------


def test_seed_number_and_date(seed):
    assert seed.number == "58/TB-UBND"
    assert seed.issued_on == datetime.date(2020, 7, 6)


def test_seed_has_three_sections_with_their_headings(seed):
    assert [section.number for section in seed.sections] == ["1", "2", "3"]
    assert seed.sections[0].heading.startswith("Các Sở, ngành của tỉnh căn cứ chức năng")
    assert seed.sections[1].heading == "Văn phòng Điều phối nông thôn mới tỉnh:"
    assert seed.sections[2].heading == "UBND, BCD Chương trình xây dựng NTM các huyện, thành phố, thị xã"


def test_seed_section_1_tasks(seed):
    tasks = _section_tasks(seed, "1")
    assert len(tasks) == 3
    assert tasks[0].text.startswith("Phối hợp với UBND cấp huyện chỉ đạo")
    assert tasks[1].text.startswith("Nâng cao hiệu quả công tác tập huấn")
    assert tasks[2].text.startswith("Khẩn trương rà soát, ban hành")
    assert tasks[2].text.endswith("trước UBND, Ban Chỉ đạo tỉnh.")
    assert all(task.deadline is None and task.parent_index is None for task in tasks)


def test_seed_section_2_tasks_and_deadlines(seed):
    tasks = _section_tasks(seed, "2")
    assert len(tasks) == 3
    assert tasks[0].text.startswith("Trên cơ sở kết quả phân bổ nguồn xi măng")
    assert tasks[1].text.startswith("Về danh mục dự án phát triển sản xuất liên kết")
    assert tasks[2].text.startswith("Chủ trì, phối hợp với các cơ quan")
    assert [task.deadline for task in tasks] == [datetime.date(2020, 7, 17), datetime.date(2020, 7, 15), None]
    assert [task.deadline_phrase for task in tasks] == ["trước ngày 17/7/2020", "trước ngày 15/7/2020", None]
    # Markdown italics are dropped from the text, the parentheses kept.
    assert "(như phát huy vai trò" in tasks[1].text and "*" not in tasks[1].text


def test_seed_section_3_tasks_and_sub_bullets(seed):
    tasks = _section_tasks(seed, "3")
    assert len(tasks) == 8
    starts = [
        "Đẩy nhanh tiến độ",
        "Rà soát các mục tiêu",
        "Triển khai thực hiện hiệu quả",
        "Tiến hành rà soát, đánh giá",
        "Đối với nhóm xã được công nhận",
        "Đối với các xã đã đạt chuẩn",
        "Nâng cao chất lượng công tác",
        "Bố trí đủ đội ngũ",
    ]
    assert [task.text[: len(start)] for task, start in zip(tasks, starts, strict=True)] == starts
    review = seed.tasks.index(tasks[3])
    assert [task.parent_index for task in tasks] == [None, None, None, None, review, review, None, None]
    assert not any(task.text.startswith(("-", "+")) for task in seed.tasks)


def test_seed_agencies(seed):
    assert set(seed.sections[0].agency_ids) == DEPARTMENTS
    assert seed.sections[1].agency_ids == (PROVINCIAL_OFFICE,)
    assert set(seed.sections[2].agency_ids) == DISTRICT_COMMITTEES | DISTRICT_STEERING
    assert len(seed.sections[2].agency_ids) == 18
    # A bullet naming no agency of its own takes its heading's.
    for number, skip in (("1", {0}), ("2", {1, 2}), ("3", set())):
        section = next(s for s in seed.sections if s.number == number)
        tasks = _section_tasks(seed, number)
        assert all(task.agency_ids == section.agency_ids for i, task in enumerate(tasks) if i not in skip)
        assert all(task.agency_source == "heading" for i, task in enumerate(tasks) if i not in skip)


def test_seed_bullets_own_words_win_over_the_heading(seed):
    first, second, third = _section_tasks(seed, "1")[0], *_section_tasks(seed, "2")[1:]
    # "Phối hợp với UBND cấp huyện …" under "Các Sở, ngành": the departments lead, the
    # district committees cooperate.
    assert set(first.agency_ids) == DEPARTMENTS | DISTRICT_COMMITTEES
    assert set(first.cooperating_agency_ids) == DISTRICT_COMMITTEES
    # "Yêu cầu Văn phòng Điều phối … chủ trì, phối hợp với các Sở, ngành liên quan": the
    # office leads by its own words; "các Sở, ngành liên quan" names nobody and is shown.
    assert (second.agency_ids, second.agency_source) == ((PROVINCIAL_OFFICE,), "task")
    assert second.unmatched_agencies == ("các Sở, ngành liên quan",)
    # "Chủ trì, phối hợp với các cơ quan, đơn vị liên quan …": the heading's office leads.
    assert (third.agency_ids, third.agency_source) == ((PROVINCIAL_OFFICE,), "heading")
    assert third.unmatched_agencies == ("các cơ quan, đơn vị liên quan",)


def test_the_body_a_report_goes_to_is_never_an_assignee(seed):
    cement = _section_tasks(seed, "2")[0]
    assert "báo cáo UBND tỉnh trước ngày 17/7/2020" in cement.text
    assert cement.agency_ids == (PROVINCIAL_OFFICE,)


def test_seed_closing_is_not_tasks(seed):
    assert len(seed.tasks) == 14
    texts = " ".join(task.text for task in seed.tasks)
    assert "Trên đây là kết luận" not in texts
    assert "TT Tỉnh uỷ" not in texts and "Lưu: VT" not in texts


# --- 2. Spellings of the same text ---------------------------------------------------


def test_nfd_and_windows_line_endings_give_the_same_result(seed_text, seed):
    variant = unicodedata.normalize("NFD", seed_text).replace("\n", "\r\n")
    assert parse_directive(variant, AGENCIES) == seed


def test_non_breaking_spaces_give_the_same_result(seed_text, seed):
    assert parse_directive(seed_text.replace(" ", "\u00a0"), AGENCIES) == seed


# --- 3. Deadline spellings -----------------------------------------------------------


@pytest.mark.parametrize(
    ("bullet", "expected", "phrase"),
    [
        (
            "Báo cáo UBND tỉnh chậm nhất ngày 05/8/2020.",
            datetime.date(2020, 8, 5),
            "chậm nhất ngày 05/8/2020",
        ),
        ("Báo cáo chậm nhất là ngày 5/8/2020.", datetime.date(2020, 8, 5), "chậm nhất là ngày 5/8/2020"),
        (
            "Tổ chức tổng kết trước ngày 5 tháng 8 năm 2020.",
            datetime.date(2020, 8, 5),
            "trước ngày 5 tháng 8 năm 2020",
        ),
        ("Báo cáo, hạn chót ngày 17/7/2020.", datetime.date(2020, 7, 17), "hạn chót ngày 17/7/2020"),
        ("Rà soát xong trước 31/12/2020.", datetime.date(2020, 12, 31), "xong trước 31/12/2020"),
        ("Tổ chức hội nghị trong tháng 7/2020.", datetime.date(2020, 7, 31), "trong tháng 7/2020"),
        ("Tổ chức hội nghị trong tháng 2/2020.", datetime.date(2020, 2, 29), "trong tháng 2/2020"),
        ("Tổng kết trong quý III/2020.", datetime.date(2020, 9, 30), "trong quý III/2020"),
        ("Tổng kết quý 3 năm 2020.", datetime.date(2020, 9, 30), "quý 3 năm 2020"),
        ("Báo cáo trước 30/6.", datetime.date(2020, 6, 30), "trước 30/6"),
        ("Báo cáo trước ngày 05/07/2020.", datetime.date(2020, 7, 5), "trước ngày 05/07/2020"),
        ("Báo cáo trước ngày 31/6/2020.", None, None),
        ("Thường xuyên kiểm tra, đôn đốc các xã.", None, None),
    ],
)
def test_deadline_spellings(bullet, expected, phrase):
    task = _only_task(bullet)
    assert task.deadline == expected
    assert task.deadline_phrase == phrase
    assert task.recurrence is None


@pytest.mark.parametrize(
    ("bullet", "recurrence", "words"),
    [
        ("Báo cáo kết quả hằng tháng về Văn phòng Điều phối.", "monthly", "hằng tháng"),
        ("Báo cáo kết quả hàng tháng về Văn phòng Điều phối.", "monthly", "hàng tháng"),
        ("Báo cáo kết quả hằng quý về Văn phòng Điều phối.", "quarterly", "hằng quý"),
        ("Báo cáo trước ngày 20 hằng tháng.", "monthly", "trước ngày 20 hằng tháng"),
    ],
)
def test_recurring_tasks_have_no_deadline_but_the_words_they_came_from(bullet, recurrence, words):
    task = _only_task(bullet)
    assert (task.recurrence, task.deadline, task.deadline_phrase) == (recurrence, None, words)


def test_date_without_year_needs_the_issue_date():
    task = _only_task("Báo cáo trước 30/6.", date_line="Thái Nguyên, tháng 7 năm 2020")
    assert task.deadline is None


def test_reference_dates_are_not_deadlines():
    task = _only_task(
        "Thẩm định Tờ trình số 168/TTr-VPĐP ngày 15/6/2020 theo Quyết định số 4781/QĐ-BNN-VPĐP "
        "ngày 21/11/2017, báo cáo UBND tỉnh trước ngày 15/7/2020."
    )
    assert task.deadline == datetime.date(2020, 7, 15)
    assert _only_task("Thực hiện Quyết định số 4781/QĐ-BNN-VPĐP ngày 21/11/2017.").deadline is None


def test_explicit_day_wins_over_quarter():
    task = _only_task("Báo cáo kết quả quý II/2020 trước ngày 15/7/2020.")
    assert task.deadline == datetime.date(2020, 7, 15)


# --- 4. Agencies of a section --------------------------------------------------------


def _section_agencies(heading: str) -> set[int]:
    parsed = parse_directive(_notice(f"1. {heading}\n\n- Thực hiện nhiệm vụ."), AGENCIES)
    assert parsed.tasks[0].agency_ids == parsed.sections[0].agency_ids
    return set(parsed.sections[0].agency_ids)


def test_section_naming_several_kinds_gets_the_union():
    agencies = _section_agencies("Sở Nông nghiệp và Phát triển nông thôn, UBND các huyện, thành phố, thị xã:")
    assert agencies == {_id("Sở Nông nghiệp và Phát triển nông thôn")} | DISTRICT_COMMITTEES


def test_short_names_and_abbreviations_match():
    assert _section_agencies("Sở GTVT:") == {_id("Sở Giao thông vận tải")}
    assert _section_agencies("SỞ Y TẾ, Sở Nông nghiệp và PTNT:") == {
        _id("Sở Y tế"),
        _id("Sở Nông nghiệp và Phát triển nông thôn"),
    }
    assert _section_agencies("UBND cấp huyện:") == DISTRICT_COMMITTEES


def test_longest_name_wins():
    # "VP UBND tỉnh" contains "UBND tỉnh" (the provincial leadership): only the office matches.
    assert _section_agencies("VP UBND tỉnh:") == {_id("Văn phòng Ủy ban nhân dân tỉnh")}


def test_provincial_bodies_are_not_district_ones():
    agencies = _section_agencies("Văn phòng Điều phối NTM tỉnh, UBND các huyện, thành phố, thị xã:")
    assert agencies == {PROVINCIAL_OFFICE} | DISTRICT_COMMITTEES


# --- 5. Other shapes and odd input ---------------------------------------------------


def test_notice_without_numbered_sections_lists_its_bullets():
    parsed = parse_directive(
        _notice("- Rà soát các tiêu chí trước ngày 30/9/2020.\n+ Báo cáo kết quả.\n- Tổng kết."), AGENCIES
    )
    assert parsed.sections == ()
    assert [task.text for task in parsed.tasks] == [
        "Rà soát các tiêu chí trước ngày 30/9/2020.",
        "Báo cáo kết quả.",
        "Tổng kết.",
    ]
    assert all(task.section_number is None and task.agency_ids == () for task in parsed.tasks)
    assert [task.parent_index for task in parsed.tasks] == [None, 0, None]
    assert parsed.tasks[0].deadline == datetime.date(2020, 9, 30)


def test_notice_without_bullets_takes_the_paragraphs_that_assign_work():
    parsed = parse_directive(
        _notice("Các xã đã hoàn thành 19 tiêu chí.\n\nĐề nghị các cơ quan, đơn vị nghiên cứu, thực hiện."),
        AGENCIES,
    )
    assert parsed.number == "12/TB-UBND" and parsed.issued_on == datetime.date(2020, 7, 6)
    assert parsed.sections == ()
    assert [task.text for task in parsed.tasks] == ["Đề nghị các cơ quan, đơn vị nghiên cứu, thực hiện."]
    assert parsed.tasks[0].unmatched_agencies == ("các cơ quan, đơn vị",)


def test_section_without_bullets_yields_its_inline_text():
    body = (
        "1. **Sở Y tế**: hướng dẫn các xã hoàn thành tiêu chí y tế trước ngày 30/9/2020.\n\n2. Sở Tài chính:"
    )
    parsed = parse_directive(_notice(body), AGENCIES)
    assert [(s.number, s.heading) for s in parsed.sections] == [("1", "Sở Y tế:"), ("2", "Sở Tài chính:")]
    assert len(parsed.tasks) == 1
    task = parsed.tasks[0]
    assert task.text == "hướng dẫn các xã hoàn thành tiêu chí y tế trước ngày 30/9/2020."
    assert (task.section_number, task.agency_ids) == ("1", (_id("Sở Y tế"),))
    assert task.deadline == datetime.date(2020, 9, 30)


def test_empty_text_gives_an_empty_result():
    assert parse_directive("", AGENCIES) == ParsedDirective(None, None, (), ())
    assert parse_directive("\r\n \u00a0\n", []) == ParsedDirective(None, None, (), ())


@pytest.mark.parametrize("value", [None, b"58/TB-UBND", 58])
def test_non_str_raises_type_error(value):
    with pytest.raises(TypeError):
        parse_directive(value, AGENCIES)


# --- 6. JSON -------------------------------------------------------------------------


def test_to_json_is_serialisable_with_iso_dates(seed):
    data = to_json(seed)
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert data["number"] == "58/TB-UBND"
    assert data["issued_on"] == "2020-07-06"
    assert data["sections"][1] == {
        "number": "2",
        "heading": "Văn phòng Điều phối nông thôn mới tỉnh:",
        "agency_ids": [PROVINCIAL_OFFICE],
        "lead_agency_ids": [PROVINCIAL_OFFICE],
        "cooperating_agency_ids": [],
    }
    assert data["tasks"][3]["deadline"] == "2020-07-17"
    assert data["tasks"][3]["deadline_phrase"] == "trước ngày 17/7/2020"
    assert isinstance(data["tasks"][0]["agency_ids"], list)


# --- 7. Roman numerals, roles, dates, odd bullets (QA findings) ------------------------


SO_NN = _id("Sở Nông nghiệp và Phát triển nông thôn")
SO_TC = _id("Sở Tài chính")


@pytest.mark.parametrize("marks", [("I.", "II.", "III."), ("I -", "II -", "III -"), ("I)", "II)", "III)")])
def test_roman_numbered_sections_get_their_agencies(marks):
    body = (
        f"{marks[0]} Sở Y tế:\n\n- Hướng dẫn các xã.\n\n"
        f"{marks[1]} Sở Tài chính:\n\n- Bố trí kinh phí.\n\n"
        f"{marks[2]} UBND các huyện, thành phố, thị xã:\n\n- Rà soát tiêu chí.\n"
    )
    parsed = parse_directive(_notice(body), AGENCIES)
    assert [(s.number, s.heading) for s in parsed.sections] == [
        ("I", "Sở Y tế:"),
        ("II", "Sở Tài chính:"),
        ("III", "UBND các huyện, thành phố, thị xã:"),
    ]
    assert [task.section_number for task in parsed.tasks] == ["I", "II", "III"]
    assert parsed.tasks[0].agency_ids == (_id("Sở Y tế"),)
    assert parsed.tasks[1].agency_ids == (SO_TC,)
    assert set(parsed.tasks[2].agency_ids) == DISTRICT_COMMITTEES


def test_roman_sections_must_follow_in_order():
    body = "I. Sở Y tế:\n\n- Hướng dẫn các xã.\n\nIII. Sở Tài chính:\n\n- Bố trí kinh phí."
    parsed = parse_directive(_notice(body), AGENCIES)
    assert [s.number for s in parsed.sections] == ["I"]
    # "III." out of order is plain text, so its bullet stays in section I.
    assert [task.section_number for task in parsed.tasks] == ["I", "I"]


def test_arabic_sections_under_a_roman_section_are_its_sub_sections():
    body = (
        "I. ĐÁNH GIÁ KẾT QUẢ\n\nCác xã đã hoàn thành.\n\n"
        "II. NHIỆM VỤ TRỌNG TÂM\n\n"
        "1. Sở Y tế:\n\n- Hướng dẫn các xã.\n\n"
        "2. Sở Tài chính:\n\n- Bố trí kinh phí.\n"
    )
    parsed = parse_directive(_notice(body), AGENCIES)
    assert [s.number for s in parsed.sections] == ["I", "II", "II.1", "II.2"]
    # A section of findings holds no task; "II." followed by its sub-sections yields no
    # task of its own.
    assert [(t.section_number, t.text) for t in parsed.tasks] == [
        ("II.1", "Hướng dẫn các xã."),
        ("II.2", "Bố trí kinh phí."),
    ]
    assert parsed.tasks[1].agency_ids == (SO_TC,)


def test_sub_sections_naming_nobody_take_the_roman_sections_agencies():
    body = "I. Sở Y tế:\n\n1. Về y tế cơ sở:\n\n- Hướng dẫn các xã.\n"
    parsed = parse_directive(_notice(body), AGENCIES)
    assert parsed.tasks[0].section_number == "I.1"
    assert parsed.tasks[0].agency_ids == (_id("Sở Y tế"),)


def test_the_seed_keeps_its_roles(seed):
    assert all(section.cooperating_agency_ids == () for section in seed.sections)
    cooperating = [i for i, task in enumerate(seed.tasks) if task.cooperating_agency_ids]
    assert cooperating == [0]  # "Phối hợp với UBND cấp huyện …"
    assert all(task.invalid_dates == () for task in seed.tasks)


@pytest.mark.parametrize(
    "heading",
    [
        "Sở Nông nghiệp và PTNT chủ trì, phối hợp với Sở Tài chính:",
        "Sở Nông nghiệp và PTNT phối hợp cùng Sở Tài chính:",
        "Sở Nông nghiệp và PTNT chủ trì và phối hợp Sở Tài chính:",
        "SỞ NÔNG NGHIỆP VÀ PTNT CHỦ TRÌ, PHỐI HỢP VỚI SỞ TÀI CHÍNH:",
    ],
)
def test_agencies_after_phoi_hop_voi_cooperate(heading):
    parsed = parse_directive(_notice(f"1. {heading}\n\n- Xây dựng đề án."), AGENCIES)
    section, task = parsed.sections[0], parsed.tasks[0]
    assert section.agency_ids == task.agency_ids == tuple(sorted((SO_NN, SO_TC)))
    assert section.cooperating_agency_ids == task.cooperating_agency_ids == (SO_TC,)
    data = to_json(parsed)
    assert data["sections"][0]["lead_agency_ids"] == data["tasks"][0]["lead_agency_ids"] == [SO_NN]
    assert (
        data["sections"][0]["cooperating_agency_ids"] == data["tasks"][0]["cooperating_agency_ids"] == [SO_TC]
    )


def test_cooperating_with_all_departments_means_those_concerned():
    # "phối hợp với các Sở, ngành": the departments concerned, for the coordinator to
    # choose; shown as written, not every department ticked.
    parsed = parse_directive(
        _notice("1. Sở Tài chính chủ trì, phối hợp với các Sở, ngành:\n\n- Bố trí kinh phí."), AGENCIES
    )
    assert parsed.tasks[0].agency_ids == (SO_TC,)
    assert parsed.tasks[0].cooperating_agency_ids == ()
    assert parsed.tasks[0].unmatched_agencies == ("các Sở, ngành",)


@pytest.mark.parametrize(
    ("bullet", "expected", "phrase"),
    [
        ("Nộp báo cáo đến hết ngày 20/12/2026.", datetime.date(2026, 12, 20), "đến hết ngày 20/12/2026"),
        (
            "Hoàn thành đến hết ngày 20/12/2026.",
            datetime.date(2026, 12, 20),
            "Hoàn thành đến hết ngày 20/12/2026",
        ),
        (
            "Tổ chức kiểm tra từ ngày 01/12/2026 đến ngày 31/12/2026.",
            datetime.date(2026, 12, 31),
            "từ ngày 01/12/2026 đến ngày 31/12/2026",
        ),
        ("Báo cáo trước ngày 25/12/26.", datetime.date(2026, 12, 25), "trước ngày 25/12/26"),
        ("Báo cáo trước ngày 25/12/98.", None, None),  # 2098 is not a plausible deadline
        ("Số liệu tính đến ngày 30/6/2026.", None, None),  # an "as of" date is no deadline
    ],
)
def test_more_deadline_spellings(bullet, expected, phrase):
    task = _only_task(bullet, date_line="Thái Nguyên, ngày 02 tháng 11 năm 2026")
    assert (task.deadline, task.deadline_phrase) == (expected, phrase)


@pytest.mark.parametrize(
    ("bullet", "invalid"),
    [
        ("Báo cáo trước ngày 31/02/2027.", ("31/02/2027",)),
        ("Báo cáo trước ngày 31/6/2020.", ("31/6/2020",)),
        ("Tổng kết chậm nhất ngày 29 tháng 2 năm 2027.", ("29 tháng 2 năm 2027",)),
        ("Báo cáo trước ngày 15/13/2027.", ("15/13/2027",)),
        ("Báo cáo trước ngày 15/12/2027.", ()),
        ("Thực hiện Quyết định ngày 31/02/2017.", ()),  # not after a deadline keyword
    ],
)
def test_impossible_deadline_dates_are_reported(bullet, invalid):
    task = _only_task(bullet)
    assert task.invalid_dates == invalid
    if invalid:
        assert task.deadline is None


def test_a_valid_deadline_after_an_impossible_one_is_kept_with_the_warning():
    task = _only_task("Báo cáo trước ngày 31/02/2027, tổng kết trước ngày 15/3/2027.")
    assert task.deadline == datetime.date(2027, 3, 15)
    assert task.invalid_dates == ("31/02/2027",)


@pytest.mark.parametrize(
    "start", ["<b>Rà soát</b>", "{tên xã} báo cáo", "‹Kế hoạch›", "01 xã đạt chuẩn", "...tiếp tục"]
)
@pytest.mark.parametrize("marker", ["-", "+", "•", "–"])
def test_any_marker_and_space_then_text_is_a_bullet(marker, start):
    parsed = parse_directive(
        _notice(f"1. Sở Y tế:\n\n- Hướng dẫn các xã.\n{marker} {start} trước 30/9."), AGENCIES
    )
    assert [task.text for task in parsed.tasks] == ["Hướng dẫn các xã.", f"{start} trước 30/9."]
    assert parsed.tasks[1].deadline == datetime.date(2020, 9, 30)
    # A different marker under a bullet is an item of that bullet ("–" is "-").
    assert parsed.tasks[1].parent_index == (None if marker in "-–" else 0)
