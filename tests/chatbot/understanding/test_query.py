"""The query parser: what a customer's message asks of the stock."""

from __future__ import annotations

import pytest

from okla.chatbot.inventory.demo import DEMO_DEALERS
from okla.chatbot.inventory.domain import CAR_BODIES, BodyType, Catalog, Color, Fuel, VehicleQuery
from okla.chatbot.understanding.query import parse_query, sort_of

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
    case("de 2 millones", priceMax=2_000_000),
    case("alrededor de 2 millones", priceMin=1_700_000, priceMax=2_300_000),
    case("around 2M", priceMin=1_700_000, priceMax=2_300_000),
    case("como 2 millones", priceMin=1_700_000, priceMax=2_300_000),
    case("2 million", priceMax=2_000_000),
    case("dos millones", priceMax=2_000_000),
    case("2000000", priceMax=2_000_000),
    case("2,000,000", priceMax=2_000_000),
    case("$2,000,000", priceMax=2_000_000),
    case("800k", priceMax=800_000),
    case("unos 800 mil", priceMin=680_000, priceMax=920_000),
    case("2.5m", priceMax=2_500_000),
    case("1 millón y medio", priceMax=1_500_000),
    case("un millón doscientos mil", priceMax=1_200_000),
    case("medio millón", priceMax=500_000),
]

NOT_PRICES = [
    case("una RAV4", makes=["Toyota"], models=["RAV4"]),
    case("una CX-5", makes=["Mazda"], models=["CX-5"]),
    case("la L200", makes=["Mitsubishi"], models=["L200"]),
    case("un 3008"),
    case("con 50,000 km"),
    case("yipeta con menos de 40 mil km", bodyTypes=["SUV"], mileageMax=40_000),
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
    case("0 km", mileageMax=0),  # a mileage cap (issue 12): a new car of any model year
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
        priceMax=2_000_000,
    ),
]

