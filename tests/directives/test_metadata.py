"""The header and closing of a directive's text (directives/metadata.py): kind, summary,
issuing body, signer and recipients. Pure: agencies from the fixture, no database."""

import pytest

from directives.metadata import parse_metadata
from directives.parsing import agencies_named, parse_directive

from .test_parsing import AGENCIES, DISTRICT_COMMITTEES, DISTRICT_STEERING, PROVINCIAL_OFFICE, SEED, _id


@pytest.fixture(scope="module")
def seed_meta():
    return parse_metadata(SEED.read_text(encoding="utf-8"), AGENCIES)


def test_seed_kind_title_issuer_and_signer(seed_meta):
    assert seed_meta.kind == "conclusion_notice"
    assert seed_meta.title == (
        "Kết luận của Phó Chủ tịch UBND tỉnh Dương Văn Lượng tại Hội nghị đánh giá kết quả thực hiện "
        "Chương trình mục tiêu quốc gia xây dựng nông thôn mới 06 tháng đầu năm, triển khai nhiệm vụ "
        "06 tháng cuối năm 2020"
    )
    assert seed_meta.issuer == "Ủy ban nhân dân tỉnh Thái Nguyên"
    assert seed_meta.signer == "Luu Quang Tuấn"


def test_seed_recipients_are_the_agencies_named_under_noi_nhan(seed_meta):
    named = {
        _id("Thường trực Tỉnh ủy Thái Nguyên"),
        _id("Thường trực Hội đồng nhân dân tỉnh Thái Nguyên"),
        _id("Ủy ban nhân dân tỉnh Thái Nguyên (Chủ tịch, các Phó Chủ tịch)"),
        PROVINCIAL_OFFICE,
        _id("Đài Phát thanh - Truyền hình tỉnh Thái Nguyên"),
        _id("Báo Thái Nguyên"),
        _id("Trung tâm Thông tin tỉnh"),
        _id("Văn phòng Ủy ban nhân dân tỉnh"),
        # "Thành viên BCD các CTMTQG GD 2016-2020 tỉnh": the members of the province's BCĐ.
        _id("Ban Chỉ đạo các Chương trình mục tiêu quốc gia giai đoạn 2016-2020 tỉnh Thái Nguyên"),
    }
    assert set(seed_meta.recipient_ids) == named | DISTRICT_COMMITTEES | DISTRICT_STEERING


LETTER = """UBND TỈNH THÁI NGUYÊN
VĂN PHÒNG ĐIỀU PHỐI NTM
Số: 215/VPĐP-KH
V/v báo cáo kết quả thực hiện
Chương trình 6 tháng đầu năm 2021

Thái Nguyên, ngày 10 tháng 6 năm 2021

Kính gửi: UBND các huyện, thành phố, thị xã.

1. UBND các huyện, thành phố, thị xã; Sở Nông nghiệp và PTNT:

- Báo cáo kết quả 6 tháng, gửi chậm nhất ngày 25/6/2021.

- Cập nhật số liệu hằng tháng.

2. Sở Tài chính, Sở Kế hoạch và Đầu tư:

- Tổng hợp nguồn vốn trong tháng 7/2021.

- Theo dõi, đôn đốc giải ngân.

Nơi nhận:
- Như trên;
- Sở Tài chính;
- Lưu: VT.

KT. CHÁNH VĂN PHÒNG
PHÓ CHÁNH VĂN PHÒNG

Nguyễn Văn A
"""


def test_an_official_letter_with_sections_for_several_kinds_of_agency():
    meta = parse_metadata(LETTER, AGENCIES)
    assert meta.kind == "official_letter"
    assert meta.title == "V/v báo cáo kết quả thực hiện Chương trình 6 tháng đầu năm 2021"
    assert meta.issuer == "Văn phòng Điều phối nông thôn mới tỉnh Thái Nguyên"
    assert meta.signer == "Nguyễn Văn A"
    # "Như trên" is the "Kính gửi" list: the district committees.
    assert set(meta.recipient_ids) == {_id("Sở Tài chính")} | DISTRICT_COMMITTEES
    parsed = parse_directive(LETTER, AGENCIES)
    assert parsed.number == "215/VPĐP-KH"
    assert set(parsed.sections[0].agency_ids) == DISTRICT_COMMITTEES | {
        _id("Sở Nông nghiệp và Phát triển nông thôn")
    }
    assert set(parsed.sections[1].agency_ids) == {_id("Sở Tài chính"), _id("Sở Kế hoạch và Đầu tư")}
    assert [(t.deadline and t.deadline.isoformat(), t.recurrence) for t in parsed.tasks] == [
        ("2021-06-25", None),
        (None, "monthly"),
        ("2021-07-31", None),
        (None, None),
    ]


@pytest.mark.parametrize(
    ("kind_line", "kind"),
    [
        ("CHỈ THỊ", "directive"),
        ("QUYẾT ĐỊNH", "decision"),
        ("KẾ HOẠCH", "plan"),
        ("THÔNG BÁO", "conclusion_notice"),
    ],
)
def test_kind_lines(kind_line, kind):
    text = f"Số: 5/XX-UBND\n\nThái Nguyên, ngày 1 tháng 2 năm 2021\n\n{kind_line}\nVề việc thử nghiệm\n\nNội dung."
    meta = parse_metadata(text, AGENCIES)
    assert (meta.kind, meta.title) == (kind, "Về việc thử nghiệm")


def test_odd_text_gives_empty_metadata():
    meta = parse_metadata("", AGENCIES)
    assert (meta.kind, meta.title, meta.issuer, meta.signer, meta.recipient_ids) == (None, "", "", "", ())
    with pytest.raises(TypeError):
        parse_metadata(None, AGENCIES)


def test_agencies_named_in_a_line():
    assert agencies_named("Sở GTVT, Sở Y tế", AGENCIES) == tuple(
        sorted({_id("Sở Giao thông vận tải"), _id("Sở Y tế")})
    )
