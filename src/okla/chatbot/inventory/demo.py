"""Demo dealers and their stock: realistic Dominican-market vehicles, prices in pesos."""

from __future__ import annotations

from dataclasses import dataclass

from okla.chatbot.inventory.domain import BodyType, Fuel, Transmission, VehicleStatus

DEFAULT_DEALER_SLUG = "auto-dominicana-premium"


@dataclass(frozen=True)
class DealerSeed:
    """A dealer to create."""

    slug: str
    name: str
    assistant_name: str
    city: str
    phone: str
    website: str


@dataclass(frozen=True)
class VehicleRow:
    """One vehicle to load: a demo vehicle, or a validated CSV row."""

    stock_number: str
    make: str
    model: str
    year: int
    trim: str | None
    price: int
    currency: str
    body_type: BodyType
    mileage_km: int
    fuel: Fuel
    transmission: Transmission
    color: str | None
    seats: int | None
    status: VehicleStatus
    url: str | None
    image_url: str | None
    description: str | None


S, SE, H, P, MV, V = (
    BodyType.SUV,
    BodyType.SEDAN,
    BodyType.HATCHBACK,
    BodyType.PICKUP,
    BodyType.MINIVAN,
    BodyType.VAN,
)
G, D, HY, EL, LPG = Fuel.GASOLINE, Fuel.DIESEL, Fuel.HYBRID, Fuel.ELECTRIC, Fuel.LPG
A, M = Transmission.AUTOMATIC, Transmission.MANUAL
OK, RES, SOLD = VehicleStatus.AVAILABLE, VehicleStatus.RESERVED, VehicleStatus.SOLD

_Spec = tuple[
    str, str, int, str | None, int, BodyType, int, Fuel, Transmission, str, int, VehicleStatus, str
]


def _rows(prefix: str, specs: list[_Spec]) -> tuple[VehicleRow, ...]:
    rows = []
    for n, (
        make,
        model,
        year,
        trim,
        price,
        body,
        km,
        fuel,
        gear,
        color,
        seats,
        status,
        text,
    ) in enumerate(specs, 1):
        stock = f"{prefix}-{n:04d}"
        rows.append(
            VehicleRow(
                stock_number=stock,
                make=make,
                model=model,
                year=year,
                trim=trim,
                price=price,
                currency="DOP",
                body_type=body,
                mileage_km=km,
                fuel=fuel,
                transmission=gear,
                color=color,
                seats=seats,
                status=status,
                url=f"https://okla.do/vehiculos/{stock.lower()}",
                image_url=None,
                description=text,
            )
        )
    return tuple(rows)


