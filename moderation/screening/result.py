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
    may_lower: bool = False  # often figurative: a confident model may lower it

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
    # With the learned model (decision.py): its reading, what the rules alone said, and
    # what the policy made of the two ("raised", "lowered", ...).
    model: object | None = None  # model.Reading
    rules_severity: Severity | None = None
    decision: str = ""

    def to_dict(self) -> dict:
        """JSON-ready form for the CLI and the flag table."""
        return {
            "severity": self.severity.value,
            "categories": sorted(self.categories),
            "matches": [m.to_dict() for m in self.matches],
            "hold": self.hold,
            "model": self.model.to_dict() if self.model is not None else None,
            "rules_severity": self.rules_severity.value if self.rules_severity else self.severity.value,
            "decision": self.decision,
        }

    def evidence(self) -> list[dict]:
        """What a flag shows its moderator: every rule match, then the model's reading."""
        found = [m.to_dict() for m in self.matches]
        if self.model is not None:
            found.append({"phrase": "", "category": "learned_model", "severity": self.model.severity.value,
                          "span": [0, 0], "rule": f"the learned model ({self.decision})",
                          "model": self.model.to_dict()})
        return found


NOTHING = Screening()
