"""The API document as a plain page: written on the server, no script, nothing from a CDN.

FastAPI's own /docs and /redoc pages load Swagger UI or ReDoc from a third-party CDN, with an
inline script, into the service's origin. This page lists the same operations as HTML.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

from fastapi import FastAPI
from fastapi.responses import HTMLResponse


def docs_page(document: dict[str, Any]) -> str:
    """Write the OpenAPI document as an HTML page: each operation, its parameters and bodies."""
    info = document.get("info", {})
    title = escape(f"{info.get('title', 'API')} {info.get('version', '')}".strip())
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{title}</title></head><body>",
        f"<h1>{title}</h1>",
        f"<p>{escape(str(info.get('description', '')))}</p>",
        '<p>The machine-readable document: <a href="openapi.json">openapi.json</a>.</p>',
    ]
    for path, operations in document.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict):
                continue
            parts.append(f"<h2><code>{escape(method.upper())} {escape(path)}</code></h2>")
            for key in ("summary", "description"):
                if operation.get(key):
                    parts.append(f"<p>{escape(str(operation[key]))}</p>")
            for parameter in operation.get("parameters", []):
                where = escape(str(parameter.get("in", "")))
                name = escape(str(parameter.get("name", "")))
                needed = " (required)" if parameter.get("required") else ""
                parts.append(f"<p>{where} <code>{name}</code>{needed}</p>")
            body = operation.get("requestBody", {}).get("content", {})
            for kind, content in body.items():
                parts.append(f"<p>Body ({escape(kind)}):</p>{_schema(content.get('schema'))}")
            statuses = ", ".join(escape(str(s)) for s in operation.get("responses", {}))
            parts.append(f"<p>Responses: {statuses}</p>")
    schemas = document.get("components", {}).get("schemas", {})
    if schemas:
        parts.append("<h2>Schemas</h2>")
        for name, schema in schemas.items():
            parts.append(f'<h3 id="{escape(name)}">{escape(name)}</h3>{_schema(schema)}')
    parts.append("</body></html>")
    return "\n".join(parts)


def _schema(schema: object) -> str:
    return f"<pre>{escape(json.dumps(schema, indent=2, ensure_ascii=False))}</pre>"


def add_docs(app: FastAPI, path: str = "/docs") -> None:
    """Serve the app's OpenAPI document as a plain page at `path`."""

    async def docs() -> HTMLResponse:
        return HTMLResponse(docs_page(app.openapi()))

    app.add_api_route(path, docs, methods=["GET"], include_in_schema=False)
