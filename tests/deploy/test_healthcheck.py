"""The image's HEALTHCHECK script asks each service what its Kubernetes probes ask."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from tests.utils.kube import http_probes, kustomize

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def healthcheck() -> ModuleType:
    spec = importlib.util.spec_from_file_location("okla_healthcheck", DEPLOY / "healthcheck.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_port_comes_from_the_flag_then_the_variable_then_the_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    check = healthcheck()
    monkeypatch.delenv("CHATBOT_PORT", raising=False)
    assert check.port_of("chat", []) == 5060
    monkeypatch.setenv("CHATBOT_PORT", "5100")
    assert check.port_of("chat", ["--demo"]) == 5100
    assert check.port_of("chat", ["--port", "5200"]) == 5200
    assert check.port_of("chat", ["--port=5300"]) == 5300
    monkeypatch.setenv("PORT", "")
    assert check.port_of("llm", []) == 8000


def test_the_paths_are_those_of_the_kubernetes_probes() -> None:
    paths = {service: path for service, (_var, _port, path) in healthcheck().SERVICES.items()}
    manifests = kustomize(DEPLOY / "k8s" / "overlays" / "local-llm")
    for service, workload in (("llm", "llm-server"), ("chat", "chatbotservice"),
                              ("gateway", "gateway")):  # fmt: skip
        assert http_probes(manifests, workload)["readinessProbe"][0] == paths[service]


def test_no_service_here_is_unhealthy(monkeypatch: pytest.MonkeyPatch) -> None:
    check = healthcheck()
    monkeypatch.setattr(check, "served", lambda: None)
    assert check.main() == 1
