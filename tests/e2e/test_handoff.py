"""End to end: a customer and an advisor, two Chromium contexts, live both ways.

The customer asks for a person and the advisor's console shows it without a reload; the
advisor signs in, claims and replies, and the widget shows the reply as it happens; the
advisor closes and the customer is back with the bot, which answers a stock question.
The chatbot runs on a clock at a moment the demo dealer is open (its hours would otherwise
hand the wait back to the bot at night); the gateway serves the pages, as in production.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Request, expect

from okla.chatbot.app import create_app
from okla.chatbot.auth import Role
from tests.utils.chat import chat_settings, serve_staff_gateway
from tests.utils.live import RunningClock
from tests.utils.servers import serve
from tests.utils.services import unavailable
from tests.utils.staff import ADP, PASSWORD, add_account

pytestmark = pytest.mark.integration

CHROMIUM = os.environ.get("OKLA_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
WAIT = 30_000  # ms: an upper bound for a loaded machine, not a speed target


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The gateway's URL (pages and API) and the advisor's email."""
    tmp = tmp_path_factory.mktemp("handoff")
    settings = chat_settings(tmp, "http://127.0.0.1:9/v1", answer_mode="template")
    with serve(create_app(settings, demo_data=True, clock=RunningClock())) as chat_url:
        # In a thread: Playwright's sync API may already run an event loop in this one.
        with ThreadPoolExecutor(1) as pool:
            advisor = pool.submit(add_account, settings, Role.AGENT, ADP, name="Ana Pérez").result()
        with serve_staff_gateway(tmp, chat_url) as url:
            yield url, advisor.email


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        unavailable("Chromium", FileNotFoundError(CHROMIUM))
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


def test_a_customer_and_an_advisor_live_both_ways(browser: Browser, site: tuple[str, str]) -> None:
    url, email = site
    # 127.0.0.1 over http: the refresh cookie is Secure, so the console works on its token.
    customer_context = browser.new_context(viewport={"width": 1000, "height": 760})
    advisor_context = browser.new_context(viewport={"width": 1200, "height": 800})
    try:
        console = advisor_context.new_page()
        console.goto(url + "/agent.html")
        console.fill("#email", email)
        console.fill("#password", PASSWORD)
        console.get_by_role("button", name="Entrar").click()
        expect(console.locator("#status")).to_have_text("En vivo", timeout=WAIT)
        expect(console.locator("#name")).to_contain_text("Ana Pérez")

        widget = customer_context.new_page()
        streams: list[str] = []
        widget.on("request", lambda r: streams.append(r.url) if _is_stream(r) else None)
        widget.goto(url + "/")
        widget.get_by_role("button", name="Abrir chat con un asesor de ventas").click()
        widget.locator(".okla-bot").first.wait_for(timeout=WAIT)
        widget.get_by_role("button", name="Hablar con un asesor").click()
        widget.locator(".okla-system").first.wait_for(timeout=WAIT)

        # The console shows it live: it has no poll, only the event stream.
        waiting = console.locator("#waiting .item")
        expect(waiting).to_have_count(1, timeout=WAIT)
        expect(console.locator("#waiting-count")).to_have_text("1")
        expect(waiting.first).to_contain_text("hace")
        waiting.first.click()
        console.get_by_role("button", name="Tomar").click()
        expect(console.locator("#mine .item")).to_have_count(1, timeout=WAIT)
        expect(widget.locator(".okla-system").last).to_contain_text(
            "Ana Pérez, asesor de ventas, se unió", timeout=WAIT
        )

        # Typing shows on the customer's side as it happens.
        console.locator("#msg").press_sequentially("Hola")
        expect(widget.locator(".okla-typing")).to_have_text(
            "Ana Pérez está escribiendo…", timeout=WAIT
        )
        console.fill("#msg", "Hola, soy Ana. ¿Buscas alguna yipeta en particular?")
        console.keyboard.press("Enter")
        reply = widget.get_by_text("Hola, soy Ana. ¿Buscas alguna yipeta en particular?")
        expect(reply).to_be_visible(timeout=WAIT)
        assert reply.get_attribute("aria-label") == (
            "Asesor: Hola, soy Ana. ¿Buscas alguna yipeta en particular?"
        )
        assert any("/api/chat/session/" in s and s.endswith("/events") for s in streams)

        # The customer answers: the console shows it in the open conversation.
        widget.get_by_label("Escribe tu mensaje").fill("Sí, una RAV4 <b>por favor</b>")
        widget.get_by_role("button", name="Enviar").click()
        said = console.locator("#log .user").last
        expect(said).to_have_text("Cliente: Sí, una RAV4 <b>por favor</b>", timeout=WAIT)
        assert console.locator("#log b").count() == 0  # text, never markup

        console.get_by_role("button", name="Cerrar").click()
        expect(widget.locator(".okla-system").last).to_contain_text(
            "El asesor terminó la conversación", timeout=WAIT
        )
        expect(widget.get_by_role("button", name="Hablar con un asesor")).to_be_enabled()
        expect(console.locator("#mine .item")).to_have_count(0, timeout=WAIT)

        # Back with the bot: a stock question gets the bot's answer, with cards.
        bots = widget.locator(".okla-bot").count()
        widget.get_by_label("Escribe tu mensaje").fill("¿qué yipetas tienen?")
        widget.get_by_role("button", name="Enviar").click()
        widget.locator(".okla-card").first.wait_for(timeout=WAIT)
        assert widget.locator(".okla-bot").count() > bots
    finally:
        customer_context.close()
        advisor_context.close()


def _is_stream(request: Request) -> bool:
    return request.url.endswith("/events")
