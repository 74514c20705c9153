"""The evaluation figures, on hand-made rows, on our own cases and on the shared dev set."""
import json

from moderation.screening.evaluate import evaluate, read_cases, report


def _check_targets(ev):
    assert ev.imminent_recall >= 0.90
    assert ev.high_recall >= 0.97
    assert ev.imminent_missed == 0
    assert ev.none_pass_rate >= 0.92


def test_confusion_and_figures():
    rows = [
        {"text": "I've taken all my pills", "severity": "imminent"},
        {"text": "I want to die", "severity": "imminent"},       # predicted high
        {"text": "this exam is killing me", "severity": "none"},
        {"text": "I hate myself", "severity": "none"},            # predicted elevated
        {"text": "no severity"}, None,
    ]
    ev = evaluate(rows)
    assert ev.confusion["imminent"]["imminent"] == 1 and ev.confusion["imminent"]["high"] == 1
    assert ev.imminent_recall == 0.5 and ev.high_recall == 1.0 and ev.imminent_missed == 0
    assert ev.none_pass_rate == 0.5 and ev.skipped == 2
    assert [(m.gold, m.predicted) for m in ev.misses] == [("imminent", "high"), ("none", "elevated")]
    text = report(ev)
    assert "imminent recall" in text and "I hate myself" in text


def test_read_cases_marks_unreadable_lines(tmp_path):
    path = tmp_path / "cases.jsonl"
    path.write_text('{"text": "hi", "severity": "none"}\n\nnot json\n', encoding="utf-8")
    assert read_cases(path) == [{"text": "hi", "severity": "none"}, None]


def test_own_cases_meet_the_targets(own_cases):
    rows = read_cases(own_cases)
    assert len(rows) >= 150
    _check_targets(evaluate(rows))


def test_own_cases_are_not_copies_of_the_dev_set(own_cases, dev_set):
    dev = {json.loads(line)["text"].lower() for line in dev_set.read_text().splitlines() if line.strip()}
    assert not dev & {row["text"].lower() for row in read_cases(own_cases)}


def test_dev_set_meets_the_targets(dev_set):
    _check_targets(evaluate(read_cases(dev_set)))
