"""Under gevent, screening a long post runs in a native thread: the process's other greenlets
(other members' requests, chat) keep running while the model reads."""
import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

PROGRAM = r'''
from gevent import monkey; monkey.patch_all()
import json, sys, time
import gevent
from forum.offload import run_blocking
from moderation.screening import screen

post = "An ordinary sentence about my day, the bus and the weather. " * 84  # ~5,000 chars
screen(post)  # load the model
ticks = []

def ticker():
    while True:
        ticks.append(time.perf_counter())
        gevent.sleep(0.001)

def longest_stall(run):
    gevent.sleep(0.02)
    start = time.perf_counter()
    for _ in range(4):
        run(screen, post)
    end = time.perf_counter()
    inside = [t for t in ticks if start <= t <= end]
    points = [start, *inside, end]
    return max(b - a for a, b in zip(points, points[1:])), (end - start) / 4

gevent.spawn(ticker)
offloaded = longest_stall(run_blocking)
inline = longest_stall(lambda f, *a: f(*a))
print(json.dumps({"offloaded": offloaded, "inline": inline}))
'''


def test_a_long_post_does_not_stall_the_other_greenlets():
    out = subprocess.run([sys.executable, "-c", PROGRAM], cwd=REPO, capture_output=True, text=True,
                         timeout=120, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    (stall_off, each_off), (stall_in, each_in) = result["offloaded"], result["inline"]
    # Inline, the other greenlets wait for a whole screening; offloaded, they keep ticking.
    assert stall_in >= 0.8 * each_in
    assert stall_off < 0.5 * each_off, result
