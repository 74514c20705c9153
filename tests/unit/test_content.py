"""Markdown is rendered safely: no script, no dangerous link, bounded work."""
from html.parser import HTMLParser

import pytest

from forum.content import ALLOWED_TAGS, LINK_REL, render, render_inline
from forum.forms import POST_MAX

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)><circle/></svg>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD4=)",
    "[click](vbscript:msgbox(1))",
    "<iframe src=https://example.org></iframe>",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "[x](https://example.org\" onmouseover=\"alert(1))",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
]


class _Elements(HTMLParser):
    """Collects the elements a browser would build from the HTML."""

    def __init__(self):
        super().__init__()
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def elements(html):
    parser = _Elements()
    parser.feed(html)
    return parser.elements


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_hostile_markup_renders_inert(payload):
    for tag, attrs in elements(render(payload)):
        assert tag in ALLOWED_TAGS
        assert not any(name.startswith("on") or name == "style" for name in attrs)
        if "href" in attrs:
            assert attrs["href"].split(":", 1)[0].lower() in {"http", "https", "mailto"}


def test_event_handler_attributes_never_survive_as_attributes():
    html = render('<p onclick="alert(1)">hi</p> <b onmouseover=alert(1)>x</b>')
    # Raw HTML is shown as text, never parsed into an element with a handler.
    assert "<p onclick" not in html and "<b " not in html
    assert "&lt;p onclick" in html


def test_links_get_safe_rel_and_bare_urls_are_linked():
    html = render("see [the guide](https://example.org/guide) and https://example.net")
    assert html.count(f'rel="{LINK_REL}"') == 2
    assert 'href="https://example.net"' in html


def test_basic_markdown_survives():
    html = render("**bold** _soft_ `code`\n\n> quoted\n\n- one\n- two")
    for tag in ("<strong>", "<em>", "<code>", "<blockquote>", "<ul>", "<li>"):
        assert tag in html


def test_images_are_never_loaded_from_elsewhere():
    assert "<img" not in render("![tracker](https://tracker.example/pixel.png)")


# At most as long as a post can be (POST_MAX): past the nesting limit every word is kept,
# as text, and sanitising a long run of '>' (entities) costs more than linear time.
@pytest.mark.parametrize("bomb", [">" * 10_000, "[" * 10_000, "*" * 10_000 + "x", "- " * 5_000 + "x",
                                  "[a](" * 5_000, "\n".join(">" * i for i in range(2_000))[:POST_MAX]])
def test_nesting_bombs_render_with_bounded_nesting(bomb):
    html = render(bomb)
    # markdown-it stops nesting at its limit: the output cannot be deeper than that.
    assert html.count("<blockquote>") <= 20 and html.count("<ul>") <= 20


def test_chat_markdown_lite_keeps_links_and_emphasis_only():
    html = render_inline("*hi* [link](https://example.org) # not a heading\n> not a quote")
    assert "<em>hi</em>" in html and f'rel="{LINK_REL}"' in html
    assert "<h1>" not in html and "<blockquote>" not in html
