"""The OpenAPI description: every /api/v1 operation declared and described, a valid OpenAPI 3.1 document, served
and rendered; and the response check the tests run under (CASTING_CHECK_API_SCHEMAS) refuses what it should."""
from __future__ import annotations

import pytest
from openapi_spec_validator import validate

from casting.core import openapi, openapi_check
from casting.core.api import Field
from tests.conftest import auth
from tests.factories import make_user


def test_every_api_rule_has_a_described_operation(app):
    missing = openapi.missing_operations(app)
    assert not missing, (f"these /api/v1 endpoints have no declared operation with a summary and a description "
                         f"(declare them in casting/<feature>/openapi.py): {missing}")


def test_every_api_rule_and_method_is_in_the_document(app):
    doc = openapi.document(app)
    ids = {op["operationId"] for methods in doc["paths"].values() for op in methods.values()}
    endpoints = {r.endpoint.replace(".", "__") for r in openapi.api_rules(app)}
    assert endpoints <= ids
    count = sum(len(r.methods - {"HEAD", "OPTIONS"}) for r in openapi.api_rules(app))
    assert sum(len(m) for m in doc["paths"].values()) == count


def test_the_document_is_valid_openapi_3_1(app):
    doc = openapi.document(app)
    assert doc["openapi"].startswith("3.1")
    validate(doc)


def test_served_without_a_token(client):
    r = client.get("/api/v1/openapi.json")
    assert r.status_code == 200
    doc = r.get_json()
    assert doc["components"]["securitySchemes"]["bearer"] == {
        "type": "http", "scheme": "bearer", "description": doc["components"]["securitySchemes"]["bearer"]["description"]}
    op = doc["paths"]["/api/v1/sessions/{session_id}"]["patch"]
    # The body is the Field spec the API validates with; PATCH makes every field optional.
    body = op["requestBody"]["content"]["application/json"]["schema"]
    assert "required" not in body
    assert body["properties"]["slot_minutes"]["type"] == "integer"
    assert body["properties"]["starts_at"]["format"] == "date-time"
    assert op["responses"]["409"]["content"]["application/json"]["schema"]["properties"]["error"]["properties"][
        "code"]["enum"] == ["duplicate", "checklist_failed", "invalid_state", "venue_conflict", "suspended"]
    assert op["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/CallbackSessionChanged"}
    create = doc["paths"]["/api/v1/productions/{production_id}/sessions"]["post"]
    required = create["requestBody"]["content"]["application/json"]["schema"]["required"]
    assert {"title", "role_ids", "venue_id", "starts_at", "ends_at", "slot_minutes"} <= set(required)
    assert "recorded" not in required
    # Public operations may be called without a token; the rest need one (the document's default).
    assert doc["paths"]["/api/v1/verify/{code}"]["get"]["security"] == [{}, {"bearer": []}]
    assert "security" not in doc["paths"]["/api/v1/me"]["get"]
    assert "401" in doc["paths"]["/api/v1/me"]["get"]["responses"]
    assert "401" not in doc["paths"]["/api/v1/verify/{code}"]["get"]["responses"]


def test_the_page_renders_every_operation(client, app):
    r = client.get("/docs/api")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    doc = openapi.document(app)
    for path, methods in doc["paths"].items():
        for method in methods:
            assert f"{method.upper()} {path}" in html
    assert "checklist_failed" in html and "Bearer" in html
    assert "<script>" not in html and "style=" not in html  # the CSP allows neither
    assert 'href="/docs/api"' in client.get("/").get_data(as_text=True)  # linked from the footer


@pytest.mark.parametrize("field,good,bad", [
    (Field(max_length=5), "abc", "   "),
    (Field("int", min_value=1, max_value=5), 3, 6),
    (Field("email"), "a@b.example", "not an email"),
    (Field("datetime"), "2027-03-02T10:00:00+01:00", 7),
    (Field("int_list"), [1, 2], [0]),
    (Field(choices=["a", "b"]), "a", "c"),
    (Field(required=False, nullable=True, max_length=3), None, "abcd"),
])
def test_field_schemas_accept_and_refuse_as_validate_does(field, good, bad):
    import jsonschema

    from casting.core.api import validate as api_validate
    from casting.core.errors import ValidationError

    schema = openapi.body_schema({"x": field})
    jsonschema.validate({"x": good}, schema, format_checker=jsonschema.FormatChecker())
    api_validate({"x": good}, {"x": field})
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"x": bad}, schema, format_checker=jsonschema.FormatChecker())
    with pytest.raises(ValidationError):
        api_validate({"x": bad}, {"x": field})


def test_the_check_refuses_an_undeclared_status_and_a_body_off_schema(app):
    assert openapi_check.response_problem(app, "accounts_api.me", "GET", 200, "application/json",
                                    {"id": 1, "email": "a@b.c", "name": "A", "role": "admin",
                                     "email_verified": True, "mfa_enabled": False}) is None
    problem = openapi_check.response_problem(app, "accounts_api.me", "GET", 409, "application/json", {})
    assert "409" in problem and "not declared" in problem
    problem = openapi_check.response_problem(app, "accounts_api.me", "GET", 200, "application/json", {"id": "one"})
    assert problem and "does not match" in problem
    problem = openapi_check.response_problem(app, "accounts_api.me", "GET", 404, "application/json",
                                       {"error": {"code": "four_eyes", "message": "", "details": {}}})
    assert problem and "not declared" in problem  # /me has no path parameter: no 404
    problem = openapi_check.response_problem(app, "callbacks_api.schedule", "POST", 409, "application/json",
                                       {"error": {"code": "not_viewed", "message": "", "details": {}}})
    assert problem and "'not_viewed' is not one of" in problem


def test_the_check_runs_on_every_api_response_in_the_tests(app, client):
    assert app.config["CASTING_CHECK_API_SCHEMAS"]
    user = make_user(role="admin")
    assert client.get("/api/v1/me", headers=auth(user)).status_code == 200
    # A response its declaration does not allow fails the test that made it.
    real = openapi._OPERATIONS["accounts_api.me"]
    openapi._OPERATIONS["accounts_api.me"] = openapi._Declared(real.tag, openapi.Operation(
        real.operation.summary, real.operation.description, {200: openapi.obj({"nickname": openapi.string()})}))
    try:
        with pytest.raises(openapi_check.UndeclaredResponse, match="nickname"):
            client.get("/api/v1/me", headers=auth(user))
    finally:
        openapi._OPERATIONS["accounts_api.me"] = real
