"""Normalise text for matching, and map every match back to the original text.

People write around filters, on purpose or not: "k1ll mys3lf", "diiiie", "d i e",
"ｋｉｌｌ", "kіll" (a Cyrillic і), zero-width spaces, 💊. The lexicon is written in plain
lower-case English; this module turns text into that form.

Every step is a regular-expression rewrite. Most texts match nothing in the lexicon, so
the offset bookkeeping is lazy: a step only remembers its input, and the edits it made are
recomputed (with the same pattern) the first time a match has to be mapped back to a span
of the original text.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cache
from typing import Callable

import ahocorasick

from .lexicon import LEXICON
from .phrases import factor

Replace = Callable[[re.Match], str]


# --- characters ----------------------------------------------------------------------------

_INVISIBLE = [0x00AD, 0x034F, 0x061C, 0x115F, 0x1160, 0x180E, 0x3164, 0xFEFF, 0xFFA0,
              *range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2060, 0x2070),
              *range(0xFE00, 0xFE10), *range(0x1F3FB, 0x1F400), *range(0xE0000, 0xE0080),
              *range(0xE0100, 0xE01F0),
              *range(0xD800, 0xE000)]  # lone surrogates: never valid text
_COMBINING = [*range(0x0300, 0x0370), *range(0x1AB0, 0x1B00), *range(0x1DC0, 0x1E00),
              *range(0x20D0, 0x2100), *range(0xFE20, 0xFE30)]  # accents and "zalgo"
_FOLDED = [*range(0x0080, 0x0250), *range(0x1E00, 0x1F00), *range(0x2000, 0x2070),
           *range(0x2100, 0x2190), *range(0x2460, 0x2500), *range(0xFB00, 0xFB50),
           *range(0xFF00, 0xFFF0), *range(0x1D400, 0x1D800)]
_SMALL_CAPS = "ᴀaʙbᴄcᴅdᴇeꜰfɢgʜhɪiᴊjᴋkʟlᴍmɴnᴏoᴘpǫqʀrꜱsᴛtᴜuᴠvᴡwʏyᴢz"
# Cyrillic and Greek letters that look like Latin ones ("kіll" with a Cyrillic і).
_HOMOGLYPHS = "аaеeоoрpсcуyхxіiјjѕsԁdһhӏlкkмmтtвbнhАaВbЕeКkМmНhОoРpСcТtХxІiЈjЅs" \
              "αaεeιiκkνvοoρpτtυuχxΑaΒbΕeΗhΙiΚkΜmΝnΟoΡpΤtΥyΧxΖz"


def _fold(ch: str) -> str:
    """Compatibility form, accents dropped, case folded: "Ｋ" "𝐤" "ķ" -> "k"."""
    decomposed = unicodedata.normalize("NFKD", ch)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _char_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for cp in _FOLDED:
        folded = _fold(chr(cp))
        if folded != chr(cp):
            table[cp] = folded
    for cp in [*_INVISIBLE, *_COMBINING]:
        table[cp] = ""
    for cp in [*range(0x2000, 0x200B), 0x00A0, 0x202F, 0x205F, 0x3000, 0x2800]:
        table[cp] = " "
    for cp in (0x0085, 0x2028, 0x2029):
        table[cp] = "\n"
    for cp in (0x2018, 0x2019, 0x201A, 0x201B, 0x2032, 0x02BC, 0xFF07):
        table[cp] = "'"
    for cp in (0x201C, 0x201D, 0x201E, 0x201F, 0x2033, 0xFF02, 0x00AB, 0x00BB):
        table[cp] = '"'
    pairs = _SMALL_CAPS + _HOMOGLYPHS
    for look, latin in zip(pairs[::2], pairs[1::2]):
        table[ord(look)] = latin
    for first in (0x1F130, 0x1F150, 0x1F170, 0x1F1E6):  # squared/circled letters, flags
        for i in range(26):
            table[first + i] = chr(ord("a") + i)
    for emoji, meaning in LEXICON.emoji.items():
        if len(emoji) != 1:
            raise ValueError(f"emoji keys must be one character: {emoji!r}")
        table[ord(emoji)] = f" {meaning} "  # its own word, whatever it was glued to
    return table


_CHARS = _char_table()
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


# --- words ---------------------------------------------------------------------------------

_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyz")
_LEET_TABLE = str.maketrans("0134578@$!|", "oieastbasil")
# Scanning for the leet characters themselves (rather than for letter-digit pairs) lets the
# regex engine skip ordinary text quickly; _unleet then looks at the neighbours.
_LEET = re.compile(r"[0134578@$!|_-]+")


def _unleet(m: re.Match) -> str:
    text, run, i, j = m.string, m.group(), m.start(), m.end()
    before = text[i - 1] if i else " "
    after = text[j] if j < len(text) else " "
    if before in _LETTERS and after in _LETTERS:  # k1ll, d!e, mys3lf, self-harm
        return " " if run in ("-", "_") else run.translate(_LEET_TABLE)
    if "-" in run or "_" in run:
        return run
    if before not in _LETTERS and not before.isdigit() and run in ("@", "$", "5") \
            and text[j:j + 2].isalpha():  # $uicide
        return run.translate(_LEET_TABLE)
    if after not in _LETTERS and not after.isdigit() and before in _LETTERS \
            and not run.strip("013|"):  # ki||, t0, m3
        return run.translate(_LEET_TABLE)
    return run


_STRETCHED = re.compile(r"([a-z])\1{2,}")         # diiiie -> die (the lexicon accepts kil)
_SPACED = re.compile(r"(?<![a-z0-9'])[a-z](?:[ .*_-]{1,3}[a-z]){2,}(?![a-z0-9'])")
_SPACED_GAP = re.compile(r"[ .*_-]+")
_SPACED_HINT = re.compile(r"[ .*_-][a-z][ .*_-]{1,3}[a-z][ .*_-]")  # cheap pre-check
# Factored on shared leading letters, so each word start is rejected after a letter or two.
_SPELLING = re.compile(
    r"(?<![a-z0-9'])" + factor([re.escape(w) for w in LEXICON.spelling]) + r"(?![a-z0-9'])"
)
# One Aho-Corasick pass tells which of the rarer rewrites a text needs at all.
_HINTS = ahocorasick.Automaton()
for _letter in _LETTERS:
    _HINTS.add_word(_letter * 3, "stretched")
for _word in LEXICON.spelling:
    _HINTS.add_word(_word, "spelling")
_HINTS.make_automaton()

_VOCABULARY = LEXICON.words | {"a", "i", "to", "so", "me", "my", "it", "im"}
_LONGEST_WORD = max(map(len, _VOCABULARY))


@cache
def _segment(letters: str) -> str | None:
    """Split run-together letters into lexicon words ("iwanttodie" -> "i want to die").

    Fewest words wins; None when the letters are not all lexicon words.
    """
    best: list[list[str] | None] = [[]] + [None] * len(letters)
    for end in range(1, len(letters) + 1):
        for start in range(max(0, end - _LONGEST_WORD), end):
            head = best[start]
            if head is not None and letters[start:end] in _VOCABULARY:
                if best[end] is None or len(head) + 1 < len(best[end]):
                    best[end] = head + [letters[start:end]]
    return " ".join(best[-1]) if best[-1] is not None else None


def _join_spaced(match: re.Match) -> str:
    """ "d i e" -> "die"; "I w a n t  t o  d i e" -> "i want to die".

    A wider gap between letters marks a word break when the writer left one; otherwise the
    lexicon's own words split the letters.
    """
    run = match.group()
    gaps = [len(g) for g in _SPACED_GAP.findall(run)]
    narrow = min(gaps)
    chunks = re.split(r"[ .*_-]{%d,}" % (narrow + 1), run) if max(gaps) > narrow else [run]
    words = []
    for chunk in chunks:
        letters = _SPACED_GAP.sub("", chunk)
        words.append((len(letters) <= 60 and _segment(letters)) or letters)
    return " ".join(words)


# --- the pipeline --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Step:
    """One rewrite: `pattern` found in `source`, each found piece replaced by `replace`."""

    source: str
    pattern: re.Pattern
    replace: Replace


class _Edits:
    """The pieces a step replaced, as parallel sorted lists for bisecting."""

    def __init__(self, step: _Step):
        self.in_start, self.in_end, self.out_start, self.out_end = [], [], [], []
        shift = 0
        for m in step.pattern.finditer(step.source):
            new = step.replace(m)
            if new == m.group():
                continue
            start = m.start() + shift
            self.in_start.append(m.start())
            self.in_end.append(m.end())
            self.out_start.append(start)
            self.out_end.append(start + len(new))
            shift += len(new) - (m.end() - m.start())

    def start(self, pos: int) -> int:
        """Where an output position that starts a match came from."""
        i = bisect_right(self.out_start, pos) - 1
        if i < 0:
            return pos
        if pos < self.out_end[i]:
            return self.in_start[i]
        return pos - self.out_end[i] + self.in_end[i]

    def end(self, pos: int) -> int:
        """Where an output position that ends a match came from."""
        i = bisect_right(self.out_start, pos - 1) - 1
        if i < 0:
            return pos
        if pos <= self.out_end[i]:
            return self.in_end[i]
        return pos - self.out_end[i] + self.in_end[i]


@dataclass
class Normalised:
    original: str
    text: str
    steps: list[_Step] = field(default_factory=list)
    _edits: list[_Edits] | None = None

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of `text` to the span of `original` it came from."""
        if self._edits is None:
            self._edits = [_Edits(step) for step in reversed(self.steps)]
        for edits in self._edits:
            start, end = edits.start(start), edits.end(end)
        return start, max(start, end)


