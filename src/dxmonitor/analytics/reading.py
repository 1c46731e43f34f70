"""Read a vendor's CSV or Parquet files into one canonical Parquet file, batch by batch (memory stays flat).

Each record keeps its file and row, so that a bad record can be shown where it was written; a cell that cannot be
read (a date that is no date, a channel the mapping does not know, an empty required cell) marks its record with
the kind, the column and the text written, and the set-based checks of `records.py` take it from there."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from dxmonitor.analytics.columns import Column, Table
from dxmonitor.analytics.mapping import ISO_FORMATS, VIETNAMESE_FORMATS, TableMapping, value_words, word_key
from dxmonitor.problems import Location, Problem, error, warning

BATCH_ROWS = 131_072
CSV_BLOCK = 8 << 20
ISSUE_FIELDS = [pa.field("_issue", pa.string()), pa.field("_field", pa.string()), pa.field("_raw", pa.string())]


@dataclass
class Prepared:
    """A table read into one canonical Parquet file: the optional columns it has, its rows, what went wrong."""

    path: Path
    present: tuple[str, ...] = ()
    rows: int = 0
    files: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


class _Source:
    """One input file: its headers and its rows as Arrow batches of strings (CSV) or typed columns (Parquet)."""

    def __init__(self, path: Path, mapping: TableMapping):
        self.path = path
        self.mapping = mapping
        self.parquet = path.suffix.lower() in (".parquet", ".pq")
        if self.parquet:
            self.headers = list(pq.ParquetFile(path).schema_arrow.names)
            self.first_row = 1  # the first record of a Parquet file is its row 1
        else:
            with path.open(encoding=mapping.encoding, newline="") as handle:
                line = handle.readline()
            self.delimiter = mapping.delimiter or _guess_delimiter(line)
            self.headers = next(csv.reader([line], delimiter=self.delimiter)) if line.strip() else []
            self.first_row = 2  # row 1 of a CSV file is its header

    def batches(self, wanted: list[str]) -> Iterator[pa.RecordBatch]:
        if self.parquet:
            yield from pq.ParquetFile(self.path).iter_batches(batch_size=BATCH_ROWS, columns=wanted)
            return
        options = pacsv.ConvertOptions(
            column_types=dict.fromkeys(self.headers, pa.string()), include_columns=wanted, strings_can_be_null=False
        )
        reader = pacsv.open_csv(
            self.path,
            read_options=pacsv.ReadOptions(block_size=CSV_BLOCK, encoding=self.mapping.encoding.replace("-sig", "")),
            parse_options=pacsv.ParseOptions(delimiter=self.delimiter),
            convert_options=options,
        )
        yield from reader


def _guess_delimiter(line: str) -> str:
    return max((",", ";", "\t", "|"), key=line.count)


def _headers_of(table: Table, source: _Source) -> tuple[dict[str, str], list[str]]:
    """Canonical column → the file's header for it, and the required columns the file lacks."""
    by_key = {word_key(h): h for h in source.headers}
    found, missing = {}, []
    for column in table.columns:
        header = by_key.get(word_key(source.mapping.columns.get(column.name, column.name)))
        if header is not None:
            found[column.name] = header
        elif column.required:
            missing.append(column.name)
    return found, missing


def prepare(
    table: Table, paths: list[Path], mapping: TableMapping, out: Path, progress: Callable[[int], None] | None = None
) -> Prepared:
    """Read every file of one table into `out`; with a missing file or column, nothing is read and it says why."""
    prepared = Prepared(out, files=[p.name for p in paths])
    sources: list[tuple[_Source, dict[str, str]]] = []
    for path in paths:
        try:
            source = _Source(path, mapping)
        except (OSError, UnicodeDecodeError, pa.ArrowException) as exc:
            prepared.problems.append(
                error(Location(file=path.name), f"không đọc được tệp: {exc}", f"cannot read the file: {exc}")
            )
            continue
        found, missing = _headers_of(table, source)
        for name in missing:
            written = mapping.columns.get(name, name)
            prepared.problems.append(
                error(
                    Location(file=path.name, row=1, field=name),
                    f"thiếu cột '{written}' ({table.name}.{name}); có: {', '.join(source.headers) or 'không có'}",
                    f"missing column '{written}' ({table.name}.{name}); found: {', '.join(source.headers) or 'none'}",
                )
            )
        sources.append((source, found))
    if prepared.problems:
        return prepared
    present = [c.name for c in table.columns if all(c.name in found for _, found in sources)]
    for column in table.columns:
        if column.name not in present and any(column.name in found for _, found in sources):
            prepared.problems.append(
                warning(
                    Location(field=column.name),
                    f"cột '{column.name}' chỉ có ở một số tệp nên không được dùng",
                    f"column '{column.name}' is only in some of the files and is not used",
                )
            )
    prepared.present = tuple(present)
    schema = table.arrow_schema(prepared.present)
    schema = pa.schema([*schema, *ISSUE_FIELDS])
    with pq.ParquetWriter(out, schema) as writer:
        for index, (source, found) in enumerate(sources):
            try:
                prepared.rows += _copy(table, source, found, present, index, schema, writer, progress)
            except pa.ArrowException as exc:
                prepared.problems.append(
                    error(Location(file=source.path.name), f"tệp bị hỏng: {exc}", f"the file is damaged: {exc}")
                )
    return prepared


