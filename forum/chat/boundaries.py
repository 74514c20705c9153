"""Boundaries in one-to-one mentoring: does a message carry personal contact details (a
phone number, an email, a social account, a street address) or a plan to meet in person?

Pure: no database, no app. WHAT counts is data in contact_details.toml (patterns and word
lists a reviewer can read); this module only knows HOW to match: the text is normalised,
spelled digits are read as digits, and a run of digits is a phone number only when it is
long enough and is not a crisis line (moderation/crisis_lines.json and the toml's
`also_fine`: a mentor pointing to 988 or 116 123 is what we want), a date, a time, a list
of years or an amount. tests/mentoring/test_boundaries.py keeps a labelled corpus.
"""
from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from moderation.resources import dialled, regions

DATA_PATH = Path(__file__).with_name("contact_details.toml")

# What the writer reads when a message is kept back (the chat shows it beside their line).
EXPLANATION = ("To keep you both safe, Lantern doesn't pass on phone numbers, emails, social accounts, "
               "addresses or plans to meet. Everything can stay here.")
KINDS = ("phone", "email", "social", "address", "meeting")


@dataclass(frozen=True)
class Found:
    kind: str  # one of KINDS
    text: str  # the part of the (normalised) message that matched
    note: str  # why, in the data's words


_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"',
                         "\u2013": "-", "\u2014": "-", "\u2012": "-", "\uff20": "@"})
# Invisible characters, and the emoji selector and keycap marks that turn "0" into "0️⃣".
_INVISIBLE = re.compile(r"[\u200b-\u200f\u2060\ufeff\u00ad\ufe0f\u20e3]")
# Letters spaced apart to slip past a filter ("j e n n y @ ..."), read joined up.
_SPACED_OUT = re.compile(r"(?<!\S)(?:\S ){3,}\S(?!\S)")
# The letter o among digits ("o7700 9oo") is a zero.
_O_FOR_ZERO = re.compile(r"\b(?=[o\d]*\d)(?=\d*o)[o\d]{2,}\b")
_SPACES = re.compile(r"\s+")


def normalise(text):
    """Casefolded, NFKC, straight quotes, no invisible characters, single spaces."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return _SPACES.sub(" ", _INVISIBLE.sub("", text)).strip().casefold()


@cache
def _data():
    return tomllib.loads(DATA_PATH.read_text(encoding="utf-8"))


def _alternation(words):
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@cache
def _patterns():
    """[(kind, note, compiled)], with every `<list>` expanded. A bad edit fails at import
    time of the first message, loudly, in the tests."""
    data = _data()
    lists = {name: _alternation(words) for name, words in data["lists"].items()}

    def expand(regex):
        return re.sub(r"<(\w+)>", lambda m: lists[m.group(1)], regex)

    return [(group["kind"], group["note"], re.compile(expand(regex)))
            for group in data["pattern"] for regex in group["regex"]]


# ----- phone numbers ---------------------------------------------------------------------

@cache
def _phone():
    phone = _data()["phone"]
    fine = set(phone["also_fine"])
    for region in regions().values():
        fine.update(dialled(part) for part in re.split(r"\bor\b", region["emergency"]) if dialled(part))
        for line in region["lines"]:
            fine.update(dialled(line[key]).lstrip("+") for key in ("call", "text") if line.get(key))
    words = phone["digit_words"]
    token = rf"(?:(?:double|triple) )?(?:{_alternation(words)}|\d+)"
    return {
        "min": phone["min_digits"], "max": phone["max_digits"], "fine": frozenset(fine),
        "not_phone": [re.compile(p) for p in phone["not_phone"]],
        "service": re.compile(phone["service_numbers"]),
        "amount_before": re.compile(phone["amount_before"]), "amount_after": re.compile(phone["amount_after"]),
        "words": words,
        # A run of spelled or written digits: "oh seven seven double oh nine..."
        "spelled": re.compile(rf"\b{token}(?:[ ,.-]+{token})+\b"),
        "token": re.compile(rf"(?:(double|triple) )?({_alternation(words)}|\d+)"),
        # Written digits with the separators people put in phone numbers.
        "digits": re.compile(r"(?<![\w.,])\+?\(?\d(?:[ ().-]{0,3}\d)+(?![\w])"),
    }


def _spelled_digits(run, phone):
    digits = []
    for times, word in phone["token"].findall(run):
        digit = phone["words"].get(word, word)
        digits.append(digit * {"double": 2, "triple": 3}.get(times, 1))
    return "".join(digits)


def _is_phone(digits, shown, before, after, phone):
    if not phone["min"] <= len(digits) <= phone["max"]:
        return False
    if digits in phone["fine"] or digits.lstrip("0") in phone["fine"] or phone["service"].match(digits):
        return False
    if any(p.search(shown) for p in phone["not_phone"]):
        return False
    return not (phone["amount_before"].search(before) or phone["amount_after"].search(after))


def _phones(text):
    phone = _phone()
    text = _O_FOR_ZERO.sub(lambda m: m.group().replace("o", "0"), text)
    for match in phone["digits"].finditer(text):
        shown = match.group().strip()
        digits = re.sub(r"\D", "", shown)
        if _is_phone(digits, shown, text[:match.start()], text[match.end():], phone):
            yield Found("phone", shown, "a phone number")
    for match in phone["spelled"].finditer(text):
        run = match.group()
        if not re.search(r"[a-z]", run):
            continue  # all written digits: the loop above decided
        digits = _spelled_digits(run, phone)
        if _is_phone(digits, digits, text[:match.start()], text[match.end():], phone):
            yield Found("phone", run, "a phone number, spelled out")


# ----- the detector ----------------------------------------------------------------------

def contact_details(text):
    """Every contact detail or plan to meet found in `text`, as Found; () when none."""
    if not isinstance(text, str) or not text.strip():
        return ()
    plain = normalise(text)
    joined = _SPACED_OUT.sub(lambda m: m.group().replace(" ", ""), plain)
    texts = (plain,) if joined == plain else (plain, joined)  # most messages: one reading
    found = list(_phones(plain))
    for kind, note, regex in _patterns():
        if match := next(filter(None, (regex.search(text) for text in texts)), None):
            found.append(Found(kind, match.group(), note))
    return tuple(found)


def has_contact_details(text):
    return bool(contact_details(text))
