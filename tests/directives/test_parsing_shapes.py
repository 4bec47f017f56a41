"""The directive parser on each shape real documents take (issue 12): markers, plain
paragraphs, text copied from a PDF, header variants, deadlines, and whose agencies a
task gets. Pure: no database; the agencies are Thái Nguyên's fixture plus the 2025
successors."""

import datetime
import json
from pathlib import Path

import pytest

from directives.metadata import parse_metadata
from directives.parsing import AgencyRef, parse_directive

FIXTURES = Path(__file__).resolve().parents[2] / "accounts" / "fixtures"


def _agencies() -> list[AgencyRef]:
    rows = []
    for name in ("agencies_thai_nguyen.json", "agencies_2025.json"):
        rows += [
            row
            for row in json.loads((FIXTURES / name).read_text(encoding="utf-8"))
            if row["model"] == "accounts.agency"
        ]
    return [
        AgencyRef(index, row["fields"]["name"], row["fields"]["short_name"], row["fields"]["kind"])
        for index, row in enumerate(rows, start=1)
    ]


AGENCIES = _agencies()
BY_NAME = {agency.name: agency.id for agency in AGENCIES}
DISTRICT_COMMITTEES = {a.id for a in AGENCIES if a.kind == "district_committee"}
DEPARTMENTS = {a.id for a in AGENCIES if a.kind == "department"}
SO_TC, SO_XD, SO_YT = BY_NAME["Sở Tài chính"], BY_NAME["Sở Xây dựng"], BY_NAME["Sở Y tế"]
SO_NN = BY_NAME["Sở Nông nghiệp và Phát triển nông thôn"]
SO_NNMT = BY_NAME["Sở Nông nghiệp và Môi trường"]
SO_GTVT, SO_KHDT = BY_NAME["Sở Giao thông vận tải"], BY_NAME["Sở Kế hoạch và Đầu tư"]
VPDP = BY_NAME["Văn phòng Điều phối nông thôn mới tỉnh"]
UBND_TINH = BY_NAME["Ủy ban nhân dân tỉnh Thái Nguyên (Chủ tịch, các Phó Chủ tịch)"]
DAI_TU = BY_NAME["Ủy ban nhân dân huyện Đại Từ"]
PHU_BINH = BY_NAME["Ủy ban nhân dân huyện Phú Bình"]

HEADER = "Số: 12/TB-UBND\n\nThái Nguyên, ngày 06 tháng 7 năm 2020\n\nTHÔNG BÁO\nKết luận của Chủ tịch UBND tỉnh\n\n"
CLOSING = "\n\nNơi nhận:\n- Như trên;\n- Lưu: VT.\n"


def _parse(body: str, header: str = HEADER):
    return parse_directive(f"{header}{body}{CLOSING}", AGENCIES)


def _texts(parsed) -> list[str]:
    return [task.text for task in parsed.tasks]


def _lead(task) -> set[int]:
    return set(task.agency_ids) - set(task.cooperating_agency_ids)


# --- Markers ---------------------------------------------------------------------------


def test_lettered_items_are_tasks_each_with_its_own_lead():
    parsed = _parse(
        "1. Nhiệm vụ trọng tâm:\n"
        "a) Sở Tài chính bố trí kinh phí trước ngày 30/9/2020.\n"
        "b) Sở Xây dựng hướng dẫn thiết kế mẫu nhà văn hóa.\n"
        "c) Sở Y tế hoàn thành tiêu chí y tế trong quý III/2020."
    )
    assert [t.text[:12] for t in parsed.tasks] == ["Sở Tài chính", "Sở Xây dựng ", "Sở Y tế hoàn"]
    assert [_lead(t) for t in parsed.tasks] == [{SO_TC}, {SO_XD}, {SO_YT}]
    assert [t.deadline for t in parsed.tasks] == [
        datetime.date(2020, 9, 30),
        None,
        datetime.date(2020, 9, 30),
    ]
    assert all(t.agency_source == "task" for t in parsed.tasks)


def test_multi_level_numbers_under_roman_sections():
    parsed = _parse(
        "I. MỤC ĐÍCH, YÊU CẦU\n1. Nâng cao chất lượng các tiêu chí.\n\n"
        "II. NHIỆM VỤ, GIẢI PHÁP\n2.1. Sở Tài chính: cân đối vốn.\n2.2. Sở Xây dựng: hướng dẫn quy hoạch.\n"
    )
    # Aims hold no task; "2.1." and "2.2." under "II." are its sub-sections.
    assert [(t.section_number, _lead(t)) for t in parsed.tasks] == [("II.2.1", {SO_TC}), ("II.2.2", {SO_XD})]


