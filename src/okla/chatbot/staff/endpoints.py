"""Staff sign-in (/api/chatbot/auth/*): the gateway lets these through without a JWT."""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Request, Response

from okla.chatbot.auth import verify
from okla.chatbot.dependencies import ClientDep, StaffServiceDep
from okla.chatbot.models import utcnow
from okla.chatbot.staff.domain import Grant
from okla.chatbot.staff.schemas import LoginRequest, LoginResponse
from okla.common.errors import CsrfError, UnauthorizedError
from okla.common.staff_tokens import (
    CSRF_COOKIE,
    CSRF_HEADER,
    REFRESH_COOKIE,
    SESSION_COOKIE,
    bearer_token,
)

router = APIRouter(prefix="/api/chatbot/auth", tags=["staff"])

# The refresh cookie goes only to these routes.
_REFRESH_PATH = router.prefix


@router.post("/login", summary="Sign in with an email and a password")
async def login(
    body: LoginRequest, response: Response, service: StaffServiceDep, client: ClientDep
) -> LoginResponse:
    """Return an access token (15 minutes at most) and set the refresh cookie.

    A wrong password and an unknown email get the same 401.
    """
    grant = await service.login(body.email, body.password, client)
    _set_cookies(response, grant)
    return LoginResponse.of(grant)


@router.post("/refresh", summary="Trade the refresh cookie for a new access token")
async def refresh(request: Request, response: Response, service: StaffServiceDep) -> LoginResponse:
    """Rotate the refresh token; a token used twice ends its whole login (401)."""
    token = request.cookies.get(REFRESH_COOKIE)
    if not token:
        raise UnauthorizedError(f"No refresh token (the {REFRESH_COOKIE} cookie); sign in.")
    _check_csrf(request)
    grant = await service.refresh(token)
    _set_cookies(response, grant)
    return LoginResponse.of(grant)


@router.post("/logout", status_code=204, summary="End this login")
async def logout(request: Request, service: StaffServiceDep) -> Response:
    """Revoke the login of the refresh cookie (or of the Bearer token); clear the cookies."""
    token = request.cookies.get(REFRESH_COOKIE)
    login_id: str | None = None
    if token:
        _check_csrf(request)
    else:
        bearer = bearer_token(request.headers.get("authorization"), None)
        if bearer:
            settings = service.settings
            secret = settings.jwt_secret.get_secret_value() if settings.jwt_secret else None
            login_id = verify(bearer, secret, settings.jwt_algorithm).session
    await service.logout(token, login_id)
    response = Response(status_code=204)
    for name, path in ((REFRESH_COOKIE, _REFRESH_PATH), (CSRF_COOKIE, "/"), (SESSION_COOKIE, "/")):
        response.delete_cookie(name, path=path, secure=True, httponly=True, samesite="strict")
    return response


def _set_cookies(response: Response, grant: Grant) -> None:
    seconds = max(1, int((grant.refresh_expires_at - utcnow()).total_seconds()))
    response.set_cookie(
        REFRESH_COOKIE,
        grant.refresh_token,
        max_age=seconds,
        path=_REFRESH_PATH,
        secure=True,
        httponly=True,
        samesite="strict",
    )
    # The double-submit token: pages read it and send it back as X-CSRF-Token.
    response.set_cookie(
        CSRF_COOKIE,
        secrets.token_urlsafe(16),
        max_age=seconds,
        path="/",
        secure=True,
        httponly=False,
        samesite="strict",
    )


def _check_csrf(request: Request) -> None:
    """Refuse a cookie-authenticated call without the double-submit token (as the gateway)."""
    expected = request.cookies.get(CSRF_COOKIE)
    given = request.headers.get(CSRF_HEADER, "")
    if not expected or not secrets.compare_digest(given.encode(), expected.encode()):
        raise CsrfError("Missing or wrong X-CSRF-Token for a cookie session.")
