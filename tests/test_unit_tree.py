"""Both unit trees, checked against the researched reference (docs/reference/dong-nai-2025/, a copy of
shared/reference/dong-nai-2025/ with each fact's source), and `dxmonitor units --on DAY` that lists a day's tree."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from dxmonitor.catalogue.loading import Catalogue
from dxmonitor.catalogue.tree import on, predecessors, units_on, whole_on

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "docs" / "reference" / "dong-nai-2025"
REFORM_EVE, REFORM = date(2025, 6, 30), date(2025, 7, 1)


def reference(name: str) -> list[dict[str, str]]:
    with (REFERENCE / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def listed(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(";") if part.strip()]


def by_name(catalogue: Catalogue, day: date) -> dict[str, str]:
    return {u.name: u.code for u in units_on(catalogue, on(day))}


def units(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("units", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


# --- the catalogue against the reference


def test_dong_nai_has_95_communes_with_their_official_codes_names_and_kinds(catalogue: Catalogue) -> None:
    rows = reference("communes_2025.csv")
    communes = [u for u in units_on(catalogue, on(REFORM)) if u.kind == "commune"]

    assert len(rows) == 95 and len(communes) == 95
    assert {u.code for u in communes} == {f"DN.{r['code']}" for r in rows}
    for row in rows:
        unit = catalogue.units[f"DN.{row['code']}"]
        assert unit.name == row["name"], row["code"]
        assert unit.name.split()[0] == {"phuong": "Phường", "xa": "Xã"}[row["kind"]], row["code"]
        assert (unit.parent, unit.valid_from, unit.valid_to, unit.communes) == ("DN", REFORM, None, 1), row["code"]
        # Every predecessor commune is named: none of them was a unit here, so a comparison knows it is not whole.
        assert unit.formerly == listed(row["predecessors"]), row["code"]


def test_each_old_district_ends_on_the_eve_of_the_reform_with_the_communes_that_cover_it(
    catalogue: Catalogue,
) -> None:
    rows = reference("binh_phuoc_districts_2022.csv")
    districts = {u.short_name: u for u in units_on(catalogue, on(REFORM_EVE)) if u.kind == "district"}
    new_names = by_name(catalogue, REFORM)

    assert len(rows) == 11 and len(districts) == 11
    for row in rows:
        district = districts[re.sub(r"^(Thành phố|Thị xã|Huyện) ", "", row["name"])]
        assert district.valid_to == REFORM_EVE
        assert sorted(district.successors) == sorted(new_names[n] for n in listed(row["new_communes"])), row["name"]


def test_the_four_communes_that_straddle_two_districts_have_both_as_predecessors(catalogue: Catalogue) -> None:
    shared = Counter(s for u in catalogue.units.values() if u.kind == "district" for s in u.successors)
    straddling = sorted(catalogue.units[code].name for code, n in shared.items() if n > 1)

    assert len(straddling) == 4
    for name in straddling:
        code = by_name(catalogue, REFORM)[name]
        assert len([p for p in predecessors(catalogue, code) if catalogue.units[p].kind == "district"]) == 2


def test_every_old_commune_of_the_crosswalk_belongs_to_a_unit_of_the_new_tree(catalogue: Catalogue) -> None:
    rows = reference("crosswalk_old_to_new_2025.csv")
    into: Counter[str] = Counter()

    assert len({r["old_code"] for r in rows}) == 270  # 271 rows: Xã Xuân Tâm was split in two
    for row in rows:
        unit = catalogue.units[f"DN.{row['new_code']}"]
        assert unit.name == row["new_name"] and unit.valid_from == REFORM, row["old_code"]
        into[unit.code] += 1
    # Each new unit names as many former communes as the crosswalk maps into it (the two sources spell some names
    # differently, "Hoà"/"Hòa", and disambiguate others by district, so the names are not compared one by one).
    assert len(into) == 95
    assert all(len(catalogue.units[code].formerly) == n for code, n in into.items())


def test_the_14_departments_and_what_each_absorbed(catalogue: Catalogue) -> None:
    rows = reference("departments_2025.csv")
    departments = {u.name: u for u in units_on(catalogue, on(REFORM)) if u.kind == "department"}
    old = {u.name: u for u in units_on(catalogue, on(REFORM_EVE)) if u.code.startswith("BP.")}

    assert len(rows) == 14 and sorted(departments) == sorted(r["name"] for r in rows)
    for row in rows:
        unit = departments[row["name"]]
        from_binh_phuoc = [p.removesuffix(" Bình Phước") for p in listed(row["predecessors"]) if "Bình Phước" in p]
        # "Sở Nội vụ tỉnh Bình Phước" is the catalogue's "Sở Nội vụ"; "Văn phòng Ủy ban nhân dân tỉnh" keeps "tỉnh".
        names = [name if name in old else name.removesuffix(" tỉnh") for name in from_binh_phuoc]
        expected = sorted(old[name].code for name in names if name in old)
        assert sorted(predecessors(catalogue, unit.code)) == expected, row["name"]
        assert all("Bình Phước" not in name for name in unit.formerly), row["name"]
    # The office that makes this report today took over the old Sở Thông tin và Truyền thông.
    assert catalogue.units["BP.SO_TTTT"].successors == [departments["Sở Khoa học và Công nghệ"].code]


def test_the_whole_province_is_the_one_in_force_and_no_2022_unit_outlives_the_reform(catalogue: Catalogue) -> None:
    assert catalogue.units[whole_on(catalogue, on(REFORM_EVE))].name == "Tỉnh Bình Phước"
    assert catalogue.units[whole_on(catalogue, on(REFORM))].name == "Tỉnh Đồng Nai"
    assert catalogue.units["BP"].successors == ["DN"]
    outliving = {u.kind for u in units_on(catalogue, on(REFORM)) if u.code.startswith("BP.")}
    assert outliving == {"company"}  # the telecom companies report as they did


def test_the_committed_yaml_is_what_the_reference_gives() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "catalogue-dong-nai"), "--check"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


# --- dxmonitor units --on DAY


def test_units_on_a_day_after_the_reform_lists_dong_nai() -> None:
    out, err = units("--on", "2025-08-01", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))

    assert list(rows[0]) == ["code", "name", "kind", "parent", "valid_from", "valid_to", "successors"]
    kinds = Counter(r["kind"] for r in rows)
    assert (kinds["province"], kinds["department"], kinds["commune"], kinds["district"]) == (1, 14, 95, 0)
    assert next(r for r in rows if r["kind"] == "province")["name"] == "Tỉnh Đồng Nai"
    assert {r["parent"] for r in rows if r["kind"] == "commune"} == {"DN"}
    assert "118 đơn vị ngày 01/08/2025" in err


def test_units_on_a_day_of_2022_lists_binh_phuoc_unchanged(catalogue: Catalogue) -> None:
    out, _ = units("--on", "30/06/2022", "--format", "json")
    rows = json.loads(out)

    districts = [r for r in rows if r["kind"] == "district"]
    assert len(districts) == 11 and {r["parent"] for r in districts} == {"BP"}
    assert [r["name"] for r in rows if r["kind"] == "province"] == ["Tỉnh Bình Phước"]
    dong_xoai = next(r for r in rows if r["code"] == "BP.DONG_XOAI")
    assert (dong_xoai["valid_to"], dong_xoai["successors"]) == (
        "2025-06-30",
        catalogue.units["BP.DONG_XOAI"].successors,
    )


def test_units_table_names_what_each_ended_unit_became() -> None:
    out, _ = units("--on", "2025-06-30")

    line = next(x for x in out.splitlines() if x.startswith("BP.SO_TTTT "))
    assert "Sở Thông tin và Truyền thông" in line and line.endswith("→ DN.SO_KHCN")


@pytest.mark.parametrize("day", ["2025-13-01", "31/02/2025", "hôm qua"])
def test_units_refuses_a_day_that_is_not_one(day: str) -> None:
    with pytest.raises(CommandError, match=f"ngày '{re.escape(day)}' không hợp lệ.*invalid day"):
        units("--on", day)
