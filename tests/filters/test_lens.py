"""The words a filter matches: whole words, any case, the same in Python and in SQL."""
import pytest
from sqlalchemy import literal, select

from forum.extensions import db
from forum.filters import lens, topics


def hides(pattern_words, text, topic_keys=()):
    seen = lens.Lens(1, frozenset(), lens.pattern(topic_keys, pattern_words))
    return seen.hides(2, text)


@pytest.mark.parametrize("words, text, hidden", [
    (["drink"], "I want a DRINK tonight", True),
    (["drink"], "I went drinking", False),  # whole words only
    (["drink*"], "I went drinking", True),  # unless the word ends in *
    (["sad"], "a sadness", False),
    (["don't"], "I don’t know", True),  # either apostrophe
    (["self-harm"], "thinking about self harm again", True),  # hyphen: hyphen, space or nothing
    (["self-harm"], "selfharm", True),
    (["last call"], "it was last\n call", True),
])
def test_muted_words_match_whole_words_in_any_case(words, text, hidden):
    assert (hides(words, text) == lens.FILTERED) is hidden


def test_topics_are_narrow_enough_for_a_recovery_forum():
    assert hides([], "I relapsed on self-harm last night", ["self_harm"]) == lens.FILTERED
    assert hides([], "the method that helped me sleep", ["substances"]) is None  # "meth" is a whole word
    assert hides([], "feeling suicidal", ["suicide"]) == lens.FILTERED
    assert hides([], "a calm evening walk", list(topics.TOPICS)) is None


def test_nothing_is_hidden_from_its_author_and_blocks_come_first():
    seen = lens.Lens(1, frozenset({3}), lens.pattern(["suicide"], []))
    assert seen.hides(1, "suicide") is None
    assert seen.hides(3, "hello") == lens.BLOCKED
    assert lens.NOBODY.hides(3, "suicide") is None


@pytest.mark.parametrize("text, hidden", [
    ("Thinking of SUICIDE today", True), ("a suicidal night", True), ("I want to die", True),
    ("I want to dine out", False), ("", False), (None, False),
])
def test_the_database_matches_what_python_matches(app, text, hidden):
    seen = lens.Lens(1, frozenset(), lens.pattern(["suicide"], ["flashbacks"]))
    with app.app_context():
        in_sql = db.session.scalar(select(seen.matches_sql(literal(text))))
    assert bool(in_sql) is hidden
    assert (seen.hides(2, text) == lens.FILTERED) is hidden
