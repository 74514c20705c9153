"""The lexicon is data a clinician reviews; its syntax errors fail loudly at load."""
import pytest

from moderation.screening.lexicon import LEXICON, LEXICON_PATH, load
from moderation.screening.phrases import PhraseError


def test_loads_every_group():
    assert len(LEXICON.entries) > 100
    assert {e.category for e in LEXICON.entries} >= {
        "suicidal_ideation", "plan", "self_harm", "danger_from_others", "harm_to_others",
        "method_detail", "passive_ideation", "hopelessness", "burden", "goodbye", "attempt"}


@pytest.mark.parametrize("phrase", [
    "want (to die",            # unbalanced
    "[maybe] die",             # starts with an optional word
    "what('s| is) the point",  # glued alternatives never match "what's"
    "it 'll be over",          # a detached apostrophe form
    "<no_such_list> die",
    "~ die",
])
def test_a_bad_phrase_fails_the_load(tmp_path, phrase):
    path = tmp_path / "lexicon.toml"
    path.write_text(LEXICON_PATH.read_text(encoding="utf-8")
                    + f'\n[[group]]\ncategory = "x"\nseverity = "high"\nnote = "x"\nphrases = ["{phrase}"]\n',
                    encoding="utf-8")
    with pytest.raises(PhraseError):
        load(path)


def test_phrase_syntax(tmp_path):
    path = tmp_path / "lexicon.toml"
    path.write_text(LEXICON_PATH.read_text(encoding="utf-8")
                    + '\n[[group]]\ncategory = "x"\nseverity = "high"\nnote = "x"\n'
                      'phrases = ["zork (blue|green sky) [very] ~ flarp* $"]\n', encoding="utf-8")
    regex = load(path).entries[-1].regex
    assert regex.match("zork green sky very much so flarping")
    assert regex.match("zork blue flarp")
    assert regex.match("zorrk blue flarp") is None        # a letter doubled only in the text
    assert regex.match("zork blue not flarp") is None     # "~" never swallows a negation
    assert regex.match("zork blue flarp and more") is None  # "$": the end of the sentence
