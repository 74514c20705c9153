"""The mood chart, as numbers an inline SVG draws: drawn on the server, so it reads the
same without JavaScript, and small enough to sit on a phone. Days without a check-in
break the line rather than being joined across, so a gap looks like a gap."""
from types import SimpleNamespace

from ..models import MOODS

WIDTH, HEIGHT = 320, 160
LEFT, RIGHT, TOP, BOTTOM = 34, 8, 10, 22  # room for the mood numbers and the dates


def _y(mood):
    return TOP + (5 - mood) * (HEIGHT - TOP - BOTTOM) / 4


def draw(days):
    """days: [(date, CheckIn or None)], oldest first. The chart's shapes, in SVG units."""
    step = (WIDTH - LEFT - RIGHT) / max(len(days) - 1, 1)
    points, lines, run = [], [], []
    for n, (day, row) in enumerate(days):
        if row is None:
            if len(run) > 1:
                lines.append(run)
            run = []
            continue
        x, y = round(LEFT + n * step, 1), round(_y(row.mood), 1)
        points.append(SimpleNamespace(x=x, y=y, day=day, mood=row.mood, words=MOODS[row.mood]))
        run.append(f"{x},{y}")
    if len(run) > 1:
        lines.append(run)
    return SimpleNamespace(
        width=WIDTH, height=HEIGHT, left=LEFT, right=WIDTH - RIGHT, bottom=HEIGHT - BOTTOM,
        levels=[SimpleNamespace(mood=mood, y=round(_y(mood), 1)) for mood in MOODS],
        lines=[" ".join(run) for run in lines], points=points,
        first=days[0][0], last=days[-1][0], checked=len(points), days=len(days),
        average=round(sum(p.mood for p in points) / len(points), 1) if points else None)
