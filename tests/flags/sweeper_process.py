"""A sweeper in a process of its own, run as a server runs it: gevent-patched, started by
routing.start_sweeper, sweeping every SWEEP_SECONDS for ever. The app's settings come as
JSON in LANTERN_SWEEPER_CONFIG; it prints "ready" once the sweeper is started.

    LANTERN_SWEEPER_CONFIG='{...}' python tests/flags/sweeper_process.py
"""
from gevent import monkey

monkey.patch_all()

import json
import os

from forum import create_app
from forum.extensions import socketio
from moderation.routing import start_sweeper

app = create_app(json.loads(os.environ["LANTERN_SWEEPER_CONFIG"]))
start_sweeper(app)
print("ready", flush=True)
while True:
    socketio.sleep(3600)
