"""Text normalisation: pure functions, no database."""

import unicodedata

from core.text import clean, fold

DONG_HY = "Đồng Hỷ"


def test_nfc_and_nfd_spellings_fold_to_the_same_key():
    assert fold(DONG_HY) == fold(unicodedata.normalize("NFD", DONG_HY)) == "dong hy"


def test_fold_drops_accents_case_and_turns_d_bar_into_d():
    assert fold("ĐẠI TỪ") == "dai tu"
    assert fold("đường") == "duong"


def test_clean_folds_non_breaking_and_doubled_spaces():
    assert clean("  Xã\u00a0 Phúc   Xuân \t") == "Xã Phúc Xuân"


def test_clean_returns_nfc():
    assert clean(unicodedata.normalize("NFD", DONG_HY)) == unicodedata.normalize("NFC", DONG_HY)
