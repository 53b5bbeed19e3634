"""Contact details read from chat messages as Dominican customers write them."""

from __future__ import annotations

import pytest

from okla.chatbot.text.contact import display_phone, find_introduced_name, read_contact


@pytest.mark.parametrize(
    ("text", "name", "phone"),
    [
        ("Juan Pérez 809-555-1234", "Juan Pérez", "+18095551234"),
        ("me llamo Ana, mi cel es 829 555 1234", "Ana", "+18295551234"),
        ("8095551234", None, "+18095551234"),
        ("+1 849-555-1234", None, "+18495551234"),
        ("(809) 555 1234", None, "+18095551234"),
        ("1-809-555-1234", None, "+18095551234"),
        ("18095551234", None, "+18095551234"),
        ("mi cel 809.555.1234", None, "+18095551234"),
        ("809 5551234 Pedro", "Pedro", "+18095551234"),
        ("sí, mi número es 8095551234", None, "+18095551234"),
        ("dale, llámame al 8095551234", None, "+18095551234"),
        ("8095551234 es mi cel", None, "+18095551234"),
        ("soy Juan y mi número es 809-555-1234", "Juan", "+18095551234"),
        ("María de los Ángeles Pérez 8095551234", "María de los Ángeles Pérez", "+18095551234"),
        ("JUAN PEREZ, 8295551234", "Juan Perez", "+18295551234"),
        ("juan perez 8295551234", "Juan Perez", "+18295551234"),
        ("Pedro Martínez. Mi whatsapp: 809 555 1234", "Pedro Martínez", "+18095551234"),
        ("My name is John Smith, 849 555 1234", "John Smith", "+18495551234"),
        (
            "a nombre de José Luis Rodríguez, tel 809-555-4321",
            "José Luis Rodríguez",
            "+18095554321",
        ),
        ("mi nombre es Rosa Elena", "Rosa Elena", None),
        ("Carla", "Carla", None),
        ("+34 612 345 678", None, "+34612345678"),
    ],
)
def test_names_and_phones_as_customers_write_them(
    text: str, name: str | None, phone: str | None
) -> None:
    found = read_contact(text)
    assert found.name == name
    assert (found.phone.e164 if found.phone else None) == phone


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("809-555-12", "809-555-12"),  # too short
        ("mi cel es 555-1234", "555-1234"),  # no area code
        ("Luis 809 555 12", "809 555 12"),
    ],
)
def test_a_number_that_is_no_phone_is_found_as_written_and_invalid(text: str, written: str) -> None:
    found = read_contact(text)
    assert found.phone is not None
    assert found.phone.written == written
    assert found.phone.e164 is None


@pytest.mark.parametrize(
    "text",
    [
        "hola",
        "ok",
        "no gracias",
        "quiero la rav4",
        "tienen yipetas?",
        "soy de Santiago",  # where they are from, not who
        "soy cliente de ustedes",
        "la blanca",
        "me lo dejan en 1.800.000?",  # a price, with no name beside it
        "gracias, muy amable",
    ],
)
def test_messages_without_a_name_give_none(text: str) -> None:
    found = read_contact(text)
    assert found.name is None
    assert not found.sure_name


def test_a_name_is_sure_when_introduced_or_beside_a_valid_phone() -> None:
    assert read_contact("soy Ana").sure_name
    assert read_contact("Ana 8095551234").sure_name
    assert not read_contact("Ana").sure_name  # a bare word: only the conversation can tell
    assert not read_contact("Ana 809-555-12").sure_name  # the number isn't one


def test_an_introduced_name_stops_at_what_follows_it() -> None:
    assert find_introduced_name("me llamo Ana y quiero la RAV4") == "Ana"
    assert find_introduced_name("soy Juan Pablo Duarte Díez Ortiz Peña") == (
        "Juan Pablo Duarte Díez Ortiz"
    )
    assert find_introduced_name("soy yo otra vez") is None
    assert find_introduced_name("I'm interested in the Civic") is None


@pytest.mark.parametrize(
    ("text", "written", "normalized"),
    [
        ("Juan 8095551234 juan@gmail.com", "juan@gmail.com", "juan@gmail.com"),
        ("mi correo: Ana.Perez@Hotmail.com", "Ana.Perez@Hotmail.com", "Ana.Perez@hotmail.com"),
        ("juan@gmail", "juan@gmail", None),  # no domain ending
        ("escríbeme a juan@@gmail.com", "juan@@gmail.com", None),
    ],
)
def test_emails_are_found_and_checked(text: str, written: str, normalized: str | None) -> None:
    found = read_contact(text)
    assert found.email is not None
    assert found.email.written == written
    assert found.email.normalized == normalized


def test_phones_are_shown_the_way_customers_read_them() -> None:
    assert display_phone("+18095551234") == "809-555-1234"
    assert display_phone("+18495551234") == "849-555-1234"
    assert display_phone("+34612345678") == "+34 612 34 56 78"