@pytest.mark.parametrize("marker", ["-", "+", "•", "–"])
def test_every_bullet_marker_under_a_heading_takes_its_agencies(marker):
    parsed = _parse(f"1. Sở Y tế:\n{marker} Hướng dẫn các xã.\n{marker} Kiểm tra tiêu chí 15.")
    assert _texts(parsed) == ["Hướng dẫn các xã.", "Kiểm tra tiêu chí 15."]
    assert all(t.agency_ids == (SO_YT,) and t.agency_source == "heading" for t in parsed.tasks)


def test_sub_bullets_point_at_their_bullet():
    parsed = _parse(
        "1. Sở Y tế:\n- Rà soát tiêu chí:\n+ Nhóm xã đã đạt chuẩn.\n+ Nhóm xã chưa đạt.\n- Tổng kết."
    )
    # A short bullet ending in ":" only heads its items.
    assert _texts(parsed) == ["Nhóm xã đã đạt chuẩn.", "Nhóm xã chưa đạt.", "Tổng kết."]
    long_head = _parse(
        "1. Sở Y tế:\n- Tiến hành rà soát, đánh giá kết quả thực hiện 19 tiêu chí của toàn bộ các xã"
        " theo Bộ tiêu chí giai đoạn 2017-2020:\n+ Nhóm xã đã đạt chuẩn.\n+ Nhóm xã chưa đạt."
    )
    assert [t.parent_index for t in long_head.tasks] == [None, 0, 0]


def test_article_sections_of_a_decision():
    parsed = _parse(
        "Điều 1. Ban hành kèm theo Quyết định này Quy định cơ chế hỗ trợ.\n\n"
        "Điều 2. Tổ chức thực hiện\n1. Sở Tài chính hướng dẫn thanh quyết toán.\n"
        "2. UBND huyện Đại Từ, UBND huyện Phú Bình thí điểm cơ chế, hoàn thành trong năm 2021.\n\n"
        "Điều 3. Chánh Văn phòng UBND tỉnh, Giám đốc các sở chịu trách nhiệm thi hành Quyết định này./.",
        header=HEADER.replace("THÔNG BÁO", "QUYẾT ĐỊNH"),
    )
    assert [(t.section_number, _lead(t)) for t in parsed.tasks] == [
        ("Điều 2.1", {SO_TC}),
        ("Điều 2.2", {DAI_TU, PHU_BINH}),
    ]
    assert parsed.tasks[1].deadline == datetime.date(2021, 12, 31)


# --- Plain paragraphs ----------------------------------------------------------------------


def test_paragraphs_that_assign_work_are_tasks_without_any_bullet():
    parsed = _parse(
        "Qua kiểm tra, các xã còn thiếu hồ sơ.\n\n"
        "Giao Sở Tài chính chủ trì, phối hợp với Sở Kế hoạch và Đầu tư cân đối vốn, báo cáo UBND tỉnh"
        " trước ngày 15/7/2020.\n\n"
        "Yêu cầu UBND các huyện, thành phố, thị xã hoàn thiện hồ sơ công nhận.\n\n"
        "Đề nghị Hội Nông dân tỉnh vận động hội viên tham gia."
    )
    assert [t.text[:10] for t in parsed.tasks] == ["Giao Sở Tà", "Yêu cầu UB", "Đề nghị Hộ"]
    cement, districts, farmers = parsed.tasks
    assert (_lead(cement), set(cement.cooperating_agency_ids)) == ({SO_TC}, {SO_KHDT})
    assert cement.deadline == datetime.date(2020, 7, 15)
    assert _lead(districts) == DISTRICT_COMMITTEES
    # A body the portal lacks is shown as written, never dropped.
    assert farmers.agency_ids == () and farmers.unmatched_agencies == ("Hội Nông dân tỉnh",)


def test_a_second_paragraph_of_a_section_is_kept():
    parsed = _parse(
        "1. Văn phòng Điều phối nông thôn mới tỉnh\n"
        "Theo dõi, đôn đốc việc thực hiện thông báo này.\n"
        "Tổng hợp kết quả, báo cáo UBND tỉnh trước ngày 20/12/2020."
    )
    assert _texts(parsed) == [
        "Theo dõi, đôn đốc việc thực hiện thông báo này.",
        "Tổng hợp kết quả, báo cáo UBND tỉnh trước ngày 20/12/2020.",
    ]
    assert all(t.agency_ids == (VPDP,) for t in parsed.tasks)


