"""Every figure the seeds' statistics parts print is in the regenerated report of the same round, except the slips.

The seeds' statistics parts are kept in the repository (tests/data/seeds/, cut verbatim from the two issued reports:
Số 01 from "1. Cổng TTĐT tỉnh" to before its section 7 of prose on each field, Số 02 from "1. Cổng Thông tin điện
tử tỉnh" to before the signature), so a clean clone tests them. Each number of their tables and sentences is read
here, at test time, the way the seed writes it ("4.978.615", "41,250,000", "87.3%", "91,0%", "09%", "4515") and
looked for among the numbers of the DOCX text of `dxmonitor report` for that round."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from docx_text import docx_text
from dxmonitor.catalogue.rounds import round_days
from dxmonitor.reports.outline import outline_on

DATA = Path(__file__).parent / "data" / "seeds"
SEEDS = Path("/work/shared/seeds")  # the originals, where this machine has them
PARTS = {"2022-05": DATA / "so-01-statistics.txt", "2022-06": DATA / "so-02-statistics.txt"}

# Where a seed's arithmetic is wrong the report prints the recomputed figure (and `dxmonitor check` names the slip).
SLIPS: dict[str, dict[Decimal, str]] = {
    "2022-05": {},
    "2022-06": {
        Decimal("12.6"): "A1: Hớn Quản's dossier rate rose 18,6 points (47,1% − 28,5%), printed as 12,6%",
        Decimal("6.87"): "A2: the province's service rate against Số 01 is 97,87% − 94,5% = 3,37, printed as 6,87%",
        Decimal("9.71"): "A3: the province's dossier rate is 90,18% in both reports (Bằng), printed as 9,71%",
        Decimal("23.6"): "A8: June's visits rose 23,66% over May's, printed as 23,6%",
    },
}
# Sentences that tell news rather than a figure of a dataset, as their opening words: Số 01's training of over 700
# officials on the app; Số 02's 2021 VCCI survey and its IPv6 switch with the directive that asked for it. The office
# writes such news in a section's introduction (Markdown), not in the figures.
NEWS = {
    "2022-05": ["đã hoàn thành việc hƣớng dẫn sử dụng"],
    "2022-06": ["Theo báo cáo của VCCI", "hoàn thành việc chuyển đổi từ IPv4 sang IPv6"],
}

SEED_HEADING = re.compile(r"(\d)\. [A-ZÀ-Ỹ]")  # "2. Dịch vụ công trực tuyến", not a row "2 Sở Công Thƣơng"
APP = 'Ứng dụng "Binh Phuoc Today" và Tổng đài 1022'
SOFTWARE = "Phần mềm, ứng dụng dùng chung"
# Each numbered section of a seed's statistics part, and the sections of the report that print its figures: the
# seeds' section 3 holds the app, the hotline, the office software and the network, which the report splits in two.
SECTIONS = {
    "2022-05": {
        1: ["Cổng Thông tin điện tử tỉnh"],
        2: ["Dịch vụ công trực tuyến"],
        3: [APP, SOFTWARE],
        4: ["Tổ công nghệ số cộng đồng"],
        5: ["Nộp thuế trực tuyến trên Cổng Dịch vụ công quốc gia"],
        6: ["Chứng thực điện tử"],
    },
    "2022-06": {
        1: ["Cổng Thông tin điện tử tỉnh"],
        2: ["Dịch vụ công trực tuyến"],
        3: [APP, SOFTWARE],
        4: ["Tổ công nghệ số cộng đồng"],
        5: ["Thanh toán trực tuyến phí, lệ phí và nghĩa vụ tài chính"],
        6: ["Chứng thực điện tử"],
        7: ["An toàn thông tin"],
    },
}

# A whole date even where the PDF glued three together ("13/06/202212/06/2022"), then a day and month, a month.
DATE = re.compile(
    r"(?:0?[1-9]|[12]\d|3[01])/(?:0?[1-9]|1[0-2])/\d{4}"
    r"|\b(?:0?[1-9]|[12]\d|3[01])/(?:0?[1-9]|1[0-2])\b"
    r"|\b(?:0?[1-9]|1[0-2])/\d{4}\b"
)
TIME = re.compile(r"\b\d{1,2} giờ \d{2}\b")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*(?: \d(?= \|))?")  # "29,76 2": a PDF cut one cell's last digit off


def value(token: str) -> Decimal:
    """A number as either report writes it: a separator followed by groups of exactly three digits groups
    thousands ("4.978.615", "130,970,001"); else it is the decimal mark ("92,36", "87.3", "91,0")."""
    token = token.replace(" ", "")
    parts = re.split(r"[.,]", token)
    if len(parts) > 1 and all(len(p) == 3 for p in parts[1:]):
        return Decimal("".join(parts))
    if len(parts) > 2:
        raise ValueError(f"not a number either report writes: {token!r}")
    return Decimal(".".join(parts)).normalize()


def numbers(text: str) -> Iterator[Decimal]:
    """Every number of `text` that is no date, month or time of day."""
    for match in NUMBER.finditer(TIME.sub(" ", DATE.sub(" ", text))):
        yield value(match.group())


def seed_sections(code: str) -> dict[int, set[Decimal]]:
    """The numbers of each numbered section of the seed's statistics part, leaving out its news and its slips."""
    lines = PARTS[code].read_text(encoding="utf-8").splitlines()
    news = [i for i, line in enumerate(lines) for opening in NEWS[code] if opening in line]
    assert len(news) == len(NEWS[code]), "each news sentence is found once in the seed"
    sections: dict[int, set[Decimal]] = {}
    for i, line in enumerate(lines):
        heading = SEED_HEADING.match(line.strip())
        if heading:
            sections[int(heading.group(1))] = set()
            continue
        if not any(n <= i < n + _sentence_length(lines, n) for n in news):
            sections[max(sections)] |= {n.normalize() for n in numbers(line)} - set(SLIPS[code])
    return sections


