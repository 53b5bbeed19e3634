"""Many chatbot processes, one truth: three real `okla chat serve` replicas on one PostgreSQL
and one Redis, behind a real gateway; and one of them killed in the middle of the load.

The LLM is a scripted OpenAI-compatible server (quick, and it counts the calls); the tests of
this module share one set of processes, and the last one kills a replica.
"""

from __future__ import annotations

import asyncio
import functools
import json
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
import redis

from bench.processes import ServerProcess
from okla.gateway.settings import DEFAULT_ROUTES
from tests.utils.processes import launch_chatbot, launch_gateway
from tests.utils.replicas import metric
from tests.utils.servers import ScriptedLlm, serve
from tests.utils.services import REDIS_TEST_URL, fresh_postgres, unavailable

pytestmark = pytest.mark.integration

# A Redis database of this module's own: other modules empty theirs when they start, and the
# replicas' locks must not vanish under them.
REDIS_URL = REDIS_TEST_URL.rsplit("/", 1)[0] + "/13"
MESSAGE_LIMIT = 8  # per session and minute, counted in Redis by whichever replica answers
REPLY = "Con gusto le ayudo a encontrar su próximo vehículo hoy."


@dataclass
class Replicas:
    llm: ScriptedLlm
    chatbots: list[ServerProcess]
    gateway: ServerProcess
    urls: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Replicas]:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        unavailable("Redis", exc)
    tmp = tmp_path_factory.mktemp("replicas")
    llm = ScriptedLlm(reply=REPLY)
    with ExitStack() as stack, fresh_postgres() as database_url:
        llm_url = stack.enter_context(serve(llm.app()))
        env = {
            "DATABASE_URL": database_url,
            "REDIS_URL": REDIS_URL,
            "ANSWER_MODE": "model",
            "LLM_TIMEOUT_SECONDS": "10",
            "RATE_LIMIT_MESSAGES": f"{MESSAGE_LIMIT}/minute",
            "RATE_LIMIT_SESSIONS": "10000/minute",
            "RATE_LIMIT_TOKEN_MISSES": "10000/minute",
            "OUTBOX_WORKER": "false",
        }
        chatbots: list[ServerProcess] = []

        def start(index: int) -> ServerProcess:
            # Each its own run directory (logs); the database and Redis are the shared ones.
            server = launch_chatbot(tmp / f"replica-{index}", f"{llm_url}/v1", env)
            chatbots.append(server)
            stack.callback(server.stop)
            return server

        for index in range(3):
            (tmp / f"replica-{index}").mkdir()
        # The first migrates and loads the demo dealers; the others find them there.
        start(0).wait_ready("/api/chat/health", timeout=180)
        for server in [start(1), start(2)]:
            server.wait_ready("/api/chat/health", timeout=180)
        urls = [c.url for c in chatbots]
        routes = json.loads(DEFAULT_ROUTES.read_text())
        routes["rateLimits"] |= {"chat-start": "10000/minute", "chat-message": "10000/minute",
                                 "default": "10000/minute"}  # fmt: skip
        (tmp / "routes.json").write_text(json.dumps(routes))
        gateway = launch_gateway(
            tmp,
            ",".join(urls),
            {
                "ROUTES_FILE": str(tmp / "routes.json"),
                "UPSTREAM_PROBE_SECONDS": "1",
                "UPSTREAM_DOWN_SECONDS": "5",
            },
        )
        stack.callback(gateway.stop)
        gateway.wait_ready("/health", timeout=120)
        yield Replicas(llm, chatbots, gateway, urls)


def start(url: str) -> str:
    answer = httpx.post(f"{url}/api/chat/start", json={"sessionType": "WebChat"}, timeout=30)
    assert answer.status_code == 201, answer.text
    token: str = answer.json()["sessionToken"]
    return token


