"""Intents: what a customer wants from a message, besides (or instead of) a vehicle."""

from __future__ import annotations

import pytest

from okla.chatbot.understanding.intents import DESK_INTENTS, Intent, detect_intents


@pytest.mark.parametrize(
    ("text", "intents"),
    [
        ("Hola", {Intent.GREETING}),
        ("Buenas tardes", {Intent.GREETING}),
        ("klk", {Intent.GREETING}),
        ("que tal?", {Intent.GREETING}),
        ("que tal la hilux?", {Intent.OTHER}),  # a question about the Hilux, no greeting
        ("hi", {Intent.GREETING}),
        ("Gracias!", {Intent.THANKS}),
        ("thank you", {Intent.THANKS}),
        ("adiós", {Intent.GOODBYE}),
        ("Gracias por la info, adios", {Intent.THANKS, Intent.GOODBYE}),
        ("Quiero hablar con un asesor", {Intent.HUMAN}),
        ("¿Puedo hablar con una persona?", {Intent.HUMAN}),
        ("can I talk to a human?", {Intent.HUMAN}),
        ("talk to a salesperson", {Intent.HUMAN}),
        ("llámenme", {Intent.CALLBACK}),
        ("q me llame un asesor x favor", {Intent.CALLBACK, Intent.HUMAN}),
        ("prefiero una llamada", {Intent.CALLBACK}),
        ("could someone call me back?", {Intent.CALLBACK}),
        ("me llamo Ana", {Intent.OTHER}),  # a name, not a call
        ("¿cuánto es lo menos?", {Intent.DISCOUNT}),
        ("¿en cuánto me la dejas?", {Intent.DISCOUNT}),
        ("¿cuánto es lo menos de inicial?", {Intent.FINANCING}),
        ("¿Tienen financiamiento?", {Intent.FINANCING}),
        ("¿Cuánto sería el inicial?", {Intent.FINANCING}),
        ("¿Se puede pagar en cuotas?", {Intent.FINANCING}),
        ("what's the monthly payment?", {Intent.FINANCING}),
        ("¿Me haces un descuento?", {Intent.DISCOUNT}),
        ("¿Es negociable?", {Intent.DISCOUNT}),
        ("véndemelo por 1 peso", {Intent.DISCOUNT}),
        ("any discount?", {Intent.DISCOUNT}),
        ("¿Qué vehículos tienes?", {Intent.SEARCH}),
        ("what cars do you have?", {Intent.SEARCH}),
        ("¿Cuál es el más barato?", {Intent.SEARCH}),
        ("Hola, ¿tienen yipetas?", {Intent.GREETING, Intent.SEARCH}),
        ("me lo dejas en 2 millones?", {Intent.DISCOUNT, Intent.SEARCH}),
        (
            "hola, quiero hablar con un vendedor sobre el financiamiento",
            {Intent.GREETING, Intent.HUMAN, Intent.FINANCING},
        ),
        ("en buenas condiciones", {Intent.OTHER}),
        ("ok", {Intent.OTHER}),
    ],
)
def test_detect_intents(text: str, intents: set[Intent]) -> None:
    assert detect_intents(text) == intents


def cases(intents: set[Intent], *texts: str) -> list[tuple[str, set[Intent]]]:
    """Make one test case per message, all expected to show exactly these intents."""
    return [(text, intents) for text in texts]


