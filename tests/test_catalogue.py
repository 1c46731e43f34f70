"""The YAML catalogue: the shipped one is complete and documented, broken ones are located, `init` is idempotent."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from dxmonitor.catalogue import models
from dxmonitor.catalogue.loading import DATA_DIR, Catalogue, CatalogueError, load_catalogue

# The indicator table of PRODUCT.md: these codes are fixed by the contract.
CONTRACT_CODES = [
    "portal.visits",
    "portal.visits_cumulative",
    "portal.posts",
    "dvc.procedures",
    "dvc.online_services",
    "dvc.connected_national",
    "dvc.online_service_rate",
    "dvc.online_dossier_rate",
    "dvc.overdue_rate",
    "dvc.digitization_rate",
    "app.users",
    "office.paperless_meetings",
    "office.video_conferences",
    "office.signed_document_rate",
    "office.online_document_rate",
    "office.official_email_rate",
    "hotline.received",
    "hotline.processed",
    "network.connected_agencies",
    "cnscd.commune_teams",
    "cnscd.commune_team_rate",
    "cnscd.commune_members",
    "cnscd.hamlet_teams",
    "cnscd.hamlet_members",
    "payment.tax_count",
    "payment.tax_amount",
    "payment.fee_count",
    "payment.fee_amount",
    "payment.obligation_count",
    "payment.obligation_amount",
    "e_auth.dossiers",
    "security.computers",
    "security.vulnerable_computers",
    "security.vulnerabilities",
    "security.vulnerable_rate",
]

# What the same table says of the codes that are not counts.
CONTRACT_KINDS = {
    **dict.fromkeys(
        [
            "dvc.online_service_rate",
            "dvc.online_dossier_rate",
            "dvc.overdue_rate",
            "dvc.digitization_rate",
            "office.signed_document_rate",
            "office.online_document_rate",
            "office.official_email_rate",
            "cnscd.commune_team_rate",
            "security.vulnerable_rate",
        ],
        "percent",
    ),
    **dict.fromkeys(["payment.tax_amount", "payment.fee_amount", "payment.obligation_amount"], "amount"),
}
CONTRACT_TARGETS = {
    "dvc.online_service_rate": (">=", 80),
    "dvc.online_dossier_rate": (">=", 50),
    "dvc.digitization_rate": (">=", 100),
    "cnscd.commune_team_rate": (">=", 100),
}

CONTRACT_DISAGGREGATIONS = {
    "portal.posts": {"channel": ["cong_ttdt", "zalo", "fanpage", "youtube"]},
    "dvc.online_services": {"level": ["muc_3", "muc_4"]},
    "e_auth.dossiers": {"status": ["cho_ky", "cho_dong_dau", "hoan_thanh", "huy", "tu_choi"]},
    "security.vulnerabilities": {"severity": ["nguy_hiem", "cao", "trung_binh", "thap"]},
}

INDICATOR = """\
indicators:
  - code: portal.visits
    name: Lượt truy cập
    label: Lượt truy cập
    description: Số lượt truy cập trong tháng báo cáo.
    kind: count
    decimals: 0
"""
DATASET = """\
datasets:
  - code: portal
    name: Cổng Thông tin điện tử tỉnh
    indicators:
      - portal.visits
    units: [BP]
    window: month
"""
UNIT = """\
units:
  - code: BP
    name: Tỉnh Bình Phước
    short_name: Bình Phước
    kind: province
