"""Telling clients about a change, only once it is committed: the one path to sockets.

An action that changes state queues its Socket.IO events here while it writes, on the
current transaction; they go out right after COMMIT and are dropped on ROLLBACK, so no
client hears of something the database then undoes, and none misses what it keeps
(Zulip's `send_event_on_commit`). A SAVEPOINT that rolls back drops only what was queued
inside it.

    emit_after_commit("removed", {"id": 7, "room_id": 2}, to="room:2")
    db.session.commit()  # the event leaves here; a rollback instead sends nothing

Payloads are made when queued, inside the transaction: the after-commit hook cannot run
SQL, and the commit expires every loaded object.
"""
import logging

from sqlalchemy import event
from sqlalchemy.orm import Session

from .extensions import db, socketio

log = logging.getLogger(__name__)

_KEY = "lantern_after_commit"  # session.info[_KEY]: [(SessionTransaction, callback)]


def emit_after_commit(event_name, payload, *, to, namespace="/"):
    """Emit `event_name` with `payload` to the Socket.IO room(s) `to` (a name or a list)
    in `namespace` once the current transaction of db.session commits; never if it rolls
    back. `payload` is made by the caller now, inside the transaction."""
    after_commit(lambda: socketio.emit(event_name, payload, to=to, namespace=namespace))


def after_commit(callback):
    """Call `callback()` once the current transaction of db.session commits (in order with
    the events queued around it); never if it rolls back. It may not run SQL. For what is
    not an event, such as taking sockets out of a Socket.IO room."""
    session = db.session()  # this thread's (greenlet's) Session, not the scoped proxy
    transaction = session.get_nested_transaction() or session.get_transaction() or session.begin()
    session.info.setdefault(_KEY, []).append((transaction, callback))


def _within(transaction, ended):
    while transaction is not None:
        if transaction is ended:
            return True
        transaction = transaction.parent
    return False


@event.listens_for(Session, "after_commit")
def _run(session):
    if session.in_nested_transaction():
        return  # a SAVEPOINT released: SQLAlchemy calls this hook for it too; wait for the real COMMIT
    for _, callback in session.info.pop(_KEY, []):
        try:
            callback()
        except Exception:  # committed is committed: one failed send must not stop the rest
            log.exception("after-commit callback failed")


@event.listens_for(Session, "after_soft_rollback")
def _drop(session, previous_transaction):
    """A rollback (of the whole transaction, or of one SAVEPOINT): forget what was queued
    inside what was rolled back."""
    queued = session.info.get(_KEY)
    if queued:
        queued[:] = [(t, callback) for t, callback in queued if not _within(t, previous_transaction)]


@event.listens_for(Session, "after_transaction_end")
def _forget(session, transaction):
    """The outermost transaction ended without a commit (e.g. Session.close()): drop the rest."""
    if transaction.parent is None:
        session.info.pop(_KEY, None)
