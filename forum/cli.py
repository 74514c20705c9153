"""flask commands: seed, create-admin, create-moderator (plus the moderation group)."""
import click
from flask.cli import with_appcontext

from moderation import audit

from .accounts import handles
from .accounts import service as accounts
from .demo import seed_demo
from .extensions import db
from .seed import seed_boards, seed_rooms

# Who can do more: a command that would lower a role refuses.
RANK = {"member": 0, "moderator": 1, "admin": 2}


def register(app):
    app.cli.add_command(seed)
    app.cli.add_command(create_admin)
    app.cli.add_command(create_moderator)
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