def report_sections(text: str, code: str) -> dict[str, set[Decimal]]:
    """The numbers of each numbered statistics section of the report's text, by the section's heading."""
    headings = [section.heading for section in outline_on(round_days(code)).sections]
    sections: dict[str, set[Decimal]] = {}
    current = None
    for line in text.splitlines():
        numbered = re.fullmatch(r"\d+\. (.+)", line)
        if numbered and numbered.group(1) in headings:
            current = sections.setdefault(numbered.group(1), set())
        elif line.endswith("kính báo cáo./."):
            current = None
        elif current is not None:
            current |= {n.normalize() for n in numbers(line)}
    return sections


def _sentence_length(lines: list[str], start: int) -> int:
    """How many lines a sentence starting at `start` runs over (the PDF text of Số 01 breaks a sentence into lines
    with blank lines between): to the line that ends it with a full stop."""
    for i in range(start, len(lines)):
        if lines[i].rstrip().endswith("."):
            return i - start + 1
    return len(lines) - start


@pytest.fixture(scope="module")
def reports(
    django_db_setup: None, django_db_blocker: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, str]:
    """The DOCX text of `dxmonitor report` for each demo round (both lack some units: a reason is given)."""
    folder = tmp_path_factory.mktemp("reports")
    texts = {}
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        for code in PARTS:
            call_command("report", round=code, format="docx", out=folder, incomplete_reason="kiểm thử / test")
            texts[code] = docx_text(folder / f"bao-cao-{code}.docx")
    return texts


@pytest.mark.parametrize("code", ["2022-05", "2022-06"])
def test_the_regenerated_report_prints_every_figure_of_the_seed_s_statistics_part(
    reports: dict[str, str], code: str
) -> None:
    seed = seed_sections(code)
    printed = report_sections(reports[code], code)
    missing = {
        number: sorted(figures - set().union(*(printed[h] for h in SECTIONS[code][number])))
        for number, figures in seed.items()
    }

    assert sorted(seed) == sorted(SECTIONS[code])
    assert sorted(printed) == sorted(h for headings in SECTIONS[code].values() for h in headings)
    assert missing == {number: [] for number in seed}


def dashes(line: str) -> int:
    """How many cells of a table row say "-" (no figure): a markdown row's cells, or the words after the number of a
    row of Số 01's PDF text ("10 Sở Tài chính 100% Đạt - -"); none in a sentence ("chính trị - xã hội")."""
    if line.startswith("|"):
        return sum(cell.strip() == "-" for cell in line.strip("|").split("|"))
    if re.match(r"\d+ \D", line):
        return line.split()[1:].count("-")
    return 0


@pytest.mark.parametrize("code", ["2022-05", "2022-06"])
def test_the_report_prints_a_dash_in_each_section_as_often_as_the_seed(reports: dict[str, str], code: str) -> None:
    seed: dict[int, int] = {}
    for line in PARTS[code].read_text(encoding="utf-8").splitlines():
        heading = SEED_HEADING.match(line.strip())
        if heading:
            number = int(heading.group(1))
        seed[number] = seed.get(number, 0) + (0 if heading else dashes(line.strip()))
    printed: dict[str, int] = {}
    heading_text = ""
    for line in reports[code].splitlines():
        numbered = re.fullmatch(r"\d+\. (.+)", line)
        if numbered:
            heading_text = numbered.group(1)
        printed[heading_text] = printed.get(heading_text, 0) + dashes(line) * line.startswith("|")

    assert {n: sum(printed.get(h, 0) for h in SECTIONS[code][n]) for n in SECTIONS[code]} == seed
    assert sum(seed.values()) > 0


@pytest.mark.parametrize("code", [code for code, slips in SLIPS.items() if slips])
def test_each_slip_is_a_figure_the_seed_prints_and_the_report_does_not(reports: dict[str, str], code: str) -> None:
    seed = {n.normalize() for n in numbers(PARTS[code].read_text(encoding="utf-8"))}
    printed = {n.normalize() for n in numbers(reports[code])}

    assert {slip for slip in SLIPS[code] if slip in seed and slip not in printed} == set(SLIPS[code])


def test_the_seed_s_figures_are_read_as_the_seed_writes_them() -> None:
    text = "4.978.615 | 41,250,000 | 87.3% | 91,0% | (tăng 09%) | 4515 | 29,76 2 | 16/7/2022 | 01/63 | 11 giờ 00 |"
    text += " 5/2022 | 16/6 | 13/06/202212/06/2022 |"

    assert list(numbers(text)) == [
        Decimal(4978615),
        Decimal(41250000),
        Decimal("87.3"),
        Decimal(91),
        Decimal(9),
        Decimal(4515),
        Decimal(29762),
        Decimal(1),
        Decimal(63),
    ]


def test_the_copies_are_cut_verbatim_from_the_seeds() -> None:
    originals = sorted(SEEDS.glob("*.txt"))
    if not originals:
        pytest.skip(f"the seeds themselves are not on this machine ({SEEDS}); the copies are what CI reads")
    texts = [p.read_text(encoding="utf-8") for p in originals]

    assert [PARTS[code].read_text(encoding="utf-8") in text for code, text in zip(PARTS, texts, strict=True)] == [
        True,
        True,
    ]
