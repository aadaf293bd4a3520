"""Matrix rows for safety: reporting a concern, the admins' queue, suspending and reinstating a production."""
from __future__ import annotations

from tests.access.matrix import Row, expect

REPORT_BODY = {"about": {"company_name": "Matrix Stars Agency"}, "details": "They asked for £40 to hold my place."}
REPORT_FORM = {"about": "company_name", "company_name": "Matrix Stars Agency",
               "details": "They asked for £40 to hold my place."}
NOTE = {"status": "investigating", "note": "Called the reporter."}
ADMIN_PAGE = expect(403, anonymous=302, admin=200)
ADMIN_API = expect(403, anonymous=401, admin=200)
# world.production: its producer and cd_own are members (403: members, not admins); others do not see it (404).
SUSPEND_API = expect(404, anonymous=401, producer=403, admin=200, cd_own=403)
SUSPEND_PAGE = expect(404, anonymous=302, producer=403, admin=200, cd_own=403)


def extend(world) -> None:
    from casting.core.db import utcnow
    from casting.extensions import db
    from casting.safety.models import Report
    from tests.factories import make_production

    report = Report(reference="R-MATR-IX01", about="company_name", company_name="Starlight Castings",
                    details="Asked me to pay a deposit.", reporter_id=world.users["talent_a"].id, status="open")
    db.session.add(report)
    # Suspended by the second admin: the admin persona may reinstate it (four eyes); only cd_own is a member.
    suspended = make_production(world.users["cd_own"], world.company, title="The Suspended One")
    suspended.suspended_at = utcnow()
    suspended.suspended_by_id = world.users["second_admin"].id
    suspended.suspension_reason = "Reported for fee requests."
    db.session.flush()
    world.extra["report"] = report
    world.extra["suspended_production"] = suspended


ROWS = [
    Row("GET", "safety.report_form", lambda w: "/report", expect(200)),
    Row("POST", "safety.report_form", lambda w: "/report", expect(200), data=lambda w: REPORT_FORM,
        note="anyone reports, signed in or not, verified or not"),
    Row("GET", "safety.my_reports", lambda w: "/reports/mine", expect(200, anonymous=302)),
    Row("GET", "safety.queue", lambda w: "/admin/reports", ADMIN_PAGE),
    Row("GET", "safety.report_detail", lambda w: f"/admin/reports/{w.report.id}", ADMIN_PAGE),
    Row("POST", "safety.report_status", lambda w: f"/admin/reports/{w.report.id}/status",
        expect(403, anonymous=302, admin=302), data=lambda w: NOTE),
    Row("GET", "safety.suspend", lambda w: f"/productions/{w.production.id}/suspend", SUSPEND_PAGE),
    Row("POST", "safety.suspend", lambda w: f"/productions/{w.production.id}/suspend",
        {**SUSPEND_PAGE, "admin": 302}, data=lambda w: {"reason": "Two reports of fee requests."}),
    Row("POST", "safety.reinstate", lambda w: f"/productions/{w.suspended_production.id}/reinstate",
        expect(404, anonymous=302, admin=302, cd_own=403),
        note="suspended by the second admin; the producer is no member of it"),
    Row("POST", "safety_api.create_report", lambda w: "/api/v1/reports", expect(201), json=lambda w: REPORT_BODY),
    Row("GET", "safety_api.queue", lambda w: "/api/v1/reports", ADMIN_API),
    Row("GET", "safety_api.get_report", lambda w: f"/api/v1/reports/{w.report.id}",
        expect(404, anonymous=401, unverified=403, talent_a=200, admin=200),
        note="its reporter (talent_a) follows its status; admins see it whole"),
    Row("POST", "safety_api.set_status", lambda w: f"/api/v1/reports/{w.report.id}/status", ADMIN_API,
        json=lambda w: NOTE),
    Row("POST", "safety_api.suspend", lambda w: f"/api/v1/productions/{w.production.id}/suspend", SUSPEND_API,
        json=lambda w: {"reason": "Two reports of fee requests."}),
    Row("POST", "safety_api.reinstate", lambda w: f"/api/v1/productions/{w.suspended_production.id}/reinstate",
        expect(404, anonymous=401, admin=200, cd_own=403)),
]
