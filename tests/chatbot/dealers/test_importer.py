"""Reading a dealers file: all of it valid, or every problem by its path and nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest

from okla.chatbot.dealers.importer import DealersFileError, parse_dealers

EXAMPLE = Path(__file__).resolve().parents[3] / "docs" / "dealers.example.yaml"
SECRET = "s3cr3t-that-must-never-be-printed"


def problems(text: str) -> list[str]:
    with pytest.raises(DealersFileError) as raised:
        parse_dealers(text)
    return raised.value.problems


def test_the_example_file_is_valid() -> None:
    entries = parse_dealers(EXAMPLE.read_text(encoding="utf-8"))
    assert [e.slug for e in entries] == ["autos-del-este", "motores-bavaro"]
    este = entries[0]
    assert este.assistant_name == "Sofía" and este.city == "La Romana"
    assert este.policies.financing is not None and "25%" in este.policies.financing
    assert este.sets("webhook_url") and not este.sets("webhook_secret")
    assert not entries[1].has_hours


def test_unquoted_times_are_times_not_base_60_numbers() -> None:
    # Plain YAML reads 18:00 as 1080; the file means six in the evening.
    (entry,) = parse_dealers(
        "dealers:\n  - slug: a\n    name: A\n    assistantName: B\n"
        "    hours: {mon: [{opens: 8:30, closes: 18:00}]}\n"
    )
    opening = entry.hours[next(iter(entry.hours))][0]
    assert (opening.opens.hour, opening.opens.minute, opening.closes.hour) == (8, 30, 18)


def test_every_problem_is_named_by_its_path() -> None:
    text = """
dealers:
  - slug: ok-dealer
    name: Bien
    assistantName: Ana
  - slug: Bad Slug
    name: Mal
    assistantName: Pedro
    timezone: America/Santiago_de_los_Caballeros
    hours:
      sat: [{opens: "13:00", closes: "09:00"}]
      sab: [{opens: "09:00", closes: "12:00"}]
    testDrives: {slotMinutes: 5, capacity: 2}
    webhookUrl: ftp://example.com/hook
    webhookSecret: short
    color: rojo
  - name: Sin slug
    assistantName: Luis
"""
    found = problems(text)
    assert "dealers[1].slug: String should match pattern '^[a-z0-9]+(?:-[a-z0-9]+)*$'" in found
    assert any(p.startswith("dealers[1].timezone: unknown time zone") for p in found)
    assert any(
        p.startswith("dealers[1].hours.sat[0].closes: closes (09:00) must be after opens")
        for p in found
    )
    assert any(p.startswith("dealers[1].hours.sab: unknown weekday 'sab'") for p in found)
    assert any(p.startswith("dealers[1].testDrives.slotMinutes:") for p in found)
    assert "dealers[1].webhookUrl: expected an http:// or https:// URL" in found
    assert "dealers[1].webhookSecret: must be 16 to 200 characters long" in found
    assert "dealers[1].color: unknown field" in found
    assert "dealers[2].slug: this field is required" in found
    assert not any(p.startswith("dealers[0]") for p in found)


def test_a_slug_twice_and_a_key_twice() -> None:
    entry = "  - slug: uno\n    name: Uno\n    assistantName: Ana\n"
    assert problems(f"dealers:\n{entry}{entry}") == [
        "dealers[1].slug: 'uno' is also dealers[0]'s slug"
    ]
    twice = "dealers:\n  - slug: uno\n    slug: dos\n    name: Uno\n    assistantName: Ana\n"
    assert problems(twice) == ["line 3, column 5: the key 'slug' appears twice"]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "the file must be a mapping with a 'dealers' list"),
        ("- slug: a\n", "the file must be a mapping with a 'dealers' list"),
        ("dealers: []\n", "dealers: needs at least 1 entry"),
        ("dealers: [\n", "line 2, column 1: expected the node content, but found '<stream end>'"),
    ],
)
def test_a_file_that_is_no_dealers_list(text: str, problem: str) -> None:
    assert problems(text) == [problem]


def test_a_secret_is_never_repeated_in_a_problem() -> None:
    # A bad line next to the secret, and a secret where a string can't be.
    found = problems(
        f"dealers:\n  - slug: a\n    name: A\n    assistantName: B\n"
        f"    webhookSecret: {SECRET}\n    timezone: [{SECRET}\n"
    )
    assert all(SECRET not in p for p in found)
    found = problems(
        f"dealers:\n  - slug: a\n    name: A\n    assistantName: B\n    webhookSecret: [{SECRET}]\n"
    )
    assert found and all(SECRET not in p for p in found)
