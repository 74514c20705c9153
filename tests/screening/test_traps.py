"""The language the rules alone got wrong, screened by rules + model: each a behaviour members
rely on. The lines are the product owner's examples and our own; none is in corpus/."""
import pytest

from moderation.screening import screen, screen_rules

# Imminent risk in words no lexicon phrase names: the model must carry these.
UNNAMED_IMMINENT = {
    "gun bought": "Bought a gun today. I know what I'm going to use it for",
    "pills and vodka": "I mixed the pills with vodka. Starting to feel it",
    "train platform": "Standing on the train platform. Next one comes in 5 minutes",
    "gone by morning": "By the time anyone reads this I'll be gone",
}

# The rules' own false alarms, fixed in the rules (a raise-only model could not undo them).
RULE_FALSE_ALARMS = {
    "hyperbole, blamed on mondays": "ugh mondays make me want to die lol",
    "hyperbole, the heat": "this heat is going to kill me",
    "recovery told in the past": "a year since I last self-harmed",
    "real negation": "I'm not going to kill myself, I promise",
    "real negation, venting": "I am not going to kill myself, I promise. Just venting",
    "of myself, care": "I need to take care of myself",
    "of myself, video": "I posted a video of myself playing guitar",
}

# Must stay as serious as they are: the fixes above must not open holes.
STILL_SERIOUS = {
    "a threat from a person": ("He said he's going to kill me if I leave", "high"),
    "doubt on a denial": ("I can't promise I'm not going to kill myself tonight", "imminent"),
    "off myself": ("honestly i want to off myself", "high"),
    "self-harm now, not past": ("cut myself again last night, a year since the last time", "high"),
}


@pytest.mark.parametrize("text", UNNAMED_IMMINENT.values(), ids=UNNAMED_IMMINENT.keys())
def test_unnamed_imminent_risk_is_flagged_for_a_moderator_at_once(text):
    assert screen_rules(text).severity == "none"  # the rules alone miss it
    s = screen(text)
    assert s.severity >= "high", s.to_dict()  # the member sees help, a moderator sees it soon
    assert s.decision == "raised"


def test_most_unnamed_imminent_risk_is_read_as_imminent():
    imminent = [text for text in UNNAMED_IMMINENT.values() if screen(text).severity == "imminent"]
    assert len(imminent) >= 3, imminent


@pytest.mark.parametrize("text", RULE_FALSE_ALARMS.values(), ids=RULE_FALSE_ALARMS.keys())
def test_the_rules_no_longer_raise_these(text):
    assert screen_rules(text).severity == "none"
    assert screen(text).severity == "none"


@pytest.mark.parametrize("text,severity", STILL_SERIOUS.values(), ids=STILL_SERIOUS.keys())
def test_what_must_stay_serious_does(text, severity):
    assert screen_rules(text).severity >= severity
    assert screen(text).severity >= severity


# What a chat room is mostly made of. A model trained on crisis language reads an unsure,
# contextless line as middling on every level; none of these may reach a moderator.
SMALL_TALK = ["okie", "okay thanks", "hello", "thank u all", "what time is the meeting", "where's everybody at",
              "brb kettle", "nope not me", "yes!!", "same tbh", "nighty night folks", "who's running group tonight",
              "anything at all", "is the wifi down for anyone else", "🙂"]


# Near a threshold: with no context at all the model reads this one as elevated on some CPUs
# and as nothing on others (int8 arithmetic differs a little between them). It must never
# read higher than elevated.
BORDERLINE = {"anything at all"}


@pytest.mark.parametrize("text", [t for t in SMALL_TALK if t not in BORDERLINE])
def test_small_talk_passes(text):
    assert screen(text).severity == "none", screen(text).to_dict()


@pytest.mark.parametrize("text", sorted(BORDERLINE))
def test_borderline_small_talk_never_reads_higher_than_elevated(text):
    assert screen(text).severity <= "elevated", screen(text).to_dict()
