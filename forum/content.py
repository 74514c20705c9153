"""Markdown to safe HTML, in one place, at write time.

markdown-it-py renders CommonMark with raw HTML off; bleach then keeps only a small
allowlist of tags, drops every link whose scheme is not http(s) or mailto, and turns bare
URLs into links. Every link leaves with rel="nofollow ugc noopener noreferrer".
"""
from functools import partial

import bleach
from bleach.linkifier import LinkifyFilter
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset({
    "p", "br", "em", "strong", "del", "a", "ul", "ol", "li", "blockquote", "code", "pre",
    "hr", "h1", "h2", "h3", "h4", "h5", "h6",
})
ALLOWED_ATTRIBUTES = {"a": ["href", "title", "rel"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener noreferrer"

# maxNesting bounds the work a "nesting bomb" (10,000 '>' or '[') can cause: past it,
# markdown-it stops descending and renders the rest as text. Images are off because an
# image would make the reader's browser fetch from another host.
_markdown = MarkdownIt("js-default", {"maxNesting": 20}).disable("image")
_chat_markdown = (
    MarkdownIt("zero", {"maxNesting": 20}).enable(["emphasis", "link", "newline", "backticks"])
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