BODIES = [
    case("una yipeta", bodyTypes=["SUV"]),
    case("jeepeta", bodyTypes=["SUV"]),
    case("jipeta", bodyTypes=["SUV"]),
    case("una yipetica", bodyTypes=["SUV"]),
    case("crossover", bodyTypes=["SUV"]),
    case("algo 4x4", drivetrains=["4x4"]),  # a drivetrain, no body (issue 12)
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
    case("gas", fuels=["LPG"]),  # "gas" is GLP in the Dominican Republic (issue 12)
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


def test_a_follow_up_keeps_the_loose_body_and_a_new_body_drops_it() -> None:
    first = parse_query("busco camioneta 4x4", CATALOG, today_year=TODAY)
    narrowed = first.refined_by(parse_query("y automatica?", CATALOG, today_year=TODAY))
    assert narrowed.wider_bodies == {BodyType.PICKUP, BodyType.SUV}
    assert narrowed.body_types == {BodyType.PICKUP} and narrowed.drivetrains == first.drivetrains
    assert VehicleQuery.from_json(narrowed.to_json()) == narrowed
    restarted = narrowed.refined_by(parse_query("¿y yipetas?", CATALOG, today_year=TODAY))
    assert restarted.wider_bodies == frozenset()


# ---------------------------------------------------------------------------------------------
# Issue 12: customers as they write on WhatsApp

DOMINICAN_MONEY = [
    case("2 palos", priceMax=2_000_000),
    case("una yipeta de 2 palos", bodyTypes=["SUV"], priceMax=2_000_000),
    case("medio palo", priceMax=500_000),
    case("1 palo pa' abajo", priceMax=1_000_000),
    case("un palo pa abajo", priceMax=1_000_000),
    case("un palo y medio", priceMax=1_500_000),
    case("palo y medio", priceMax=1_500_000),
    case("hasta 2 palos y medio", priceMax=2_500_000),
    case("de 2 a 3 palos", priceMin=2_000_000, priceMax=3_000_000),
    case("menos de 2 palitos", priceMax=2_000_000),
    case("un millón y medio", priceMax=1_500_000),
    case("q no pase de 2,5 millones", priceMax=2_500_000),
    case("que no pase de 2,5 millones", priceMax=2_500_000),
    case("k no pase de 1 millon", priceMax=1_000_000),
    case("no me pases de 2 palos", priceMax=2_000_000),
    case("no quiero gastar más de 1.5", priceMax=1_500_000),
    case("tengo 2 palos", priceMax=2_000_000),
    case("solo tengo como 800 mil", priceMax=800_000),
    case("yipeta d 2 millones", bodyTypes=["SUV"], priceMax=2_000_000),
]

DECIMALS_AS_PRICES = [
    case("de 1.5", priceMax=1_500_000),
    case("hasta 2,5", priceMax=2_500_000),
    case("por 1.8", priceMin=1_530_000, priceMax=2_070_000),
    case("una yipeta q cueste 1.5", bodyTypes=["SUV"], priceMax=1_500_000),
    case("1.5 o menos", priceMax=1_500_000),
    case("una de 1.5 pa abajo", priceMax=1_500_000),
    case("menos de 2.5", priceMax=2_500_000),
    case("entre 1.5 y 2", priceMin=1_500_000, priceMax=2_000_000),
    case("de 1,5 a 2", priceMin=1_500_000, priceMax=2_000_000),
    case("entre 1 y 2", priceMin=1_000_000, priceMax=2_000_000),
    case("algo hasta 3", priceMax=3_000_000),
    case("la RAV4 en 2.2?", makes=["Toyota"], models=["RAV4"], priceMax=2_200_000),
]  # fmt: skip

NOT_MONEY = [
    case("motor 2.5"),
    case("2.5 litros"),
    case("un 1.8 turbo"),
    case("una de 1.5 turbo"),
    case("un 1.8"),  # an engine or anything: no price without a cue
    case("menos de 3 dueños"),
    case("dame algo de 900"),
    case(
        "tengo 500 mil de inicial",
    ),
    case("con 20 mil de depósito para apartarla"),
    case("un palo de agua"),
]

DOLLARS = [
    case("menos de 30 mil dólares", priceMax=30_000, priceCurrency="USD"),
    case("menos de 30 mil dolares", priceMax=30_000, priceCurrency="USD"),
    case("US$25,000", priceMax=25_000, priceCurrency="USD"),
    case("hasta US$25,000", priceMax=25_000, priceCurrency="USD"),
    case("25k usd", priceMax=25_000, priceCurrency="USD"),
    case("30 mil verdes", priceMax=30_000, priceCurrency="USD"),
    case("tengo 20 mil verdes", priceMax=20_000, priceCurrency="USD"),
    case("presupuesto en dolares: 30,000", priceMax=30_000, priceCurrency="USD"),
    case("de 15 a 20 mil dolares", priceMin=15_000, priceMax=20_000, priceCurrency="USD"),
    case("do you have cars under $25,000?", priceMax=25_000, priceCurrency="USD"),
    case("under 30k USD", priceMax=30_000, priceCurrency="USD"),
    case("2 millones", priceMax=2_000_000),  # pesos, said as nothing else
    case("aceptan dólares? tengo 2 millones", priceMax=2_000_000),  # too big for dollars
    case(
        "yipetas verdes de 400 mil",
        bodyTypes=["SUV"],
        colors=["green"],
        priceMax=400_000,
    ),  # green ones, in pesos
]

EXCLUSIONS = [
    case("klk, tienen jeepeta q no sea toyota?", bodyTypes=["SUV"], excludeMakes=["Toyota"]),
    case("una yipeta que no sea Toyota", bodyTypes=["SUV"], excludeMakes=["Toyota"]),
    case("que no sea de la marca Toyota", excludeMakes=["Toyota"]),
    case("menos Hyundai", excludeMakes=["Hyundai"]),
    case("nada de Kia", excludeMakes=["Kia"]),
    case("no quiero nada de Kia", excludeMakes=["Kia"]),
    case("cualquiera excepto la Tucson", excludeModels=["Tucson"]),
    case("cualquiera menos la Tucson", excludeModels=["Tucson"]),
    case("todas menos la tucson y la sportage", excludeModels=["Sportage", "Tucson"]),
    case("que no sea toyota ni honda", excludeMakes=["Honda", "Toyota"]),
    case("excepto toyota, honda", excludeMakes=["Honda", "Toyota"]),
    case("cualquier marca menos kia o hyundai", excludeMakes=["Hyundai", "Kia"]),
    case("toyota no, prefiero honda", makes=["Honda"], excludeMakes=["Toyota"]),
    case("no me gustan los kia, tienes hyundai?", makes=["Hyundai"], excludeMakes=["Kia"]),
    case("Hyundai pero no la Tucson", makes=["Hyundai"], excludeModels=["Tucson"]),
    case("no quiero coreanos", excludeMakes=["Hyundai", "Kia"]),
    case("una yipeta que no sea coreana", bodyTypes=["SUV"], excludeMakes=["Hyundai", "Kia"]),
    case("anything but Kia", excludeMakes=["Kia"]),
    case("not a Toyota please", excludeMakes=["Toyota"]),
    case("I don't want a Hyundai", excludeMakes=["Hyundai"]),
    case(
        "una pickup 4x4 diesel q no sea Toyota", bodyTypes=["Pickup"], fuels=["Diesel"],
        excludeMakes=["Toyota"], drivetrains=["4x4"],
    ),
]  # fmt: skip

NOT_EXCLUSIONS = [
    case("¿No tienen una Toyota?", makes=["Toyota"]),
    case("no tienen toyota?", makes=["Toyota"]),
    case("no hay hyundai?", makes=["Hyundai"]),
    case("no, toyota", makes=["Toyota"]),
    case("no quiero sedán, una yipeta", bodyTypes=["SUV"]),
    case("el chino me dijo que tenían una rav4", makes=["Toyota"], models=["RAV4"]),
    # What a pass understood in between stops a "no" from reaching further.
    case(
        "yipeta de menos de 2 palos diesel", bodyTypes=["SUV"], priceMax=2_000_000, fuels=["Diesel"]
    ),
    case("menos de 2 palos 4x4", priceMax=2_000_000, drivetrains=["4x4"]),
    case(
        "una yipeta q no sea toyota diesel",
        bodyTypes=["SUV"],
        excludeMakes=["Toyota"],
        fuels=["Diesel"],
    ),
    case("algo de menos de 30 mil km rojo", mileageMax=30_000, colors=["red"]),
]

ORIGINS = [
    case("una yipeta japonesa", bodyTypes=["SUV"],
         makes=["Honda", "Mazda", "Mitsubishi", "Nissan", "Suzuki", "Toyota"]),
    case("algo americano", makes=["Chevrolet", "Ford", "Jeep"]),
    case("carros alemanes", makes=["BMW", "Mercedes-Benz", "Volkswagen"]),
    case("no quiero nada chino"),  # none stocked: nothing to rule out
]  # fmt: skip

COLORS = [
    case("la Tucson en rojo", makes=["Hyundai"], models=["Tucson"], colors=["red"]),
    case("y la blanca?", colors=["white"]),
    case("color gris", colors=["gray"]),
    case("de color gris", colors=["gray"]),
    case("una negra", colors=["black"]),
    case("una RAV4 gris o plateada", makes=["Toyota"], models=["RAV4"],
         colors=["gray", "silver"]),
    case("un carro rojo o blanco", bodyTypes=CARS, colors=["red", "white"]),
    case("azul marino", colors=["blue"]),
    case("color vino", colors=["red"]),
    case("color plata", colors=["silver"]),
    case("una yipeta colorada", bodyTypes=["SUV"], colors=["red"]),
    case("quiero la negra no la blanca", colors=["black"]),
    case("blanca no, negra", colors=["black"]),
    case("do you have a red SUV?", bodyTypes=["SUV"], colors=["red"]),
    case("una rav4 negra con menos de 30 mil km", makes=["Toyota"], models=["RAV4"],
         colors=["black"], mileageMax=30_000),
]  # fmt: skip

NOT_COLORS = [
    case("no tengo mucha plata"),  # money
    case("vino mi hermano a verla"),  # came
    case("un café y hablamos"),
    case("la red de concesionarios"),  # a network, in Spanish
    case("cheque en blanco"),
    case("en blanco y negro"),
    case("me dieron luz verde"),
    # A colour ruled out asks for the others (it used to ask for nothing).
    case(
        "una rav4 que no sea blanca",
        makes=["Toyota"],
        models=["RAV4"],
        colors=sorted(c.value for c in Color if c is not Color.WHITE),
    ),
    case("no importa el color"),
    case("red flag"),
    case("klk mi negro, tienen yipetas?", bodyTypes=["SUV"]),  # a friend, no colour
    case("dimelo mi negra"),
]

DRIVETRAINS = [
    case("4x4", drivetrains=["4x4"]),
    case("4 x 4", drivetrains=["4x4"]),
    case("una 4x4", drivetrains=["4x4"]),
    case("cuatro por cuatro", drivetrains=["4x4"]),
    case("y la hilux es 4x4?", makes=["Toyota"], models=["Hilux"], drivetrains=["4x4"]),
    case("doble tracción", drivetrains=["4x4"]),
    case("tracción 4", drivetrains=["4x4"]),
    case("tracción en las 4 ruedas", drivetrains=["4x4"]),
    case("4WD", drivetrains=["4x4"]),
    case("four wheel drive", drivetrains=["4x4"]),
    case("AWD", drivetrains=["AWD"]),
    case("all-wheel drive", drivetrains=["AWD"]),
    case("tracción integral", drivetrains=["AWD"]),
    case("4x2", drivetrains=["FWD", "RWD"]),
    case("tracción delantera", drivetrains=["FWD"]),
    case("tracción trasera", drivetrains=["RWD"]),
    case("yipeta 4x4", bodyTypes=["SUV"], drivetrains=["4x4"]),
    case("no necesito 4x4"),
]

MILEAGE = [
    case("menos de 20 mil km", mileageMax=20_000),
    case("con menos de 20,000 kms", mileageMax=20_000),
    case("que no pase de 50,000 kilómetros", mileageMax=50_000),
    case("q no pase de 50 mil km", mileageMax=50_000),
    case("30 mil km o menos", mileageMax=30_000),
    case("kilometraje menor a 40 mil", mileageMax=40_000),
    case("under 30k miles", mileageMax=48_280),
    case("con menos de 50 mil millas", mileageMax=80_467),
    case("con poco millaje", sort="mileage_asc"),
    case("bajo kilometraje", sort="mileage_asc"),
    case("low mileage", sort="mileage_asc"),
    case("menos millaje", sort="mileage_asc"),
    case("menos kilómetros", sort="mileage_asc"),
    case("la de menos km", sort="mileage_asc"),
    case("cuál tiene menos millaje", sort="mileage_asc"),
    case("un carro con 20 mil km", bodyTypes=CARS),  # a mileage, no cap
]

MORE_YEARS = [
    case("del 2020 pa' arriba", yearMin=2020),
    case("del 2020 pa'lante", yearMin=2020),
    case("del 20 pa'lante", yearMin=2020),
    case("2018 en adelante", yearMin=2018),
    case("de 2015 a 2018", yearMin=2015, yearMax=2018),
    case("modelo 19", yearMin=2019, yearMax=2019),
    case("año 21", yearMin=2021, yearMax=2021),
    case("una yipeta modelo 22", bodyTypes=["SUV"], yearMin=2022, yearMax=2022),
    case("modelos 18 al 21", yearMin=2018, yearMax=2021),
    case("del 18 al 20", yearMin=2018, yearMax=2020),
    case("del 18 en adelante", yearMin=2018),
    case("rav4 del 19", makes=["Toyota"], models=["RAV4"], yearMin=2019, yearMax=2019),
    case("corolla '19", makes=["Toyota"], models=["Corolla"], yearMin=2019, yearMax=2019),
    case("una rav4 2019", makes=["Toyota"], models=["RAV4"], yearMin=2019, yearMax=2019),
    case("modelo 98", yearMin=1998, yearMax=1998),
    case("tengo 19 años"),
    case("del 19 de marzo"),
    case("del 15 al 20 mil", priceMin=15_000, priceMax=20_000),
]

MORE_FUELS_AND_GEARS = [
    case("a gas", fuels=["LPG"]),
    case("un carro a gas", bodyTypes=CARS, fuels=["LPG"]),
    case("I want a gas car", bodyTypes=CARS, fuels=["Gasoline"]),
    case("gasolina", fuels=["Gasoline"]),
    case("híbrida", fuels=["Hybrid"]),
    case("eléctrica", fuels=["Electric"]),
    case("diésel", fuels=["Diesel"]),
    case("gas oil", fuels=["Diesel"]),
    case("que no sea diesel", fuels=["Electric", "Gasoline", "Hybrid", "LPG"]),
    case("no quiero mecánica", transmissions=["Automatic"]),
    case("que no sea automática", transmissions=["Manual"]),
    # "de cambio(s)", "con cambios": a gearbox changed by hand; an exchange rate is none.
    case("hatchback de cambio", bodyTypes=["Hatchback"], transmissions=["Manual"]),
    case("una guagua de cambio", bodyTypes=["Minivan", "Van"], transmissions=["Manual"]),
    case("carro con cambios", bodyTypes=CARS, transmissions=["Manual"]),
    case("a qué tipo de cambio?"),
    case("la caja de cambio automática", transmissions=["Automatic"]),
]

SORTS = [
    case("la más barata", sort="price_asc"),
    case("el más barato", sort="price_asc"),
    case("el más económico", sort="price_asc"),
    case("de esas cuál es la más barata", sort="price_asc"),
    case("cual es el mas barato de los que tienes", sort="price_asc"),
    case("the cheapest one", sort="price_asc"),
    case("la más nueva", sort="newest"),
    case("el más moderno", sort="newest"),
    case("la más cara", sort="price_desc"),
    case("la mas barata de 2 millones pa abajo", priceMax=2_000_000, sort="price_asc"),
    case("económica en combustible"),  # thrifty, not cheap
]

MORE_BODIES = [
    case("jeepeta", bodyTypes=["SUV"]),
    case("llipeta", bodyTypes=["SUV"]),
    case("yipetica", bodyTypes=["SUV"]),
    case("jeepetica", bodyTypes=["SUV"]),
    case("una wawa", bodyTypes=["Minivan", "Van"]),
    case("guagua", bodyTypes=["Minivan", "Van"]),
    case("camioneta", bodyTypes=["Pickup", "SUV"]),
    case("carrito", bodyTypes=CARS),
    case("pasola"),  # a motorcycle: no vehicle we search (Intent.MOTORCYCLE)
    case("tienen pasolas?"),
    case("venden motores?"),
    case("qué motor tiene la rav4?", makes=["Toyota"], models=["RAV4"]),
]

TYPOS = [
    case("una toyta", makes=["Toyota"]),
    case("hiunday", makes=["Hyundai"]),
    case("hyundia", makes=["Hyundai"]),
    case("rab4", makes=["Toyota"], models=["RAV4"]),
    # A name with its number said apart (this used to be too little to go on).
    case("una rab 4", makes=["Toyota"], models=["RAV4"]),
    case("tucsson", makes=["Hyundai"], models=["Tucson"]),
    case("la tucon", makes=["Hyundai"], models=["Tucson"]),
    case("corola 2020", makes=["Toyota"], models=["Corolla"], yearMin=2020, yearMax=2020),
    case("yipetta", bodyTypes=["SUV"]),
    case("camionetta", bodyTypes=["Pickup", "SUV"]),
    case("diesl", fuels=["Diesel"]),
    case("automatca", transmissions=["Automatic"]),
    case("una kia carnaval", makes=["Kia"], models=["Carnival"]),
    case("Sunday hours?"),  # not the misspelling "hunday"
    case("open on sunday?"),
    case("gracias"),
    case("hola"),
    case("hondo"),
    case("un kit"),
    case("el rio"),
    case("me manda fotos"),  # not a Mazda
    case("cerca de la frontera"),  # not a Frontier
    case("stick shift", transmissions=["Manual"]),  # not a Swift
    case("range rover"),  # not a Ranger
    case("estado civil"),  # not a Civic
    case("el carnaval"),  # the feast
]

CORPUS_LESSONS = [
    case("somos una familia grande, q quepan 8", seatsMin=8),
    case("un sedan q no sea mas viejo q 2021", bodyTypes=["Sedan"], yearMin=2021),
    case("que no sea más nuevo que 2020", yearMax=2020),
    case("tienes algo 0 kilometro?", mileageMax=0),
    case("pickup q no tenga mas de 50 mil km", bodyTypes=["Pickup"], mileageMax=50_000),
    case("sedan automatico del 2021 pa aca", bodyTypes=["Sedan"], transmissions=["Automatic"],
         yearMin=2021),
    case("mi tope son 3 millones", priceMax=3_000_000),
    case("mi budget es 2 palos, una jeepeta nice", bodyTypes=["SUV"], priceMax=2_000_000),
    case("un carrito barato de 700 pa abajo", bodyTypes=CARS, priceMax=700_000,
         sort="price_asc"),
    case("de 1 millon a millon y medio q hay", priceMin=1_000_000, priceMax=1_500_000),
    case("sin toyota ni honda, yipeta de menos de 2.5 palos", bodyTypes=["SUV"],
         priceMax=2_500_000, excludeMakes=["Honda", "Toyota"]),
    case("any sedan that isn't a Toyota?", bodyTypes=["Sedan"], excludeMakes=["Toyota"]),
    case("la yipetica naranja", bodyTypes=["SUV"], colors=["orange"]),
    case("la naranja q año es?", colors=["orange"]),
    case("vamos a tomar un café"),
    case("no tengo la plata"),
    case("suzuki swit", makes=["Suzuki"], models=["Swift"]),
    case("el swit"),  # four letters with no make: too little to go on
]  # fmt: skip

MORE_PHRASINGS = [
    case("algo como de 1 palo", priceMin=850_000, priceMax=1_150_000),
    case("mi presupuesto es 1.2", priceMax=1_200_000),
    case("hasta un millón", priceMax=1_000_000),
    case("1.5M para abajo", priceMax=1_500_000),
    case("un palo doscientos", priceMax=1_200_000),
    case("menos de 1 millón 500 mil", priceMax=1_500_000),
    case("$30k", priceMax=30_000, priceCurrency="USD"),
    case("veinte mil dólares", priceMax=20_000, priceCurrency="USD"),
    case("cuarenta mil dolares max", priceMax=40_000, priceCurrency="USD"),
    case("treinta y cinco mil dolares o menos", priceMax=35_000, priceCurrency="USD"),
    case("que sea 2018 o más", yearMin=2018),
    case("una rav4 2018 más barata", makes=["Toyota"], models=["RAV4"], yearMin=2018,
         yearMax=2018, sort="price_asc"),
    case("de los últimos 3 años", yearMin=TODAY - 3),
    case("que no tenga más de 5 años", yearMin=TODAY - 5),
    case("una yipeta de menos de 4 años", bodyTypes=["SUV"], yearMin=TODAY - 4),
    case("un sedancito", bodyTypes=["Sedan"]),
    case("una picop", bodyTypes=["Pickup"]),
    case("un minibus", bodyTypes=["Van"]),
    case("que no sea ni toyota ni honda", excludeMakes=["Honda", "Toyota"]),
    case("nada coreano", excludeMakes=["Hyundai", "Kia"]),
    case("ordénalas por precio", sort="price_asc"),
    case("de menor a mayor precio", sort="price_asc"),
    case("de mayor a menor precio", sort="price_desc"),
    case("del más barato al más caro", sort="price_asc"),
    case("la más reciente", sort="newest"),
    case("the black one", colors=["black"]),
]  # fmt: skip

OWN_VEHICLE = [
    case("aceptan mi corolla 2012 como parte de pago?"),
    case("aceptan mi toyota corolla del 2012?"),
    case("mi carro como inicial"),
    case("quiero cambiar mi carro por una yipeta", bodyTypes=["SUV"]),
    case("tengo un civic 2015 y quiero una rav4", makes=["Toyota"], models=["RAV4"]),
    case("my old Civic as a trade-in"),
    case("do you take trade-ins? I have a 2015 Honda Civic"),
    case("cuanto me dan por mi accord 2010?"),  # a model this dealer doesn't stock
    case("mi presupuesto es de 2 millones", priceMax=2_000_000),
    case("mi esposa quiere una yipeta", bodyTypes=["SUV"]),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        *DOMINICAN_MONEY, *DECIMALS_AS_PRICES, *NOT_MONEY, *DOLLARS, *EXCLUSIONS,
        *NOT_EXCLUSIONS, *ORIGINS, *COLORS, *NOT_COLORS, *DRIVETRAINS, *MILEAGE, *MORE_YEARS,
        *MORE_FUELS_AND_GEARS, *SORTS, *MORE_BODIES, *TYPOS, *CORPUS_LESSONS,
        *MORE_PHRASINGS, *OWN_VEHICLE,
    ],
)  # fmt: skip
def test_customers_as_they_write(text: str, expected: dict[str, object]) -> None:
    assert q(text) == expected