DESK = [
    *cases(
        {Intent.LOCATION},
        "dónde están?",
        "donde estan ubicados",
        "dnd tan ubicados?",
        "cual es la direccion",
        "cuál es la dirección?",
        "cómo llego?",
        "como llegar alla",
        "mándame la ubicación",
        "tienen sucursal en santiago?",
        "en qué parte quedan?",
        "donde queda el dealer",
        "where are you located?",
        "what's your address?",
        "where is the showroom?",
        "where's the dealership?",
        "mándame el pin",
        "tienen local?",
    ),
    *cases(
        {Intent.HOURS},
        "horario?",
        "cual es el horario",
        "a qué hora abren?",
        "a q hora cierran",
        "hasta qué hora trabajan?",
        "abren el sábado?",
        "abren los domingos?",
        "están abiertos hoy?",
        "trabajan los domingos?",
        "abren en días feriados?",
        "are you open on sunday?",
        "what time do you close?",
        "Sunday hours?",
        "opening hours?",
    ),
    *cases(
        {Intent.CONTACT},
        "cuál es su número?",
        "me das el teléfono",
        "tienen whatsapp?",
        "me pasas el wasap",
        "pásame tu wsp",
        "correo?",
        "tienen email?",
        "a qué número los llamo?",
        "what's your email?",
        "what is your phone number?",
        "tienen página web?",
        "tienen número de oficina?",
    ),
    *cases(
        {Intent.VISIT},
        "quiero agendar una cita",
        "puedo ir a verla mañana?",
        "¿la puedo ir a ver?",
        "la puedo ver en persona?",
        "paso por ahí el sábado",
        "puedo pasar x ahi hoy?",
        "hacen prueba de manejo?",
        "quiero probarla",
        "me gustaría ir el lunes",
        "can I schedule a test drive?",
        "can I come by tomorrow?",
        "I'd like to book a visit",
        "voy mañana a verla",
        "voy para allá",
        "se puede probar?",
        # Bookings as customers ask for them.
        "quiero agendar una prueba de manejo el sábado",
        "¿puedo ir a ver la Bronco mañana a las 10?",
        "quiero ver la bronco el sábado",
        "quiero reservar una prueba de manejo",
        "¿lo podemos pasar para el lunes?",
        "¿puedo cambiar la cita para el lunes?",
        "I want to test drive the Bronco on Saturday",
        "can I book a test drive tomorrow at 3pm?",
    ),
    *cases(
        {Intent.CANCEL},
        "cancela la cita",
        "cancela la prueba de manejo",
        "anula mi cita porfa",
        "cancélala",
        "ya no voy a poder ir",
        "cancel my appointment",
        "I can't make it",
    ),
    *cases(
        {Intent.TRADE_IN},
        "aceptan mi corolla 2012 como parte de pago?",
        "¿aceptan mi corolla como parte de pago?",
        "puedo dar el mío?",
        "reciben vehículos usados?",
        "reciben carros usados?",
        "mi carro como inicial",
        "tengo un civic 2015, me lo reciben?",
        "hacen permuta?",
        "do you take trade-ins?",
        "can I trade in my car?",
        "cuanto me dan por mi accord 2010?",
        "how much would you give me for my civic?",
        "do you take trade-ins? I have a 2015 Honda",
    ),
    *cases(
        {Intent.WARRANTY},
        "tiene garantía?",
        "tiene grantia?",
        "con garantia de fabrica?",
        "la garantía cubre el motor?",
        "does it come with warranty?",
        "is there a warranty?",
    ),
    *cases(
        {Intent.DOCUMENTS},
        "tiene la placa al día?",
        "el marbete está pago?",
        "incluye el traspaso?",
        "quién paga el traspaso?",
        "tiene los papeles en regla?",
        "la matrícula está a su nombre?",
        "tiene título?",
        "is the title clean?",
        "who handles the paperwork?",
        "está a nombre de quién?",
        "tiene oposición?",
    ),
    *cases(
        {Intent.DELIVERY},
        "me la pueden mandar a santiago?",
        "hacen envíos?",
        "hacen envios al interior?",
        "la pueden llevar a Santiago?",
        "entregan en la romana?",
        "tienen delivery?",
        "me la llevan a la casa?",
        "do you deliver to punta cana?",
        "me lo traen a la casa?",
        "pueden enviarla a higuey?",
    ),
    *cases(
        {Intent.RESERVATION},
        "quiero reservarla",
        "me la apartas con un depósito?",
        "cuanto es el inicial para apartarla?",
        "me la separas?",
        "me la puedes aguantar hasta el viernes?",
        "cuánto es el depósito?",
        "se puede separar con algo?",
        "can I put a deposit to hold it?",
        "puedo dejar un avance pa q no me la vendan?",
        "cuanto pa apartarla?",
    ),
    *cases(
        {Intent.PAYMENT},
        "puedo pagar en dólares?",
        "aceptan dolares?",
        "aceptan tarjeta?",
        "aceptan tarjeta de crédito?",
        "se puede pagar por transferencia?",
        "pago en efectivo",
        "cuáles son las formas de pago?",
        "c puede pagar x transferencia?",
        "do you accept credit cards?",
        "can I pay in cash?",
        "can I pay in US dollars?",
        "pago cash",
        "aceptan bitcoin?",
    ),
    *cases(
        {Intent.BOT},
        "eres un bot?",
        "eres una persona real?",
        "hablo con un robot?",
        "eres IA?",
        "eres real?",
        "estoy hablando con una maquina?",
        "are you a bot?",
        "is this a bot?",
        "r u a robot?",
        "are you human?",
        "are you a bot or a real person?",
        "eres un bot o una persona?",
        "eres humana?",
        "esto es un bot?",
    ),
    *cases(
        {Intent.MOTORCYCLE},
        "pasola",
        "tienen pasolas?",
        "venden motores?",
        "tienen motor?",
        "busco un motor",
        "una motocicleta",
        "tienen motos?",
        "do you sell motorcycles?",
        "¿qué modelos de pasola tienen?",
        "un motorcito pa trabajar",
    ),
    # Asking for photos now reads as such (it used to be no desk question).
    *cases({Intent.CONTACT, Intent.PHOTOS}, "tienen instagram o algo pa ver mas fotos?"),
    *cases(
        {Intent.INSURANCE},
        "¿el vehículo trae seguro?",
        "cuanto me sale el seguro full?",
        "me ayudan a sacar la póliza?",
        "ustedes manejan el seguro o lo busco yo",
        "is insurance included?",
    ),
    *cases(
        {Intent.INVOICE},
        "me pueden dar factura?",
        "necesito comprobante fiscal pa mi compañía",
        "facturan con NCF?",
        "do you give a tax receipt?",
    ),
    *cases(
        {Intent.SERVICE},
        "tienen taller?",
        "ustedes le hacen el mantenimiento despues?",
        "consiguen piezas si se daña algo?",
        "dan mantenimientos gratis el primer año?",
        "do you have a service center?",
    ),
    *cases(
        {Intent.PHOTOS},
        "me mandas unas fotitos?",
        "tienes un video de adentro?",
        "can you send me pictures?",
        "quiero ver fotos",
    ),
    *cases(
        {Intent.FEATURES},
        "tiene cámara de reversa?",
        "trae pantalla táctil?",
        "cuánto rinde la batería?",
        "viene con sunroof?",
        "tiene carplay?",
        "cuanto gasta de gasolina?",
        "does it have leather seats?",
    ),
    *cases(
        {Intent.HISTORY},
        "los carros son importados o de la casa? tienen carfax?",
        "son de la casa?",
        "tienen el historial de mantenimiento?",
        "ha tenido choques?",
        "la tucson ha sido chocada?",
        "vienen de subasta?",
        "is there a Carfax report?",
    ),
]


