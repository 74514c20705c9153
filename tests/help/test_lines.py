"""Every number a member can tap comes from crisis_lines.json, and says what the line's
own words say: the links and the sentence a clinician checks never disagree."""
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from moderation import resources

FILE = json.loads((Path(__file__).resolve().parents[2] / "moderation" / "crisis_lines.json").read_text())
LINES = [(code, line) for code, region in FILE["regions"].items() for line in region["lines"]]


@pytest.mark.parametrize("code,line", LINES, ids=[f"{c}-{line['name']}" for c, line in LINES])
def test_each_tappable_number_is_written_in_the_lines_own_words(code, line):
    how = line["how"]
    for key in ("call", "text", "keyword"):
        if key in line:
            assert line[key] in how, f"{code} {line['name']}: {key} {line[key]!r} is not in {how!r}"
    if "web" in line:
        assert urlsplit(line["web"]).scheme == "https" and urlsplit(line["web"]).netloc in how
    # Every number the sentence names can be tapped: none is left as plain text.
    tappable = " ".join(line.get(key, "") for key in ("call", "text"))
    for number in re.findall(r"\d+(?: \d+)*", how):
        assert number in tappable, f"{code} {line['name']}: {number!r} has no link"
    if how.lower().startswith("call or text"):
        assert line.get("call") == line.get("text")


def test_links_are_dialled_as_written():
    ways = {w["label"]: w["href"] for _, line in LINES for w in resources.ways_to_reach(line)}
    assert ways["Call 116 123"] == "tel:116123"
    assert ways["Text 0477 13 11 14"] == "sms:0477131114"
    assert ways["Text HOME to 741741"] == "sms:741741?&body=HOME"
    assert ways["Text 988"] == "sms:988" and ways["Call 988"] == "tel:988"


def test_every_emergency_number_is_tap_to_call():
    parts = resources.emergency_parts(FILE["regions"]["IE"]["emergency"])
    assert parts == [("112", "tel:112"), (" or ", None), ("999", "tel:999")]
    words = resources.emergency_parts(FILE["regions"]["OTHER"]["emergency"])
    assert "".join(t for t, _ in words) == FILE["regions"]["OTHER"]["emergency"] and ("112", "tel:112") in words


def test_a_website_is_linked_inside_its_own_sentence():
    (line,) = FILE["regions"]["OTHER"]["lines"]
    parts = resources.about_parts(line)
    assert ("findahelpline.com", "https://findahelpline.com") in parts
    assert "".join(t for t, _ in parts) == line["how"]


def test_the_chosen_region_comes_first_and_no_region_keeps_the_files_order():
    assert [r["code"] for r in resources.lines_for("NZ")][:2] == ["NZ", "US"]
    assert [r["code"] for r in resources.lines_for(None)] == list(FILE["regions"])
    assert [r["code"] for r in resources.lines_for("XX")] == list(FILE["regions"])
