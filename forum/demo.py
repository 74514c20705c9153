"""Demo content for a new installation (`flask seed --demo`): enough of a living forum to
show every part of Lantern. Threads with replies, reactions and content warnings on every
board, a chat history in the group rooms, and one demo member's private recovery space
(check-ins, a milestone, a goal). Everything goes through the same services members use,
so it is screened, stored and counted the same way. Sign in as DemoHeron11 with the
passphrase "demo passphrase" to see the recovery space."""
import uuid
from datetime import timedelta

from sqlalchemy import select

from .accounts import service as accounts
from .boards import service as boards
from .chat import messages
from .extensions import db
from .models import Board, Member, Room
from .recovery import checkins, goals, milestones

PASSPHRASE = "demo passphrase"
PEOPLE = ("DemoHeron11", "DemoOtter22", "DemoWren33", "DemoFinch44", "DemoMaple55")

# (board, title, opening words, content warning or None, [replies])
THREADS = [
    ("introductions", "Hello from a night owl", "Hi all. I'm new here. Nights are when things get loud in my head, "
     "so I thought I'd find people who get it.", None,
     ["Welcome! Nights are hard for me too. Glad you found us.", "Hi and welcome. The evening chat room is nice."]),
    ("introductions", "New here, a bit nervous", "I've read for weeks without posting. Today I'm saying hello. "
     "I'm working on my drinking and on being kinder to myself.", None,
     ["Hello! Reading first is how most of us started.", "Glad you said hello. Kindness to yourself is a big one."]),
    ("anxiety", "Grounding tricks that work for you?", "What do you do when a panic attack starts? "
     "I've tried breathing exercises, and sometimes they help.", None,
     ["5-4-3-2-1: five things you can see, four you can hear... it helps me.", "Cold water on my face, honestly."]),
    ("anxiety", "Phone calls make my heart race", "Booking a doctor's appointment took me three days of "
     "working up to it. Does anyone else script what they'll say?", None,
     ["I write the first sentence on a sticky note. It gets me started.", "Yes! Scripts help. So does calling "
      "right at opening time, before I can talk myself out of it."]),
    ("depression", "Small things that got me out of bed", "Some mornings the only reason I get up is the cat "
     "wanting breakfast. What are your small reasons?", None,
     ["Coffee, and the light through the kitchen window.", "My dog. And knowing I can go back to bed after a "
      "shower if I really need to."]),
    ("depression", "Heavy week", "It's been a grey, heavy week and I'm tired of being tired. Not in danger, just "
     "low. Writing it down helps a little.", "low mood",
     ["Thank you for writing it down. Heavy weeks do pass, even when it doesn't feel like it.",
      "Sending you a bit of company. Be gentle with yourself this week."]),
    ("addiction-recovery", "Cravings at the weekend", "Weekdays are fine now. Friday evenings are when the "
     "cravings come. What do you do with the time?", "alcohol cravings",
     ["I go to an evening meeting on Fridays and get food with people after.",
      "Alcohol-free beer and a film with my sister. Boring, and it works."]),
    ("addiction-recovery", "Starting again after a slip", "I slipped last week after four months. I'm back to "
     "day one and feeling ashamed.", "relapse",
     ["Four months still happened. A slip doesn't erase them.", "Day one again takes courage. Glad you told us."]),
    ("self-harm-recovery", "Things I do instead when urges come", "Holding ice, drawing on my arm with a red pen, "
     "going for a fast walk. What's on your list?", "self-harm urges",
     ["Loud music and singing along badly.", "Texting a friend just the word 'urge'. We agreed on that together."]),
    ("self-harm-recovery", "Sixty days", "Sixty days today. I didn't think I'd get here.", "self-harm recovery",
     ["That's wonderful. Sixty days!", "So glad for you. Keep your list close for the hard days."]),
    ("grief", "First birthday without her", "It would have been my mum's birthday today. I made her cake recipe "
     "and cried into the icing.", "bereavement",
     ["That sounds like a lovely way to remember her.", "Crying into the icing is allowed. Thinking of you."]),
    ("grief", "Grief comes in waves", "Eight months on and a song in a shop can still knock me sideways.", None,
     ["Same here with a smell of a certain soap.", "The waves get further apart, in my experience. Still come."]),
    ("carers", "Looking after someone who won't talk", "My brother is struggling and shuts down when I ask how "
     "he is. How do you keep the door open without pushing?", None,
     ["Doing things side by side helps us: a drive, cooking. Talking comes easier then.",
      "Let him know you're there, then leave it. It can take a while."]),
    ("carers", "Carers need breaks too", "I felt guilty taking an afternoon for myself. Then I felt better all "
     "week. Reminder to all of us.", None,
     ["Thank you for this. Needed to hear it.", "Rest is part of caring."]),
    ("wins", "30 days today", "It's been a month since my last drink. Some days were really rough, "
     "but I'm here. Thank you for the support in the recovery board.", None,
     ["That's huge. Proud of you.", "Congratulations! One day at a time."]),
    ("wins", "I went for a walk", "Small win: I left the flat and walked to the park and back. First time in a "
     "fortnight.", None,
     ["That's not small at all!", "Well done. Fresh air counts double on hard weeks."]),
]

