"""The query parser: what a customer's message asks of the stock."""

from __future__ import annotations

import pytest

from okla.chatbot.inventory.domain import CAR_BODIES, BodyType, Catalog, Fuel, VehicleQuery
from okla.chatbot.understanding.query import parse_query

TODAY = 2026
MODELS = {
    "Land Cruiser Prado": "Toyota",
    "RAV4": "Toyota",
    "Corolla": "Toyota",
    "Hilux": "Toyota",
    "Tacoma": "Toyota",
    "CR-V": "Honda",
    "Civic": "Honda",
    "Tucson": "Hyundai",
    "Santa Fe": "Hyundai",
    "Sonata": "Hyundai",
    "Carnival": "Kia",
    "Sportage": "Kia",
    "Picanto": "Kia",
    "Bronco Sport": "Ford",
    "Ranger": "Ford",
    "Explorer": "Ford",
    "Frontier": "Nissan",
    "Sentra": "Nissan",
    "L200": "Mitsubishi",
    "Montero Sport": "Mitsubishi",
    "Tahoe": "Chevrolet",
    "GLE": "Mercedes-Benz",
    "Wrangler": "Jeep",
    "CX-5": "Mazda",
    "Swift": "Suzuki",
    "X5": "BMW",
    "Tiguan": "Volkswagen",
}
CATALOG = Catalog(makes=frozenset(MODELS.values()), models=MODELS)
CARS = sorted(b.value for b in CAR_BODIES)


def q(text: str, catalog: Catalog = CATALOG) -> dict[str, object]:
    """Parse a message and keep only the fields it set, in to_json's spelling."""
    query = parse_query(text, catalog, today_year=TODAY).to_json()
    unset = VehicleQuery().to_json()
    return {k: v for k, v in query.items() if v != unset[k]}


def case(text: str, **expected: object) -> object:
    """Make a test case named after its message."""
    return pytest.param(text, expected, id=text)


PRICES = [
    case("¿Qué yipetas tienen de menos de 3 millones?", priceMax=3_000_000, bodyTypes=["SUV"]),
    case("entre 1.5 y 2 millones", priceMin=1_500_000, priceMax=2_000_000),
    case("de 1,5 a 2 millones", priceMin=1_500_000, priceMax=2_000_000),
    case("between 1.5M and 2M", priceMin=1_500_000, priceMax=2_000_000),
    case("1.5-2 millones", priceMin=1_500_000, priceMax=2_000_000),
    case("desde 1 millón hasta 2 millones", priceMin=1_000_000, priceMax=2_000_000),
    case("entre 800 y 1 millón", priceMin=800_000, priceMax=1_000_000),
    case("RD$1,800,000 - RD$2,200,000", priceMin=1_800_000, priceMax=2_200_000),
    case("más de 1 millón y menos de 2 millones", priceMin=1_000_000, priceMax=2_000_000),
    case("under 2M", priceMax=2_000_000),
    case("menos de 3 millones", priceMax=3_000_000),
    case("hasta RD$2,700,000", priceMax=2_700_000),
    case("máximo 800 mil", priceMax=800_000),
    case("no más de 2.5M", priceMax=2_500_000),
    case("por debajo de 2 mm", priceMax=2_000_000),
    case("less than 900k", priceMax=900_000),
    case("up to 2.2M", priceMax=2_200_000),
    case("2 millones o menos", priceMax=2_000_000),
    case("menos de 1 millon y medio", priceMax=1_500_000),
    case("tengo un presupuesto de 1.5 millones", priceMax=1_500_000),
    case("más de 5 millones", priceMin=5_000_000),
    case("mínimo 3 millón", priceMin=3_000_000),
    case("por encima de RD$ 2.700.000", priceMin=2_700_000),
    case("at least 1M", priceMin=1_000_000),
    case("more than 1.5 million", priceMin=1_500_000),
    case("3 millones o más", priceMin=3_000_000),
    case("de 2 millones", priceMin=1_700_000, priceMax=2_300_000),
    case("alrededor de 2 millones", priceMin=1_700_000, priceMax=2_300_000),
    case("around 2M", priceMin=1_700_000, priceMax=2_300_000),
    case("como 2 millones", priceMin=1_700_000, priceMax=2_300_000),
    case("2 million", priceMin=1_700_000, priceMax=2_300_000),
    case("dos millones", priceMin=1_700_000, priceMax=2_300_000),
    case("2000000", priceMin=1_700_000, priceMax=2_300_000),
    case("2,000,000", priceMin=1_700_000, priceMax=2_300_000),
    case("$2,000,000", priceMin=1_700_000, priceMax=2_300_000),
    case("800k", priceMin=680_000, priceMax=920_000),
    case("unos 800 mil", priceMin=680_000, priceMax=920_000),
    case("2.5m", priceMin=2_125_000, priceMax=2_875_000),
    case("1 millón y medio", priceMin=1_275_000, priceMax=1_725_000),
    case("un millón doscientos mil", priceMin=1_020_000, priceMax=1_380_000),
    case("medio millón", priceMin=425_000, priceMax=575_000),
]

