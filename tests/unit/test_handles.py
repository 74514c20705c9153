"""Handles: friendly generated ones, clear rules for chosen ones, look-alikes caught."""
import pytest

from forum.accounts import handles


def test_generated_handles_are_adjective_creature_number_and_valid():
    for _ in range(200):
        handle = handles.generate()
        assert handles.problem(handle) is None
        assert handle[-2:].isdigit() and handle[0].isupper()


@pytest.mark.parametrize("handle,reason", [
    ("ab", "3 to 24"),
    ("x" * 25, "3 to 24"),
    ("has space", "letters"),
    ("émilie", "letters"),
    ("bad\u202eevil", "invisible"),
    ("zero\u200bwidth", "invisible"),
    ("ctrl\x07char", "invisible"),
])
def test_bad_handles_are_refused_with_a_reason(handle, reason):
    assert reason in handles.problem(handle)


@pytest.mark.parametrize("a,b", [
    ("QuietHeron", "quietheron"),
    ("QuietHeron", "Qu1etHeron"),
    ("QuietHeron", "QuletHeron"),
    ("Moon_Walker", "M00n-Walker"),
    ("Modern", "Rnodern"),
    ("Willow", "VVillow"),
])
def test_look_alike_handles_share_a_skeleton(a, b):
    assert handles.skeleton(a) == handles.skeleton(b)


def test_different_handles_have_different_skeletons():
    assert handles.skeleton("QuietHeron") != handles.skeleton("QuietHerons")
