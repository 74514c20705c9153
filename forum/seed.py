"""The boards every Lantern starts with, and demo content for a new installation."""
from sqlalchemy import select

from .accounts import service as accounts
from .boards import service as boards
from .extensions import db
from .models import Board, Member, Room

GUIDELINES = (
    "Be kind, and speak from your own experience. Use a content warning when you mention "
    "self-harm, suicide, abuse or substance use. Don't share method details, numbers of "
    "pills or places. If you're in danger right now, please use the Need help now? link."
)

BOARDS = [
    ("introductions", "Introductions", "Say hello and tell us as much or as little as you like."),
    ("anxiety", "Anxiety", "Worry, panic, and what helps on the hard days."),
    ("depression", "Depression & low mood", "For the heavy days and the slightly lighter ones."),
    ("addiction-recovery", "Addiction & recovery", "Staying sober, slips, meetings, and starting again."),
    ("self-harm-recovery", "Self-harm recovery", "Urges, coping and healing, without method details."),
    ("grief", "Grief & loss", "Whoever or whatever you have lost."),
    ("carers", "Carers & supporters", "For people supporting someone who is struggling."),
    ("wins", "Wins & milestones", "Big or small: a day clean, a walk outside, a hard call made."),
]

DEMO = [
    ("introductions", "Hello from a night owl", "Hi all. I'm new here. Nights are when things get loud in my head, "
     "so I thought I'd find people who get it.",
     ["Welcome! Nights are hard for me too. Glad you found us.", "Hi and welcome. The evening chat room is nice."]),
    ("wins", "30 days today", "It's been a month since my last drink. Some days were really rough, "
     "but I'm here. Thank you for the support in the recovery board.",
     ["That's huge. Proud of you.", "Congratulations! One day at a time."]),
    ("anxiety", "Grounding tricks that work for you?", "What do you do when a panic attack starts? "
     "I've tried breathing exercises, and sometimes they help.",
     ["5-4-3-2-1: five things you can see, four you can hear... it helps me.", "Cold water on my face, honestly."]),
]


def _add_missing(model, rows, build):
    """Add each row whose slug is not there yet; existing ones are left as they are, so
    seeding is safe to rerun. `build(position, slug, *rest)` makes the new object."""
    existing = set(db.session.scalars(select(model.slug)))
    for position, (slug, *rest) in enumerate(rows):
        if slug not in existing:
            db.session.add(build(position, slug, *rest))
    db.session.flush()


def seed_boards():
    """Create any missing board."""
    _add_missing(Board, BOARDS, lambda position, slug, name, description: Board(
        slug=slug, name=name, description=description, guidelines=GUIDELINES, position=position))


ROOM_GUIDELINES = (
    "Be gentle with each other and speak from your own experience. No method details, numbers of "
    "pills or places. What is shared here stays here. If you're in danger right now, please use "
    "the Need help now? link or ask to talk to a moderator privately."
)

ROOMS = [
    ("daily-check-in", "Daily check-in", "How are you today, really? One line is enough."),
    ("evening-wind-down", "Evening wind-down", "For the hours when things get loud: company, calm and small comforts."),
    ("recovery-circle", "Recovery circle", "Staying sober or clean, cravings, slips and starting again."),
    ("carers-corner", "Carers' corner", "For people supporting someone who is struggling."),
]


def seed_rooms():
    """Create any missing chat room."""
    _add_missing(Room, ROOMS, lambda position, slug, title, topic: Room(
        slug=slug, title=title, topic=topic, guidelines=ROOM_GUIDELINES, position=position))


def seed_demo():
    """A few demo members, threads and replies, so a new forum doesn't look empty."""
    if db.session.scalar(select(Member.id).where(Member.handle == "DemoHeron11")):
        return False
    people = [accounts.create_member(handle, "demo passphrase")[0]
              for handle in ("DemoHeron11", "DemoOtter22", "DemoWren33")]
    for i, (slug, title, body, replies) in enumerate(DEMO):
        board = db.session.scalar(select(Board).where(Board.slug == slug))
        opening, _ = boards.create_thread(board, people[i % 3], title, body)
        parent = opening
        for j, text in enumerate(replies):
            parent, _ = boards.reply(opening.thread, people[(i + j + 1) % 3], text, parent=parent)
    return True
