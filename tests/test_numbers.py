"""Reading figures written the Vietnamese way ("1.767", "92,36%") or plainly ("1767", "92.36")."""

from __future__ import annotations

from decimal import Decimal

import pytest
from babel.numbers import format_decimal
from hypothesis import given
from hypothesis import strategies as st

from dxmonitor.intake.numbers import NumberError, Reading, parse_number, quick_number


def read(raw: object, kind: str) -> tuple[Decimal | None, bool]:
    """The value read and whether it came with an ambiguity note."""
    reading = parse_number(raw, kind)  # type: ignore[arg-type]
    return reading.value, reading.ambiguous


@pytest.mark.parametrize(
    ("raw", "kind", "expected"),
    [
        ("1.767", "count", Decimal("1767")),
        ("92,36%", "percent", Decimal("92.36")),
        ("41.250.000", "amount", Decimal("41250000")),
        ("1.234,5", "percent", Decimal("1234.5")),
        ("6.156.783", "count", Decimal("6156783")),
        ("100%", "percent", Decimal("100")),
        ("0,5", "percent", Decimal("0.5")),
    ],
)
def test_it_reads_vietnamese_figures(raw: str, kind: str, expected: Decimal) -> None:
    assert read(raw, kind) == (expected, False)


@pytest.mark.parametrize(
    ("raw", "kind", "expected"),
    [
        ("1767", "count", Decimal("1767")),
        ("92.36", "percent", Decimal("92.36")),
        ("0", "count", Decimal("0")),
        ("41250000", "amount", Decimal("41250000")),
    ],
)
def test_it_reads_plain_figures(raw: str, kind: str, expected: Decimal) -> None:
    assert read(raw, kind) == (expected, False)


@pytest.mark.parametrize(
    ("raw", "kind", "expected"),
    [
        ("130,970,001", "count", Decimal("130970001")),
        ("1,234.5", "percent", Decimal("1234.5")),
        ("41,250,000", "amount", Decimal("41250000")),
    ],
)
def test_it_reads_figures_grouped_with_commas(raw: str, kind: str, expected: Decimal) -> None:
    assert read(raw, kind) == (expected, False)


@pytest.mark.parametrize(
    ("raw", "kind", "expected"),
    [
        ("29,762", "count", (Decimal("29762"), True)),
        ("1.080", "percent", (Decimal("1.08"), True)),
        ("1.080", "count", (Decimal("1080"), False)),
        ("92,360", "percent", (Decimal("92.36"), False)),
        ("29,762", "amount", (Decimal("29762"), True)),
    ],
)
def test_it_resolves_one_separator_before_three_digits_by_the_kind_of_indicator(
    raw: str, kind: str, expected: tuple[Decimal, bool]
) -> None:
    assert read(raw, kind) == expected


def test_it_explains_an_ambiguous_figure_in_both_languages() -> None:
    assert parse_number("29,762", "count") == Reading(
        Decimal("29762"),
        note_vi="'29,762' có thể hiểu hai cách; vì chỉ tiêu là số đếm nên đã đọc là 29762",
        note_en="'29,762' is ambiguous; read as 29762 because the indicator is a count",
    )


@pytest.mark.parametrize("raw", ["", "-", "   ", None, "–", "x"])
def test_it_reads_a_blank_cell_as_no_value(raw: object) -> None:
    assert parse_number(raw, "count") == Reading(None)


@pytest.mark.parametrize(
    ("raw", "kind", "expected"),
    [
        ("-5", "count", Decimal("-5")),
        ("-1.767", "count", Decimal("-1767")),
        ("-3,4%", "percent", Decimal("-3.4")),
        ("−3,4", "percent", Decimal("-3.4")),
    ],
)
def test_it_reads_negative_figures(raw: str, kind: str, expected: Decimal) -> None:
    assert read(raw, kind) == (expected, False)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1 767", Decimal("1767")),
        ("1\u00a0767", Decimal("1767")),
        ("1\u202f767", Decimal("1767")),
        (" 1767 ", Decimal("1767")),
        ("6 156 783", Decimal("6156783")),
    ],
)
def test_it_ignores_spaces_inside_a_figure(raw: str, expected: Decimal) -> None:
    assert read(raw, "count") == (expected, False)


def test_it_refuses_a_percent_sign_on_a_count() -> None:
    with pytest.raises(NumberError) as caught:
        parse_number("92,36%", "count")
    assert (caught.value.vi, caught.value.en) == (
        "'92,36%' có dấu % nhưng chỉ tiêu không phải tỷ lệ",
        "'92,36%' has a % sign but the indicator is not a percentage",
    )


