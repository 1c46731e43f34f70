"""The column-mapping file: how one vendor's export (VNPT, Viettel, …) maps onto the canonical schema.

```yaml
dossiers:
  delimiter: ";"                       # CSV only; by default guessed from the header line
  timestamp_formats: ["%d/%m/%Y %H:%M"]
  columns: {dossier_id: MaHoSo, received_at: NgayTiepNhan, …}   # canonical name: the vendor's header
  values:
    channel: {online: [Trực tuyến], in_person: [Trực tiếp], post: [Bưu chính]}
    paid_online: {"true": [Đã thanh toán], "false": [Chưa thanh toán]}
rules: {duplicated_dossier_id: stop}   # stop or leave_out, by kind of bad record
```
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from dxmonitor.analytics.columns import MEMBERS, TABLES
from dxmonitor.catalogue.loading import load_file
from dxmonitor.catalogue.schema import Strict
from dxmonitor.intake.names import folded
from dxmonitor.problems import Problem

Rule = Literal["stop", "leave_out"]

# Words read as a boolean without a mapping: Vietnamese and English, as exports write them.
TRUE_WORDS = ("true", "1", "yes", "y", "x", "co", "dung", "da")
FALSE_WORDS = ("false", "0", "no", "n", "khong", "sai", "chua")
ISO_FORMATS = ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d")
VIETNAMESE_FORMATS = ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y")


class TableMapping(Strict):
    columns: dict[str, str] = Field(default_factory=dict)
    values: dict[str, dict[str, list[str]]] = Field(default_factory=dict)
    timestamp_formats: list[str] = Field(default_factory=list)
    delimiter: str | None = Field(default=None, min_length=1, max_length=1)
    encoding: str = "utf-8-sig"


class MappingFile(Strict):
    procedures: TableMapping = TableMapping()
    dossiers: TableMapping = TableMapping()
    rules: dict[str, Rule] = Field(default_factory=dict)

    @model_validator(mode="after")
    def known_names(self) -> MappingFile:
        for table_name, mapping in (("procedures", self.procedures), ("dossiers", self.dossiers)):
            table = TABLES[table_name]
            for name in [*mapping.columns, *mapping.values]:
                if name not in table.names:
                    raise ValueError(f"{table_name}: no canonical column '{name}' (known: {', '.join(table.names)})")
            for name, words in mapping.values.items():
                kind = table.column(name).type
                allowed = ("true", "false") if kind == "bool" else MEMBERS.get(kind, ())
                unknown = [w for w in words if w not in allowed]
                if unknown:
                    raise ValueError(f"{table_name}.{name}: '{unknown[0]}' is none of {', '.join(allowed)}")
        return self


def load_mapping(path: Path | None) -> tuple[MappingFile, list[Problem]]:
    """The mapping file checked against its schema (problems name the file and line); the defaults without one."""
    if path is None:
        return MappingFile(), []
    parsed, problems, _ = load_file(path, MappingFile)
    return (parsed or MappingFile()), problems


def word_key(text: str) -> str:
    """How a cell's word is matched against the mapping's: case, spaces and diacritics folded."""
    return folded(text).replace(" ", "_")


def value_words(mapping: TableMapping, column: str, kind: str) -> dict[str, str]:
    """Folded word → canonical member (or "true"/"false") for one column: the canonical words, then the mapping's."""
    if kind == "bool":
        words = {w: "true" for w in TRUE_WORDS} | {w: "false" for w in FALSE_WORDS}
    else:
        words = {word_key(m): m for m in MEMBERS[kind]}
    for member, written in mapping.values.get(column, {}).items():
        words.update({word_key(w): member for w in written})
    return words
