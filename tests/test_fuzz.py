"""Property-based API fuzzing from the services' own OpenAPI documents (schemathesis)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Err
from schemathesis.specs.openapi.checks import response_schema_conformance

from bench.processes import ServerProcess
from okla.gateway.app import create_app as create_gateway
from okla.gateway.settings import DEFAULT_ROUTES, GatewaySettings
from tests.utils.chat import chat_settings, serve_chatbot
from tests.utils.processes import launch_llm_server
from tests.utils.servers import ScriptedLlm, serve

pytestmark = pytest.mark.integration

EXAMPLES = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
CHECKS = [not_a_server_error, response_schema_conformance]


@pytest.fixture(scope="module")
def chatbot_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    llm = ScriptedLlm()
    with serve(llm.app()) as llm_url:
        settings_ = chat_settings(
            tmp_path_factory.mktemp("fuzz"),
            f"{llm_url}/v1",
            rate_limit_token_misses="100000/minute",
        )
        with serve_chatbot(settings_) as url:
            yield url


@pytest.fixture(scope="module")
def gateway_url(chatbot_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    routes = tmp_path_factory.mktemp("routes") / "routes.json"
    text = DEFAULT_ROUTES.read_text().replace('"30/minute"', '"100000/minute"')
    routes.write_text(text.replace('"20/minute"', '"100000/minute"').replace(
        '"120/minute"', '"100000/minute"'))  # fmt: skip
    gateway = GatewaySettings(routes_file=routes, chatbot_url=chatbot_url)
    with serve(create_gateway(gateway)) as url:
        yield url


@pytest.fixture(scope="module")
def short_llm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    server = launch_llm_server(
        tmp_path_factory.mktemp("fuzzllm"), env={"MAX_TOKENS": "4", "MAX_QUEUE": "8"}
    )
    server.wait_ready()
    yield server
    server.stop()


def run_schema(schema_url: str, base_url: str) -> None:
    schema = schemathesis.openapi.from_url(schema_url)
    failures: list[str] = []
    for result in schema.get_all_operations():
        assert not isinstance(result, Err), f"the schema is invalid: {result}"
        operation = result.ok()

        @EXAMPLES
        @given(case=operation.as_strategy())
        def check(case: Any) -> None:
            response = case.call(base_url=base_url)
            case.validate_response(response, checks=CHECKS)

        try:
            check()
        except Exception as exc:  # collect every operation's failure, then report
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}")
    assert not failures, "\n\n".join(failures)


def test_fuzz_chatbot(chatbot_url: str) -> None:
    run_schema(f"{chatbot_url}/openapi.json", chatbot_url)


def test_fuzz_gateway_in_front_of_the_chatbot(chatbot_url: str, gateway_url: str) -> None:
    # The gateway publishes no schema of its own for the proxied routes: fuzz them through it.
    run_schema(f"{chatbot_url}/openapi.json", gateway_url)


def test_fuzz_llm_server(short_llm: ServerProcess) -> None:
    run_schema(f"{short_llm.url}/openapi.json", short_llm.url)