async def say(
    client: httpx.AsyncClient, url: str, token: str, text: str, key: str | None = None
) -> httpx.Response:
    headers = {"Idempotency-Key": key} if key else {}
    body = {"sessionToken": token, "message": text}
    return await client.post(f"{url}/api/chat/message", json=body, headers=headers)


def transcript(url: str, token: str) -> list[str]:
    """Return the customer's messages of a session, as stored."""
    answer = httpx.get(f"{url}/api/chat/session/{token}", timeout=30)
    assert answer.status_code == 200, answer.text
    return [m["content"] for m in answer.json()["messages"] if m["role"] == "user"]


async def test_a_session_started_on_one_replica_is_answered_by_every_other(
    stack: Replicas,
) -> None:
    token = start(stack.urls[0])
    async with httpx.AsyncClient(timeout=60) as client:
        for i, url in enumerate(stack.urls):
            answer = await say(client, url, token, f"Hola, pregunta {i}")
            assert answer.status_code == 200, answer.text
    assert transcript(stack.urls[2], token) == [f"Hola, pregunta {i}" for i in range(3)]


async def test_ten_replays_over_three_replicas_store_once_and_ask_the_llm_once(
    stack: Replicas,
) -> None:
    token = start(stack.urls[1])
    stack.llm.delay = 0.05  # the replays arrive while the first is answered
    calls = stack.llm.calls
    key = str(uuid.uuid4())
    text = "¿Tienen guaguas de menos de dos millones?"
    async with httpx.AsyncClient(timeout=60) as client:
        answers = await asyncio.gather(
            *(say(client, stack.urls[i % 3], token, text, key) for i in range(10))
        )
    assert [a.status_code for a in answers] == [200] * 10, [a.text for a in answers]
    assert len({a.json()["messageId"] for a in answers}) == 1
    assert len({json.dumps(a.json()["reply"]) for a in answers}) == 1
    assert stack.llm.calls - calls == 1
    assert transcript(stack.urls[0], token).count(text) == 1


async def test_a_second_message_on_another_replica_gets_409(stack: Replicas) -> None:
    token = start(stack.urls[0])
    stack.llm.delay = 0.2  # a reply of ten words: two seconds
    async with httpx.AsyncClient(timeout=60) as client:
        first = asyncio.create_task(say(client, stack.urls[0], token, "¿Qué yipetas tienen?"))
        await asyncio.sleep(0.7)
        second = await say(client, stack.urls[1], token, "¿Y carros?")
        assert second.status_code == 409, second.text
        assert second.json()["error"]["field"] == "sessionToken"
        assert (await first).status_code == 200
    stack.llm.delay = 0.0


async def test_the_message_rate_limit_is_one_across_replicas(stack: Replicas) -> None:
    token = start(stack.urls[2])
    statuses = []
    async with httpx.AsyncClient(timeout=60) as client:
        for i in range(MESSAGE_LIMIT + 1):
            statuses.append((await say(client, stack.urls[i % 3], token, f"Hola {i}")).status_code)
        limited = await say(client, stack.urls[0], token, "Hola otra vez")
    # Per replica, each would have let 8 through: 24 in all.
    assert statuses == [200] * MESSAGE_LIMIT + [429]
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1


@dataclass
class Customer:
    token: str = ""
    acknowledged: list[str] = field(default_factory=list)
    errors: list[httpx.Response | str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)  # failed twice: never acknowledged


CUSTOMERS = 24
MESSAGES = 4
RETRYABLE = {502, 503, 504}


async def _retrying(
    call: Callable[[], Awaitable[httpx.Response]], customer: Customer
) -> httpx.Response | None:
    """Run the request; on a clear retryable error, once more (as the widget's retry does)."""
    for attempt in range(2):
        try:
            answer = await call()
        except httpx.TransportError as exc:
            customer.errors.append(f"{type(exc).__name__}")
            continue
        if answer.status_code not in RETRYABLE:
            return answer
        customer.errors.append(answer)
        if attempt == 1:
            return None
    return None


