"""One decision from two signals: the rules (screener.py) and the learned model (model.py).

The policy, and why:

1. **The model may raise.** The rules only know the phrases someone wrote down; the model
   reads language nobody did ("Bought a gun today. I know what it's for"). When it rates a
   text more serious than the rules do, its severity stands. Where the rules read the words
   and dismissed them for a stated reason (negated, asked and denied, a song, past tense,
   an idiom), or the text holds an idiom they know or names a song, film or book,
   overruling them takes a surer model: at least OVERRULE_AT for the level it raises to. (Measured: most of the model's false alarms on short lines were overrulings of
   this kind; see the README.)
2. **A confident model may lower a rules match only where the lexicon itself marks the phrase
   as often figurative** (`figurative = true`: "want to die", "X is going to kill me",
   hopelessness, self-hatred), and only when its probability that the text is at least as
   serious as the rules say is under LOWER_BELOW. The phrases people use in jest are the ones
   where the rules' false alarms come from, and where the model's reading of the whole
   sentence is worth most.
3. **Nothing lowers an explicit plan, means, time or goodbye**: a match in those categories,
   or one the context rules raised to imminent (a time, the means at hand, a decision), is
   never lowered, however sure the model is. Missing one costs a life; a false alarm costs a
   moderator a minute.
4. **Holds come from the rules alone**: holding a post needs the method detail the rules can
   point to.

Every result keeps both signals, so a flag explains itself: the rules' matches (with any the
model lowered marked as such) and the model's severity, probability and the three labelled
examples it reads most like.

`configure("off")` (FORUM_SCREENING_MODEL=off) screens with the rules alone, on purpose.
"""
from __future__ import annotations

import dataclasses
import logging
import re

from . import model as learned
from .normalise import normalise
from .result import Screening
from .screener import figure_of_speech
from .screener import screen as screen_rules
from .severity import Severity

log = logging.getLogger(__name__)

_WORD = re.compile(r"[^\W_]")
LOWER_BELOW = 0.10
OVERRULE_AT = 0.98
_MODES = ("on", "off")
_mode = "on"


def configure(mode: str = "on") -> learned.Model | None:
    """Choose rules + model ("on", the default) or rules alone ("off"). With "on" the model
    is loaded now, and ModelUnavailable says why it cannot be."""
    global _mode
    if mode not in _MODES:
        raise ValueError(f"screening model must be one of {', '.join(_MODES)}, not {mode!r}")
    _mode = mode
    return learned.load() if mode == "on" else None


def model_mode() -> str:
    return _mode


def screen(text: str) -> Screening:
    """Decide how urgently a peer moderator must see `text`: rules and model. Never raises."""
    rules = screen_rules(text)
    if _mode == "off":
        return rules
    try:
        words = _model_text(text)
        if not _WORD.search(words):
            return rules  # no word to read (empty, spaces, emoji the rules know nothing of)
        reading = learned.load().read(words)
        figurative = figure_of_speech(words)
    except Exception:  # a model failure must never lose the rules' answer
        log.exception("the screening model failed; this text was screened by the rules alone")
        return rules
    return decide(rules, reading, figurative)


def _model_text(text: object) -> str:
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    return normalise(text).text


def decide(rules: Screening, reading: learned.Reading, figurative: bool = False) -> Screening:
    """The policy above, applied to one text's two signals. `figurative`: the text holds an
    idiom the rules know, or names a song, film or book (screener.figure_of_speech)."""
    severity, matches, decision = rules.severity, rules.matches, "agrees with the rules"
    raise_to = reading.severity
    if figurative or any(m.severity == Severity.NONE for m in rules.matches):  # rules explained words
        raise_to = min(raise_to, _surely(reading))
    if raise_to > rules.severity:
        severity, decision = raise_to, "raised"
    elif reading.severity > rules.severity:
        decision = ("rules stand (they read these words as not meant literally; "
                    "the model was not sure enough to overrule them)")
    elif reading.severity < rules.severity:
        firm = max((m.severity for m in rules.matches if not m.may_lower), default=Severity.NONE)
        chance = _probability_at_least(reading, rules.severity)
        sure = chance < LOWER_BELOW
        lowered = max(firm, reading.severity)
        if sure and lowered < rules.severity:
            severity, decision = lowered, "lowered"
            note = f" (lowered: the model reads it as figurative, {chance:.0%} that it is {rules.severity} or worse)"
            matches = tuple(dataclasses.replace(m, rule=m.rule + note, severity=min(m.severity, lowered))
                            if m.may_lower and m.severity > lowered else m for m in rules.matches)
        else:
            decision = "rules stand" + ("" if sure else " (the model was not sure enough to lower them)")
    categories = set(rules.categories) if severity > Severity.NONE else set()
    if decision == "raised":
        categories.add("learned_model")
    if decision == "lowered":
        categories = {m.category for m in matches if m.severity > Severity.NONE}
    return Screening(severity, frozenset(categories), matches, rules.hold,
                     model=reading, rules_severity=rules.severity, decision=decision)


def _surely(reading: learned.Reading) -> Severity:
    """The highest level the model gives at least OVERRULE_AT."""
    return (Severity.NONE, *learned.LEVELS)[sum(1 for p in reading.at_least if p >= OVERRULE_AT)]


def _probability_at_least(reading: learned.Reading, level: Severity) -> float:
    return reading.at_least[level.rank - 1] if level.rank else 1.0

