"""Context rules: what the words around a lexicon match do to it.

A phrase alone is not a risk: "I want to die" is one thing in a member's own voice, another
in a song, a recovery story, a reply to someone else, or after "I'm not". The rules here
read the sentence and clause around each match and may dismiss it, lower it, change whom
it is about, or raise it to imminent. Two promises hold throughout:

* only a rule that is sure dismisses a match (severity none); an unsure rule lowers it one
  step, never below elevated (Severity.lowered);
* a negation never lowers an imminent match.

Every change appends a reason a moderator can read ("negated", "past tense / recovery").
The cue lists themselves live in lexicon.toml, under [context].
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from .lexicon import EXPLICIT, LEXICON, SELF_RISK, Entry
from .phrases import word_matches
from .severity import Severity

# A "sentence" is capped at 1,000 characters (cut at a word end): an unpunctuated flood
# would otherwise make every clause and cue look-up scan the whole text.
_SENTENCE = re.compile(r"[^.!?;\n]{1,1000}(?=[\s.!?;\n]|$)|[^.!?;\n]{1,1000}")
_CLAUSE_BREAK = re.compile(r",|\s-+\s|\b(?:but|though|although|however|except|whereas)\b")
_WORD = re.compile(r"[a-z0-9':]+")
_QUOTE = re.compile(r"\"|(?<![a-z])'|'(?![a-z])")
_NEGATION_WINDOW = 3  # words between a negation and the match it negates
# A match that begins with one of these, about someone else, tells of a death, not a risk now.
_COMPLETED = re.compile(r"(?:took|killed|ended|hanged|hung|shot|drowned|offed|committed)\b")

FIRST, SECOND, THIRD, GENERIC, UNSTATED = "first", "second", "third", "generic", "unstated"
_PERSON_CUES = ((FIRST, "first_person"), (SECOND, "second_person"), (THIRD, "third_person"))


@dataclass
class Finding:
    """A lexicon match in the normalised text, as the rules see and change it."""

    entry: Entry
    start: int
    end: int
    sentence: int
    severity: Severity
    category: str
    reasons: list[str] = field(default_factory=list)
    raised: bool = False  # made imminent by a time, the means or a decision
    in_doubt: bool = False  # the context rules saw a reason it may not be current risk

    @property
    def may_lower(self) -> bool:
        """Whether a confident model may lower this match: a phrase the lexicon marks as
        often figurative, or one the context rules put in doubt; never a plan, means, time or
        goodbye, nor anything raised to imminent."""
        return ((self.entry.figurative or self.in_doubt) and not self.raised
                and self.category not in EXPLICIT and self.severity < Severity.IMMINENT)

    def doubt(self, reason: str) -> None:
        self.in_doubt = True
        self.reasons.append(reason)

    @property
    def active(self) -> bool:
        return self.severity > Severity.NONE

    def dismiss(self, reason: str) -> None:
        self.severity = Severity.NONE
        self.reasons.append(reason)

    def lower(self, reason: str) -> None:
        if self.severity < Severity.IMMINENT:
            self.severity = self.severity.lowered()
            self.reasons.append(reason)

    def raise_to_imminent(self, reason: str) -> None:
        self.severity = Severity.IMMINENT
        self.raised = True
        self.reasons.append(reason)


class Layout:
    """Sentences and clauses of a normalised text, and cue look-ups within them."""

    def __init__(self, text: str):
        self.text = text
        self.sentences = [m.span() for m in _SENTENCE.finditer(text)]
        self._starts = [s for s, _ in self.sentences]
        self._cues: dict[tuple[str, int, int], list[re.Match]] = {}

    def sentence_of(self, pos: int) -> int:
        return max(bisect_right(self._starts, pos) - 1, 0)

    def clause(self, finding: Finding) -> tuple[int, int]:
        start, end = self.sentences[finding.sentence]
        for brk in _CLAUSE_BREAK.finditer(self.text, start, end):
            if brk.end() <= finding.start:
                start = brk.end()
            elif brk.start() >= finding.end:
                end = brk.start()
                break
        return start, end

    def sentence_span(self, finding: Finding, around: int = 0) -> tuple[int, int]:
        first = max(finding.sentence - around, 0)
        last = min(finding.sentence + around, len(self.sentences) - 1)
        return self.sentences[first][0], self.sentences[last][1]

    def cues(self, name: str, start: int, end: int) -> list[re.Match]:
        key = (name, start, end)
        if key not in self._cues:
            self._cues[key] = list(word_matches(LEXICON.cues[name], self.text, start, end))
        return self._cues[key]

    def has(self, name: str, start: int, end: int) -> bool:
        return bool(self.cues(name, start, end))


# --- who is it about -------------------------------------------------------------------------


def person(layout: Layout, finding: Finding) -> str:
    """The first person word inside the match, else the nearest one before it in the clause.

    None at all: the writer ("thinking about sewerslide again tbh": chat drops the "I").
    """
    inside = []
    for rank, (who, cue) in enumerate(_PERSON_CUES):
        found = layout.cues(cue, finding.start, finding.end)
        if found:
            inside.append((found[0].start(), rank, who))
    if inside:
        return min(inside)[2]
    clause_start, _ = layout.clause(finding)
    nearest = (-1, 0, UNSTATED)
    for who, cue in (*_PERSON_CUES, (GENERIC, "generic_person")):
        for m in layout.cues(cue, clause_start, finding.start):
            nearest = max(nearest, (m.end(), m.end() - m.start(), who))
    return nearest[2]


def _quoted(layout: Layout, finding: Finding) -> bool:
    start, _ = layout.sentences[finding.sentence]
    return len(_QUOTE.findall(layout.text, start, finding.start)) % 2 == 1


# --- the rules -------------------------------------------------------------------------------


def _idiom(layout: Layout, f: Finding, who: str) -> None:
    start, end = layout.sentences[f.sentence]
    if any(m.start() < f.end and f.start < m.end() for m in layout.cues("idiom", start, end)):
        f.dismiss("hyperbole / idiom")


def _fiction(layout: Layout, f: Finding, who: str) -> None:
    if (who != FIRST or _quoted(layout, f)) and layout.has("fiction", *layout.sentences[f.sentence]):
        f.dismiss("quoted / fiction / news")


def _whom(layout: Layout, f: Finding, who: str) -> None:
    sentence = layout.sentences[f.sentence]
    if who in (SECOND, UNSTATED) and layout.has("support", *sentence):
        f.dismiss("support reply")
    elif who == SECOND:
        f.category = "harm_to_others"
        f.severity = Severity.ELEVATED
        f.reasons.append("aimed at someone else")
    elif who == GENERIC:
        f.dismiss("general statement, not about a person")
    elif who == THIRD:
        # Someone else at acute risk is high; only an attempt under way stays imminent.
        if _COMPLETED.match(layout.text, f.start):
            f.severity = Severity.ELEVATED
            f.doubt("someone else's death: grief, and exposure to suicide")
        elif f.severity > Severity.ELEVATED and layout.has("reported_talk", *sentence):
            f.severity = Severity.ELEVATED
            f.reasons.append("someone else's talk of suicide")
        elif f.severity == Severity.IMMINENT and f.category != "attempt":
            f.severity = Severity.HIGH
            f.reasons.append("someone else at acute risk")
        else:
            f.reasons.append("about someone else")
        f.category = "third_party"


def _negation(layout: Layout, f: Finding, who: str) -> None:
    clause_start, _ = layout.clause(f)
    negations = layout.cues("negation", clause_start, f.start)
    if not negations:
        return
    between = _WORD.findall(layout.text, negations[-1].end(), f.start)
    if f.severity >= Severity.IMMINENT:
        # A negation never lowers an imminent signal, save one: the intent itself denied,
        # the negation right before it ("I'm not going to kill myself, I promise"), and no
        # doubt cast on the denial ("I can't promise I'm not going to...").
        if (between or f.category != "plan"
                or layout.has("doubt", layout.sentences[f.sentence][0], negations[-1].start())):
            return
    if len(between) > _NEGATION_WINDOW or LEXICON.cues["negation_blockers"].intersection(between):
        return  # the negation is about something else: "I'm not going to lie, ..."
    if LEXICON.cues["negation_hedges"].intersection(between):
        f.lower("negation (uncertain)")
    else:
        f.dismiss("negated")


def _asked_and_denied(layout: Layout, f: Finding, who: str) -> None:
    start, end = layout.sentences[f.sentence]
    if layout.has("asked", start, f.start) and layout.has("denied", f.end, end):
        f.dismiss("asked, and denied")


def _past(layout: Layout, f: Finding, who: str) -> None:
    clause = layout.clause(f)
    if layout.has("relapse", *clause):
        return
    if layout.has("past", *clause) or layout.has("recovery", *layout.sentences[f.sentence]):
        f.dismiss("past tense / recovery")
    elif (layout.has("past", *layout.sentence_span(f, around=2))
          or layout.has("recovery", *layout.sentence_span(f, around=2))):
        f.doubt("past or recovery told nearby")


def _intrusive(layout: Layout, f: Finding, who: str) -> None:
    if layout.has("intrusive", *layout.sentences[f.sentence]):
        f.lower("intrusive thought")


def _laughter(layout: Layout, f: Finding, who: str) -> None:
    sentence = layout.sentences[f.sentence]
    if layout.has("laughter", *sentence) and not layout.has("sincere", *sentence):
        clause_start, _ = layout.clause(f)
        if f.entry.figurative and layout.has("blamed_on", clause_start, f.start):
            f.dismiss("hyperbole (something 'makes me want to', laughing)")
        else:
            f.lower("joking / laughter")


def _for_now(layout: Layout, f: Finding, who: str) -> None:
    if f.category == "goodbye" and layout.has("for_now", *layout.sentence_span(f, around=1)):
        f.dismiss("goodbye for now")


def _escalate(layout: Layout, f: Finding, who: str) -> None:
    """Intent with a time, with the means at hand, or with a decision made: imminent."""
    if f.severity >= Severity.IMMINENT or who not in (FIRST, UNSTATED):
        return
    if f.category not in SELF_RISK and f.category != "harm_to_others":
        return
    if (f.entry.time_makes_imminent and f.severity >= Severity.HIGH
            and layout.has("time", *layout.sentences[f.sentence])):
        f.raise_to_imminent("intent with a time")
    elif layout.has("means_access", *layout.sentence_span(f, around=1)):
        f.raise_to_imminent("with the means at hand")
    elif layout.has("decision", *layout.sentence_span(f, around=1)):
        f.raise_to_imminent("decision made")


# Order matters: a dismissed match stops at the rule that dismissed it, and escalation
# comes last, so a song lyric with "tonight" in it is dismissed before it could be raised.
_ABOUT_SELF_RULES = (_idiom, _fiction, _whom, _negation, _asked_and_denied, _past,
                     _intrusive, _laughter, _escalate)
_ABOUT_OTHERS_RULES = (_idiom, _fiction, _for_now, _negation, _past, _laughter, _escalate)


def apply(layout: Layout, findings: list[Finding]) -> None:
    """Run every rule over every finding, in place."""
    for f in findings:
        who = person(layout, f) if f.entry.about_self else FIRST
        for rule in _ABOUT_SELF_RULES if f.entry.about_self else _ABOUT_OTHERS_RULES:
            rule(layout, f, who)
            if not f.active:
                break
