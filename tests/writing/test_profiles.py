"""A light profile: an optional line about the member and the month their recovery began,
the boards they are active in and their public posts (only what every visitor may read);
every handle links to it; former members have none. Export and deletion take drafts and
profile fields along."""
import json
import re
from datetime import date

from sqlalchemy import select, update

from forum.extensions import db
from forum.models import Draft, Member, Post, Profile, utcnow
from tests.helpers import PASSPHRASE, make_member, send, start_thread, text

JSON = {"Accept": "application/json"}


def test_a_member_fills_in_their_profile_and_everyone_can_read_it(app, member, client):
    saved = send(member.client, "/account/profile", {"about": "One day at a time <b>really</b>",
                                                       "recovery_since": "2021-03"})
    assert saved.status_code == 302 and saved.location.endswith(f"/m/{member.handle}")
    page = client.get(f"/m/{member.handle}")
    shown = text(page)
    assert page.status_code == 200 and "In recovery since" in shown and "March 2021" in shown
    assert "One day at a time &lt;b&gt;really&lt;/b&gt;" in page.get_data(as_text=True)  # plain text, escaped
    assert "Edit your profile" not in shown and "Edit your profile" in text(member.client.get(f"/m/{member.handle}"))
    with app.app_context():
        assert db.session.scalar(select(Profile.recovery_since)) == date(2021, 3, 1)
    # Emptying both fields leaves no profile row behind.
    send(member.client, "/account/profile", {"about": " ", "recovery_since": ""})
    with app.app_context():
        assert db.session.scalar(select(Profile)) is None
    assert "In recovery since" not in text(client.get(f"/m/{member.handle}"))


def test_profile_fields_are_checked_kindly(member):
    for value, words in (("2999-01", "hasn't come yet"), ("March 2021", "a month like 2021-03"),
                         ("2021-13", "a month like 2021-03"), ("1850-01", "from 1900 on")):
        refused = send(member.client, "/account/profile", {"recovery_since": value})
        assert refused.status_code == 400 and words in text(refused), value
    long = send(member.client, "/account/profile", {"about": "x" * 161})
    assert long.status_code == 400 and "under 160 characters" in text(long)
    hidden = send(member.client, "/account/profile", {"about": "hi\u202e"})
    assert hidden.status_code == 400 and "text-direction" in text(hidden)


def test_profile_shows_public_posts_and_boards_only(app, member, other, client):
    public = start_thread(member.client, "Walks help", "A walk at dusk helps me", board="anxiety")
    send(member.client, f"/t/{public}/reply", {"body": "and tea afterwards"})
    hidden = start_thread(member.client, "Hidden one", "words a moderator hid", board="depression")
    with app.app_context():
        db.session.execute(update(Post).where(Post.thread_id == hidden).values(hidden_at=utcnow()))
        db.session.execute(update(Post).where(Post.body_md == "and tea afterwards").values(held_at=utcnow()))
        db.session.commit()
    for viewer in (client, other.client, member.client):  # the same for everyone, the author too
        shown = text(viewer.get(f"/m/{member.handle}"))
        assert "Walks help" in shown and "A walk at dusk helps me" in shown
        assert "Hidden one" not in shown and "words a moderator hid" not in shown
        assert "and tea afterwards" not in shown
        assert re.search(r"Anxiety[^<]*</a>\s*<span class=\"meta\">\(1 post\)", viewer.get(f"/m/{member.handle}")
                         .get_data(as_text=True), re.IGNORECASE)
        assert "Depression" not in shown.split("Active in")[1].split("Posts")[0]


def test_handles_link_to_profiles_across_the_site(app, member, other, client):
    thread_id = start_thread(member.client, "Linked handles", "hello")
    send(other.client, f"/t/{thread_id}/reply", {"body": "hi back"})
    thread = client.get(f"/t/{thread_id}").get_data(as_text=True)
    assert f'href="/m/{member.handle}"' in thread and f'href="/m/{other.handle}"' in thread
    assert f'href="/m/{member.handle}"' in client.get("/b/anxiety").get_data(as_text=True)
    assert f'href="/m/{member.handle}"' in client.get("/search?q=hello").get_data(as_text=True)


def test_a_former_member_has_no_profile_and_takes_drafts_and_profile_along(app, member, other, client):
    thread_id = start_thread(other.client, "Still here", "a thread by someone else")
    send(member.client, f"/t/{thread_id}/reply", {"body": "a reply I leave behind"})
    send(member.client, "/account/profile", {"about": "Gardener", "recovery_since": "2020-01"})
    send(member.client, f"/t/{thread_id}/draft", {"body": "an unsent thought"}, headers=JSON)
    send(member.client, "/b/wins/draft", {"title": "A win", "body": "ninety days"}, headers=JSON)

    export = json.loads(member.client.get("/account/export.json").get_data(as_text=True))
    assert export["profile"] == {"about": "Gardener", "in_recovery_since": "2020-01"}
    assert [(d["thread_id"], d["board"], d["title"], d["body_markdown"]) for d in export["drafts"]] == [
        (thread_id, None, None, "an unsent thought"), (None, "wins", "A win", "ninety days")]

    gone = send(member.client, "/account/delete", {"posts": "keep", "passphrase": PASSPHRASE})
    assert gone.status_code == 302
    assert client.get(f"/m/{member.handle}").status_code == 404
    with app.app_context():
        former = db.session.scalar(select(Member).where(Member.deleted_at.is_not(None)))
        assert client.get(f"/m/{former.handle}").status_code == 404
        assert db.session.scalars(select(Draft)).all() == [] and db.session.scalars(select(Profile)).all() == []
    thread = client.get(f"/t/{thread_id}").get_data(as_text=True)
    assert "a reply I leave behind" in thread and f'href="/m/{member.handle}"' not in thread


def test_unknown_or_odd_profile_addresses_are_404(client, member):
    assert client.get("/m/NobodyHere99").status_code == 404
    assert client.get("/m/" + "x" * 300).status_code == 404
    assert client.get(f"/m/{member.handle}?before=abc").status_code == 200
    assert client.get("/account/profile").status_code == 302  # log in first


def test_profile_changes_are_rate_limited(limited_app):
    app = limited_app(LIMIT_PROFILE="1 per hour")
    person = make_member(app, "SteadyCrane64")
    assert send(person.client, "/account/profile", {"about": "first"}).status_code == 302
    slow = send(person.client, "/account/profile", {"about": "second"})
    assert slow.status_code == 429 and "second" in text(slow) and "Please wait" in text(slow)
