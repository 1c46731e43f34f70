"""The computation itself, written once as Ibis expressions: it runs on DuckDB and on Spark alike.

Every record gets its first problem (`_issue`, null when clean); then one pass over the dossiers counts, for each
unit, procedure and kind of problem, what every indicator needs. Counts add up over any set of units, so a parent's
figures come from its records, never from its children's rates."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

import ibis
import ibis.expr.types as ir

ONLINE_CAPABLE = ("full", "partial")
DISSATISFIED = 2  # a rating of 1 or 2 out of 5: "không hài lòng"
EXAMPLES = 5
NO_ISSUE = ibis.null("string")


def _text(value: ir.Value) -> ir.StringValue:
    return value.cast("string")


def classify_procedures(procedures: ir.Table, units: Collection[str]) -> ir.Table:
    """Each procedure with its first problem: unreadable, duplicated (code and unit seen before), unknown unit."""
    p = procedures.mutate(
        _copy=ibis.row_number().over(
            group_by=[procedures.procedure_code, procedures.unit_code], order_by=[procedures._file, procedures._row]
        )
    )
    issue = ibis.cases(
        (p._issue.notnull(), p._issue),
        (p._copy > 0, "duplicated_procedure"),
        ((~p.unit_code.isin(list(units))).fill_null(False), "unknown_unit"),
        else_=NO_ISSUE,
    )
    return p.mutate(_issue=issue).drop("_copy")


def classify_dossiers(dossiers: ir.Table, procedures: ir.Table, units: Collection[str]) -> ir.Table:
    """Each dossier with its first problem, and the online level and fee of its procedure when it is known.

    A dossier id seen before (earlier file, then earlier row) marks the later copies; the first is kept."""
    d = dossiers.mutate(
        _copy=ibis.row_number().over(group_by=dossiers.dossier_id, order_by=[dossiers._file, dossiers._row])
    )
    clean = procedures.filter(procedures._issue.isnull())
    known = clean.select(
        _p_code=clean.procedure_code, _p_unit=clean.unit_code, online_level=clean.online_level, has_fee=clean.has_fee
    )
    j = d.left_join(known, [d.procedure_code == known._p_code, d.unit_code == known._p_unit])
    status_mismatch = ((j.status == "completed") & j.completed_at.isnull()) | (
        (j.status == "processing") & j.completed_at.notnull()
    )
    issue = ibis.cases(
        (j._issue.notnull(), j._issue),
        (j._copy > 0, "duplicated_dossier_id"),
        ((~j.unit_code.isin(list(units))).fill_null(False), "unknown_unit"),
        (j._p_code.isnull(), "unknown_procedure"),
        ((j.completed_at < j.received_at).fill_null(False), "completed_before_received"),
        ((j.due_at < j.received_at).fill_null(False), "due_before_received"),
        (status_mismatch.fill_null(False), "status_mismatch"),
        else_=NO_ISSUE,
    )
    return j.mutate(_issue=issue).drop("_copy", "_p_code", "_p_unit")


def _shown(bad: ir.Table) -> tuple[ir.StringValue, ir.StringValue]:
    """The column and the written value that show a bad record's problem (computed for the few examples only)."""
    kind = bad._issue
    pairs: list[tuple[str, str, ir.Value]] = [
        ("duplicated_procedure", "procedure_code", bad.procedure_code + " @ " + bad.unit_code),
        ("duplicated_dossier_id", "dossier_id", bad["dossier_id"] if "dossier_id" in bad.columns else bad._raw),
        ("unknown_unit", "unit_code", bad.unit_code),
        ("unknown_procedure", "procedure_code", bad.procedure_code + " @ " + bad.unit_code),
    ]
    if "completed_at" in bad.columns:
        pairs += [
            ("completed_before_received", "completed_at", _text(bad.completed_at)),
            ("due_before_received", "due_at", _text(bad.due_at)),
            ("status_mismatch", "status", bad.status + " / " + _text(bad.completed_at).fill_null("")),
        ]
    field = ibis.cases(*[(kind == k, ibis.literal(f)) for k, f, _ in pairs], else_=bad._field)
    raw = ibis.cases(*[(kind == k, _text(r)) for k, _, r in pairs], else_=bad._raw)
    return field, raw


