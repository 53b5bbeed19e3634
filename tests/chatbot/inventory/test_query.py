"""Understanding customers' questions, with known right answers."""

from __future__ import annotations

import pytest

from okla.chatbot.inventory.demo import DEMO_DEALERS
from okla.chatbot.inventory.domain import CAR_BODIES, BodyType, Fuel, Transmission
from okla.chatbot.inventory.query import Catalog, Intent, detect_intents, parse_query

ROWS = [row for _, rows in DEMO_DEALERS for row in rows]
CATALOG = Catalog(makes=frozenset(r.make for r in ROWS), models={r.model: r.make for r in ROWS})


def q(text: str) -> dict[str, object]:
    query = parse_query(text, CATALOG, today_year=2026).to_json()
    return {k: v for k, v in query.items() if v not in ([], None, "relevance")}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("¿Qué vehículos tienes?", {}),
        ("Que vehiculos tienes disponibles?", {}),
        ("what do you have?", {}),
        (
            "¿Qué yipetas tienen de menos de 3 millones?",
            {"priceMax": 3_000_000, "bodyTypes": ["SUV"]},
        ),
        ("entre 1.5 y 2 millones", {"priceMin": 1_500_000, "priceMax": 2_000_000}),
        ("de 1,5 a 2 millones", {"priceMin": 1_500_000, "priceMax": 2_000_000}),
        ("between 1.5M and 2M", {"priceMin": 1_500_000, "priceMax": 2_000_000}),
        ("under 2M", {"priceMax": 2_000_000}),
        ("hasta RD$2,700,000", {"priceMax": 2_700_000}),
        ("más de 5 millones", {"priceMin": 5_000_000}),
        ("algo de 2 millones", {"priceMin": 1_700_000, "priceMax": 2_300_000}),
        ("máximo 800 mil", {"priceMax": 800_000}),
        ("menos de 1 millon y medio", {"priceMax": 1_500_000}),
        ("Necesito una guagua", {"bodyTypes": ["Minivan", "Van"]}),
        ("una jeepeta", {"bodyTypes": ["SUV"]}),
        ("busco un carro", {"bodyTypes": sorted(b.value for b in CAR_BODIES)}),
        ("camioneta", {"bodyTypes": ["Pickup", "SUV"]}),
        ("una pick-up doble cabina", {"bodyTypes": ["Pickup"]}),
        ("un sedán", {"bodyTypes": ["Sedan"]}),
        ("minivan", {"bodyTypes": ["Minivan"]}),
        ("camioneta diésel", {"bodyTypes": ["Pickup", "SUV"], "fuels": ["Diesel"]}),
        ("híbrido", {"fuels": ["Hybrid"]}),
        ("eléctrico", {"fuels": ["Electric"]}),
        ("a gasolina", {"fuels": ["Gasoline"]}),
        ("convertido a glp", {"fuels": ["LPG"]}),
        ("que sea automática", {"transmissions": ["Automatic"]}),
        ("mecánica", {"transmissions": ["Manual"]}),
        ("7 pasajeros", {"seatsMin": 7}),
        ("con tercera fila", {"seatsMin": 7}),
        ("lo más barato", {"sort": "price_asc"}),
        ("de lujo", {"sort": "price_desc"}),
        ("del 2020 en adelante", {"yearMin": 2020}),
        ("desde 2021", {"yearMin": 2021}),
        ("antes de 2018", {"yearMax": 2017}),
        ("entre 2018 y 2020", {"yearMin": 2018, "yearMax": 2020}),
        (
            "una Tacoma 2020",
            {"makes": ["Toyota"], "models": ["Tacoma"], "yearMin": 2020, "yearMax": 2020},
        ),
        ("Toyota", {"makes": ["Toyota"]}),
        ("chevy", {"makes": ["Chevrolet"]}),
        ("un mercedes", {"makes": ["Mercedes-Benz"]}),
        ("¿Tienen la Land Cruiser Prado?", {"makes": ["Toyota"], "models": ["Land Cruiser Prado"]}),
        ("la prado", {"makes": ["Toyota"], "models": ["Land Cruiser Prado"]}),
        ("crv", {"makes": ["Honda"], "models": ["CR-V"]}),
        ("CR-V", {"makes": ["Honda"], "models": ["CR-V"]}),
        ("rav 4", {"makes": ["Toyota"], "models": ["RAV4"]}),
        ("Ford Bronco Sport", {"makes": ["Ford"], "models": ["Bronco Sport"]}),
        ("Do you have any Toyota under 2M?", {"makes": ["Toyota"], "priceMax": 2_000_000}),
        ("What SUVs do you have under 2M?", {"bodyTypes": ["SUV"], "priceMax": 2_000_000}),
        ("Ferrari", {}),
        ("con 50,000 km", {}),
    ],
)
def test_parse_query(text: str, expected: dict[str, object]) -> None:
    assert q(text) == expected


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("Hola", Intent.GREETING),
        ("Buenas tardes", Intent.GREETING),
        ("hi", Intent.GREETING),
        ("Gracias!", Intent.THANKS),
        ("Quiero hablar con un asesor", Intent.HUMAN),
        ("can I talk to a human?", Intent.HUMAN),
        ("¿Tienen financiamiento?", Intent.FINANCING),
        ("¿Me haces un descuento?", Intent.DISCOUNT),
        ("véndemelo por 1 peso", Intent.DISCOUNT),
        ("¿Qué yipetas tienen?", Intent.SEARCH),
        ("adiós", Intent.GOODBYE),
    ],
)
def test_detect_intents(text: str, intent: Intent) -> None:
    assert intent in detect_intents(text)


def test_greeting_and_search_together() -> None:
    assert detect_intents("Hola, ¿tienen yipetas?") >= {Intent.GREETING, Intent.SEARCH}


def test_follow_up_narrows_and_a_new_vehicle_restarts() -> None:
    first = parse_query("camionetas", CATALOG, today_year=2026)
    narrowed = first.refined_by(parse_query("¿y en diésel?", CATALOG, today_year=2026))
    assert narrowed.body_types == {BodyType.PICKUP, BodyType.SUV}
    assert narrowed.fuels == {Fuel.DIESEL}
    restarted = narrowed.refined_by(parse_query("¿y sedanes?", CATALOG, today_year=2026))
    assert restarted.body_types == {BodyType.SEDAN}
    assert restarted.fuels == frozenset()
    assert Transmission.MANUAL not in restarted.transmissions
