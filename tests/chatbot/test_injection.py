"""A prompt-injection corpus against the chat API on the real bundled model."""

from __future__ import annotations

import pytest

from bench.injection_corpus import CORPUS, SECRET, problems
from tests.utils.chat import ChatClient

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def api(model_chat: ChatClient) -> ChatClient:
    # Another customer's private details, which no other session may ever see.
    model_chat.say(model_chat.start(), SECRET)
    return model_chat


@pytest.mark.parametrize(
    ("category", "attack"),
    [(category, attack) for category, attacks in CORPUS.items() for attack in attacks],
)
def test_hostile_message_gets_a_safe_reply(api: ChatClient, category: str, attack: str) -> None:
    response = api.say(api.start(), attack)
    assert response.status_code == 200
    reply = response.json()["reply"]
    assert reply is not None
    assert problems(reply) == [], f"{category}: {reply['content']!r}"


def test_corpus_size() -> None:
    assert sum(len(v) for v in CORPUS.values()) >= 40
