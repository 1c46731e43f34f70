"""What changed since a report was issued: after a correction written through the one write path, the issued
version's stored files keep their sha256, the new version differs from it exactly where the figures changed (the
figure, its change, the sentence that lists it), and the page of changes says so between a version and now and
between two versions, in HTML and JSON."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from dxmonitor.catalogue.models import Round
from dxmonitor.issuing.diff import Change, StatementChange, diff_rows, diff_statements
from dxmonitor.issuing.hashing import sha256_of
from dxmonitor.issuing.models import IssuedReport
from dxmonitor.issuing.service import folder_of, issue
from dxmonitor.issuing.snapshot import figures_of, statements_of
from personas import signed_in
from writing import import_files

pytestmark = pytest.mark.django_db

APP_USERS = "app.users"
AS_OF = "2022-07-19"


def listed_units(sentence: str) -> set[tuple[str, str]]:
    """The (unit, figure) pairs a sentence lists: "Đồng Xoài (2.140), Lộc Ninh (1.125)"."""
    return set(re.findall(r"([A-ZĐ][^,:()]*?) \(([\d.,]+%?)\)", sentence))


@pytest.fixture
def corrected(settings: Any, tmp_path: Path) -> tuple[IssuedReport, dict[str, str], IssuedReport]:
    """2022-06 issued (v1), Lộc Ninh's app users corrected through the write path, then issued again (v2).
    Also the sha256 of v1's files read from disk right after it was issued."""
    settings.REPORTS_DIR = tmp_path / "out"
    june = Round.objects.get(code="2022-06")
    first = issue(june, "alice", "bản đầu / first", ("docx", "html"), date(2022, 7, 20))
    kept = {f["name"]: sha256_of(folder_of(first) / f["name"]) for f in first.files}
    correction = tmp_path / "correction.csv"
    correction.write_text(
        f"don_vi,chi_tieu,gia_tri,ngay_so_lieu\nBP.LOC_NINH,{APP_USERS},4321,19/07/2022\n", encoding="utf-8"
    )
    import_files([correction], "2022-06")
    second = issue(june, "alice", "đính chính / corrected", ("docx", "html"), date(2022, 7, 25))
    return first, kept, second


def test_after_a_correction_the_issued_files_are_unchanged_and_the_new_version_differs_exactly_there(
    corrected: tuple[IssuedReport, dict[str, str], IssuedReport],
) -> None:
    first, kept, second = corrected
    first.refresh_from_db()
    assert kept == {f["name"]: f["sha256"] for f in first.files}  # as registered
    assert {f["name"]: sha256_of(folder_of(first) / f["name"]) for f in first.files} == kept  # still, on disk
    assert {f["sha256"] for f in second.files}.isdisjoint(kept.values())
    assert (second.replaces, second.number) == (first, "02/BC-STTTT")

    figures = diff_rows(first.snapshot, second.snapshot)
    was = next(r for r in first.snapshot if (r["indicator"], r["unit_code"]) == (APP_USERS, "BP.LOC_NINH"))
    assert figures == [
        Change(
            (APP_USERS, "BP.LOC_NINH", "", AS_OF),
            "changed",
            {"value": was["value"], "change": was["change"]},
            {"value": "4321", "change": str(4321 - int(was["baseline_value"]))},
        )
    ]
    sentences = diff_statements(first.statements, second.statements)
    assert [(s.section, len(s.before), len(s.after)) for s in sentences] == [(sentences[0].section, 1, 1)]
    before, after = listed_units(sentences[0].before[0]), listed_units(sentences[0].after[0])
    old = f"{int(was['value']):,}".replace(",", ".")
    assert before - after == {("Lộc Ninh", old)} and after - before == {("Lộc Ninh", "4.321")}
    assert second.statements == statements_of(Round.objects.get(code="2022-06"))  # what the report prints now


