"""Severity: an ordered string enum, so `s.severity >= "high"` reads like the policy."""
from __future__ import annotations

import enum


class Severity(enum.StrEnum):
    """How urgently a trained peer moderator must see a text (Columbia-scale logic).

    It is a `str`, so it equals and serialises as its value ("high"), and it compares by
    urgency, not alphabetically: NONE < ELEVATED < HIGH < IMMINENT. Comparisons accept the
    plain strings too, in either position.
    """

    NONE = "none"
    ELEVATED = "elevated"
    HIGH = "high"
    IMMINENT = "imminent"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def lowered(self) -> "Severity":
        """One step down, never below ELEVATED: only a rule that is sure may reach NONE."""
        return _ORDER[max(self.rank - 1, _RANK[Severity.ELEVATED])] if self.rank else self

    @classmethod
    def _coerce(cls, other: object) -> "Severity | None":
        if isinstance(other, cls):
            return other
        if isinstance(other, str):
            try:
                return cls(other)
            except ValueError:
                return None
        return None

    # str already defines the comparison operators (alphabetically), so each is replaced.
    def __lt__(self, other: object) -> bool:
        o = self._coerce(other)
        return NotImplemented if o is None else self.rank < o.rank

    def __le__(self, other: object) -> bool:
        o = self._coerce(other)
        return NotImplemented if o is None else self.rank <= o.rank

    def __gt__(self, other: object) -> bool:
        o = self._coerce(other)
        return NotImplemented if o is None else self.rank > o.rank

    def __ge__(self, other: object) -> bool:
        o = self._coerce(other)
        return NotImplemented if o is None else self.rank >= o.rank


_ORDER = (Severity.NONE, Severity.ELEVATED, Severity.HIGH, Severity.IMMINENT)
_RANK = {s: i for i, s in enumerate(_ORDER)}