@pytest.mark.parametrize(("text", "intents"), DESK, ids=[text for text, _ in DESK])
def test_desk_questions(text: str, intents: set[Intent]) -> None:
    assert detect_intents(text) == intents


@pytest.mark.parametrize(
    ("text", "intents"),
    [
        # A desk question with a vehicle in it is still the desk's; the planner won't search.
        ("y la rav4, tiene garantía?", {Intent.WARRANTY}),
        ("la tucson tiene el marbete al día?", {Intent.DOCUMENTS}),
        ("hola, a qué hora abren el sábado?", {Intent.GREETING, Intent.HOURS}),
        ("quiero cambiar mi carro por una yipeta", {Intent.TRADE_IN}),
        ("tienes la rav4 disponible? y a qué hora abren?", {Intent.HOURS, Intent.SEARCH}),
        # Overlaps: each reads as what it asks.
        ("cuánto es el inicial?", {Intent.FINANCING}),
        ("tienen financiamiento?", {Intent.FINANCING}),
        ("¿puedo pagar en cuotas?", {Intent.FINANCING}),
        ("a cuántos meses financian?", {Intent.FINANCING}),
        ("cuanto es el inicial para apartarla?", {Intent.RESERVATION}),
        ("aceptan tarjeta de crédito?", {Intent.PAYMENT}),
        ("mi carro como inicial", {Intent.TRADE_IN}),
        ("eres una persona real?", {Intent.BOT}),
        ("eres un bot? quiero hablar con una persona", {Intent.BOT, Intent.HUMAN}),
        ("quiero hablar con una persona", {Intent.HUMAN}),
        ("pago en efectivo, me hacen descuento?", {Intent.PAYMENT, Intent.DISCOUNT}),
        ("do your used cars come with a warranty?", {Intent.WARRANTY}),
        ("hay algun vendedor disponible q me atienda?", {Intent.HUMAN}),
        ("la tahoe, me puedes hacer un deal?", {Intent.DISCOUNT}),
        ("do your used cars come with a warranty?", {Intent.WARRANTY}),
        ("hay algun vendedor disponible q me atienda?", {Intent.HUMAN}),
        ("la tahoe, me puedes hacer un deal?", {Intent.DISCOUNT}),
    ],
)
def test_desk_questions_beside_other_intents(text: str, intents: set[Intent]) -> None:
    assert detect_intents(text) == intents