@pytest.mark.parametrize(
    ("text", "sort"),
    [
        ("la más barata", "price_asc"),
        ("de esas, cuál es la más barata?", "price_asc"),
        ("y la más económica?", "price_asc"),
        ("cuál tiene menos millaje", "mileage_asc"),
        ("la de menos kilómetros", "mileage_asc"),
        ("la más nueva", "newest"),
        ("la más cara", "price_desc"),
        ("y la blanca?", None),
        ("hola", None),
        ("2020 o más nuevo", None),  # a year bound, not an order
    ],
)
def test_sort_of(text: str, sort: str | None) -> None:
    assert sort_of(text) == sort


def test_a_sort_alone_is_a_request() -> None:
    query = parse_query("la más barata", CATALOG, today_year=TODAY)
    assert query == VehicleQuery(sort="price_asc")


def test_a_follow_up_rules_out_on_top_of_the_search() -> None:
    first = parse_query("una yipeta de 2 palos", CATALOG, today_year=TODAY)
    narrowed = first.refined_by(parse_query("que no sea toyota", CATALOG, today_year=TODAY))
    assert narrowed.body_types == {BodyType.SUV}
    assert narrowed.exclude_makes == {"Toyota"}
    assert narrowed.price_max == 2_000_000
    red = narrowed.refined_by(parse_query("en rojo", CATALOG, today_year=TODAY))
    assert red.colors == {Color.RED} and red.exclude_makes == {"Toyota"}


