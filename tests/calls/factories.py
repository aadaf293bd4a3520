"""Factories for open calls, submissions and shortlists (other features import them from here)."""
from __future__ import annotations

import io
from types import SimpleNamespace

from casting.extensions import db
from tests.factories import (
    make_company, make_open_call, make_production, make_role, make_shortlist_entry, make_submission, make_talent,
    make_user, pdf_bytes, png_bytes,
)


def calls_world(*, verified: bool = True, published: bool = True) -> SimpleNamespace:
    """A production with two roles and an open call for them, its members, an outsider, and two talent."""
    admin = make_user("admin", name="Ada Admin")
    cd = make_user("casting_director", name="Cara Director")
    producer = make_user("producer", name="Pat Producer")
    other_cd = make_user("casting_director", name="Otto Other")
    company = make_company(cd, verified_by=admin if verified else None)
    production = make_production(cd, company, members={producer: "producer"})
    role = make_role(production, name="Maya")
    role2 = make_role(production, name="Father")
    other_production = make_production(other_cd)
    other_role = make_role(other_production, name="Elsewhere")
    talent_user = make_user("talent", name="Talia Able")
    talent2_user = make_user("talent", name="Tom Baker")
    call = make_open_call(production, [role, role2], published=published)
    db.session.flush()
    return SimpleNamespace(
        admin=admin, cd=cd, producer=producer, other_cd=other_cd, company=company, production=production, role=role,
        role2=role2, other_production=other_production, other_role=other_role, talent_user=talent_user,
        talent=make_talent(user=talent_user), talent2_user=talent2_user, talent2=make_talent(user=talent2_user),
        call=call,
    )


def make_shortlisted(world, talent=None, role=None, note: str = ""):
    """A submission by ``talent`` to ``role`` of the world's call, and its shortlist entry."""
    talent, role = talent or world.talent, role or world.role
    sub = make_submission(world.call, role, talent)
    return make_shortlist_entry(role, talent, by=world.cd, note=note, submission=sub)


def upload(data: bytes, name: str):
    """A file tuple for a multipart test request."""
    return io.BytesIO(data), name


def headshot_file(name: str = "headshot.png"):
    return upload(png_bytes(), name)


def resume_file(name: str = "resume.pdf"):
    return upload(pdf_bytes("Talia Able - credits: The Tide Line (2025)"), name)


def post_multipart(client, url: str, data: dict, **kwargs):
    """POST a multipart form; closes the request body, which Werkzeug's test client spools to a temporary
    file above 500 KB and never closes (an unclosed-file warning, an error under filterwarnings=error)."""
    resp = client.post(url, data=data, content_type="multipart/form-data", **kwargs)
    resp.request.environ["wsgi.input"].close()
    return resp
