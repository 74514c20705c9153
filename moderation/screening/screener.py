"""screen(text): normalise, find lexicon phrases, apply context rules, summarise.

Pure and thread-safe: it reads only the structures compiled at import and keeps all
per-call state in local objects.
"""
from __future__ import annotations

import logging

from . import context
from .context import Finding, Layout
from .lexicon import LEXICON
from .normalise import normalise
from .phrases import WORD_CHARS, word_matches
from .result import NOTHING, Match, Screening
from .severity import Severity

log = logging.getLogger(__name__)

# Texts up to this length are screened whole; a longer one (far beyond any real post) is
# screened at its start and its end, and flagged for a person to read the middle.
MAX_CHARS = 1_000_000
# At most this many matches get the context rules, the most severe first: a pathological
# text ("kill myself" 60,000 times) stays bounded and its worst sentence is still read.
MAX_FINDINGS = 200


def screen(text: str) -> Screening:
    """Decide how urgently a peer moderator must see `text`. Never raises."""
    try:
        if not isinstance(text, str):
            text = "" if text is None else str(text)
        if len(text) <= MAX_CHARS:
            return _screen(text)
        return _screen_too_long(text)
    except Exception:  # the risk path must never fail open: see _fallback
        log.exception("crisis screening failed; returning a conservative result")
        return _fallback(text)


def _screen(text: str) -> Screening:
    norm = normalise(text)
    findings, layout = _find(norm.text)
    if not findings:
        return NOTHING
    context.apply(layout, findings)
    return _summarise(norm, _without_overlaps(findings))


def _find(text: str) -> tuple[list[Finding], Layout | None]:
    """Lexicon matches, trying only the phrases whose anchors occur in each sentence."""
    hits = list(LEXICON.automaton.iter(text))
    if not hits:
        return [], None
    layout = Layout(text)
    sentences = layout.sentences
    if not sentences:
        return [], None
    last = len(sentences) - 1
    # The automaton reports hits in order of their end, so one pointer walks the
    # sentences alongside them (this loop runs for every anchor hit of a long post).
    sentence, (first, stop) = 0, sentences[0]
    wanted: dict[int, set[int]] = {}
    for end, (length, at_word_start, anywhere) in hits:
        while end >= stop and sentence < last:
            sentence += 1
            first, stop = sentences[sentence]
        if not first <= end < stop:  # between two sentences
            continue
        start = end - length + 1
        indexes = wanted.setdefault(sentence, set())
        indexes.update(anywhere)
        if at_word_start and (start == 0 or text[start - 1] not in WORD_CHARS):
            indexes.update(at_word_start)
    findings = []
    for sentence, indexes in wanted.items():
        start, end = layout.sentences[sentence]
        for index in indexes:
            entry = LEXICON.entries[index]
            for m in word_matches(entry.regex, text, start, end):
                findings.append(Finding(entry, m.start(), m.end(), sentence, entry.severity,
                                        entry.category))
    if len(findings) > MAX_FINDINGS:
        findings.sort(key=lambda f: (-f.severity.rank, f.start))
        del findings[MAX_FINDINGS:]
    findings.sort(key=lambda f: (f.start, -f.end))
    return findings, layout


def figure_of_speech(norm: str) -> bool:
    """Whether the normalised text holds an idiom the lexicon knows ("dying to know", "take
    care of myself") or names a song, film or book: words the rules read as not literal."""
    return any(next(word_matches(LEXICON.cues[name], norm, 0, len(norm)), None) for name in ("idiom", "art"))


def _without_overlaps(findings: list[Finding]) -> list[Finding]:
    """Drop a match inside a longer one that is at least as severe ("urge to hurt myself"
    already says "hurt myself")."""
    kept: list[Finding] = []
    for f in findings:  # sorted by start, longest first
        if not any(g.start <= f.start and f.end <= g.end and g.active and g.severity >= f.severity
                   for g in kept):
            kept.append(f)
    return kept


def _summarise(norm, findings: list[Finding]) -> Screening:
    matches = []
    for f in findings:
        start, end = norm.original_span(f.start, f.end)
        rule = f.entry.note + (f" ({', '.join(f.reasons)})" if f.reasons else "")
        matches.append(Match(norm.original[start:end], f.category, f.severity, (start, end), rule,
                             f.may_lower))
    active = [f for f in findings if f.active]
    hold = any(f.entry.hold for f in active)
    categories = {f.category for f in active} | ({"method_detail"} if hold else set())
    severity = max((f.severity for f in active), default=Severity.NONE)
    return Screening(severity, frozenset(categories), tuple(matches), hold)


def _screen_too_long(text: str) -> Screening:
    half = MAX_CHARS // 2
    head, tail = _screen(text[:half]), _screen(text[-half:])
    offset = len(text) - half
    tail_matches = tuple(
        Match(m.phrase, m.category, m.severity, (m.span[0] + offset, m.span[1] + offset), m.rule)
        for m in tail.matches)
    unread = Match("", "unscreened_text", Severity.ELEVATED, (half, offset),
                   f"text longer than {MAX_CHARS:,} characters: the middle was not screened")
    return Screening(
        severity=max(head.severity, tail.severity, Severity.ELEVATED),
        categories=head.categories | tail.categories | {"unscreened_text"},
        matches=head.matches + (unread,) + tail_matches,
        hold=head.hold or tail.hold,
    )


def _fallback(text: object) -> Screening:
    """After an internal error: every lexicon phrase found in the plainly lower-cased text,
    no context rules, and never less than elevated, so a person looks."""
    severity, categories = Severity.ELEVATED, {"screening_error"}
    try:
        plain = str(text)[:MAX_CHARS].lower()
        for entry in LEXICON.entries:
            if entry.regex.search(plain):
                severity = max(severity, entry.severity)
                categories.add(entry.category)
    except Exception:
        log.exception("crisis screening fallback failed too")
    return Screening(severity, frozenset(categories), (
        Match("", "screening_error", severity, (0, 0), "screening failed: read this text yourself"),
    ), False)
