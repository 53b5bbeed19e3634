"""Demo dealers, their profiles and their stock: realistic Dominican-market vehicles, in pesos."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from okla.chatbot.dealers.domain import DealerProfile
from okla.chatbot.dealers.holidays import holidays_between
from okla.chatbot.inventory.domain import (
    BodyType,
    DealerSeed,
    Drivetrain,
    Fuel,
    Transmission,
    VehicleRecord,
    VehicleStatus,
)

DEFAULT_DEALER_SLUG = "auto-dominicana-premium"


# Short aliases keep each vehicle on one readable line in the tables below.
_SUV, _SEDAN, _HATCH, _PICKUP, _MINIVAN, _VAN = (
    BodyType.SUV,
    BodyType.SEDAN,
    BodyType.HATCHBACK,
    BodyType.PICKUP,
    BodyType.MINIVAN,
    BodyType.VAN,
)
_GAS, _DIESEL, _HYBRID, _ELECTRIC, _LPG = (
    Fuel.GASOLINE,
    Fuel.DIESEL,
    Fuel.HYBRID,
    Fuel.ELECTRIC,
    Fuel.LPG,
)
_AUTO, _MANUAL = Transmission.AUTOMATIC, Transmission.MANUAL
_OK, _RESERVED, _SOLD = VehicleStatus.AVAILABLE, VehicleStatus.RESERVED, VehicleStatus.SOLD
_FWD, _RWD, _AWD, _4X4 = Drivetrain.FWD, Drivetrain.RWD, Drivetrain.AWD, Drivetrain.FOUR_BY_FOUR

# make, model, year, trim, price (RD$), body, km, fuel, transmission, status, drivetrain, color,
# seats, text. Drivetrains are the trims' usual ones in the Dominican market.
_Spec = tuple[
    str, str, int, str | None, int, BodyType, int, Fuel, Transmission, VehicleStatus,
    Drivetrain, str, int, str,
]  # fmt: skip


def _records(prefix: str, specs: list[_Spec]) -> tuple[VehicleRecord, ...]:
    records = []
    for n, spec in enumerate(specs, 1):
        (make, model, year, trim, price, body, km, fuel, gear, status,
         drive, color, seats, text) = spec  # fmt: skip
        stock = f"{prefix}-{n:04d}"
        records.append(
            VehicleRecord(
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
                drivetrain=drive,
                color=color,
                seats=seats,
                status=status,
                url=f"https://okla.do/vehiculos/{stock.lower()}",
                image_url=None,
                description=text,
            )
        )
    return tuple(records)


# A vehicle's position is its stock number and tests and databases refer to them: append only.
_ADP: list[_Spec] = [
    ("Toyota", "Land Cruiser Prado", 2023, "VX", 5_800_000, _SUV, 12_000, _DIESEL, _AUTO, _OK,
     _4X4, "Blanco perla", 7, "Yipeta de lujo 4x4, 7 pasajeros, un solo dueño."),
    ("Ford", "Bronco Sport", 2024, "Big Bend", 2_700_000, _SUV, 0, _GAS, _AUTO, _OK,
     _4X4, "Azul", 5, "Nueva, 4x4, con garantía de fábrica."),
    ("Kia", "Carnival", 2024, "EX", 3_300_000, _MINIVAN, 0, _GAS, _AUTO, _OK,
     _FWD, "Gris", 8, "Minivan nueva para la familia, 8 pasajeros y puertas corredizas."),
    ("Toyota", "RAV4", 2022, "XLE", 2_450_000, _SUV, 28_000, _GAS, _AUTO, _OK,
     _AWD, "Rojo", 5, "Yipeta compacta, económica y confiable."),
    ("Hyundai", "Tucson", 2021, "GLS", 1_650_000, _SUV, 41_000, _GAS, _AUTO, _OK,
     _FWD, "Negro", 5, "Bien cuidada, mantenimientos en la casa."),
    ("Hyundai", "Santa Fe", 2023, "Limited", 3_150_000, _SUV, 15_000, _GAS, _AUTO, _OK,
     _AWD, "Blanco", 7, "Tercera fila de asientos y techo panorámico."),
    ("Kia", "Sportage", 2020, "LX", 1_390_000, _SUV, 55_000, _GAS, _AUTO, _OK,
     _FWD, "Plata", 5, "Yipeta confiable a buen precio."),
    ("Honda", "CR-V", 2022, "EX-L", 2_550_000, _SUV, 22_000, _GAS, _AUTO, _RESERVED,
     _AWD, "Gris", 5, "Yipeta familiar con asientos en piel y mantenimientos al día."),
    ("Mitsubishi", "Montero Sport", 2021, "GLS", 2_350_000, _SUV, 38_000, _DIESEL, _AUTO, _OK,
     _4X4, "Blanco", 7, "4x4 diésel, 7 pasajeros."),
    ("Jeep", "Wrangler", 2019, "Sport", 2_900_000, _SUV, 47_000, _GAS, _MANUAL, _SOLD,
     _4X4, "Verde", 4, "4x4 con techo removible, lista para la playa y la montaña."),
    ("Mazda", "CX-5", 2023, "Grand Touring", 2_250_000, _SUV, 9_000, _GAS, _AUTO, _OK,
     _AWD, "Rojo", 5, "Como nueva, full equipo."),
    ("Chevrolet", "Tahoe", 2021, "LT", 4_950_000, _SUV, 35_000, _GAS, _AUTO, _OK,
     _4X4, "Negro", 8, "Yipeta grande de 8 pasajeros, motor V8."),
    ("Mercedes-Benz", "GLE", 2022, "450 4MATIC", 7_900_000, _SUV, 18_000, _GAS, _AUTO, _OK,
     _AWD, "Negro", 5, "Lujo alemán, motor de 6 cilindros con asistencia eléctrica suave."),
    ("Toyota", "Corolla", 2022, "LE", 1_350_000, _SEDAN, 30_000, _GAS, _AUTO, _OK,
     _FWD, "Blanco", 5, "Sedán económico y confiable."),
    ("Honda", "Civic", 2021, "EX", 1_550_000, _SEDAN, 33_000, _GAS, _AUTO, _OK,
     _FWD, "Azul", 5, "Deportivo y económico."),
    ("Hyundai", "Sonata", 2017, "LF", 780_000, _SEDAN, 98_000, _LPG, _AUTO, _OK,
     _FWD, "Gris", 5, "Convertido a GLP, muy económico en combustible."),
    ("Nissan", "Sentra", 2020, "SV", 1_050_000, _SEDAN, 61_000, _GAS, _AUTO, _SOLD,
     _FWD, "Rojo", 5, "Sedán cómodo y de bajo consumo."),
    ("Kia", "K5", 2022, "GT-Line", 1_850_000, _SEDAN, 19_000, _GAS, _AUTO, _OK,
     _FWD, "Blanco", 5, "Sedán moderno con pantalla grande."),
    ("Kia", "Picanto", 2021, "LX", 690_000, _HATCH, 40_000, _GAS, _MANUAL, _OK,
     _FWD, "Amarillo", 5, "Ideal para la ciudad, muy económico."),
    ("Suzuki", "Swift", 2022, "GL", 850_000, _HATCH, 25_000, _GAS, _AUTO, _OK,
     _FWD, "Rojo", 5, "Compacto y ágil."),
    ("Toyota", "Hilux", 2022, "SR5", 2_850_000, _PICKUP, 45_000, _DIESEL, _MANUAL, _OK,
     _4X4, "Blanco", 5, "Doble cabina, 4x4 diésel."),
    ("Toyota", "Tacoma", 2020, "TRD Off-Road", 2_600_000, _PICKUP, 52_000, _GAS, _AUTO, _OK,
     _4X4, "Gris", 5, "Camioneta lista para todo terreno."),
    ("Ford", "Ranger", 2023, "XLT", 2_650_000, _PICKUP, 11_000, _DIESEL, _AUTO, _OK,
     _RWD, "Azul", 5, "Doble cabina, diésel, automática."),
    ("Nissan", "Frontier", 2021, "PRO-4X", 2_100_000, _PICKUP, 39_000, _DIESEL, _AUTO, _RESERVED,
     _4X4, "Negro", 5, "Doble cabina 4x4 diésel, lista para trabajo pesado."),
    ("Mitsubishi", "L200", 2019, "GL", 1_450_000, _PICKUP, 87_000, _DIESEL, _MANUAL, _SOLD,
     _4X4, "Blanco", 5, "Camioneta de trabajo 4x4, mecánica y diésel."),
    ("Toyota", "Sienna", 2022, "XLE Hybrid", 3_600_000, _MINIVAN, 20_000, _HYBRID, _AUTO, _OK,
     _FWD, "Plata", 8, "Minivan híbrida, 8 pasajeros."),
    ("Hyundai", "H-1", 2019, "GL", 1_750_000, _VAN, 90_000, _DIESEL, _MANUAL, _OK,
     _RWD, "Blanco", 12, "Guagua de 12 pasajeros, diésel."),
    ("Toyota", "Hiace", 2018, "Commuter", 1_950_000, _VAN, 120_000, _DIESEL, _MANUAL, _OK,
     _RWD, "Blanco", 15, "Guagua de 15 pasajeros para negocio o turismo."),
    ("BYD", "Dolphin", 2024, "Standard", 1_900_000, _HATCH, 0, _ELECTRIC, _AUTO, _OK,
     _FWD, "Rosa", 5, "Eléctrico nuevo, hasta 340 km de autonomía."),
    ("Toyota", "Prius", 2019, "Two", 1_150_000, _HATCH, 70_000, _HYBRID, _AUTO, _OK,
     _FWD, "Blanco", 5, "Híbrido, rinde muchísimo."),
    ("BMW", "X5", 2021, "xDrive45e", 4_600_000, _SUV, 31_000, _HYBRID, _AUTO, _OK,
     _AWD, "Negro zafiro", 5, "Yipeta de lujo híbrida enchufable, unos 50 km en modo eléctrico."),
    ("Hyundai", "Grand i10", 2020, "GL", 675_000, _HATCH, 58_000, _GAS, _MANUAL, _OK,
     _FWD, "Blanco", 5, "Pequeño y económico, ideal para trabajar o moverse por la ciudad."),
]  # fmt: skip

_MDC: list[_Spec] = [
    ("Isuzu", "D-Max", 2022, "LS", 2_300_000, _PICKUP, 30_000, _DIESEL, _MANUAL, _OK,
     _RWD, "Blanco", 5, "Camioneta de trabajo, diésel."),
    ("Suzuki", "Vitara", 2021, "GLX", 1_450_000, _SUV, 35_000, _GAS, _AUTO, _OK,
     _AWD, "Azul", 5, "Yipeta compacta."),
    ("Nissan", "Kicks", 2022, "SR", 1_250_000, _SUV, 20_000, _GAS, _AUTO, _OK,
     _FWD, "Naranja", 5, "Crossover económico."),
    ("Honda", "HR-V", 2021, "EX", 1_600_000, _SUV, 27_000, _GAS, _AUTO, _OK,
     _FWD, "Gris", 5, "Yipeta urbana."),
    ("Toyota", "Yaris", 2020, "S", 890_000, _HATCH, 48_000, _GAS, _AUTO, _OK,
     _FWD, "Rojo", 5, "Compacto confiable."),
    ("Hyundai", "Elantra", 2021, "SEL", 1_150_000, _SEDAN, 36_000, _GAS, _AUTO, _OK,
     _FWD, "Blanco", 5, "Sedán cómodo."),
    ("Kia", "Sorento", 2022, "EX", 2_500_000, _SUV, 22_000, _GAS, _AUTO, _OK,
     _AWD, "Negro", 7, "Siete pasajeros."),
    ("Ford", "Explorer", 2020, "XLT", 2_400_000, _SUV, 58_000, _GAS, _AUTO, _SOLD,
     _AWD, "Gris", 7, "Tres filas de asientos, ideal para viajar en familia."),
    ("Mitsubishi", "Outlander", 2022, "SE", 1_900_000, _SUV, 25_000, _HYBRID, _AUTO, _OK,
     _AWD, "Blanco", 7, "Híbrida enchufable."),
    ("Chevrolet", "Colorado", 2019, "LT", 1_800_000, _PICKUP, 70_000, _GAS, _AUTO, _OK,
     _RWD, "Rojo", 5, "Camioneta doble cabina."),
]  # fmt: skip

DEMO_DEALERS: tuple[tuple[DealerSeed, tuple[VehicleRecord, ...]], ...] = (
    (
        DealerSeed(
            slug=DEFAULT_DEALER_SLUG,
            name="Auto Dominicana Premium",
            assistant_name="Ana",
            city="Santo Domingo",
            phone="809-555-0100",
            website="https://okla.do/dealers/auto-dominicana-premium",
        ),
        _records("ADP", _ADP),
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
        _records("MDC", _MDC),
    ),
)


# The demo dealers' profiles (dealers/domain.py), as a profile file would write them. Their
# closures are the public holidays of the year ahead, added by demo_profiles.
_PROFILES: dict[str, dict[str, Any]] = {
    DEFAULT_DEALER_SLUG: {
        "address": "Av. Abraham Lincoln 1052, Ensanche Piantini",
        "city": "Santo Domingo",
        "mapUrl": "https://maps.google.com/?q=Av.+Abraham+Lincoln+1052,+Santo+Domingo",
        "phone": "809-555-0100",
        "whatsapp": "829-555-0101",
        "timezone": "America/Santo_Domingo",
        "hours": {
            **{
                day: [{"opens": "08:00", "closes": "18:00"}]
                for day in ("mon", "tue", "wed", "thu", "fri")
            },
            "sat": [{"opens": "09:00", "closes": "13:00"}],
        },
        "testDrives": {"slotMinutes": 60, "capacity": 2},
        "policies": {
            "tradeIn": "Recibimos tu vehículo como parte de pago después de evaluarlo en "
            "nuestro local (la evaluación toma unos 30 minutos). Debe estar a tu nombre y al día "
            "en marbete e impuestos.",
            "financing": "Financiamos con Banreservas, Banco Popular y BHD: inicial desde el "
            "20% y plazos de hasta 60 meses, sujeto a la aprobación del banco.",
            "warranty": "Los vehículos nuevos tienen la garantía de fábrica. Los usados tienen "
            "garantía de 3 meses o 5,000 km en motor y transmisión, lo que ocurra primero.",
            "delivery": "Entregamos en el Gran Santo Domingo y enviamos a Santiago y al resto "
            "del país en grúa cerrada; el costo del envío depende del destino.",
            "documents": "Nos encargamos del traspaso en la DGII (el impuesto de traspaso, 2% "
            "del valor, lo paga el comprador). Todos los vehículos se entregan con placa y "
            "marbete al día.",
        },
        "policiesEn": {
            "tradeIn": "We take your vehicle as part of the payment after inspecting it at "
            "our lot (the inspection takes about 30 minutes). It must be in your name, with "
            "its registration sticker (marbete) and taxes up to date.",
            "financing": "We finance through Banreservas, Banco Popular and BHD: down payment "
            "from 20% and terms of up to 60 months, subject to the bank's approval.",
            "warranty": "New vehicles carry the factory warranty. Used vehicles carry a "
            "3-month or 5,000 km warranty on engine and transmission, whichever comes first.",
            "delivery": "We deliver in Greater Santo Domingo and ship to Santiago and the rest "
            "of the country on an enclosed tow truck; the shipping cost depends on the "
            "destination.",
            "documents": "We handle the title transfer (traspaso) at the DGII (the transfer "
            "tax, 2% of the value, is paid by the buyer). Every vehicle is delivered with its "
            "plates (placa) and registration sticker (marbete) up to date.",
        },
    },
    "motores-del-cibao": {
        "address": "Av. Estrella Sadhalá 112, Los Jardines Metropolitanos",
        "city": "Santiago de los Caballeros",
        "mapUrl": "https://maps.google.com/?q=Av.+Estrella+Sadhal%C3%A1+112,+Santiago",
        "phone": "809-555-0200",
        "whatsapp": "849-555-0201",
        "timezone": "America/Santo_Domingo",
        "hours": {
            # Closed at midday, as many Santiago businesses are.
            **{
                day: [{"opens": "08:00", "closes": "12:00"}, {"opens": "14:00", "closes": "18:00"}]
                for day in ("mon", "tue", "wed", "thu", "fri")
            },
            "sat": [{"opens": "08:00", "closes": "13:00"}],
        },
        "testDrives": {"slotMinutes": 60, "capacity": 2},
        "policies": {
            "tradeIn": "Aceptamos tu vehículo como parte del inicial; lo evaluamos aquí mismo "
            "el día que vengas.",
            "financing": "Trabajamos con Banco Popular y la Asociación Cibao: inicial desde el "
            "30% y hasta 48 meses, sujeto a aprobación.",
            "warranty": "Los vehículos usados tienen 30 días de garantía en motor y caja.",
            "delivery": "Entregamos en Santiago y enviamos a Santo Domingo, Puerto Plata y La "
            "Vega; tu asesor coordina el envío.",
            "documents": "Hacemos el traspaso contigo en la DGII de Santiago; placa y marbete "
            "al día en todos los vehículos.",
        },
        "policiesEn": {
            "tradeIn": "We take your vehicle as part of the down payment; we inspect it here "
            "the day you come.",
            "financing": "We work with Banco Popular and Asociación Cibao: down payment from "
            "30% and up to 48 months, subject to approval.",
            "warranty": "Used vehicles carry a 30-day warranty on engine and gearbox.",
            "delivery": "We deliver in Santiago and ship to Santo Domingo, Puerto Plata and La "
            "Vega; your advisor arranges the shipping.",
            "documents": "We do the title transfer (traspaso) with you at the DGII in Santiago; "
            "plates (placa) and registration sticker (marbete) up to date on every vehicle.",
        },
    },
}


def demo_profiles(today: date) -> dict[str, DealerProfile]:
    """Return the demo dealers' profiles, closed on the public holidays of the year ahead."""
    holidays = holidays_between(today, today + timedelta(days=365))
    closures = [{"date": h.day.isoformat(), "reason": h.name} for h in holidays]
    return {
        slug: DealerProfile.model_validate({**profile, "closures": closures})
        for slug, profile in _PROFILES.items()
    }