def test_a_lead_in_ending_in_a_colon_gives_its_agencies_to_the_items_after_it():
    parsed = _parse(
        "Giao Sở Xây dựng thực hiện các nội dung sau:\n- Hướng dẫn quy hoạch.\n- Thẩm định thiết kế."
    )
    assert [(t.text, t.agency_ids) for t in parsed.tasks] == [
        ("Hướng dẫn quy hoạch.", (SO_XD,)),
        ("Thẩm định thiết kế.", (SO_XD,)),
    ]


def test_the_kinh_gui_list_is_the_default_assignee_of_a_cong_van():
    text = (
        "UBND TỈNH THÁI NGUYÊN\nSố 875/ UBND-NL\nV/v đẩy nhanh tiến độ xây dựng nông thôn mới\n\n"
        "Thái Nguyên, ngày 06 tháng 4 năm 2018\n\nKính gửi:\n- Sở Tài chính;\n- Sở Xây dựng.\n\n"
        "UBND tỉnh yêu cầu các đơn vị:\n- Rà soát vốn còn lại.\n- Báo cáo kết quả trước ngày 30/4/2018."
        + CLOSING
    )
    parsed = parse_directive(text, AGENCIES)
    assert parsed.number == "875/UBND-NL" and parsed.issued_on == datetime.date(2018, 4, 6)
    assert [(set(t.agency_ids), t.agency_source) for t in parsed.tasks] == [
        ({SO_TC, SO_XD}, "recipients"),
        ({SO_TC, SO_XD}, "recipients"),
    ]


def test_decisions_and_closings_are_not_tasks():
    parsed = _parse(
        "1. Thống nhất thông qua kết quả thẩm định các xã.\n"
        "2. Sở Y tế hướng dẫn hồ sơ tiêu chí 15.\n\n"
        "Yêu cầu các cơ quan, đơn vị triển khai thực hiện./."
    )
    assert _texts(parsed) == ["Sở Y tế hướng dẫn hồ sơ tiêu chí 15."]


# --- Text copied from a PDF ------------------------------------------------------------


def test_wrapped_lines_page_numbers_and_running_headers_do_not_cut_a_task():
    body = (
        "1. Sở Giao thông vận tải:\n"
        "- Chủ trì, phối hợp với UBND các huyện hướng dẫn cứng hóa đường giao thông nông\n"
        "thôn theo cơ chế hỗ trợ xi măng; tổng hợp nhu cầu xi măng năm 2021, gửi Sở Tài\n"
        "                                     2\n"
        "Thông báo kết luận cuộc họp Ban Chỉ đạo nông thôn mới tỉnh\n"
        "chính trước ngày 15/8/2020.\n"
        "- Kiểm tra chất lượng công trình giao thông đã hoàn thành."
    )
    parsed = _parse(body)
    assert len(parsed.tasks) == 2
    first = parsed.tasks[0]
    assert first.text.endswith("gửi Sở Tài chính trước ngày 15/8/2020.")
    assert "Thông báo kết luận" not in first.text and " 2 " not in first.text
    assert first.deadline == datetime.date(2020, 8, 15)
    assert _lead(first) == {SO_GTVT} and set(first.cooperating_agency_ids) == DISTRICT_COMMITTEES


# --- Header --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "number", "issued_on"),
    [
        ("Số: 58 /TB-UBND\nThái Nguyên, ngày 06 tháng 7 năm 2020\n", "58/TB-UBND", datetime.date(2020, 7, 6)),
        ("Số 875/ UBND-NL\nNgày 06/4/2018\n", "875/UBND-NL", datetime.date(2018, 4, 6)),
        (
            "Số: 15/2023/QĐ-UBND\nTiền Giang, ngày 02 tháng 8 năm 2023\n",
            "15/2023/QĐ-UBND",
            datetime.date(2023, 8, 2),
        ),
        (
            "ỦY BAN NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\n"
            "Số: 2428/QĐ-UBND | Quảng Nam, ngày 16 tháng 9 năm 2022 |\n",
            "2428/QĐ-UBND",
            datetime.date(2022, 9, 16),
        ),
        ("Quảng Ngãi, Ngày 08/4/2019\n", None, datetime.date(2019, 4, 8)),
    ],
)
def test_number_and_date_variants(header, number, issued_on):
    parsed = parse_directive(f"{header}\nTHÔNG BÁO\n\n1. Sở Y tế: kiểm tra.", AGENCIES)
    assert (parsed.number, parsed.issued_on) == (number, issued_on)


