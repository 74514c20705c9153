"""The policy that makes one decision from the rules and the model (decision.py)."""
import pytest

from moderation.screening import decision, screen, screen_rules
from moderation.screening.model import Reading
from moderation.screening.severity import Severity


def reading(severity, elevated, high, imminent):
    probability = {Severity.NONE: 1 - elevated, Severity.ELEVATED: elevated, Severity.HIGH: high,
                   Severity.IMMINENT: imminent}[Severity(severity)]
    return Reading(Severity(severity), probability, (elevated, high, imminent), 1, ())


def test_the_model_may_raise_what_the_rules_missed():
    rules = screen_rules("Standing on the platform. Next one comes in 5 minutes.")
    assert rules.severity == "none"
    out = decision.decide(rules, reading("imminent", 0.99, 0.97, 0.9))
    assert out.severity == "imminent" and out.decision == "raised"
    assert "learned_model" in out.categories


def test_a_confident_model_lowers_a_phrase_the_lexicon_marks_figurative():
    rules = screen_rules("my boss is going to kill me")
    assert rules.severity == "high" and all(m.may_lower for m in rules.matches)
    out = decision.decide(rules, reading("none", 0.02, 0.01, 0.0))
    assert out.severity == "none" and out.decision == "lowered"
    assert "figurative" in out.matches[0].rule


def test_an_unsure_model_does_not_lower():
    rules = screen_rules("my boss is going to kill me")
    out = decision.decide(rules, reading("none", 0.3, 0.2, 0.0))
    assert out.severity == "high"
    assert "not sure enough" in out.decision


@pytest.mark.parametrize("text", [
    "I'm going to kill myself tonight",  # a plan with a time
    "I have the pills ready",  # the means
    "This is my last post. Goodbye everyone.",  # a goodbye
    "want to die. i have the rope",  # raised to imminent by the means at hand
])
def test_nothing_lowers_a_plan_means_time_or_goodbye(text):
    rules = screen_rules(text)
    assert rules.severity == "imminent"
    out = decision.decide(rules, reading("none", 0.0, 0.0, 0.0))
    assert out.severity == "imminent"


def test_holds_come_from_the_rules():
    rules = screen_rules("how many pills would it take to die")
    assert rules.hold
    assert decision.decide(rules, reading("none", 0.0, 0.0, 0.0)).hold


def test_a_flag_explains_both_signals():
    s = screen("Bought a gun today. I know what I'm going to use it for")
    evidence = s.evidence()
    model = [e for e in evidence if "model" in e]
    assert len(model) == 1
    assert model[0]["model"]["severity"] == s.model.severity.value
    assert len(model[0]["model"]["neighbours"]) == 3
    assert 0.0 <= model[0]["model"]["probability"] <= 1.0


def test_rules_alone_on_purpose():
    decision.configure("off")
    try:
        assert screen("Bought a gun today. I know what I'm going to use it for").model is None
    finally:
        decision.configure("on")


def test_a_broken_model_never_loses_the_rules_answer(monkeypatch):
    class Broken:
        def read(self, text):
            raise RuntimeError("boom")

    monkeypatch.setattr(decision.learned, "load", lambda: Broken())
    s = screen("I want to kill myself")
    assert s.severity == "high" and s.model is None
