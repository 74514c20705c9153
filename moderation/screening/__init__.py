"""Crisis screening: how urgently a trained peer moderator must see a text.

    >>> from moderation.screening import screen
    >>> s = screen("I want to kill myself.")
    >>> s.severity >= "high"
    True

Two signals, one decision (decision.py): the rules (screener.py, with what they know in
lexicon.toml) and a learned model (model.py, trained on corpus/ by train.py).
`screen_rules` is the rules alone. Pure: no database, no app context, thread-safe.
"""
from .decision import configure, screen, screen_rules
from .result import Match, Screening
from .severity import Severity

__all__ = ["screen", "screen_rules", "configure", "Screening", "Severity", "Match"]
