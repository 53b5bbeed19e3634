"""Passwords: argon2id hashes, checked off the event loop, in the same time for unknown users."""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import dataclass, field
from functools import cached_property

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# A generated password: 20 characters of the URL-safe alphabet (about 120 bits).
GENERATED_BYTES = 15
MIN_LENGTH = 10
MAX_LENGTH = 256


def generate_password() -> str:
    """Return a new strong password, from the OS's secure generator."""
    return secrets.token_urlsafe(GENERATED_BYTES)


@dataclass(frozen=True)
class Passwords:
    """Hash and check passwords with argon2id (argon2-cffi's recommended parameters)."""

    hasher: PasswordHasher = field(default_factory=PasswordHasher)

    @cached_property
    def dummy(self) -> str:
        """Return the hash checked for an unknown email, so the answer takes as long."""
        return self.hasher.hash(secrets.token_urlsafe(16))

    async def hash(self, password: str) -> str:
        """Return the stored form of a password (salted, with its parameters)."""
        return await asyncio.to_thread(self.hasher.hash, password)

    async def check(self, stored: str | None, password: str) -> bool:
        """Tell whether a password matches its stored hash (None: an unknown user, never)."""
        return await asyncio.to_thread(self._check, stored, password)

    def needs_rehash(self, stored: str) -> bool:
        """Tell whether a hash was made with weaker parameters than today's."""
        return self.hasher.check_needs_rehash(stored)

    def _check(self, stored: str | None, password: str) -> bool:
        try:
            return self.hasher.verify(stored or self.dummy, password) and stored is not None
        except (VerificationError, InvalidHashError):
            return False