def test_the_end_of_a_longer_name_names_it() -> None:
    catalog = Catalog(makes=frozenset({"Hyundai"}), models={"Grand i10": "Hyundai"})
    assert q("un i10", catalog) == {"makes": ["Hyundai"], "models": ["Grand i10"]}
    assert q("hyundai i 10", catalog) == {"makes": ["Hyundai"], "models": ["Grand i10"]}


def test_the_demo_stock_reads_the_same_typos() -> None:
    for seed, records in DEMO_DEALERS:
        catalog = Catalog(
            makes=frozenset(r.make for r in records), models={r.model: r.make for r in records}
        )
        for text in ("Sunday hours?", "gracias", "hola", "me manda la ubicacion", "colmado"):
            assert parse_query(text, catalog, today_year=TODAY).is_empty(), (seed.slug, text)
        assert parse_query("toyta", catalog, today_year=TODAY).makes == {"Toyota"}


# ---------------------------------------------------------------------------------------------
# Kinds of phrasing that conversations written blind to the parser taught (each with phrasings
# of our own, and what must not be read)

MILLIONS_SAID_IN_WORDS = [
    case("que no se pase del millón trescientos", priceMax=1_300_000),
    case("algo de millón seiscientos para abajo", priceMax=1_600_000),
    case("millón y medio pa' bajo", priceMax=1_500_000),
    case("como millón cien, no más", priceMax=1_100_000),
    case("por debajo del millón", priceMax=1_000_000),
    case("que cueste menos del millón", priceMax=1_000_000),
    case("tengo un millón y pico pa un carro", bodyTypes=CARS, priceMax=1_500_000),
    case("dos millones y pico", priceMax=2_500_000),
    case("con melón y medio qué hay", priceMax=1_500_000),
    case("tengo dos melones", priceMax=2_000_000),
    case("de 2 palos pa' rriba", priceMin=2_000_000),
    case("de 900 pa bajo", priceMax=900_000),
    case("del millón para arriba", priceMin=1_000_000),
    case("entre uno y dos palos", priceMin=1_000_000, priceMax=2_000_000),
    case("de uno a tres millones", priceMin=1_000_000, priceMax=3_000_000),
]
CAPS_SAID_WITH_A_VERB = [
    case("que no valga más de 1.4 millones", priceMax=1_400_000),
    case("no puedo pasar de un millón", priceMax=1_000_000),
    case("no quiero que cueste más del millón", priceMax=1_000_000),
    case("q no salga en mas d 900 mil", priceMax=900_000),
    case("que no llegue a 2 millones", priceMax=2_000_000),
]
# An amount said alone is what the customer can spend; "alrededor de" makes it a band.
BARE_BUDGETS = [
    case("cuatro millones, yipeta", bodyTypes=["SUV"], priceMax=4_000_000),
    case("US$ 35,000 pa una camioneta", bodyTypes=["Pickup", "SUV"], priceMax=35_000,
         priceCurrency="USD"),
    case("en 900 mil qué hay", priceMax=900_000),
    case("tengo 2.3 pa una yipeta", bodyTypes=["SUV"], priceMax=2_300_000),
    case("tengo 1.2 para comprar algo", priceMax=1_200_000),
    case("alrededor de un millón", priceMin=850_000, priceMax=1_150_000),
    case("un millón más o menos", priceMin=850_000, priceMax=1_150_000),
    case("unos 2 palos", priceMin=1_700_000, priceMax=2_300_000),
    case("around 20k usd", priceMin=17_000, priceMax=23_000, priceCurrency="USD"),
]  # fmt: skip
NOT_MILLIONS = [
    case("me comí el melón"),  # a melon without its count is fruit
    case("millones de gracias"),
    case("ese melón está bueno"),
    case("tengo 2 para ir"),  # two of something, no price
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [*MILLIONS_SAID_IN_WORDS, *CAPS_SAID_WITH_A_VERB, *BARE_BUDGETS, *NOT_MILLIONS],
)
def test_money_as_dominicans_say_it(text: str, expected: dict[str, object]) -> None:
    assert q(text) == expected