@pytest.mark.parametrize(("raw", "kind"), [("1,5", "count"), ("12.5", "amount"), (1.5, "count")])
def test_it_refuses_a_fractional_count_or_amount(raw: object, kind: str) -> None:
    with pytest.raises(NumberError) as caught:
        parse_number(raw, kind)  # type: ignore[arg-type]
    assert (caught.value.vi, caught.value.en) == (
        f"'{raw}': số đếm và số tiền phải là số nguyên",
        f"'{raw}': counts and amounts must be whole numbers",
    )


@pytest.mark.parametrize(
    ("raw", "vi", "en"),
    [
        ("12a", "'12a' không phải là số", "'12a' is not a number"),
        ("abc", "'abc' không phải là số", "'abc' is not a number"),
        ("5.", "'5.' không phải là số", "'5.' is not a number"),
        (
            "1..2",
            "'1..2': các nhóm chữ số không đúng (phải là nhóm 3 chữ số)",
            "'1..2': digit groups are not groups of three",
        ),
        (
            "1,2,3,4",
            "'1,2,3,4': các nhóm chữ số không đúng (phải là nhóm 3 chữ số)",
            "'1,2,3,4': digit groups are not groups of three",
        ),
        (
            "1.23.456",
            "'1.23.456': các nhóm chữ số không đúng (phải là nhóm 3 chữ số)",
            "'1.23.456': digit groups are not groups of three",
        ),
        ("1.2,3,4", "'1.2,3,4': dấu phân cách không hợp lệ", "'1.2,3,4': separators are mixed up"),
    ],
)
def test_it_refuses_garbage_with_a_message_in_vietnamese_and_english(raw: str, vi: str, en: str) -> None:
    with pytest.raises(NumberError) as caught:
        parse_number(raw, "count")
    assert (caught.value.vi, caught.value.en, str(caught.value)) == (vi, en, en)


@pytest.mark.parametrize(
    ("raw", "kind", "expected"),
    [
        (1767, "count", Decimal("1767")),
        (1767.0, "count", Decimal("1767")),
        (92.36, "percent", Decimal("92.36")),
        (100, "percent", Decimal("100")),
        (41250000, "amount", Decimal("41250000")),
        (Decimal("97.87"), "percent", Decimal("97.87")),
    ],
)
def test_it_reads_numbers_from_spreadsheet_cells(raw: object, kind: str, expected: Decimal) -> None:
    assert read(raw, kind) == (expected, False)


def test_it_refuses_a_true_or_false_cell() -> None:
    with pytest.raises(NumberError):
        parse_number(True, "count")


@pytest.mark.parametrize(
    ("raw", "kind"), [(float("nan"), "percent"), (float("inf"), "percent"), (float("inf"), "count")]
)
def test_it_refuses_a_cell_that_is_not_a_finite_number(raw: object, kind: str) -> None:
    with pytest.raises(NumberError):
        parse_number(raw, kind)  # type: ignore[arg-type]


@given(st.integers(min_value=0, max_value=10**15))
def test_any_whole_number_written_the_vietnamese_way_reads_back_as_a_count(n: int) -> None:
    written = format_decimal(n, locale="vi")
    assert parse_number(written, "count").value == n


@given(st.integers(min_value=0, max_value=10**15))
def test_any_whole_number_written_plainly_reads_back_as_a_count(n: int) -> None:
    assert parse_number(str(n), "count").value == n


@given(st.integers(min_value=0, max_value=10**15))
def test_any_whole_number_grouped_with_commas_reads_back_as_a_count(n: int) -> None:
    assert parse_number(f"{n:,}", "count").value == n


@given(st.decimals(min_value=0, max_value=100, places=2))
def test_any_percentage_written_the_vietnamese_way_reads_back_exactly(d: Decimal) -> None:
    written = f"{d:f}".replace(".", ",") + "%"
    assert parse_number(written, "percent") == Reading(d)


@given(st.text(), st.sampled_from(["percent", "count", "amount"]))
def test_it_never_fails_with_anything_but_a_number_error(text: str, kind: str) -> None:
    try:
        parse_number(text, kind)  # type: ignore[arg-type]
    except NumberError as exc:
        assert exc.vi and exc.en


