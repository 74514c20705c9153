"""Search finds threads and posts on both engines, and never trips on odd input."""
from tests.helpers import send, start_thread, text


def test_search_finds_titles_and_replies(client, member, other):
    thread_id = start_thread(member.client, title="Gardening helps my anxiety", body="Out in the allotment.")
    send(other.client, f"/t/{thread_id}/reply", {"body": "Swimming does the same for me"})
    assert "Gardening helps my anxiety" in text(client.get("/search?q=gardening"))
    page = text(client.get("/search?q=swimming"))
    assert "Swimming does the same for me" in page
    assert "Nothing found" in text(client.get("/search?q=zeppelin"))


def test_search_matches_word_forms_and_several_words(client, member):
    start_thread(member.client, title="Walks", body="Long walks by the river calm me down")
    assert "river calm" in text(client.get("/search?q=walk river"))


def test_search_leaves_out_deleted_posts(client, member):
    thread_id = start_thread(member.client, title="Temporary", body="ephemeral musings")
    reply = send(member.client, f"/t/{thread_id}/reply", {"body": "unforgettable marmalade"})
    assert "unforgettable marmalade" in text(client.get("/search?q=marmalade"))
    send(member.client, f"/p/{reply.location.rsplit('#p', 1)[1]}/delete")
    assert "Nothing found" in text(client.get("/search?q=marmalade"))


def test_search_hides_bodies_behind_a_content_warning(client, member):
    start_thread(member.client, title="Hard week", body="details about the relapse", content_warning="relapse")
    page = text(client.get("/search?q=details"))
    assert "Content warning: relapse" in page and "details about the relapse" not in page


def test_search_syntax_characters_are_plain_words(client, member):
    start_thread(member.client, title="Quotes", body="a \"quoted\" thing")
    for query in ['"', "AND OR NOT", "*", "(unbalanced", "col:umn", "^", "-", "a" * 500, "NEAR(a b)", "'; DROP TABLE post;--"]:
        response = client.get("/search", query_string={"q": query})
        assert response.status_code == 200, query
    assert "Quotes" in text(client.get("/search", query_string={"q": '"quoted"'}))
