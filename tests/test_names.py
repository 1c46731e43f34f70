"""Resolving unit names as people write them to catalogue units, by the rules of the product contract."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dxmonitor.catalogue.loading import Catalogue
from dxmonitor.intake.names import (
    LABEL_LENGTH,
    REMEMBERED,
    NamedUnit,
    Resolution,
    UnitIndex,
    drop_titles,
    fold_diacritics,
    folded,
    normalise,
)
from dxmonitor.intake.planning import unit_index

JUNE_2022 = (date(2022, 6, 1), date(2022, 6, 30))
BASE_LETTERS = list("aăâbcdđeêghiklmnoôơpqrstuưvxy")
TONES = ["", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]  # none, huyền, sắc, ngã, hỏi, nặng
VOWELS = set("aăâeêioôơuưy")


@st.composite
def vietnamese_letter(draw: st.DrawFn) -> str:
    base = draw(st.sampled_from(BASE_LETTERS))
    tone = draw(st.sampled_from(TONES)) if base in VOWELS else ""
    letter = unicodedata.normalize("NFC", base + tone)
    return letter.upper() if draw(st.booleans()) else letter


vietnamese_words = st.lists(st.text(vietnamese_letter(), min_size=1, max_size=8), min_size=1, max_size=6)
vietnamese_names = vietnamese_words.map(" ".join)


@pytest.fixture(scope="module")
def index(catalogue: Catalogue) -> UnitIndex:
    """The names of the units in force in June 2022: Bình Phước's tree."""
    return unit_index(catalogue, JUNE_2022)


def test_normalise_folds_case_spaces_and_the_pdf_letter() -> None:
    assert normalise("  UBND  H.Đồng   Phú ") == "ubnd h. đồng phú"
    assert normalise("Sở Tƣ pháp") == "sở tư pháp"
    assert normalise("Huyện uỷ Phú Riềng") == normalise("Huyện ủy Phú Riềng") == "huyện ủy phú riềng"
    assert normalise("Văn hoá") == normalise("Văn hóa")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("ubnd h. đồng phú", "đồng phú"),
        ("ubnd tp. đồng xoài", "đồng xoài"),
        ("ủy ban nhân dân huyện lộc ninh", "lộc ninh"),
        ("uỷ ban nhân dân thành phố đồng xoài", "đồng xoài"),
        ("thị xã bình long", "bình long"),
        ("tx. phước long", "phước long"),
        ("sở tư pháp", "sở tư pháp"),
        ("huyện", "huyện"),
    ],
)
def test_drop_titles_removes_leading_administrative_titles(name: str, expected: str) -> None:
    assert drop_titles(name) == expected


def test_fold_diacritics_removes_every_mark_and_the_crossed_d() -> None:
    assert fold_diacritics("đồng phú hớn quản ưởng") == "dong phu hon quan uong"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("BP.DONG_PHU", "BP.DONG_PHU"),
        ("bp.dong_phu", "BP.DONG_PHU"),
        ("Huyện Đồng Phú", "BP.DONG_PHU"),
        ("Sở Giáo dục và Đào tạo", "BP.SO_GDDT"),
        ("Đồng Phú", "BP.DONG_PHU"),
        ("Sở GD&ĐT", "BP.SO_GDDT"),
        ("VPUBND tỉnh", "BP.VP_UBND"),
        ("Văn phòng UBND tỉnh", "BP.VP_UBND"),
        ("Toàn tỉnh", "BP"),
        ("Sở Tư pháp", "BP.SO_TP"),
        (unicodedata.normalize("NFD", "Sở Tư pháp"), "BP.SO_TP"),
        (unicodedata.normalize("NFD", "Huyện Hớn Quản"), "BP.HON_QUAN"),
        ("Sở Tƣ pháp", "BP.SO_TP"),
        ("  sở   tư PHÁP ", "BP.SO_TP"),
        ("UBND H.Đồng Phú", "BP.DONG_PHU"),
        ("UBND TP.Đồng Xoài", "BP.DONG_XOAI"),
        ("Thị xã Bình Long", "BP.BINH_LONG"),
        ("TX. Phước Long", "BP.PHUOC_LONG"),
        ("Ủy ban nhân dân huyện Lộc Ninh", "BP.LOC_NINH"),
        ("Huyện uỷ Phú Riềng", "BP.HU.PHU_RIENG"),
        ("Huyện ủy Phú Riềng", "BP.HU.PHU_RIENG"),
        ("Huyện ủy Bù Đăng", "BP.HU.BU_DANG"),
        ("UBND huyện Bù Đăng", "BP.BU_DANG"),
        ("Sở Văn hoá, Thể thao và Du lịch", "BP.SO_VHTTDL"),
    ],
)
def test_it_resolves_a_name_exactly(index: UnitIndex, text: str, code: str) -> None:
    assert index.resolve(text) == Resolution(code, "exact")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Hơn Quản", "BP.HON_QUAN"),
        ("Đông Phú", "BP.DONG_PHU"),
        ("Phú Riêng", "BP.PHU_RIENG"),
        ("UBND huyện Hơn Quản", "BP.HON_QUAN"),
        ("So Tu phap", "BP.SO_TP"),
    ],
)
def test_it_resolves_a_unique_match_ignoring_diacritics(index: UnitIndex, text: str, code: str) -> None:
    assert index.resolve(text) == Resolution(code, "diacritics")


