"""The boundaries detector (forum/chat/boundaries.py) on its labelled corpus
(contact_corpus.py): every kind of contact detail and plan to meet is caught, crisis lines,
counts, dates and everyday words pass. Pure: no app, no database."""
import pytest

from forum.chat import boundaries
from forum.chat.boundaries import contact_details, has_contact_details
from moderation.resources import regions
from tests.mentoring.contact_corpus import NEGATIVE, POSITIVE


def _scores():
    caught = sum(1 for _, text in POSITIVE if has_contact_details(text))
    passed = sum(1 for text in NEGATIVE if not has_contact_details(text))
    false_alarms = len(NEGATIVE) - passed
    return caught / len(POSITIVE), caught / (caught + false_alarms)


def test_the_corpus_is_big_enough_to_mean_something():
    assert len(POSITIVE) >= 60 and len(NEGATIVE) >= 60
    assert {kind for kind, _ in POSITIVE} == set(boundaries.KINDS)


def test_recall_and_precision_on_the_labelled_corpus():
    recall, precision = _scores()
    print(f"contact details: recall {recall:.3f}, precision {precision:.3f} "
          f"({len(POSITIVE)} positives, {len(NEGATIVE)} negatives)")
    assert recall >= 0.97 and precision >= 0.97


@pytest.mark.parametrize("kind, text", POSITIVE, ids=[f"{k}-{n}" for n, (k, _) in enumerate(POSITIVE)])
def test_contact_details_are_found_as_what_they_are(kind, text):
    assert kind in {found.kind for found in contact_details(text)}, contact_details(text)


@pytest.mark.parametrize("text", NEGATIVE, ids=[f"neg-{n}" for n in range(len(NEGATIVE))])
def test_everyday_words_helplines_and_counts_pass(text):
    assert contact_details(text) == ()


def test_every_crisis_line_lantern_shows_may_be_shared():
    """Whatever moderation/crisis_lines.json holds (the lines the help panel shows) is never
    held back, however it is written."""
    numbers = [line[key] for region in regions().values() for line in region["lines"]
               for key in ("call", "text") if line.get(key)]
    assert numbers
    for number in numbers:
        for written in (number, number.replace(" ", ""), number.replace(" ", "-"), f"please call {number} tonight"):
            assert not has_contact_details(written), written


def test_the_same_number_is_held_once_it_is_not_a_helpline():
    assert has_contact_details("call 0800 543 354") is False
    assert has_contact_details("call 0800 543 355")


@pytest.mark.parametrize("value", [None, "", "   ", 42])
def test_nothing_and_not_text_are_no_contact_details(value):
    assert contact_details(value) == ()


def test_the_explanation_names_every_kind_in_plain_words():
    for word in ("phone numbers", "emails", "social accounts", "addresses", "plans to meet"):
        assert word in boundaries.EXPLANATION
