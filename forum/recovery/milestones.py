"""Days since a date the member chose, the marks worth celebrating, and starting again:
gently, keeping every earlier run (the longest one is remembered)."""
from datetime import date

from sqlalchemy import select

from ..extensions import db
from ..models import MILESTONE_MARKS, Milestone, utcnow

EARLIEST = date(1900, 1, 1)
SHOWN_MAX = 20  # milestones one member keeps at once

_WORDS = {
    1: "One day. That first day counts for a lot.",
    7: "A whole week. Seven days of choosing this, one at a time.",
    30: "30 days: a month of your own hard work.",
    90: "90 days. Three months. Look how far you've come.",
    180: "Half a year: 180 days of showing up for yourself.",
    365: "A whole year. 365 days. Take a moment for that.",
}


class TooMany(Exception):
    pass


def milestone_of(member, milestone_id):
    row = db.session.get(Milestone, milestone_id)
    return row if row is not None and row.member_id == member.id else None


def of_member(member):
    return db.session.scalars(select(Milestone).where(Milestone.member_id == member.id).order_by(Milestone.id)).all()


def days(milestone, today):
    return max((today - milestone.since).days, 0)


def mark(count):
    """The latest mark `count` days has reached (1, 7, 30, 90, 180, 365, then every year),
    or None before the first day is through."""
    if count >= 365:
        return count - count % 365
    return max((m for m in MILESTONE_MARKS if m <= count), default=None)


def cheer(count):
    """The warm line for the mark reached: (words, reached today?), or None."""
    reached = mark(count)
    if reached is None:
        return None
    words = _WORDS.get(reached) or f"{reached // 365} years. Every one of those days was yours."
    return words, reached == count


def add(member, title, since):
    if len(of_member(member)) >= SHOWN_MAX:
        raise TooMany(f"You're keeping {SHOWN_MAX} milestones already. Letting one go makes room.")
    row = Milestone(member_id=member.id, title=title.strip(), since=since, runs=[], longest_days=0,
                    created_at=utcnow())
    db.session.add(row)
    db.session.flush()
    return row


def start_again(milestone, today):
    """Start counting from today. The run that ended stays in the history. Returns its days."""
    count = days(milestone, today)
    milestone.runs = [*(milestone.runs or []),
                      {"from": milestone.since.isoformat(), "to": today.isoformat(), "days": count}]
    milestone.longest_days = max(milestone.longest_days or 0, count)
    milestone.since = today
    milestone.shared_thread_id = None
    return count


def longest(milestone, today):
    """The longest run: an earlier one, or this one if it is longer."""
    return max(milestone.longest_days or 0, days(milestone, today))


def remove(milestone):
    db.session.delete(milestone)


def share_words(milestone, today):
    count = days(milestone, today)
    unit = "day" if count == 1 else "days"
    lines = [f"Today marks **{count} {unit}** for me: {milestone.title}."]
    if milestone.runs:
        lines += ["", "It isn't my first try, and that's okay. Every start counted."]
    lines += ["", "One day at a time. Thank you to everyone here who keeps showing up."]
    return f"{count} {unit}: {milestone.title}"[:200], "\n".join(lines)
