"""Pages: a talent's own profile, a talent seen by staff, casting directors adding talent (and the claim)."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from casting.accounts.models import User
from casting.extensions import db
from casting.talent.models import TalentProfile
from tests.calls.factories import calls_world, make_shortlisted
from tests.conftest import count, login, read_outbox
from tests.factories import make_submission, make_talent, make_user

SENSITIVE = ("ethnicity", "religion", "marital", "pregnan", "disabilit", "orientation")


def inputs(html: str) -> list[str]:
    return re.findall(r'name="([a-z_]+)"', html)


def test_own_profile_never_asks_sensitive_questions_and_explains_date_of_birth(client, app):
    w = calls_world()
    make_submission(w.call, w.role, w.talent)
    db.session.commit()
    login(client, w.talent_user)
    html = client.get("/me/profile").get_data(as_text=True)
    assert not [name for name in inputs(html) if any(s in name for s in SENSITIVE)]
    assert "used only to safeguard minors" in html and "We never ask for ethnicity" in html
    assert "date_of_birth" in inputs(html) and "guardian_name" in inputs(html)
    assert "My submissions" in html and "Maya" in html and w.production.title in html


def test_talent_edits_their_profile(client, app):
    w = calls_world()
    db.session.commit()
    login(client, w.talent_user)
    resp = client.post("/me/profile", data={"legal_name": "Talia Able-Smith", "professional_name": "Talia Able",
                                            "agent": "Lumen Artists", "date_of_birth": "1996-05-04"})
    assert resp.status_code == 302
    db.session.expire_all()
    profile = db.session.get(TalentProfile, w.talent.id)
    assert (profile.legal_name, profile.agent, profile.date_of_birth) == ("Talia Able-Smith", "Lumen Artists",
                                                                         date(1996, 5, 4))


@pytest.mark.parametrize("data,message", [
    ({"legal_name": ""}, "This field is required"),
    ({"legal_name": "Kid", "date_of_birth": "MINOR"}, "need a guardian"),
    ({"legal_name": "Kid", "date_of_birth": "2099-01-01"}, "Cannot be in the future"),
    ({"legal_name": "Kid", "date_of_birth": "01/02/2003"}, "Not a valid date"),
    ({"legal_name": "Kid", "guardian_email": "not-an-email"}, "Invalid email"),
])
def test_bad_profile_edits_are_422_and_change_nothing(client, app, data, message):
    w = calls_world()
    db.session.commit()
    login(client, w.talent_user)
    if data.get("date_of_birth") == "MINOR":
        data["date_of_birth"] = (date.today() - timedelta(days=16 * 365)).isoformat()
    resp = client.post("/me/profile", data=data)
    assert resp.status_code == 422
    assert message in resp.get_data(as_text=True)
    db.session.expire_all()
    profile = db.session.get(TalentProfile, w.talent.id)
    assert profile.legal_name == "Talia Able" and profile.date_of_birth is None


def test_a_minor_with_a_guardian_is_saved(client, app):
    w = calls_world()
    db.session.commit()
    login(client, w.talent_user)
    dob = (date.today() - timedelta(days=16 * 365)).isoformat()
    resp = client.post("/me/profile", data={"legal_name": "Talia Able", "date_of_birth": dob,
                                            "guardian_name": "Rae Able", "guardian_email": "rae@example.com"})
    assert resp.status_code == 302
    assert db.session.get(TalentProfile, w.talent.id).guardian_email == "rae@example.com"


def test_staff_have_no_own_profile(client, app):
    login(client, make_user("casting_director"))
    db.session.commit()
    assert client.get("/me/profile").status_code == 403
    assert client.application.test_client().get("/me/profile").status_code == 302


def test_detail_shows_what_the_viewer_may_see(client, app):
    w = calls_world()
    make_shortlisted(w, w.talent, note="Strong reader")
    db.session.commit()
    login(client, w.producer)
    html = client.get(f"/talent/{w.talent.id}").get_data(as_text=True)
    assert "Maya" in html and "Strong reader" in html and w.talent.email in html
    for outsider in (w.other_cd, w.talent2_user):
        login(client, outsider)
        assert client.get(f"/talent/{w.talent.id}").status_code == 404
    login(client, w.talent_user)
    assert client.get(f"/talent/{w.talent.id}").headers["Location"].endswith("/me/profile")
    login(client, w.cd)
    assert client.get("/talent/999999").status_code == 404


def add_form(**over):
    data = {"legal_name": "Noor Haddad", "professional_name": "Noor H", "email": "noor@example.com",
            "agent": "Lumen Artists"}
    data.update(over)
    return data


def test_casting_director_adds_talent_who_claims_it_through_the_emailed_link(client, app, outbox):
    w = calls_world()
    db.session.commit()
    login(client, w.cd)
    form = client.get("/talent/new").get_data(as_text=True)
    assert not [name for name in inputs(form) if any(s in name for s in SENSITIVE)]
    resp = client.post("/talent/new", data=add_form())
    assert resp.status_code == 302
    profile = db.session.scalar(sa.select(TalentProfile).where(TalentProfile.email == "noor@example.com"))
    assert resp.headers["Location"].endswith(f"/talent/{profile.id}")
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "emailed noor@example.com a one-time link" in page and "has not claimed the profile yet" in page
    assert "Noor H" in client.get("/talent").get_data(as_text=True)
    [mail] = read_outbox(outbox)
    link = re.search(r"http://callback\.test(/claim/\S+)", mail.get_body(("plain",)).get_content()).group(1)
    anonymous = client.application.test_client()
    assert "Noor Haddad" in anonymous.get(link).get_data(as_text=True)
    claimed = anonymous.post(link, data={"password": "a long enough password", "confirm": "a long enough password"})
    assert claimed.status_code == 302
    user = db.session.scalar(sa.select(User).where(User.email == "noor@example.com"))
    assert user.role == "talent" and user.talent_profile.id == profile.id
    assert anonymous.get(link).status_code == 404
    assert "Noor Haddad" in anonymous.get("/me/profile").get_data(as_text=True)


@pytest.mark.parametrize("over,status,message", [
    ({"legal_name": ""}, 422, "This field is required"),
    ({"email": "nope"}, 422, "Invalid email"),
    ({"date_of_birth": "MINOR"}, 422, "need a guardian"),
    ({"date_of_birth": "soon"}, 422, "Not a valid date"),
    ({"email": "EXISTING"}, 409, "already exists"),
])
def test_bad_add_talent_forms_change_nothing(client, app, outbox, over, status, message):
    cd = make_user("casting_director")
    existing = make_talent(legal_name="Already Here")
    db.session.commit()
    over = {k: {"MINOR": (date.today() - timedelta(days=10 * 365)).isoformat(), "EXISTING": existing.email}.get(v, v)
            for k, v in over.items()}
    login(client, cd)
    resp = client.post("/talent/new", data=add_form(**over))
    assert resp.status_code == status
    assert message in resp.get_data(as_text=True)
    assert count(TalentProfile) == 1 and read_outbox(outbox) == []


@pytest.mark.parametrize("role", ["producer", "talent", "admin"])
def test_only_casting_directors_add_talent(client, app, role):
    login(client, make_user(role))
    db.session.commit()
    assert client.get("/talent/new").status_code == 403
    assert client.post("/talent/new", data=add_form()).status_code == 403
    assert count(TalentProfile) == (1 if role == "talent" else 0)


def test_talent_list_is_what_the_viewer_may_see(client, app):
    w = calls_world()
    make_submission(w.call, w.role, w.talent)
    make_talent(created_by=w.other_cd, legal_name="Otto's Find")
    db.session.commit()
    login(client, w.producer)
    html = client.get("/talent").get_data(as_text=True)
    assert w.talent.display_name in html and "Tom Baker" not in html and "Otto" not in html
    login(client, w.other_cd)
    html = client.get("/talent?q=otto").get_data(as_text=True)
    assert "Otto&#39;s Find" in html and w.talent.display_name not in html
    login(client, w.admin)
    assert "Tom Baker" in client.get("/talent").get_data(as_text=True)
    login(client, w.talent_user)
    assert client.get("/talent").status_code == 403