FIGURE_LIKE = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(10**18), 10**18),
    st.booleans(),
    st.decimals(allow_nan=False, places=3),
    st.text(alphabet="0123456789.,%-+ ", max_size=14),
    st.from_regex(r"[0-9]{1,3}([.,][0-9]{1,4}){0,4}%?", fullmatch=True),
    st.text(max_size=6),
)


@given(FIGURE_LIKE, st.sampled_from(["percent", "count", "amount"]))
def test_the_quick_reading_is_the_full_reading_or_nothing(raw: object, kind: str) -> None:
    quick = quick_number(raw, kind)  # type: ignore[arg-type]
    if quick is not None:
        reading = parse_number(raw, kind)  # type: ignore[arg-type]
        assert (str(reading.value), reading.ambiguous) == (str(quick), False)


@pytest.mark.parametrize(
    ("raw", "kind", "expected"),
    [
        ("1.903.389", "count", "1903389"),
        ("1903389", "amount", "1903389"),
        ("1.767", "count", "1767"),
        ("92,36%", "percent", "92.36"),
        ("92,36", "percent", "92.36"),
        ("92.36", "percent", "92.36"),
        ("1,767", "percent", "1.767"),
        ("100%", "percent", "100"),
        (92.36, "percent", "92.36"),
        (1767.0, "count", "1767.0"),
        (1767, "count", "1767"),
    ],
)
def test_the_usual_ways_of_writing_a_figure_are_read_quickly(raw: object, kind: str, expected: str) -> None:
    assert str(quick_number(raw, kind)) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("raw", "kind"),
    [("1.767", "percent"), ("1,767", "count"), ("92,36", "count"), ("-5", "count"), (" 5", "count"), ("5%", "count")],
)
def test_a_doubtful_or_wrong_figure_is_left_to_the_full_reading(raw: object, kind: str) -> None:
    assert quick_number(raw, kind) is None  # type: ignore[arg-type]


# --- only the digits 0–9 are numbers ----------------------------------------------------------------------------

# Characters Unicode counts as numbers that are not 0–9: other scripts' decimal digits, superscripts, circled digits,
# fractions, CJK numerals. Python's Decimal("٣") is 3; a figure must not be one reader's 3 and another's nothing.
FOREIGN_DIGITS = st.characters(categories=["Nd", "No", "Nl"]).filter(lambda ch: not ("0" <= ch <= "9"))


@pytest.mark.parametrize(
    ("raw", "digit"),
    [("٣", "٣"), ("３", "３"), ("1.７６７", "７"), ("92,3٦%", "٦"), ("۱۲۳", "۱"), ("१२", "१"), ("2²", "²"), ("①", "①")],
)
def test_it_refuses_digits_other_than_0_to_9_and_says_so(raw: str, digit: str) -> None:
    with pytest.raises(NumberError) as caught:
        parse_number(raw, "percent")
    assert (caught.value.vi, caught.value.en) == (
        f"'{raw}': chỉ dùng chữ số 0–9, không dùng '{digit}'",
        f"'{raw}': only the digits 0–9 are read as numbers, not '{digit}'",
    )


@given(st.integers(min_value=0, max_value=10**12), st.sampled_from(["٠", "۰", "０", "०", "০", "๐", "߀", "𝟎"]))
def test_a_whole_number_written_in_another_scripts_digits_is_refused(n: int, zero: str) -> None:
    written = "".join(chr(ord(zero) + int(d)) for d in str(n))
    with pytest.raises(NumberError) as caught:
        parse_number(written, "count")
    assert caught.value.en == f"'{written}': only the digits 0–9 are read as numbers, not '{written[0]}'"


@given(st.integers(min_value=0, max_value=10**12), FOREIGN_DIGITS, st.data())
def test_one_foreign_digit_anywhere_in_a_figure_is_refused(n: int, foreign: str, data: st.DataObject) -> None:
    written = format_decimal(n, locale="vi")
    at = data.draw(st.integers(min_value=0, max_value=len(written)))
    with pytest.raises(NumberError, match="only the digits 0–9"):
        parse_number(written[:at] + foreign + written[at:], "count")


@given(st.text(), st.sampled_from(["percent", "count", "amount"]))
def test_a_figure_read_from_text_was_written_with_the_digits_0_to_9(text: str, kind: str) -> None:
    try:
        value = parse_number(text, kind).value  # type: ignore[arg-type]
    except NumberError:
        return
    assert value is None or all("0" <= ch <= "9" for ch in text if ch.isnumeric())