"""


EXTRA_INDICATOR = INDICATOR.replace("portal.visits", "portal.posts")
EXTRA_UNIT = UNIT.replace("code: BP", "code: BP.DONG_PHU").replace("Tỉnh Bình Phước", "Huyện Đồng Phú")


def write_catalogue(folder: Path, files: dict[str, str] | None = None) -> Path:
    """A small valid catalogue under `folder`; `files` ("indicators/x.yaml": text) adds or replaces parts of it."""
    parts = {"indicators/core.yaml": INDICATOR, "datasets/main.yaml": DATASET, "units/main.yaml": UNIT, **(files or {})}
    for name, text in parts.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def problems_of(folder: Path) -> list[tuple[str, int | None, str, str]]:
    """(file, line, field, English message) of every problem loading `folder` raises."""
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(folder)
    return [(p.location.file, p.location.row, p.location.field, p.message_en) for p in caught.value.problems]


def test_the_shipped_catalogue_loads_every_entry_of_its_files(catalogue: Catalogue) -> None:
    def codes_in(sub: str) -> list[str]:
        return [
            item["code"]
            for path in sorted((DATA_DIR / sub).glob("*.yaml"))
            for item in yaml.safe_load(path.read_text(encoding="utf-8"))[sub]
        ]

    assert (list(catalogue.indicators), list(catalogue.datasets), list(catalogue.units)) == (
        codes_in("indicators"),
        codes_in("datasets"),
        codes_in("units"),
    )


def test_every_indicator_of_the_product_contract_exists(catalogue: Catalogue) -> None:
    assert [code for code in CONTRACT_CODES if code not in catalogue.indicators] == []


def test_the_contract_indicators_have_the_kinds_of_the_contract(catalogue: Catalogue) -> None:
    expected = {code: CONTRACT_KINDS.get(code, "count") for code in CONTRACT_CODES}
    assert {code: catalogue.indicators[code].kind for code in CONTRACT_CODES} == expected


def test_the_contract_indicators_are_derived_and_lower_is_better_where_the_contract_says(
    catalogue: Catalogue,
) -> None:
    derived = [code for code in CONTRACT_CODES if catalogue.indicators[code].derived is not None]
    lower_is_better = ("dvc.overdue_rate", "security.vulnerable_rate")
    directions = {code: catalogue.indicators[code].direction for code in lower_is_better}
    assert (derived, directions) == (
        ["cnscd.commune_team_rate", "security.vulnerable_rate"],
        {"dvc.overdue_rate": "lower", "security.vulnerable_rate": "lower"},
    )


def test_the_contract_indicators_have_the_targets_of_the_contract(catalogue: Catalogue) -> None:
    targets = {
        code: (ind.targets[0].op, ind.targets[0].value)
        for code in CONTRACT_CODES
        if (ind := catalogue.indicators[code]).targets
    }
    assert targets == CONTRACT_TARGETS
    assert [
        "27/QĐ-UBQGCĐS" in catalogue.indicators[code].targets[0].source
        for code in ("dvc.online_service_rate", "dvc.online_dossier_rate")
    ] == [True, True]


def test_the_contract_indicators_are_broken_down_as_the_contract_says(catalogue: Catalogue) -> None:
    found = {
        code: {dim: list(members) for dim, members in catalogue.indicators[code].disaggregation.items()}
        for code in CONTRACT_DISAGGREGATIONS
    }
    assert found == CONTRACT_DISAGGREGATIONS


def test_no_indicator_is_undocumented(catalogue: Catalogue) -> None:
    undocumented = [
        code
        for code, ind in catalogue.indicators.items()
        if not ind.description.strip() or not ind.label.strip() or not ind.name.strip()
    ]
    assert undocumented == []


def test_every_target_names_its_legal_source(catalogue: Catalogue) -> None:
    assert [code for code, ind in catalogue.indicators.items() for t in ind.targets if len(t.source) < 10] == []


def test_the_eleven_districts_have_111_communes(catalogue: Catalogue) -> None:
    districts = {code: u.communes for code, u in catalogue.units.items() if u.kind == "district"}
    assert (len(districts), sum(c or 0 for c in districts.values())) == (11, 111)


def test_every_dataset_names_indicators_and_units_that_exist(catalogue: Catalogue) -> None:
    missing = [
        (ds.code, code)
        for ds in catalogue.datasets.values()
        for code in ds.indicators
        if code not in catalogue.indicators
    ]
    missing += [
        (ds.code, code) for ds in catalogue.datasets.values() for code in ds.units if code not in catalogue.units
    ]
    assert missing == []


def test_a_small_catalogue_written_by_hand_loads(tmp_path: Path) -> None:
    catalogue = load_catalogue(write_catalogue(tmp_path))
    assert (list(catalogue.indicators), list(catalogue.datasets), list(catalogue.units)) == (
        ["portal.visits"],
        ["portal"],
        ["BP"],
    )


def test_badly_indented_yaml_is_reported_with_its_file_and_line(tmp_path: Path) -> None:
    broken = EXTRA_INDICATOR.replace("    label:", "   label:")  # line 4
    folder = write_catalogue(tmp_path, {"indicators/extra.yaml": broken})
    assert problems_of(folder) == [
        (
            str(folder / "indicators/extra.yaml"),
            4,
            "",
            "invalid YAML: expected <block end>, but found '<block mapping start>'",
        )
    ]


def test_a_schema_violation_is_reported_with_its_file_line_and_field(tmp_path: Path) -> None:
    broken = EXTRA_INDICATOR.replace("kind: count", "kind: ratio")  # line 6
    folder = write_catalogue(tmp_path, {"indicators/extra.yaml": broken})
    assert problems_of(folder) == [
        (
            str(folder / "indicators/extra.yaml"),
            6,
            "indicators.0.kind",
            "catalogue schema violation: Input should be 'percent', 'count', 'amount' or 'points'",
        )
    ]


def test_an_indicator_without_a_description_is_refused_at_its_line(tmp_path: Path) -> None:
    second = """\
  - code: portal.posts
    name: Tin bài đăng tải
    label: Tin bài
    kind: count
    decimals: 0
