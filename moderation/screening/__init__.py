"""Crisis screening: how urgently a trained peer moderator must see a text.

    >>> from moderation.screening import screen
    >>> s = screen("I want to kill myself.")
    >>> s.severity >= "high"
    True

Pure: no database, no app context, thread-safe. See lexicon.toml for what it knows.
"""
from .result import Match, Screening
from .screener import screen
from .severity import Severity

__all__ = ["screen", "Screening", "Severity", "Match"]
