"""Checks shared by every text field members fill in."""
import unicodedata

# Bidi embeddings, overrides and isolates can make text read differently from what it is
# ("Trojan source"); members never need them in a title or a post.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")
_ALLOWED_CONTROLS = frozenset("\t\n\r")


def text_problem(value, *, single_line=False):
    """A member-facing reason why this text is refused, or None.

    Zero-width joiners stay allowed in bodies because emoji sequences need them; a
    one-line field (a title, a label) refuses them since they only hide things there.
    """
    for ch in value:
        if ch in BIDI_CONTROLS:
            return "Please remove the hidden text-direction characters."
        if single_line and ch in ZERO_WIDTH:
            return "Please remove the invisible (zero-width) characters."
        if unicodedata.category(ch) == "Cc" and (single_line or ch not in _ALLOWED_CONTROLS):
            return "Please remove the control characters."
        if "\ud800" <= ch <= "\udfff":
            return "This text has characters that could not be read."
    return None
