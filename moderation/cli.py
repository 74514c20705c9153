"""`flask moderation ...`: moderation tools. The app registers `moderation_cli`."""
from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import AppGroup

from moderation.screening import screen
from moderation.screening.evaluate import evaluate, read_cases, report

moderation_cli = AppGroup("moderation", help="Moderation tools: crisis screening and its evaluation.")


# Screening is pure, so these commands need no app context (and run without a database).
@moderation_cli.command("screen", with_appcontext=False)
@click.argument("text")
@click.option("--json", "as_json", is_flag=True, help="Print the Screening as JSON.")
def screen_command(text: str, as_json: bool) -> None:
    """Screen TEXT and show what fired."""
    result = screen(text)
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    click.echo(f"severity:   {result.severity}")
    click.echo(f"categories: {', '.join(sorted(result.categories)) or '-'}")
    click.echo(f"hold:       {'yes (method or means detail)' if result.hold else 'no'}")
    for m in result.matches:
        click.echo(f"  {m.severity.value:<8} {m.category:<18} {m.span[0]}-{m.span[1]}  {m.phrase!r}: {m.rule}")


@moderation_cli.command("evaluate", with_appcontext=False)
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def evaluate_command(path: Path) -> None:
    """Compare screening with the labels of a JSONL file ({"text", "severity"} per line)."""
    click.echo(report(evaluate(read_cases(path))))


@moderation_cli.command("sweep")
def sweep_command() -> None:
    """One sweeper pass (for cron): expired claims back, reminders, escalations."""
    from forum.extensions import db
    from moderation.routing import sweep

    done = sweep()
    db.session.commit()
    click.echo(", ".join(f"{n} {what}" for what, n in done.items()))


@moderation_cli.command("train")
@click.argument("handle")
@click.option("--until", "until", required=True, type=click.DateTime(formats=["%Y-%m-%d"]),
              help="The last day the training record is valid (YYYY-MM-DD).")
@click.option("--on", "trained_on", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="When the training was done (default: today).")
def train_command(handle: str, until, trained_on) -> None:
    """Record HANDLE's moderator training, valid until --until."""
    from sqlalchemy import select

    from forum.accounts import handles
    from forum.extensions import db
    from forum.models import Member
    from moderation.access import today
    from moderation.admin import set_training

    member = db.session.scalar(select(Member).where(Member.handle_key == handles.skeleton(handle),
                                                    Member.deleted_at.is_(None)))
    if member is None:
        raise click.ClickException(f"No member called {handle}.")
    role = member.role if member.is_moderator else "moderator"
    set_training(member, role, (trained_on.date() if trained_on else today()), until.date(), None)
    db.session.commit()
    click.echo(f"{member.handle}: {role}, trained until {until.date():%Y-%m-%d}.")
