"""The look-up form of place names, shared by the gazetteer build and its queries."""

from __future__ import annotations

import functools
import re
import unicodedata

from unidecode import unidecode

# Apostrophes, ayn/hamza letters and full stops vanish ("Qal'a" = "Qala", "U.S." = "US"); every
# other punctuation mark, dash or symbol becomes a space ("Mazar-e-Sharif" = "Mazar e Sharif").
_VANISH = "'’‘ʼʻʽʾʿ`´′."
_ASCII_TABLE = {
    c: (None if chr(c) in _VANISH else " ")
    for c in range(128)
    if not chr(c).isalnum() and chr(c) != " "
}
# Persian/Dari izafe between two words, written -e-, -i-, -ye- or -yi-: one form.
_IZAFE = frozenset({"e", "i", "ye", "yi"})
# Quick tests for the rare names that need the token loops below.
_HAS_IZAFE = re.compile(r" (?:e|i|ye|yi) ")
_HAS_SINGLE = re.compile(r"(?:^| )\w(?: |$)")
_AIRPORT_CODE = re.compile(r"[A-Z]{3}")


@functools.lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    """A non-ASCII character's search form: Latin letters lose their accents through unidecode
    (ā -> a, ł -> l, ß -> ss); punctuation, symbols and separators become a space; format
    characters (zero-width joiners) vanish; letters of other scripts stay as they are."""
    if ch in _VANISH:
        return ""
    if "LATIN" in unicodedata.name(ch, ""):
        return unidecode(ch)
    category = unicodedata.category(ch)
    if category[0] in "PZS" or category == "Cc":
        return " "
    if category == "Cf":
        return ""
    return ch


def normalise(name: str) -> str:
    """The look-up form of a place name.

    Casefolded; accents of Latin letters stripped; apostrophes and full stops dropped; other
    punctuation and dashes turned into single spaces; izafe variants unified ("Mazār-e Sharīf",
    "Mazar-i-Sharif", "Mazar-e-Sharif" -> "mazar e sharif"); a run of single letters joined
    ("U. S." -> "us"). Letters of other scripts are kept, casefolded, not transliterated
    ("Кабул" -> "кабул"), so that lossy transliterations of Arabic or Chinese names do not turn
    into spurious Latin keys.
    """
    s = name
    if not s.isascii():
        s = unicodedata.normalize("NFC", s)
        out: list[str] = []
        latin_base = True
        for ch in s:
            if ch.isascii():
                out.append(ch)
                latin_base = True
            elif unicodedata.combining(ch):
                if not latin_base:  # a mark on a Latin letter goes; Arabic or Hindi marks stay
                    out.append(ch)
            else:
                folded = _fold_char(ch)
                out.append(folded)
                latin_base = folded.isascii()
        s = "".join(out)
    s = " ".join(s.casefold().translate(_ASCII_TABLE).split())
    if _HAS_IZAFE.search(s) is None and _HAS_SINGLE.search(s) is None:
        return s
    tokens = s.split(" ")
    for i in range(1, len(tokens) - 1):
        if tokens[i] in _IZAFE:
            tokens[i] = "e"
    return " ".join(_join_initials(tokens))


def _join_initials(tokens: list[str]) -> list[str]:
    out: list[str] = []
    previous_single = False
    for token in tokens:
        single = len(token) == 1 and token.isalpha()
        if single and previous_single:
            out[-1] += token
        else:
            out.append(token)
        previous_single = single
    return out


def is_code(alternate: str) -> bool:
    """Whether a GeoNames alternate name is a three-letter code (IATA "KBL", ISO "AFG")."""
    return _AIRPORT_CODE.fullmatch(alternate) is not None
