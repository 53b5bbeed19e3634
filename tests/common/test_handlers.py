"""One mapping of errors to the JSON envelope, as both services install it."""

from __future__ import annotations

import logging

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel, ConfigDict, Field

from okla.common.errors import ApiError, Problem, TooManyRequestsError
from okla.common.handlers import install_error_handlers


class Thing(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(max_length=3)


def wrong_key(body: object) -> list[Problem]:
    if isinstance(body, dict) and "title" in body:
        return [Problem(field="name", message="send 'name', not 'title'")]
    return []


def client() -> TestClient:
    app = FastAPI()
    install_error_handlers(app, logging.getLogger("okla.test"), hint=wrong_key)

    @app.post("/things")
    async def make(thing: Thing) -> dict[str, str]:
        return {"name": thing.name}

    @app.get("/slow")
    async def slow() -> None:
        raise TooManyRequestsError("Slow down.", 7)

    @app.get("/hinted")
    async def hinted() -> None:
        raise ApiError("Bad.", field="x", hint="Send y.")

    @app.get("/crash")
    async def crash() -> None:
        raise RuntimeError("boom")

    return TestClient(app, raise_server_exceptions=False)


def test_domain_errors_carry_status_body_and_headers() -> None:
    slow = client().get("/slow")
    assert slow.status_code == 429
    assert slow.headers["retry-after"] == "7"
    assert slow.json() == {"error": {"code": "rate_limited", "message": "Slow down."}}
    hinted = client().get("/hinted").json()
    assert hinted == {"error": {"code": "bad_request", "message": "Bad.", "field": "x",
                                "hint": "Send y."}}  # fmt: skip


def test_validation_names_the_fields_and_puts_the_hint_first() -> None:
    response = client().post("/things", json={"title": "abcd"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert error["field"] == "name"
    assert error["problems"] == [
        {"field": "name", "message": "send 'name', not 'title'"},
        {"field": "name", "message": "this field is required"},
        {"field": "title", "message": "unknown field"},
    ]
    assert error["message"].startswith("name: send 'name', not 'title'; name: this field")
    too_long = client().post("/things", json={"name": "abcd"}).json()["error"]
    assert too_long["message"] == "name: must be at most 3 characters"
    headers = {"Content-Type": "application/json"}
    not_json = client().post("/things", content=b"{", headers=headers).json()["error"]
    assert not_json["problems"] == [{"field": "body", "message": "the body is not valid JSON"}]


def test_routing_errors_and_crashes_use_the_envelope(caplog: pytest.LogCaptureFixture) -> None:
    missing = client().get("/nothing")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
    wrong = client().delete("/things")
    assert wrong.status_code == 405
    assert wrong.json()["error"]["code"] == "method_not_allowed"
    with caplog.at_level(logging.ERROR, logger="okla.test"):
        crash = client().get("/crash")
    assert crash.status_code == 500
    assert crash.json() == {
        "error": {"code": "internal_error", "message": "Internal error; see the log."}
    }
    assert any(r.name == "okla.test" and r.exc_info for r in caplog.records)
