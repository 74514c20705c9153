"""Hostile or broken input: screen returns, never raises, and never fails open."""
import sys
import threading

from moderation.screening import screen, screener
from moderation.screening.severity import Severity


def test_empty_and_whitespace():
    assert screen("").severity == "none"
    assert screen(" \n\t ").severity == "none"


def test_not_a_string():
    assert screen(None).severity == "none"
    assert screen(b"I want to die").severity >= "none"  # coerced, never raises


def test_one_megabyte_with_a_risk_sentence_at_the_end():
    text = "a perfectly ordinary sentence about the weather. " * 21_000 + "I want to kill myself."
    assert len(text) > screener.MAX_CHARS
    s = screen(text)
    assert s.severity == "high"
    assert "unscreened_text" in s.categories  # the unread middle is said, not hidden
    start, end = next(m.span for m in s.matches if m.category == "suicidal_ideation")
    assert text[start:end] == "kill myself"


def test_a_risk_sentence_in_the_middle_of_a_long_text_is_seen():
    filler = "a perfectly ordinary sentence about the weather. " * 9_000
    s = screen(filler + "Tonight I end it, I have the pills. " + filler)
    assert s.severity == "imminent"


def test_every_unicode_plane():
    text = "".join(chr(cp) for cp in range(0, sys.maxunicode + 1, 7))
    assert screen(text).severity in tuple(Severity)


def test_lone_surrogates():
    s = screen("\ud800 I want \udfff to die \udbff")
    assert s.severity >= "high"  # the words are read through the surrogates
    for m in s.matches:
        assert m.span[1] <= len("\ud800 I want \udfff to die \udbff")


def test_one_hundred_thousand_emoji():
    assert screen("😀" * 100_000).severity == "none"
    assert screen("🔪" * 100_000).severity >= "elevated"


def test_pathological_repetition_stays_bounded_and_keeps_the_worst():
    text = "kill myself. " * 50_000 + "I have the rope ready."
    s = screen(text)
    assert s.severity == "imminent"
    assert len(s.matches) <= screener.MAX_FINDINGS + 1


def test_internal_error_falls_back_to_a_conservative_result(monkeypatch, caplog):
    def broken(*args):
        raise RuntimeError("bug")

    monkeypatch.setattr(screener.context, "apply", broken)
    s = screen("I've taken all my pills")
    assert s.severity == "imminent"  # the raw lexicon still speaks
    assert "screening_error" in s.categories
    assert screen("a calm sentence, then the bug").severity == "none"  # no lexicon match ...
    monkeypatch.setattr(screener, "normalise", broken)
    assert screen("anything at all").severity == "elevated"  # ... but a failure before it is seen
    assert "crisis screening failed" in caplog.text


def test_thread_safe():
    texts = ["I want to die", "this exam is killing me", "I've taken all my pills", "k1ll mys3lf"]
    expected = [screen(t) for t in texts]
    results, errors = [], []

    def work():
        try:
            for _ in range(200):
                results.append([screen(t) for t in texts] == expected)
        except Exception as error:  # pragma: no cover - surfaced by the assert below
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and all(results)
