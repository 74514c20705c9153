"""However deeply a post nests quotes or lists, every word its author wrote appears."""
import pytest

from forum import content
from tests.helpers import start_thread, text


def deep_quote(levels, words):
    return ">" * levels + " " + words


def nested_list(levels):
    return "\n".join("  " * i + f"- word{i}x" for i in range(levels))


@pytest.mark.parametrize("levels", [19, 20, 21, 25, 500])
def test_deeply_quoted_words_appear_in_the_thread(member, levels):
    thread_id = start_thread(member.client, title="Quotes",
                             body=f"before\n\n{deep_quote(levels, 'the words at the bottom of the well')}\n\nafter")
    page = text(member.client.get(f"/t/{thread_id}"))
    assert "before" in page and "the words at the bottom of the well" in page and "after" in page


def test_every_item_of_a_deeply_nested_list_appears(member):
    # 100 levels, one word each, fit in a post; 500 levels fit on one line ("- - - ... x").
    body = nested_list(100) + "\n\n" + "- " * 500 + "the deepest words\n\nthe end"
    thread_id = start_thread(member.client, title="Lists", body=body)
    page = text(member.client.get(f"/t/{thread_id}"))
    missing = [i for i in range(100) if f"word{i}x" not in page]
    assert not missing and "the deepest words" in page and "the end" in page


@pytest.mark.parametrize("source", [
    deep_quote(21, "deep words"),
    nested_list(40),
    "> 1. - > 2. " * 30 + "deep words",
    "*" * 60 + "deep words" + "*" * 60,
    "[" * 60 + "deep words" + "]" * 60,
])
def test_the_renderers_keep_every_word(source):
    words = [w for w in source.replace("*", " ").replace("[", " ").replace("]", " ").split() if w.isalnum()]
    for rendered in (content.render(source), content.render_inline(source)):
        assert all(word in rendered for word in words), rendered
