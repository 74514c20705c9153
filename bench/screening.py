"""Benchmark crisis screening: `python bench/screening.py` from the repository root.

Measures messages per second and p50/p99 latency for chat-sized (<= 200 characters) and
post-sized (about 5,000 characters) texts, next to a naive baseline in the same run:
casefold plus one compiled alternation of every lexicon phrase (no normalisation, no
context rules). Targets: >= 20,000 chat messages/s on one core; p99 < 1 ms per post.
"""
from __future__ import annotations

import random
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from moderation.screening import screen  # noqa: E402
from moderation.screening.lexicon import LEXICON  # noqa: E402

CHAT = [
    "hey everyone, how's your sunday going?", "just got back from my meeting, feeling ok",
    "anyone else can't sleep tonight lol", "day 12 sober!! thanks for the support here",
    "my sponsor says one day at a time and honestly it helps", "this exam is killing me",
    "does anyone have tips for cravings in the evening?", "sending hugs to whoever needs them",
    "I'm dying to see the new season", "had a rough session with my therapist today",
    "my cat knocked my coffee over again 😂", "ngl today was hard but I made it",
    "I want to die", "been thinking about ending it again tbh", "i cut myself last night",
    "nobody would care if I was gone", "I used to self harm but I'm 2 years clean now",
    "if you're thinking about suicide please reach out, you matter 💜",
    "k1ll mys3lf", "I have the pills ready tonight", "relapsed on alcohol, starting over",
]
FILLER = [
    "Work has been really stressful lately and my manager keeps piling things on.",
    "I went for a long walk by the river this morning and it helped a bit.",
    "My sleep is all over the place, some nights four hours, some nights ten.",
    "We talked in group about triggers and how to plan for weekends.",
    "My sister visited and we cooked dinner together, which was nice.",
    "I keep forgetting to take my vitamins, does anyone use an app for that?",
    "The weather has been grey for weeks and it really gets to me.",
    "Honestly I don't know how to explain it to my parents without them worrying.",
]


def chat_messages(n: int, rng: random.Random) -> list[str]:
    return [rng.choice(CHAT)[:200] for _ in range(n)]


def posts(n: int, rng: random.Random) -> list[str]:
    out = []
    for _ in range(n):
        parts: list[str] = []
        while sum(map(len, parts)) < 4_900:
            parts.append(rng.choice(FILLER if rng.random() < 0.97 else CHAT))
        out.append(" ".join(parts)[:5_000])
    return out


def naive_baseline():
    pattern = re.compile("|".join(e.regex.pattern for e in LEXICON.entries))
    return lambda text: pattern.search(text.casefold())


def measure(fn, texts: list[str]) -> dict:
    for text in texts[:50]:  # warm up
        fn(text)
    latencies = []
    start = time.perf_counter()
    for text in texts:
        t0 = time.perf_counter_ns()
        fn(text)
        latencies.append(time.perf_counter_ns() - t0)
    elapsed = time.perf_counter() - start
    q = statistics.quantiles(latencies, n=100)
    return {"per_s": len(texts) / elapsed, "p50_ms": q[49] / 1e6, "p99_ms": q[98] / 1e6}


def main() -> None:
    rng = random.Random(7)
    baseline = naive_baseline()
    suites = [("chat (<= 200 chars)", chat_messages(50_000, rng)), ("post (~5,000 chars)", posts(2_000, rng))]
    print(f"{'suite':<22}{'impl':<10}{'msgs/s':>12}{'p50 ms':>10}{'p99 ms':>10}")
    for name, texts in suites:
        ours, naive = measure(screen, texts), measure(baseline, texts)
        for impl, r in (("screen", ours), ("baseline", naive)):
            print(f"{name:<22}{impl:<10}{r['per_s']:>12,.0f}{r['p50_ms']:>10.3f}{r['p99_ms']:>10.3f}")
        print(f"{'':<22}{'ratio':<10}{ours['per_s'] / naive['per_s']:>11.2f}x  (screen / baseline throughput)")
    print("targets: >= 20,000 chat msgs/s on one core; post p99 < 1 ms")


if __name__ == "__main__":
    main()
