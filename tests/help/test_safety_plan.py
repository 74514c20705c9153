"""A member's safety plan: theirs alone to read and change, taken away as text or in the
export, at the top of their help panel, never screened, and gone with their account."""
import html
import json

from sqlalchemy import select

from forum.extensions import db
from forum.models import Member, SafetyPlan
from moderation.help import has_safety_plan
from moderation.models import Flag
from tests.flags.flag_helpers import HIGH, post_thread
from tests.flags.test_chat_crisis import joined
from tests.helpers import PASSPHRASE, send, text

WARNING = "Not sleeping, skipping meals, pulling away from Sam"
REASONS = "My niece Ellie, and finishing the mural"


def _write(person, **sections):
    return send(person.client, "/safety-plan", sections)


def _member_id(app, handle):
    with app.app_context():
        return db.session.scalar(select(Member.id).where(Member.handle == handle))


def test_a_member_writes_their_plan_and_reads_it_back(app, member):
    page = member.client.get("/safety-plan")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert "Warning signs" in text(page) and "My reasons for living" in text(page)
    response = _write(member, warning_signs=WARNING, reasons=REASONS)
    assert response.status_code == 302
    page = text(member.client.get("/safety-plan"))
    assert WARNING in page and REASONS in page and "Your safety plan is saved" in page
    with app.app_context():
        plan = db.session.get(SafetyPlan, _member_id(app, member.handle))
        assert plan.sections == {"warning_signs": WARNING, "reasons": REASONS}


def test_the_plan_downloads_as_plain_text_that_no_one_keeps_a_copy_of(app, member):
    _write(member, coping="Walk round the park, then a shower", reasons=REASONS)
    response = member.client.get("/safety-plan.txt")
    assert response.mimetype == "text/plain" and response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"].startswith("attachment")
    body = response.get_data(as_text=True)
    assert body.index("Things I can do on my own") < body.index("Walk round the park") < body.index(REASONS)


def test_nobody_else_can_read_the_plan_not_even_a_moderator(app, member, other, moderator):
    _write(member, warning_signs=WARNING)
    thread_id = post_thread(member, HIGH)
    member_id, other_id = _member_id(app, member.handle), _member_id(app, other.handle)
    for person in (other, moderator):
        assert WARNING not in text(person.client.get("/safety-plan"))  # their own, empty plan
        assert WARNING not in text(person.client.get("/safety-plan.txt"))
        assert WARNING not in text(person.client.get(f"/t/{thread_id}"))
        for address in (f"/safety-plan/{member_id}", f"/safety-plan/{member_id}.txt", f"/members/{member_id}/safety-plan"):
            assert person.client.get(address).status_code == 404  # no address for another's plan
    with app.app_context():
        flag = db.session.scalars(select(Flag)).one()
    assert WARNING not in text(moderator.client.get(f"/moderation/flags/{flag.id}"))
    assert app.test_client().get("/safety-plan").status_code == 302  # a guest is asked to log in
    with app.app_context():
        assert has_safety_plan(member_id) is True  # all the desk may know
        assert has_safety_plan(other_id) is False


def test_the_plan_opens_at_the_top_of_its_member_s_help_panel(app, member):
    _write(member, warning_signs=WARNING, reasons=REASONS)
    thread_id = post_thread(member, HIGH)
    page = text(member.client.get(f"/t/{thread_id}"))
    panel = page[page.index("You don't have to carry this alone"):]
    assert '<details class="my-plan" open>' in panel
    assert panel.index(WARNING) < panel.index(REASONS) < panel.index("Call 988")
    _write(member, warning_signs=WARNING * 10, reasons=REASONS)
    assert '<details class="my-plan">' in text(member.client.get(f"/t/{thread_id}"))  # long: folded


def test_the_plan_is_not_screened(app, member):
    _write(member, warning_signs="When I start thinking about killing myself again")
    with app.app_context():
        assert db.session.scalars(select(Flag)).all() == []


def test_an_emptied_plan_is_deleted_and_too_long_a_part_is_refused(app, member):
    _write(member, reasons=REASONS)
    _write(member, reasons="   ")
    with app.app_context():
        assert db.session.get(SafetyPlan, _member_id(app, member.handle)) is None
    assert _write(member, coping="x" * 2_001).status_code == 400


def test_the_export_holds_the_plan_and_deleting_the_account_removes_it(app, member):
    _write(member, warning_signs=WARNING, reasons=REASONS)
    data = json.loads(text(member.client.get("/account/export.json")))
    assert data["safety_plan"]["sections"] == {"Warning signs": WARNING, "My reasons for living": REASONS}
    member_id = _member_id(app, member.handle)
    send(member.client, "/account/delete", {"posts": "keep", "passphrase": PASSPHRASE})
    with app.app_context():
        assert db.session.get(SafetyPlan, member_id) is None


def test_in_chat_the_panel_brings_the_plan_to_its_sender_alone(app, member, other):
    _write(member, reasons=REASONS)
    sender, room_id = joined(app, member)
    peer, _ = joined(app, other)
    sender.emit("send", {"room_id": room_id, "body": HIGH, "client_id": "plan-00001"}, callback=True)
    (help_event,) = [e for e in sender.get_received() if e["name"] == "help"]
    assert REASONS in html.unescape(help_event["args"][0]["html"])
    assert all(REASONS not in str(e["args"]) for e in peer.get_received())