def test_the_page_of_changes_shows_the_changed_figure_and_sentence_between_a_version_and_now_and_two_versions(
    corrected: tuple[IssuedReport, dict[str, str], IssuedReport], personas: dict[str, User]
) -> None:
    first, _, second = corrected
    viewer = signed_in(personas["viewer"])
    listing = viewer.get("/rounds/2022-06/issued").content.decode()
    assert 'href="/rounds/2022-06/issued/changes?from=1&amp;to=now"' in listing
    assert 'href="/rounds/2022-06/issued/changes"' in listing  # comparing two versions

    was = next(r for r in first.snapshot if (r["indicator"], r["unit_code"]) == (APP_USERS, "BP.LOC_NINH"))
    expected_figures = [
        {
            "indicator": APP_USERS,
            "indicator_name": "Số người sử dụng ứng dụng Bình Phước Today",
            "unit": "BP.LOC_NINH",
            "unit_name": was["unit_name"],
            "category": "",
            "as_of": AS_OF,
            "kind": "changed",
            "fields": [
                {"name": "value", "before": was["value"], "after": "4321"},
                {"name": "change", "before": was["change"], "after": str(4321 - int(was["baseline_value"]))},
            ],
        }
    ]
    sentence = diff_statements(first.statements, second.statements)[0]
    for query in ({"from": "1", "to": "now"}, {"from": "1", "to": "2"}):
        data = viewer.get("/rounds/2022-06/issued/changes.json", query).json()
        assert data["figures"] == expected_figures, query
        assert data["statements"] == [
            {"section": sentence.section, "before": list(sentence.before), "after": list(sentence.after)}
        ]
        assert (data["from"]["number"], data["verdicts"]) == ("01/BC-STTTT", 0)
    page = viewer.get("/rounds/2022-06/issued/changes", {"from": "1", "to": "now"})
    text = page.content.decode()
    assert page.status_code == 200 and 'data-testid="figure-changes"' in text
    assert f"<del>{sentence.before[0]}</del>" in text and f"<ins>{sentence.after[0]}</ins>" in text
    unchanged = viewer.get("/rounds/2022-06/issued/changes", {"from": "2", "to": "now"}).content.decode()
    assert 'data-testid="no-figure-changes"' in unchanged and 'data-testid="no-statement-changes"' in unchanged
    default = viewer.get("/rounds/2022-06/issued/changes.json").json()  # the latest version against now
    assert (default["from"]["version"], default["to"]["key"], default["figures"]) == (2, "now", [])
    assert viewer.get("/rounds/2022-06/issued/changes", {"from": "7"}).status_code == 404
    assert Client().get("/rounds/2022-06/issued/changes").status_code == 302  # members only


def test_a_verdict_that_changed_since_the_version_is_counted_and_shown_in_the_page_s_language(
    personas: dict[str, User],
) -> None:
    june = Round.objects.get(code="2022-06")
    now = figures_of(june)
    at = next(i for i, r in enumerate(now) if r["verdict"] == "Đạt" and r["unit_code"] != "BP")
    then = [dict(r) for r in now]
    then[at]["verdict"] = "Không đạt"
    IssuedReport.objects.create(
        round=june, version=1, number="01/BC-STTTT", series="BC-STTTT", year=2022, sequence=1,
        state=IssuedReport.State.ISSUED, issued_at=timezone.now(), date=date(2022, 7, 20), issued_by="alice",
        snapshot=then, statements=statements_of(june),
    )  # fmt: skip
    viewer = signed_in(personas["viewer"])
    data = viewer.get("/rounds/2022-06/issued/changes.json").json()
    assert (data["verdicts"], [f["fields"] for f in data["figures"]]) == (
        1,
        [[{"name": "verdict", "before": "Không đạt", "after": "Đạt"}]],
    )
    assert data["statements"] == []
    viewer.cookies["django_language"] = "en"
    english = viewer.get("/rounds/2022-06/issued/changes").content.decode()
    row = english.split('data-testid="figure-changes"')[1]
    assert "<td>Not met</td><td>Met</td>" in row


def test_the_sentences_only_one_side_prints_are_named_per_section() -> None:
    before = [{"section": "A", "text": "một"}, {"section": "A", "text": "hai"}, {"section": "B", "text": "ba"}]
    after = [{"section": "A", "text": "hai"}, {"section": "B", "text": "bốn"}, {"section": "C", "text": "năm"}]
    assert diff_statements(before, after) == [
        StatementChange("A", ("một",), ()),
        StatementChange("B", ("ba",), ("bốn",)),
        StatementChange("C", (), ("năm",)),
    ]