def _count(condition: ir.BooleanValue) -> ir.IntegerScalar:
    return condition.fill_null(False).cast("int64").sum()


def dossier_counts(classified: ir.Table, start: datetime, end: datetime, present: Collection[str]) -> ir.Table:
    """Counts by unit, procedure, online level and kind of problem for the period [start, end): one pass, a small
    table out. Withdrawn dossiers count in no indicator; a problem row counts only as a record of its kind."""
    c = classified
    s, e = ibis.literal(start, "timestamp"), ibis.literal(end, "timestamp")
    counted = c._issue.isnull() & (c.status != "withdrawn")
    # Each condition once, as a column, so that the engine evaluates it once per record.
    d = c.mutate(
        _received=(counted & (c.received_at >= s) & (c.received_at < e)).fill_null(False),
        _handled=(counted & (c.received_at < e) & (c.completed_at.isnull() | (c.completed_at >= s))).fill_null(False),
        _completed=(counted & (c.completed_at >= s) & (c.completed_at < e)).fill_null(False),
    )
    d = d.mutate(
        _late_done=(d._completed & d.due_at.notnull() & (d.completed_at > d.due_at)).fill_null(False),
        _late_open=(
            d._handled & (d.completed_at.isnull() | (d.completed_at >= e)) & d.due_at.notnull() & (d.due_at < e)
        ).fill_null(False),
    )
    received, handled, completed, late_done, late_open = (
        d._received,
        d._handled,
        d._completed,
        d._late_done,
        d._late_open,
    )
    counts = {
        "records": d._row.count(),
        "received": _count(received),
        "received_online": _count(received & (d.channel == "online")),
        "handled": _count(handled),
        "completed": _count(completed),
        "overdue": _count(late_done | late_open),
        "result_electronic": _count(completed & d.result_digitized),
        "digitized": _count(received & d.digitized),
        "fee_received": _count(received & d.has_fee),
        "paid_online": _count(received & d.has_fee & d.paid_online),
        "dissatisfied": _count(completed & ((d.satisfaction <= DISSATISFIED) | d.complaint | late_done)),
    }
    if "synced" in present:
        counts["synced"] = _count(handled & d.synced)
    if "data_reused" in present:
        counts["data_reused"] = _count(received & d.data_reused)
    if "citizen_data" in present:
        counts["citizen_data"] = _count(received & d.citizen_data)
    return d.group_by(["unit_code", "procedure_code", "online_level", "_issue"]).aggregate(**counts)


def procedure_counts(classified: ir.Table, present: Collection[str]) -> ir.Table:
    """Counts of procedures by unit and kind of problem: offered, online-capable, with a fee, disclosed in time."""
    p = classified
    clean = p._issue.isnull()
    counts = {
        "records": p._row.count(),
        "procedures": _count(clean),
        "online_capable": _count(clean & p.online_level.isin(list(ONLINE_CAPABLE))),
        "with_fee": _count(clean & p.has_fee),
    }
    for name in ("published_on_time", "updated_on_time", "content_complete"):
        if name in present:
            counts[name] = _count(clean & p[name])
    return p.group_by(["unit_code", "_issue"]).aggregate(**counts)


def examples(classified: ir.Table, limit: int = EXAMPLES) -> ir.Table:
    """The first few records of each kind of problem, in file and row order, with the column and value to show."""
    bad = classified.filter(classified._issue.notnull())
    ranked = bad.mutate(_rank=ibis.row_number().over(group_by=bad._issue, order_by=[bad._file, bad._row]))
    first = ranked.filter(ranked._rank < limit)
    field, raw = _shown(first)
    return first.select("_issue", "_file", "_row", _field=field, _raw=raw)