MILEAGE_IN_WORDS = [
    case("una que tenga menos de cuarenta mil kilómetros", mileageMax=40_000),
    case("con menos de veinticinco mil km", mileageMax=25_000),
    case("que no pase de cien mil kilómetros", mileageMax=100_000),
    case("sesenta y cinco mil km o menos", mileageMax=65_000),
    case("menos de treinta mil dólares", priceMax=30_000, priceCurrency="USD"),  # money, not km
]


@pytest.mark.parametrize(("text", "expected"), MILEAGE_IN_WORDS)
def test_mileage_said_in_words(text: str, expected: dict[str, object]) -> None:
    assert q(text) == expected


ALL_BODIES = sorted(b.value for b in BodyType)


def _but(every: list[str], *ruled: str) -> list[str]:
    return [value for value in every if value not in ruled]


ATTRIBUTES_RULED_OUT = [
    case("quiero una guagua pero no la quiero mecánica", bodyTypes=["Minivan", "Van"],
         transmissions=["Automatic"]),
    case("no lo quiero de gasolina", fuels=["Diesel", "Electric", "Hybrid", "LPG"]),
    case("pickup sin diésel", bodyTypes=["Pickup"],
         fuels=["Electric", "Gasoline", "Hybrid", "LPG"]),
    case("que no sea sedán", bodyTypes=_but(ALL_BODIES, "Sedan")),
    case("cualquier cosa menos camioneta", bodyTypes=_but(ALL_BODIES, "Pickup", "SUV")),
    case("Honda pero que no sea yipeta", makes=["Honda"], bodyTypes=_but(ALL_BODIES, "SUV")),
    case("un carro que no sea hatchback", bodyTypes=_but(CARS, "Hatchback")),
    case("no la quiero roja", colors=sorted(c.value for c in Color if c is not Color.RED)),
    case("que no sea negro ni gris",
         colors=sorted(c.value for c in Color if c not in (Color.BLACK, Color.GRAY))),
    case("una coreana pero no Kia", makes=["Hyundai"], excludeMakes=["Kia"]),
    case("vi la CX-5 pero no me gustó", excludeModels=["CX-5"]),
    case("la tucson no me convence, qué otra yipeta hay", bodyTypes=["SUV"],
         excludeModels=["Tucson"]),
    # Only mentioned: complained of, or the other side of a comparison.
    case("el diésel me tiene loco con los precios, busco un híbrido", fuels=["Hybrid"]),
    case("me está matando el gasoil"),
    case("la mecánica me tiene harto, quiero automática", transmissions=["Automatic"]),
    case("gasoline is so expensive, any electric?", fuels=["Electric"]),
    case("el híbrido sale más barato que el diésel", fuels=["Hybrid"]),
    case("la gasolina ta por las nubes, tienen a gas?", fuels=["LPG"]),
    case("una camioneta de cama, no importa que sea mecánica", bodyTypes=["Pickup"]),
    case("aunque sea diésel, lo que haya", ),
    case("I don't care if it's manual"),
    # Wanted after all.
    case("me gusta la gasolina", fuels=["Gasoline"]),
    case("la hilux me gusta", makes=["Toyota"], models=["Hilux"]),
    case("no necesito 4x4"),  # not needed is not ruled out
    case("el más barato que tengan", sort="price_asc"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), ATTRIBUTES_RULED_OUT)
