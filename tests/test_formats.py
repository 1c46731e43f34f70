"""Vietnamese number, change and date formats, as the seeds print them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from dxmonitor.evaluation.formats import (
    change_text,
    figure,
    long_date,
    number,
    percent,
    short_date,
    window_heading,
    window_text,
)
from dxmonitor.intake.windows import Window

D = Decimal


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        ("1767", 0, "1.767"),
        ("41250000", 0, "41.250.000"),
        ("130970001", 0, "130.970.001"),
        ("92.360", 2, "92,36"),
        ("92.30", 2, "92,3"),
        ("100.00", 2, "100"),
        ("0", 0, "0"),
        ("-149", 0, "-149"),
        ("2.5", 0, "3"),
        ("0.125", 2, "0,13"),
        ("62.5", 0, "63"),
    ],
)
def test_number_writes_vietnamese_digits_rounding_half_up(value: str, decimals: int, expected: str) -> None:
    assert number(D(value), decimals) == expected


def test_a_value_that_rounds_to_zero_is_written_without_a_minus_sign() -> None:
    assert [number(D("-0.001"), 2), percent(D("-0.004"), 2), number(D("-0.4"))] == ["0", "0%", "0"]


def test_number_of_nothing_is_empty() -> None:
    assert number(None) == ""


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        ("100", 2, "100%"),
        ("92.3", 2, "92,3%"),
        ("98.72", 2, "98,72%"),
        ("91.50", 2, "91,5%"),
        ("0.05", 2, "0,05%"),
        ("86.486486", 0, "86%"),
        ("37.5", 0, "38%"),
        ("42.06", 0, "42%"),
    ],
)
def test_percent_has_at_most_the_decimals_and_no_trailing_zeros(value: str, decimals: int, expected: str) -> None:
    assert percent(D(value), decimals) == expected


def test_percent_of_nothing_is_empty() -> None:
    assert percent(None) == ""


@pytest.mark.parametrize(
    ("value", "kind", "decimals", "expected"),
    [
        ("97.87", "percent", 2, "97,87%"),
        ("2140", "count", 0, "2.140"),
        ("130970001", "amount", 0, "130.970.001"),
        ("18.181818", "percent", 0, "18%"),
    ],
)
def test_figure_writes_a_value_by_its_kind(value: str, kind: str, decimals: int, expected: str) -> None:
    assert figure(D(value), kind, decimals) == expected


@pytest.mark.parametrize(
    ("delta", "kind", "decimals", "expected"),
    [
        ("6.4", "percent", 2, "Tăng 6,4%"),
        ("-3.4", "percent", 2, "Giảm 3,4%"),
        ("0", "percent", 2, "Bằng"),
        ("97.06", "percent", 2, "Tăng 97,06%"),
        ("1255", "count", 0, "Tăng 1.255"),
        ("-149", "count", 0, "Giảm 149"),
        ("0", "count", 0, "Bằng"),
        ("13.51", "percent", 0, "Tăng 14%"),
        ("13.5", "percent", 0, "Tăng 14%"),
        ("0.004", "percent", 2, "Bằng"),
        ("0.005", "percent", 2, "Tăng 0,01%"),
        ("-0.005", "percent", 2, "Giảm 0,01%"),
        ("9946400000", "amount", 0, "Tăng 9.946.400.000"),
    ],
)
def test_change_text_says_up_down_or_equal(delta: str, kind: str, decimals: int, expected: str) -> None:
    assert change_text(D(delta), kind, decimals) == expected


def test_change_text_of_no_change_figure_is_empty() -> None:
    assert change_text(None, "percent", 2) == ""


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2022, 2, 5), "ngày 05 tháng 02 năm 2022"),
        (date(2022, 1, 9), "ngày 09 tháng 01 năm 2022"),
        (date(2022, 3, 1), "ngày 01 tháng 3 năm 2022"),
        (date(2022, 7, 20), "ngày 20 tháng 7 năm 2022"),
        (date(2022, 6, 20), "ngày 20 tháng 6 năm 2022"),
        (date(2022, 12, 31), "ngày 31 tháng 12 năm 2022"),
    ],
)
def test_long_date_follows_decree_30(day: date, expected: str) -> None:
    assert long_date(day) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2022, 7, 16), "16/7/2022"),
        (date(2022, 6, 1), "01/6/2022"),
        (date(2022, 12, 31), "31/12/2022"),
    ],
)
def test_short_date_writes_day_month_year(day: date, expected: str) -> None:
    assert short_date(day) == expected


def test_short_date_pads_january_and_february_as_the_seeds_do() -> None:
    # Both seeds write "01/01/2022" (6 times in Số 01, twice in Số 02) and never "01/01/2022"; Decree 30's
    # rule for the long date (a leading zero for months 1 and 2) gives the same.
    assert [short_date(date(2022, 1, 1)), short_date(date(2022, 2, 28))] == ["01/01/2022", "28/02/2022"]


@pytest.mark.parametrize(
    ("window", "text", "heading"),
    [
        (Window(date(2022, 7, 16)), "đến ngày 16/7/2022", "Đến 16/7/2022"),
        (Window(date(2022, 5, 31)), "đến ngày 31/5/2022", "Đến 31/5/2022"),
        (Window(date(2022, 6, 11), date(2022, 6, 11)), "ngày 11/6/2022", "Ngày 11/6/2022"),
        (Window(date(2022, 7, 15), date(2022, 6, 1)), "từ 01/6/2022 đến 15/7/2022", "01/6/2022 - 15/7/2022"),
        (Window(date(2022, 7, 19), date(2022, 6, 8)), "từ 08/6/2022 đến 19/7/2022", "08/6/2022 - 19/7/2022"),
    ],
)
def test_a_window_reads_as_text_and_as_a_column_heading(window: Window, text: str, heading: str) -> None:
    assert (window_text(window), window_heading(window)) == (text, heading)
