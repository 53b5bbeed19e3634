"""The Kubernetes manifests (deploy/k8s): every overlay renders, validates, and means it.

kubectl kustomize renders each overlay; kubernetes-validate checks it strictly against the
newest Kubernetes it knows; then what a reviewer would check by eye: probes, resources,
non-root, who may talk to whom, where each service's URL points, and what the settings
services build from the rendered environment come out as.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import kubernetes_validate
import pytest
import yaml
from kubernetes_validate.utils import latest_version

from okla.chatbot.settings import AnswerMode, ChatbotSettings
from okla.gateway.settings import GatewaySettings
from okla.llm_server.settings import LlmServerSettings
from tests.utils.kube import (
    Manifest,
    Peer,
    allowed,
    find,
    http_probes,
    kustomize,
    pod_specs,
    selects,
    workload_peers,
)

K8S = Path(__file__).resolve().parents[2] / "deploy" / "k8s"
OVERLAYS = ("local-llm", "external-api", "vllm")
OKLA_IMAGE = "localhost/okla:latest"


@pytest.fixture(scope="module", params=OVERLAYS)
def overlay(request: pytest.FixtureRequest) -> tuple[str, list[Manifest]]:
    name: str = request.param
    return name, kustomize(K8S / "overlays" / name)


@pytest.fixture(scope="module")
def secret_template() -> Manifest:
    template: Manifest = yaml.safe_load((K8S / "base" / "secret.example.yaml").read_text())
    return template


def test_the_newest_kubernetes_accepts_every_object_strictly(
    overlay: tuple[str, list[Manifest]],
) -> None:
    version = latest_version()
    assert tuple(int(p) for p in version.split(".")[:2]) >= (1, 33), version
    _name, manifests = overlay
    kinds = {m["kind"] for m in manifests}
    assert {"Namespace", "ConfigMap", "Deployment", "StatefulSet", "Service",
            "NetworkPolicy", "PodDisruptionBudget", "HorizontalPodAutoscaler"} <= kinds  # fmt: skip
    for manifest in manifests:
        # Raises on an unknown field, a wrong type or a missing required field.
        kubernetes_validate.validate(manifest, version, strict=True)


def test_a_field_kubernetes_does_not_know_is_refused() -> None:
    # The check above can fail: strict validation refuses what a typo would produce.
    bad = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "x"},
        "spec": {
            "selector": {"matchLabels": {"a": "b"}},
            "template": {
                "metadata": {"labels": {"a": "b"}},
                "spec": {"containers": [{"name": "x", "image": "x", "readinessprobe": {}}]},
            },
        },
    }
    with pytest.raises(kubernetes_validate.ValidationError, match="readinessprobe"):
        kubernetes_validate.validate(bad, latest_version(), strict=True)


def test_every_container_has_probes_resources_and_runs_as_non_root(
    overlay: tuple[str, list[Manifest]],
) -> None:
    _name, manifests = overlay
    checked = 0
    for workload, pod in pod_specs(manifests):
        pod_security = pod.get("securityContext") or {}
        assert pod_security.get("seccompProfile") == {"type": "RuntimeDefault"}, workload
        # Service links would put GATEWAY_PORT=tcp://... into every pod: a setting here.
        assert pod.get("enableServiceLinks") is False, workload
        assert pod.get("automountServiceAccountToken") is False, workload
        containers = [(c, True) for c in pod["containers"]]
        containers += [(c, False) for c in pod.get("initContainers") or []]
        for container, serves in containers:
            where = f"{workload}/{container['name']}"
            security = {**pod_security, **(container.get("securityContext") or {})}
            assert security.get("runAsNonRoot") is True, where
            assert security.get("runAsUser", 0) != 0, where
            assert security.get("allowPrivilegeEscalation") is False, where
            assert security.get("capabilities") == {"drop": ["ALL"]}, where
            if container["image"].startswith("localhost/okla"):
                assert security.get("readOnlyRootFilesystem") is True, where
            resources = container.get("resources") or {}
            assert {"cpu", "memory"} <= set(resources.get("requests") or {}), where
            assert "memory" in (resources.get("limits") or {}), where
            if serves:
                for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
                    assert probe in container, f"{where} has no {probe}"
            checked += 1
    assert checked >= 5  # db, redis, chatbot and its migrations, gateway (and the LLM)


def test_the_probes_ask_what_they_mean(overlay: tuple[str, list[Manifest]]) -> None:
    name, manifests = overlay
    if name != "external-api":
        # Ready only when the model is loaded: /health is 503 while loading (and the server
        # exits after a failed load); vLLM only listens once its engine is up.
        llm = http_probes(manifests, "llm-server")
        assert set(llm.values()) == {("/health", 8000)}
    chatbot = http_probes(manifests, "chatbotservice")
    assert chatbot["readinessProbe"] == chatbot["startupProbe"] == ("/api/chat/health", 5060)
    assert chatbot["livenessProbe"] == ("/metrics", 5060)
    gateway = http_probes(manifests, "gateway")
    assert {path for path, _port in gateway.values()} == {"/widget.js"}


def test_the_probed_paths_answer_as_the_probes_expect(tmp_path: Path) -> None:
    # The real apps, the paths from the rendered manifests: the chatbot is ready while its
    # database answers and alive when it doesn't; the gateway stays ready and alive while the
    # chatbot is down (its own /health would not).
    import httpx

    from bench.processes import free_port
    from okla.chatbot.app import create_app as chatbot_app
    from okla.gateway.app import create_app as gateway_app
    from tests.utils.servers import serve

    manifests = kustomize(K8S / "overlays" / "local-llm")
    chatbot_probes = http_probes(manifests, "chatbotservice")
    gateway_probes = http_probes(manifests, "gateway")
    nowhere = f"http://127.0.0.1:{free_port()}"
    up = ChatbotSettings(
        database_url=f"sqlite:///{tmp_path / 'chat.db'}",
        answer_mode=AnswerMode.TEMPLATE,
        llm_base_url=f"{nowhere}/v1",
    )
    down = up.model_copy(
        update={
            "database_url": f"postgresql+asyncpg://okla@127.0.0.1:{free_port()}/okla",
            "auto_migrate": False,
        }
    )
    with serve(chatbot_app(up)) as healthy, serve(chatbot_app(down)) as no_database:
        for base, ready in ((healthy, True), (no_database, False)):
            readiness = httpx.get(base + chatbot_probes["readinessProbe"][0], timeout=15)
            assert readiness.status_code == (200 if ready else 503), readiness.text
            assert httpx.get(base + chatbot_probes["livenessProbe"][0]).status_code == 200
        for chatbot_url, chatbot_up in ((healthy, True), (nowhere, False)):
            with serve(gateway_app(GatewaySettings(chatbot_url=chatbot_url))) as gateway:
                for _kind, (path, _port) in gateway_probes.items():
                    assert httpx.get(gateway + path).status_code == 200
                own_health = httpx.get(gateway + "/health", timeout=15).status_code
                assert own_health == (200 if chatbot_up else 503)


def test_replicas_disruption_budgets_and_autoscalers(overlay: tuple[str, list[Manifest]]) -> None:
    name, manifests = overlay
    replicas = {m["metadata"]["name"]: m["spec"]["replicas"]
                for m in manifests if m["kind"] == "Deployment"}  # fmt: skip
    assert (replicas["chatbotservice"], replicas["gateway"]) == (2, 2)
    assert replicas.get("llm-server") == (None if name == "external-api" else 1)
    for workload in ("chatbotservice", "gateway"):
        deployment = find(manifests, "Deployment", workload)
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        budget = find(manifests, "PodDisruptionBudget", workload)
        assert selects(budget["spec"]["selector"], labels)
        assert 0 < budget["spec"]["minAvailable"] < replicas[workload]
        scaler = find(manifests, "HorizontalPodAutoscaler", workload)
        assert scaler["spec"]["scaleTargetRef"] == {
            "apiVersion": "apps/v1", "kind": "Deployment", "name": workload}  # fmt: skip
        assert scaler["spec"]["minReplicas"] == replicas[workload]
        assert scaler["spec"]["maxReplicas"] > replicas[workload]
        # Each Service sends to this workload's pods, and to no other's.
        service = find(manifests, "Service", workload)
        chosen = [n for n, pod in _templates(manifests) if _sends_to(service, pod)]
        assert chosen == [workload]
    # A budget on a single replica would block every node drain.
    budgets = {m["metadata"]["name"] for m in manifests if m["kind"] == "PodDisruptionBudget"}
    assert budgets == {"chatbotservice", "gateway"}


def _sends_to(service: Manifest, pod_labels: Mapping[str, str]) -> bool:
    return selects({"matchLabels": service["spec"]["selector"]}, pod_labels)


def _templates(manifests: Sequence[Manifest]) -> Iterator[tuple[str, dict[str, str]]]:
    for m in manifests:
        if m["kind"] in ("Deployment", "StatefulSet"):
            yield m["metadata"]["name"], m["spec"]["template"]["metadata"]["labels"]


def _expected_paths(name: str, outsiders: Sequence[Peer]) -> set[tuple[str, str, int]]:
    # Anyone may reach the gateway; then only these.
    paths = {(outsider.name, "gateway", 18443) for outsider in outsiders}
    paths |= {
        ("gateway", "chatbotservice", 5060),
        ("gateway", "chatbot-redis", 6379),
        ("chatbotservice", "chatbot-db", 5432),
        ("chatbotservice", "chatbot-redis", 6379),
    }
    if name == "external-api":
        paths.add(("chatbotservice", "api.openai.com", 443))
    else:
        paths.add(("chatbotservice", "llm-server", 8000))
    return paths


def test_the_network_policies_let_through_exactly_what_they_claim(
    overlay: tuple[str, list[Manifest]],
) -> None:
    name, manifests = overlay
    policies = [m for m in manifests if m["kind"] == "NetworkPolicy"]
    peers = workload_peers(manifests)
    outsiders = [
        Peer("ingress-controller", "10.245.0.7", "ingress-nginx", {"app": "ingress-nginx"}),
        Peer("other-namespace-pod", "10.245.0.8", "shop", {"app.kubernetes.io/name": "gateway"}),
        Peer("api.openai.com", "162.159.140.245", ports={"https": 443}),
        Peer("cloud-metadata", "169.254.169.254", ports={"http": 80}),
    ]
    everyone = [*peers.values(), *outsiders]
    ports = {port for peer in everyone for port in peer.ports.values()} | {443, 80}
    found = {
        (source.name, dest.name, port)
        for source in everyone
        for dest in everyone
        if source is not dest and (source.name in peers or dest.name in peers)
        for port in ports
        if port in dest.ports.values() and allowed(policies, source, dest, port)
    }
    assert found == _expected_paths(name, outsiders)
    # Every pod may ask the cluster's DNS, and only that in kube-system.
    dns = Peer("kube-dns", "10.96.0.10", "kube-system", {"k8s-app": "kube-dns"}, {"dns": 53})
    other = Peer("metrics-server", "10.96.0.11", "kube-system", {"k8s-app": "metrics"})
    for peer in peers.values():
        assert allowed(policies, peer, dns, 53, "UDP"), peer.name
        assert not allowed(policies, peer, other, 53, "UDP"), peer.name


def _environment(
    manifests: Sequence[Manifest], container: Mapping[str, object], secret: Manifest
) -> dict[str, str]:
    """Resolve a container's env as the kubelet does: ConfigMap and Secret keys, $(VAR)."""
    config = next(m for m in manifests if m["kind"] == "ConfigMap")["data"]
    values: dict[str, str] = {}
    entries = container.get("env")
    assert isinstance(entries, list)
    for entry in entries:
        if "value" in entry:
            values[entry["name"]] = re.sub(
                r"\$\((\w+)\)", lambda m: values.get(m[1], m[0]), entry["value"]
            )
            continue
        source = entry["valueFrom"]
        if "configMapKeyRef" in source:
            ref = source["configMapKeyRef"]
            assert ref["name"] == config_name(manifests), entry
            values[entry["name"]] = config[ref["key"]]
        else:
            ref = source["secretKeyRef"]
            assert ref["name"] == secret["metadata"]["name"], entry
            values[entry["name"]] = secret["stringData"][ref["key"]]
    return values


