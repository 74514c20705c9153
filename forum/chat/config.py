"""Chat settings, from FORUM_* environment variables like the rest (see forum.config)."""
import os


def load():
    env = os.environ.get
    return {
        # Per member, across rooms (limits syntax). OWASP's WebSocket guidance asks for a
        # per-user message rate; 5 per 10 s (30 a minute) is far above how people type.
        "LIMIT_CHAT": env("FORUM_LIMIT_CHAT", "5 per 10 seconds"),
        "LIMIT_CHAT_TYPING": env("FORUM_LIMIT_CHAT_TYPING", "1 per second"),
        "CHAT_HISTORY": int(env("FORUM_CHAT_HISTORY", "50")),
        "CHAT_CATCH_UP_MAX": int(env("FORUM_CHAT_CATCH_UP_MAX", "500")),
        # Redis pub/sub channel shared by the processes of one installation.
        "SOCKETIO_CHANNEL": env("FORUM_SOCKETIO_CHANNEL", "flask-socketio"),
    }
