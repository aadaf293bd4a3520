"""The talent's reusable profile (issue 11 item 3): what casting offices search and read, and its media.

Headshots (several, one primary), a résumé (PDF), a reel and self-tape links, skills, unions, location,
playing age, pronouns, a short bio, and access needs (private: talent/access.py decides who reads what).
Submissions take their headshot and résumé from here (calls/services.py).
"""
from __future__ import annotations

import io
import re

import sqlalchemy as sa

from casting.audit import services as audit
from casting.core.blobs import store_blob
from casting.core.errors import InvalidState, NotFound, UnsupportedMediaType, ValidationError
from casting.core.uploads import Upload
from casting.extensions import db
from casting.talent.models import MediaVisibility, TalentHeadshot, TalentProfile, TalentSkill, TalentUnion

# Most characters per field, and most items per list: the forms and the API specs take their limits here.
PROFILE_LIMITS = {"location": 200, "pronouns": 50, "reel_url": 500, "bio": 2000, "access_needs": 2000,
                  "skill": 60, "union": 60, "self_tape_url": 500}
LIST_LIMITS = {"skills": 30, "unions": 10, "self_tape_urls": 5}
PLAYING_AGE_RANGE = (0, 120)
MAX_HEADSHOTS = 10
HEADSHOT_TYPES = ("image/jpeg", "image/png")
THUMB_SIZE = (320, 400)  # twice the grid's card, for sharp phones
TEXT_FIELDS = ("professional_name", "location", "pronouns", "reel_url", "bio", "access_needs")
URL_RE = re.compile(r"^https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?$", re.IGNORECASE)
PROFILE_FIELDS = (*TEXT_FIELDS, "skills", "unions", "playing_age_min", "playing_age_max", "self_tape_urls",
                  "resume_visibility", "reel_visibility")


def normalised_key(text: str) -> str:
    """The searchable form of a skill, union or location: lower case, single spaces."""
    return " ".join((text or "").split()).casefold()


def _url_error(value: str, limit: int) -> str | None:
    if len(value) > limit:
        return f"At most {limit} characters."
    if not URL_RE.match(value):
        return "Give a full link starting with https:// (or http://)."
    return None


def _clean_list(name: str, values, item_limit: int, errors: dict) -> list[str] | None:
    """Labels without blanks or case-insensitive repeats, in the talent's order; errors under ``name``."""
    if values is None:
        return []
    if isinstance(values, str):
        values = values.split(",")
    if not isinstance(values, (list, tuple)) or any(not isinstance(v, str) for v in values):
        errors[name] = ["Must be a list of words or short phrases."]
        return None
    out, seen = [], set()
    for raw in values:
        label = " ".join(raw.split())
        if not label or normalised_key(label) in seen:
            continue
        if len(label) > item_limit:
            errors[name] = [f"Each one at most {item_limit} characters."]
            return None
        seen.add(normalised_key(label))
        out.append(label)
    if len(out) > LIST_LIMITS[name]:
        errors[name] = [f"At most {LIST_LIMITS[name]}."]
        return None
    return out