def config_name(manifests: Sequence[Manifest]) -> str:
    """Return the generated ConfigMap's name (with kustomize's hash suffix)."""
    names = [str(m["metadata"]["name"]) for m in manifests if m["kind"] == "ConfigMap"]
    assert len(names) == 1 and names[0].startswith("okla-config-"), names
    return names[0]


def _container(manifests: Sequence[Manifest], workload: str, init: bool = False) -> Manifest:
    spec = dict(pod_specs(manifests))[workload]
    container: Manifest = (spec["initContainers"] if init else spec["containers"])[0]
    return container


def _service_url(manifests: Sequence[Manifest], host: str, port: int) -> None:
    """Check that host:port is a Service of these manifests, sending to a workload's port."""
    service = find(manifests, "Service", host)
    assert port in [p["port"] for p in service["spec"]["ports"]], f"{host}:{port}"
    assert any(_sends_to(service, labels) for _n, labels in _templates(manifests))


def test_the_settings_each_service_reads_point_at_the_others(
    overlay: tuple[str, list[Manifest]],
    secret_template: Manifest,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    name, manifests = overlay

    def settings_from(environment: Mapping[str, str]) -> None:
        for variable in list(__import__("os").environ):
            monkeypatch.delenv(variable)
        for key, value in environment.items():
            monkeypatch.setenv(key, value)

    password = secret_template["stringData"]["POSTGRES_PASSWORD"]
    settings_from(_environment(manifests, _container(manifests, "chatbotservice"), secret_template))
    chatbot = ChatbotSettings()
    assert chatbot.database_url == f"postgresql+asyncpg://okla:{password}@chatbot-db:5432/okla"
    _service_url(manifests, "chatbot-db", 5432)
    assert chatbot.redis_url == "redis://chatbot-redis:6379/0"
    _service_url(manifests, "chatbot-redis", 6379)
    assert chatbot.auto_migrate is False
    assert chatbot.jwt_secret is not None
    assert chatbot.llm_api_key is not None
    if name == "external-api":
        assert (chatbot.llm_base_url, chatbot.llm_model) == ("https://api.openai.com/v1",
                                                             "gpt-4o-mini")  # fmt: skip
    else:
        assert (chatbot.llm_base_url, chatbot.llm_model) == ("http://llm-server:8000/v1", "okla")
        _service_url(manifests, "llm-server", 8000)

    # The init container migrates the very database the service uses.
    migrate = _container(manifests, "chatbotservice", init=True)
    assert migrate["args"] == ["chat", "migrate"]
    settings_from(_environment(manifests, migrate, secret_template))
    assert ChatbotSettings().database_url == chatbot.database_url

    settings_from(_environment(manifests, _container(manifests, "gateway"), secret_template))
    gateway = GatewaySettings()
    assert gateway.chatbot_url == "http://chatbotservice:5060"
    _service_url(manifests, "chatbotservice", 5060)
    assert gateway.redis_url == "redis://chatbot-redis:6379/1"
    assert gateway.jwt_secret is not None and gateway.allowed_origins == []

    if name == "local-llm":
        container = _container(manifests, "llm-server")
        settings_from(_environment(manifests, container, secret_template))
        llm = LlmServerSettings()
        assert llm.model_path is None  # the bundled model
        # os.cpu_count() in a pod counts the node's cores: the threads follow the request.
        assert llm.n_threads == int(container["resources"]["requests"]["cpu"])
        assert any(m["readOnly"] for m in container["volumeMounts"] if m["mountPath"] == "/models")


def test_every_secret_key_used_is_in_the_template(
    overlay: tuple[str, list[Manifest]], secret_template: Manifest
) -> None:
    _name, manifests = overlay
    used = {
        entry["valueFrom"]["secretKeyRef"]["key"]
        for _workload, pod in pod_specs(manifests)
        for container in [*pod["containers"], *(pod.get("initContainers") or [])]
        for entry in container.get("env") or []
        if "secretKeyRef" in entry.get("valueFrom", {})
    }
    assert used == set(secret_template["stringData"])
    # No secret ships with the manifests: it is created by hand, from the template.
    assert not [m for m in manifests if m["kind"] == "Secret"]


def test_the_external_api_overlay_needs_its_key_and_runs_no_llm(
    secret_template: Manifest,
) -> None:
    manifests = kustomize(K8S / "overlays" / "external-api")
    assert not [m for m in manifests if "llm" in m["metadata"]["name"]]
    env = {e["name"]: e for e in _container(manifests, "chatbotservice")["env"]}
    assert env["LlmService__ApiKey"]["valueFrom"]["secretKeyRef"]["optional"] is False
    base = kustomize(K8S / "overlays" / "local-llm")
    base_env = {e["name"]: e for e in _container(base, "chatbotservice")["env"]}
    assert base_env["LlmService__ApiKey"]["valueFrom"]["secretKeyRef"]["optional"] is True


def test_the_vllm_overlay_runs_vllm_with_prefix_caching_on_a_gpu_node() -> None:
    manifests = kustomize(K8S / "overlays" / "vllm")
    deployment = find(manifests, "Deployment", "llm-server")
    pod = deployment["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    assert container["image"].startswith("docker.io/vllm/vllm-openai:v")
    args = container["args"]
    assert "--enable-prefix-caching" in args
    config = next(m for m in manifests if m["kind"] == "ConfigMap")["data"]
    # The chatbot's model id and URL need no change: same name, same Service port.
    assert f"--served-model-name={config['LlmService__ModelId']}" in args
    assert "--port=8000" in args and config["LlmService__ServerUrl"] == "http://llm-server:8000/v1"
    assert container["resources"]["limits"]["nvidia.com/gpu"] == "1"
    assert pod["nodeSelector"] == {"nvidia.com/gpu.present": "true"}
    assert {"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"} in pod[
        "tolerations"
    ]
    assert {"name": "HF_HUB_OFFLINE", "value": "1"} in container["env"]


def test_the_okla_image_runs_the_three_services(overlay: tuple[str, list[Manifest]]) -> None:
    from okla.cli import build_parser

    _name, manifests = overlay
    for workload, pod in pod_specs(manifests):
        for container in [*pod["containers"], *(pod.get("initContainers") or [])]:
            if container["image"] != OKLA_IMAGE:
                continue
            # Each command is one the image's entrypoint (`okla`) knows.
            args = build_parser().parse_args(container["args"])
            assert callable(args.run), f"{workload}: {container['args']}"
