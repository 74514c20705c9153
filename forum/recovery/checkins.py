"""Daily check-ins: one per member per day, saved again to change it; the month's
calendar and the last 30 or 90 days, read for the member alone.

A day is the UTC date. Members live in every time zone, and a page without JavaScript
cannot say which is theirs; the UTC day is the same on every device and server, so
"one a day" means the same thing everywhere (the page says so)."""
import calendar
from datetime import date, timedelta

from sqlalchemy import select

from moderation import flags
from moderation.screening import screen

from ..extensions import db
from ..models import CHECKIN_TAGS, MOODS, CheckIn, utcnow
from ..offload import run_blocking


def today():
    return utcnow().date()


def of_day(member, day):
    return db.session.scalar(select(CheckIn).where(CheckIn.member_id == member.id, CheckIn.day == day))


def save(member, mood, note, tags, day=None):
    """Today's check-in, written or replaced. The note is screened first (outside any
    write, as a post is) and the check-in and its flag commit together: the caller
    commits. Returns the check-in."""
    if mood not in MOODS:
        raise ValueError("mood")
    note = (note or "").strip()
    tags = [tag for tag in CHECKIN_TAGS if tag in set(tags or ())]
    screening = run_blocking(screen, note) if note else None
    day = day or today()
    row = of_day(member, day)
    if row is None:
        row = CheckIn(member_id=member.id, day=day, created_at=utcnow())
        db.session.add(row)
    row.mood, row.note, row.tags, row.updated_at = mood, note, tags, utcnow()
    db.session.flush()
    if screening is not None:
        # Nothing is held here (nobody else reads a check-in): only the flag matters.
        flags.flag_content(member=member, screening=screening, checkin=row)
    return row


def between(member, first, last):
    """{day: CheckIn} of the member's check-ins from `first` to `last`, inclusive."""
    rows = db.session.scalars(select(CheckIn).where(
        CheckIn.member_id == member.id, CheckIn.day >= first, CheckIn.day <= last).order_by(CheckIn.day))
    return {row.day: row for row in rows}


def recent(member, days, until=None):
    """[(day, CheckIn or None)] for the last `days` days, oldest first, ending `until`."""
    last = until or today()
    first = last - timedelta(days=days - 1)
    found = between(member, first, last)
    return [(first + timedelta(days=n), found.get(first + timedelta(days=n))) for n in range(days)]


def month(member, year, month_number):
    """The month as weeks (Monday first) of (day or None, CheckIn or None)."""
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month_number)
    found = between(member, weeks[0][0], weeks[-1][-1])
    return [[(day if day.month == month_number else None, found.get(day) if day.month == month_number else None)
             for day in week] for week in weeks]


def parse_month(text, fallback):
    """date(Y, M, 1) from "YYYY-MM"; the fallback's month for anything else."""
    try:
        year, number = (int(part) for part in (text or "").split("-"))
        if 2000 <= year <= 2200:  # (so the pages' previous and next months exist too)
            return date(year, number, 1)
    except ValueError:
        pass
    return fallback.replace(day=1)


def shift_month(first, months):
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)
