"""Matching: who a request may be offered to, in what order, in one query; and, with 200
mentors and 1,000 requests, nobody over their cap and the offers spread fairly."""
import random
import time
from datetime import timedelta

from sqlalchemy import event, func, select, update

from forum.extensions import db
from forum.mentoring import matching, requests
from forum.models import MENTOR_TOPICS, Block, MentoringPair, MentoringSession, MentorProfile, Room, utcnow
from tests.mentoring.mentor_fixtures import add_members, add_mentors, request_for


def _pair(mentor_id, mentee_id, ended=False):
    room = Room(slug=f"m-{mentor_id}-{mentee_id}-{random.random()}", title="t", kind="mentoring", member_id=mentee_id)
    db.session.add(room)
    db.session.flush()
    pair = MentoringPair(mentor_id=mentor_id, mentee_id=mentee_id, room_id=room.id, goals_summary="",
                         ended_at=utcnow() if ended else None)
    db.session.add(pair)
    db.session.flush()
    return pair


def _handles(found, ids):
    names = {v: k for k, v in ids.items()}
    return [names[c.member_id] for c in found]


def test_only_current_mentors_with_room_who_speak_the_language_and_share_a_topic(app):
    with app.app_context():
        ids = add_mentors([
            {"handle": "Able"}, {"handle": "AtCap", "cap": 1}, {"handle": "Paused", "paused": True},
            {"handle": "Expired", "expired": True}, {"handle": "French", "languages": ["fr"]},
            {"handle": "Grief", "topics": ["grief"]}, {"handle": "BlockedMe"}, {"handle": "IBlocked"},
            {"handle": "Declined"}, {"handle": "Already"}])
        asker = add_members(["Asker"])["Asker"]
        other = add_members(["SomeoneElse"])["SomeoneElse"]
        _pair(ids["AtCap"], other)
        _pair(ids["Already"], asker)
        db.session.add_all([Block(blocker_id=ids["BlockedMe"], blocked_id=asker),
                            Block(blocker_id=asker, blocked_id=ids["IBlocked"])])
        request = request_for(asker, declined=[ids["Declined"]])
        assert _handles(matching.candidates(request, limit=50), ids) == ["Able"]
        # Each exclusion can fail on its own: lift it and the mentor comes back.
        db.session.execute(update(MentorProfile).where(MentorProfile.member_id == ids["AtCap"]).values(cap=2))
        db.session.execute(update(MentorProfile).where(MentorProfile.member_id == ids["Paused"]).values(paused_at=None))
        assert set(_handles(matching.candidates(request, limit=50), ids)) == {"Able", "AtCap", "Paused"}
        assert _handles(matching.candidates(request_for(other, topics=["grief"]), limit=50), ids) == ["Grief"]
        assert _handles(matching.candidates(request_for(other, language="fr"), limit=50), ids) == ["French"]


def test_a_mentor_who_has_ticked_no_time_in_the_week_is_not_offered(app):
    with app.app_context():
        ids = add_mentors([{"handle": "Around", "availability": {"sun": ["night"]}},
                           {"handle": "NeverSaid", "availability": {}},
                           {"handle": "EmptyDay", "availability": {"mon": []}},
                           {"handle": "NullGrid", "availability": None}])
        asker = add_members(["Asker"])["Asker"]
        request = request_for(asker)
        assert _handles(matching.candidates(request, limit=50), ids) == ["Around"]
        assert not matching.eligible(request, ids["NeverSaid"])
        # Ticking a single part of one day is enough to be offered again.
        db.session.execute(update(MentorProfile).where(MentorProfile.member_id == ids["NeverSaid"])
                           .values(availability={"sat": ["morning"]}))
        assert set(_handles(matching.candidates(request, limit=50), ids)) == {"Around", "NeverSaid"}


def test_order_topics_then_load_then_least_recently_offered(app):
    with app.app_context():
        ids = add_mentors([{"handle": "Two", "topics": ["alcohol", "grief"]}, {"handle": "OneBusy", "topics": ["alcohol"]},
                           {"handle": "OneFree", "topics": ["alcohol"]}, {"handle": "OneOffered", "topics": ["alcohol"]}])
        asker, other = add_members(["Asker", "Other"]).values()
        _pair(ids["OneBusy"], other)
        db.session.execute(update(MentorProfile).where(MentorProfile.member_id == ids["OneOffered"])
                           .values(last_offered_at=utcnow()))
        found = matching.candidates(request_for(asker, topics=["alcohol", "grief"]))
        assert _handles(found, ids) == ["Two", "OneFree", "OneOffered", "OneBusy"]
        assert found[0].shared_topics == ["alcohol", "grief"] and found[1].shared_topics == ["alcohol"]


def test_a_low_fit_lowers_a_mentor_slightly_but_never_excludes(app):
    with app.app_context():
        ids = add_mentors([{"handle": "LowFit", "topics": ["alcohol", "grief"]},
                           {"handle": "NoRatings", "topics": ["alcohol", "grief"]},
                           {"handle": "OneTopic", "topics": ["alcohol"]}])
        asker, mentee = add_members(["Asker", "Mentee"]).values()
        pair = _pair(ids["LowFit"], mentee, ended=True)
        db.session.add_all([MentoringSession(pair_id=pair.id, fit="not_for_me"),
                            MentoringSession(pair_id=pair.id, fit="not_for_me"),
                            MentoringSession(pair_id=pair.id, fit="helpful")])
        db.session.flush()
        # LowFit ranks below an equal mentor, but still above one sharing fewer topics.
        found = matching.candidates(request_for(asker, topics=["alcohol", "grief"]))
        assert _handles(found, ids) == ["NoRatings", "LowFit", "OneTopic"]


