"""The recovery space in a real browser: a check-in with mood and tags that the calendar
and chart then show; a milestone reaching a mark and a gentle fresh start; a goal whose
steps are ticked and which is shared to Wins after seeing the words; a crisis note that
opens the help panel; and every new page passing axe in light and dark, on a phone and a
desktop, without being wider than the screen."""
import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from forum.extensions import db
from forum.models import CheckIn, Goal, GoalStep, Member, Milestone, utcnow
from forum.recovery.checkins import today
from tests.browser.browsing import DESKTOP, PHONE, SCREENSHOTS, axe_violations

HEADING = "You don't have to carry this alone"


@pytest.mark.parametrize("javascript", [True, False], ids=["script", "no-script"])
def test_a_check_in_with_mood_and_tags_shows_in_the_calendar_and_the_chart(browse, site, javascript):
    page = browse(site.member(), width=PHONE, javascript=javascript)
    page.goto("/")
    page.get_by_role("link", name="Your recovery").click()
    expect(page.get_by_text("Your check-ins are private.")).to_be_visible()
    page.get_by_label("2: Low").check()
    page.get_by_label("A line about today (optional)").fill("Rain all day; made soup with Jo")
    page.get_by_label("Slept well").check()
    page.get_by_label("Had urges").check()
    page.get_by_role("button", name="Save today's check-in").click()
    expect(page.locator(".notice")).to_contain_text("Thank you for checking in")
    expect(page.locator("td[aria-current=date] .mood-mark")).to_have_text(re.compile(r"^2\s*Low; Slept well, Had urges"))
    chart = page.get_by_role("img", name=re.compile("Your mood from"))
    expect(chart).to_be_visible()
    expect(chart.locator("circle.chart-dot.mood-2")).to_have_count(1)
    page.get_by_text("The days as a table").click()
    expect(page.locator(".chart-values td", has_text="2: Low")).to_be_visible()
    page.get_by_role("link", name="the last 90 days").click()
    expect(page.get_by_role("heading", name="Your mood, the last 90 days")).to_be_visible()
    expect(page.get_by_label("2: Low")).to_be_checked()  # today's, ready to change


