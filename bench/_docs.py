"""Write a benchmark's figures into its marked section of a docs page."""

from __future__ import annotations

from pathlib import Path


def record(path: Path, name: str, heading: str, body: str) -> None:
    """Replace the section marked `name` in `path` with `body`, or append it under `heading`."""
    begin, end = f"<!-- bench:{name}:begin -->", f"<!-- bench:{name}:end -->"
    text = path.read_text() if path.exists() else f"# {path.stem.title()}\n"
    block = f"{begin}\n{body.rstrip()}\n{end}"
    if begin in text:
        head, rest = text.split(begin, 1)
        text = head + block + rest.split(end, 1)[1]
    else:
        text += f"\n## {heading}\n\n{block}\n"
    path.write_text(text)
