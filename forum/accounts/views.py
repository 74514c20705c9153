import json
from datetime import timedelta

from flask import Response, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from .. import ratelimit
from ..extensions import db, login_manager
from ..security import safe_next
from ..signals import sessions_ended, support_wanted
from . import bp, handles, service
from .forms import DeleteAccountForm, LoginForm, LogoutEverywhereForm, RecoverForm, SignupForm, TalkForm

SESSION_TOKEN = "sid"


def _end_live_sessions(member_id):
    """After the commit that ended the member's sessions: chat closes their sockets and the
    moderation queue stops reaching them, on every server process (forum.signals)."""
    sessions_ended.send(current_app._get_current_object(), member_id=member_id)


@login_manager.user_loader
def load_member(member_id):
    config = current_app.config
    member, changed = service.session_member(
        member_id, session.get(SESSION_TOKEN),
        idle=timedelta(minutes=config["SESSION_IDLE_MINUTES"]), longest=timedelta(days=config["SESSION_MAX_DAYS"]))
    if member is None and SESSION_TOKEN in session:
        session.clear()  # ended (timed out, logged out elsewhere): the cookie forgets it
        g.session_ended = True
    g.session_changed = changed
    return member


@bp.before_app_request
def _check_session():
    """Load the member before the view runs, so that a session's last-seen time (or its
    ending) commits on its own, never halfway through a view's work."""
    if SESSION_TOKEN in session:
        current_user._get_current_object()
        if g.pop("session_changed", False):
            db.session.commit()
        if g.pop("session_ended", False):
            flash("You were signed out, after a while away or from another device. Please log in again to carry on.")


def _sign_in(member):
    # A fresh session at login: nothing from before it (or planted in it) carries over.
    session.clear()
    session[SESSION_TOKEN] = service.start_session(member)
    login_user(member)


def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/join", methods=["GET", "POST"])
def signup():
    if current_user.is_authenticated:
        return redirect(url_for("boards.index"))
    return _join(SignupForm(), "accounts/signup.html")


@bp.route("/join/talk", methods=["GET", "POST"])
def talk():
    """The guest help page's "Talk to a trained moderator": join in one step and find a
    private support room already open (chat makes it, told by forum.signals)."""
    if current_user.is_authenticated:
        return redirect(url_for("safety.help_page"))
    return _join(TalkForm(), "accounts/talk.html", talk=True)


def _join(form, template, talk=False):
    if form.reroll.data:
        form.handle.data = handles.generate()
        form.handle.raw_data = [form.handle.data]
        return render_template(template, form=form)
    if request.method == "GET":
        form.handle.data = handles.generate()
    if form.validate_on_submit():
        if not ratelimit.allowed("LIMIT_SIGNUP", ratelimit.client_key()):
            form.handle.errors.append("Lots of accounts were made from here just now. Please try again in a while.")
            return render_template(template, form=form), 429
        try:
            member, code = service.create_member(form.handle.data, form.passphrase.data)
        except service.HandleTaken:
            form.handle.errors.append("That handle, or one that looks just like it, is taken. Try another.")
        else:
            room_url = None
            if talk:
                member.region = session.get("region")  # the lines they chose as a guest stay theirs
                room_url = next((url for _, url in support_wanted.send(current_app._get_current_object(),
                                                                        member=member) if url), None)
            _sign_in(member)
            db.session.commit()
            ratelimit.hit("LIMIT_SIGNUP", ratelimit.client_key())
            return _no_store(current_app.make_response(
                render_template("accounts/recovery_code.html", code=code, new_member=True, room_url=room_url)))
    return render_template(template, form=form), 400 if form.errors else 200


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        address, account = ratelimit.client_key(), _account_key(form.handle.data)
        if not ratelimit.allowed("LIMIT_LOGIN_FAILURES", address):
            form.form_errors.append(
                "Too many attempts that didn't work. Please wait a minute, then try again. "
                "If you've forgotten your passphrase, you can use your recovery code.")
            return render_template("accounts/login.html", form=form), 429
        if not ratelimit.allowed("LIMIT_LOGIN_ACCOUNT", account):
            # The passphrase is not even checked: guesses spread over many addresses gain
            # nothing. The member is never locked out: the recovery code still works.
            form.form_errors.append(
                "This account has had a lot of sign-in attempts that didn't work, so to keep it safe we've "
                "paused signing in with a passphrase. You can sign in now with your recovery code, or try "
                f"again in {ratelimit.retry_after('LIMIT_LOGIN_ACCOUNT', account)}.")
            return render_template("accounts/login.html", form=form), 429
        member = service.authenticate(form.handle.data, form.passphrase.data)
        if member is None:
            ratelimit.hit("LIMIT_LOGIN_FAILURES", address)
            ratelimit.hit("LIMIT_LOGIN_ACCOUNT", account)
            form.form_errors.append("That handle and passphrase don't match. Please check and try again.")
            return render_template("accounts/login.html", form=form), 401
        _sign_in(member)
        db.session.commit()
        return redirect(safe_next(request.args.get("next")))
    return render_template("accounts/login.html", form=form), 400 if form.errors else 200


