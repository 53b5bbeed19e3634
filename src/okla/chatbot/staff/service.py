"""Staff accounts and logins: sign in, rotate the refresh token, sign out, confirm a caller."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from okla.chatbot.auth import Caller, Role
from okla.chatbot.cache import Coordinator
from okla.chatbot.errors import ConflictError, NotFoundError, UnprocessableError
from okla.chatbot.models import RefreshToken, User, new_id, utcnow
from okla.chatbot.settings import ChatbotSettings
from okla.chatbot.staff import tokens
from okla.chatbot.staff.domain import Grant, StaffMember
from okla.chatbot.staff.passwords import MAX_LENGTH, MIN_LENGTH, Passwords
from okla.chatbot.staff.repository import StaffRepository
from okla.chatbot.text.contact import normalize_email
from okla.common.errors import TooManyRequestsError, UnauthorizedError

_WRONG = "Wrong email or password."
_SIGNED_OUT = "This login has ended (signed out, replaced or the account disabled); sign in again."


def email_key(email: str) -> str:
    """Return the form an email is stored and looked up in (addresses ignore case here)."""
    return email.strip().lower()


@dataclass(frozen=True)
class StaffService:
    """Staff accounts, their logins and the tokens those hand out."""

    settings: ChatbotSettings
    sessions: async_sessionmaker[AsyncSession]
    coordinator: Coordinator
    passwords: Passwords

    # Logins

    async def login(self, email: str, password: str, client: str) -> Grant:
        """Check the password and open a login; wrong email and wrong password look the same."""
        key = email_key(email)
        allowed, retry = await self.coordinator.hit(
            self.settings.rate_limit_logins, "login", key, client
        )
        if not allowed:
            raise TooManyRequestsError("Too many sign-in attempts; wait and try again.", retry)
        secret = self._secret()
        async with self.sessions() as db:
            repo = StaffRepository(db)
            user = await repo.by_email(key)
            # An unknown email is checked against a dummy hash: the answer takes as long.
            matches = await self.passwords.check(user.password_hash if user else None, password)
            if user is None or not matches or user.disabled:
                raise UnauthorizedError(_WRONG)
            if self.passwords.needs_rehash(user.password_hash):
                user.password_hash = await self.passwords.hash(password)
            member = await _member(repo, user)
            grant = await self._open(repo, member, new_id(), secret)
            await db.commit()
            return grant

    async def refresh(self, refresh_token: str) -> Grant:
        """Replace a refresh token by the next of its login, with a new access token.

        A token already replaced is a replay (stolen, or copied): its whole login is revoked.
        """
        secret = self._secret()
        now = utcnow()
        async with self.sessions() as db:
            repo = StaffRepository(db)
            stored = await repo.refresh_token(tokens.hash_refresh_token(refresh_token))
            if stored is None:
                raise UnauthorizedError(_SIGNED_OUT)
            user = await repo.get(stored.user_id)
            live = stored.revoked_at is None and stored.expires_at > now
            if not live or user is None or user.disabled:
                if stored.replaced_by is not None:
                    await repo.revoke_family(stored.family_id, now)
                    await db.commit()
                raise UnauthorizedError(_SIGNED_OUT)
            family, successor = stored.family_id, new_id()
            if not await repo.retire(stored.id, successor, now):
                # Another request rotated it first: the same token twice is a replay.
                await repo.revoke_family(family, now)
                await db.commit()
                raise UnauthorizedError(_SIGNED_OUT)
            member = await _member(repo, user)
            grant = await self._open(repo, member, family, secret, token_id=successor)
            await db.commit()
            return grant

    async def logout(self, refresh_token: str | None, login: str | None) -> None:
        """End a login (the refresh cookie's, else the access token's); unknown ones are gone."""
        now = utcnow()
        async with self.sessions() as db:
            repo = StaffRepository(db)
            family = login
            if refresh_token:
                stored = await repo.refresh_token(tokens.hash_refresh_token(refresh_token))
                family = stored.family_id if stored is not None else family
            if family is not None:
                await repo.revoke_family(family, now)
                await db.commit()

    async def confirm(self, caller: Caller) -> Caller:
        """Return the caller of a verified token if its login is live and its account enabled.

        One query by primary key per staff request: the database is shared by every process,
        so a logout or a disabled account holds everywhere at once, Redis or not.
        """
        if caller.session is None:
            raise UnauthorizedError(
                "This token was not issued by a login; sign in (POST /api/chatbot/auth/login)."
            )
        async with self.sessions() as db:
            found = await StaffRepository(db).signed_in(caller.subject, caller.session)
        if found is None:
            raise UnauthorizedError(_SIGNED_OUT)
        user, dealer = found
        if user.role != caller.role or dealer != caller.dealer:
            raise UnauthorizedError("The account changed since this token was issued; refresh it.")
        return caller

    # Accounts

    async def add_user(
        self, dealer: str | None, email: str, name: str, role: Role, password: str
    ) -> StaffMember:
        """Create an account; agents and managers belong to a dealer, operators need none."""
        address = normalize_email(email)
        if address is None:
            raise UnprocessableError(f"Not an email address: {email!r}.", field="email")
        name = name.strip()
        if not name or len(name) > 120:
            raise UnprocessableError("The name must have 1 to 120 characters.", field="name")
        if dealer is None and role != Role.ADMIN:
            raise UnprocessableError(
                f"An account with the role {role.value} belongs to a dealer: give its slug.",
                field="dealer",
            )
        _check_password(password)
        async with self.sessions() as db:
            repo = StaffRepository(db)
            dealer_id: str | None = None
            if dealer is not None:
                found = await repo.dealer_by_slug(dealer)
                if found is None:
                    raise NotFoundError(f"No dealer '{dealer}'.", field="dealer")
                dealer_id = found.id
            user = User(
                dealer_id=dealer_id,
                email=email_key(address),
                name=name,
                role=role,
                password_hash=await self.passwords.hash(password),
                disabled=False,
            )
            try:
                await repo.add(user)
                await db.commit()
            except IntegrityError as exc:
                raise ConflictError(
                    f"An account with the email {user.email} exists.", field="email"
                ) from exc
            return StaffMember(user.id, user.name, user.email, user.role, dealer)

    async def reset_password(self, email: str, password: str) -> StaffMember:
        """Set a new password; the account's logins end."""
        _check_password(password)
        async with self.sessions() as db:
            repo = StaffRepository(db)
            user = await _account(repo, email)
            user.password_hash = await self.passwords.hash(password)
            await repo.revoke_user(user.id, utcnow())
            await db.commit()
            return await _member(repo, user)

    async def disable_user(self, email: str) -> StaffMember:
        """Disable an account: it can't sign in, and its logins and tokens end at once."""
        async with self.sessions() as db:
            repo = StaffRepository(db)
            user = await _account(repo, email)
            user.disabled = True
            await repo.revoke_user(user.id, utcnow())
            await db.commit()
            return await _member(repo, user)

    async def _open(
        self,
        repo: StaffRepository,
        member: StaffMember,
        family: str,
        secret: str,
        *,
        token_id: str | None = None,
    ) -> Grant:
        """Store the next refresh token of a login and sign an access token for it."""
        refresh = tokens.new_refresh_token()
        expires = utcnow() + timedelta(hours=self.settings.refresh_token_hours)
        await repo.add_refresh_token(
            RefreshToken(
                id=token_id or new_id(),
                user_id=member.id,
                family_id=family,
                token_hash=tokens.hash_refresh_token(refresh),
                expires_at=expires,
            )
        )
        lifetime = self.settings.access_token_minutes * 60
        access = tokens.access_token(member, family, secret, self.settings.jwt_algorithm, lifetime)
        return Grant(access, lifetime, refresh, expires, member)

    def _secret(self) -> str:
        if self.settings.jwt_secret is None:
            raise UnauthorizedError("JWT_SECRET is not configured on the chatbot service.")
        return self.settings.jwt_secret.get_secret_value()


def _check_password(password: str) -> None:
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        raise UnprocessableError(
            f"A password has {MIN_LENGTH} to {MAX_LENGTH} characters.", field="password"
        )


async def _account(repo: StaffRepository, email: str) -> User:
    user = await repo.by_email(email_key(email))
    if user is None:
        raise NotFoundError(f"No account with the email {email_key(email)}.", field="email")
    return user


async def _member(repo: StaffRepository, user: User) -> StaffMember:
    return StaffMember(user.id, user.name, user.email, user.role, await repo.dealer_slug(user))