NOT_PRICES = [
    case("una RAV4", makes=["Toyota"], models=["RAV4"]),
    case("una CX-5", makes=["Mazda"], models=["CX-5"]),
    case("la L200", makes=["Mitsubishi"], models=["L200"]),
    case("un 3008"),
    case("con 50,000 km"),
    case("yipeta con menos de 40 mil km", bodyTypes=["SUV"]),
    case("motor 2.0 turbo"),
    case("tengo 500 mil de inicial y puedo pagar cuotas de 30 mil"),
    case("llámame al 809-555-1234"),
    case("una tasa de 12%"),
    case("véndemelo por 1 peso"),
    case("7 pasajeros", seatsMin=7),
]

YEARS = [
    case("una Tacoma 2020", makes=["Toyota"], models=["Tacoma"], yearMin=2020, yearMax=2020),
    case("del 2020", yearMin=2020, yearMax=2020),
    case("una Tacoma 2020 o 2021", makes=["Toyota"], models=["Tacoma"], yearMin=2020, yearMax=2021),
    case("del 2020 en adelante", yearMin=2020),
    case("desde 2021", yearMin=2021),
    case("2020 o más nuevo", yearMin=2020),
    case("2020 para arriba", yearMin=2020),
    case("2020 pa' arriba", yearMin=2020),
    case("from 2020", yearMin=2020),
    case("2020 or newer", yearMin=2020),
    case("after 2019", yearMin=2020),
    case("antes de 2018", yearMax=2017),
    case("hasta 2018", yearMax=2018),
    case("2018 o más viejo", yearMax=2018),
    case("older than 2018", yearMax=2017),
    case("entre 2018 y 2020", yearMin=2018, yearMax=2020),
    case("between 2018 and 2020", yearMin=2018, yearMax=2020),
    case("desde 2018 hasta 2020", yearMin=2018, yearMax=2020),
    case("Explorer 2019-2021", makes=["Ford"], models=["Explorer"], yearMin=2019, yearMax=2021),
    case("una yipeta nueva", yearMin=TODAY - 1, bodyTypes=["SUV"]),
    case("0 km", yearMin=TODAY - 1),
    case("del año", yearMin=TODAY - 1),
    case("modelos recientes", yearMin=TODAY - 3),
    case("como nueva"),
    case("gracias de nuevo"),
    case("del 1979"),
    case("hasta 2030"),
    case(
        "yipeta de 2 millones 2019",
        yearMin=2019,
        yearMax=2019,
        bodyTypes=["SUV"],
        priceMin=1_700_000,
        priceMax=2_300_000,
    ),
]

BODIES = [
    case("una yipeta", bodyTypes=["SUV"]),
    case("jeepeta", bodyTypes=["SUV"]),
    case("jipeta", bodyTypes=["SUV"]),
    case("una yipetica", bodyTypes=["SUV"]),
    case("crossover", bodyTypes=["SUV"]),
    case("algo 4x4", bodyTypes=["SUV"]),
    case("Necesito una guagua", bodyTypes=["Minivan", "Van"]),
    case("una guagüita", bodyTypes=["Minivan", "Van"]),
    case("minivan", bodyTypes=["Minivan"]),
    case("una mini van", bodyTypes=["Minivan"]),
    case("una van", bodyTypes=["Van"]),
    case("¿van a traer más yipetas?", bodyTypes=["SUV"]),
    case("busco un carro", bodyTypes=CARS),
    case("un carrito", bodyTypes=CARS),
    case("I want a car", bodyTypes=CARS),
    case("carros baratos", bodyTypes=CARS, sort="price_asc"),
    case("carro familiar", bodyTypes=["Minivan", "SUV"]),
    case("Busco yipeta, no carro", bodyTypes=["SUV"]),
    case("un carro Toyota", makes=["Toyota"]),
    case("¿Qué carros tienes?"),
    case("what cars do you have?"),
    case("¿Qué vehículos tienes?"),
    case("Que vehiculos tienes disponibles?"),
    case("what do you have?"),
    case("un vehículo"),
    case("un sedán", bodyTypes=["Sedan"]),
    case("hatchback", bodyTypes=["Hatchback"]),
    case("coupé", bodyTypes=["Coupe"]),
    case("un descapotable", bodyTypes=["Convertible"]),
    case("camioneta", bodyTypes=["Pickup", "SUV"]),
    case("una camioneta doble cabina", bodyTypes=["Pickup"]),
    case("una pick-up", bodyTypes=["Pickup"]),
    case("pick up", bodyTypes=["Pickup"]),
    case("a truck", bodyTypes=["Pickup"]),
    case("sedan o hatchback", bodyTypes=["Hatchback", "Sedan"]),
    case("What SUVs do you have under 2M?", bodyTypes=["SUV"], priceMax=2_000_000),
]

