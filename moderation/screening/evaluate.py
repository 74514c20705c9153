"""Measure the screener against labelled lines: {"text": ..., "severity": ...} per line."""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from .result import Screening
from .screener import screen
from .severity import Severity

LEVELS = tuple(Severity)


@dataclass(frozen=True)
class Miss:
    text: str
    gold: Severity
    predicted: Severity


@dataclass(frozen=True)
class Evaluation:
    confusion: dict[Severity, dict[Severity, int]]  # gold -> predicted -> count
    misses: tuple[Miss, ...]
    skipped: int = 0  # lines that were not {"text": str, "severity": a level}

    def _count(self, gold: Iterable[Severity], predicted: Callable[[Severity], bool]) -> tuple[int, int]:
        rows = [(p, n) for g in gold for p, n in self.confusion[g].items()]
        return sum(n for p, n in rows if predicted(p)), sum(n for _, n in rows)

    @staticmethod
    def _rate(hit_total: tuple[int, int]) -> float | None:
        hit, total = hit_total
        return hit / total if total else None

    @property
    def imminent_recall(self) -> float | None:
        """Gold imminent predicted imminent."""
        return self._rate(self._count([Severity.IMMINENT], lambda p: p == Severity.IMMINENT))

    @property
    def high_recall(self) -> float | None:
        """Gold high or imminent predicted high or above."""
        return self._rate(self._count([Severity.HIGH, Severity.IMMINENT], lambda p: p >= Severity.HIGH))

    @property
    def imminent_missed(self) -> int:
        """Gold imminent predicted none: the worst error there is."""
        return self.confusion[Severity.IMMINENT][Severity.NONE]

    @property
    def none_pass_rate(self) -> float | None:
        """Gold none predicted none: the false alarms' complement."""
        return self._rate(self._count([Severity.NONE], lambda p: p == Severity.NONE))


def read_cases(path: Path | str) -> list[object]:
    """The JSON value of each non-blank line (an unreadable line becomes None)."""
    rows: list[object] = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError:
                rows.append(None)
    return rows


def evaluate(rows: Iterable[object], screener: Callable[[str], Screening] = screen) -> Evaluation:
    confusion = {g: {p: 0 for p in LEVELS} for g in LEVELS}
    misses, skipped = [], 0
    for row in rows:
        if not (isinstance(row, dict) and isinstance(row.get("text"), str)
                and row.get("severity") in LEVELS):
            skipped += 1
            continue
        gold, predicted = Severity(row["severity"]), screener(row["text"]).severity
        confusion[gold][predicted] += 1
        if predicted != gold:
            misses.append(Miss(row["text"], gold, predicted))
    return Evaluation(confusion, tuple(misses), skipped)


def report(ev: Evaluation) -> str:
    """The confusion table, the four figures that matter, then every misclassified line."""
    width = max(len(level) for level in LEVELS) + 2
    lines = ["gold \\ predicted".ljust(18) + "".join(level.value.rjust(width) for level in LEVELS) + "   total"]
    for gold in LEVELS:
        row = ev.confusion[gold]
        lines.append(gold.value.ljust(18) + "".join(str(row[p]).rjust(width) for p in LEVELS)
                     + str(sum(row.values())).rjust(8))

    def pct(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.1%}"

    lines += [
        "",
        f"imminent recall (predicted imminent):        {pct(ev.imminent_recall)}",
        f"high+imminent recall (predicted >= high):    {pct(ev.high_recall)}",
        f"imminent predicted none:                     {ev.imminent_missed}",
        f"none pass rate (gold none predicted none):   {pct(ev.none_pass_rate)}",
    ]
    if ev.skipped:
        lines.append(f"skipped lines (not {{\"text\", \"severity\"}}):   {ev.skipped}")
    if ev.misses:
        lines += ["", f"misclassified ({len(ev.misses)}):"]
        lines += [f"  {m.gold.value:>8} -> {m.predicted.value:<8}  {m.text}" for m in ev.misses]
    return "\n".join(lines)
