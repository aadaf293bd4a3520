"""The documents API's operations, for the OpenAPI description (core/openapi.py)."""
from __future__ import annotations

from casting.core import openapi as oa

DOCUMENT = oa.schema("Document", oa.obj({
    "id": oa.ident(), "kind": oa.string(), "serial": oa.string(), "verification_code": oa.string(),
    "sha256": oa.nullable(oa.string()), "status": oa.string(), "issued_at": oa.datetime_(),  # null while pending
    "signed_at": oa.nullable(oa.datetime_()), "recipient_talent_id": oa.nullable(oa.ident()),
    "title": oa.string(), "version": oa.integer(minimum=1), "production_id": oa.nullable(oa.ident()),
    "invitation_id": oa.nullable(oa.ident()), "proposal_id": oa.nullable(oa.ident()),
    "supersedes_id": oa.nullable(oa.ident()), "signed_from_id": oa.nullable(oa.ident()),
    "signed_document_id": oa.nullable(oa.ident()), "first_viewed_at": oa.nullable(oa.datetime_()),
    "awaiting": oa.array(oa.string(enum=["talent", "guardian"])), "voided_at": oa.nullable(oa.datetime_()),
    "pdf_url": oa.string(),
}))
VERIFICATION = oa.schema("Verification", oa.obj({
    "status": oa.string(), "kind": oa.string(), "kind_title": oa.string(), "issuer": oa.string(),
    "issuer_registration_number": oa.string(), "issuer_verified": oa.boolean(), "production": oa.string(),
    "issued_at": oa.datetime_(), "recipient_initials": oa.string(), "sha256": oa.nullable(oa.string()), "serial": oa.string(),
    "version": oa.integer(minimum=1), "signed_copy": oa.boolean(), "signed_at": oa.nullable(oa.datetime_()),
    "voided_at": oa.nullable(oa.datetime_()), "superseded_by_version": oa.nullable(oa.integer()),
    # A callback confirmation only: the talent's own slot, the venue and the role, to compare with the letter.
    "session": oa.obj({"starts_at": oa.datetime_(), "ends_at": oa.datetime_(), "venue_name": oa.string(),
                       "venue_address": oa.string(), "timezone": oa.string()}),
    "role": oa.string(),
}, optional=("session", "role")))
# The view reads these two itself (documents.services.sign_document checks them).
SIGN_BODY = {"type": "object", "required": ["full_name", "agree"],
             "properties": {"full_name": oa.string(description="The recipient's legal name (the guardian's, for a "
                                                               "guardian consent)."),
                            "agree": {"const": True}}}
RATE_LIMITED = {429: ("rate_limited",)}
SIGNATURE = oa.schema("SignatureCheck", oa.obj({
    "present": oa.boolean(), "intact": oa.boolean(), "ours": oa.boolean(), "valid": oa.boolean(),
}))

oa.declare("documents_api", "Documents", {
    "mine": oa.Operation(
        "The calling talent's documents",
        "Every document issued to the calling talent, newest first, paginated; 404 for an account without a "
        "talent profile.",
        {200: oa.page(DOCUMENT)}, paginated=True, not_found=True),
    "get": oa.Operation(
        "One document",
        "The recipient, the production's members and admins see a document; 404 for anyone else.",
        {200: DOCUMENT}),
    "pdf": oa.Operation(
        "A document's PDF",
        "The exact issued bytes (their SHA-256 is the document's `sha256`). A read by the recipient is recorded "
        "as a view, which signing needs. A document whose PDF is still being rendered (status `pending`) is 409 "
        "invalid_state.",
        {200: oa.Binary(("application/pdf",), "The PDF bytes.")}, errors={409: ("invalid_state",)}),
    "sign": oa.Operation(
        "Sign a document",
        "The recipient (or, for a guardian consent, the guardian) signs with their legal name and `agree: true`; "
        "not opened yet is 409 not_viewed; a name that is not the recipient's legal name is 422. Signing an offer "
        "accepts it. A minor's document may answer `awaiting_guardian`.",
        {200: oa.obj({"status": oa.string(enum=["signed", "awaiting_guardian"]),
                      "signed_document_id": oa.nullable(oa.ident())})},
        body_schema=SIGN_BODY, errors={409: ("not_viewed", "invalid_state")}),
    "verify_code": oa.Operation(
        "Verify a letter by its code (public)",
        "Anyone may check a verification code: what was issued, by whom, to whose initials, and its status; for a "
        "callback confirmation also `session` (the talent's own slot start and end, the venue's name, address "
        "and timezone) and `role`, to compare with the letter. "
        "Unknown codes are 404 with `details.status: unknown`.",
        {200: VERIFICATION}, errors=RATE_LIMITED),
    "verify_upload": oa.Operation(
        "Verify a PDF by its bytes (public)",
        "multipart/form-data with the PDF `file`: whether those exact bytes were issued here, and, when the file "
        "carries a digital signature, `signature`: whether it is unchanged since signing (`intact`) and made "
        "with the certificate of `GET /verify/certificate` (`ours`); `valid` is all of them with nothing added "
        "after signing. A file with no signature has no `signature`.",
        {200: oa.obj({"match": oa.boolean(), "document": VERIFICATION, "signature": SIGNATURE},
                     optional=("document", "signature"))},
        upload=oa.Upload({"file": "application/pdf"}, required=("file",)), errors=RATE_LIMITED),
    "certificate": oa.Operation(
        "The installation's signing certificate (public)",
        "The X.509 certificate (PEM) whose key signs every PDF issued here (PAdES B-B): check a letter's "
        "signature offline with it.",
        {200: oa.Binary(("application/x-pem-file",), "The certificate, PEM.")}),
}, description="Issued documents, signing, and public verification of letters.")