@pytest.mark.parametrize(
    ("text", "intents"),
    [
        # Not desk questions.
        ("tienen la Hilux en Santiago?", {Intent.OTHER}),  # no delivery (the stock reads it)
        ("qué motor tiene la rav4?", {Intent.OTHER}),  # an engine
        ("tiene motor 2.0 turbo?", {Intent.OTHER}),
        ("is the motor good?", {Intent.OTHER}),  # English: an engine
        ("la dirección hidráulica funciona bien?", {Intent.OTHER}),  # steering, no address
        ("está reservada?", {Intent.OTHER}),  # the status, not a booking
        ("quiero ver la bronco", {Intent.OTHER}),  # the vehicle, not a visit: no day
        ("¿puedo cancelar el préstamo antes?", {Intent.FINANCING}),  # paying it off
        ("el sábado en la tarde", {Intent.OTHER}),  # a date alone: the dialogue decides
        ("mejor a las 11", {Intent.OTHER}),
        ("aparte de eso, tienen otras?", {Intent.OTHER}),
        ("la negra tiene mucho millaje?", {Intent.SEARCH}),
        ("una yipeta q no sea toyota", {Intent.SEARCH}),
        ("la más barata", {Intent.SEARCH}),
        ("y la hilux es 4x4?", {Intent.SEARCH}),
        ("2 palos", {Intent.SEARCH}),
        ("en buenas condiciones", {Intent.OTHER}),
        ("grasias", {Intent.THANKS}),
        ("holaaa", {Intent.GREETING}),
        ("klk", {Intent.GREETING}),
        ("que tal?", {Intent.GREETING}),
        ("que tal la hilux?", {Intent.OTHER}),  # a question about the Hilux, no greeting
    ],
)
def test_what_is_no_desk_question(text: str, intents: set[Intent]) -> None:
    assert detect_intents(text) == intents


def test_every_desk_intent_is_recognised() -> None:
    recognised = {intent for _, intents in DESK for intent in intents}
    assert recognised == DESK_INTENTS