"""
    folder = write_catalogue(tmp_path, {"indicators/extra.yaml": EXTRA_INDICATOR + second})  # item on line 8
    assert problems_of(folder) == [
        (
            str(folder / "indicators/extra.yaml"),
            8,
            "indicators.1.description",
            "catalogue schema violation: Field required",
        )
    ]


def test_a_unit_schema_violation_is_reported_in_the_units_file(tmp_path: Path) -> None:
    broken = EXTRA_UNIT + "    valid_from: 2025-07-01\n    valid_to: 2020-01-01\n"
    folder = write_catalogue(tmp_path, {"units/extra.yaml": broken})
    assert problems_of(folder) == [
        (
            str(folder / "units/extra.yaml"),
            2,
            "units.0",
            "catalogue schema violation: Value error, valid_to is before valid_from",
        )
    ]


def test_a_dataset_naming_an_unknown_indicator_is_reported_at_the_line_of_that_name(tmp_path: Path) -> None:
    broken = DATASET.replace("      - portal.visits\n", "      - portal.visits\n      - portal.khong_co\n")  # line 6
    folder = write_catalogue(tmp_path, {"datasets/main.yaml": broken})
    assert problems_of(folder) == [
        (
            str(folder / "datasets/main.yaml"),
            6,
            "portal › indicators[1]",
            "indicator 'portal.khong_co' is not in the catalogue",
        )
    ]


def test_a_unit_naming_an_unknown_parent_is_reported(tmp_path: Path) -> None:
    broken = (
        UNIT
        + """\
  - code: BP.DONG_PHU
    name: Huyện Đồng Phú
    short_name: Đồng Phú
    kind: district
    parent: BP.KHONG_CO
