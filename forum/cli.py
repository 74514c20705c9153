"""flask commands: seed, create-admin, create-moderator, the mentoring group (plus the
moderation group)."""
import click
from flask.cli import AppGroup, with_appcontext

from moderation import audit

from .accounts import handles
from .accounts import service as accounts
from .demo import seed_demo
from .extensions import db
from .mentoring import mentors
from .seed import seed_boards, seed_rooms

# Who can do more: a command that would lower a role refuses.
RANK = {"member": 0, "moderator": 1, "admin": 2}


def register(app):
    app.cli.add_command(seed)
    app.cli.add_command(create_admin)
    app.cli.add_command(create_moderator)
    app.cli.add_command(mentoring_cli)
    try:
        from moderation.cli import moderation_cli
    except ImportError:  # the moderation module is optional while it is being built
        return
    app.cli.add_command(moderation_cli)


@click.command("seed")
@with_appcontext
@click.option("--demo", is_flag=True, help="Also add demo members, threads and replies.")
def seed(demo):
    """Create the standard boards and chat rooms (safe to run again)."""
    seed_boards()
    seed_rooms()
    if demo:
        added = seed_demo()
        click.echo("Demo content added." if added else "Demo content was already there.")
    db.session.commit()
    click.echo("Boards and chat rooms ready.")


def _promote(handle, role, passphrase):
    """Give HANDLE `role`, creating the member if asked to; says what changed. It never
    demotes: taking a role away is a decision for /admin, where it is audited with its actor."""
    member = accounts.find_member(handle)
    if member is None:
        if reason := handles.problem(handle):
            raise click.ClickException(reason)
        if not passphrase:
            raise click.ClickException(f"No member called {handle}; give --passphrase to create one.")
        member, code = accounts.create_member(handle, passphrase)
        click.echo(f"Created {handle}. Recovery code (shown once): {code}")
    if member.role == role:
        db.session.commit()
        click.echo(f"{member.handle} is already {role}: nothing changed.")
        return
    if RANK[member.role] > RANK[role]:
        raise click.ClickException(
            f"{member.handle} is {member.role}; this command would make them only {role}. Nothing changed: "
            "change roles on the /admin page if that is what you mean.")
    was, member.role = member.role, role
    audit.record(None, "set role", "member", member.id, reason=f"role={was} -> {role} (command line)")
    db.session.commit()
    click.echo(f"{member.handle}: {was} -> {role}.")


@click.command("create-admin")
@with_appcontext
@click.argument("handle")
@click.option("--passphrase", help="Create the member with this passphrase if they don't exist yet.")
def create_admin(handle, passphrase):
    """Make HANDLE an admin (creating the member if needed)."""
    _promote(handle, "admin", passphrase)


@click.command("create-moderator")
@with_appcontext
@click.argument("handle")
@click.option("--passphrase", help="Create the member with this passphrase if they don't exist yet.")
def create_moderator(handle, passphrase):
    """Give HANDLE the moderator role (they also need a current training record)."""
    _promote(handle, "moderator", passphrase)


mentoring_cli = AppGroup("mentoring", help="Peer mentors: training records.")


@mentoring_cli.command("train")
@click.argument("handle")
@click.option("--until", "until", required=True, type=click.DateTime(formats=["%Y-%m-%d"]),
              help="The last day the mentor training record is valid (YYYY-MM-DD, today or later).")
@click.option("--on", "trained_on", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="When the training was done (default: today; not in the future).")
@click.option("--cap", type=click.IntRange(1, mentors.CAP_MAX), help="Most active mentees at once (default 3).")
def mentoring_train(handle, until, trained_on, cap):
    """Give HANDLE the peer mentor role with a training record (or renew it); audited."""
    member = accounts.find_member(handle)
    if member is None:
        raise click.ClickException(f"No member called {handle}.")
    until, trained_on = until.date(), (trained_on.date() if trained_on else mentors.today())
    if trained_on > mentors.today():
        raise click.ClickException(f"--on {trained_on} is in the future: nothing changed.")
    if until < mentors.today():
        raise click.ClickException(f"--until {until} has already passed, so the record would not let "
                                   f"{member.handle} mentor: nothing changed.")
    mentors.grant(member, trained_on, until, None, cap)
    db.session.commit()
    click.echo(f"{member.handle} is a peer mentor: trained {trained_on} until {until}.")


@mentoring_cli.command("remove")
@click.argument("handle")
def mentoring_remove(handle):
    """Take the peer mentor role from HANDLE (no request reaches them after this); audited."""
    member = accounts.find_member(handle)
    if member is None or not mentors.remove(member, None):
        raise click.ClickException(f"No peer mentor called {handle}: nothing changed.")
    db.session.commit()
    click.echo(f"{member.handle} is no longer a peer mentor.")
