"""Kubernetes manifests in the deploy tests: rendered by kustomize, read like a cluster would."""

from __future__ import annotations

import ipaddress
import os
import re
import shutil
import subprocess
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

Manifest = dict[str, Any]
WORKLOADS = ("Deployment", "StatefulSet", "DaemonSet", "Job")
# Pods get addresses from the cluster's pod network; any private range behaves the same here.
POD_NETWORK = "10.244.0.0/16"


def kubectl() -> str:
    """Return kubectl's path; skip where it is missing, but fail under CI=true."""
    found = shutil.which("kubectl")
    if found is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("kubectl is missing (CI=true: the Kubernetes manifests must be checked)")
        pytest.skip("kubectl is missing")
    return found


def kustomize(path: Path) -> list[Manifest]:
    """Render a kustomization with `kubectl kustomize`, as `kubectl apply -k` would."""
    done = subprocess.run(
        [kubectl(), "kustomize", str(path)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return [doc for doc in yaml.safe_load_all(done.stdout) if doc]


def find(manifests: Sequence[Manifest], kind: str, name: str) -> Manifest:
    """Return the one object of this kind and name."""
    found = [m for m in manifests if m["kind"] == kind and m["metadata"]["name"] == name]
    assert len(found) == 1, f"{kind}/{name}: {len(found)} found"
    return found[0]


def pod_specs(manifests: Sequence[Manifest]) -> Iterator[tuple[str, Manifest]]:
    """Yield each workload's name and pod spec."""
    for m in manifests:
        if m["kind"] in WORKLOADS:
            yield m["metadata"]["name"], m["spec"]["template"]["spec"]


def http_probes(manifests: Sequence[Manifest], workload: str) -> dict[str, tuple[str, int]]:
    """Return the path and port each HTTP probe of a workload's first container asks."""
    spec = dict(pod_specs(manifests))[workload]
    container = spec["containers"][0]
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    probes = {}
    for kind in ("startupProbe", "readinessProbe", "livenessProbe"):
        get = container[kind]["httpGet"]
        port = get["port"]
        probes[kind] = (get["path"], ports[port] if isinstance(port, str) else port)
    return probes


def selects(selector: Mapping[str, Any] | None, labels: Mapping[str, str]) -> bool:
    """Tell whether a label selector matches these labels (an empty selector matches all)."""
    if selector is None:
        return False
    for key, value in (selector.get("matchLabels") or {}).items():
        if labels.get(key) != value:
            return False
    for expression in selector.get("matchExpressions") or []:
        key, operator = expression["key"], expression["operator"]
        values = expression.get("values") or []
        if operator == "In" and labels.get(key) not in values:
            return False
        if operator == "NotIn" and labels.get(key) in values:
            return False
        if operator == "Exists" and key not in labels:
            return False
        if operator == "DoesNotExist" and key in labels:
            return False
    return True


@dataclass(frozen=True)
class Peer:
    """A pod (or an address outside the cluster) that sends or receives."""

    name: str
    ip: str
    namespace: str | None = None  # None: not a pod of the cluster
    labels: Mapping[str, str] = field(default_factory=dict)
    ports: Mapping[str, int] = field(default_factory=dict)  # the named container ports

    @property
    def namespace_labels(self) -> dict[str, str]:
        """Return the labels Kubernetes puts on every namespace."""
        return {"kubernetes.io/metadata.name": self.namespace} if self.namespace else {}


def workload_peers(manifests: Sequence[Manifest]) -> dict[str, Peer]:
    """Return a peer for each workload's pods, by workload name."""
    peers: dict[str, Peer] = {}
    for index, m in enumerate(m for m in manifests if m["kind"] in WORKLOADS):
        spec = m["spec"]["template"]
        ports = {
            port["name"]: port["containerPort"]
            for container in spec["spec"]["containers"]
            for port in container.get("ports") or []
            if "name" in port
        }
        peers[m["metadata"]["name"]] = Peer(
            name=m["metadata"]["name"],
            ip=str(ipaddress.ip_network(POD_NETWORK)[index + 10]),
            namespace=m["metadata"].get("namespace", "default"),
            labels=spec["metadata"].get("labels") or {},
            ports=ports,
        )
    return peers


def allowed(
    policies: Sequence[Manifest], source: Peer, dest: Peer, port: int, protocol: str = "TCP"
) -> bool:
    """Tell whether the NetworkPolicies let `source` open a connection to `dest` on a port."""
    return _lets_through(policies, "Ingress", dest, source, dest, port, protocol) and (
        _lets_through(policies, "Egress", source, dest, dest, port, protocol)
    )


def _types(policy: Manifest) -> list[str]:
    spec = policy["spec"]
    if "policyTypes" in spec:
        return list(spec["policyTypes"])
    return ["Ingress", "Egress"] if "egress" in spec else ["Ingress"]


def _lets_through(
    policies: Sequence[Manifest],
    direction: str,
    subject: Peer,
    other: Peer,
    dest: Peer,
    port: int,
    protocol: str,
) -> bool:
    if subject.namespace is None:
        return True  # outside the cluster: no policy of ours applies
    isolating = [
        p
        for p in policies
        if p["metadata"].get("namespace", "default") == subject.namespace
        and direction in _types(p)
        and selects(p["spec"].get("podSelector"), subject.labels)
    ]
    if not isolating:
        return True
    for policy in isolating:
        for rule in policy["spec"].get(direction.lower()) or []:
            peers = rule.get("from" if direction == "Ingress" else "to")
            namespace = policy["metadata"].get("namespace", "default")
            if _port_matches(rule.get("ports"), dest, port, protocol) and _peer_matches(
                peers, other, namespace
            ):
                return True
    return False


def _port_matches(
    ports: Sequence[Mapping[str, Any]] | None, dest: Peer, port: int, protocol: str
) -> bool:
    if not ports:
        return True
    for entry in ports:
        if entry.get("protocol", "TCP") != protocol:
            continue
        wanted = entry.get("port")
        if wanted is None:
            return True
        number = dest.ports.get(wanted) if isinstance(wanted, str) else wanted
        end = entry.get("endPort", number)
        if number is not None and number <= port <= end:
            return True
    return False


def _peer_matches(peers: Sequence[Mapping[str, Any]] | None, other: Peer, namespace: str) -> bool:
    if not peers:
        return True
    for peer in peers:
        if "ipBlock" in peer:
            block = peer["ipBlock"]
            address = ipaddress.ip_address(other.ip)
            inside = address in ipaddress.ip_network(block["cidr"])
            excepted = any(address in ipaddress.ip_network(e) for e in block.get("except", []))
            if inside and not excepted:
                return True
            continue
        if other.namespace is None:
            continue
        if "namespaceSelector" in peer:
            if not selects(peer["namespaceSelector"], other.namespace_labels):
                continue
        elif other.namespace != namespace:
            continue
        if "podSelector" in peer and not selects(peer["podSelector"], other.labels):
            continue
        return True
    return False


_INTERPOLATION = re.compile(r"\$\{(?P<name>\w+)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}")


def interpolate(text: str, environment: Mapping[str, str]) -> str:
    """Expand a compose file's ${VAR}, ${VAR:-default} and ${VAR:?error} as Compose does."""

    def one(match: re.Match[str]) -> str:
        name, op, arg = match["name"], match["op"], match["arg"]
        value = environment.get(name)
        if op in (":-", ":?") and not value:
            if op == ":?":
                raise KeyError(f"{name}: {arg}")
            return arg
        if op in ("-", "?") and value is None:
            if op == "?":
                raise KeyError(f"{name}: {arg}")
            return arg
        return value or ""

    return _INTERPOLATION.sub(one, text)