async def _customer(client: httpx.AsyncClient, number: int, customer: Customer) -> None:
    started = await _retrying(
        lambda: client.post("/api/chat/start", json={"sessionType": "WebChat"}), customer
    )
    assert started is not None and started.status_code == 201, started and started.text
    customer.token = started.json()["sessionToken"]
    for turn in range(MESSAGES):
        text = f"Cliente {number}: ¿qué yipetas tienen? (mensaje {turn})"
        key = str(uuid.uuid4())
        body = {"sessionToken": customer.token, "message": text}
        answer = await _retrying(
            functools.partial(
                client.post, "/api/chat/message", json=body, headers={"Idempotency-Key": key}
            ),
            customer,
        )
        if answer is None:
            customer.lost.append(text)
            continue
        assert answer.status_code == 200, answer.text
        customer.acknowledged.append(text)


def test_killing_a_replica_under_load_loses_and_duplicates_nothing(stack: Replicas) -> None:
    gateway = stack.gateway.url
    victim = stack.chatbots[1]
    stack.llm.delay = 0.05  # ten words: half a second per reply
    customers = [Customer() for _ in range(CUSTOMERS)]

    async def load() -> None:
        async with httpx.AsyncClient(base_url=gateway, timeout=90) as client:
            await asyncio.gather(*(_customer(client, n, c) for n, c in enumerate(customers)))

    async def kill_in_the_middle() -> None:
        # Once a quarter of the messages were answered, while the victim answers some.
        async with httpx.AsyncClient(base_url=gateway, timeout=10) as client:
            while True:
                done = sum(len(c.acknowledged) for c in customers)
                text = (await client.get("/metrics")).text
                busy = metric(text, "okla_gateway_upstream_in_flight", upstream=victim.url)
                if done >= CUSTOMERS * MESSAGES // 4 and busy >= 2:
                    victim.process.kill()  # SIGKILL: no goodbye, locks and claims left behind
                    return
                await asyncio.sleep(0.02)

    async def run() -> None:
        killer = asyncio.create_task(kill_in_the_middle())
        await load()
        await asyncio.wait_for(killer, 1)

    asyncio.run(run())
    assert victim.process.wait(timeout=10) == -9

    for n, customer in enumerate(customers):
        # At most one error each, and a clear one: retry, in JSON, with Retry-After.
        assert len(customer.errors) <= 1, (n, customer.errors)
        for error in customer.errors:
            assert isinstance(error, httpx.Response), (n, error)
            assert error.status_code in (502, 503)
            assert "retry" in error.json()["error"]["message"]
            assert int(error.headers["retry-after"]) >= 1
        assert not customer.lost, (n, customer.lost)
        stored = transcript(gateway, customer.token)
        # Everything acknowledged is there exactly once, in order, and nothing else is twice.
        assert stored == customer.acknowledged, (n, stored, customer.acknowledged)

    text = httpx.get(f"{gateway}/metrics").text
    # The kill did hit requests in flight, and the gateway moved them to the survivors.
    assert metric(text, "okla_gateway_upstream_requests_total", upstream=victim.url,
                  outcome="error") >= 1  # fmt: skip
    assert metric(text, "okla_gateway_upstream_retries_total", reason="dropped") >= 1
    assert metric(text, "okla_gateway_upstream_up", upstream=victim.url) == 0
    for survivor in (stack.chatbots[0], stack.chatbots[2]):
        assert survivor.process.poll() is None
        assert "Traceback" not in survivor.log_text()


def test_logs_hold_no_customer_text(stack: Replicas) -> None:
    # Runs after the load: transcripts must never reach a log, whatever went wrong.
    logs = [p.read_text(errors="replace") for p in Path(stack.gateway.log).parent.rglob("*.log")]
    assert logs
    assert not any("qué yipetas tienen" in log for log in logs)
