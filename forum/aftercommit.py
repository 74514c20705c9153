"""Run work only once the current transaction has committed.

Notifications (Socket.IO events, webhooks) must never announce something the database
might still roll back, and must not be lost when it does commit. Callers queue a callable
here while they write; it runs right after COMMIT, and is dropped on ROLLBACK.
"""
from sqlalchemy import event
from sqlalchemy.orm import Session

_KEY = "lantern_after_commit"


def after_commit(session, callback):
    session.info.setdefault(_KEY, []).append(callback)


@event.listens_for(Session, "after_commit")
def _run(session):
    for callback in session.info.pop(_KEY, []):
        callback()


@event.listens_for(Session, "after_rollback")
def _drop(session):
    session.info.pop(_KEY, None)
