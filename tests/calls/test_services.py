"""Service rules called directly (as the CLI and other features do), without HTTP."""
from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from casting.calls import services, shortlists
from casting.calls.models import OpenCall, ShortlistEntry, Submission
from casting.core.db import utcnow
from casting.core.errors import Duplicate, Forbidden, InvalidState, NotFound, ValidationError
from casting.core.uploads import Upload
from casting.extensions import db
from casting.talent import services as talent_services
from tests.calls.factories import calls_world
from tests.factories import make_shortlist_entry, make_submission, make_talent, png_bytes


def test_closing_time_must_be_aware_and_in_the_future(app):
    w = calls_world()
    for closes_at, message in ((datetime(2031, 1, 1, 10), "timezone"), (utcnow() - timedelta(seconds=1), "future")):
        with pytest.raises(ValidationError) as exc:
            services.create_open_call(w.production, actor=w.cd, title="Call", role_ids=[w.role.id],
                                      closes_at=closes_at)
        assert message in exc.value.fields["closes_at"][0]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OpenCall)) == 1


def test_draft_roles_are_sorted_and_deduplicated(app):
    w = calls_world()
    call = services.create_open_call(w.production, actor=w.cd, title="  Call  ", role_ids=[w.role2.id, w.role.id,
                                     w.role2.id], closes_at=utcnow() + timedelta(days=3))
    assert call.title == "Call" and [r.id for r in call.roles] == [w.role.id, w.role2.id]


def test_cast_roles_are_refused_in_calls_and_submissions(app):
    w = calls_world()
    w.role2.status = "cast"
    with pytest.raises(ValidationError, match="already cast"):
        services.create_open_call(w.production, actor=w.cd, title="Call", role_ids=[w.role2.id],
                                  closes_at=utcnow() + timedelta(days=3))
    with pytest.raises(InvalidState, match="has been cast"):
        services.submit(w.call, actor=w.talent_user, role_id=w.role2.id)


def test_submit_rules(app):
    w = calls_world()
    image = Upload(png_bytes(), "image/png", "me.png")
    with pytest.raises(Forbidden):
        services.submit(w.call, actor=w.cd, role_id=w.role.id)
    with pytest.raises(ValidationError) as exc:
        services.submit(w.call, actor=w.talent_user, role_id=w.role.id, headshot=Upload(b"%PDF", "application/pdf", "x"))
    assert "headshot" in exc.value.fields
    with pytest.raises(ValidationError) as exc:
        services.submit(w.call, actor=w.talent_user, role_id=w.role.id, resume=image)
    assert "resume" in exc.value.fields
    sub = services.submit(w.call, actor=w.talent_user, role_id=w.role.id, headshot=image, note="  hi  ")
    assert sub.note == "hi" and sub.headshot_sha256
    with pytest.raises(Duplicate):
        services.submit(w.call, actor=w.talent_user, role_id=w.role.id)
    w.call.status = "draft"
    with pytest.raises(NotFound):
        services.submit(w.call, actor=w.talent2_user, role_id=w.role.id)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Submission)) == 1


def test_ranks_stay_contiguous_through_any_sequence_of_moves_and_removals(app):
    w = calls_world()
    people = [make_talent(created_by=w.cd) for _ in range(7)]
    for t in people:
        shortlists.add(w.role, actor=w.cd, talent_id=t.id)
    rng = random.Random(7)
    for step in range(40):
        current = shortlists.entries(w.role)
        entry = rng.choice(current)
        if step % 9 == 8 and len(current) > 2:
            shortlists.remove(entry, actor=w.cd)
        else:
            target = rng.randint(1, len(current))
            shortlists.update(entry, actor=w.cd, rank=target)
            assert entry.rank == target
        assert [e.rank for e in shortlists.entries(w.role)] == list(range(1, len(shortlists.entries(w.role)) + 1))
    assert len(shortlists.entries(w.role)) == 7 - 4


def test_shortlists_of_different_roles_rank_separately(app):
    w = calls_world()
    make_submission(w.call, w.role, w.talent)
    make_submission(w.call, w.role2, w.talent)
    a = shortlists.add(w.role, actor=w.cd, talent_id=w.talent.id)
    b = shortlists.add(w.role2, actor=w.cd, talent_id=w.talent.id)
    assert (a.rank, b.rank) == (1, 1)
    shortlists.remove(a, actor=w.cd)
    db.session.expire_all()
    assert db.session.get(ShortlistEntry, b.id).rank == 1


def test_candidates_are_applicants_and_own_additions_only(app):
    w = calls_world()
    make_submission(w.call, w.role2, w.talent)           # applied to another role of the production
    mine = make_talent(created_by=w.cd, legal_name="Aaron Added")
    make_talent(created_by=w.other_cd, legal_name="Zed Elsewhere")
    names = [t.legal_name for t in shortlists.candidate_talent(w.role, w.cd)]
    assert names == ["Aaron Added", w.talent.legal_name]
    assert [t.legal_name for t in shortlists.candidate_talent(w.role, w.producer)] == [w.talent.legal_name]
    assert mine.created_by_id == w.cd.id


def test_staff_talent_list_and_history(app):
    w = calls_world()
    sub = make_submission(w.call, w.role, w.talent)
    make_shortlist_entry(w.role, w.talent, by=w.cd, submission=sub)
    other_call_talent = make_talent(legal_name="Olive Other")
    other_call = calls_world()
    make_submission(other_call.call, other_call.role, other_call_talent)

    def listed(user, q=""):
        return [t.legal_name for t in db.session.scalars(talent_services.visible_talent_query(user, q))]

    assert w.talent.legal_name in listed(w.producer) and "Olive Other" not in listed(w.producer)
    assert "Olive Other" in listed(w.admin) and listed(w.producer, "zzz") == []
    with pytest.raises(Forbidden):
        talent_services.visible_talent_query(w.talent_user)
    subs, entries = services.talent_history(w.talent, w.producer)
    assert [s.id for s in subs] == [sub.id] and [e.rank for e in entries] == [1]
    assert services.talent_history(w.talent, w.other_cd) == ([], [])
