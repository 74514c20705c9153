"""Search finds threads and posts on both engines, and never trips on odd input."""
import re

from sqlalchemy import select, update
from tests.helpers import count_queries, send, start_thread, text

from forum.extensions import db
from forum.models import Board, Post, utcnow


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


# ---- word forms, boards, highlighting, who may find what (0013_search_index) ----------

def _results(page):
    """The text of the result list only (the search box repeats the query)."""
    body = page.get_data(as_text=True)
    return body.split('<ol class="results">', 1)[1].split("</ol>", 1)[0] if '<ol class="results">' in body else ""


def test_a_word_finds_its_other_forms(client, member):
    start_thread(member.client, title="Evenings", body="I stopped drinking in March", board="addiction-recovery")
    start_thread(member.client, title="Starting again", body="A relapse is not the end", board="addiction-recovery")
    assert "stopped drinking in March" in text(client.get("/search?q=drink"))
    assert "A relapse is not the end" in text(client.get("/search?q=relapsed"))
    assert "stopped drinking in March" in text(client.get("/search?q=Drinks"))


def test_words_may_fall_in_the_title_and_the_body(client, member):
    start_thread(member.client, title="Cravings at dusk", body="what gets you through the quiet hour")
    assert "Cravings at dusk" in text(client.get("/search?q=craving+quiet"))


def test_the_board_select_narrows_the_search(client, member):
    start_thread(member.client, title="Tea", body="chamomile before bed", board="anxiety")
    start_thread(member.client, title="Tea too", body="chamomile every evening", board="grief")
    everywhere = text(client.get("/search?q=chamomile"))
    assert "chamomile before bed" in everywhere and "chamomile every evening" in everywhere
    narrowed = client.get("/search?q=chamomile&board=grief")
    assert "chamomile every evening" in text(narrowed) and "chamomile before bed" not in text(narrowed)
    assert '<option value="grief" selected>' in narrowed.get_data(as_text=True)
    # An unknown board (an old link) searches every board rather than failing.
    assert "chamomile before bed" in text(client.get("/search?q=chamomile&board=nowhere"))


def test_matching_words_are_marked_and_member_text_stays_text(client, member):
    start_thread(member.client, title="Marked <b>title</b> words",
                 body='I kept <script>alert("x")</script> journaling & walking', board="wins")
    results = _results(client.get("/search?q=journal"))
    assert "<mark>journaling</mark>" in results
    assert "<script>" not in results and "&lt;script&gt;" in results
    assert "<b>" not in results and "&lt;b&gt;" in results
    assert "&amp; walking" in results and "<mark>walking</mark>" not in results


def test_the_excerpt_is_the_post_as_rendered_not_its_markdown(client, member):
    start_thread(member.client, title="Steps", body="**Ninety** days of [meetings](https://example.org/a)")
    results = _results(client.get("/search?q=ninety"))
    assert "<mark>Ninety</mark> days of meetings" in results and "**" not in results and "](" not in results


def test_a_long_post_shows_the_part_that_matched(client, member):
    body = "filler words here. " * 40 + "the bridge walk saved my evening. " + "more filler again. " * 40
    start_thread(member.client, title="Long one", body=body)
    results = _results(client.get("/search?q=bridge"))
    assert "<mark>bridge</mark> walk saved my evening" in results and "…" in results


def test_an_edit_is_found_by_its_new_words_only(client, member):
    thread_id = start_thread(member.client, title="Plans", body="weekend lighthouse trip")
    [opening] = post_ids_of(member, thread_id)
    send(member.client, f"/p/{opening}/edit", {"title": "Changed plans", "body": "weekend orchard visit"})
    assert "Nothing found" in text(client.get("/search?q=lighthouse"))
    assert "weekend orchard visit" in text(client.get("/search?q=orchards"))
    assert "Changed plans" in text(client.get("/search?q=changed"))
    assert "Nothing found" in text(client.get("/search?q=plans+lighthouse"))


