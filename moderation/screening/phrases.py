"""The lexicon's phrase syntax, compiled to regular expressions.

The syntax is documented for reviewers at the top of lexicon.toml. In short:
`word`, `word*` (any ending), `(a|b c)` (one of), `[a b]` (optional), `~` (up to three words,
never a negation), `<list>` (one of a named list), `$` (end of the sentence).

Each compiled phrase also yields *anchors*: literal strings of which at least one must occur
in the normalised text for the phrase to match. The screener runs one Aho-Corasick pass over
the text for every anchor at once and only tries the phrases whose anchors it found; that is
what keeps a 5,000-character post under a millisecond.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

_TOKEN = re.compile(r"\s*(\(|\)|\[|\]|\||~|\$|<[a-z_]+>|[^\s()\[\]|~$<>]+)")
_BOUNDARY_LEFT = r"(?<![a-z0-9])"
_BOUNDARY_RIGHT = r"(?![a-z0-9])"
_GAP_WORDS = 3
_NUMBER = (r"(?:[0-9]+|a few|a couple(?: of)?|a dozen|one|two|three|four|five|six|seven|eight"
           r"|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|ninety|a hundred)")


class PhraseError(ValueError):
    """A lexicon phrase that does not parse; raised at import so a bad edit cannot ship."""


@dataclass(frozen=True)
class Compiled:
    regex: str
    # (text, starts a word): None when the piece can match without any literal text
    anchors: frozenset[tuple[str, bool]] | None
    required: bool = True
    kind: str = "words"  # or "gap", "end"


# Words whose doubled letter must stay doubled: squeezed, they read as another word.
_EXACT = frozenset({"off"})


def _word(token: str) -> Compiled:
    stem = token.rstrip("*")
    if not re.fullmatch(r"[a-z0-9':]+", stem):  # (the "#" number token is handled by _item)
        raise PhraseError(f"unexpected characters in {token!r}")
    if stem.startswith("'"):
        raise PhraseError(f"write {token!r} with its word (it'll, not it 'll)")
    parts = []
    # Normalisation squeezes stretched letters to one ("diiie" -> "die"), so a letter the
    # lexicon doubles must also match once ("kill" matches "kil"), except in the words of
    # _EXACT, which squeezed become everyday words ("off myself" is not "of myself").
    # Apostrophes are optional.
    lenient = stem not in _EXACT
    for run in re.finditer(r"(.)\1*", stem):
        ch, n = run.group(1), len(run.group())
        if ch == "'":
            parts.append("'?")
        elif n > 1 and not lenient:
            parts.append(re.escape(ch) * n)
        else:
            parts.append(re.escape(ch) + (f"{{1,{n}}}" if n > 1 else ""))
    if token.endswith("*"):
        parts.append("[a-z']*")
    # Anchor: the best piece that every accepted spelling contains (cut at apostrophes and
    # between doubled letters). A piece that starts the word is checked to start a word in
    # the text too, which makes it far more selective ("cut" but not "mi-cut-ion").
    pieces = [(p, i == 0 and j == 0)
              for j, chunk in enumerate(stem.split("'"))
              for i, p in enumerate(re.sub(r"(.)(?=\1)", r"\1 ", chunk).split())]
    return Compiled("".join(parts), frozenset({max(pieces, key=_rarity)}))


# Function words and everyday words: anchoring on them would make the prefilter useless,
# so a phrase anchors on its rarer words when it has any.
_COMMON = frozenset("""
a about all am an and any are as at be been but by can could day do don feel for from get
go going got had has have he her him his how i if in is it just know like me more much my
no not now of on one or out people really so some that the them then there they think this
time to too up very was we were what when where which who why will with would you your
want
""".split())


def _rarity(anchor: tuple[str, bool]) -> int:
    """Longer anchors occur less often as substrings, word starts less often still, and
    common words often anyway."""
    text, starts_word = anchor
    return len(text) - (3 if text in _COMMON else 0) + (2 if starts_word else 0)


def _best_anchors(items: list[Compiled]) -> frozenset[str] | None:
    """Of the required pieces, the anchor set that is rarest in ordinary text."""
    candidates = [c.anchors for c in items if c.required and c.anchors]
    if not candidates:
        return None
    return max(candidates, key=lambda a: (min(map(_rarity, a)), -len(a)))


class _Parser:
    def __init__(self, text: str, lists: Callable[[str], Compiled], negations: str):
        self.source = text
        self.tokens = _TOKEN.findall(text)
        if "".join(self.tokens) != re.sub(r"\s+", "", text):
            raise PhraseError(f"cannot read phrase {text!r}")
        self.pos = 0
        self.lists = lists
        self.gap = rf"(?:\s+(?!(?:{negations}){_BOUNDARY_RIGHT})[^\s.,;!?]+){{0,{_GAP_WORDS}}}"

    def parse(self) -> Compiled:
        result = self._alternation()
        if self.pos != len(self.tokens):
            raise PhraseError(f"unbalanced brackets in {self.source!r}")
        return result

    def _peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def _alternation(self) -> Compiled:
        options = [self._sequence()]
        while self._peek() == "|":
            self.pos += 1
            options.append(self._sequence())
        return alternation(options)

    def _sequence(self) -> Compiled:
        items: list[Compiled] = []
        while self._peek() not in (None, "|", ")", "]"):
            items.append(self._item())
        if not items or not items[0].required:
            raise PhraseError(f"a phrase (or bracket) must start with a required word: {self.source!r}")
        regex = items[0].regex
        for item in items[1:]:
            if item.kind == "gap":
                regex += item.regex
            elif item.kind == "end":
                regex += r"(?=\s*$)"
            elif item.required:
                regex += r"\s+" + item.regex
            else:
                regex += r"(?:\s+" + item.regex + ")?"
        return Compiled(regex, _best_anchors(items))

    def _item(self) -> Compiled:
        token = self.tokens[self.pos]
        self.pos += 1
        if token in ("(", "["):
            inner = self._alternation()
            close = ")" if token == "(" else "]"
            if self._peek() != close:
                raise PhraseError(f"missing {close!r} in {self.source!r}")
            self.pos += 1
            return Compiled("(?:" + inner.regex + ")", inner.anchors, required=token == "(")
        if token == "~":
            return Compiled(self.gap, None, required=False, kind="gap")
        if token == "$":
            return Compiled("", None, required=False, kind="end")
        if token == "#":
            return Compiled(_NUMBER, None)
        if token.startswith("<"):
            return self.lists(token[1:-1])
        return _word(token)


_LITERAL_HEAD = re.compile(r"[a-z0-9:](?![{?*+])")


def factor(regexes: list[str]) -> str:
    """One regex for several, sharing leading letters: (?:k(?:ill|ms)|...). The regex engine
    then rejects most positions after one character instead of trying every branch."""
    groups: dict[str, list[str]] = {}
    others = []
    for r in sorted(set(regexes), key=len, reverse=True):  # longer alternatives first
        if _LITERAL_HEAD.match(r):
            groups.setdefault(r[0], []).append(r[1:])
        else:
            others.append(r)
    parts = [head + (rests[0] if len(rests) == 1 else factor(rests)) for head, rests in groups.items()]
    return "(?:" + "|".join(parts + others) + ")"


def alternation(options: list[Compiled]) -> Compiled:
    """Any one of `options`."""
    if len(options) == 1:
        return options[0]
    anchors = None if any(o.anchors is None for o in options) else frozenset().union(
        *(o.anchors for o in options))
    return Compiled(factor([o.regex for o in options]), anchors)


def compile_phrase(text: str, lists: Callable[[str], Compiled], negations: str) -> Compiled:
    """Compile one phrase to a regex body (no word boundaries) and its anchors."""
    try:
        if re.search(r"[a-z']\(|\)[a-z']", text):  # what('s| is): words cannot be glued
            raise PhraseError("write each alternative in full: (what's|what is)")
        return _Parser(text.lower(), lists, negations).parse()
    except PhraseError as error:
        raise PhraseError(f"{error} (in phrase {text!r})") from None


def bounded(body: str, left: bool = True) -> str:
    """Whole-word version of a compiled body. Without `left`, the caller checks that a match
    starts a word: a regex that begins with a look-behind cannot skip ahead quickly."""
    return (_BOUNDARY_LEFT if left else "") + "(?:" + body + ")" + _BOUNDARY_RIGHT


WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789'")


def word_matches(regex: re.Pattern, text: str, start: int, end: int):
    """Matches of a `bounded(..., left=False)` regex in text[start:end] that start a word."""
    pos = start
    while m := regex.search(text, pos, end):
        if m.start() == 0 or text[m.start() - 1] not in WORD_CHARS:
            yield m
            pos = max(m.end(), m.start() + 1)
        else:  # started inside a word ("skill myself"): look again one letter on
            pos = m.start() + 1
