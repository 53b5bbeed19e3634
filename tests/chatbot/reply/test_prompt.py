"""The model's messages: a prefix that stays put from turn to turn, within the budget."""

from __future__ import annotations

from okla.chatbot.reply.prompt import (
    HISTORY_STRIDE,
    Turn,
    build_messages,
    estimate_tokens,
    history_start,
    persona,
)
from tests.utils.factories import card

CARD = card("Toyota", "RAV4", 2021, 1_850_000, "XLE", km=42_000)
SYSTEM = persona("Ana", "Autos del Caribe", "Santo Domingo", "es")


def conversation(turns: int) -> list[Turn]:
    history: list[Turn] = []
    for i in range(turns):
        history.append(
            Turn("user", f"Pregunta número {i}: ¿qué yipetas tienen del año {2010 + i}?")
        )
        history.append(Turn("assistant", f"Respuesta {i}: " + "tenemos varias opciones. " * 6))
    return history


def test_layout_is_persona_history_then_question_with_vehicles() -> None:
    history = conversation(2)
    messages = build_messages(SYSTEM, history, "¿Y en diésel?", [CARD], history_budget=10_000)
    assert messages[0] == {"role": "system", "content": SYSTEM}
    assert [m["content"] for m in messages[1:-1]] == [t.content for t in history]
    last = messages[-1]
    assert last["role"] == "user"
    assert last["content"].startswith("¿Y en diésel?")
    assert "Toyota RAV4 2021 XLE" in last["content"]
    # The vehicles of earlier turns are not in the history: only this turn's are sent.
    assert sum("Toyota RAV4" in m["content"] for m in messages) == 1


def test_history_within_budget_is_kept_whole() -> None:
    history = conversation(3)
    assert history_start(history, 10_000) == 0


def test_cut_history_starts_with_a_customer_message_and_fits() -> None:
    history = conversation(20)
    for budget in (50, 200, 700):
        start = history_start(history, budget)
        kept = history[start:]
        assert not kept or kept[0].role == "user"
        assert sum(estimate_tokens(t.content) for t in kept) <= budget


def test_prefix_stays_the_same_for_several_turns_after_the_history_outgrows_the_budget() -> None:
    budget = 700
    prompts = []
    for turns in range(8, 40):
        history = conversation(turns)
        messages = build_messages(SYSTEM, history, "¿Algo más?", [CARD], budget)
        prompts.append(messages)
    # Each next turn's prompt extends the previous one's history (its prefix is unchanged)
    # on most turns; the cut moves on at most one turn in HISTORY_STRIDE.
    moved = 0
    for before, after in zip(prompts, prompts[1:], strict=False):
        earlier = before[:-1]
        if after[: len(earlier)] != earlier:
            moved += 1
    assert moved <= len(prompts) // HISTORY_STRIDE + 1
    assert moved < len(prompts) - 1  # trimming one turn at a time would move it every turn


def test_no_history_fits_when_the_budget_is_zero() -> None:
    history = conversation(2)
    messages = build_messages(SYSTEM, history, "Hola", [CARD], history_budget=0)
    assert [m["role"] for m in messages] == ["system", "user"]
