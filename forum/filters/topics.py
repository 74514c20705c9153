"""The topics a member can choose to hide, as data a peer-support lead can review.

Each term is matched case-insensitively as whole words (forum.filters.lens.pattern):
- a space matches any run of spaces or line breaks ("kill myself"),
- a hyphen matches a hyphen, a space or nothing ("self-harm": "self harm", "selfharm"),
- an apostrophe matches ' or ’ ("don't"),
- a trailing * matches the start of a word ("suicid*": suicide, suicidal).
Terms use only letters, digits, spaces, hyphens, apostrophes and a final *: the same
pattern then reads the same in Python, PostgreSQL, SQLite and the chat page's script.

The lists are deliberately narrow: a filter that hides every post mentioning "drink" or
"high" would hide half of a recovery forum. Members add their own muted words for more.
"""

TOPICS = {
    "self_harm": ("Self-harm", (
        "self-harm*", "self-injur*", "cutting", "cut myself", "cutting myself", "cut again", "burn myself",
        "burning myself", "hurt myself", "hurting myself", "razor*", "blade*", "scars", "fresh cuts",
    )),
    "eating": ("Eating and body weight", (
        "eating disorder*", "anorexi*", "bulimi*", "binge*", "bingeing", "purg*", "laxative*", "calorie*",
        "starv*", "fasting", "weight loss", "lose weight", "losing weight", "bmi", "body check*", "ed recovery",
    )),
    "substances": ("Alcohol and drugs", (
        "alcohol*", "drunk", "hangover", "booze", "vodka", "whiskey", "whisky", "beer*", "wine", "heroin",
        "opioid*", "opiate*", "fentanyl", "cocaine", "crack", "meth", "methamphetamine", "overdos*", "needle*",
        "benzo*", "xanax", "ketamine", "mdma", "ecstasy", "cannabis", "marijuana", "weed", "using again",
    )),
    "suicide": ("Suicide", (
        "suicid*", "kill myself", "killing myself", "end my life", "ending my life", "end it all", "want to die",
        "wanna die", "better off dead", "better off without me", "don't want to be here", "hang myself", "kms",
    )),
    "trauma": ("Trauma and abuse", (
        "trauma*", "abuse*", "abusive", "abuser*", "assault*", "rape*", "raped", "molest*", "ptsd", "c-ptsd",
        "flashback*", "domestic violence", "grooming", "groomed", "incest",
    )),
}


def label(key):
    return TOPICS[key][0]


def terms(keys):
    """Every term of these topics, in the order listed (unknown keys are skipped)."""
    return [term for key in keys if key in TOPICS for term in TOPICS[key][1]]
