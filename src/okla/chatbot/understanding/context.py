"""What the conversation so far and the dealer's stock tell about a new message."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from okla.chatbot.chat.domain import MessageRole
from okla.chatbot.chat.gate import Turn
from okla.chatbot.chat.repository import ChatRepository
from okla.chatbot.inventory.domain import Catalog
from okla.chatbot.inventory.repository import InventoryRepository
from okla.chatbot.inventory.service import CatalogCache
from okla.chatbot.reply import prompt

# Messages read back for the language and the model's history (the prompt trims them further).
HISTORY_MESSAGES = 12


@dataclass(frozen=True)
class TurnContext:
    """The conversation before this message, and the vocabulary of the dealer's stock."""

    history: tuple[prompt.Turn, ...]  # earlier customer and assistant messages, oldest first
    catalog: Catalog

    @property
    def customer_messages(self) -> tuple[str, ...]:
        """Return what the customer wrote before, oldest first."""
        return tuple(m.content for m in self.history if m.role == "user")


async def load_context(
    sessions: async_sessionmaker[AsyncSession], turn: Turn, catalogs: CatalogCache
) -> TurnContext:
    """Read the recent conversation and the dealer's catalog."""
    async with sessions() as db:
        recent = await ChatRepository(db).recent_lines(turn.session_id, HISTORY_MESSAGES)
        catalog = await catalogs.catalog(InventoryRepository(db), turn.assistant.dealer_id)
    history = tuple(
        prompt.Turn("user" if role == MessageRole.USER else "assistant", content)
        for message_id, role, content in recent
        if message_id != turn.message_id and role in (MessageRole.USER, MessageRole.ASSISTANT)
    )
    return TurnContext(history, catalog)
