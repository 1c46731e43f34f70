"""Resolve unit names as people write them ("UBND H.Đồng Phú", "Sở Tƣ pháp", "Hơn Quản") to catalogue units."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

_TONES = "\u0300\u0301\u0303\u0309\u0323"
# "hoà"/"hòa", "thuỷ"/"thủy": both tone placements are in use; read them alike (tone on the first vowel).
_TONE_PLACEMENT = re.compile(rf"([oO])([aAeE])([{_TONES}])(?![^\W\d_])|([uU])([yY])([{_TONES}])(?![^\W\d_])")
_TITLES = re.compile(
    r"^(?:ubnd|ủy ban nhân dân|uỷ ban nhân dân|thành phố|tp\.?|thị xã|tx\.?|huyện|h\.)\s*", re.IGNORECASE
)
_SPACE = re.compile(r"\s+")
_SPACE_AFTER_DOT = re.compile(r"\.\s*")
LABEL_LENGTH = 400  # labels longer than this are folded afresh each time: a cache of them could grow large
REMEMBERED = 4096  # spellings an index remembers: it lives as long as its catalogue, uploads are without end


def _tone_first(match: re.Match[str]) -> str:
    if match.group(1):
        return match.group(1) + match.group(3) + match.group(2)
    return match.group(4) + match.group(6) + match.group(5)


def normalise(text: str) -> str:
    """NFC, ƣ→ư, one tone placement, case and spaces folded."""
    text = text.replace("ƣ", "ư").replace("Ƣ", "Ư")
    text = unicodedata.normalize("NFD", text)
    text = _TONE_PLACEMENT.sub(_tone_first, text)
    text = unicodedata.normalize("NFC", text).casefold()
    text = _SPACE_AFTER_DOT.sub(". ", text)
    return _SPACE.sub(" ", text).strip(" .")


def drop_titles(key: str) -> str:
    """Drop leading administrative titles from a normalised name ("ubnd h. đồng phú" → "đồng phú")."""
    previous = None
    while previous != key:
        previous = key
        stripped = _TITLES.sub("", key, count=1).strip()
        key = stripped if stripped else key
    return key


def fold_diacritics(key: str) -> str:
    """Remove diacritics (đ→d) for the forgiving second pass."""
    decomposed = unicodedata.normalize("NFD", key.replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def folded(text: str) -> str:
    """`normalise`, then `fold_diacritics`: how headers, labels and measures are matched.

    Remembered for labels of usual length: every upload of a template repeats the same headings and instructions."""
    return _folded(text) if len(text) <= LABEL_LENGTH else fold_diacritics(normalise(text))


@lru_cache(maxsize=REMEMBERED)
def _folded(text: str) -> str:
    return fold_diacritics(normalise(text))


def keys_of(name: str) -> set[str]:
    key = normalise(name)
    return {key, drop_titles(key)}


@dataclass(frozen=True)
class Resolution:
    code: str | None
    how: str  # "exact", "diacritics", "unknown", "ambiguous"
    candidates: tuple[str, ...] = ()

    @property
    def resolved(self) -> bool:
        return self.code is not None


@dataclass(frozen=True)
class NamedUnit:
    code: str
    name: str
    names: tuple[str, ...]  # official name, short name and aliases


class UnitIndex:
    """Every way a unit may be named, ready for the resolution rules of the product contract."""

    def __init__(self, units: Iterable[NamedUnit]):
        self.units = {u.code: u for u in units}
        self._seen: dict[str, Resolution] = {}
        self._choices: list[tuple[str, str]] | None = None  # every name folded, with its unit's code
        self._folded_choices: list[str] = []
        self._exact: dict[str, set[str]] = {}
        self._loose: dict[str, set[str]] = {}
        for unit in self.units.values():
            self._exact.setdefault(normalise(unit.code), set()).add(unit.code)
            for name in unit.names:
                for key in keys_of(name):
                    self._exact.setdefault(key, set()).add(unit.code)
                    self._loose.setdefault(fold_diacritics(key), set()).add(unit.code)

    def clashes(self) -> dict[str, set[str]]:
        """Keys that name more than one unit: the catalogue must not have any."""
        return {k: v for k, v in self._exact.items() if len(v) > 1}

    def resolve(self, text: str) -> Resolution:
        """Resolve one name; remembered, since a file repeats the same few hundred spellings."""
        found = self._seen.get(text)
        if found is None:
            if len(self._seen) >= REMEMBERED:
                self._seen.clear()
            found = self._seen[text] = self._resolve(text)
        return found

    def _resolve(self, text: str) -> Resolution:
        key = normalise(text)
        forms = [key, drop_titles(key)]
        for table, how in ((self._exact, "exact"), (self._loose, "diacritics")):
            for form in forms:
                lookup = fold_diacritics(form) if how == "diacritics" else form
                codes = table.get(lookup, set())
                if len(codes) == 1:
                    return Resolution(next(iter(codes)), how)
                if len(codes) > 1:
                    return Resolution(None, "ambiguous", tuple(sorted(self.units[c].name for c in codes)))
        return Resolution(None, "unknown", self.suggest(text))

    def suggest(self, text: str, limit: int = 3) -> tuple[str, ...]:
        """The closest official names, for an error message."""
        from rapidfuzz import fuzz, process  # only a name not found needs it: not imported by every import

        query = fold_diacritics(drop_titles(normalise(text)))
        if self._choices is None:  # folded once: a file of thousands of unknown names asks for thousands of hints
            self._choices = [
                (fold_diacritics(drop_titles(normalise(n))), code) for code, u in self.units.items() for n in u.names
            ]
            self._folded_choices = [n for n, _ in self._choices]
        names = self._choices
        best = process.extract(query, self._folded_choices, scorer=fuzz.WRatio, score_cutoff=50, limit=limit * 4)
        found: list[str] = []
        for _, _, i in best:
            name = self.units[names[i][1]].name
            if name not in found:
                found.append(name)
        return tuple(found[:limit])
