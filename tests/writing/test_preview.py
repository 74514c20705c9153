"""The Markdown preview: the words rendered by the same sanitiser as the post, without
JavaScript (a submit that shows the form again with the preview) and with it (JSON)."""
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Post
from tests.helpers import make_member, send, start_thread, text

JSON = {"Accept": "application/json"}
RISKY = "**bold** <script>alert(1)</script> [x](javascript:alert(2)) https://example.org"


def assert_rendered_and_safe(html):
    assert "<strong>bold</strong>" in html
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown as text
    assert 'href="javascript' not in html
    assert 'href="https://example.org"' in html and 'rel="nofollow ugc noopener noreferrer"' in html


def test_preview_without_javascript_shows_the_rendered_words_and_posts_nothing(app, member):
    shown = send(member.client, "/b/anxiety/new", {"title": "", "body": RISKY, "preview": "Preview"})
    page = shown.get_data(as_text=True)
    assert shown.status_code == 200 and "How your words will look once posted" in page
    assert_rendered_and_safe(page.split('data-preview-body>')[1].split("</div>")[0])
    assert "Please give your thread a title" not in text(shown)  # a preview asks only for words
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Post)) == 0


def test_preview_on_a_reply_and_an_edit(member):
    thread_id = start_thread(member.client, body="first words")
    reply = send(member.client, f"/t/{thread_id}/reply", {"body": "*soft*", "preview": "Preview"})
    assert reply.status_code == 200 and "<em>soft</em>" in reply.get_data(as_text=True)
    with member.client.application.app_context():
        post_id = db.session.scalar(select(Post.id).where(Post.thread_id == thread_id))
    edit = send(member.client, f"/p/{post_id}/edit", {"body": "# changed", "preview": "Preview"})
    assert edit.status_code == 200 and "<h1>changed</h1>" in edit.get_data(as_text=True)
    assert "first words" in text(member.client.get(f"/t/{thread_id}"))  # nothing saved by a preview


def test_an_empty_or_oversized_preview_says_why(member):
    empty = send(member.client, "/b/anxiety/new", {"title": "t", "body": "", "preview": "Preview"})
    assert empty.status_code == 400 and "Please write something first" in text(empty)
    big = send(member.client, "/b/anxiety/new", {"title": "t", "body": "x" * 20_001, "preview": "Preview"})
    assert big.status_code == 400 and "20,000 characters" in text(big)


def test_preview_for_the_script_is_json_rendered_by_the_posts_sanitiser(member):
    answer = send(member.client, "/preview", {"body": RISKY}, headers=JSON)
    assert answer.status_code == 200
    assert_rendered_and_safe(answer.get_json()["html"])
    assert send(member.client, "/preview", {"body": "  "}).get_json()["html"] == ""
    assert send(member.client, "/preview", {"body": "x" * 20_001}).status_code == 400


def test_preview_needs_a_member_and_is_rate_limited(limited_app):
    app = limited_app(LIMIT_PREVIEW="1 per minute")
    assert send(app.test_client(), "/preview", {"body": "x"}).status_code == 302  # log in first
    person = make_member(app, "CuriousMoth55")
    assert send(person.client, "/preview", {"body": "one"}).status_code == 200
    assert send(person.client, "/preview", {"body": "two"}).status_code == 429
    slow = send(person.client, "/b/anxiety/new", {"title": "t", "body": "two", "preview": "Preview"})
    assert slow.status_code == 429 and "a lot of previews" in text(slow) and "two" in text(slow)
