"""Crisis lines by region, read from crisis_lines.json (facts a person checks, not code)."""
import json
from functools import cache
from pathlib import Path

LINES_FILE = Path(__file__).with_name("crisis_lines.json")
FALLBACK_REGION = "OTHER"


@cache
def regions():
    """{code: {"name", "emergency", "lines": [{"name", "how", "hours"}]}} in file order."""
    return json.loads(LINES_FILE.read_text(encoding="utf-8"))["regions"]


def region_or_none(code):
    return code if code in regions() else None


def lines_for(code):
    """The chosen region first; with no choice, every region (we never guess it)."""
    if code in regions():
        return [(code, regions()[code])]
    return list(regions().items())
