"""The words of a search result that match the query, marked for the eye.

The databases match word forms with their own stemmers (SQLite's porter, PostgreSQL's
English snowball), which Python cannot call. This module only decides what to *mark*, with
a small suffix-stripper close enough to theirs ("drinking" ~ "drink", "relapsed" ~
"relapse"): a word it misses is found all the same, just not marked.

Member text is escaped first; only then are whole escaped words wrapped in <mark>.
"""
import re

from markupsafe import Markup, escape

_WORD = re.compile(r"(\w+)", re.UNICODE)
# Longest first; each (suffix, what replaces it).
_SUFFIXES = sorted([
    ("ingly", ""), ("edly", ""), ("ings", ""), ("ing", ""), ("ed", ""), ("ies", "y"), ("ied", "y"),
    ("es", ""), ("s", ""), ("ly", ""), ("ers", ""), ("er", ""), ("ness", ""), ("ments", ""), ("ment", ""),
    ("ations", "ate"), ("ation", "ate"), ("ful", ""), ("iness", "y"), ("e", ""),
], key=lambda pair: -len(pair[0]))
_MIN_STEM = 3
_MIN_PREFIX = 3  # SQLite matches each word as a prefix too; so is a word this long marked


def stem(word):
    word = word.casefold()
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            word = word[:-len(suffix)] + replacement
            break
    if word.endswith("e") and len(word) > _MIN_STEM:  # "relapse" and "relaps(ed)" meet
        word = word[:-1]
    if len(word) > _MIN_STEM and word[-1] == word[-2] and word[-1] not in "aeioulsz":  # "stopp(ing)"
        word = word[:-1]
    return word


class Matcher:
    """Does a word of the text match one of the query's words?"""

    def __init__(self, terms):
        self.terms = [t.casefold() for t in terms]
        self.stems = {stem(t) for t in self.terms}

    def __call__(self, word):
        word = word.casefold()
        return stem(word) in self.stems or any(len(t) >= _MIN_PREFIX and word.startswith(t) for t in self.terms)

    def first(self, text):
        """Where in `text` the first matching word starts (None if no word matches)."""
        return next((m.start() for m in _WORD.finditer(text) if self(m.group())), None)


def marked(text, matcher):
    """`text` (plain, from a member) escaped, its matching words in <mark>: safe Markup."""
    return Markup("").join(
        Markup("<mark>{}</mark>").format(piece) if i % 2 and matcher(piece) else escape(piece)
        for i, piece in enumerate(_WORD.split(text)))


def window(text, matcher, width=220):
    """A plain-text window of `text` (whitespace folded) around its first matching word,
    cut at word boundaries, with an ellipsis where it was cut."""
    flat = " ".join(text.split())
    if len(flat) <= width:
        return flat
    at = matcher.first(flat) or 0
    start = max(0, at - width // 3)
    if start and (space := flat.find(" ", start, at)) >= 0:
        start = space + 1  # not in the middle of a word
    end = start + width
    if end < len(flat) and (space := flat.rfind(" ", start + 1, end)) > 0:
        end = space
    return ("…" if start else "") + flat[start:end].strip() + ("…" if end < len(flat) else "")
