"""Severity is an ordered string: it compares by urgency and serialises as its value."""
import json

from moderation.screening import Severity, screen


def test_orders_by_urgency_not_alphabet():
    assert Severity.NONE < Severity.ELEVATED < Severity.HIGH < Severity.IMMINENT
    assert sorted(["imminent", "none", "high", "elevated"], key=Severity) == \
        ["none", "elevated", "high", "imminent"]


def test_compares_with_plain_strings_on_either_side():
    assert Severity.HIGH >= "high" and Severity.IMMINENT > "high" and Severity.ELEVATED < "high"
    assert "high" <= Severity.IMMINENT and "none" < Severity.ELEVATED


def test_equals_and_prints_as_its_value():
    assert Severity.HIGH == "high" and str(Severity.HIGH) == "high" and Severity.HIGH.value == "high"
    assert json.dumps(Severity.HIGH) == '"high"'


def test_lowered_never_reaches_none():
    assert Severity.IMMINENT.lowered() == Severity.HIGH
    assert Severity.HIGH.lowered() == Severity.ELEVATED
    assert Severity.ELEVATED.lowered() == Severity.ELEVATED
    assert Severity.NONE.lowered() == Severity.NONE


def test_screening_severity_is_comparable():
    assert screen("I want to kill myself").severity >= "high"
