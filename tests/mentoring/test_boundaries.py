"""The boundaries detector (forum/chat/boundaries.py) on its labelled corpus
(contact_corpus.py): every kind of contact detail and plan to meet is caught, crisis lines,
counts, dates and everyday words pass. Pure: no app, no database."""
import pytest

from forum.chat import boundaries
from forum.chat.boundaries import contact_details, has_contact_details
from moderation.resources import regions
from tests.mentoring import contact_heldout, contact_heldout_second
from tests.mentoring.contact_corpus import NEGATIVE, POSITIVE


def _scores(held=POSITIVE, passing=NEGATIVE):
    caught = sum(1 for _, text in held if has_contact_details(text))
    false_alarms = sum(1 for text in passing if has_contact_details(text))
    return caught / len(held), caught / (caught + false_alarms)


def test_the_corpus_is_big_enough_to_mean_something():
    assert len(POSITIVE) >= 60 and len(NEGATIVE) >= 60
    assert {kind for kind, _ in POSITIVE} == set(boundaries.KINDS)


def test_recall_and_precision_on_the_labelled_corpus():
    recall, precision = _scores()
    print(f"contact details: recall {recall:.3f}, precision {precision:.3f} "
          f"({len(POSITIVE)} positives, {len(NEGATIVE)} negatives)")
    assert recall >= 0.97 and precision >= 0.97


# Floors at what the sets measured (2026-11-25), so a change that loses ground fails. The
# second set is the held-out one: 76.6% of its contact details held, 97.0% precision; most
# of what it misses is a move off Lantern said in few words ("FaceTime?", "skype later?")
# and handles given without an app's usual words. Its misses must never be tuned against.
@pytest.mark.parametrize("corpus, recall_floor, precision_floor", [
    (contact_heldout, 0.97, 0.99), (contact_heldout_second, 0.76, 0.97)], ids=["first (development)", "second (held out)"])
def test_recall_and_precision_on_sets_written_without_sight_of_the_detector(corpus, recall_floor, precision_floor):
    assert len(corpus.HELD) >= 150 and len(corpus.PASS) >= 200
    recall, precision = _scores(corpus.HELD, corpus.PASS)
    print(f"{corpus.__name__}: recall {recall:.3f}, precision {precision:.3f}")
    assert recall >= recall_floor and precision >= precision_floor


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


def test_a_person_s_number_is_held_and_an_organisation_s_freephone_line_passes():
    assert has_contact_details("call 0800 543 354") is False
    # Freephone and shared-cost numbers belong to organisations, never to a person.
    for line in ("call 0800 543 355", "1-888-555-0100 is their line", "0300 123 4567 in office hours"):
        assert has_contact_details(line) is False, line
    for personal in ("call 07700 543 355", "ring 0161 543 3550", "555-201-8842 is mine"):
        assert has_contact_details(personal), personal


@pytest.mark.parametrize("value", [None, "", "   ", 42])
def test_nothing_and_not_text_are_no_contact_details(value):
    assert contact_details(value) == ()


def test_the_explanation_names_every_kind_in_plain_words():
    for word in ("phone numbers", "emails", "social accounts", "addresses", "plans to meet"):
        assert word in boundaries.EXPLANATION
