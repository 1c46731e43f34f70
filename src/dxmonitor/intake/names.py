"""Resolve unit names as people write them ("UBND H.Đồng Phú", "Sở Tƣ pháp", "Hơn Quản") to catalogue units."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

_TONES = "\u0300\u0301\u0303\u0309\u0323"
# "hoà"/"hòa", "thuỷ"/"thủy": both tone placements are in use; read them alike (tone on the first vowel).
_TONE_PLACEMENT = re.compile(rf"([oO])([aAeE])([{_TONES}])(?![^\W\d_])|([uU])([yY])([{_TONES}])(?![^\W\d_])")
_UBND = re.compile(r"^(?:ubnd|ủy ban nhân dân|uỷ ban nhân dân)\s*")
_COUNCIL = re.compile(r"ủy ban nhân dân|uỷ ban nhân dân")
# A title says what kind of unit a name is ("Phường Bình Phước", "P. Bình Phước"): spelled out or abbreviated with a
# dot (TP and TX also without). Matched on a normalised name, where a dot is always followed by a space.
_TITLE = re.compile(r"^(?:(thành phố|thị xã|thị trấn|huyện|phường|xã) |(tp|tx|tt|h|p|x)\. |(tp|tx) )")
_TITLE_WORDS = {"tp": "thành phố", "tx": "thị xã", "tt": "thị trấn", "h": "huyện", "p": "phường", "x": "xã"}
# Titles that stand for one another: a district-level unit is named "huyện", "thị xã" or "thành phố" loosely, while a
# "xã", a "phường" and a "thị trấn" of one name are different units (the 2025 tree has both kinds side by side).
_RANK = {"thành phố": "district", "thị xã": "district", "huyện": "district"}
_MARKS = re.compile(r"\s*[&,\-]\s*")  # "sở kh&cn", "sở kh - cn", "sở vh, tt & dl": one abbreviation
_AMPERSAND = re.compile(r"\s*&\s*")  # "sở khoa học & công nghệ"
_QUALIFIER = re.compile(r"\s*\([^()]*\)$")  # "xã tân tiến (huyện bù đốp)": the old district, for old names
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


def _title(key: str) -> tuple[str, str] | None:
    """ "p. bình phước" → ("phường", "bình phước"); None for a name without a title, or with nothing after it."""
    match = _TITLE.match(key + " ")
    if match is None or len(key) <= match.end():
        return None
    word = match.group(1) or match.group(2) or match.group(3)
    return _TITLE_WORDS.get(word, word), key[match.end() :]


def _without_ubnd(key: str) -> str:
    previous = None
    while previous != key:
        previous = key
        key = _UBND.sub("", key, count=1).strip() or key
    return key


def drop_titles(key: str) -> str:
    """Drop leading administrative titles from a normalised name ("ubnd h. đồng phú" → "đồng phú")."""
    previous = None
    while previous != key:
        previous = key
        key = _without_ubnd(key)
        titled = _title(key)
        key = titled[1] if titled else key
    return key


Shape = tuple[tuple[str, ...], str, str | None]  # the keys of a name, its name without title, the rank of its title


def _shape(key: str) -> Shape:
    """The keys a normalised name is found by (as written, without UBND, its title spelled out, the spellings of an
    abbreviation), its name without its title, and the rank of that title (None without one)."""
    plain = _without_ubnd(key)
    titled = _title(plain)
    spelled = f"{titled[0]} {titled[1]}" if titled else plain
    forms = [key, _COUNCIL.sub("ubnd", key), plain, spelled]
    forms += [_MARKS.sub("", f) for f in forms] + [_AMPERSAND.sub(" và ", f) for f in forms]
    rank = _RANK.get(titled[0], titled[0]) if titled else None
    return tuple(dict.fromkeys(forms)), titled[1] if titled else plain, rank


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
    """Every key a name is found by: as written, without UBND, with its title spelled out, and the spellings of an
    abbreviation ("Sở KH&CN", "Sở KH - CN", "Sở KHCN")."""
    return set(_shape(normalise(name))[0])


@dataclass(frozen=True)
class Resolution:
    code: str | None
    how: str  # "exact", "diacritics", "unknown", "ambiguous", "elsewhere", "former"
    candidates: tuple[str, ...] = ()  # names: the closest (unknown), the units meant (ambiguous), the old ones (former)
    # The units meant: of another tree than the index's (elsewhere), or, aligned with `candidates`, the units each old
    # name now belongs to (former). Not compared: what a resolution says is its code, how and candidates.
    codes: tuple[str, ...] = field(default=(), compare=False)

    @property
    def resolved(self) -> bool:
        return self.code is not None


@dataclass(frozen=True)
class NamedUnit:
    code: str
    name: str
    names: tuple[str, ...]  # official name, short name and aliases


class _Table:
    """Names, each with what it stands for (a unit's code), found by any of their keys, then by their name without
    title among those of a title of the same rank (without a title: among all)."""

    def __init__(self, fold: bool):
        self.fold = fold  # the forgiving table: every key without diacritics
        self.exact: dict[str, set[str]] = {}
        self.bare: dict[str, dict[str | None, set[str]]] = {}

    def _key(self, key: str) -> str:
        return fold_diacritics(key) if self.fold else key

    def add(self, shape: Shape, target: str) -> None:
        forms, rest, rank = shape
        for form in forms:
            self.exact.setdefault(self._key(form), set()).add(target)
        if rank is not None:
            self.bare.setdefault(self._key(rest), {}).setdefault(rank, set()).add(target)

    def find(self, shape: Shape) -> set[str]:
        forms, rest, rank = shape
        for form in forms:
            found = self.exact.get(self._key(form))
            if found:
                return found
        by_rank = self.bare.get(self._key(rest), {})
        if rank is not None:
            return by_rank.get(rank, set())
        return set().union(*by_rank.values())

    def clashes(self) -> dict[str, set[str]]:
        found = {k: v for k, v in self.exact.items() if len(v) > 1}
        for rest, by_rank in self.bare.items():
            for rank, targets in by_rank.items():
                if len(targets) > 1:
                    found[f"{rank} {rest}"] = targets
        return found


class _Names:
    """A `_Table` and its forgiving twin."""

    def __init__(self) -> None:
        self.tables = (_Table(fold=False), _Table(fold=True))

    def add(self, name: str, target: str) -> None:
        shape = _shape(normalise(name))
        for table in self.tables:
            table.add(shape, target)

    def find(self, text: str) -> tuple[set[str], str]:
        """What `text` stands for and how it was found ("exact", "diacritics"); nothing, and "", when not found."""
        shape = _shape(normalise(text))
        for table, how in zip(self.tables, ("exact", "diacritics"), strict=True):
            found = table.find(shape)
            if found:
                return found, how
        return set(), ""


class UnitIndex:
    """Every way a unit may be named, ready for the resolution rules of the product contract.

    `units` are the units that may be named (those of one tree); a name of one of `others` (another tree's units)
    resolves to none but says which it names, and so does an old name in `former` ((old name, the unit's code it now
    belongs to) pairs): the message can then name the units that took over."""

    def __init__(
        self, units: Iterable[NamedUnit], others: Iterable[NamedUnit] = (), former: Iterable[tuple[str, str]] = ()
    ):
        self.units = {u.code: u for u in units}
        self._seen: dict[str, Resolution] = {}
        self._choices: list[tuple[str, str]] | None = None  # every name folded, with its unit's code
        self._folded_choices: list[str] = []
        self._names = _Names()
        for unit in self.units.values():
            self._names.add(unit.code, unit.code)
            for name in unit.names:
                self._names.add(name, unit.code)
        self.others = {u.code: u for u in others}
        self._other_names = _Names()
        for unit in self.others.values():
            self._other_names.add(unit.code, unit.code)
            for name in unit.names:
                self._other_names.add(name, unit.code)
        self.former = list(dict.fromkeys(former))
        self._former_names = _Names()
        for i, (old, _) in enumerate(self.former):
            self._former_names.add(old, str(i))
            self._former_names.add(_QUALIFIER.sub("", old), str(i))

    def clashes(self) -> dict[str, set[str]]:
        """Keys that name more than one unit: the units of one tree must not have any."""
        return self._names.tables[0].clashes()

    def resolve(self, text: str) -> Resolution:
        """Resolve one name; remembered, since a file repeats the same few hundred spellings."""
        found = self._seen.get(text)
        if found is None:
            if len(self._seen) >= REMEMBERED:
                self._seen.clear()
            found = self._seen[text] = self._resolve(text)
        return found

    def _resolve(self, text: str) -> Resolution:
        codes, how = self._names.find(text)
        if len(codes) == 1:
            return Resolution(next(iter(codes)), how)
        if codes:
            return Resolution(None, "ambiguous", tuple(sorted(self.units[c].name for c in codes)))
        codes, _ = self._other_names.find(text)
        if codes:
            ordered = tuple(c for c in self.others if c in codes)
            return Resolution(None, "elsewhere", tuple(self.others[c].name for c in ordered), ordered)
        found, _ = self._former_names.find(text)
        if found:
            pairs = [self.former[int(i)] for i in sorted(found, key=int)]
            return Resolution(None, "former", tuple(old for old, _ in pairs), tuple(code for _, code in pairs))
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
