"""Measure the screener against labelled lines ({"text": ..., "severity": ...} per line), and
against real posts with Columbia-scale user labels (cssrs)."""
from __future__ import annotations

import ast
import csv
import json
import re
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


# --- real posts with user-level Columbia-scale labels ---------------------------------------

CSSRS_LABELS = ("Supportive", "Indicator", "Ideation", "Behavior", "Attempt")


def read_cssrs(path: Path | str) -> list[tuple[str, str, list[str]]]:
    """(user, label, posts) per row of the C-SSRS Reddit CSV (User, Post, Label). The Post
    column is a Python list literal; the rows whose quotes were not escaped are split on the
    "', '" between posts."""
    csv.field_size_limit(1 << 24)
    users = []
    with Path(path).open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            raw = row["Post"]
            try:
                posts = [str(p) for p in ast.literal_eval(raw)]
            except (ValueError, SyntaxError):
                posts = [p for p in re.split(r"""['"], ['"]""", raw.strip()[2:-2]) if p.strip()]
            users.append((row["User"], row["Label"], posts))
    return users


@dataclass(frozen=True)
class CssrsEvaluation:
    # label -> predicted severity -> number of posts
    posts: dict[str, dict[Severity, int]]
    # label -> (users with at least one post rated elevated or above, users)
    users: dict[str, tuple[int, int]]


def evaluate_cssrs(users, screener: Callable[[str], Screening] = screen) -> CssrsEvaluation:
    posts = {label: {p: 0 for p in LEVELS} for label in CSSRS_LABELS}
    flagged_users = {label: [0, 0] for label in CSSRS_LABELS}
    for _, label, texts in users:
        if label not in posts:
            continue
        ratings = [screener(text).severity for text in texts]
        for rating in ratings:
            posts[label][rating] += 1
        flagged_users[label][1] += 1
        flagged_users[label][0] += any(r >= Severity.ELEVATED for r in ratings)
    return CssrsEvaluation(posts, {k: tuple(v) for k, v in flagged_users.items()})


def report_cssrs(ev: CssrsEvaluation) -> str:
    lines = ["label         posts    none  elevated    high  imminent   posts >= elevated   users with a post >= elevated"]
    for label in CSSRS_LABELS:
        row, total = ev.posts[label], sum(ev.posts[label].values())
        flagged = total - row[Severity.NONE]
        hit, users = ev.users[label]
        lines.append(f"{label:<12}{total:>7}" + "".join(f"{row[p]:>8}" if p != Severity.ELEVATED else f"{row[p]:>10}"
                                                       for p in LEVELS)
                     + f"   {flagged / total if total else 0:>17.1%}   {hit}/{users} ({hit / users if users else 0:.1%})")
    return "\n".join(lines)
