"""Two connections writing the same database: a transaction that reads and then writes is
not refused because another connection wrote in between (on SQLite this needs transactions
that take the write lock when they begin; a command-line task beside the server, or a
second process, is such a writer)."""
import threading

from sqlalchemy import select

from forum.extensions import db
from forum.models import Board


def _add_board(app, slug):
    with app.app_context():
        db.session.add(Board(slug=slug, name=slug, description="", guidelines="", position=99))
        db.session.commit()


def test_a_write_after_a_read_survives_another_writer_in_between(make_app):
    first, second = make_app(), make_app()
    with first.app_context():
        db.session.scalars(select(Board.slug)).all()  # the transaction has read
        other = threading.Thread(target=_add_board, args=(second, "written-between"))
        other.start()
        other.join(0.5)  # either it wrote already, or it waits for this transaction
        db.session.add(Board(slug="written-after-reading", name="n", description="", guidelines="", position=98))
        db.session.commit()
    other.join(10)
    assert not other.is_alive()
    with second.app_context():
        slugs = set(db.session.scalars(select(Board.slug)))
        db.engine.dispose()
    assert {"written-between", "written-after-reading"} <= slugs
