"""`flask moderation ...`: moderation tools. The app registers `moderation_cli`."""
from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import AppGroup

from moderation.screening import configure, screen, screen_rules
from moderation.screening.evaluate import evaluate, evaluate_cssrs, read_cases, read_cssrs, report, report_cssrs
from moderation.screening.labelled import read_corpus, split

moderation_cli = AppGroup("moderation", help="Moderation tools: crisis screening and its evaluation.")


# Screening is pure, so these commands need no app context (and run without a database).
@moderation_cli.command("screen", with_appcontext=False)
@click.argument("text")
@click.option("--json", "as_json", is_flag=True, help="Print the Screening as JSON.")
@click.option("--rules-only", is_flag=True, help="The rules alone, without the learned model.")
def screen_command(text: str, as_json: bool, rules_only: bool) -> None:
    """Screen TEXT and show what fired."""
    result = screen_rules(text) if rules_only else screen(text)
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    click.echo(f"severity:   {result.severity}")
    click.echo(f"categories: {', '.join(sorted(result.categories)) or '-'}")
    click.echo(f"hold:       {'yes (method or means detail)' if result.hold else 'no'}")
    for m in result.matches:
        click.echo(f"  {m.severity.value:<8} {m.category:<18} {m.span[0]}-{m.span[1]}  {m.phrase!r}: {m.rule}")
    if result.model is not None:
        reading = result.model
        click.echo(f"model:      {reading.severity} ({reading.probability:.0%} sure; {result.decision}; "
                   f"rules alone: {result.rules_severity})")
        for n in reading.neighbours:
            click.echo(f"  reads like ({n.severity}, {n.similarity:.2f}): {n.text[:100]!r}")


@moderation_cli.command("evaluate", with_appcontext=False)
@click.argument("paths", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--validation", is_flag=True,
              help="The validation split of Lantern's own corpus (never trained on).")
@click.option("--cssrs", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Real posts with Columbia-scale user labels (CSV: User, Post, Label).")
@click.option("--rules-only", is_flag=True, help="The rules alone, without the learned model.")
def evaluate_command(paths: tuple[Path, ...], validation: bool, cssrs: Path | None, rules_only: bool) -> None:
    """Compare screening with labelled lines: JSONL files ({"text", "severity"} per line), the
    corpus's validation split, and the C-SSRS posts (per label)."""
    if not (paths or validation or cssrs):
        raise click.UsageError("Name a JSONL file, --validation, or --cssrs FILE.")
    if not rules_only:
        configure("on")  # a clear error now if the model cannot load
    screener = screen_rules if rules_only else screen
    click.echo(f"screening: {'rules alone' if rules_only else 'rules + learned model'}")
    for path in paths:
        click.echo(f"\n== {path}\n" + report(evaluate(read_cases(path), screener)))
    if validation:
        rows, _ = read_corpus()
        held = split(rows)["validation"]
        click.echo(f"\n== validation split of the corpus ({len(held)} lines, never trained on)\n"
                   + report(evaluate(held, screener)))
    if cssrs:
        click.echo(f"\n== {cssrs} (real posts; each post carries its user's label)\n"
                   + report_cssrs(evaluate_cssrs(read_cssrs(cssrs), screener)))


@moderation_cli.command("sweep")
def sweep_command() -> None:
    """One sweeper pass (for cron): expired claims back, reminders, escalations, on-call pages."""
    from forum.extensions import db
    from moderation.routing import sweep

    done = sweep()
    db.session.commit()
    click.echo(", ".join(f"{n} {what}" for what, n in done.items()))


@moderation_cli.command("train")
@click.argument("handle")
@click.option("--until", "until", required=True, type=click.DateTime(formats=["%Y-%m-%d"]),
              help="The last day the training record is valid (YYYY-MM-DD, today or later).")
@click.option("--on", "trained_on", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="When the training was done (default: today; not in the future).")
def train_command(handle: str, until, trained_on) -> None:
    """Record the training of HANDLE, who already has the moderator or admin role.

    It never changes a role: a member becomes a moderator with `flask create-moderator`
    (or on /admin), so that nobody is promoted by a typo in a handle."""
    from forum.accounts import service as accounts
    from forum.extensions import db
    from moderation.access import profile, today
    from moderation.admin import set_training

    member = accounts.find_member(handle)
    if member is None:
        raise click.ClickException(f"No member called {handle}.")
    if not member.is_moderator:
        raise click.ClickException(
            f"{member.handle} is a {member.role}, not a moderator: nothing changed. Give them the role first "
            f"(flask --app forum create-moderator {member.handle}), then record their training.")
    until, trained_on = until.date(), (trained_on.date() if trained_on else today())
    if trained_on > today():
        raise click.ClickException(f"--on {trained_on} is in the future: nothing changed.")
    if until < today():
        raise click.ClickException(f"--until {until} has already passed, so the record would not let "
                                   f"{member.handle} moderate: nothing changed.")
    before = profile(member)
    was = (f"trained {before.trained_on} until {before.training_expires}" if before and before.trained_on
           else "no training record")
    set_training(member, member.role, trained_on, until, None)
    db.session.commit()
    click.echo(f"{member.handle} ({member.role}): {was} -> trained {trained_on} until {until}.")
