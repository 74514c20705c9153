"""What a screening returns: small frozen values, safe to share between threads."""
from __future__ import annotations

from dataclasses import dataclass, field

from .severity import Severity


@dataclass(frozen=True, slots=True)
class Match:
    """One lexicon phrase that fired, and what the context rules made of it.

    `span` is (start, end) in the ORIGINAL text, so `text[start:end] == phrase`. `rule` is the
    copy a moderator reads: the lexicon group's note, then any context rule that changed it
    ("negated", "past tense / recovery", "third person", ...). A match the context rules
    dismissed is kept with severity NONE, so the moderator can see why it did not count.
    """

    phrase: str
    category: str
    severity: Severity
    span: tuple[int, int]
    rule: str

    def to_dict(self) -> dict:
        return {
            "phrase": self.phrase,
            "category": self.category,
            "severity": self.severity.value,
            "span": list(self.span),
            "rule": self.rule,
        }


@dataclass(frozen=True, slots=True)
class Screening:
    severity: Severity = Severity.NONE
    categories: frozenset[str] = field(default_factory=frozenset)
    matches: tuple[Match, ...] = ()
    hold: bool = False  # method or means detail: hold for review (safe messaging)

    def to_dict(self) -> dict:
        """JSON-ready form for the flag table."""
        return {
            "severity": self.severity.value,
            "categories": sorted(self.categories),
            "matches": [m.to_dict() for m in self.matches],
            "hold": self.hold,
        }


NOTHING = Screening()