FUELS_GEARS_SEATS_SORTS = [
    case("a gasolina", fuels=["Gasoline"]),
    case("gas", fuels=["Gasoline"]),
    case("camioneta diésel", bodyTypes=["Pickup", "SUV"], fuels=["Diesel"]),
    case("gasoil", fuels=["Diesel"]),
    case("híbrida", fuels=["Hybrid"]),
    case("hybrid", fuels=["Hybrid"]),
    case("eléctrico", fuels=["Electric"]),
    case("an EV", fuels=["Electric"]),
    case("convertido a glp", fuels=["LPG"]),
    case("gas licuado", fuels=["LPG"]),
    case("gasolina o diesel", fuels=["Diesel", "Gasoline"]),
    case("transmisión automática", transmissions=["Automatic"]),
    case("que sea automática", transmissions=["Automatic"]),
    case("caja auto", transmissions=["Automatic"]),
    case("mecánica", transmissions=["Manual"]),
    case("estándar", transmissions=["Manual"]),
    case("de cambios", transmissions=["Manual"]),
    case("stick shift", transmissions=["Manual"]),
    case("7 pasajeros", seatsMin=7),
    case("8 asientos", seatsMin=8),
    case("con tercera fila", seatsMin=7),
    case("3 filas", seatsMin=7),
    case("seven seats", seatsMin=7),
    case("a 7-seater", seatsMin=7),
    case("para 7", seatsMin=7),
    case("lo más barato", sort="price_asc"),
    case("algo económico", sort="price_asc"),
    case("cheapest", sort="price_asc"),
    case("de lujo", sort="price_desc"),
    case("most expensive", sort="price_desc"),
    case("lo más nuevo", sort="newest"),
    case("latest", sort="newest"),
]

MAKES_MODELS = [
    case("Toyota", makes=["Toyota"]),
    case("chevy", makes=["Chevrolet"]),
    case("un mercedes", makes=["Mercedes-Benz"]),
    case("benz", makes=["Mercedes-Benz"]),
    case("vw", makes=["Volkswagen"]),
    case("mitsu", makes=["Mitsubishi"]),
    case("un hiunday", makes=["Hyundai"]),
    case("una toyta", makes=["Toyota"]),
    case("Ferrari"),
    case("range rover"),
    case("¿Tienen la Land Cruiser Prado?", makes=["Toyota"], models=["Land Cruiser Prado"]),
    case("la prado", makes=["Toyota"], models=["Land Cruiser Prado"]),
    case("crv", makes=["Honda"], models=["CR-V"]),
    case("cr v", makes=["Honda"], models=["CR-V"]),
    case("CR-V", makes=["Honda"], models=["CR-V"]),
    case("rav 4", makes=["Toyota"], models=["RAV4"]),
    case("santafe", makes=["Hyundai"], models=["Santa Fe"]),
    case("tienen corollas?", makes=["Toyota"], models=["Corolla"]),
    case("Ford Bronco Sport", makes=["Ford"], models=["Bronco Sport"]),
    case("montero", makes=["Mitsubishi"], models=["Montero Sport"]),
    case("algo sport"),
    case("un mercedes GLE o una BMW X5", makes=["BMW", "Mercedes-Benz"], models=["GLE", "X5"]),
]