def test_attributes_ruled_out_or_only_mentioned(text: str, expected: dict[str, object]) -> None:
    assert q(text) == expected


BODIES_AS_WRITTEN = [
    case("busco un cedan", bodyTypes=["Sedan"]),
    case("tienen zedanes?", bodyTypes=["Sedan"]),
    case("sedane automatico", bodyTypes=["Sedan"], transmissions=["Automatic"]),
    case("q pick ups hay", bodyTypes=["Pickup"]),
    case("una picup diesel", bodyTypes=["Pickup"], fuels=["Diesel"]),
    case("pikop", bodyTypes=["Pickup"]),
    case("una camioneta pa cargar mercancía", bodyTypes=["Pickup"]),
    case("camioneta de volteo", bodyTypes=["Pickup"]),
    case("camioneta para el conuco", bodyTypes=["Pickup"]),
    # A pickup first; an SUV too if no pickup meets the rest (inventory/search.py).
    case(
        "busco camioneta 4x4",
        bodyTypes=["Pickup"],
        drivetrains=["4x4"],
        widerBodies=["Pickup", "SUV"],
    ),
    case("camioneta pickup 4x4", bodyTypes=["Pickup"], drivetrains=["4x4"]),  # said outright
    case("camioneta", bodyTypes=["Pickup", "SUV"]),  # alone, either
    case("camioneta familiar", bodyTypes=["Pickup", "SUV"]),
    case("guagua pa turismo", bodyTypes=["Van"]),
    case("una guagua para transportar empleados", bodyTypes=["Van"]),
    case("guagua familiar", bodyTypes=["Minivan", "Van"]),
    case("algo chiquito pa moverme", bodyTypes=CARS),
    case("una yipeta pequeña", bodyTypes=["SUV"]),
]
MANY_SEATS = [
    case("yipeta de tres filas", bodyTypes=["SUV"], seatsMin=7),
    case("con tercera fila", seatsMin=7),
    case("lo que tenga muchos asientos", seatsMin=7),
    case("somos muchos", seatsMin=7),
    case("familia grande, q quepan 9", seatsMin=9),  # the count said wins
    case("tengo 3 hijos"),  # no seats
]


