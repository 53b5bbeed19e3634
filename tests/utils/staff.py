"""Staff accounts for the tests: create them, sign them in, and mint tokens of any shape."""

from __future__ import annotations

import asyncio
import secrets
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

import httpx
import jwt

from okla.chatbot.auth import Role
from okla.chatbot.cache import Coordinator
from okla.chatbot.db import create_engine, session_factory
from okla.chatbot.settings import ChatbotSettings
from okla.chatbot.staff.domain import StaffMember
from okla.chatbot.staff.passwords import Passwords
from okla.chatbot.staff.service import StaffService
from okla.common.staff_tokens import CSRF_COOKIE, REFRESH_COOKIE

JWT_SECRET = "test-jwt-secret-that-is-long-enough-for-hs256"
PASSWORD = "correct horse battery staple"
ADP = "auto-dominicana-premium"
CIBAO = "motores-del-cibao"


def mint(
    *,
    sub: str = "u1",
    role: str = "admin",
    dealer: str | None = None,
    sid: str | None = None,
    lifetime: int = 300,
    issued_ago: int = 0,
    secret: str = JWT_SECRET,
    **extra: object,
) -> str:
    """Sign an access token of any shape (a login's own tokens come from `sign_in`)."""
    issued = int(time.time()) - issued_ago
    claims: dict[str, object] = {
        "sub": sub,
        "role": role,
        "iat": issued,
        "exp": issued + lifetime,
        "jti": uuid.uuid4().hex,
        **extra,
    }
    if dealer is not None:
        claims["dealer"] = dealer
    if sid is not None:
        claims["sid"] = sid
    return jwt.encode(claims, secret, algorithm="HS256")


@asynccontextmanager
async def staff_service(settings: ChatbotSettings) -> AsyncIterator[StaffService]:
    """Yield the staff service of a database the app has migrated (its own engine)."""
    engine = create_engine(settings.database_url)
    try:
        yield StaffService(settings, session_factory(engine), Coordinator(None), Passwords())
    finally:
        await engine.dispose()


async def add_account_async(
    settings: ChatbotSettings,
    role: Role,
    dealer: str | None,
    *,
    email: str | None = None,
    name: str = "Asesora de prueba",
    password: str = PASSWORD,
) -> StaffMember:
    """Create an account in the service's database (migrated already)."""
    async with staff_service(settings) as staff:
        address = email or f"{role.value}-{secrets.token_hex(4)}@example.com"
        return await staff.add_user(dealer, address, name, role, password)


@dataclass(frozen=True)
class Login:
    """The Authorization header of a login, and when (time.monotonic) its token expires."""

    headers: dict[str, str]
    expires: float


async def log_in(settings: ChatbotSettings, role: Role, dealer: str | None) -> Login:
    """Create an account of a role and dealer in the service's database and sign it in.

    The login is a real one (StaffService.login, which POST /api/chatbot/auth/login calls), so
    the app's `get_caller` finds it live, whether the app runs in a TestClient or on a port.
    """
    async with staff_service(settings) as staff:
        address = f"{role.value}-{secrets.token_hex(4)}@example.com"
        member = await staff.add_user(dealer, address, "Asesora de prueba", role, PASSWORD)
        grant = await staff.login(member.email, PASSWORD, "tests")
    return Login(
        {"Authorization": f"Bearer {grant.access_token}"},
        time.monotonic() + grant.expires_in,
    )


@dataclass
class StaffLogins:
    """Staff of one service's database: an account per role and dealer, signed in when asked.

    Tests of sync clients (TestClient, httpx) call it for headers; a login is reused until its
    token is about to expire (argon2 makes each sign-in cost a tenth of a second or more).
    """

    settings: ChatbotSettings
    _logins: dict[tuple[Role, str | None], Login] = field(default_factory=dict)

    def __call__(self, role: Role, dealer: str | None) -> dict[str, str]:
        """Return the headers of a live login of this role at this dealer (None: every dealer)."""
        found = self._logins.get((role, dealer))
        if found is None or found.expires - time.monotonic() < 60:
            found = asyncio.run(log_in(self.settings, role, dealer))
            self._logins[(role, dealer)] = found
        return found.headers


def add_account(
    settings: ChatbotSettings,
    role: Role,
    dealer: str | None,
    *,
    email: str | None = None,
    name: str = "Asesora de prueba",
    password: str = PASSWORD,
) -> StaffMember:
    """Create an account, from a test that has no event loop running."""
    return asyncio.run(
        add_account_async(settings, role, dealer, email=email, name=name, password=password)
    )


@dataclass(frozen=True)
class SignedIn:
    """A login: its access token, its refresh cookie and its double-submit token."""

    member: StaffMember
    access_token: str
    refresh_token: str
    csrf: str

    @property
    def headers(self) -> dict[str, str]:
        """Return the header that authenticates a staff request."""
        return {"Authorization": f"Bearer {self.access_token}"}

    @property
    def cookie_headers(self) -> dict[str, str]:
        """Return the headers of a browser's refresh or logout (cookies and X-CSRF-Token)."""
        return {
            "Cookie": f"{REFRESH_COOKIE}={self.refresh_token}; {CSRF_COOKIE}={self.csrf}",
            "X-CSRF-Token": self.csrf,
            "Content-Type": "application/json",  # every POST of the API is JSON
        }


def cookies_of(response: httpx.Response) -> dict[str, SimpleCookie]:
    """Return the cookies a response sets, by name, with their attributes."""
    found: dict[str, SimpleCookie] = {}
    for header in response.headers.get_list("set-cookie"):
        cookie: SimpleCookie = SimpleCookie()
        cookie.load(header)
        for name in cookie:
            found[name] = cookie
    return found


def sign_in(url: str, member: StaffMember, password: str = PASSWORD) -> SignedIn:
    """Sign an account in over HTTP (the chatbot or the gateway)."""
    response = httpx.post(
        f"{url}/api/chatbot/auth/login",
        json={"email": member.email, "password": password},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    cookies = cookies_of(response)
    return SignedIn(
        member,
        response.json()["accessToken"],
        cookies[REFRESH_COOKIE][REFRESH_COOKIE].value,
        cookies[CSRF_COOKIE][CSRF_COOKIE].value,
    )


def staff_login(url: str, settings: ChatbotSettings, role: Role, dealer: str | None) -> SignedIn:
    """Create an account of a role and dealer and sign it in: the helper most tests want."""
    return sign_in(url, add_account(settings, role, dealer))
