"""Bad requests get a 400 OpenAI error naming the problem; never a 500."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import openai
import pytest
from openai.types.chat import ChatCompletionMessageParam

from bench.processes import ServerProcess
from tests.utils.processes import launch_llm_server

pytestmark = pytest.mark.integration

HI: list[ChatCompletionMessageParam] = [{"role": "user", "content": "Hi"}]


def post(
    server: ServerProcess, body: object, headers: dict[str, str] | None = None
) -> httpx.Response:
    return httpx.post(f"{server.url}/v1/chat/completions", json=body, timeout=30, headers=headers)


def assert_error(response: httpx.Response, status: int, *words: str) -> dict[str, str]:
    assert response.status_code == status, response.text
    error: dict[str, str] = response.json()["error"]
    assert error["type"]
    for word in words:
        assert word in error["message"], error["message"]
    return error


def test_malformed_json(llm_server: ServerProcess) -> None:
    response = httpx.post(
        f"{llm_server.url}/v1/chat/completions",
        content=b'{"messages": [',
        headers={"content-type": "application/json"},
    )
    assert_error(response, 400, "not valid JSON")


def test_empty_messages(llm_server: ServerProcess) -> None:
    error = assert_error(post(llm_server, {"messages": []}), 400, "messages", "at least 1")
    assert error["param"] == "messages"


def test_missing_messages(llm_server: ServerProcess) -> None:
    assert_error(post(llm_server, {"max_tokens": 5}), 400, "messages", "required")


def test_unknown_role(llm_server: ServerProcess) -> None:
    body = {"messages": [{"role": "wizard", "content": "x"}]}
    error = assert_error(post(llm_server, body), 400, "unknown role 'wizard'", "user")
    assert error["param"] == "messages[0].role"


@pytest.mark.parametrize("value", [0, -3])
def test_max_tokens_must_be_positive(llm_server: ServerProcess, value: int) -> None:
    error = assert_error(post(llm_server, {"messages": HI, "max_tokens": value}), 400)
    assert error["param"] == "max_tokens"


def test_prompt_longer_than_context(llm_server: ServerProcess) -> None:
    body = {"messages": [{"role": "user", "content": "palabra " * 3000}]}
    error = assert_error(post(llm_server, body), 400, "context window is 2048 tokens")
    assert error["code"] == "context_length_exceeded"


def test_huge_prompt_refused_without_tokenizing(llm_server: ServerProcess) -> None:
    body = {"messages": [{"role": "user", "content": "x" * 200_000}]}
    error = assert_error(post(llm_server, body), 400, "context window")
    assert error["code"] == "context_length_exceeded"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("temperature", 5),
        ("top_p", 0),
        ("n", 2),
        ("stop", ["a", "b", "c", "d", "e"]),
        ("logit_bias", {"abc": 1}),
        ("logit_bias", {"99999999": 1}),
        ("messages", "hello"),
    ],
)
def test_bad_fields_are_named(llm_server: ServerProcess, field: str, value: object) -> None:
    body: dict[str, object] = {"messages": HI, "max_tokens": 3, field: value}
    error = assert_error(post(llm_server, body), 400)
    assert error["param"] is not None and error["param"].startswith(field)


def test_sdk_raises_bad_request(llm_server: ServerProcess) -> None:
    sdk = openai.OpenAI(base_url=f"{llm_server.url}/v1", api_key="x", max_retries=0)
    with pytest.raises(openai.BadRequestError, match="context window"):
        sdk.chat.completions.create(
            model="smollm2", messages=[{"role": "user", "content": "hola " * 3000}]
        )


def test_unknown_path_is_an_error_object(llm_server: ServerProcess) -> None:
    response = httpx.get(f"{llm_server.url}/v1/nope")
    assert_error(response, 404)


def test_server_keeps_serving_after_bad_requests(llm_server: ServerProcess) -> None:
    bodies: list[object] = [{"messages": []}, {"messages": [{"role": "x"}]}, [1, 2], "text"]
    for body in bodies:
        assert post(llm_server, body).status_code == 400
    assert post(llm_server, {"messages": HI, "max_tokens": 3}).status_code == 200


@pytest.fixture(scope="module")
def keyed_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    server = launch_llm_server(tmp_path_factory.mktemp("keyed"), env={"API_KEY": "s3cret"})
    server.wait_ready()
    yield server
    server.stop()


def test_api_key_is_required_when_set(keyed_server: ServerProcess) -> None:
    assert_error(post(keyed_server, {"messages": HI}), 401, "API key")
    wrong = post(keyed_server, {"messages": HI}, headers={"Authorization": "Bearer nope"})
    assert_error(wrong, 401, "Incorrect API key")
    sdk = openai.OpenAI(base_url=f"{keyed_server.url}/v1", api_key="s3cret", max_retries=0)
    reply = sdk.chat.completions.create(model="any", messages=HI, max_tokens=3)
    assert reply.choices[0].message.content is not None
    # Health stays open for load balancers and the process manager.
    assert httpx.get(f"{keyed_server.url}/health").status_code == 200