@pytest.mark.parametrize(
    ("text", "intents"),
    [
        # Where they are, said the Dominican way.
        ("y en qué parte de santiago es que ustedes están?", {Intent.LOCATION}),
        ("donde ustedes tan ubicao", {Intent.LOCATION}),
        ("uds tan por la 27?", {Intent.LOCATION}),
        ("donde e que queda el negocio", {Intent.LOCATION}),
        ("ustede tan en la capital?", {Intent.LOCATION}),
        # A person to talk to.
        ("el encargado está? necesito hablar con él", {Intent.HUMAN}),
        ("conéctame con un asesor porfa", {Intent.HUMAN}),
        ("pásame al gerente", {Intent.HUMAN}),
        ("dame un vendedor que ya me decidí", {Intent.HUMAN}),
        ("get me a salesperson", {Intent.HUMAN}),
        ("me comunica con la dueña?", {Intent.HUMAN}),
        ("con quién tengo que hablar pa comprarla", {Intent.HUMAN}),
        ("me comunican con alguien de ventas", {Intent.HUMAN}),
        ("me pueden pasar con un vendedor?", {Intent.HUMAN}),
        ("me pones con el departamento de ventas", {Intent.HUMAN}),
        ("comuníqueme con ventas", {Intent.HUMAN}),
        ("trabajan fin de semana?", {Intent.HOURS}),
        ("son carros americanos o de la casa?", {Intent.HISTORY}),
        # Which days they open, whatever else is said.
        ("q dias trabajan? yo salgo del trabajo tarde", {Intent.HOURS}),
        ("cuáles días atienden ustedes?", {Intent.HOURS}),
        ("atienden los fines de semana?", {Intent.HOURS}),
        # Who answers: the bot.
        ("ere un robot?", {Intent.BOT}),
        ("con quién hablo?", {Intent.BOT}),
        ("y tú cómo te llamas?", {Intent.BOT}),
        ("what's your name?", {Intent.BOT}),
        ("me estoy comunicando con un robot?", {Intent.BOT}),
        # Bringing a mechanic.
        ("puedo traer mi mecánico pa que la revise?", {Intent.VISIT}),
        ("can I bring my mechanic?", {Intent.VISIT}),
        # Asking about one of these beside a vehicle is still the desk's.
        ("la tucson tiene cámara?", {Intent.FEATURES}),
        ("mándame fotos de la hilux", {Intent.PHOTOS}),
        ("la tucson trae aire?", {Intent.FEATURES}),
        ("what's the range per charge?", {Intent.FEATURES}),
        # A visit that asks what there is first: both (the planner chooses).
        ("voy a ir a ver yipetas, pero cuáles tienen?", {Intent.VISIT, Intent.SEARCH}),
    ],
)
def test_more_desk_questions_as_customers_write_them(text: str, intents: set[Intent]) -> None:
    assert detect_intents(text) == intents


@pytest.mark.parametrize(
    ("text", "intents"),
    [
        # Desk words that ask nothing of the desk.
        ("mi papá no usa whatsapp, busca una yipeta", {Intent.SEARCH}),
        ("es pa un muchacho que trabaja en delivery, algo barato", {Intent.SEARCH}),
        ("es para mi negocio de delivery", {Intent.OTHER}),
        ("hacen delivery a la romana?", {Intent.DELIVERY}),  # shipping, after all
        ("no me gusta toyota, quiero probar otra marca", {Intent.OTHER}),
        ("whats up, any SUVs?", {Intent.GREETING, Intent.SEARCH}),
        ("estoy seguro que la quiero", {Intent.OTHER}),  # sure, no insurance
        ("de seguro ya la vendieron", {Intent.OTHER}),
        ("tiene los mantenimientos al día?", {Intent.OTHER}),  # its history, no workshop
        ("es mecánica?", {Intent.SEARCH}),  # a gearbox, no mechanic
        ("la quiero probar", {Intent.VISIT}),  # a test drive after all
        ("un carro con buen rendimiento", {Intent.FEATURES}),  # asks what the stock can't say
        ("cuántos dueños ha tenido?", {Intent.OTHER}),  # owners, no person to talk to
        ("pa pasear al aire libre", {Intent.OTHER}),
        # Where the vehicle was seen: no question about reaching the dealer.
        ("todavía tienen el Jeep, el verde que estaba en Instagram?", {Intent.SEARCH}),
        ("vi en facebook una L200 blanca, todavia la tienen?", {Intent.SEARCH}),
        ("tienen instagram?", {Intent.CONTACT}),  # asked after all
        # A budget held in cash or in dollars is a search, no question about paying.
        ("tengo 25 mil en efectivo, en dolares", {Intent.SEARCH}),
        ("cuento con un millon al contado", {Intent.SEARCH}),
        ("I have 20k cash", {Intent.SEARCH}),
        ("cuento con 15 mil verdes en efectivo", {Intent.SEARCH}),
        ("pago en efectivo", {Intent.PAYMENT}),  # how they pay, asked after all
        ("busco una yipeta que no esté chocada", {Intent.SEARCH}),  # ruled out, not asked
    ],
)
def test_desk_words_that_ask_nothing_of_the_desk(text: str, intents: set[Intent]) -> None:
    assert detect_intents(text) == intents