@pytest.mark.parametrize(("text", "expected"), [*BODIES_AS_WRITTEN, *MANY_SEATS])
def test_bodies_and_seats_as_customers_say_them(text: str, expected: dict[str, object]) -> None:
    assert q(text) == expected


NAMES_BY_EAR = [
    case("el sibic azul", makes=["Honda"], models=["Civic"], colors=["blue"]),
    case("la jilux 2022", makes=["Toyota"], models=["Hilux"], yearMin=2022, yearMax=2022),
    case("q toyo tienen", makes=["Toyota"]),
    case("la taho cuanto", makes=["Chevrolet"], models=["Tahoe"]),
    case("el corolita", makes=["Toyota"], models=["Corolla"]),
    case("la tucsoncita negra", makes=["Hyundai"], models=["Tucson"], colors=["black"]),
    case("la raf 4 del 2021", makes=["Toyota"], models=["RAV4"], yearMin=2021, yearMax=2021),
    case("la lancruiser", makes=["Toyota"], models=["Land Cruiser Prado"]),
    case("una santafe", makes=["Hyundai"], models=["Santa Fe"]),
    case("la picantico amarilla", makes=["Kia"], models=["Picanto"], colors=["yellow"]),
    case("ford bronco sport", makes=["Ford"], models=["Bronco Sport"]),  # no Sportage
]
EVERYDAY_SENTENCES = [
    "mira, que onda",
    "vivo en el monte",
    "de qué color",
    "mi compa me dijo",
    "me pica",
    "un taco",
    "ahorita voy",
    "un momentito",
    "se me fue la onda",
    "monte plata",
]


