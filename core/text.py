"""Text normalisation shared by every app: pure functions, no database.

Vietnamese text reaches the portal in several Unicode spellings: precomposed (NFC,
what Windows keyboards type), decomposed (NFD, what macOS writes into files), with
non-breaking or doubled spaces, and now and then with invisible characters pasted from
a web page or a Word file (zero-width spaces, byte-order marks, control characters).
Everything that enters is normalised with :func:`clean`; everything that is searched is
compared through :func:`fold`; names are put in Vietnamese alphabetical order with
:func:`vi_sort_key`.
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
# Between two letters or digits: dashes (spaces around them or not), any other run of
# punctuation or symbols written without spaces ("đồng.hỷ", "đồng/hỷ"), underscores.
_BETWEEN_WORDS = re.compile(rf"(?<=[^\W_])(?: ?[{_DASHES}]+ ?|[^\w\s]+|_+)(?=[^\W_])")
# Zero-width space, non-joiner, joiner, word joiner, byte-order mark: never wanted in a
# name or a search, and invisible on screen.
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
# Dropped by clean(): the zero-width characters and every control character (category Cc)
# that is not white space; white space controls (tab, newline...) become one space.
_DROPPED = {
    **dict.fromkeys(map(ord, ZERO_WIDTH)),
    **{code: None for code in [*range(0x00, 0x20), *range(0x7F, 0xA0)] if not chr(code).isspace()},
}


def nfc(value: str) -> str:
    """Return ``value`` in Unicode NFC (``"Đồng Hỷ"`` in any spelling -> one spelling)."""
    return unicodedata.normalize("NFC", value)


def clean(value: str) -> str:
    """NFC, without zero-width or control characters, with every run of white space
    (non-breaking included) folded to one space, and no leading or trailing space:
    ``" Đồng\\u00a0 Hỷ\\u200b "`` -> ``"Đồng Hỷ"``, ``"Xã\\x00 Tân"`` -> ``"Xã Tân"``."""
    return _SPACES.sub(" ", nfc(value.translate(_DROPPED))).strip()


def fold(value: str) -> str:
    """Accent- and case-insensitive search key: no diacritics, ``đ`` -> ``d``, lower
    case, single spaces, and punctuation between two words turned into a space (a dash
    even with spaces around it): ``fold("Huyện Đồng Hỷ") == "huyen dong hy"``,
    ``fold("đồng-hỷ") == fold("Đồng – Hỷ") == "dong hy"``. NFC and NFD spellings give the same key.
    Punctuation that does not join two words stays (``fold("Các Sở, ngành:") == "cac so,
    nganh:"``), and a lone ``"/"`` or ``"-"`` folds to itself: the directive parser folds
    character by character and matches on them."""
    decomposed = unicodedata.normalize("NFD", clean(value).replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _BETWEEN_WORDS.sub(" ", stripped).casefold()


# --- Vietnamese alphabetical order ---------------------------------------------------

# The Vietnamese alphabet, with the Latin letters it lacks (f, j, w, z) where Latin puts
# them, so that foreign words still sort sensibly. A letter is (base, vowel mark).
_BREVE, _CIRCUMFLEX, _HORN = "\u0306", "\u0302", "\u031b"
_ALPHABET = [
    ("a", ""), ("a", _BREVE), ("a", _CIRCUMFLEX), ("b", ""), ("c", ""), ("d", ""), ("đ", ""),
    ("e", ""), ("e", _CIRCUMFLEX), ("f", ""), ("g", ""), ("h", ""), ("i", ""), ("j", ""),
    ("k", ""), ("l", ""), ("m", ""), ("n", ""), ("o", ""), ("o", _CIRCUMFLEX), ("o", _HORN),
    ("p", ""), ("q", ""), ("r", ""), ("s", ""), ("t", ""), ("u", ""), ("u", _HORN), ("v", ""),
    ("w", ""), ("x", ""), ("y", ""), ("z", ""),
]  # fmt: skip
_LETTER_RANK = {letter: rank for rank, letter in enumerate(_ALPHABET, start=1)}
_VOWEL_MARKS = frozenset({_BREVE, _CIRCUMFLEX, _HORN})
# Tones in dictionary order: none, huyền, hỏi, ngã, sắc, nặng.
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_SPACE, _DIGITS, _LETTER, _OTHER = 0, 1, 2, 3


def vi_sort_key(text: str) -> tuple:
    """A key that puts names in Vietnamese alphabetical order (a ă â b c d đ e ê g h i k
    l m n o ô ơ p q r s t u ư v x y), letter by letter, with the tones (none, huyền,
    hỏi, ngã, sắc, nặng) compared only when the letters are equal, then capitals, then
    the text itself. Numbers compare by value ("Xóm 2" before "Xóm 10"); white space
    comes before everything, so "Xã Tân" comes before "Xã Tân Đức". A syllable's tone
    counts wherever it is written ("Hòa" and "Hoà" tie until the last key, the cleaned
    text). Any Unicode spelling gives the same key.

    ``sorted(["Xã Tân Thành", "Xã Tân Đức"], key=vi_sort_key) == ["Xã Tân Đức", "Xã Tân Thành"]``
    """
    cleaned = clean(text)
    decomposed = unicodedata.normalize("NFD", cleaned)
    letters, capitals, tones = [], [], []
    tone = 0  # of the current syllable: a syllable carries one tone, wherever it is written
    index = 0
    while index < len(decomposed):
        ch = decomposed[index]
        index += 1
        if ch.isdigit():
            end = index
            while end < len(decomposed) and decomposed[end].isdigit():
                end += 1
            number = int("".join(str(unicodedata.digit(digit)) for digit in decomposed[index - 1 : end]))
            index = end
            letters.append((_DIGITS, number))
            capitals.append(0)
            continue
        marks = []
        while index < len(decomposed) and unicodedata.combining(decomposed[index]):
            marks.append(decomposed[index])
            index += 1
        if ch == " ":
            letters.append((_SPACE, 0))
            tones.append(tone)
            tone = 0
            continue
        base = ch.lower()
        vowel_mark = next((mark for mark in marks if mark in _VOWEL_MARKS), "")
        rank = _LETTER_RANK.get((base, vowel_mark))
        letters.append((_LETTER, rank) if rank is not None else (_OTHER, ord(base)))
        capitals.append(int(ch != base))
        tone = max([tone, *(_TONE_RANK.get(mark, 0) for mark in marks)])
    tones.append(tone)
    return (tuple(letters), tuple(tones), tuple(capitals), cleaned)
