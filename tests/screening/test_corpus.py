"""The labelled corpus the model learns from: well formed, broad, and apart from the dev set."""
import json
import re
from collections import Counter

from moderation.screening.labelled import read_corpus, split
from moderation.screening.severity import Severity

ROWS, _ = read_corpus()


def test_every_line_is_well_formed():
    for row in ROWS:
        assert set(row) == {"text", "severity", "category", "form", "file"}, row
        assert row["severity"] in {s.value for s in Severity} and row["form"] in {"chat", "post", "long"}
        assert row["text"].strip() and row["category"]


def test_big_enough_and_mostly_hard_negatives():
    assert len(ROWS) >= 3000
    hard = [r for r in ROWS if r["severity"] == "none" and r["category"] != "everyday"]
    assert len(hard) / len(ROWS) >= 0.40
    levels = Counter(r["severity"] for r in ROWS)
    assert min(levels.values()) >= 500  # every level well represented
    forms = Counter(r["form"] for r in ROWS)
    assert forms["long"] >= 500 and forms["chat"] >= 1000


def test_no_text_has_two_labels_and_splits_are_disjoint():
    labels = {}
    for row in ROWS:
        key = row["text"].strip().lower()
        assert labels.setdefault(key, row["severity"]) == row["severity"], row["text"]
    parts = split(ROWS)
    seen = [{r["text"].strip().lower() for r in parts[name]} for name in parts]
    assert not (seen[0] & seen[1]) and not (seen[0] & seen[2]) and not (seen[1] & seen[2])
    assert 0.17 < len(parts["validation"]) / len(ROWS) < 0.23


def test_nothing_is_copied_from_the_dev_set(dev_set):
    words = lambda text: set(re.findall(r"[a-z']+", text.lower()))  # noqa: E731
    dev = [words(json.loads(line)["text"]) for line in dev_set.read_text().splitlines() if line.strip()]
    for row in ROWS:
        mine = words(row["text"])
        assert all(len(mine & d) / max(1, len(mine | d)) < 0.6 for d in dev), row["text"]
