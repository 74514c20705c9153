"""Load lexicon.toml once, at import, into compiled, read-only structures.

Everything built here is immutable after import, so `screen` can share it across threads.
A phrase that does not parse fails the import: a bad lexicon edit cannot ship silently.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType

import ahocorasick

from .phrases import Compiled, PhraseError, alternation, bounded, compile_phrase
from .severity import Severity

LEXICON_PATH = Path(__file__).with_name("lexicon.toml")
# A match in these categories states a plan, means, a time, a goodbye or an attempt: no
# rule of the model's ever lowers it (see decision.py).
EXPLICIT = frozenset({"plan", "goodbye", "attempt", "method_detail"})
SELF_RISK = frozenset({
    "suicidal_ideation", "passive_ideation", "hopelessness", "burden", "self_loathing",
    "self_harm", "plan", "goodbye", "attempt", "method_detail", "warning_sign",
})


@dataclass(frozen=True, eq=False)
class Entry:
    """One lexicon phrase with its group's meaning."""

    phrase: str
    regex: re.Pattern  # ends at a word boundary; the caller checks that a match starts one
    category: str
    severity: Severity
    note: str
    hold: bool
    about_self: bool  # the "who is it about" rules apply
    time_makes_imminent: bool
    figurative: bool  # often said in jest or as a figure of speech: the model may lower it


@dataclass(frozen=True)
class Lexicon:
    entries: tuple[Entry, ...]
    # anchor text -> (its length, entries if it starts a word, entries wherever it is)
    automaton: ahocorasick.Automaton
    cues: MappingProxyType  # context list name -> regex (as Entry.regex), or a word set
    emoji: MappingProxyType
    spelling: MappingProxyType
    words: frozenset[str]  # every word the lexicon knows (to re-split "iwanttodie")


def load(path: Path = LEXICON_PATH) -> Lexicon:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    raw_lists = data.get("lists", {})
    context = data.get("context", {})
    negations = "|".join(
        re.escape(w).replace("'", "'?") for w in sorted(context["negation"], key=len, reverse=True)
    ).replace(r"\ ", r"\s+")

    @cache
    def named_list(name: str) -> Compiled:
        if name not in raw_lists:
            raise PhraseError(f"unknown list <{name}>")
        return _alternation(raw_lists[name])

    def _alternation(phrases: list[str]) -> Compiled:
        return alternation([compile_phrase(p, named_list, negations) for p in phrases])

    entries = []
    for group in data["group"]:
        for phrase in group["phrases"]:
            compiled = compile_phrase(phrase, named_list, negations)
            if not compiled.anchors:
                raise PhraseError(f"phrase has no literal word to anchor on: {phrase!r}")
            entries.append((compiled.anchors, Entry(
                phrase=phrase,
                regex=re.compile(bounded(compiled.regex, left=False)),
                category=group["category"],
                severity=Severity(group["severity"]),
                note=group["note"],
                hold=group.get("hold", False),
                about_self=group.get("about_self", True),
                time_makes_imminent=group.get("time_makes_imminent", False),
                figurative=group.get("figurative", False),
            )))

    by_anchor: dict[str, tuple[set[int], set[int]]] = {}
    for index, (anchors, _) in enumerate(entries):
        for text, starts_word in anchors:
            by_anchor.setdefault(text, (set(), set()))[0 if starts_word else 1].add(index)
    automaton = ahocorasick.Automaton()
    for text, (at_word_start, anywhere) in by_anchor.items():
        automaton.add_word(text, (len(text), frozenset(at_word_start - anywhere), frozenset(anywhere)))
    automaton.make_automaton()

    cues = {name: re.compile(bounded(_alternation(phrases).regex, left=False))
            for name, phrases in context.items()
            if name not in ("negation_blockers", "negation_hedges")}
    cues["negation"] = re.compile(bounded(negations, left=False))
    for name in ("negation_blockers", "negation_hedges"):
        cues[name] = frozenset(context[name])

    words = set()
    for text in _all_phrase_text(data):
        words.update(re.findall(r"[a-z][a-z']*", text.replace("*", "")))
    return Lexicon(
        entries=tuple(e for _, e in entries),
        automaton=automaton,
        cues=MappingProxyType(cues),
        emoji=MappingProxyType(dict(data.get("emoji", {}))),
        spelling=MappingProxyType(dict(data.get("spelling", {}))),
        words=frozenset(words),
    )


def _all_phrase_text(data: dict):
    for group in data["group"]:
        yield from group["phrases"]
    for phrases in data.get("lists", {}).values():
        yield from phrases
    for phrases in data.get("context", {}).values():
        yield from phrases
    yield from data.get("spelling", {}).values()


LEXICON = load()