def _rewrite(norm: Normalised, pattern: re.Pattern, replace: Replace,
             forward: Callable[[str], str] | None = None, same_length: bool = False) -> None:
    source = norm.text
    result = forward(source) if forward else pattern.sub(replace, source)
    if result != source:
        norm.text = result
        if not same_length:  # a one-for-one rewrite leaves every offset where it was
            norm.steps.append(_Step(source, pattern, replace))


def _char(m: re.Match) -> str:
    return _CHARS.get(ord(m.group()), m.group())


def _lower(text: str) -> str:
    lowered = text.lower()
    # str.lower can lengthen a few letters the table does not cover ("İ"); keep offsets.
    return lowered if len(lowered) == len(text) else text.translate(_ASCII_LOWER)


def normalise(text: str) -> Normalised:
    norm = Normalised(text, text)
    if not text.isascii():
        # Translate only the non-ASCII runs: str.translate leaves its fast ASCII path as
        # soon as one character is not ASCII, which made a 5,000-character post with one
        # emoji several times slower than one without.
        _rewrite(norm, _NON_ASCII, _char,
                 forward=lambda t: _NON_ASCII_RUN.sub(lambda m: m.group().translate(_CHARS), t))
    norm.text = _lower(norm.text)  # one letter for one: offsets unchanged
    _rewrite(norm, _LEET, _unleet, same_length=True)
    needs = _needs(norm.text)
    if "stretched" in needs:
        _rewrite(norm, _STRETCHED, lambda m: m.group(1))
        needs = _needs(norm.text)  # "suuuicde" shows its misspelling only now
    if _SPACED_HINT.search(" " + norm.text[:8]) or _SPACED_HINT.search(norm.text):
        _rewrite(norm, _SPACED, _join_spaced)
        needs = _needs(norm.text)
    if "spelling" in needs:
        _rewrite(norm, _SPELLING, lambda m: LEXICON.spelling[m.group()])
    return norm


def _needs(text: str) -> set[str]:
    found: set[str] = set()
    for _, kind in _HINTS.iter(text):
        found.add(kind)
        if len(found) == 2:
            break
    return found