"""
    )
    folder = write_catalogue(tmp_path, {"units/main.yaml": broken})
    assert problems_of(folder) == [
        (str(folder / "units/main.yaml"), 10, "BP.DONG_PHU › parent", "unit 'BP.KHONG_CO' is not in the catalogue")
    ]


def test_a_code_defined_twice_is_reported(tmp_path: Path) -> None:
    folder = write_catalogue(tmp_path, {"indicators/more.yaml": INDICATOR})
    first = folder / "indicators/core.yaml"
    assert problems_of(folder) == [
        (
            str(folder / "indicators/more.yaml"),
            2,
            "portal.visits › code",
            f"duplicate code 'portal.visits' (first at {first}, line 2)",
        )
    ]


def test_every_broken_file_is_reported_at_once(tmp_path: Path) -> None:
    folder = write_catalogue(
        tmp_path,
        {
            "indicators/extra.yaml": EXTRA_INDICATOR.replace("    label:", "   label:"),
            "units/extra.yaml": EXTRA_UNIT.replace("kind: province", "kind: country"),
        },
    )
    assert [(Path(file).name, line) for file, line, _, _ in problems_of(folder)] == [
        ("extra.yaml", 4),
        ("extra.yaml", 5),
    ]


@pytest.mark.django_db
def test_init_run_twice_changes_nothing(catalogue: Catalogue) -> None:
    def snapshot() -> list[object]:
        return [
            list(models.Unit.objects.values()),
            list(models.Indicator.objects.values()),
            list(models.Dataset.objects.values()),
        ]

    call_command("init", stdout=StringIO())
    before = snapshot()
    out = StringIO()
    call_command("init", stdout=out)
    assert out.getvalue() == (
        f"Danh mục / catalogue: {len(catalogue.indicators)} chỉ tiêu, {len(catalogue.datasets)} bộ số liệu, "
        f"{len(catalogue.units)} đơn vị — mới/new 0, cập nhật/updated 0, "
        f"không đổi/unchanged {len(catalogue.indicators) + len(catalogue.datasets) + len(catalogue.units)}\n"
    )
    assert snapshot() == before


@pytest.mark.django_db
def test_the_database_holds_exactly_the_catalogue(catalogue: Catalogue) -> None:
    assert (
        models.Unit.objects.count(),
        models.Indicator.objects.count(),
        models.Dataset.objects.count(),
    ) == (len(catalogue.units), len(catalogue.indicators), len(catalogue.datasets))


@pytest.mark.django_db
def test_unit_parents_and_groups_are_stored(catalogue: Catalogue) -> None:
    dong_phu = models.Unit.objects.get(code="BP.DONG_PHU")
    assert (dong_phu.parent.code if dong_phu.parent else None, [g.code for g in dong_phu.groups.all()]) == (
        "BP",
        ["BP.G.HUYEN"],
    )
    stored = {
        u.code: (u.parent.code if u.parent else None, sorted(g.code for g in u.groups.all()))
        for u in models.Unit.objects.select_related("parent").prefetch_related("groups")
    }
    assert stored == {code: (u.parent, sorted(u.groups)) for code, u in catalogue.units.items()}


@pytest.mark.django_db
def test_dataset_indicators_are_stored(catalogue: Catalogue) -> None:
    stored = {
        d.code: sorted(i.code for i in d.indicators.all())
        for d in models.Dataset.objects.prefetch_related("indicators")
    }
    assert stored == {code: sorted(ds.indicators) for code, ds in catalogue.datasets.items()}


@pytest.mark.django_db
def test_init_refuses_a_broken_catalogue_and_names_the_file_and_line(tmp_path: Path) -> None:
    folder = write_catalogue(tmp_path, {"indicators/extra.yaml": EXTRA_INDICATOR.replace("kind: count", "kind: ratio")})
    with override_settings(CATALOGUE_DIR=folder), pytest.raises(CommandError) as caught:
        call_command("init", stdout=StringIO())
    assert str(caught.value) == (
        "Danh mục có lỗi / the catalogue has errors:\n"
        f"[Lỗi] {folder / 'indicators/extra.yaml'}, dòng/row 6, trường/field indicators.0.kind: "
        "sai cấu trúc danh mục: Input should be 'percent', 'count', 'amount' or 'points' / "
        "catalogue schema violation: Input should be 'percent', 'count', 'amount' or 'points'"
    )