def _validate(profile: TalentProfile, fields: dict) -> dict:
    """The clean values of ``fields`` (only those given), or a 422 naming every bad one."""
    errors: dict[str, list[str]] = {}
    out: dict = {}
    for name in TEXT_FIELDS:
        if name not in fields:
            continue
        value = fields[name]
        if value is not None and not isinstance(value, str):
            errors[name] = ["Must be text."]
            continue
        value = (value or "").strip() or None
        limit = PROFILE_LIMITS.get(name) or 200
        if value and name == "reel_url":
            if message := _url_error(value, limit):
                errors[name] = [message]
        elif value and len(value) > limit:
            errors[name] = [f"At most {limit} characters."]
        out[name] = value
    for name, item in (("skills", "skill"), ("unions", "union")):
        if name in fields:
            cleaned = _clean_list(name, fields[name], PROFILE_LIMITS[item], errors)
            if cleaned is not None:
                out[name] = cleaned
    if "self_tape_urls" in fields:
        urls = _clean_list("self_tape_urls", fields["self_tape_urls"], PROFILE_LIMITS["self_tape_url"], errors)
        bad = [u for u in urls or [] if _url_error(u, PROFILE_LIMITS["self_tape_url"])]
        if bad:
            errors["self_tape_urls"] = ["Each link must start with https:// (or http://)."]
        elif urls is not None:
            out["self_tape_urls"] = urls
    low, high = PLAYING_AGE_RANGE
    for name in ("playing_age_min", "playing_age_max"):
        if name in fields:
            value = fields[name]
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high):
                errors[name] = [f"Must be a whole number from {low} to {high}."]
            else:
                out[name] = value
    for name in ("resume_visibility", "reel_visibility"):
        if name in fields:
            if fields[name] not in set(MediaVisibility):
                errors[name] = [f"Must be one of: {', '.join(MediaVisibility)}."]
            else:
                out[name] = MediaVisibility(fields[name]).value
    if not errors:
        age_min = out.get("playing_age_min", profile.playing_age_min)
        age_max = out.get("playing_age_max", profile.playing_age_max)
        if age_min is not None and age_max is not None and age_min > age_max:
            errors["playing_age_max"] = ["Must not be under the youngest playing age."]
    if errors:
        raise ValidationError(errors)
    return out


def _set_labels(profile: TalentProfile, relation: str, model, labels: list[str]) -> None:
    """Replace the rows of ``relation`` by ``labels``, keeping rows whose key stays (so no key is deleted and
    re-inserted in one flush)."""
    rows = getattr(profile, relation)
    wanted = {normalised_key(label): label for label in labels}
    for row in list(rows):
        if row.key not in wanted:
            rows.remove(row)
        else:
            row.label = wanted.pop(row.key)
    for key, label in wanted.items():
        rows.append(model(key=key, label=label))


def update_profile_details(profile: TalentProfile, *, actor, **fields) -> TalentProfile:
    """The talent edits the searchable part of their profile (the fields given; the others stay)."""
    if actor is None or profile.user_id != actor.id:
        raise NotFound()
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValidationError({name: ["Unknown field."] for name in sorted(unknown)})
    values = _validate(profile, fields)
    changed = []
    for name, value in values.items():
        if name == "skills":
            if [s.label for s in profile.skills] != value:
                _set_labels(profile, "skills", TalentSkill, value)
                changed.append(name)
        elif name == "unions":
            if [u.label for u in profile.unions] != value:
                _set_labels(profile, "unions", TalentUnion, value)
                changed.append(name)
        elif getattr(profile, name) != value:
            setattr(profile, name, value)
            changed.append(name)
    if "location" in values:
        profile.location_key = normalised_key(profile.location) if profile.location else None
    if changed:
        db.session.flush()
        # Values stay out of the log (access needs are private); the names of the fields changed are kept.
        audit.record("talent.profile_updated", profile, actor=actor, data={"changed": sorted(changed)})
    return profile


def _own(profile: TalentProfile, actor) -> None:
    if actor is None or profile.user_id != actor.id:
        raise NotFound()


def add_headshot(profile: TalentProfile, upload: Upload, *, actor) -> TalentHeadshot:
    """Add a headshot (a checked JPEG or PNG); the first one becomes the primary."""
    _own(profile, actor)
    if upload.content_type not in HEADSHOT_TYPES:
        raise UnsupportedMediaType("A headshot must be a JPEG or PNG image.")
    if len(profile.headshots) >= MAX_HEADSHOTS:
        raise InvalidState(f"You have {MAX_HEADSHOTS} headshots already: delete one first.", entity=profile)
    blob = store_blob(upload.data, upload.content_type)
    thumb = store_blob(thumbnail(upload.data), "image/jpeg")
    headshot = TalentHeadshot(sha256=blob.sha256, content_type=upload.content_type, thumb_sha256=thumb.sha256,
                              is_primary=profile.primary_headshot is None)
    profile.headshots.append(headshot)
    db.session.flush()
    audit.record("talent.headshot_added", profile, actor=actor,
                 data={"headshot_id": headshot.id, "sha256": blob.sha256, "primary": headshot.is_primary})
    return headshot


