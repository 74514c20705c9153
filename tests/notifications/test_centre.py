"""Who is told what, in the transaction of the change, and what the member then sees:
the bell on every page, the /notifications list, marking read, the settings."""
import re
from datetime import timedelta

from sqlalchemy import select, update

from forum.extensions import db
from forum.models import Member, Notification, Post, utcnow
from moderation.models import Flag
from tests.helpers import send, start_thread, text

BELL = re.compile(r'id="bell-count"(?: hidden)?>(\d+)<')


def unread(person):
    """The count on the bell of any page the member opens."""
    return int(BELL.search(person.client.get("/").get_data(as_text=True)).group(1))


def reply(person, thread_id, body, parent_id=None):
    data = {"body": body, **({"parent_id": str(parent_id)} if parent_id else {})}
    response = send(person.client, f"/t/{thread_id}/reply", data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.location.rsplit("#p", 1)[1])


def notifications(app, handle):
    with app.app_context():
        member_id = db.session.scalar(select(Member.id).where(Member.handle == handle))
        return db.session.scalars(select(Notification).where(Notification.member_id == member_id)
                                  .order_by(Notification.id)).all()


def test_a_reply_tells_the_thread_and_the_post_it_answers_never_the_replier(app, member, other, third):
    thread = start_thread(member.client, title="Sleep after quitting", body="Week two and no sleep.")
    answer = reply(other, thread, "It got better for me around day ten.")
    reply(third, thread, "Same here, hang in there.", parent_id=answer)

    page = text(member.client.get("/notifications"))
    assert f"{other.handle} replied in your thread “Sleep after quitting”" in page
    assert f"{third.handle} replied in your thread" in page
    assert f"{third.handle} replied to your post in “Sleep after quitting”" in text(other.client.get("/notifications"))
    assert unread(member) == 2 and unread(other) == 1 and unread(third) == 0  # nobody hears their own reply

    # Opening one goes to the reply and counts it read; "mark all" does the rest.
    first = notifications(app, member.handle)[0]
    opened = member.client.get(f"/notifications/{first.id}/open")
    assert opened.status_code == 302 and opened.location.endswith(f"/p/{answer}")
    assert unread(member) == 1
    send(member.client, "/notifications/read")
    assert unread(member) == 0 and "New" not in text(member.client.get("/notifications"))


def test_a_mention_tells_the_member_named_once_and_only_a_real_handle(app, member, other, third):
    thread = start_thread(member.client, title="Thank you all",
                          body=f"Thanks @{other.handle.lower()} and @NoSuchPerson99, and me@{third.handle}.")
    assert [n.kind for n in notifications(app, other.handle)] == ["mention"]  # any case; one member
    assert notifications(app, third.handle) == []  # inside an address is not a mention
    # In a reply, someone both mentioned and taking part hears it once, as a mention.
    reply(other, thread, "You're welcome!")
    reply(third, thread, f"@{other.handle} said it best.")
    assert [n.kind for n in notifications(app, other.handle)] == ["mention", "mention"]
    assert f"{third.handle} mentioned you in “Thank you all”" in text(other.client.get("/notifications"))
    # An edit tells only whom it newly mentions.
    with app.app_context():
        post_id = db.session.scalar(select(Post.id).where(Post.thread_id == thread, Post.parent_id.is_(None)))
    send(member.client, f"/p/{post_id}/edit", {"body": f"Thanks @{other.handle} and @{third.handle}."})
    assert len(notifications(app, other.handle)) == 2
    assert [n.kind for n in notifications(app, third.handle)] == ["mention"]


def test_the_handle_list_for_autocomplete_is_for_members_and_matches_the_start(app, member, other, client):
    assert client.get("/notifications/handles?q=Br").status_code == 302  # log in first
    assert member.client.get("/notifications/handles?q=br").get_json() == {"handles": [other.handle]}
    assert member.client.get("/notifications/handles?q=otter").get_json() == {"handles": []}
    assert member.client.get("/notifications/handles?q=%25").get_json() == {"handles": []}