def _account_key(handle):
    """Failed logins count per look-alike key, whether or not such a member exists (so the
    answer never tells), and under the key rather than the handle typed."""
    return f"handle:{handles.skeleton(handle)}"


@bp.post("/logout")
@login_required
def logout():
    member_id = current_user.id
    service.end_session(session.get(SESSION_TOKEN))
    db.session.commit()
    _end_live_sessions(member_id)  # after the commit, so a reconnect is refused
    logout_user()
    session.clear()
    flash("You're logged out. Take care.")
    return redirect(url_for("boards.index"))


@bp.post("/account/logout-everywhere")
@login_required
def logout_everywhere():
    """Every session of this account ends: other browsers, phones, and this one."""
    if not LogoutEverywhereForm().validate_on_submit():
        return redirect(url_for("accounts.account"))
    member_id = current_user.id
    service.end_all_sessions(current_user)
    db.session.commit()
    _end_live_sessions(member_id)
    logout_user()
    session.clear()
    flash("You're logged out everywhere: on this device and every other one.")
    return redirect(url_for("accounts.login"))


@bp.route("/recover", methods=["GET", "POST"])
def recover():
    form = RecoverForm()
    if form.validate_on_submit():
        key = ratelimit.client_key()
        if not ratelimit.allowed("LIMIT_LOGIN_FAILURES", key):
            form.form_errors.append("Too many attempts that didn't work. Please wait a minute, then try again.")
            return render_template("accounts/recover.html", form=form), 429
        result = service.recover(form.handle.data, form.code.data, form.passphrase.data)
        if result is None:
            ratelimit.hit("LIMIT_LOGIN_FAILURES", key)
            form.form_errors.append("That handle and recovery code don't match. Please check and try again.")
            return render_template("accounts/recover.html", form=form), 401
        member, code = result
        ratelimit.clear("LIMIT_LOGIN_ACCOUNT", _account_key(member.handle))
        _sign_in(member)
        db.session.commit()
        _end_live_sessions(member.id)  # whoever held the old sessions is cut off live too
        return _no_store(current_app.make_response(
            render_template("accounts/recovery_code.html", code=code, new_member=False)))
    return render_template("accounts/recover.html", form=form), 400 if form.errors else 200


def _account_page(delete_form):
    return render_template("accounts/account.html", form=delete_form, everywhere=LogoutEverywhereForm(),
                           idle_seconds=current_app.config["SESSION_IDLE_MINUTES"] * 60)


@bp.get("/account")
@login_required
def account():
    return _account_page(DeleteAccountForm())


@bp.get("/account/export.json")
@login_required
def export():
    body = json.dumps(service.export(current_user), indent=2, ensure_ascii=False)
    return _no_store(Response(body, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="lantern-{current_user.handle}.json"'}))


@bp.post("/account/delete")
@login_required
def delete_account():
    form = DeleteAccountForm()
    if not form.validate_on_submit():
        return _account_page(form), 400
    if service.authenticate(current_user.handle, form.passphrase.data) is None:
        form.passphrase.errors.append("That passphrase isn't right.")
        return _account_page(form), 401
    member_id = current_user.id
    service.delete_account(current_user, remove_posts=form.posts.data == "remove")
    db.session.commit()
    _end_live_sessions(member_id)
    logout_user()
    session.clear()
    flash("Your account is deleted. Thank you for being here; you're welcome back any time.")
    return redirect(url_for("boards.index"))