def test_candidates_are_one_query_however_many_mentors(app):
    with app.app_context():
        add_mentors([{"handle": f"Many{i}", "topics": ["alcohol", "grief"]} for i in range(60)])
        asker = add_members(["Asker"])["Asker"]
        request = request_for(asker, topics=["alcohol", "grief", "anxiety"])
        statements = []

        def count(*_):
            statements.append(1)
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            found = matching.candidates(request, limit=10)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        assert len(found) == 10 and len(statements) == 1


# ---- 200 mentors, 1,000 requests ---------------------------------------------------------
# Fairness measure, stated: for mentors who are interchangeable for the requests (same topics
# and language), the spread of offers, max - min offers per mentor, is at most 1 (round
# robin). With mentors offering different topics, a mentor is only offered what they offer,
# so we measure the Gini coefficient of offers across all mentors and hold it under 0.35, and
# nobody eligible is left with no offer at all.

def _gini(values):
    values = sorted(values)
    n, total = len(values), sum(values)
    return sum((2 * i - n + 1) * v for i, v in enumerate(values)) / (n * total)


def _run(app, specs, requests_specs, end_after):
    """Match each request to its top candidate, who accepts; the pair made `end_after`
    requests earlier ends (so pairs come and go). Returns (offers per mentor, worst load
    seen against cap, unmatched requests, seconds per candidates() call)."""
    ids = add_mentors(specs)
    mentees = add_members([f"Mentee{i}" for i in range(len(requests_specs))])
    caps = dict(db.session.execute(select(MentorProfile.member_id, MentorProfile.cap)).all())
    load = dict.fromkeys(ids.values(), 0)
    offers = dict.fromkeys(ids.values(), 0)
    pairs, unmatched, worst, timings = [], 0, 0, []
    for i, (topics, language) in enumerate(requests_specs):
        request = request_for(mentees[f"Mentee{i}"], topics, language)
        started = time.perf_counter()
        found = matching.candidates(request, limit=1)
        timings.append(time.perf_counter() - started)
        if not found:
            unmatched += 1
        else:
            mentor_id = found[0].member_id
            assert requests.offer(request, mentor_id)
            offers[mentor_id] += 1
            pair = _pair(mentor_id, request.member_id)
            pairs.append(pair)
            load[mentor_id] += 1
            worst = max(worst, load[mentor_id] - caps[mentor_id])
        if end_after and len(pairs) > end_after:
            ended = pairs.pop(0)
            ended.ended_at = utcnow()
            load[ended.mentor_id] -= 1
        if i % 100 == 99:
            db.session.commit()
    db.session.commit()
    # What the database holds agrees with what we counted: nobody over their cap.
    over = db.session.scalar(select(func.count()).select_from(MentorProfile).where(MentorProfile.cap < (
        select(func.count()).where(MentoringPair.mentor_id == MentorProfile.member_id,
                                   MentoringPair.ended_at.is_(None)).scalar_subquery())))
    assert over == 0
    return offers, worst, unmatched, sorted(timings)


def test_200_interchangeable_mentors_1000_requests_round_robin(app):
    with app.app_context():
        specs = [{"handle": f"Same{i}", "topics": ["alcohol", "anxiety"], "languages": ["en"]} for i in range(200)]
        offers, worst, unmatched, timings = _run(app, specs, [(["alcohol"], "en")] * 1000, end_after=450)
        assert worst <= 0 and unmatched == 0
        assert max(offers.values()) - min(offers.values()) <= 1  # 1,000 offers over 200: 5 each
        print(f"\ncandidates(): p50 {timings[len(timings) // 2] * 1000:.2f} ms, "
              f"p99 {timings[int(len(timings) * .99)] * 1000:.2f} ms")


def test_200_varied_mentors_1000_requests_none_over_cap_and_spread(app):
    rng = random.Random(15)
    topics = list(MENTOR_TOPICS)
    specs = [{"handle": f"Varied{i}", "topics": rng.sample(topics, rng.randint(3, 6)),
              "languages": ["en"] + rng.sample(["es", "fr", "de"], rng.randint(0, 1)), "cap": rng.choice([2, 3, 3, 4])}
             for i in range(200)]
    wanted = [(rng.sample(topics, rng.randint(1, 2)), "en" if rng.random() < .9 else rng.choice(["es", "fr", "de"]))
              for _ in range(1000)]
    with app.app_context():
        # More requests at once than there is room for (no pair ends): many reach the caps.
        offers, worst, unmatched, _ = _run(app, specs, wanted, end_after=None)
        assert worst <= 0  # never over cap, even when demand passes capacity
        assert unmatched > 0  # ... which it did: the rest would go to moderators
        assert min(offers.values()) >= 1  # every mentor was offered something
        # Loads spread: everyone offered until their cap, so offers ~ caps, Gini small.
        assert _gini(list(offers.values())) < 0.35
    with app.app_context():
        db.session.rollback()


def test_the_sweep_pass_is_registered(app):
    with app.app_context():
        assert "mentoring requests" in app.extensions["sweep_passes"]
        assert timedelta(minutes=requests.offer_minutes()) <= timedelta(minutes=requests.target_minutes())
