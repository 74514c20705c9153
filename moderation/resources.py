"""Crisis lines by region, read from crisis_lines.json (facts a person checks, not code).

Every link a member can tap is built here from that file alone: a phone number becomes
`tel:`, a line that takes texts `sms:` (with its keyword), a website an https link."""
import json
import re
from functools import cache
from pathlib import Path
from urllib.parse import quote, urlsplit

LINES_FILE = Path(__file__).with_name("crisis_lines.json")
FALLBACK_REGION = "OTHER"
_NUMBER = re.compile(r"\d+")


@cache
def regions():
    """{code: {"name", "emergency", "lines": [{"name", "how", "hours", and "call", "text",
    "keyword", "web" where the line has them}]}} in file order."""
    return json.loads(LINES_FILE.read_text(encoding="utf-8"))["regions"]


def region_or_none(code):
    return code if code in regions() else None


def dialled(number):
    """What a phone dials for a number written for people to read ("116 123" -> "116123")."""
    return "".join(ch for ch in number if ch.isdigit() or ch == "+")


def ways_to_reach(line):
    """The line's phone links, each {"label", "href"}: call, and text where it takes texts."""
    ways = []
    if call := line.get("call"):
        ways.append({"label": f"Call {call}", "href": f"tel:{dialled(call)}"})
    if text := line.get("text"):
        keyword = line.get("keyword")
        # "?&body=" is the form both Android and iOS read as the message to start with.
        ways.append({"label": f"Text {keyword} to {text}" if keyword else f"Text {text}",
                     "href": f"sms:{dialled(text)}" + (f"?&body={quote(keyword)}" if keyword else "")})
    return ways


def _pieces(sentence, links):
    """The sentence in pieces, each (text, href or None): `links` is [(start, end, href)]."""
    parts, at = [], 0
    for start, end, href in links:
        if start > at:
            parts.append((sentence[at:start], None))
        parts.append((sentence[start:end], href))
        at = end
    if at < len(sentence):
        parts.append((sentence[at:], None))
    return parts


def emergency_parts(emergency):
    """The emergency sentence with every number in it tap-to-call ("112 or 999": two links)."""
    return _pieces(emergency, [(m.start(), m.end(), f"tel:{m.group()}") for m in _NUMBER.finditer(emergency)])


def about_parts(line):
    """A line reached on the web is told in its own words, the site they name linked."""
    web = line.get("web")
    at = line["how"].find(urlsplit(web).netloc) if web else -1
    if at < 0:
        return []
    return _pieces(line["how"], [(at, at + len(urlsplit(web).netloc), web)])


def region_view(code):
    """One region as the help panel and page show it, links made."""
    info = regions()[code]
    return {"code": code, "name": info["name"], "emergency": info["emergency"],
            "emergency_parts": emergency_parts(info["emergency"]),
            "lines": [{**line, "ways": ways_to_reach(line), "about": about_parts(line)} for line in info["lines"]]}


def lines_for(code):
    """Every region, the chosen one first (with no choice, file order: we never guess it)."""
    chosen = [code] if code in regions() else []
    return [region_view(c) for c in chosen + [c for c in regions() if c not in chosen]]