SENTENCES = [
    case("Do you have any Toyota under 2M?", makes=["Toyota"], priceMax=2_000_000),
    case("Do you have any cars under 2M?", priceMax=2_000_000),
    case(
        "Busco una Toyota RAV4 2021 en menos de 2.5 millones, automática",
        makes=["Toyota"], models=["RAV4"], yearMin=2021, yearMax=2021, priceMax=2_500_000,
        transmissions=["Automatic"],
    ),
    case(
        "Tienen alguna yipeta Hyundai Tucson del 2019 para arriba por debajo de 2 millones?",
        makes=["Hyundai"], models=["Tucson"], yearMin=2019, priceMax=2_000_000,
        bodyTypes=["SUV"],
    ),
    case(
        "Hola! busco una camioneta doble cabina diesel, Hilux o L200, de 2 a 3 millones",
        makes=["Mitsubishi", "Toyota"], models=["Hilux", "L200"], priceMin=2_000_000,
        priceMax=3_000_000, bodyTypes=["Pickup"], fuels=["Diesel"],
    ),
    case(
        "algo familiar con tercera fila del 2018 en adelante",
        yearMin=2018, bodyTypes=["Minivan", "SUV"], seatsMin=7,
    ),
    case(
        "una RAV4 2020 con 50,000 km por 1.8 millones",
        makes=["Toyota"], models=["RAV4"], yearMin=2020, yearMax=2020, priceMin=1_530_000,
        priceMax=2_070_000,
    ),
    case(
        "Un Kia Picanto 2018 mecánico a gasolina de unos 600 mil",
        makes=["Kia"], models=["Picanto"], yearMin=2018, yearMax=2018, priceMin=510_000,
        priceMax=690_000, fuels=["Gasoline"], transmissions=["Manual"],
    ),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), PRICES)
def test_prices(text: str, expected: dict[str, object]) -> None:
    assert q(text) == expected


@pytest.mark.parametrize(("text", "expected"), NOT_PRICES)
def test_numbers_that_are_not_prices(text: str, expected: dict[str, object]) -> None:
    assert q(text) == expected


@pytest.mark.parametrize(("text", "expected"), YEARS)
def test_years(text: str, expected: dict[str, object]) -> None:
    assert q(text) == expected


@pytest.mark.parametrize(("text", "expected"), BODIES)
def test_body_types(text: str, expected: dict[str, object]) -> None:
    assert q(text) == expected


@pytest.mark.parametrize(("text", "expected"), FUELS_GEARS_SEATS_SORTS)
def test_fuels_transmissions_seats_and_sort(text: str, expected: dict[str, object]) -> None:
    assert q(text) == expected


@pytest.mark.parametrize(("text", "expected"), MAKES_MODELS)
def test_makes_and_models(text: str, expected: dict[str, object]) -> None:
    assert q(text) == expected


@pytest.mark.parametrize(("text", "expected"), SENTENCES)
def test_whole_sentences(text: str, expected: dict[str, object]) -> None:
    assert q(text) == expected


def test_plain_stock_questions_are_empty() -> None:
    for text in (
        "¿Qué vehículos tienes?",
        "Que vehiculos tienes disponibles?",
        "what do you have?",
    ):
        assert parse_query(text, CATALOG, today_year=TODAY).is_empty()


def test_aliases_only_count_when_the_dealer_stocks_the_make() -> None:
    catalog = Catalog(
        makes=frozenset({"Land Rover", "Kia"}),
        models={"Range Rover Sport": "Land Rover", "Sport": "Kia"},
    )
    assert q("range rover", catalog) == {"makes": ["Land Rover"]}
    assert q("una Range Rover Sport", catalog) == {
        "makes": ["Land Rover"],
        "models": ["Range Rover Sport"],
    }
    assert q("chevy", catalog) == {}


def test_short_or_common_model_names_need_their_make() -> None:
    catalog = Catalog(makes=frozenset({"Smart", "Mazda"}), models={"One": "Smart", "3": "Mazda"})
    assert q("just one please", catalog) == {}
    assert q("3 yipetas", catalog) == {"bodyTypes": ["SUV"]}
    assert q("un Smart One", catalog) == {"makes": ["Smart"], "models": ["One"]}
    assert q("mazda3", catalog) == {"makes": ["Mazda"], "models": ["3"]}


def test_years_depend_on_today() -> None:
    assert parse_query("nuevo", CATALOG, today_year=2030).year_min == 2029
    assert parse_query("2027", CATALOG, today_year=2026).year_max == 2027
    assert parse_query("2028", CATALOG, today_year=2026).is_empty()


def test_gasoline_is_not_lpg() -> None:
    assert parse_query("gasolina", CATALOG, today_year=TODAY).fuels == {Fuel.GASOLINE}


def test_follow_up_narrows_and_a_new_vehicle_restarts() -> None:
    first = parse_query("camionetas", CATALOG, today_year=TODAY)
    narrowed = first.refined_by(parse_query("¿y en diésel?", CATALOG, today_year=TODAY))
    assert narrowed.body_types == {BodyType.PICKUP, BodyType.SUV}
    assert narrowed.fuels == {Fuel.DIESEL}
    restarted = narrowed.refined_by(parse_query("¿y sedanes?", CATALOG, today_year=TODAY))
    assert restarted == VehicleQuery(body_types=frozenset({BodyType.SEDAN}))
