"""Daily check-ins: mood in words, a line of notes and tags, one a day, seen again in the
month's calendar and the chart; a form that refuses bad input kindly."""
import re

from sqlalchemy import select

from forum.extensions import db
from forum.models import CheckIn
from moderation.models import Flag
from tests.helpers import send, text
from tests.recovery.recovery_helpers import CALM, check_in, member_id

CONSENT = ("Your check-ins are private. Trained moderators see a private note only when it suggests you may be "
           "in danger, so they can reach out.")


def _squashed(page):
    return re.sub(r"\s+", " ", page)


def test_a_check_in_shows_in_the_calendar_the_chart_and_its_table(app, member):
    response = check_in(member, mood="2", note=CALM, tags=["slept", "urges"])
    assert response.status_code == 302
    page = text(member.client.get("/recovery"))
    assert "Thank you for checking in" in page
    assert CALM in page  # the form holds today's words, to change them
    calendar = page[page.index('<table class="calendar">'):]
    assert re.search(r'aria-current="date"><span class="day-number">\d+</span><span class="mood-mark mood-2">2'
                     r'<span class="visually-hidden"> Low; Slept well, Had urges', calendar)
    chart = page[page.index('<svg class="mood-chart"'):page.index("</svg>")]
    assert "1 check-in in 30 days" in _squashed(chart) and 'class="chart-dot mood-2"' in chart
    assert "2: Low" in page[page.index("The days as a table"):]
    assert '<svg class="mood-chart"' in text(member.client.get("/recovery?days=90"))
    assert "the last 90 days" in text(member.client.get("/recovery?days=90"))


def test_checking_in_again_the_same_day_replaces_it(app, member):
    check_in(member, mood="2", note="A heavy morning")
    check_in(member, mood="4", note="Better after lunch", tags=["ate"])
    with app.app_context():
        rows = db.session.scalars(select(CheckIn).where(CheckIn.member_id == member_id(app, member.handle))).all()
        assert [(r.mood, r.note, r.tags) for r in rows] == [(4, "Better after lunch", ["ate"])]
    page = text(member.client.get("/recovery"))
    assert "You've checked in today: saving again replaces it." in page
    assert 'value="4" checked' in page or "checked value=\"4\"" in page or re.search(r'checked[^>]*value="4"', page)


def test_the_consent_is_shown_when_joining_and_on_the_check_in_form(app, client, member):
    assert CONSENT in _squashed(text(client.get("/join")))
    assert CONSENT in _squashed(text(member.client.get("/recovery")))


def test_bad_input_is_refused_with_words_and_nothing_is_saved(app, member):
    cases = [
        ({"note": "no mood"}, "Please choose how today is going"),
        ({"mood": "9"}, "Please choose how today is going"),
        ({"mood": "three"}, "Please choose how today is going"),
        ({"mood": "3", "note": "x" * 501}, "Please keep it under 500 characters."),
        ({"mood": "3", "tags": ["slept", "flew"]}, "Please choose from the listed things only."),
        ({"mood": "3", "note": "hidden\u202ereversed"}, ""),
    ]
    for data, words in cases:
        response = send(member.client, "/recovery", data)
        assert response.status_code == 400, data
        assert words in text(response)
    assert member.client.post("/recovery", data={"mood": "3"}).status_code == 400  # no CSRF token
    with app.app_context():
        assert db.session.scalar(select(CheckIn.id)) is None


def test_a_calm_check_in_raises_no_flag_and_no_help_panel(app, member, moderator):
    response = check_in(member, mood="3", note=CALM)
    assert response.location.endswith("/recovery")
    assert "You don't have to carry this alone" not in text(member.client.get("/recovery"))
    with app.app_context():
        assert db.session.scalar(select(Flag.id)) is None


def test_saving_is_rate_limited_kindly(make_app):
    from forum.seed import seed_boards
    from tests.helpers import make_member

    app = make_app(LIMIT_RECOVERY="2 per minute")
    with app.app_context():
        seed_boards()
        db.session.commit()
    person = make_member(app, "SlowRiver77")
    assert check_in(person).status_code == 302
    assert check_in(person).status_code == 302
    refused = check_in(person, mood="5")
    assert refused.status_code == 429 and "nothing you wrote is lost" in text(refused)
