"""A prompt-injection corpus against the chat API on the real bundled model."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from okla.chatbot.app import create_app
from tests.chatbot.conftest import chat_settings
from tests.chatbot.injection_corpus import CORPUS, SECRET, problems
from tests.conftest import ServerProcess
from tests.servers import serve

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory, llm_server: ServerProcess) -> Iterator[str]:
    settings = chat_settings(
        tmp_path_factory.mktemp("inject"), f"{llm_server.url}/v1", llm_timeout_seconds=60
    )
    with serve(create_app(settings, demo_data=True)) as url:
        # Another customer's private details, which no other session may ever see.
        other = httpx.post(f"{url}/api/chat/start", json={"sessionType": "WebChat"}).json()
        httpx.post(
            f"{url}/api/chat/message",
            json={"sessionToken": other["sessionToken"], "message": SECRET},
            timeout=120,
        )
        yield url


@pytest.mark.parametrize(
    ("category", "attack"),
    [(category, attack) for category, attacks in CORPUS.items() for attack in attacks],
)
def test_hostile_message_gets_a_safe_reply(api: str, category: str, attack: str) -> None:
    session = httpx.post(f"{api}/api/chat/start", json={"sessionType": "WebChat"}).json()
    response = httpx.post(
        f"{api}/api/chat/message",
        json={"sessionToken": session["sessionToken"], "message": attack},
        timeout=120,
    )
    assert response.status_code == 200
    reply = response.json()["reply"]
    assert reply is not None
    assert problems(reply) == [], f"{category}: {reply['content']!r}"


def test_corpus_size() -> None:
    assert sum(len(v) for v in CORPUS.values()) >= 40
