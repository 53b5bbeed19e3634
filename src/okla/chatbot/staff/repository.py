"""Every query on staff accounts and their refresh tokens."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from okla.chatbot.models import Dealer, RefreshToken, User


class StaffRepository:
    """Read and write staff accounts within one database session."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # Accounts

    async def by_email(self, email: str) -> User | None:
        """Find an account by its (lower-cased) email."""
        return await self.session.scalar(select(User).where(User.email == email))

    async def get(self, user_id: str) -> User | None:
        """Find an account by id."""
        return await self.session.get(User, user_id)

    async def dealer_slug(self, user: User) -> str | None:
        """Return the slug of an account's dealer (None for an operator)."""
        if user.dealer_id is None:
            return None
        return await self.session.scalar(select(Dealer.slug).where(Dealer.id == user.dealer_id))

    async def dealer_by_slug(self, slug: str) -> Dealer | None:
        """Find a dealer by slug."""
        return await self.session.scalar(select(Dealer).where(Dealer.slug == slug))

    async def add(self, user: User) -> User:
        """Store a new account (the unique email index refuses a second one)."""
        self.session.add(user)
        await self.session.flush()
        return user

    async def signed_in(self, user_id: str, login: str) -> tuple[User, str | None] | None:
        """Return an enabled account and its dealer's slug if this login of it is still live.

        A login is live while its family holds a refresh token nobody revoked: logout, a
        replayed refresh token and disabling the account revoke them all.
        """
        live = exists().where(
            RefreshToken.family_id == login,
            RefreshToken.user_id == User.id,
            RefreshToken.revoked_at.is_(None),
        )
        row = (
            await self.session.execute(
                select(User, Dealer.slug)
                .outerjoin(Dealer, Dealer.id == User.dealer_id)
                .where(User.id == user_id, User.disabled.is_(False), live)
            )
        ).first()
        return None if row is None else (row[0], row[1])

    # Refresh tokens

    async def refresh_token(self, token_hash: str) -> RefreshToken | None:
        """Find a refresh token by its hash."""
        return await self.session.scalar(
            select(RefreshToken).where(RefreshToken.token_hash == token_hash)
        )

    async def add_refresh_token(self, token: RefreshToken) -> RefreshToken:
        """Store a refresh token."""
        self.session.add(token)
        await self.session.flush()
        return token

    async def retire(self, token_id: str, replaced_by: str, now: datetime) -> bool:
        """Mark a refresh token used, unless someone already did; tell whether this call did.

        A conditional UPDATE: of two requests with the same token, exactly one rotates it.
        """
        result = await self.session.execute(
            update(RefreshToken)
            .where(RefreshToken.id == token_id, RefreshToken.revoked_at.is_(None))
            .values(revoked_at=now, replaced_by=replaced_by)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def revoke_family(self, family_id: str, now: datetime) -> None:
        """Revoke every live token of a login."""
        await self.session.execute(
            update(RefreshToken)
            .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
            .values(revoked_at=now)
            .execution_options(synchronize_session=False)
        )

    async def revoke_user(self, user_id: str, now: datetime) -> None:
        """Revoke every live token of every login of an account."""
        await self.session.execute(
            update(RefreshToken)
            .where(RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None))
            .values(revoked_at=now)
            .execution_options(synchronize_session=False)
        )
