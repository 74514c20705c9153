"""A member's own safety plan (Stanley and Brown's sections): a page to write it, a plain
text copy to take away, and its place at the top of their help panel (moderation.help).

Private to the member: there is no address for anyone else's plan, moderators learn only
whether one exists (moderation.help.has_safety_plan), and its words are neither posted
nor screened. It is in the account export and leaves with the account."""
from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import SubmitField, TextAreaField
from wtforms.validators import Length, Optional

from .extensions import db
from .forms import NoHiddenCharacters
from .models import SAFETY_PLAN_SECTIONS, SafetyPlan, utcnow

bp = Blueprint("plan", __name__)

SECTION_MAX = 2_000  # characters in one section: room for a list, not a diary


class PlanForm(FlaskForm):
    submit = SubmitField("Save my plan")


for _key, (_heading, _prompt) in SAFETY_PLAN_SECTIONS.items():
    setattr(PlanForm, _key, TextAreaField(_heading, description=_prompt, validators=[
        Optional(), Length(max=SECTION_MAX, message=f"Please keep each part under {SECTION_MAX:,} characters."),
        NoHiddenCharacters()]))


@bp.after_request
def _private(response):
    # Only its member may see it: no browser or proxy keeps a copy (a shared computer).
    response.headers["Cache-Control"] = "no-store"
    return response


def plan_of(member):
    """{section key: text} of the member's plan; empty without one."""
    row = db.session.get(SafetyPlan, member.id)
    return dict(row.sections) if row is not None else {}


def save(member, sections):
    """Keep the sections with words in them; a plan emptied of every word is deleted, so
    'has a plan' stays true to what is written."""
    kept = {key: sections[key].strip() for key in SAFETY_PLAN_SECTIONS if (sections.get(key) or "").strip()}
    row = db.session.get(SafetyPlan, member.id)
    if not kept:
        if row is not None:
            db.session.delete(row)
        return
    if row is None:
        row = SafetyPlan(member_id=member.id)
        db.session.add(row)
    row.sections, row.updated_at = kept, utcnow()


def as_text(member, sections):
    """The plan as plain text, headings and the member's words, to print or keep."""
    parts = [f"My safety plan ({member.handle} on Lantern)", ""]
    for key, (heading, _) in SAFETY_PLAN_SECTIONS.items():
        parts += [heading, "-" * len(heading), sections.get(key) or "(not written yet)", ""]
    return "\n".join(parts)


@bp.route("/safety-plan", methods=["GET", "POST"])
@login_required
def show():
    form = PlanForm(data=plan_of(current_user))  # what was sent, when a form was sent
    if form.validate_on_submit():
        save(current_user, {key: form[key].data for key in SAFETY_PLAN_SECTIONS})
        db.session.commit()
        flash("Your safety plan is saved. Only you can see it.")
        return redirect(url_for("plan.show"))
    return render_template("plan/plan.html", form=form, sections=SAFETY_PLAN_SECTIONS,
                           written=bool(plan_of(current_user))), 400 if form.errors else 200


@bp.get("/safety-plan.txt")
@login_required
def download():
    body = as_text(current_user, plan_of(current_user))
    return Response(body, mimetype="text/plain", headers={
        "Content-Disposition": 'attachment; filename="my-safety-plan.txt"'})