def test_it_suggests_the_closest_official_name_for_an_unknown_unit(index: UnitIndex) -> None:
    resolution = index.resolve("Sở Giao duc")
    assert (resolution.code, resolution.how, resolution.candidates[0]) == (None, "unknown", "Sở Giáo dục và Đào tạo")
    assert len(resolution.candidates) <= 3


def test_it_refuses_a_match_ignoring_diacritics_that_names_two_units() -> None:
    index = UnitIndex(
        [
            NamedUnit("X.TAN_HOA", "Xã Tân Hòa", ("Xã Tân Hòa",)),
            NamedUnit("X.TAN_HOA_2", "Xã Tấn Hòa", ("Xã Tấn Hòa",)),
        ]
    )
    assert index.resolve("Xã Tân Hoà") == Resolution("X.TAN_HOA", "exact")
    assert index.resolve("Xa Tan Hoa") == Resolution(None, "ambiguous", ("Xã Tân Hòa", "Xã Tấn Hòa"))


def test_the_catalogue_has_no_names_that_clash(index: UnitIndex) -> None:
    assert index.clashes() == {}


@given(st.text())
def test_normalise_is_idempotent(text: str) -> None:
    assert normalise(normalise(text)) == normalise(text)


@given(st.text())
def test_normalise_reads_nfc_and_nfd_alike(text: str) -> None:
    assert normalise(unicodedata.normalize("NFD", text)) == normalise(unicodedata.normalize("NFC", text))


@given(vietnamese_names)
def test_normalise_ignores_case(name: str) -> None:
    assert normalise(name.upper()) == normalise(name.lower()) == normalise(name)


@given(vietnamese_words, st.lists(st.sampled_from([" ", "  ", "\t", "\u00a0", " \n "]), min_size=7, max_size=7))
def test_normalise_ignores_extra_spaces(words: list[str], gaps: list[str]) -> None:
    spaced = gaps[0] + "".join(word + gaps[(i % 6) + 1] for i, word in enumerate(words))
    assert normalise(spaced) == normalise(" ".join(words))


@given(vietnamese_names)
def test_folding_a_vietnamese_name_leaves_plain_letters(name: str) -> None:
    assert re.fullmatch(r"[a-z ]+", fold_diacritics(normalise(name)))


@given(text=st.text())
def test_resolve_never_fails_on_any_text(index: UnitIndex, text: str) -> None:
    resolution = index.resolve(text)
    assert resolution.how in ("exact", "diacritics", "unknown", "ambiguous")
    assert resolution.resolved == (resolution.how in ("exact", "diacritics"))


def test_the_index_of_a_catalogue_is_built_once_and_again_when_its_units_change(catalogue: Catalogue) -> None:
    kept = unit_index(catalogue)
    assert unit_index(catalogue) is kept
    other = Catalogue(catalogue.indicators, catalogue.datasets, dict(catalogue.units))
    assert unit_index(other) is not kept
    renamed = other.units["BP.DONG_PHU"].model_copy(update={"aliases": ["Đồng Phú Mới"]})
    other.units["BP.DONG_PHU"] = renamed
    assert unit_index(other).resolve("Đồng Phú Mới") == Resolution("BP.DONG_PHU", "exact")


def test_an_index_forgets_its_spellings_rather_than_grow_without_end(index: UnitIndex) -> None:
    for number in range(REMEMBERED + 10):
        index.resolve(f"BP.DONG_PHU {number}")
    assert len(index._seen) <= REMEMBERED
    assert index.resolve("UBND H.Đồng Phú") == Resolution("BP.DONG_PHU", "exact")


@given(st.text(max_size=20) | st.text(min_size=LABEL_LENGTH - 2, max_size=LABEL_LENGTH + 2))
def test_a_label_is_folded_the_same_remembered_or_not(text: str) -> None:
    assert folded(text) == folded(text) == fold_diacritics(normalise(text))


@given(vietnamese_names, st.sampled_from([("Phường", "P."), ("Xã", "X."), ("Huyện", "H."), ("Thị trấn", "TT.")]))
def test_a_title_and_its_abbreviation_name_the_same_unit_with_or_without_ubnd(
    name: str, title: tuple[str, str]
) -> None:
    full, short = title
    index = UnitIndex([NamedUnit("U", f"{full} {name}", (f"{full} {name}",))])
    for text in (f"{short} {name}", f"{short}{name}", f"UBND {full.lower()} {name}", f"Ủy ban nhân dân {short} {name}"):
        assert index.resolve(text) == Resolution("U", "exact"), text


@given(vietnamese_names)
def test_a_xa_is_never_taken_for_a_phuong_of_the_same_name(name: str) -> None:
    index = UnitIndex([NamedUnit("P", f"Phường {name}", (f"Phường {name}",))])
    assert not index.resolve(f"Xã {name}").resolved