def test_held_and_hidden_words_are_found_only_by_who_may_read_them(app, client, member, other, moderator):
    held_thread = start_thread(member.client, title="Night", body="sleepless wandering thoughts")
    hidden_thread = start_thread(member.client, title="Day", body="sunlit wandering paths")
    with app.app_context():
        db.session.execute(update(Post).where(Post.thread_id == held_thread).values(held_at=utcnow()))
        db.session.execute(update(Post).where(Post.thread_id == hidden_thread).values(hidden_at=utcnow()))
        db.session.commit()
    for reader in (client, other.client):
        found = text(reader.get("/search?q=wander"))
        assert "sleepless" not in found and "sunlit" not in found and "Nothing found" in found
    assert "sleepless wandering" in text(member.client.get("/search?q=wander"))  # its author
    assert "sunlit" not in text(member.client.get("/search?q=wander"))  # hidden: from every member
    assert "sleepless wandering" in text(moderator.client.get("/search?q=wander"))


def test_punctuation_and_operators_get_a_kind_answer(client, member):
    start_thread(member.client, title="Operators", body="plain words NEAR more")
    for query in ['"', '""', "AND OR NOT", "*", '"*"', "-", "()", "NEAR", "...", "'"]:
        response = client.get("/search", query_string={"q": query})
        assert response.status_code == 200, query
    assert "Try a word or two" in text(client.get("/search", query_string={"q": '" * ( ) :'}))
    # An operator word of either engine is an ordinary word. (AND, OR, NOT are English
    # stop words, which PostgreSQL leaves out of its index.)
    assert "plain words NEAR more" in text(client.get("/search", query_string={"q": "NEAR"}))


def test_search_takes_the_same_number_of_queries_for_any_page(app, client, member):
    with app.app_context():
        from forum.boards import service
        from forum.models import Member

        author = db.session.scalar(select(Member))
        opening, _ = service.create_thread(db.session.scalar(select(Board).where(Board.slug == "wins")), author,
                                           "Many", "counting steps")
        thread = opening.thread
        for i in range(45):
            service.reply(thread, author, f"counted step {i}")
        db.session.commit()

    def queries(url):
        return count_queries(app, client, url)

    assert queries("/search?q=step") == queries("/search?q=step&page=2") == queries("/search?q=step&page=3&board=wins")
    assert "counted step" in text(client.get("/search?q=step&page=3"))


def post_ids_of(member, thread_id):
    page = member.client.get(f"/t/{thread_id}").get_data(as_text=True)
    return sorted({int(i) for i in re.findall(r'id="p(\d+)"', page)})


def test_search_ranks_the_newest_matches_the_reader_may_see(monkeypatch, app, client, member):
    """A search ranks only the newest RANKED matches (forum/boards/search.py: a common word's
    cost stays flat as the forum grows), on both engines; those it ranks are the newest the
    reader may see and that are on the chosen board, so neither narrows the results away."""
    from forum.boards import search

    monkeypatch.setattr(search, "RANKED", 2)
    # The oldest would rank first (the word in its title and twice in its words).
    start_thread(member.client, title="Lanterns", body="lanterns and lanterns", board="grief")
    start_thread(member.client, title="Evening", body="a lantern by the window", board="anxiety")
    start_thread(member.client, title="Morning", body="the lantern is still on", board="anxiety")
    newest = start_thread(member.client, title="Night", body="one more lantern lit", board="anxiety")
    found = _shown(client.get("/search?q=lantern"))
    assert "lanterns and lanterns" not in found and "a lantern by the window" not in found
    assert "the lantern is still on" in found and "one more lantern lit" in found
    # On its board, the oldest is among the newest two matches there, and ranks first.
    assert "lanterns and lanterns" in _shown(client.get("/search?q=lantern&board=grief"))
    # A match the reader may not read (its author deleted it) leaves room for an older one.
    opening = post_ids_of(member, newest)[0]
    assert send(member.client, f"/p/{opening}/delete").status_code == 302
    found = _shown(client.get("/search?q=lantern"))
    assert "a lantern by the window" in found and "one more lantern lit" not in found


def _shown(page):
    return re.sub(r"</?mark>", "", _results(page))