def test_a_source_note_gives_number_and_date_when_the_header_is_missing():
    text = "Yêu cầu Sở Xây dựng hướng dẫn quy hoạch.\n\n(Theo Công văn số 6012/UBND-KT, ngày 14/11/2023)"
    parsed = parse_directive(text, AGENCIES)
    assert (parsed.number, parsed.issued_on) == ("6012/UBND-KT", datetime.date(2023, 11, 14))


@pytest.mark.parametrize(
    ("header", "issuer"),
    [
        ("ỦY BAN NHÂN DÂN\nTỈNH BÌNH DƯƠNG\n-------\nSố: 245/TB-UBND\n", "Ủy ban nhân dân tỉnh Bình Dương"),
        (
            " UBND TỈNH TUYÊN QUANG           CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n   VĂN PHÒNG\n Số: 96/TB-UBND\n",
            "Văn phòng Ủy ban nhân dân tỉnh Tuyên Quang",
        ),
        (
            "UBND TỈNH KHÁNH HÒA\nSỞ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN\nSố 2150/SNN-VPĐP\n",
            "Sở Nông nghiệp và Phát triển nông thôn tỉnh Khánh Hòa",
        ),
        # No header block: from the symbol and the place.
        ("Số: 12/TB-UBND\nThái Nguyên, ngày 06 tháng 7 năm 2020\n", "Ủy ban nhân dân tỉnh Thái Nguyên"),
    ],
)
def test_issuer_from_the_header_block_or_the_symbol(header, issuer):
    assert parse_metadata(f"{header}\nTHÔNG BÁO\nVề việc thử\n\nNội dung.", AGENCIES).issuer == issuer


# --- Deadlines -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "deadline"),
    [
        ("trước ngày 15 tháng 7 năm 2020", datetime.date(2020, 7, 15)),
        ("xong trước 30/9", datetime.date(2020, 9, 30)),
        ("đến trước tháng 9.2020", datetime.date(2020, 8, 31)),
        ("đến cuối năm 2020", datetime.date(2020, 12, 31)),
        ("trong năm 2021", datetime.date(2021, 12, 31)),
        ("trong quý III/2020", datetime.date(2020, 9, 30)),
        ("chậm nhất ngày 20/8/2020", datetime.date(2020, 8, 20)),
        ("trong tháng 8/2020", datetime.date(2020, 8, 31)),
        ("trong 6 tháng cuối năm 2020", datetime.date(2020, 12, 31)),
    ],
)
def test_deadline_phrases_with_the_words_they_came_from(words, deadline):
    task = _parse(f"1. Sở Y tế:\n- Hoàn thiện hồ sơ tiêu chí y tế, {words}.").tasks[0]
    assert task.deadline == deadline
    assert task.deadline_phrase and task.deadline_phrase in task.text


def test_targets_already_set_are_not_deadlines():
    task = _parse("1. Sở Y tế:\n- Rà soát các chỉ tiêu đã đề ra trong năm 2020.").tasks[0]
    assert task.deadline is None


@pytest.mark.parametrize(
    ("words", "recurrence", "day"),
    [
        ("báo cáo kết quả trước ngày 20 hằng tháng", "monthly", 20),
        ("định kỳ hằng quý báo cáo kết quả (trước ngày 15 của tháng cuối quý)", "quarterly", 15),
        ("báo cáo kết quả thực hiện 6 tháng, năm", "semiannual", None),
        ("tham mưu phân bổ vốn hằng năm", "yearly", None),
    ],
)
def test_recurring_duties_with_their_due_day(words, recurrence, day):
    task = _parse(f"1. Sở Y tế:\n- Theo dõi, {words}.").tasks[0]
    assert (task.deadline, task.recurrence, task.recurrence_day) == (None, recurrence, day)


def test_a_deadline_before_the_date_of_issue_is_flagged():
    early, later = _parse(
        "1. Sở Y tế:\n- Báo cáo trước ngày 30/6/2020.\n- Báo cáo trước ngày 30/7/2020."
    ).tasks
    assert (early.deadline_before_issue, later.deadline_before_issue) == (True, False)


# --- Agencies ------------------------------------------------------------------------------