REACTIONS = ("hug", "me_too", "strength", "thanks")

# (room, [(person index, words)])
CHAT = [
    ("daily-check-in", [(1, "Morning all. Slept badly but up and dressed."), (2, "Morning! Dressed is a win."),
                        (0, "Checking in: okay today. Went for a short walk."), (3, "Good to see you all here.")]),
    ("evening-wind-down", [(4, "Anyone else awake? Making tea."), (0, "Here. Chamomile for me."),
                           (2, "Reading something gentle before bed."), (4, "Sounds lovely. Night all.")]),
    ("recovery-circle", [(3, "Day 12 today."), (1, "Nice one. The second week was easier for me."),
                         (3, "Thanks. Evenings are still the hard bit.")]),
]

# The demo member's last three weeks: (days ago, mood 1-5, note, tags)
CHECK_INS = [(days_ago, mood, note, tags) for days_ago, (mood, note, tags) in enumerate([
    (4, "Good talk with my sister.", ["slept", "ate", "moved"]),
    (3, "Tired but okay.", ["ate"]),
    (4, "Walked to the park.", ["slept", "moved"]),
    (2, "Low afternoon, felt better after food.", ["ate", "urges"]),
    (3, "", ["slept", "ate"]),
    (5, "Meeting tonight was good.", ["slept", "ate", "moved"]),
    (4, "", ["ate", "moved"]),
    (3, "Busy day at work.", ["ate"]),
    (2, "Cravings in the evening, rang a friend.", ["urges"]),
    (3, "", ["slept"]),
    (4, "Cooked a proper dinner.", ["slept", "ate"]),
    (4, "", ["slept", "ate", "moved"]),
    (3, "Rainy and slow.", ["ate"]),
    (5, "Thirty days!", ["slept", "ate", "moved"]),
])]


def seed_demo():
    """Add the demo content once; False when it is already there."""
    if db.session.scalar(select(Member.id).where(Member.handle == PEOPLE[0])):
        return False
    people = [accounts.create_member(handle, PASSPHRASE)[0] for handle in PEOPLE]
    db.session.flush()
    _threads(people)
    _chat(people)
    _recovery_space(people[0])
    return True


def _threads(people):
    boards_by_slug = {board.slug: board for board in db.session.scalars(select(Board))}
    for i, (slug, title, body, warning, replies) in enumerate(THREADS):
        opening, _ = boards.create_thread(boards_by_slug[slug], people[i % len(people)], title, body,
                                          content_warning=warning)
        parent = opening
        for j, words in enumerate(replies):
            parent, _ = boards.reply(opening.thread, people[(i + j + 1) % len(people)], words, parent=parent)
        for k in range(1 + i % 3):  # a few reactions on each opening post, never the author's own
            reactor = people[(i + k + 2) % len(people)]
            if reactor.id != opening.author_id:
                boards.toggle_reaction(opening, reactor, REACTIONS[(i + k) % len(REACTIONS)])


def _chat(people):
    rooms = {room.slug: room for room in db.session.scalars(select(Room))}
    for slug, lines in CHAT:
        if slug in rooms:
            for who, words in lines:
                messages.send_message(rooms[slug], people[who], words, uuid.uuid4().hex)


def _recovery_space(member):
    today = checkins.today()
    for days_ago, mood, note, tags in CHECK_INS:
        checkins.save(member, mood, note, tags, day=today - timedelta(days=days_ago))
    milestones.add(member, "Alcohol-free", today - timedelta(days=len(CHECK_INS) + 16))
    walking = goals.add(member, "Walk outside three times this week",
                        ["Monday: round the block", "Wednesday: to the park", "Saturday: with my sister"])
    goals.tick(walking, walking.steps[0].id, True)
