"""Pseudonymous handles: generated ones, the rules for chosen ones, and look-alike keys."""
import re
import secrets
import unicodedata

ADJECTIVES = (
    "Quiet", "Gentle", "Brave", "Calm", "Steady", "Kind", "Bright", "Patient", "Hopeful",
    "Warm", "Soft", "Still", "Golden", "Silver", "Misty", "Sunny", "Tender", "Humble",
    "Honest", "Wandering", "Curious", "Mellow", "Rosy", "Amber", "Velvet", "Cosy",
)
CREATURES = (
    "Heron", "Otter", "Wren", "Fox", "Badger", "Sparrow", "Robin", "Hare", "Moth", "Owl",
    "Finch", "Seal", "Deer", "Dove", "Lark", "Panda", "Koala", "Puffin", "Turtle", "Whale",
    "Bee", "Lynx", "Swan", "Raven", "Marten", "Starling",
)

HANDLE_RE = re.compile(r"[A-Za-z0-9_-]{3,24}")
# Characters that change how text is shown without being seen: bidi controls, zero-width
# characters and other format (Cf) or control (Cc) characters.
_INVISIBLE_CATEGORIES = {"Cf", "Cc"}

# Look-alike keys in the spirit of Unicode TS #39 skeletons. Handles are ASCII, so the part
# of confusables.txt that matters is small: 0/O, 1/l/I and rn/m, vv/w from it, plus the
# digit-letter pairs people use to pass for someone (2/Z, 5/S, 8/B). Case is folded and the
# separators _ and - are dropped, since "Demo_Otter22" reads as "DemoOtter22".
_SEPARATORS = str.maketrans("", "", "_-")
_SKELETON_TABLE = str.maketrans({"0": "o", "1": "l", "i": "l", "2": "z", "5": "s", "8": "b"})
_SKELETON_PAIRS = (("rn", "m"), ("vv", "w"))


def generate():
    """A friendly handle such as QuietHeron42."""
    return f"{secrets.choice(ADJECTIVES)}{secrets.choice(CREATURES)}{secrets.randbelow(90) + 10}"


def skeleton(handle):
    """The key two handles share when they look alike (see _SKELETON_TABLE): unique per member."""
    key = handle.casefold().translate(_SEPARATORS).translate(_SKELETON_TABLE)
    for pair, single in _SKELETON_PAIRS:
        key = key.replace(pair, single)
    return key


def problem(handle):
    """Why a chosen handle cannot be used, in words for the member; None when it can."""
    if any(unicodedata.category(ch) in _INVISIBLE_CATEGORIES for ch in handle):
        return "Handles can't contain invisible or direction-changing characters."
    if not 3 <= len(handle) <= 24:
        return "Handles are 3 to 24 characters long."
    if not HANDLE_RE.fullmatch(handle):
        return "Handles use letters A–Z, digits, _ and - only."
    if len(handle.translate(_SEPARATORS)) < 3:
        return "Handles need at least 3 letters or digits."
    return None
