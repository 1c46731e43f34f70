"""Data-quality checks on a round: each finding has a severity, where it is, the figures and a sentence, said in the
language asked for (Vietnamese by default: the command line and the report; English for a page read in English)."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from dxmonitor.catalogue.schema import Indicator
from dxmonitor.catalogue.tree import in_force
from dxmonitor.evaluation.context import RoundContext
from dxmonitor.evaluation.facts import Fact, Key, PrintedFact, RoundFacts
from dxmonitor.evaluation.formats import change_text, figure, language_of, number, rounded, short_date, window_text
from dxmonitor.evaluation.rules import relative_change, total
from dxmonitor.evaluation.succession import crosses_change, lineage
from dxmonitor.intake.validation import round_shortfalls
from dxmonitor.intake.windows import Window
from dxmonitor.problems import Severity

MIN_NONZERO_FOR_COPY = 3
MIN_HISTORY = 3
OUTLIER_DEVIATIONS = Decimal("3.5")


@dataclass(frozen=True)
class QualityFinding:
    severity: Severity
    check: str
    dataset: str
    unit: str
    indicator: str
    category: str
    figures: str
    message: str  # in the language the checks ran in

    def line(self, unit_name: str) -> str:
        where = " · ".join(x for x in (self.dataset, unit_name, self.indicator, self.category) if x)
        return f"[{self.severity.value}] {self.check} · {where}: {self.message} ({self.figures})"


def _decimals_of(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


class Checker:
    """Runs every check over one round in `ctx`."""

    def __init__(self, ctx: RoundContext, history: Sequence[RoundFacts] = (), language: str = "vi"):
        self.ctx = ctx
        self.language = language_of(language)
        self.history = history  # earlier rounds, for outliers against a unit's own past
        self.facts_by_window: dict[tuple[str, str, str, Window], Fact] = {
            (f.indicator, f.unit, f.category, f.window): f for f in ctx.current.facts
        }
        self.base_by_window: dict[tuple[str, str, str, Window], Fact] = (
            {(f.indicator, f.unit, f.category, f.window): f for f in ctx.baseline.facts} if ctx.baseline else {}
        )

    def dataset_of(self, indicator: str, unit: str = "") -> str:
        for ds in self.ctx.catalogue.datasets.values():
            if indicator in ds.indicators and (not unit or unit in ds.units or unit == self.ctx.whole):
                return ds.code
        return ""

    def say(self, vi: str, en: str) -> str:
        return en if self.language == "en" else vi

    def fig(self, value: Decimal | None, ind: Indicator, decimals: int | None = None) -> str:
        return figure(value, ind.kind, ind.decimals if decimals is None else decimals, self.language)

    def num(self, value: Decimal) -> str:
        return number(value, language=self.language)

    def window(self, window: Window) -> str:
        return window_text(window, self.language)

    def finding(self, severity: Severity, check: str, key: Key, figures: str, message: str) -> QualityFinding:
        indicator, unit, category = key
        return QualityFinding(
            severity, check, self.dataset_of(indicator, unit), unit, indicator, category, figures, message
        )

    def run(self) -> list[QualityFinding]:
        found = [
            *self.printed(),
            *self.parts_against_totals(),
            *self.parts_exceed_whole(),
            *self.ranges(),
            *self.cumulative_decreases(),
            *self.period_against_running_totals(),
            *self.running_total_dates(),
            *self.unchanged(),
            *self.outliers(),
            *self.identical_rows(),
            *self.missing_units(),
            *self.declared_rules(),
        ]
        order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
        return sorted(found, key=lambda f: order[f.severity])

    # --- figures an issued report printed -------------------------------------------------------------------
    def _members(self, indicator: str, unit: str) -> list[str]:
        """The units a printed total of `unit` (the whole or a group) adds up."""
        cat = self.ctx.catalogue
        units = [u for ds in cat.datasets.values() if indicator in ds.indicators for u in ds.units]
        units = list(dict.fromkeys(u for u in units if u != self.ctx.whole))
        if unit == self.ctx.whole:
            return units
        return [u for u in units if unit in cat.units[u].groups]

    def _recompute(self, p: PrintedFact) -> Decimal | None:
        if p.measure in ("printed_change", "printed_change_pct"):
            now, before = self._main_figure(p, baseline=False), self._main_figure(p, baseline=True)
            if now is None or before is None:
                return None
            return relative_change(now, before) if p.measure == "printed_change_pct" else now - before
        key = (p.indicator, p.unit, p.category, p.window)
        fact = self.facts_by_window.get(key) or self.base_by_window.get(key)
        if fact is not None:
            return fact.value
        kind = self.ctx.catalogue.units[p.unit].kind
        if kind in ("province", "group"):
            facts = {f.key: f for f in self.ctx.current.facts if f.window == p.window}
            return total(
                self.ctx.indicator(p.indicator),
                p.category,
                self._members(p.indicator, p.unit),
                facts,
                self.ctx.catalogue,
                "",
            )
        return None

    def _main_figure(self, p: PrintedFact, baseline: bool) -> Decimal | None:
        main = self.ctx.baseline_main if baseline else self.ctx.main
        fact = main.get((p.indicator, p.unit, p.category))
        if fact is not None:
            return fact.value
        if baseline:  # a report may print the previous period itself (last month's visits next to this month's)
            now = self.ctx.main.get((p.indicator, p.unit, p.category))
            earlier = [
                f
                for f in self.ctx.current.facts
                if now and f.key == now.key and f.window.end < (now.window.start or now.window.end)
            ]
            if earlier:
                return max(earlier, key=lambda f: f.window.end).value
        if self.ctx.catalogue.units[p.unit].kind in ("province", "group"):
            return self.ctx.total(p.indicator, p.category, self._members(p.indicator, p.unit), baseline=baseline)
        return None

    def printed(self) -> Iterator[QualityFinding]:
        for p in self.ctx.current.printed:
            ind = self.ctx.indicator(p.indicator)
            key = (p.indicator, p.unit, p.category)
            ours = self._recompute(p)
            shown = self._show(ind, p.measure, p.value)
            if ours is None:
                if p.measure != "printed":
                    yield self.finding(
                        Severity.ERROR,
                        "printed_change_without_baseline",
                        key,
                        self.say(f"in: {shown}", f"printed: {shown}"),
                        self.say(
                            f"báo cáo đã in mức thay đổi «{shown}» nhưng kỳ trước không có số liệu để so sánh",
                            f"the report printed a change «{shown}» but the previous round has no figure to compare",
                        ),
                    )
                continue
            if rounded(ours, _decimals_of(p.value)) == p.value.normalize():
                continue
            mine = self._show(ind, p.measure, ours)
            yield self.finding(
                Severity.ERROR,
                "printed_differs",
                key,
                self.say(f"in: {shown}; tính lại: {mine}", f"printed: {shown}; recomputed: {mine}"),
                self.say(
                    f"báo cáo đã in «{shown}» ({self.window(p.window)}), số tính lại từ số liệu gốc là «{mine}»",
                    f"the report printed «{shown}» ({self.window(p.window)}), recomputed from the source figures "
                    f"it is «{mine}»",
                ),
            )

    def _show(self, ind: Indicator, measure: str, value: Decimal) -> str:
        if measure == "printed_change":
            return change_text(value, ind.kind, max(ind.decimals, _decimals_of(value)), self.language)
        if measure == "printed_change_pct":
            return change_text(value, "percent", 2, self.language)
        return self.fig(value, ind, max(ind.decimals, _decimals_of(value)))

    # --- the figures themselves ---------------------------------------------------------------------------
    def parts_against_totals(self) -> Iterator[QualityFinding]:
        parts: dict[tuple[str, str, Window], Decimal] = defaultdict(Decimal)
        for f in self.ctx.current.facts:
            if f.category and not f.computed:
                parts[(f.indicator, f.unit, f.window)] += f.value
        for f in self.ctx.current.facts:
            total_ = parts.get((f.indicator, f.unit, f.window))
            if f.category == "" and not f.computed and total_ is not None and total_ != f.value:
                ind = self.ctx.indicator(f.indicator)
                yield self.finding(
                    Severity.ERROR,
                    "parts_total",
                    f.key,
                    self.say(
                        f"tổng: {self.fig(f.value, ind)}; cộng các phần: {self.fig(total_, ind)}",
                        f"total: {self.fig(f.value, ind)}; parts added: {self.fig(total_, ind)}",
                    ),
                    self.say(
                        "tổng các phân loại không bằng số tổng đã báo cáo",
                        "the parts do not add up to the total reported",
                    ),
                )

    def parts_exceed_whole(self) -> Iterator[QualityFinding]:
        """The units' counts, up to an earlier or the same day, cannot add up to more than the whole's own."""
        whole = self.ctx.whole
        for (code, unit, category), fact in self.ctx.main.items():
            ind = self.ctx.indicator(code)
            if unit != whole or fact.computed or ind.kind == "percent":
                continue
            parts = [
                f
                for (i, u, c), f in self.ctx.main.items()
                if i == code
                and c == category
                and u != whole
                and not f.computed
                and f.window.end <= fact.window.end
                and self.ctx.unit(u).kind not in ("group", "province")
            ]
            summed = sum((f.value for f in parts), Decimal(0))
            if parts and summed > fact.value:
                yield self.finding(
                    Severity.ERROR,
                    "parts_exceed_whole",
                    (code, unit, category),
                    self.say(
                        f"toàn tỉnh: {self.num(fact.value)} ({self.window(fact.window)}); "
                        f"cộng {len(parts)} đơn vị: {self.num(summed)}",
                        f"province: {self.num(fact.value)} ({self.window(fact.window)}); "
                        f"{len(parts)} units added: {self.num(summed)}",
                    ),
                    self.say(
                        "số liệu toàn tỉnh nhỏ hơn tổng số liệu các đơn vị tính đến ngày sớm hơn: một trong hai bị sai",
                        "the province's figure is below the sum of its units' figures up to an earlier day: "
                        "one of them is wrong",
                    ),
                )

    def period_against_running_totals(self) -> Iterator[QualityFinding]:
        """A figure for the days since the last report should equal this year-to-date minus last report's."""
        if self.ctx.baseline is None:
            return
        for fact in self.ctx.current.facts:
            if fact.window.start is None or fact.computed:
                continue
            for now in self.ctx.current.facts:
                if (
                    now.key != fact.key
                    or now.window.end != fact.window.end
                    or now.window.start is None
                    or now.window.start >= fact.window.start
                ):
                    continue
                before = [
                    b
                    for b in self.ctx.baseline.facts
                    if b.key == now.key
                    and b.window.start == now.window.start
                    and abs((b.window.end - fact.window.start).days) <= 1
                ]
                if not before:
                    continue
                expected = now.value - before[0].value
                if expected > 0 and abs(fact.value - expected) > expected / 10:
                    ind = self.ctx.indicator(fact.indicator)
                    yield self.finding(
                        Severity.WARNING,
                        "period_against_running_totals",
                        fact.key,
                        f"{self.window(fact.window)}: {self.fig(fact.value, ind)}; "
                        f"{self.num(now.value)} − {self.num(before[0].value)} = {self.num(expected)}",
                        self.say(
                            "số liệu trong kỳ không khớp với hiệu của hai số lũy kế từ đầu năm",
                            "the figure for the period does not match the difference of the two year-to-date totals",
                        ),
                    )

    def running_total_dates(self) -> Iterator[QualityFinding]:
        """A running total that grew by exactly the month's figure, though its dates span other days."""
        if self.ctx.baseline is None:
            return
        for (code, unit, category), now in self.ctx.main.items():
            flow_code = self.ctx.indicator(code).cumulative_of
            before = self.ctx.baseline_main.get((code, unit, category))
            flow = self.ctx.main.get((flow_code or "", unit, category))
            if not flow_code or before is None or flow is None or flow.window.start is None:
                continue
            grew_by = now.value - before.value
            covered = (before.window.end + timedelta(days=1), now.window.end)
            if grew_by == flow.value and covered != (flow.window.start, flow.window.end):
                yield self.finding(
                    Severity.WARNING,
                    "running_total_dates",
                    (code, unit, category),
                    f"{self.num(before.value)} ({self.window(before.window)}) + {self.num(flow.value)} "
                    f"({self.window(flow.window)}) = {self.num(now.value)} ({self.window(now.window)})",
                    self.say(
                        "số lũy kế bằng đúng số kỳ trước cộng số của tháng, nhưng ngày số liệu không khớp: "
                        "có thể cộng dồn theo tháng rồi ghi nhầm ngày",
                        "the running total is exactly last round's plus the month's, but the days do not match: "
                        "perhaps added month by month and dated wrongly",
                    ),
                )

    def ranges(self) -> Iterator[QualityFinding]:
        for f in self.ctx.current.facts:
            ind = self.ctx.indicator(f.indicator)
            bad = f.value < 0 or (ind.kind == "percent" and f.value > 100)
            if bad:
                yield self.finding(
                    Severity.ERROR,
                    "range",
                    f.key,
                    self.fig(f.value, ind),
                    self.say(
                        "số liệu nằm ngoài khoảng hợp lệ (tỷ lệ 0–100%, số đếm không âm)",
                        "the figure is out of range (rates 0–100%, counts not negative)",
                    ),
                )

    def cumulative_decreases(self) -> Iterator[QualityFinding]:
        for key, ev in self.ctx.evaluations.items():
            if ev.indicator.cumulative and not ev.category and ev.change is not None and ev.change < 0:
                ind = ev.indicator
                yield self.finding(
                    Severity.WARNING,
                    "cumulative_decrease",
                    key,
                    f"{self.fig(ev.baseline, ind)} → {self.fig(ev.value, ind)}",
                    self.say("số lũy kế giảm so với kỳ trước", "the running total fell since the previous round"),
                )

    def unchanged(self) -> Iterator[QualityFinding]:
        """A figure that should move every month but repeats last round's (bounds such as 100% excepted)."""
        for key, ev in self.ctx.evaluations.items():
            ind = ev.indicator
            at_bound = ind.kind == "percent" and ev.value in (0, 100)
            if ind.moves_monthly and ev.change == 0 and not at_bound:
                yield self.finding(
                    Severity.WARNING,
                    "unchanged",
                    key,
                    self.fig(ev.value, ind),
                    self.say(
                        "số liệu giống hệt kỳ trước dù chỉ tiêu này thay đổi hằng tháng: có thể chép từ báo cáo cũ",
                        "the figure is the same as last round's though it changes every month: "
                        "perhaps copied from an old report",
                    ),
                )
        columns: dict[str, list[bool]] = defaultdict(list)
        for key, ev in self.ctx.evaluations.items():
            computed = self.ctx.main[key].computed
            if (
                ev.baseline is not None
                and ev.unit != self.ctx.whole
                and not ev.category
                and not computed
                and ev.value not in (0, 100)
            ):
                columns[key[0]].append(ev.change == 0)
        for code, same in columns.items():
            if len(same) >= 5 and all(same):
                yield self.finding(
                    Severity.WARNING,
                    "column_unchanged",
                    (code, "", ""),
                    self.say(f"{len(same)} đơn vị", f"{len(same)} units"),
                    self.say(
                        "cả cột số liệu giống hệt kỳ trước ở mọi đơn vị: có thể chưa được cập nhật",
                        "the whole column is the same as last round's for every unit: perhaps not updated",
                    ),
                )

    def outliers(self) -> Iterator[QualityFinding]:
        """A figure far from the unit's own history: more than 3.5 robust deviations from the median of at least
        three earlier rounds, and more than half of it away (small counts jump and are not news)."""
        past: dict[Key, list[Decimal]] = defaultdict(list)
        for earlier in self.history:
            for key, fact in earlier.main().items():
                past[key].append(fact.value)
        for key, fact in self.ctx.main.items():
            values = past.get(key, [])
            if fact.computed or len(values) < MIN_HISTORY:
                continue
            median = statistics.median(values)
            spread = statistics.median([abs(v - median) for v in values]) * Decimal("1.4826")
            distance = abs(fact.value - median)
            if distance > OUTLIER_DEVIATIONS * max(spread, abs(median) / 20) and distance > abs(median) / 2:
                ind = self.ctx.indicator(key[0])
                yield self.finding(
                    Severity.WARNING,
                    "outlier",
                    key,
                    self.say(
                        f"{self.fig(fact.value, ind)}; trung vị {len(values)} kỳ trước: {self.fig(median, ind)}",
                        f"{self.fig(fact.value, ind)}; median of {len(values)} earlier rounds: {self.fig(median, ind)}",
                    ),
                    self.say(
                        "số liệu khác xa các kỳ trước của chính đơn vị: cần xác minh",
                        "the figure is far from the unit's own earlier rounds: to be verified",
                    ),
                )

    def identical_rows(self) -> Iterator[QualityFinding]:
        """Two units with the same figures: a whole row, or the whole breakdown of one indicator."""
        by_unit: dict[str, list[Fact]] = defaultdict(list)  # one pass over the round, not one per unit
        for (_, unit, _), f in self.ctx.main.items():
            if not f.computed:
                by_unit[unit].append(f)
        for ds in self.ctx.catalogue.datasets.values():
            rows: dict[tuple[tuple[str, str, Decimal], ...], list[str]] = defaultdict(list)
            breakdowns: dict[tuple[str, tuple[tuple[str, Decimal], ...]], list[str]] = defaultdict(list)
            indicators = set(ds.indicators)
            for unit in ds.units:
                facts = [f for f in by_unit.get(unit, []) if f.indicator in indicators]
                if sum(1 for f in facts if f.value) >= MIN_NONZERO_FOR_COPY:
                    rows[tuple(sorted((f.indicator, f.category, f.value) for f in facts))].append(unit)
                by_indicator: dict[str, list[Fact]] = defaultdict(list)
                for f in facts:
                    if f.category:
                        by_indicator[f.indicator].append(f)
                for code, parts in by_indicator.items():
                    if sum(1 for f in parts if f.value) >= MIN_NONZERO_FOR_COPY:
                        breakdowns[(code, tuple(sorted((f.category, f.value) for f in parts)))].append(unit)
            for units in rows.values():
                if len(units) > 1:
                    yield self._copy_finding(ds.code, "", units, self.say("toàn bộ số liệu của dòng", "every figure"))
            for (code, parts_), units in breakdowns.items():
                if len(units) > 1:
                    ind = self.ctx.indicator(code)
                    yield self._copy_finding(
                        ds.code,
                        code,
                        units,
                        self.say("các số liệu theo phân loại: ", "the figures by category: ")
                        + ", ".join(f"{ind.category_label(c)} {self.num(v)}" for c, v in parts_),
                    )

    def _copy_finding(self, dataset: str, indicator: str, units: list[str], what: str) -> QualityFinding:
        names = ", ".join(self.ctx.unit(u).name for u in units)
        return QualityFinding(
            Severity.WARNING,
            "identical_rows",
            dataset,
            units[0],
            indicator,
            "",
            names,
            self.say(
                f"các đơn vị {names} có {what} trùng nhau: nghi sao chép",
                f"the units {names} have the same {what}: perhaps copied",
            ),
        )

    def missing_units(self) -> Iterator[QualityFinding]:
        """A unit with figures last round and none now; a unit that has ended since is no such gap (an info names
        where it went), while a new unit whose predecessors reported and which did not is one."""
        if self.ctx.baseline is None:
            return
        days = self.ctx.days()
        for ds in self.ctx.catalogue.datasets.values():

            def units_with(main: dict[Key, Fact], ds_indicators: list[str] = ds.indicators) -> set[str]:
                return {u for (i, u, _), f in main.items() if i in ds_indicators and not f.computed}

            before, now = units_with(self.ctx.baseline_main), units_with(self.ctx.main)
            gone = [u for u in ds.units if u in before and u not in now]
            if gone and not now:
                yield QualityFinding(
                    Severity.WARNING,
                    "dataset_missing",
                    ds.code,
                    "",
                    "",
                    "",
                    self.say(f"{len(gone)} đơn vị kỳ trước", f"{len(gone)} units last round"),
                    self.say(
                        "bộ số liệu có ở kỳ trước nhưng kỳ này không có",
                        "the dataset had figures last round but has none this round",
                    ),
                )
                continue
            ended = [u for u in gone if not in_force(self.ctx.unit(u), days)]
            yield from (self._succeeded(ds.code, u) for u in ended)
            yield from self._successors_missing(ds.code, ds.units, before, now)
            for unit in (u for u in gone if u not in ended):
                yield QualityFinding(
                    Severity.WARNING,
                    "missing_unit",
                    ds.code,
                    unit,
                    "",
                    "",
                    self.say("kỳ trước có số liệu", "figures last round"),
                    self.say(
                        "đơn vị có số liệu ở kỳ trước nhưng kỳ này không có",
                        "the unit had figures last round but has none this round",
                    ),
                )

    def _succeeded(self, dataset: str, unit: str) -> QualityFinding:
        """An info for a unit that had figures in the baseline and has ended before this round."""
        old = self.ctx.unit(unit)
        ended = old.valid_to.strftime("%d/%m/%Y") if old.valid_to else ""
        if self.language == "en" and old.valid_to:
            ended = short_date(old.valid_to, "en")
        named = ", ".join(self.ctx.unit(s).name for s in old.successors)
        heirs = named or self.say("không có đơn vị kế thừa", "no successor")
        return QualityFinding(
            Severity.INFO,
            "succeeded_unit",
            dataset,
            unit,
            "",
            "",
            self.say(f"kết thúc {ended} → {heirs}", f"ended {ended} → {heirs}"),
            self.say(
                f"{old.name} đã kết thúc ngày {ended}, không còn báo cáo; đơn vị kế thừa: {heirs}",
                f"{old.name} ended on {ended} and reports no more; its successors: {heirs}",
            ),
        )

    def _successors_missing(
        self, dataset: str, members: list[str], before: set[str], now: set[str]
    ) -> Iterator[QualityFinding]:
        """A unit of this round's tree whose predecessors reported in the baseline, and which has not reported."""
        days, base_days = self.ctx.days(), self.ctx.days(baseline=True)
        for unit in members:
            if unit in now or not in_force(self.ctx.unit(unit), days):
                continue
            if not crosses_change(self.ctx.catalogue, unit, base_days):
                continue
            reported = [p for p in lineage(self.ctx.catalogue, unit, base_days) if p in before]
            if not reported:
                continue
            names = ", ".join(self.ctx.unit(p).name for p in reported)
            yield QualityFinding(
                Severity.WARNING,
                "successor_missing",
                dataset,
                unit,
                "",
                "",
                self.say(f"kỳ trước có số liệu: {names}", f"figures last round: {names}"),
                self.say(
                    f"đơn vị mới chưa báo cáo, trong khi đơn vị tiền thân đã báo cáo ở kỳ trước ({names})",
                    f"the new unit has not reported, while its predecessors reported last round ({names})",
                ),
            )

    def declared_rules(self) -> Iterator[QualityFinding]:
        """The catalogue's validation rules that only a whole round can break, on the figures the round shows."""
        figures = {key: fact.value for key, fact in self.ctx.main.items() if not fact.computed}
        for s in round_shortfalls(self.ctx.catalogue, figures):
            message = self.say(s.message_vi, s.message_en)
            yield QualityFinding(s.severity, s.rule, s.dataset, s.unit, s.indicator, "", s.figures, message)


def run_checks(ctx: RoundContext, history: Sequence[RoundFacts] = (), language: str = "vi") -> list[QualityFinding]:
    """Every data-quality finding of the round in `ctx` (with earlier rounds for outliers), errors first, said in
    `language` ("vi" or "en")."""
    return Checker(ctx, history, language).run()
