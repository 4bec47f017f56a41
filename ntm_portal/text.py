"""Text normalisation shared by every app: pure functions, no database.

Vietnamese text reaches the portal in several Unicode spellings: precomposed (NFC,
what Windows keyboards type), decomposed (NFD, what macOS writes into files), with
non-breaking or doubled spaces. Everything that enters is normalised with
:func:`clean`; everything that is searched is compared through :func:`fold`.
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def nfc(value: str) -> str:
    """Return ``value`` in Unicode NFC (``"Đồng Hỷ"`` in any spelling -> one spelling)."""
    return unicodedata.normalize("NFC", value)


def clean(value: str) -> str:
    """NFC, with every run of white space (non-breaking included) folded to one space,
    and no leading or trailing space: ``" Đồng\\u00a0 Hỷ "`` -> ``"Đồng Hỷ"``."""
    return _SPACES.sub(" ", nfc(value)).strip()


def fold(value: str) -> str:
    """Accent- and case-insensitive search key: no diacritics, ``đ`` -> ``d``, lower
    case, single spaces. ``fold("Huyện Đồng Hỷ") == "huyen dong hy"``; NFC and NFD
    spellings give the same key."""
    decomposed = unicodedata.normalize("NFD", clean(value).replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.casefold()
