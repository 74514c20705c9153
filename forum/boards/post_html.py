"""A thread page's posts as HTML, made in Python: each post's <article> (author, time,
words, reactions, the reader's actions) and the lines between them.

A thread page shows up to 200 posts, and as a Jinja macro each one cost about 20
microseconds of calls, attribute lookups and escaping: half the page's time, where the
database's three queries take a tenth (bench/pages.py). Here it is one f-string per post,
escaping only the text that can carry markup (handles, labels, a content warning; a post's
words were sanitised when it was written). The rare lines around a post (a help panel, a
post tucked away by the reader's filters, "new since your last visit") are still the
templates' macros, called only where they show.
"""
from urllib.parse import quote

from flask import get_template_attribute
from markupsafe import Markup, escape

from ..content import post_body_html
from ..text import handle_link, time_html

REMOVED_BY_AUTHOR = '\n  <p class="removed">Post removed by its author.</p>'
HIDDEN = '\n  <p class="removed">This post is hidden by a moderator.</p>'
HELD_OWN = ("\n  <p class=\"held-note\">Only you and our moderators can see this post for now. It mentions "
            "details about ways of harming yourself, and we keep those out of sight to protect others who are "
            "struggling. A moderator will look at it soon. You haven't done anything wrong, and you're welcome "
            "here.</p>")
HELD_OTHER = '\n  <p class="held-note">Held for review: only its author and moderators can see it.</p>'


def thread_posts(views, action_form, signed_in, viewer_id, at_risk=(), help=None, first_unread=None):
    """The posts of one thread page (PostViews, in order) as `viewer_id` sees them.
    `at_risk`: ids of posts whose author may need help, shown with `help`'s panel;
    `first_unread`: the post the "new since your last visit" line goes before."""
    csrf_field = str(action_form.csrf_token) if signed_in else ""
    parts = []
    for view in views:
        post = view.post
        if first_unread is not None and post.id == first_unread:
            parts.append(get_template_attribute("boards/_following.html", "since_last_visit")())
        if not view.shown:
            continue
        if help and post.id in at_risk:
            parts.append(get_template_attribute("moderation/_help_panel.html", "help_panel")(help, f"help-{post.id}"))
        # Tucked away by the reader's own filters or blocks: a quiet line opens it in place.
        tucked_by = view.hidden_by if view.readable and not post.deleted_at else None
        if tucked_by:
            note = get_template_attribute("filters/_tucked.html", "note")(tucked_by, "post")
            parts.append(f'<details class="tucked depth-{post.depth}"><summary>{note}</summary>')
        parts.append(article(view, signed_in, viewer_id, csrf_field, tucked=bool(tucked_by)))
        if tucked_by:
            parts.append("</details>")
    return Markup("\n".join(parts))


def article(view, signed_in, viewer_id, csrf_field, tucked=False):
    """The <article> of `view` (forum.boards.service.PostView), as `viewer_id` sees it;
    `csrf_field` is the page's hidden CSRF input (str) for the signed-in reader's forms;
    `tucked`: inside the reader's "tucked away" details, so without its depth's indent."""
    post = view.post
    pid = post.id
    depth = "" if tucked else f" depth-{post.depth}"
    edited = " · edited" if post.edited_at else ""
    in_reply_to = f' <span class="meta">in reply to {handle_link(view.in_reply_to)}</span>' if view.in_reply_to else ""
    head = (f'<article class="post{depth}" id="p{pid}" aria-labelledby="p{pid}-by">\n'
            f'  <header class="post-head">\n'
            f'    <span class="author" id="p{pid}-by">{handle_link(view.author)}</span>\n'
            f'    <span class="meta">{time_html(post.created_at)}{edited}</span>{in_reply_to}\n'
            f'  </header>')
    if post.deleted_at:
        return Markup(f"{head}{REMOVED_BY_AUTHOR}\n</article>")
    if not view.readable:
        return Markup(f"{head}{HIDDEN}\n</article>")
    own = signed_in and post.author_id == viewer_id
    held = (HELD_OWN if own else HELD_OTHER) if post.held_at else ""
    return Markup(f"{head}{held}\n  {post_body_html(post)}\n"
                  f'  <footer class="post-actions">\n'
                  f'    <ul class="reactions" aria-label="Reactions">{_reactions(view, signed_in, csrf_field)}\n'
                  f"    </ul>{_actions(view, own, csrf_field) if signed_in else ''}\n"
                  f"  </footer>\n</article>")


def _reactions(view, signed_in, csrf_field):
    pid = view.post.id
    if not signed_in:  # a guest sees the counts there are, and nothing to press
        return "".join(f'\n      <li><span class="reaction">{escape(label)} <span class="count">{n}</span>'
                       f'</span></li>' for _, label, n, _ in view.reactions if n)
    return "".join(
        f'\n      <li><form method="post" action="/p/{pid}/react/{kind}" class="inline">{csrf_field}'
        f'<button type="submit" class="reaction{" given" if given else ""}" '
        f'aria-pressed="{"true" if given else "false"}">'
        f'{escape(label)} <span class="count">{n}</span></button></form></li>'
        for kind, label, n, given in view.reactions)


def _actions(view, own, csrf_field):
    post, author = view.post, escape(view.author)
    pid = post.id
    links = [f'\n    <a href="/t/{post.thread_id}/reply?parent_id={pid}">Reply'
             f'<span class="visually-hidden"> to {author}</span></a>']
    if own:
        links.append(f'\n    <a href="/p/{pid}/edit">Edit</a>\n'
                     f'    <form method="post" action="/p/{pid}/delete" class="inline">{csrf_field}'
                     f'<button type="submit" class="link-button">Delete</button></form>')
    else:
        links.append(f'\n    <a href="/p/{pid}/report">Report</a>')
        if post.author_id and view.author != "former member":
            links.append(f'\n    <a href="/filters?block={escape(quote(view.author, safe="/"))}#block">Block'
                         f'<span class="visually-hidden"> {author}</span></a>')
    return "".join(links)