def test_reactions_are_gathered_into_one_notification_per_post(app, member, other, third):
    thread = start_thread(member.client, title="Day 30", body="A month today.")
    with app.app_context():
        post_id = db.session.scalar(select(Post.id).where(Post.thread_id == thread))
    for person, kind in ((other, "hug"), (other, "strength"), (third, "thanks")):
        send(person.client, f"/p/{post_id}/react/{kind}")
    send(third.client, f"/p/{post_id}/react/thanks")  # taken back: nobody is told
    send(third.client, f"/p/{post_id}/react/thanks")  # and given again: counted once
    [gathered] = notifications(app, member.handle)
    assert gathered.kind == "reactions" and gathered.count == 3
    assert f"{third.handle} and 2 others reacted to your post in “Day 30”" in text(member.client.get("/notifications"))
    # Once read, the next reaction starts a new one.
    send(member.client, "/notifications/read")
    send(other.client, f"/p/{post_id}/react/me_too")
    assert [n.count for n in notifications(app, member.handle)] == [3, 1]


def test_a_hidden_or_deleted_post_takes_its_notifications_with_it(app, member, other):
    thread = start_thread(member.client, title="Rough night", body="Couldn't settle.")
    kept = reply(other, thread, "Here if you want to talk.")
    gone = reply(other, thread, "Something I later removed.")
    assert unread(member) == 2
    with app.app_context():
        db.session.execute(update(Post).where(Post.id == kept).values(hidden_at=utcnow()))
        db.session.commit()
    send(other.client, f"/p/{gone}/delete")
    assert unread(member) == 0
    assert "replied" not in text(member.client.get("/notifications"))
    [first, _] = notifications(app, member.handle)
    assert "no longer there" in text(member.client.get(f"/notifications/{first.id}/open", follow_redirects=True))


def test_a_reporter_hears_what_happened_naming_the_post_but_not_its_words(app, member, other, third, moderator):
    start_thread(member.client, title="Stop whining", body="You're all pathetic and weak.")
    with app.app_context():
        post_id = db.session.scalar(select(Post.id))
    for person in (other, third):
        send(person.client, f"/p/{post_id}/report", {"reason": "harassment"})
    with app.app_context():
        flag = db.session.scalars(select(Flag)).one()
    assert notifications(app, other.handle) == []  # nothing until a moderator acts
    send(moderator.client, f"/moderation/flags/{flag.id}/resolve", {"outcome": "spam_abuse", "version": str(flag.version)})

    for person in (other, third):
        page = text(person.client.get("/notifications"))
        assert ("Your report of a post in “Stop whining”: a moderator reviewed it and dealt with it as spam or "
                "abuse.") in page
        [told] = notifications(app, person.handle)
        assert person.client.get(f"/notifications/{told.id}/open").location.endswith(f"/p/{post_id}")
    assert notifications(app, member.handle) == []  # the author is not told of reports


def test_a_hidden_post_s_reporter_still_hears_of_it_by_a_link_without_its_words(app, member, other, moderator):
    start_thread(member.client, title="Everyone here is a loser", body="Nobody cares about you lot.")
    with app.app_context():
        post_id = db.session.scalar(select(Post.id))
    send(other.client, f"/p/{post_id}/report", {"reason": "harassment"})
    with app.app_context():
        flag = db.session.scalars(select(Flag)).one()
    send(moderator.client, f"/moderation/flags/{flag.id}/hide", {"reason": "unkind"})
    with app.app_context():
        flag = db.session.get(Flag, flag.id)
    send(moderator.client, f"/moderation/flags/{flag.id}/resolve", {"outcome": "spam_abuse", "version": str(flag.version)})
    page = text(other.client.get("/notifications"))
    assert "Your report of a post in a thread: a moderator reviewed it and dealt with it as spam or abuse. " \
           "The post is now hidden." in page
    assert "loser" not in page and "Nobody cares" not in page
    assert unread(other) == 1


