"""Fixtures shared by every test: the bundled model served by a real process."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bench.processes import ServerProcess
from tests.utils.processes import launch_llm_server


@pytest.fixture(scope="session")
def llm_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """Serve the bundled model, with room for several waiting requests."""
    server = launch_llm_server(
        tmp_path_factory.mktemp("llm"),
        env={"MAX_QUEUE": "8", "MAX_TOKENS": "256", "N_CTX": "2048", "MODEL_ALIAS": "smollm2"},
    )
    server.wait_ready()
    yield server
    server.stop()