def test_a_tasks_own_words_win_over_its_heading():
    parsed = _parse(
        "1. Các Sở, ngành của tỉnh:\n"
        "- Sở Xây dựng chủ trì, phối hợp với Sở Tài chính hướng dẫn thiết kế mẫu.\n"
        "- Tuyên truyền về xây dựng nông thôn mới."
    )
    own, default = parsed.tasks
    assert (_lead(own), own.cooperating_agency_ids, own.agency_source) == ({SO_XD}, (SO_TC,), "task")
    assert (_lead(default), default.agency_source) == (DEPARTMENTS, "heading")


def test_the_body_a_report_goes_to_and_document_authors_are_never_assignees():
    task = _parse(
        "1. Văn phòng Điều phối nông thôn mới tỉnh:\n"
        "- Làm rõ danh mục tại Tờ trình số 168/TTr-VPĐP của Sở Nông nghiệp và PTNT, báo cáo UBND tỉnh,"
        " gửi Sở Tài chính trước ngày 15/7/2020."
    ).tasks[0]
    assert task.agency_ids == (VPDP,)
    assert UBND_TINH not in task.agency_ids and SO_TC not in task.agency_ids and SO_NN not in task.agency_ids


def test_a_heading_listing_departments_after_a_colon():
    parsed = _parse("1. Các Sở: Tài chính, Xây dựng, Kế hoạch và Đầu tư:\n- Hướng dẫn các xã.")
    assert _lead(parsed.tasks[0]) == {SO_TC, SO_XD, SO_KHDT}


def test_named_districts_after_a_colon_are_those_only():
    task = _parse("1. UBND các huyện: Đại Từ, Phú Bình đăng ký danh sách xã bổ sung.").tasks[0]
    assert _lead(task) == {DAI_TU, PHU_BINH}


def test_names_in_force_before_and_after_the_2025_reform():
    old, new = _parse(
        "1. Nhiệm vụ:\n- Sở Nông nghiệp và PTNT hướng dẫn tiêu chí thủy lợi.\n"
        "- Sở Nông nghiệp và Môi trường hướng dẫn tiêu chí môi trường."
    ).tasks
    assert (_lead(old), _lead(new)) == ({SO_NN}, {SO_NNMT})


def test_relevant_departments_are_shown_not_expanded():
    task = _parse("1. Sở Y tế chủ trì, phối hợp với các Sở, ngành liên quan kiểm tra tiêu chí 15.").tasks[0]
    assert task.agency_ids == (SO_YT,)
    assert task.unmatched_agencies == ("các Sở, ngành liên quan",)


# --- Recipients (nơi nhận) ---------------------------------------------------------------


def test_recipients_listed_after_cac_so_nganh_are_those_only():
    text = f"{HEADER}1. Sở Y tế: kiểm tra.\n\nNơi nhận:\n- Các Sở, ngành: NN&PTNT, Tài chính, Xây dựng;\n- Lưu: VT.\n"
    assert set(parse_metadata(text, AGENCIES).recipient_ids) == {SO_NN, SO_TC, SO_XD}


def test_nhu_tren_and_nhu_dieu_3_point_at_the_agencies_named_above():
    letter = (
        "UBND TỈNH THÁI NGUYÊN\nSố: 77/UBND-KT\n\nThái Nguyên, ngày 06 tháng 4 năm 2020\n\n"
        "Kính gửi:\n- Sở Tài chính;\n- Sở Xây dựng.\n\nGiao Sở Tài chính rà soát vốn.\n\n"
        "Nơi nhận:\n- Như trên;\n- Lưu: VT.\n"
    )
    meta = parse_metadata(letter, AGENCIES)
    # A công văn without "V/v" is still one: "Kính gửi" tells.
    assert (meta.kind, set(meta.recipient_ids)) == ("official_letter", {SO_TC, SO_XD})
    decision = (
        f"{HEADER.replace('THÔNG BÁO', 'QUYẾT ĐỊNH')}Điều 1. Phê duyệt kế hoạch.\n"
        "Điều 2. Giao Sở Y tế hướng dẫn.\nĐiều 3. Chánh Văn phòng UBND tỉnh, Giám đốc Sở Y tế chịu trách"
        " nhiệm thi hành Quyết định này./.\n\nNơi nhận:\n- Như Điều 3;\n- Lưu: VT.\n"
    )
    assert SO_YT in parse_metadata(decision, AGENCIES).recipient_ids