_ADP: list[_Spec] = [
    ("Toyota", "Land Cruiser Prado", 2023, "VX", 5_800_000, S, 12_000, D, A, "Blanco perla", 7, OK,
     "Yipeta de lujo, 7 pasajeros, un solo dueño."),
    ("Ford", "Bronco Sport", 2024, "Big Bend", 2_700_000, S, 0, G, A, "Azul", 5, OK,
     "Nueva, 4x4, garantía de fábrica."),
    ("Kia", "Carnival", 2024, "EX", 3_300_000, MV, 0, G, A, "Gris", 8, OK,
     "Minivan nueva para la familia, 8 pasajeros."),
    ("Toyota", "RAV4", 2022, "XLE", 2_450_000, S, 28_000, G, A, "Rojo", 5, OK,
     "Yipeta compacta, muy económica."),
    ("Hyundai", "Tucson", 2021, "GLS", 1_650_000, S, 41_000, G, A, "Negro", 5, OK,
     "Bien cuidada, mantenimientos en la casa."),
    ("Hyundai", "Santa Fe", 2023, "Limited", 3_150_000, S, 15_000, G, A, "Blanco", 7, OK,
     "Tercera fila de asientos, techo panorámico."),
    ("Kia", "Sportage", 2020, "LX", 1_390_000, S, 55_000, G, A, "Plata", 5, OK,
     "Yipeta confiable a buen precio."),
    ("Honda", "CR-V", 2022, "EX-L", 2_550_000, S, 22_000, G, A, "Gris", 5, RES,
     "Reservada; pregunte por unidades similares."),
    ("Mitsubishi", "Montero Sport", 2021, "GLS", 2_350_000, S, 38_000, D, A, "Blanco", 7, OK,
     "4x4 diésel, 7 pasajeros."),
    ("Jeep", "Wrangler", 2019, "Sport", 2_900_000, S, 47_000, G, M, "Verde", 4, SOLD,
     "Vendida."),
    ("Mazda", "CX-5", 2023, "Grand Touring", 2_250_000, S, 9_000, G, A, "Rojo", 5, OK,
     "Como nueva, full equipo."),
    ("Chevrolet", "Tahoe", 2021, "LT", 4_950_000, S, 35_000, G, A, "Negro", 8, OK,
     "Yipeta grande, 8 pasajeros."),
    ("Mercedes-Benz", "GLE", 2022, "450 4MATIC", 7_900_000, S, 18_000, HY, A, "Negro", 5, OK,
     "Lujo e híbrido suave."),
    ("Toyota", "Corolla", 2022, "LE", 1_350_000, SE, 30_000, G, A, "Blanco", 5, OK,
     "Sedán económico y confiable."),
    ("Honda", "Civic", 2021, "EX", 1_550_000, SE, 33_000, G, A, "Azul", 5, OK,
     "Deportivo y económico."),
    ("Hyundai", "Sonata", 2017, "LF", 780_000, SE, 98_000, LPG, A, "Gris", 5, OK,
     "Convertido a GLP, muy económico en combustible."),
    ("Nissan", "Sentra", 2020, "SV", 1_050_000, SE, 61_000, G, A, "Rojo", 5, SOLD, "Vendido."),
    ("Kia", "K5", 2022, "GT-Line", 1_850_000, SE, 19_000, G, A, "Blanco", 5, OK,
     "Sedán moderno, pantalla grande."),
    ("Kia", "Picanto", 2021, "LX", 690_000, H, 40_000, G, M, "Amarillo", 5, OK,
     "Ideal para la ciudad, muy económico."),
    ("Suzuki", "Swift", 2022, "GL", 850_000, H, 25_000, G, A, "Rojo", 5, OK,
     "Compacto y ágil."),
    ("Toyota", "Hilux", 2022, "SR5", 2_850_000, P, 45_000, D, M, "Blanco", 5, OK,
     "Doble cabina, 4x4 diésel."),
    ("Toyota", "Tacoma", 2020, "TRD Off-Road", 2_600_000, P, 52_000, G, A, "Gris", 5, OK,
     "Camioneta lista para todo terreno."),
    ("Ford", "Ranger", 2023, "XLT", 2_650_000, P, 11_000, D, A, "Azul", 5, OK,
     "Doble cabina, diésel, automática."),
    ("Nissan", "Frontier", 2021, "PRO-4X", 2_100_000, P, 39_000, D, A, "Negro", 5, RES,
     "Reservada."),
    ("Mitsubishi", "L200", 2019, "GL", 1_450_000, P, 87_000, D, M, "Blanco", 5, SOLD, "Vendida."),
    ("Toyota", "Sienna", 2022, "XLE Hybrid", 3_600_000, MV, 20_000, HY, A, "Plata", 8, OK,
     "Minivan híbrida, 8 pasajeros."),
    ("Hyundai", "H-1", 2019, "Van", 1_750_000, V, 90_000, D, M, "Blanco", 12, OK,
     "Guagua de 12 pasajeros, diésel."),
    ("Toyota", "Hiace", 2018, "Commuter", 1_950_000, V, 120_000, D, M, "Blanco", 15, OK,
     "Guagua de 15 pasajeros para negocio o turismo."),
    ("BYD", "Dolphin", 2024, "Standard", 1_900_000, H, 0, EL, A, "Rosa", 5, OK,
     "Eléctrico nuevo, autonomía de 400 km."),
    ("Toyota", "Prius", 2019, "Two", 1_150_000, H, 70_000, HY, A, "Blanco", 5, OK,
     "Híbrido, rinde muchísimo."),
]  # fmt: skip

_MDC: list[_Spec] = [
    ("Isuzu", "D-Max", 2022, "LS", 2_300_000, P, 30_000, D, M, "Blanco", 5, OK,
     "Camioneta de trabajo, diésel."),
    ("Suzuki", "Vitara", 2021, "GLX", 1_450_000, S, 35_000, G, A, "Azul", 5, OK,
     "Yipeta compacta."),
    ("Nissan", "Kicks", 2022, "SR", 1_250_000, S, 20_000, G, A, "Naranja", 5, OK,
     "Crossover económico."),
    ("Honda", "HR-V", 2021, "EX", 1_600_000, S, 27_000, G, A, "Gris", 5, OK,
     "Yipeta urbana."),
    ("Toyota", "Yaris", 2020, "S", 890_000, H, 48_000, G, A, "Rojo", 5, OK,
     "Compacto confiable."),
    ("Hyundai", "Elantra", 2021, "SEL", 1_150_000, SE, 36_000, G, A, "Blanco", 5, OK,
     "Sedán cómodo."),
    ("Kia", "Sorento", 2022, "EX", 2_500_000, S, 22_000, G, A, "Negro", 7, OK,
     "Siete pasajeros."),
    ("Ford", "Explorer", 2020, "XLT", 2_400_000, S, 58_000, G, A, "Gris", 7, SOLD, "Vendida."),
    ("Mitsubishi", "Outlander", 2022, "SE", 1_900_000, S, 25_000, HY, A, "Blanco", 7, OK,
     "Híbrida enchufable."),
    ("Chevrolet", "Colorado", 2019, "LT", 1_800_000, P, 70_000, G, A, "Rojo", 5, OK,
     "Camioneta doble cabina."),
]  # fmt: skip

DEMO_DEALERS: tuple[tuple[DealerSeed, tuple[VehicleRow, ...]], ...] = (
    (
        DealerSeed(
            slug=DEFAULT_DEALER_SLUG,
            name="Auto Dominicana Premium",
            assistant_name="Ana",
            city="Santo Domingo",
            phone="809-555-0100",
            website="https://okla.do/dealers/auto-dominicana-premium",
        ),
        _rows("ADP", _ADP),
    ),
    (
        DealerSeed(
            slug="motores-del-cibao",
            name="Motores del Cibao",
            assistant_name="Carlos",
            city="Santiago de los Caballeros",
            phone="809-555-0200",
            website="https://okla.do/dealers/motores-del-cibao",
        ),
        _rows("MDC", _MDC),
    ),
)