@pytest.mark.parametrize(("text", "expected"), NAMES_BY_EAR)
def test_names_as_they_sound(text: str, expected: dict[str, object]) -> None:
    assert q(text) == expected


@pytest.mark.parametrize("text", EVERYDAY_SENTENCES)
def test_everyday_words_name_no_vehicle_of_the_demo_stock(text: str) -> None:
    for seed, records in DEMO_DEALERS:
        catalog = Catalog(
            makes=frozenset(r.make for r in records), models={r.model: r.make for r in records}
        )
        assert not parse_query(text, catalog, today_year=TODAY).names_a_vehicle(), seed.slug


@pytest.mark.parametrize(
    ("text", "sort"),
    [
        ("enséñame la más nuevecita", "newest"),
        ("lo más nuevesito que haya", "newest"),
        ("lo último que llegó", "newest"),
        ("organízalas de la más barata a la más cara", "price_asc"),
        ("del más caro al más barato", "price_desc"),
        ("de menor a mayor", "price_asc"),
        ("the least expensive one", "price_asc"),
        ("the priciest", "price_desc"),
        ("the latest models", "newest"),
        ("cuál es más barata que la tucson", None),  # a comparison, no order
        ("el glp es más económico que la gasolina", None),
    ],
)
def test_orders_as_customers_ask_them(text: str, sort: str | None) -> None:
    assert sort_of(text) == sort


COLORS_AS_SAID = [
    case("un sedán negrito", bodyTypes=["Sedan"], colors=["black"]),
    case("la blanquita", colors=["white"]),
    case("una yipetica rojita", bodyTypes=["SUV"], colors=["red"]),
    case("la quiero en black", colors=["black"]),
    case("la silver", colors=["silver"]),
    case("white corolla", makes=["Toyota"], models=["Corolla"], colors=["white"]),
    case("blue suv", bodyTypes=["SUV"], colors=["blue"]),
    case("la red de la empresa"),  # a network
    case("lo vi en red"),
    case("black friday"),
]


@pytest.mark.parametrize(("text", "expected"), COLORS_AS_SAID)
def test_colours_as_customers_say_them(text: str, expected: dict[str, object]) -> None:
    assert q(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        case("puedo traer mi mecánico?"),  # a person
        case("tengo un mecánico que me la revisa"),
        case("la llevo al mecánico de confianza"),
        case("quiero una mecánica", transmissions=["Manual"]),
        case("un carro mecánico", bodyTypes=CARS, transmissions=["Manual"]),
    ],
)
def test_a_mechanic_is_no_gearbox(text: str, expected: dict[str, object]) -> None:
    assert q(text) == expected