def _copy(
    table: Table,
    source: _Source,
    found: dict[str, str],
    present: list[str],
    index: int,
    schema: pa.Schema,
    writer: pq.ParquetWriter,
    progress: Callable[[int], None] | None,
) -> int:
    row = source.first_row
    headers = [found[name] for name in present]
    for batch in source.batches(sorted(set(headers))):
        issues = _Issues(len(batch))
        arrays = [_convert(table.column(n), batch.column(found[n]), source.mapping, issues) for n in present]
        rows = np.arange(row, row + len(batch), dtype=np.int64)
        arrays += [pa.array(np.full(len(batch), index, dtype=np.int16)), pa.array(rows), *issues.arrays()]
        writer.write_batch(pa.RecordBatch.from_arrays(arrays, schema=schema))
        row += len(batch)
        if progress:
            progress(len(batch))
    return row - source.first_row


class _Issues:
    """The first unreadable cell of each row of a batch: its kind, its column and what was written."""

    def __init__(self, size: int):
        self.kind = pa.nulls(size, pa.string())
        self.field = pa.nulls(size, pa.string())
        self.raw = pa.nulls(size, pa.string())

    def mark(self, mask: pa.Array, kind: str, column: str, raw: pa.Array) -> None:
        mask = pc.and_(pc.fill_null(mask, False), pc.is_null(self.kind))
        if not pc.any(mask).as_py():
            return
        self.kind = pc.if_else(mask, kind, self.kind)
        self.field = pc.if_else(mask, column, self.field)
        self.raw = pc.if_else(mask, pc.cast(raw, pa.string()), self.raw)

    def arrays(self) -> list[pa.Array]:
        return [self.kind, self.field, self.raw]


def _convert(column: Column, cells: pa.Array, mapping: TableMapping, issues: _Issues) -> pa.Array:
    """One column of a batch in its canonical type; unreadable and missing cells are marked in `issues`."""
    text = None
    if pa.types.is_string(cells.type) or pa.types.is_large_string(cells.type):
        text = pc.utf8_trim_whitespace(cells)
        text = pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)
    if column.type in ("level", "channel", "status", "bool", "rating"):
        typed = _by_words(column, cells if text is None else text, mapping)
    elif column.type == "timestamp":
        typed = _timestamps(cells if text is None else text, mapping)
    else:
        typed = text if text is not None else pc.cast(cells, pa.string())
    blank = pc.is_null(cells) if text is None else pc.is_null(text)
    issues.mark(pc.and_(pc.is_null(typed), pc.invert(blank)), "unreadable_value", column.name, cells)
    if not column.nullable:
        issues.mark(blank, "missing_value", column.name, cells)
    return typed


def _by_words(column: Column, cells: pa.Array, mapping: TableMapping) -> pa.Array:
    """Booleans, enumerations and ratings: each distinct cell looked up once, then taken for the whole batch."""
    if column.type == "bool" and pa.types.is_boolean(cells.type):
        return cells
    if column.type == "rating" and (pa.types.is_integer(cells.type) or pa.types.is_floating(cells.type)):
        whole = pc.and_(pc.greater_equal(cells, 1), pc.less_equal(cells, 5))
        whole = pc.and_(whole, pc.equal(pc.floor(pc.cast(cells, pa.float64())), pc.cast(cells, pa.float64())))
        return pc.if_else(whole, pc.cast(cells, pa.int8(), safe=False), pa.scalar(None, pa.int8()))
    distinct = pc.unique(cells)
    if column.type == "rating":
        ratings = {"1": 1, "2": 2, "3": 3, "4": 4, "5": 5}
        meaning = [None if v is None else ratings.get(str(v).strip().removesuffix(".0")) for v in distinct.to_pylist()]
        return pc.take(pa.array(meaning, pa.int8()), pc.index_in(cells, value_set=distinct))
    words = value_words(mapping, column.name, column.type)
    known = [None if v is None else words.get(word_key(str(v))) for v in distinct.to_pylist()]
    if column.type == "bool":
        as_bool = [None if k is None else k == "true" for k in known]
        return pc.take(pa.array(as_bool, pa.bool_()), pc.index_in(cells, value_set=distinct))
    return pc.take(pa.array(known, pa.string()), pc.index_in(cells, value_set=distinct))


def _timestamps(cells: pa.Array, mapping: TableMapping) -> pa.Array:
    if pa.types.is_timestamp(cells.type) or pa.types.is_date(cells.type):
        return pc.cast(cells, pa.timestamp("s"))
    if not pa.types.is_string(cells.type):
        return pa.nulls(len(cells), pa.timestamp("s"))
    result = pa.nulls(len(cells), pa.timestamp("s"))
    for fmt in (*mapping.timestamp_formats, *ISO_FORMATS, *VIETNAMESE_FORMATS):
        missing = pc.and_(pc.is_null(result), pc.is_valid(cells))
        if not pc.any(missing).as_py():
            break
        parsed = pc.strptime(cells, format=fmt, unit="s", error_is_null=True)
        result = pc.coalesce(result, _real_days(cells, parsed, fmt))
    return result


def _real_days(cells: pa.Array, parsed: pa.Array, fmt: str) -> pa.Array:
    """`parsed` where the day and month written are the ones read: Arrow's parser rolls 31/02 over into March."""
    order = {
        "%d": (r"^(?P<a>\d{1,2})\D(?P<b>\d{1,2})\D", "day", "month"),
        "%Y": (r"^\d{4}\D(?P<a>\d{1,2})\D(?P<b>\d{1,2})", "month", "day"),
    }
    if fmt[:2] not in order:
        return parsed  # a vendor's own format: trusted as it is
    pattern, first, second = order[fmt[:2]]
    parts = pc.extract_regex(cells, pattern)
    written_first = pc.cast(pc.struct_field(parts, [0]), pa.int64())
    written_second = pc.cast(pc.struct_field(parts, [1]), pa.int64())
    same = pc.and_(
        pc.equal(written_first, getattr(pc, first)(parsed)), pc.equal(written_second, getattr(pc, second)(parsed))
    )
    return pc.if_else(pc.fill_null(same, False), parsed, pa.scalar(None, pa.timestamp("s")))