def test_a_milestone_reaches_a_mark_and_starting_again_is_gentle(browse, site):
    page = browse(site.member(), width=PHONE)
    page.goto("/recovery/milestones")
    page.get_by_label("What are you counting?").fill("off the gambling apps")
    page.get_by_label("Since").fill((today() - timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Start counting").click()
    card = page.locator("article.milestone", has_text="off the gambling apps")
    expect(card).to_contain_text("30 days today!")
    expect(card).to_contain_text("a month of your own hard work")
    card.get_by_text("Starting again?").click()
    expect(card).to_contain_text("Your 30 days still happened")
    card.get_by_role("button", name="Start again from today").click()
    expect(page.locator(".notice")).to_contain_text("Starting again takes courage. Your 30 days still happened")
    card = page.locator("article.milestone", has_text="off the gambling apps")
    expect(card).to_contain_text("Day one.")
    expect(card).to_contain_text("Your longest run: 30 days.")


def test_a_goal_s_steps_are_ticked_and_the_goal_is_shared_to_wins(browse, site):
    handle = site.member()
    page = browse(handle, width=DESKTOP)
    page.goto("/recovery/goals")
    page.get_by_label("Your goal").fill("Go to the Tuesday meeting")
    page.get_by_label("Steps, one per line (optional)").fill("Check the bus times\nAsk Priya to come\nGo in")
    page.get_by_role("button", name="Add this goal").click()
    goal = page.locator("article.goal", has_text="Go to the Tuesday meeting")
    for step in ("Check the bus times", "Ask Priya to come", "Go in"):
        goal.get_by_role("button", name=step).click()
        expect(page.locator("article.goal", has_text="Go to the Tuesday meeting")
               .get_by_role("button", name=step)).to_have_attribute("aria-pressed", "true")
    goal = page.locator("article.goal", has_text="Go to the Tuesday meeting")
    goal.get_by_role("button", name="Ask Priya to come").click()  # not yet, after all
    expect(page.locator("article.goal", has_text="Go to the Tuesday meeting")
           .get_by_role("button", name="Ask Priya to come")).to_have_attribute("aria-pressed", "false")
    expect(page.locator("article.goal", has_text="Go to the Tuesday meeting")).to_contain_text("2 of 3 steps done")
    page.locator("article.goal", has_text="Go to the Tuesday meeting").get_by_role(
        "button", name="I did it: mark this goal done").click()
    done = page.locator("#done-heading + article.goal, section:has(#done-heading) article.goal").first
    expect(done).to_contain_text("Done on")
    done.get_by_role("link", name="Share to Wins…").click()
    preview = page.locator(".share-preview")
    expect(preview).to_contain_text("Goal done: Go to the Tuesday meeting")
    expect(preview).to_contain_text("Check the bus times")
    expect(page.get_by_text(f"as {handle}")).to_be_visible()
    page.get_by_role("button", name="Share to Wins").click()
    expect(page.get_by_role("heading", name="Goal done: Go to the Tuesday meeting")).to_be_visible()
    expect(page.locator(".notice")).to_contain_text("Shared to Wins")
    expect(page.locator("article.post").first).to_contain_text(handle)


def test_a_crisis_note_opens_the_help_panel_focused(browse, site):
    page = browse(site.member(), width=PHONE)
    page.goto("/recovery")
    page.get_by_label("1: Really struggling").check()
    page.get_by_label("A line about today (optional)").fill("i want to kill myself tonight")
    page.get_by_role("button", name="Save today's check-in").click()
    expect(page).to_have_url(re.compile(r"/recovery#help-checkin-\d+$"))
    expect(page.get_by_role("heading", name=HEADING)).to_be_focused()


def _furnish(site, handle):
    """A month of check-ins, a goal on the go and one done, a milestone with a fresh
    start: every part of every page shows."""
    with site.app.app_context():
        member = db.session.scalar(select(Member).where(Member.handle == handle))
        for n in range(0, 40, 2):
            db.session.add(CheckIn(member_id=member.id, day=today() - timedelta(days=n), mood=n % 5 + 1,
                                   note="A quiet day", tags=["slept"] if n % 4 else ["urges", "used"]))
        going = Goal(member_id=member.id, title="Cook one proper meal")
        going.steps = [GoalStep(text="Buy vegetables", position=0, done_at=utcnow()), GoalStep(text="Cook", position=1)]
        done = Goal(member_id=member.id, title="Phone the GP", done_at=utcnow())
        done.steps = [GoalStep(text="Ring at 8", position=0, done_at=utcnow())]
        db.session.add_all([going, done])
        db.session.add(Milestone(member_id=member.id, title="sober", since=today() - timedelta(days=7),
                                 runs=[{"from": "2026-01-01", "to": "2026-02-12", "days": 42}], longest_days=42))
        db.session.commit()
        return done.id, db.session.scalar(select(Milestone.id).where(Milestone.member_id == member.id))


@pytest.mark.parametrize("width", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_the_recovery_pages_pass_axe(browse, site, dark, width):
    handle = site.member()
    goal_id, milestone_id = _furnish(site, handle)
    page = browse(handle, dark=dark, width=width)
    SCREENSHOTS.mkdir(exist_ok=True)
    found, too_wide = {}, {}
    for name, path in [("recovery", "/recovery"), ("recovery-90", "/recovery?days=90"),
                       ("goals", "/recovery/goals"), ("milestones", "/recovery/milestones"),
                       ("share-goal", f"/recovery/goals/{goal_id}/share"),
                       ("share-milestone", f"/recovery/milestones/{milestone_id}/share")]:
        assert page.goto(path).status == 200, path
        page.evaluate("document.querySelectorAll('main details').forEach(d => { d.open = true; })")  # folded parts too
        if problems := axe_violations(page):
            found[name] = problems
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0:
            too_wide[name] = overflow
        page.screenshot(path=SCREENSHOTS / f"{name}-{'dark' if dark else 'light'}-{width}.png", full_page=True)
    # The help panel, raised by a check-in's words, on the recovery page.
    page.goto("/recovery")
    page.get_by_label("1: Really struggling").check()
    page.get_by_label("A line about today (optional)").fill("i want to kill myself tonight")
    page.get_by_role("button", name="Save today's check-in").click()
    page.get_by_role("heading", name=HEADING).wait_for()
    if problems := axe_violations(page):
        found["recovery with help"] = problems
    assert not found, "\n".join(f"{name}: {p}" for name, problems in found.items() for p in problems)
    assert not too_wide, f"pages wider than {width} px (extra px): {too_wide}"
