"""The boards and chat rooms every Lantern starts with (demo content: forum.demo)."""
from sqlalchemy import select

from .extensions import db
from .models import Board, Room

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
