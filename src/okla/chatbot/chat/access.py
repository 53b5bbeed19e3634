"""Finding a customer's live session from the token they hold."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from okla.chatbot.cache import Coordinator
from okla.chatbot.chat.repository import ChatRepository
from okla.chatbot.errors import SessionNotFoundError, TooManyRequestsError
from okla.chatbot.models import ChatSession, utcnow
from okla.chatbot.settings import ChatbotSettings


def new_token() -> str:
    """Return a new session token: 256 bits from the OS's secure generator."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """Return the stored form of a session token."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class SessionAccess:
    """Look sessions up by token, making token guessing cost the guesser."""

    settings: ChatbotSettings
    coordinator: Coordinator

    async def live(self, repo: ChatRepository, token: str, client: str) -> ChatSession:
        """Return the unexpired session of this token, or raise 404 (429 for guessers)."""
        chat = await repo.by_token_hash(hash_token(token))
        if chat is None or chat.expires_at <= utcnow():
            allowed, retry = await self.coordinator.hit(
                self.settings.rate_limit_token_misses, "token-miss", client
            )
            if not allowed:
                raise TooManyRequestsError("Too many unknown session tokens; slow down.", retry)
            raise SessionNotFoundError()
        return chat
