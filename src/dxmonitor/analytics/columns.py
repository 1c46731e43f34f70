"""The canonical schema of dossier-level inputs: the procedures a unit offers and the dossiers it receives."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pyarrow as pa

Type = Literal["text", "bool", "timestamp", "level", "channel", "status", "rating"]

# The members of the three enumerations, in the words of Nghị định 42/2022/NĐ-CP (online levels) and of the
# one-stop-shop systems (channels, statuses). A vendor's own words map onto them in the mapping file.
LEVELS = ("full", "partial", "none")  # toàn trình, một phần, không cung cấp trực tuyến
CHANNELS = ("online", "in_person", "post")  # trực tuyến, trực tiếp, bưu chính công ích
STATUSES = ("processing", "completed", "withdrawn")  # đang xử lý, đã trả kết quả, rút/hủy (not counted)
RATINGS = (1, 2, 3, 4, 5)
MEMBERS: dict[str, tuple[str, ...]] = {"level": LEVELS, "channel": CHANNELS, "status": STATUSES}

ARROW: dict[Type, pa.DataType] = {
    "text": pa.string(),
    "bool": pa.bool_(),
    "timestamp": pa.timestamp("s"),
    "level": pa.string(),
    "channel": pa.string(),
    "status": pa.string(),
    "rating": pa.int8(),
}


@dataclass(frozen=True)
class Column:
    """A canonical column: its type, whether a file must have it, whether a row may leave it empty."""

    name: str
    type: Type
    required: bool = True  # the file must have the column (else the run stops)
    nullable: bool = False  # a row may leave the cell empty


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    def arrow_schema(self, present: tuple[str, ...]) -> pa.Schema:
        """The normalised file's schema: the columns present, then the file index and row number of each record."""
        fields = [pa.field(c.name, ARROW[c.type]) for c in self.columns if c.name in present]
        return pa.schema([*fields, pa.field("_file", pa.int16()), pa.field("_row", pa.int64())])


PROCEDURES = Table(
    "procedures",
    (
        Column("procedure_code", "text"),
        Column("unit_code", "text"),
        Column("name", "text", nullable=True),
        Column("online_level", "level"),
        Column("has_fee", "bool"),
        # Beyond the schema: facts of the 766 index's "public disclosure" group, when a system has them.
        Column("published_on_time", "bool", required=False, nullable=True),
        Column("updated_on_time", "bool", required=False, nullable=True),
        Column("content_complete", "bool", required=False, nullable=True),
    ),
)

DOSSIERS = Table(
    "dossiers",
    (
        Column("dossier_id", "text"),
        Column("procedure_code", "text"),
        Column("unit_code", "text"),
        Column("channel", "channel"),
        Column("received_at", "timestamp"),
        Column("due_at", "timestamp", nullable=True),  # empty: a procedure without a time limit
        Column("completed_at", "timestamp", nullable=True),  # empty while the dossier is open
        Column("status", "status"),
        Column("digitized", "bool"),
        Column("result_digitized", "bool"),
        Column("paid_online", "bool"),
        Column("complaint", "bool"),
        Column("satisfaction", "rating", nullable=True),
        # Beyond the schema: facts of the 766 index when a system has them (see docs/dossier-indicators.md).
        Column("synced", "bool", required=False, nullable=True),  # status synced in time with the national portal
        Column("data_reused", "bool", required=False, nullable=True),  # a component replaced by existing data
        Column("citizen_data", "bool", required=False, nullable=True),  # used the population database
    ),
)

TABLES = {t.name: t for t in (PROCEDURES, DOSSIERS)}
