"""Build the model's messages: persona and history first, this turn's vehicles last.

The prefix (persona, then earlier turns) stays the same from turn to turn, so an LLM server
with a prompt cache reuses it; only the new question and its vehicles are new tokens. When
the history outgrows its budget it is cut at a customer's message that stays the cut for
several turns (see `history_start`), not one turn further each time, which would change the
prefix right after the persona and make every turn a cache miss.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from okla.chatbot.inventory.domain import VehicleCard
from okla.chatbot.llm.client import LlmMessage
from okla.chatbot.reply.templates import vehicle_line


@dataclass(frozen=True)
class Turn:
    """One earlier message of the conversation."""

    role: Literal["user", "assistant"]
    content: str


def estimate_tokens(text: str) -> int:
    """Estimate tokens without the model's tokenizer (about 3.5 characters a token)."""
    return math.ceil(len(text) / 3.5) + 4


def persona(assistant: str, dealer: str, city: str | None, language: str) -> str:
    """Return the system prompt: who the assistant is and the rules it must keep."""
    where = f" en {city}, República Dominicana" if city else " en República Dominicana"
    reply_in = "en español" if language == "es" else "in English (the customer writes English)"
    return (
        f"Eres {assistant}, asistente de ventas de {dealer}{where}. "
        f"Responde {reply_in}, con amabilidad y en pocas frases. "
        "Habla solo de los vehículos de la lista que acompaña cada pregunta, con sus precios "
        "y años exactos; no inventes vehículos ni datos. No ofrezcas descuentos, "
        "financiamiento ni compromisos: para eso, ofrece comunicar al cliente con un asesor."
    )


# The history is cut only at every HISTORY_STRIDE-th customer message.
HISTORY_STRIDE = 3


def history_start(history: Sequence[Turn], budget: int) -> int:
    """Return where the kept history starts: the earliest stable cut point that fits.

    Cut points are every HISTORY_STRIDE-th customer message, counted from the start of the
    conversation, so a new turn appended at the end moves the cut only once in a while. If
    even the latest cut point doesn't fit, the history is cut at the customer message that
    keeps the most of it within the budget.
    """
    suffix_cost = [0] * (len(history) + 1)
    for i in range(len(history) - 1, -1, -1):
        suffix_cost[i] = suffix_cost[i + 1] + estimate_tokens(history[i].content)
    # A cut history must not start with the assistant answering nothing.
    starts = [i for i, turn in enumerate(history) if turn.role == "user"]
    for start in starts[::HISTORY_STRIDE]:
        if suffix_cost[start] <= budget:
            return start
    for start in starts:
        if suffix_cost[start] <= budget:
            return start
    return len(history)


def build_messages(
    system: str,
    history: Sequence[Turn],
    question: str,
    cards: Sequence[VehicleCard],
    history_budget: int,
) -> list[LlmMessage]:
    """Return the chat messages for the model, with history cut to the token budget."""
    kept = list(history[history_start(history, history_budget) :])
    stock = "\n".join(f"{i}. {vehicle_line(card)}" for i, card in enumerate(cards, 1))
    final = f"{question}\n\nVehículos disponibles para esta pregunta:\n{stock}"
    return [
        LlmMessage(role="system", content=system),
        *(LlmMessage(role=t.role, content=t.content) for t in kept),
        LlmMessage(role="user", content=final),
    ]
