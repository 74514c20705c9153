"""The server entry point: `app` for WSGI servers, and `python wsgi.py` to serve.

`python wsgi.py` serves the forum and Socket.IO with the production async server
(gevent by default, eventlet with FORUM_ASYNC_MODE=eventlet) on FORUM_HOST:FORUM_PORT.
For several processes, run gunicorn's gevent worker: `gunicorn -k gevent -w 1 wsgi:app`.
"""
import os

_mode = os.environ.get("FORUM_ASYNC_MODE", "gevent").strip().lower()  # read before any import: patching comes first
if __name__ == "__main__" and _mode == "gevent":
    from gevent import monkey

    monkey.patch_all()
elif __name__ == "__main__" and _mode == "eventlet":
    import eventlet

    eventlet.monkey_patch()

import sys  # noqa: E402

from forum import ScreeningModelMissing, create_app  # noqa: E402
from forum.config import ConfigError  # noqa: E402
from forum.extensions import socketio  # noqa: E402
from moderation.routing import start_sweeper  # noqa: E402

try:
    app = create_app()
except (ConfigError, ScreeningModelMissing) as error:
    sys.exit(str(error))  # a clear sentence, not a traceback
start_sweeper(app)  # flags past their SLA escalate even when nobody is looking

if __name__ == "__main__":
    # log_output=False: access logs would record client addresses, which we never keep.
    socketio.run(app, host=app.config["HOST"], port=app.config["PORT"], log_output=False)
