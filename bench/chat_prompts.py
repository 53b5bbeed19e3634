"""The chatbot's own prompts, for the LLM benchmarks: persona, history and vehicle lines.

Built with the chatbot's prompt code (`okla.chatbot.reply.prompt`) from the demo dealers'
stock, so a benchmark measures what the model is really asked. Also prompts with nothing for
a reply to copy (a story), the other end of what speculation from the prompt meets.
"""

from __future__ import annotations

import dataclasses

from okla.chatbot.inventory.demo import DEMO_DEALERS
from okla.chatbot.inventory.domain import VehicleCard, VehicleStatus
from okla.chatbot.reply.prompt import Turn, build_messages, persona

QUESTIONS = [
    "Hola, busco una yipeta familiar, ¿qué tienen y a qué precio?",
    "Buenas, ¿qué sedanes automáticos tienen disponibles?",
    "¿Cuáles son las opciones más económicas que tienen ahora mismo?",
    "Quiero una camioneta o una yipeta 4x4, ¿qué hay?",
    "¿Qué vehículos tienen con poco kilometraje?",
    "Necesito algo para siete pasajeros, ¿cuál me recomiendan?",
    "¿Tienen algo de Toyota o de Honda? Dame los precios.",
    "Busco un carro para mi hija, algo confiable y no muy caro.",
]
# A customer's earlier turn and the assistant's answer, kept in the history.
HISTORY = [
    Turn("user", "Hola, buenas tardes."),
    Turn("assistant", "¡Hola! Con gusto le ayudo a encontrar su próximo vehículo. ¿Qué busca?"),
]
STORIES = [
    "Write a story about a dragon who learns to sail.",
    "Write a story about a lighthouse keeper and a storm.",
    "Write a story about a lost robot in a night market.",
    "Write a story about a violin maker's last violin.",
]


def _cards() -> list[tuple[str, str, str, list[VehicleCard]]]:
    out = []
    for seed, records in DEMO_DEALERS:
        cards = [
            VehicleCard(
                id=record.stock_number,
                **{
                    f.name: getattr(record, f.name)
                    for f in dataclasses.fields(VehicleCard)
                    if f.name != "id"
                },
            )
            for record in records
            if record.status is VehicleStatus.AVAILABLE
        ]
        out.append((seed.assistant_name, seed.name, seed.city, cards))
    return out


def chatbot_messages(i: int, n_cards: int = 5) -> list[dict[str, str]]:
    """Return the i-th chatbot prompt: a dealer's persona, a short history, a question, cards."""
    dealers = _cards()
    assistant, dealer, city, cards = dealers[i % len(dealers)]
    start = (3 * i) % max(1, len(cards) - n_cards)
    chosen = cards[start : start + n_cards]
    messages = build_messages(
        persona(assistant, dealer, city, "es"),
        HISTORY if i % 2 else [],
        QUESTIONS[i % len(QUESTIONS)],
        chosen,
        history_budget=700,
    )
    return [{"role": m["role"], "content": m["content"]} for m in messages]


def story_messages(i: int) -> list[dict[str, str]]:
    """Return a prompt whose reply has nothing to copy from it."""
    return [
        {"role": "system", "content": "You are a helpful assistant."},
        {"role": "user", "content": STORIES[i % len(STORIES)]},
    ]