def test_a_muted_member_is_still_told(app, member, other):
    thread = start_thread(member.client, title="Checking in", body="How is everyone?")
    with app.app_context():
        db.session.execute(update(Member).where(Member.handle == member.handle)
                           .values(muted_until=utcnow() + timedelta(hours=1)))
        db.session.commit()
    reply(other, thread, f"Doing alright, @{member.handle}, thanks.")
    assert [n.kind for n in notifications(app, member.handle)] == ["mention"]
    assert unread(member) == 1


def test_kinds_turned_off_are_not_told_and_the_outreach_cannot_be_turned_off(app, member, other, moderator):
    assert 'value="outreach"' not in text(member.client.get("/notifications"))
    send(member.client, "/notifications/settings", {"on": ["mention", "reactions", "report"]})
    page = text(member.client.get("/notifications"))
    assert 'value="reply" id="on-reply">' in page and 'value="mention" id="on-mention" checked>' in page
    thread = start_thread(member.client, title="Quiet please", body="Just thinking aloud. I feel like a burden.")
    reply(other, thread, "Thinking of you.")
    assert notifications(app, member.handle) == []

    send(member.client, "/notifications/settings", {"on": [], "outreach": "off"})  # everything off, if it could be
    with app.app_context():
        flag_id = db.session.scalar(select(Flag.id))
    send(moderator.client, f"/moderation/flags/{flag_id}/support")
    assert [n.kind for n in notifications(app, member.handle)] == ["outreach"]


def test_the_outreach_banner_shows_on_every_page_until_opened_or_put_aside(app, member, moderator):
    start_thread(member.client, title="Hard day", body="I feel like a burden to my family.")
    with app.app_context():
        flag_id = db.session.scalar(select(Flag.id))
    room = send(moderator.client, f"/moderation/flags/{flag_id}/support").location
    send(moderator.client, f"/moderation/flags/{flag_id}/support")  # asked again: still one
    for path in ("/", "/b/depression", "/help", "/notifications"):
        assert "A moderator would like to talk with you" in text(member.client.get(path)), path
    [outreach] = notifications(app, member.handle)
    assert "A moderator would like to talk with you" not in text(moderator.client.get("/"))
    opened = member.client.get(f"/notifications/{outreach.id}/open")
    assert opened.location == room
    assert "would like to talk" not in text(member.client.get("/b/depression"))

    # Put aside ("Not now"): gone from every page, back where the member was.
    with app.app_context():
        db.session.execute(update(Notification).values(read_at=None))
        db.session.commit()
    aside = send(member.client, f"/notifications/{outreach.id}/read", {"next": "/b/depression"})
    assert aside.location == "/b/depression"
    assert "would like to talk" not in text(member.client.get("/"))


def test_nobody_reads_or_marks_another_member_s_notifications(app, member, other):
    thread = start_thread(member.client, title="Mine", body="Words.")
    reply(other, thread, "A reply.")
    [mine] = notifications(app, member.handle)
    assert "no longer there" in text(other.client.get(f"/notifications/{mine.id}/open", follow_redirects=True))
    send(other.client, f"/notifications/{mine.id}/read")
    assert unread(member) == 1


def test_the_catch_up_lists_what_came_after_an_id_once(app, member, other):
    thread = start_thread(member.client, title="Catching up", body="Words.")
    for n in range(3):
        reply(other, thread, f"Reply {n}.")
    ids = [n.id for n in notifications(app, member.handle)]
    missed = member.client.get(f"/notifications/since?after={ids[0]}").get_json()
    assert [item["id"] for item in missed["items"]] == ids[1:]
    assert missed["unread"] == 3 and missed["last_id"] == ids[-1]
    assert missed["items"][0]["text"] == f"{other.handle} replied in your thread “Catching up”"