def thumbnail(data: bytes) -> bytes:
    """A JPEG of at most THUMB_SIZE from a checked image (core/uploads.py bounded its pixels; a JPEG is decoded
    at a reduced scale straight away)."""
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as img:
        img.draft("RGB", (THUMB_SIZE[0] * 2, THUMB_SIZE[1] * 2))
        small = ImageOps.exif_transpose(img)
        small.thumbnail(THUMB_SIZE, Image.Resampling.LANCZOS)
        if small.mode != "RGB":
            small = small.convert("RGB")
        out = io.BytesIO()
        small.save(out, "JPEG", quality=82, optimize=True)
        return out.getvalue()


def _headshot(profile: TalentProfile, headshot_id: int) -> TalentHeadshot:
    headshot = next((h for h in profile.headshots if h.id == headshot_id), None)
    if headshot is None:
        raise NotFound()
    return headshot


def set_primary_headshot(profile: TalentProfile, headshot_id: int, *, actor) -> TalentHeadshot:
    """Make one of the talent's headshots the primary one (the one submissions and searches show)."""
    _own(profile, actor)
    headshot = _headshot(profile, headshot_id)
    for other in profile.headshots:
        other.is_primary = other is headshot
    db.session.flush()
    audit.record("talent.headshot_primary", profile, actor=actor, data={"headshot_id": headshot.id})
    return headshot


def delete_headshot(profile: TalentProfile, headshot_id: int, *, actor) -> None:
    """Delete a headshot; when it was the primary, the oldest left becomes primary. Submissions already sent
    keep the copy they were sent with."""
    _own(profile, actor)
    headshot = _headshot(profile, headshot_id)
    was_primary = headshot.is_primary
    profile.headshots.remove(headshot)
    if was_primary and profile.headshots:
        min(profile.headshots, key=lambda h: h.id).is_primary = True
    db.session.flush()
    audit.record("talent.headshot_deleted", profile, actor=actor,
                 data={"headshot_id": headshot_id, "primary": was_primary})


def set_resume(profile: TalentProfile, upload: Upload, *, actor) -> TalentProfile:
    """Store the talent's résumé (a checked PDF), replacing any earlier one."""
    _own(profile, actor)
    if upload.content_type != "application/pdf":
        raise UnsupportedMediaType("A résumé must be a PDF.")
    blob = store_blob(upload.data, upload.content_type)
    profile.resume_sha256, profile.resume_filename = blob.sha256, upload.filename
    db.session.flush()
    audit.record("talent.resume_uploaded", profile, actor=actor, data={"sha256": blob.sha256, "size": blob.size})
    return profile


def delete_resume(profile: TalentProfile, *, actor) -> None:
    """Remove the talent's résumé from the profile (submissions sent with it keep their copy)."""
    _own(profile, actor)
    if profile.resume_sha256 is None:
        raise InvalidState("There is no résumé on your profile.", entity=profile)
    profile.resume_sha256 = profile.resume_filename = None
    db.session.flush()
    audit.record("talent.resume_deleted", profile, actor=actor)


def submission_media(profile: TalentProfile) -> tuple[str | None, str | None]:
    """(headshot, résumé) blob hashes an application takes from the profile when none is uploaded with it."""
    headshot_sha = db.session.scalar(sa.select(TalentHeadshot.sha256).where(
        TalentHeadshot.talent_id == profile.id, TalentHeadshot.is_primary.is_(True)).limit(1))
    return headshot_sha, profile.resume_sha256
