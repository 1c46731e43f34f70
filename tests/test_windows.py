"""Reading the as-of date or window of a figure: "16/07/2022" or "01/06/2022-15/07/2022"."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from dxmonitor.intake.windows import Window, WindowError, parse_window


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("16/07/2022", Window(date(2022, 7, 16))),
        ("2022-07-16", Window(date(2022, 7, 16))),
        ("1/6/2022", Window(date(2022, 6, 1))),
        ("01/06/2022-15/07/2022", Window(date(2022, 7, 15), date(2022, 6, 1))),
        ("01/06/2022 - 15/07/2022", Window(date(2022, 7, 15), date(2022, 6, 1))),
        ("2022-06-01..2022-07-15", Window(date(2022, 7, 15), date(2022, 6, 1))),
        ("01/06/2022 đến 15/07/2022", Window(date(2022, 7, 15), date(2022, 6, 1))),
        ("16/07/2022-16/07/2022", Window(date(2022, 7, 16), date(2022, 7, 16))),
        (date(2022, 7, 16), Window(date(2022, 7, 16))),
    ],
)
def test_it_reads_a_date_or_a_window(raw: object, expected: Window) -> None:
    assert parse_window(raw) == expected


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_it_reads_an_empty_cell_as_no_window(raw: object) -> None:
    assert parse_window(raw) is None


def test_it_reads_a_spreadsheet_date_time_cell_as_its_day() -> None:
    window = parse_window(datetime(2022, 7, 16, 10, 30))
    assert window == Window(date(2022, 7, 16))
    assert window is not None and window.key == "2022-07-16"


@pytest.mark.parametrize(
    ("raw", "vi", "en"),
    [
        ("32/01/2022", "'32/01/2022' có ngày không tồn tại", "'32/01/2022' contains an impossible date"),
        ("29/02/2023", "'29/02/2023' có ngày không tồn tại", "'29/02/2023' contains an impossible date"),
        (
            "2022/07/16",
            "'2022/07/16' không phải ngày (dd/mm/yyyy) hoặc khoảng ngày (dd/mm/yyyy-dd/mm/yyyy)",
            "'2022/07/16' is not a date (dd/mm/yyyy) or a window (dd/mm/yyyy-dd/mm/yyyy)",
        ),
        (
            "tháng 7",
            "'tháng 7' không phải ngày (dd/mm/yyyy) hoặc khoảng ngày (dd/mm/yyyy-dd/mm/yyyy)",
            "'tháng 7' is not a date (dd/mm/yyyy) or a window (dd/mm/yyyy-dd/mm/yyyy)",
        ),
        (
            "15/07/2022-01/06/2022",
            "'15/07/2022-01/06/2022': ngày kết thúc trước ngày bắt đầu",
            "'15/07/2022-01/06/2022': the window ends before it starts",
        ),
    ],
)
def test_it_refuses_what_is_not_a_date_or_a_window(raw: str, vi: str, en: str) -> None:
    with pytest.raises(WindowError) as caught:
        parse_window(raw)
    assert (caught.value.vi, caught.value.en) == (vi, en)


@pytest.mark.parametrize(
    ("window", "key"),
    [
        (Window(date(2022, 7, 16)), "2022-07-16"),
        (Window(date(2022, 7, 15), date(2022, 6, 1)), "2022-06-01/2022-07-15"),
    ],
)
def test_a_window_key_reads_back_as_the_same_window(window: Window, key: str) -> None:
    assert (window.key, Window.from_key(key)) == (key, window)


def test_a_window_knows_how_many_days_it_covers() -> None:
    assert (Window(date(2022, 7, 16)).days, Window(date(2022, 7, 15), date(2022, 6, 1)).days) == (0, 45)


@pytest.mark.parametrize(
    ("raw", "digit"),
    [("٣١/٠٥/٢٠٢٢", "٣"), ("３1/05/2022", "３"), ("2022-0６-01", "６"), ("01/06/2022-15/07/２022", "２")],
)
def test_a_date_written_with_digits_other_than_0_to_9_is_refused_and_says_so(raw: str, digit: str) -> None:
    with pytest.raises(WindowError) as caught:
        parse_window(raw)
    assert (caught.value.vi, caught.value.en) == (
        f"'{raw}': ngày chỉ dùng chữ số 0–9, không dùng '{digit}'",
        f"'{raw}': dates are written with the digits 0–9 only, not '{digit}'",
    )
