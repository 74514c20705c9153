"""Matches point back into the original text, and a Screening stores as JSON."""
import dataclasses
import json

import pytest

from moderation.screening import Screening, screen, screen_rules


@pytest.mark.parametrize("text", [
    "I w a n t  t o  d i e", "k!ll mys3lf", "ｋｉｌｌ ｍｙｓｅｌｆ", "done with everything 🪦",
    "e\u0301 \u200bI want to diiiie", "🔪 tonight", "gonna kms tn",
])
def test_spans_index_the_original_text(text):
    s = screen(text)
    assert s.matches
    for m in s.matches:
        start, end = m.span
        assert 0 <= start < end <= len(text)
        assert text[start:end] == m.phrase


def test_spans_cover_the_obfuscated_phrase():
    text = "ok so... k!ll mys3lf"
    (m,) = screen(text).matches
    assert m.span == (text.index("k!ll"), len(text))


def test_is_frozen_and_json_ready():
    s = screen("I've been stockpiling pills, I want to die")
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.severity = "none"
    data = json.loads(json.dumps(s.to_dict()))
    assert data["severity"] == "imminent" and data["hold"] is True
    assert {"phrase", "category", "severity", "span", "rule"} <= set(data["matches"][0])
    assert isinstance(s.matches, tuple)


def test_nothing_found_is_an_empty_screening():
    assert screen_rules("what a lovely walk today") == Screening()
    s = screen("what a lovely walk today")  # the model read it too, and found nothing
    assert (s.severity, s.categories, s.matches, s.hold) == ("none", frozenset(), (), False)
    assert s.model is not None and s.model.severity == "none"
