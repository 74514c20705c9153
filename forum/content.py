"""Markdown to safe HTML, in one place, at write time.

markdown-it-py renders CommonMark with raw HTML off; bleach then keeps only a small
allowlist of tags, drops every link whose scheme is not http(s) or mailto, and turns bare
URLs into links. Every link leaves with rel="nofollow ugc noopener noreferrer".
"""
from functools import partial

import bleach
from bleach.linkifier import LinkifyFilter
from markdown_it import MarkdownIt
from markdown_it.common.utils import mdTrim
from markupsafe import Markup, escape

ALLOWED_TAGS = frozenset({
    "p", "br", "em", "strong", "del", "a", "ul", "ol", "li", "blockquote", "code", "pre",
    "hr", "h1", "h2", "h3", "h4", "h5", "h6",
})
ALLOWED_ATTRIBUTES = {"a": ["href", "title", "rel"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener noreferrer"

# maxNesting bounds the work (and the recursion) a "nesting bomb" (10,000 '>' or '[') can
# cause. Past it, markdown-it renders inline markup as text, but at block level it *drops*
# the rest of the container: 21 levels of '>' or a list nested ten deep lost the author's
# words. So one level of nesting before the limit, _flat_when_too_deep writes the rest of
# the container as one plain paragraph, markers and all: every word stays. Images are off
# because an image would make the reader's browser fetch from another host.
MAX_NESTING = 20
FLAT_AT = MAX_NESTING - 2  # a list item opens two levels at once (list, item)


def _flat_when_too_deep(state, start, end, silent):
    """A block rule, tried first: at FLAT_AT levels deep, the container's remaining lines
    become one paragraph of text instead of nesting further."""
    if state.level < FLAT_AT or silent:
        return False
    line = start
    # The container ends where the block parser would end it: a line indented less than
    # the container (a negative sCount is a blockquote's lazy line, which stays inside).
    while line < end and (state.isEmpty(line) or not 0 <= state.sCount[line] < state.blkIndent):
        line += 1
    state.line = line
    state.push("paragraph_open", "p", 1).map = [start, line]
    token = state.push("inline", "", 0)
    token.content = mdTrim(state.getLines(start, line, state.blkIndent, False))
    token.map, token.children = [start, line], []
    state.push("paragraph_close", "p", -1)
    return True


_markdown = MarkdownIt("js-default", {"maxNesting": MAX_NESTING}).disable("image")
_markdown.block.ruler.before("table", "flat_when_too_deep", _flat_when_too_deep)
# Chat's renderer parses no nested blocks (paragraphs only), and inline markup past the
# limit is kept as text, so no words are lost there either.
_chat_markdown = (
    MarkdownIt("zero", {"maxNesting": MAX_NESTING}).enable(["emphasis", "link", "newline", "backticks"])
)


def _set_rel(attrs, new=False):
    attrs[(None, "rel")] = LINK_REL
    return attrs


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    filters=[partial(LinkifyFilter, callbacks=[_set_rel], skip_tags={"pre", "code"})],
)


def render(markdown_text: str) -> str:
    """A post's Markdown as HTML that is safe to insert into a page as it is."""
    return _cleaner.clean(_markdown.render(markdown_text))


def render_inline(markdown_text: str) -> str:
    """Chat's Markdown-lite: emphasis, code and links only, sanitised like posts."""
    return _cleaner.clean(_chat_markdown.render(markdown_text))


EXCERPT_CHARS = 280


def excerpt(markdown_text, limit=EXCERPT_CHARS):
    """A few words of a post as a reader sees them (the moderators' queue, its live
    events): the Markdown rendered (so raw HTML is already text, never markup) and read
    back as plain text (no `**`), cut at a word near `limit`. Escape it like any text."""
    text = Markup(render(markdown_text or "")).striptags()
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] or text[:limit]
    return cut.rstrip(" ,.;:") + "…"


def post_body_html(post):
    """A post's words as every page shows them, behind its content warning when it has one:
    the thread page's posts (forum.boards.post_html), the reply form's quote and the report
    form (templates/boards/reply.html, templates/moderation/report.html).
    A function, not a macro: a thread page shows hundreds. Only for words the reader may
    read (moderation.visibility); body_html was sanitised when the post was written."""
    # f-strings, not Markup.format (string.Formatter: slower than the rest of the post).
    body = f'<div class="post-body">{post.body_html}</div>'
    if not post.content_warning:
        return Markup(body)
    return Markup(f'<details class="cw">\n<summary>Content warning: {escape(post.content_warning)} '
                  f'<span class="cw-open">(open to read)</span></summary>\n{body}\n</details>')
