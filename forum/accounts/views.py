import json

from flask import Response, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from .. import ratelimit
from ..extensions import db, login_manager
from ..security import safe_next
from ..signals import sessions_ended
from . import bp, handles, service
from .forms import DeleteAccountForm, LoginForm, RecoverForm, SignupForm

SESSION_TOKEN = "sid"


def _end_live_sessions(member_id):
    """After the commit that ended the member's sessions: chat closes their sockets and the
    moderation queue stops reaching them, on every server process (forum.signals)."""
    sessions_ended.send(current_app._get_current_object(), member_id=member_id)


@login_manager.user_loader
def load_member(member_id):
    return service.session_member(member_id, session.get(SESSION_TOKEN))


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
    form = SignupForm()
    if form.reroll.data:
        form.handle.data = handles.generate()
        form.handle.raw_data = [form.handle.data]
        return render_template("accounts/signup.html", form=form)
    if request.method == "GET":
        form.handle.data = handles.generate()
    if form.validate_on_submit():
        if not ratelimit.allowed("LIMIT_SIGNUP", ratelimit.client_key()):
            form.handle.errors.append("Lots of accounts were made from here just now. Please try again in a while.")
            return render_template("accounts/signup.html", form=form), 429
        try:
            member, code = service.create_member(form.handle.data, form.passphrase.data)
        except service.HandleTaken:
            form.handle.errors.append("That handle, or one that looks just like it, is taken. Try another.")
        else:
            _sign_in(member)
            db.session.commit()
            ratelimit.hit("LIMIT_SIGNUP", ratelimit.client_key())
            return _no_store(current_app.make_response(
                render_template("accounts/recovery_code.html", code=code, new_member=True)))
    return render_template("accounts/signup.html", form=form), 400 if form.errors else 200


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        key = ratelimit.client_key()
        if not ratelimit.allowed("LIMIT_LOGIN_FAILURES", key):
            form.form_errors.append(
                "Too many attempts that didn't work. Please wait a minute, then try again. "
                "If you've forgotten your passphrase, you can use your recovery code.")
            return render_template("accounts/login.html", form=form), 429
        member = service.authenticate(form.handle.data, form.passphrase.data)
        if member is None:
            ratelimit.hit("LIMIT_LOGIN_FAILURES", key)
            form.form_errors.append("That handle and passphrase don't match. Please check and try again.")
            return render_template("accounts/login.html", form=form), 401
        _sign_in(member)
        db.session.commit()
        return redirect(safe_next(request.args.get("next")))
    return render_template("accounts/login.html", form=form), 400 if form.errors else 200


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
        _sign_in(member)
        db.session.commit()
        _end_live_sessions(member.id)  # whoever held the old sessions is cut off live too
        return _no_store(current_app.make_response(
            render_template("accounts/recovery_code.html", code=code, new_member=False)))
    return render_template("accounts/recover.html", form=form), 400 if form.errors else 200


@bp.get("/account")
@login_required
def account():
    return render_template("accounts/account.html", form=DeleteAccountForm())


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
        return render_template("accounts/account.html", form=form), 400
    if service.authenticate(current_user.handle, form.passphrase.data) is None:
        form.passphrase.errors.append("That passphrase isn't right.")
        return render_template("accounts/account.html", form=form), 401
    member_id = current_user.id
    service.delete_account(current_user, remove_posts=form.posts.data == "remove")
    db.session.commit()
    _end_live_sessions(member_id)
    logout_user()
    session.clear()
    flash("Your account is deleted. Thank you for being here; you're welcome back any time.")
    return redirect(url_for("boards.index"))

