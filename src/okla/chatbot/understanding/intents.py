"""Tell what a customer wants from a message: a greeting, an advisor, financing, a search.

Questions for the dealer's desk (where, when, how to pay, trade-ins, papers...) are told apart
from searches: a desk question that names a vehicle ("¿aceptan mi corolla 2012 como parte de
pago?") comes with its desk intent, and a search only when it also asks for vehicles.
Patterns read folded text with WhatsApp shorthand spelled out ("q", "xq", "pa") and the typos
of a few key words corrected ("grantia", "orario"); accents never matter.
"""

from __future__ import annotations

import re
from enum import StrEnum

from okla.chatbot.inventory.domain import Catalog, VehicleQuery
from okla.chatbot.text import spelling
from okla.chatbot.text.fold import fold, spell_out
from okla.chatbot.text.language import detect_language
from okla.chatbot.understanding.query import parse_query


class Intent(StrEnum):
    """What the customer wants from this message."""

    GREETING = "greeting"
    THANKS = "thanks"
    GOODBYE = "goodbye"
    HUMAN = "human"
    CALLBACK = "callback"  # a phone call back: "llámame", "que me llame un asesor"
    FINANCING = "financing"
    DISCOUNT = "discount"
    SEARCH = "search"
    OTHER = "other"
    # Questions about the dealership rather than its stock (the dealer's desk answers them).
    LOCATION = "location"  # where the dealer is, how to get there
    HOURS = "hours"  # opening hours, open today/now
    CONTACT = "contact"  # phone, WhatsApp, email
    VISIT = "visit"  # booking a visit or a test drive
    CANCEL = "cancel"  # calling off a booked visit or test drive
    TRADE_IN = "trade_in"  # their car as part of the payment
    WARRANTY = "warranty"
    DOCUMENTS = "documents"  # placa, marbete, traspaso, matrícula
    DELIVERY = "delivery"  # shipping to another city, delivery at home
    RESERVATION = "reservation"  # holding a vehicle with a deposit
    PAYMENT = "payment"  # paying in dollars, by card or transfer
    BOT = "bot"  # "are you a bot?", "¿quién me atiende?"
    MOTORCYCLE = "motorcycle"  # pasolas and motorcycles, which the dealer doesn't sell
    INSURANCE = "insurance"  # "¿el seguro va incluido?", help with the insurance
    INVOICE = "invoice"  # a tax invoice: factura, comprobante fiscal (NCF), crédito fiscal
    SERVICE = "service"  # a workshop, maintenance, spare parts after the sale
    PHOTOS = "photos"  # pictures or videos of a vehicle (the stock has none to send)
    FEATURES = "features"  # equipment the stock doesn't record: camera, screen, sunroof, range
    HISTORY = "history"  # where the stock comes from and its record: imported, Carfax, crashes


# Questions the dealer's desk answers (address, hours, policies): never a stock search.
DESK_INTENTS = frozenset(
    {
        Intent.LOCATION,
        Intent.HOURS,
        Intent.CONTACT,
        Intent.VISIT,
        Intent.CANCEL,
        Intent.TRADE_IN,
        Intent.WARRANTY,
        Intent.DOCUMENTS,
        Intent.DELIVERY,
        Intent.RESERVATION,
        Intent.PAYMENT,
        Intent.BOT,
        Intent.MOTORCYCLE,
        Intent.INSURANCE,
        Intent.INVOICE,
        Intent.SERVICE,
        Intent.PHOTOS,
        Intent.FEATURES,
        Intent.HISTORY,
    }
)


_PEOPLE = (
    r"asesor[a]?|vendedor[a]?|agente|persona|humano|representante|gerente|encargad[oa]|"
    r"dueno|duena|jefe|jefa|supervisor[a]?|owner|boss|"
    r"ejecutiv[oa]|alguien|human|agent|person|someone|somebody|salesperson|salesman|"
    r"sales ?rep|representative|manager|rep|(?:departamento|dpto|area|equipo) de ventas|"
    r"(?<=con )ventas|sales (?:team|department)"
)
# "la", "lo", "las", "los" after a verb: "verla", "apartármela", "llevarlos".
_IT = r"(?:l[oa]s?|mel[oa]s?|nosl[oa]s?|sel[oa]s?)?"
_INTENT_PATTERNS: dict[Intent, tuple[str, ...]] = {
    Intent.GREETING: (
        # "buenas" alone only greets at the start: "en buenas condiciones" does not.
        r"^\W*(?:buenas|buenos|ola|saludos|klk|qlq|hey|hi|hello|wenas|dimelo|que lo que|"
        r"buen dia)\b",
        # "¿qué tal?" greets; "¿qué tal la Hilux?" asks about the Hilux.
        r"^\W*que tal\b(?!\s+(?:la|el|los|las|es|esta|son|sale|anda|funciona)\b)",
        r"\b(?:hola+|holi|buen dia|buen(?:os|as) (?:dias|tardes|noches)|"
        r"good (?:morning|afternoon|evening)|what'?s ?up|wh?ass?up|wazz?up)\b",
    ),
    Intent.THANKS: (
        r"\b(?:gracias|grax|thanks|thank you|thx|thanx|te agradezco|le agradezco|agradecid[oa]|"
        r"muy amable|appreciate it)\b",
    ),
    Intent.GOODBYE: (
        r"\b(?:adios|chao|chau|bye|goodbye|good bye|hasta luego|hasta pronto|hasta manana|"
        r"nos vemos|nos hablamos|see you|see ya|cuidate)\b",
    ),
    Intent.HUMAN: (
        rf"\b(?:hablar|hable|comunicarme|contactar|conversar|chatear|pasame|pasenme|ponme|"
        rf"comunicame|comuniquenme|comunica|comunique|comuniqueme|atienda|transferir|transfiereme|"
        rf"conectar|conectarme|conectame|"
        rf"conecteme|conectenme|ponerme en contacto)\b[^.?!]{{0,25}}?\b(?:{_PEOPLE})\b",
        # "me comunican con alguien de ventas", "¿me pasas con un asesor?", "me ponen con él".
        rf"\bme (?:(?:pueden|puede|puedes|podrian|podria|podrias) (?:comunicar|pasar|poner|"
        rf"transferir|conectar)|comunican|comunicas|comunica|comunicarian|comunicarias|"
        rf"comunicaria|pasan|pasas|pasa|pasarian|ponen|pones|pone|transfieren|transfieres|"
        rf"transfiere|conectan|conectas|conecta)\s+(?:con|a|al|with)\b[^.?!]{{0,25}}?"
        rf"\b(?:{_PEOPLE})\b",
        # "dame un vendedor pa cerrar el negocio", "necesito al gerente".
        r"\b(?:dame|deme|denme|pasame|pasenme|mandame|mandenme|necesito|quiero|busco|consigueme|"
        r"llamen a|llama a|ponme|ponganme|comunicame con|get me|i need|i want)\s+(?:a\s+)?"
        r"(?:(?:un|una|el|la|al|tu|su|algun|alguna|a|the|your)\s+)?(?:vendedor[a]?|asesor[a]?|"
        r"agente|gerente|representante|encargad[oa]|ejecutiv[oa]|supervisor[a]?|salesperson|"
        r"salesman|sales ?rep|manager)\b",
        # "¿a quién le escribo pa comprar?"
        r"\b(?:a|con) quien (?:le )?(?:escribo|hablo|llamo|me dirijo|tengo que hablar|"
        r"me comunico)\b",
        # "el gerente está? quiero hablar con él directamente".
        r"\b(?:gerente|encargad[oa]|dueno|duena|jefe|jefa|supervisor[a]?|manager|owner|boss)\s+"
        r"(?:esta|estan|se encuentra|anda|andan|disponible|available|around|there|in)\b",
        r"\b(?:hablar|hable|comunicarme|conversar|talk|speak)\s+(?:con|with|to)\s+"
        r"(?:el|ella|usted|him|her)\b(?:\s+(?:directamente|personalmente|en persona|directly|"
        r"in person))?\s*(?:[.?!,]|$)",
        rf"\b(?:talk|speak|chat|connect|transfer|put me through)\b[^.?!]{{0,25}}?"
        rf"\b(?:{_PEOPLE})\b",
        rf"\b(?:{_PEOPLE})\b[^.?!]{{0,20}}?\b(?:disponibles?|que me (?:atienda|ayude|llame|"
        rf"escriba|contacte)|available)\b",
        r"\b(?:asesor[a]?|humano|persona real|real person|human agent|live agent|"
        r"representante)\b",
    ),
    Intent.CALLBACK: (
        # "llámame", "que me llame un asesor", "¿me pueden llamar?", "could someone call me?"
        r"\b(?:llamenme|llamame|llameme|llamarme|que me llamen|que me llame|"
        r"me (?:pueden|puede|puedes|podrian|podria|podrias|podra|podran) (?:llamar|contactar)|"
        r"me (?:llaman|llamas|llamarian|llamaria|contactan|contactas)|"
        r"me llama (?:un|una|el|la|alguien|algun|usted)|(?:una|por|prefiero|mejor) llamada|"
        r"que me (?:contacten|contacte|escriban|escriba) (?:al|por|a mi)|contactenme|contactame|"
        r"call me|give me a call|call me back|ring me|phone me|contact me|reach me)\b",
    ),
    Intent.FINANCING: (
        r"\b(?:financ\w*|a plazos?|en plazos|a credito|credito|cuotas?|mensualidad(?:es)?|"
        r"pago inicial|inicial|prestamos?|interes(?:es)?|tasa|loans?|monthly payments?|"
        r"(?:a|en) cuantos meses|meses de plazo|"
        r"down payment|installments?|credit|interest rate)\b",
    ),
    Intent.DISCOUNT: (
        r"\b(?:descuentos?|rebaj\w*|me (?:lo|la) (?:deja|dejas|dejan|dejaria|dejarias|"
        r"puede dejar|puedes dejar|pueden dejar)|dejamel[oa]|mejor precio|ultimo precio|"
        r"negociable|negociar|se negocia|ofertas?|discounts?|lower (?:the )?price|"
        r"best price|better price|better deal|negotiable|negotiate|vendemel[oa]|"
        r"por (?:1|un) peso|regalamel[oa]|"
        # "¿cuánto es lo menos?", "¿en cuánto me la dejas?" (not "lo menos de inicial").
        r"(?:cuanto|cual) es lo (?:menos|mas bajo|ultimo)(?!\s+(?:de|que se da de) inicial)|"
        r"lo menos (?:que|en que) (?:me |nos )?(?:l[oa]s? )?(?:deja|dejan|dejas|vende|venden)|"
        r"en cuanto (?:me |nos )?(?:l[oa]s? )?(?:deja|dejan|dejas|dejarian|vende|venden)|"
        r"lowest (?:price|you can (?:go|do))|bottom price|"
        r"(?:hacer|hacerme|hazme|haces|hace|dar|darme|dame) "
        r"(?:un )?(?:deal|descuentico|rebajita|precio especial)|special price|good deal)\b",
    ),
    Intent.SEARCH: (
        # Asking for vehicles; beside a desk question only these count (see _NOUNS).
        r"\b(?:inventario|inventory|stock|disponibles?|available|en venta|for sale|opciones|"
        r"options|catalogo|catalog|muestrame|ensename|show me|"
        r"(?:que|cuales|cuantas|cuantos) (?:tienes|tienen|tiene|hay|venden|ofrecen)|"
        r"(?:tienes|tienen|hay) algo|"
        r"what (?:do you|have you|you) (?:have|got|sell))\b",
    ),
    # The desk's questions. Some are read first and hide their words from the ones after:
    # "¿eres una persona real?" asks about the bot, not for a person; "mi carro como inicial"
    # is a trade-in, "inicial para apartarla" a reservation, "tarjeta de crédito" a payment:
    # none of them asks for financing. See _HIDING.
    Intent.BOT: (
        # Who is answering: "¿quién me atiende?", "¿cómo tú te llamas?".
        r"\b(?:quien|kien) (?:me|nos) (?:atiende|esta atendiendo|escribe|responde|contesta)|"
        r"con quien (?:hablo|estoy hablando|tengo el gusto|estoy chateando)|"
        r"como (?:te|tu te|se|usted se) llamas?|cual es (?:tu|su) nombre|quien (?:eres|es usted|"
        r"tu eres)|who (?:am i (?:talking|speaking|chatting) (?:to|with)|are (?:you|u))|"
        r"what(?:'?s| is) (?:your|ur) name\b",
        # "¿ere humano?": the s dropped.
        r"\b(?:eres|ere|eras|es usted|usted es|sos|tu eres|tu ere|estoy hablando con|hablo con|"
        r"me estoy comunicando con|estoy comunicandome con|me comunico con|esto es|"
        r"estoy chateando con|me (?:contesta|responde|atiende|escribe))\s+(?:un |una |el |la )?"
        r"(?:bot|robot|chatbot|maquina|ia|inteligencia artificial|ai|persona(?: real)?|"
        r"humano|humana|real|de verdad|automatico|automatizad[oa]|programa|computadora|"
        r"contestadora|gente|alguien real)(?: o (?:un |una )?(?:persona(?: real| de verdad)?|"
        r"humano|humana|bot|robot|maquina|real|de verdad))?\b",
        r"\b(?:bots?|robots?|chatbots?|respuestas? automaticas?|mensajes? automaticos?|"
        r"inteligencia artificial|chat ?gpt)\b",
        r"\b(?:are|r) (?:you|u) (?:a |an )?(?:bot|robot|ai|human|real|person|machine|chatbot|"
        r"automated|a real person)(?: or (?:a |an )?(?:real person|human|person|bot|robot|ai|"
        r"machine|real))?\b",
        r"\b(?:is this|am i (?:talking|speaking|chatting) (?:to|with)) (?:a |an )?"
        r"(?:bot|robot|ai|real person|human|machine|person|automated)\b",
    ),
    Intent.CANCEL: (
        # "cancela la cita", "anula la prueba de manejo", "ya no voy a poder ir", "cancel my
        # appointment"; not "cancelar el préstamo" (paying a loan off).
        r"\b(?:cancel\w*|anul\w*|desagend\w*|quita\w*|borra\w*|elimina\w*)\s+(?:(?:la|mi|esa|"
        r"esta|el|the|my|that|this|our)\s+)?(?:cita|prueba(?: de manejo)?|visita|turno|"
        r"appointment|test ?drive|visit|booking)s?\b",
        r"\b(?:cancel(?:a|e|ar|en|o)?(?:l[oa]|mel[oa])|cancel (?:it|that))\b",
        r"\bya no (?:voy|vamos|puedo|podemos|podre|podremos|va|van)\s+(?:a\s+)?(?:poder\s+)?"
        r"(?:ir|llegar|pasar|caer|asistir|probarl[oa]|hacer la prueba)\b",
        r"\b(?:can'?t|cannot|won'?t be able to) (?:make it|come|go)\b",
    ),
    Intent.MOTORCYCLE: (
        r"\b(?:pasolas?|pasolitas?|motocicletas?|motos|moto|motoras?|motorcycles?|motorbikes?|"
        r"scooters?|motonetas?|cuatrimotos?|four ?wheelers?|atvs?|motoconchos?|dirt ?bikes?|"
        r"motorcitos?|pasolero)\b",
    ),
    Intent.TRADE_IN: (
        r"\b(?:parte (?:de|del) (?:pago|inicial)|como (?:pago|abono)|en pago|trade[\s-]?ins?|"
        r"trade (?:my|it)|permuta\w*|intercambi\w*|cambalache)\b",
        r"\b(?:cambiar|cambio|cambiarles|dar|doy|darles|dejar|dejo|entregar|entrego|meter|"
        r"meto|poner|pongo|tirar|tiro|vender|vendo|venderles|recib(?:en|ir|irian|irme|e|es|an|"
        r"iria)|acept(?:an|arian|en|a|as|ar)|tom(?:an|arian|en|a|ar)|cog(?:en|erian|er)|"
        r"agarr(?:an|arian|en|a|ar)|coger)\s+(?:(?:me|te|le|les|nos)\s+)?(?:mi|el mio|la mia|"
        r"mis|el que tengo|la que tengo)\b(?:\s+(?:carro|carrito|vehiculo|yipeta|jeepeta|"
        r"camioneta|guagua|auto|car|truck|suv|viej[oa])s?\b)?",
        r"\b(?:recib(?:en|ir|irian|e|es)|acept(?:an|arian)|tom(?:an|arian)|cog(?:en|erian))\s+"
        r"(?:carros?|vehiculos?|yipetas?|autos?) usad[oa]s?\b",
        r"\bmi (?:carro|vehiculo|yipeta|jeepeta|camioneta|guagua|auto|\w+(?: \w+)?) "
        r"(?:como|de|en|para) (?:parte|inicial|pago|abono|el inicial|la inicial)\b",
        r"\b(?:take|accept|trade(?: in)?) (?:in )?my(?: old)?(?: (?:car|truck|suv|vehicle))?\b|"
        r"\bmy (?:old )?(?:car|truck|suv|vehicle) as\b",
        r"\b(?:cuanto|que|en cuanto) (?:me|nos) (?:dan|das|da|darian|daria|pagan|pagas|pagarian|"
        r"ofrecen|ofreces|reciben|recibes|toman|tomas|valoran) (?:por|x)? ?(?:mi|el mio|la mia)\b|"
        r"\bcuanto (?:vale|valdria|me vale|cuesta) (?:mi|el mio|la mia)\b|"
        r"\bhow much (?:would|will|can|do) you (?:give|pay|offer)(?: me)? for my\b",
        r"\b(?:me|nos|se) l[oa]s? (?:reciben|recibes|recibe|recibirian|aceptan|aceptas|acepta|"
        r"aceptarian|toman|tomas|coges|cogen|agarran|agarras|cambian|cambias|compran|compras)\b",
    ),
    Intent.RESERVATION: (
        r"\b(?:reserv(?:ar|ame|arme|o|an|a|as|en|amos|arl[oa]s?|armel[oa]s?|amel[oa]s?|"
        r"arnosl[oa]s?)|hacer una reserva|separ(?:ar|o|an|a|as|en|amos|arl[oa]s?|armel[oa]s?|"
        r"amel[oa]s?)|apart(?:ar|o|an|as|en|amos|arl[oa]s?|armel[oa]s?|amel[oa]s?)|"
        r"(?:me |nos )?l[oa]s? (?:aguantas?|aguantan|guardas?|guardan|puedes aguantar|"
        r"pueden aguantar|pueden guardar|puedes guardar)|aguant(?:armel[oa]|amel[oa])|"
        r"guard(?:armel[oa]|amel[oa])|depositos?|deposit(?:ar|o|amos|ando)|senal|"
        r"(?:dejar|dejo|dejarle|dejarles|dar|doy|poner|pongo|mandar|mando) (?:un |una |algo de )?"
        r"(?:avance|adelanto|senal|deposito|abono|inicialito)|"
        r"(?:para|pa) que no (?:me |nos )?(?:l[oa]s? )?(?:vendan|venda|vendas|saquen|den)|"
        r"(?:inicial|adelanto|avance|abono) para (?:apartar\w*|separar\w*|reservar\w*|"
        r"aguantar\w*|guardar\w*)|reserve|reservation|hold (?:it|the|this|that|one)|"
        r"put (?:down )?(?:a )?deposit|deposit)\b",
    ),
    Intent.PAYMENT: (
        r"\b(?:pag(?:ar|o|os|aria|arla|arlo|amos|a|an|arles|ando)|se paga|pueden pagar|"
        r"puedo pagar|se puede pagar)\s+(?:(?:en|con|por|de|mediante|via|al|todo en|todo)\s+)?"
        r"(?:dolares|efectivo|cash|tarjetas?|cheques?|transferencias?|contado|cripto\w*|"
        r"bitcoin|zelle|paypal|usd|pesos|moneda)\b",
        r"\b(?:aceptan|acepta|aceptas|reciben|recibe|agarran|cogen|toman|cambian)\s+"
        r"(?:pagos? (?:con|en) )?(?:dolares|tarjetas?|cheques?|transferencias?|efectivo|cash|"
        r"cripto\w*|bitcoin|zelle|paypal|usd|pesos|visa|mastercard|american express)\b",
        r"\b(?:tarjetas? de (?:credito|debito)|con tarjeta|transferencias?(?: bancarias?)?|"
        r"efectivo|cheques?|al contado|de contado|formas? de pago|metodos? de pago|"
        r"modos? de pago|como (?:se paga|puedo pagar|pago|se puede pagar|les pago|es el pago)|"
        r"credit cards?|debit cards?|wire transfer|bank transfer|payment methods?|zelle|paypal|"
        r"pay (?:in|with|by|using) (?:us |american |a )?(?:cash|cards?|dollars|checks?|"
        r"transfers?|usd|credit|debit)|"
        r"accept (?:cash|cards?|credit cards?|dollars|usd|checks?|transfers?|zelle|crypto))\b",
    ),
    Intent.LOCATION: (
        # "¿en qué parte de Santo Domingo es que ustedes están?", "¿dónde ustedes tan ubicao?",
        # "¿dónde e que queda el dealer?".
        r"\b(?:donde|adonde|en donde|en que parte|en que lugar|en que sector|en que zona|"
        r"en que calle|por donde)(?:\s+(?:de|del|en)\s+[a-z]+(?:\s+[a-z]+)?)?"
        r"(?:\s+(?:es|e)\s+que)?(?:\s+(?:ustedes|ustede|uds|usted|ud|ellos))?\s+"
        r"(?:estan|tan|esta|quedan|queda|se encuentran|ubica(?:d)?[oa]s?|localizad[oa]s?|"
        r"tienen (?:el|su) (?:local|dealer|negocio))\b",
        r"\b(?:ustedes|ustede|uds|usted|ud)\s+(?:estan|tan|esta|quedan|queda)\s+(?:en|por|cerca|"
        r"lejos)\b|\b(?:ustedes|ustede|uds) (?:son|estan) (?:de|en) (?:aqui|aca|la capital|"
        r"santiago|santo domingo)\b",
        r"\b(?:donde|adonde|en donde|en que parte|en que lugar|en que sector|en que zona|"
        r"en que calle|por donde)\s+(?:es|esta|estan|estas|queda|quedan|quedas|se encuentran?|"
        r"l[oa]s (?:encuentro|consigo)|l[oa]s? (?:puedo |podemos )?(?:ver|visitar|encontrar)|"
        r"ubicad[oa]s?|localizad[oa]s?|tienen|trabajan|es que estan|es el|es la|"
        r"puedo (?:ir|pasar|verl[oa]s?))\b",
        r"\b(?:ubicacion(?:es)?|ubicados?|ubicadas?|ubicaos?|direccion(?! (?:hidraulica|asistida|"
        r"electrica|electronica|mecanica))|localizacion|sucursal(?:es)?|como (?:llego|llegar|"
        r"llegamos|se llega)|mandame (?:la|su) ubicacion|google maps|waze|location|address|"
        r"located|where (?:are|r) (?:you|u|y'all|ya)|where(?: is|'s|s) (?:the|your) (?:dealer\w*|"
        r"shop|store|office|lot|showroom|place)|how (?:do|can) i get there|directions|"
        r"(?:el|la|un|su) (?:pin|location)|tienen (?:un |una )?(?:local|showroom|oficina|tienda|"
        r"dealer|concesionario|sucursal)|(?:el|su) local)\b",
    ),
    Intent.HOURS: (
        r"\b(?:horarios?|a que hora|hasta que hora|desde que hora|que hora (?:abren|cierran|"
        r"abre|cierra)|hora de (?:apertura|cierre)|abren|cierran|abiertos?|abierta|"
        r"(?:abre|cierra) (?:hoy|manana|el|los|a las|temprano|tarde)|"
        r"(?:trabajan|atienden|laboran) (?:el|los|hoy|manana|sabados?|domingos?|feriados?|"
        r"dias feriados|fin(?:es)? de semana|todos los dias|de lunes)|"
        # "¿qué días trabajan?", "¿cuáles días abren?": the days of the week they open.
        r"(?:que|cuales|cual) dias? (?:(?:es que )?(?:ustedes |uds )?)(?:trabajan|abren|atienden|"
        r"laboran|estan abiertos|tan abiertos|abre|trabaja|atiende|estan)|dias (?:de trabajo|"
        r"laborables|que (?:trabajan|abren|atienden))|what days (?:are you open|do you open|"
        r"do you work)|"
        r"dias (?:feriados|festivos)|feriados?|open(?:ing)? (?:hours|times?)|business hours|"
        r"hours|what time|are (?:you|u) open|(?:you|u) open|open (?:on|today|tomorrow|now|"
        r"sundays?|saturdays?|late)|close (?:at|on)|closing time)\b",
    ),
    Intent.CONTACT: (
        r"\b(?:numeros? (?:de )?(?:telefono|celular|whatsapp|contacto|ustedes|la tienda|"
        r"la oficina|oficina|la empresa|ventas)|"
        r"(?:su|tu|el|un|algun|otro|que|cual es (?:el|su|tu)) numero"
        r"(?! de (?:pasajeros|asientos|puertas|chasis|placa|serie|motor|cilindros|millas|"
        r"kilometros|dueños|duenos))|numero (?:para|de contacto|donde)|telefonos?|celular|"
        r"whatsapp|wasap|wasa|wsp|(?<=por )whats|(?<=al )whats|(?<=el )whats|(?<=mi )whats|"
        r"(?<=tu )whats|(?<=su )whats|guasap|watsap|whatsap|correo(?: electronico)?|email|"
        r"e-?mail|mail|contacto|contactarl[oa]s|como (?:los|l[oa]) (?:contacto|llamo|localizo)|"
        r"phone(?: number)?|contact|reach you|call you|number to call|your number|"
        r"text you|instagram|insta|facebook|redes(?: sociales)?|pagina web|sitio web|website|"
        r"web ?site|tiktok|social media)\b",
    ),
    Intent.VISIT: (
        r"\b(?:agend(?:ar|ame|arme|amos|o)|citas?|visitar\w*|visita|"
        r"(?:ir|pasar|pasarme|llegar|llegarme|caer|caerles|irlas?|ir a) (?:a )?ver" + _IT + r"|"
        r"pasar (?:por|x) (?:ahi|alla|alli|el (?:dealer|concesionario|local|negocio)|"
        r"su (?:local|dealer|tienda|negocio))|paso (?:por )?(?:ahi|alla|alli)|"
        r"(?:me doy|darme|dar|doy) una (?:vuelta|pasadita|pasada)|te caigo|les caigo|"
        r"(?:voy|vamos|iria|paso|pasaria|llego|caigo)\b[^.?!]{0,20}?\ba ver" + _IT + r"|"
        r"(?:voy|vamos|paso|caigo|llego) (?:para|pa) (?:alla|alli|ahi)|"
        r"(?:ver|verl[oa]s?|probarl[oa]s?|manejarl[oa]s?) en persona|prueba de (?:manejo|"
        r"carretera)|test ?drive|probar" + _IT + r"|manejar(?:l[oa]s?)|"
        r"(?:puedo|podemos|podria|quiero|queria|me gustaria|quisiera|cuando puedo|vamos a)\s+"
        r"(?:ir|pasar|pasarme|llegar|llegarme|caer|caerles|visitarl[oa]s)\b(?! (?:a )?(?:pagar|"
        r"financiar|comprar))|(?:puedo|podemos|podria) ver(?:l[oa]s?)|"
        r"(?:l[oa]s?|me l[oa]s?) (?:puedo|podemos|podria) (?:ir a )?ver|"
        # Bringing a mechanic to see it before buying.
        r"(?:llevar|llevo|traer|traigo|ir con|venir con|mandar|mando)\s+(?:a\s+)?(?:mi|un|el|su)\s+"
        r"mecanico|mecanico\s+(?:de confianza\s+)?(?:para|pa|que)\s+(?:que\s+)?(?:l[oa]s?\s+)?"
        r"(?:chequee|cheque|revise|vea|inspeccione|examine)|inspeccion(?:ar\w*)?|"
        r"(?:chequear|revisar)l[oa]s? (?:antes|con)|(?:get|have) (?:it|the car) inspected|"
        r"(?:bring|take) (?:my|a) mechanic|"
        # "quiero ver la Bronco el sábado": seeing it on a day is a visit.
        r"(?:ver|verl[oa]s?|probar|probarl[oa]s?|chequear\w*)\b[^.?!]{0,30}?\b(?:hoy|manana|"
        r"pasado manana|el (?:lunes|martes|miercoles|jueves|viernes|sabado|domingo)|"
        r"este (?:lunes|martes|miercoles|jueves|viernes|sabado|domingo)|esta (?:tarde|noche)|"
        r"(?:a|para) las \d{1,2})\b(?! de (?:uso|antiguedad|garantia))|"
        r"schedule (?:a )?(?:visit|appointment|test drive)|appointments?|book (?:a )?"
        r"(?:visit|test drive)|come (?:by|in|see)|stop by|drop by|visit|see (?:it|the car|"
        r"the truck|the suv) in person|take it for a (?:spin|drive)|test it)\b",
    ),
    Intent.WARRANTY: (
        r"\b(?:garantias?|garantizad[oa]s?|garantizan|garantiza|warrant(?:y|ies)|guarantee[sd]?)\b",
    ),
    Intent.DOCUMENTS: (
        r"\b(?:placas?|marbetes?|traspasos?|traspasar\w*|matriculas?|papeles|papeleria|"
        r"documentos?|documentacion|titulos?|dgii|impuestos|al dia en (?:papeles|impuestos)|"
        r"license plates?|plates?|registration|title|paperwork|papers|a nombre de|a su nombre|"
        r"a mi nombre|oposicion(?:es)?|gravamen(?:es)?|multas?|liens?)\b",
    ),
    Intent.DELIVERY: (
        r"\b(?:envios?|enviar" + _IT + r"|envian|envias|delivery|deliver(?:y|ies)?|"
        r"shipping|ship (?:it|to|them)|entregan (?:en|a|hasta)|entregas? (?:a domicilio|en|a)|"
        r"hacen entregas|a domicilio|mandar" + _IT + r" (?:a|hasta|para)|mandan (?:a|hasta|para)|"
        r"(?:me |nos )?l[oa]s? (?:mandan|manda|mandas|envian|envias|llevan|llevas|traen|traes|"
        r"pueden (?:mandar|enviar|llevar|traer)|puedes (?:mandar|enviar|llevar|traer))|"
        r"(?:pueden|puedes|podrian|podria|hacen) (?:llevar|mandar|enviar|traer)" + _IT + r" "
        r"(?:a|hasta|para)|llevar" + _IT + r" (?:a|hasta) (?!mi |un |una |el |la |ver|probar)|"
        r"llevan (?:a|hasta)|bring it to|deliver to|do you deliver|"
        # "¿ustedes mandan el vehículo hasta allá?"
        r"(?:mandan|manda|mandas|envian|envias|llevan|llevas|traen|traes|despachan|pueden mandar|"
        r"pueden enviar|pueden llevar)\s+(?:el|la|los|las|ese|esa|un|una|mi)\s+(?:vehiculo|carro|"
        r"yipeta|jeepeta|camioneta|guagua|auto|car|truck|suv)s?\s+(?:hasta|a|para|al)"
        r"(?!\s+(?:ver|probar))|(?:ship|send) (?:the|a) (?:car|truck|suv|vehicle) to)\b",
    ),
    Intent.INSURANCE: (
        r"\b(?:(?:el|del|al|los|un|su|con|sin|incluye\w*|trae|traen|tiene|hacen|dan|ofrecen|"
        r"manejan|gestionan|ayudar con|ayudan con|ayudarme con|sacar|saco|pagar el|"
        r"cuanto cuesta el|cuanto sale el)\s+seguros?(?! que)|seguros? (?:full|de ley|contra todo"
        r"(?: riesgo)?|todo riesgo|basico|obligatorio|del (?:vehiculo|carro)|de (?:vehiculo|carro|"
        r"auto)|incluido|va incluido|esta incluido|viene)|aseguradoras?|polizas?|insurance|"
        r"insured)\b",
    ),
    Intent.INVOICE: (
        r"\b(?:facturas?|facturan|facturar\w*|comprobantes? (?:fiscal(?:es)?|de credito fiscal|"
        r"gubernamental(?:es)?)|credito fiscal|valor fiscal|ncf|rnc|invoice|tax receipt)\b",
    ),
    Intent.SERVICE: (
        r"\b(?:taller(?:es)?|servicio (?:tecnico|de mantenimiento|post ?venta)|post ?venta|"
        r"(?:dar|darle|darles|dan|hacer|hacerle|hacerles|hacen|ofrecen|incluyen?|tienen servicio de"
        r")\s+(?:el |los |un |servicio de )?mantenimientos?(?! (?:al dia|en la casa|hechos))|"
        r"mantenimientos? (?:gratis|incluidos?|gratuitos?|preventivos?|programados?)|piezas|"
        r"repuestos|spare parts|service (?:center|department|plan)|do you (?:do|offer) "
        r"(?:service|maintenance|repairs)|maintenance (?:plan|included))\b",
    ),
    Intent.PHOTOS: (
        r"\b(?:fotos?|fotografias?|fotitos?|imagen(?:es)?|videos?|pics?|pictures?|photos?|"
        r"images?)\b",
    ),
    Intent.FEATURES: (
        r"\b(?:camaras?|cameras?|backup cam|pantallas?|screens?|touch ?screen|sunroof|moonroof|"
        r"quemacocos|techo (?:panoramico|corredizo|solar|de cristal)|panoramic roof|carplay|"
        r"car play|android auto|bluetooth|gps|navegador|navegacion|sensor(?:es)?(?: de (?:reversa|"
        r"parqueo|estacionamiento))?|sensors?|asientos? (?:de|en) (?:piel|cuero)|leather seats?|"
        r"heated seats?|aire acondicionado|(?:tiene|trae|con|sin|el) aire|a/c|climatizador|"
        r"baterias?|battery|autonomia|per charge|on a charge|how far (?:can|does|will) it go|"
        r"(?:cuanto|que tanto) (?:dura|rinde) la carga|cargador|charger|push (?:to )?start|"
        r"boton de encendido|keyless|llave inteligente|alarma|control crucero|cruise control|"
        r"bocinas|equipo de musica|sound system|gomas nuevas|llantas nuevas|"
        r"(?:cuanto|que tanto) (?:gasta|consume)|consumo de combustible|rendimiento|"
        r"(?:km|kilometros|millas) por galon|mpg|fuel economy|gas mileage)\b",
    ),
    Intent.HISTORY: (
        # "¿son importados o de la casa?", "¿tienen Carfax?", "¿ha sido chocada?".
        r"\b(?:carfax|autocheck|auto check|historial(?: del vehiculo| de (?:accidentes|choques|"
        r"servicio|mantenimiento))?|vehicle history|history report|clean title|salvage title|"
        r"importad[oa]s?|(?:o|son|es|vienen?|fueron|fue) (?:de la casa|de agencia|recibid[oa]s? de "
        r"la casa)|(?:de la casa|de agencia) o (?:importad[oa]s?|de afuera|de fuera|de usa)|"
        r"(?:vienen?|son|es|traidos?|traidas?) (?:de afuera|de fuera|de usa|de estados unidos|"
        r"de (?:los )?(?:usa|eeuu|ee uu|e\.?e\.?u\.?u\.?)|de subasta|de copart)|subastas?|copart|"
        # Asked of a vehicle, not ruled out in a search ("una yipeta que no esté chocada").
        r"(?<!no )(?:es|fue|esta|ha sido|estuvo|son|estan|han sido|fueron) (?:chocad[oa]s?|"
        r"accidentad[oa]s?)|(?:ha tenido|tuvo|ha sufrido) (?:choques?|accidentes?|golpes?)|"
        r"(?:has it|was it) (?:been )?(?:in an accident|crashed|wrecked)|"
        r"accident history|imported)\b",
    ),
}
# Words that look like a desk question but ask nothing: "mi papá no usa WhatsApp", "va a
# trabajar en delivery", "quiero probar otra marca" (no test drive); blanked before reading.
_NOT_ASKED = re.compile(
    r"\bno (?:usa|uso|usan|usamos|tiene|tengo|tienen|maneja|manejo|sabe usar|utiliza|le gusta)\s+"
    r"(?:el\s+|un\s+)?(?:whatsapp|wasap|wsp|whats|correo|email|facebook|instagram|redes)\b|"
    r"\b(?:trabaj\w*|chambe\w*|labor\w*)\s+(?:en|de|haciendo|como)\s+(?:el\s+)?delivery\b|"
    r"\b(?:para|haciendo)\s+(?:el\s+)?delivery\b(?!\s+(?:a|hasta|en)\b)|"
    r"\b(?:mi|un|su|nuestro)\s+(?:negocio|trabajo|empresa|chamba|servicio)\s+de\s+delivery\b|"
    r"\bprobar (?:otra marca|otras marcas|otro modelo|otros modelos|otra cosa|algo (?:diferente|"
    r"distinto|nuevo)|suerte)\b|"
    # Where the customer saw a vehicle: "el verde que estaba en Instagram", "lo vi en Facebook".
    r"\b(?:vi|vimos|estaba|estaban|esta|salio|salia|sale|publicaron|publicado|publicada|"
    r"pusieron|puesto|puesta|subieron|anunciaron|anunciado|anunciada|postearon|posteado|"
    r"posteada|tenian|tienen|saw|seen|posted|listed)\s+(?:en|por|on)\s+(?:el\s+|la\s+|su\s+|"
    r"tu\s+|your\s+|the\s+)?(?:instagram|insta|facebook|face|marketplace|tiktok|redes(?: "
    r"sociales)?|pagina(?: web)?|website|web|anuncio|ig)\b|"
    # A budget held in cash is no question about paying: "tengo 25 mil en efectivo".
    r"(?:\d[\d.,]*|un|medio|dos|tres|cuatro|cinco)\s*(?:mil|k|m|millon(?:es)?|palos?|lucas?)?"
    r"(?:\s+(?:de\s+)?(?:pesos|dolares|usd|us|verdes|dls|dollars))?\s*,?\s+(?:en|de|al|in)\s+"
    r"(?:efectivo|cash|"
    r"contado)\b|\b(?:tengo|i have|i've got)\s+(?:\$\s*)?\d[\d.,]*\s*(?:mil|k|m)?\s+cash\b|"
    # Reserving a time is booking a visit, not holding a vehicle with a deposit.
    r"\b(?:reserv|apart|separ)\w*(?=\s+(?:una|la|mi|un|el)\s+(?:cita|prueba|visita|turno|"
    r"hora|horario)\b)"
)
# An intent's words are hidden from the intents listed with it (which are read after it);
# a desk question's words are no search ("¿reciben vehículos usados?").
_HIDING: dict[Intent, frozenset[Intent]] = {
    # "cancela la cita" calls a visit off: it books none.
    Intent.CANCEL: frozenset({Intent.VISIT}),
    Intent.BOT: frozenset({Intent.HUMAN}),
    Intent.TRADE_IN: frozenset({Intent.FINANCING, Intent.PAYMENT}),
    Intent.RESERVATION: frozenset({Intent.FINANCING, Intent.PAYMENT}),
    Intent.PAYMENT: frozenset({Intent.FINANCING}),
}
_HIDING |= {
    intent: _HIDING.get(intent, frozenset()) | {Intent.SEARCH} for intent in sorted(DESK_INTENTS)
}
_HIDING[Intent.HUMAN] = frozenset({Intent.SEARCH})  # "¿algún vendedor disponible?"
_INTENTS = {
    intent: tuple(re.compile(p) for p in patterns) for intent, patterns in _INTENT_PATTERNS.items()
}
_ORDER = (*_HIDING, *(intent for intent in _INTENTS if intent not in _HIDING))
# Words that name vehicles in general: a search on their own ("¿qué carros tienen?"), not
# beside a desk question ("do your used cars come with a warranty?").
_NOUNS = re.compile(
    r"\b(?:vehiculos?|vehicles?|carros?|carritos?|autos?|cars?|modelos?|models?|marcas?|"
    r"brands?)\b"
)
# "motor" is a motorcycle in Dominican Spanish ("venden motores?"), an engine in English and
# in a question about a car ("¿qué motor tiene?", "motor 2.0").
_MOTOR = re.compile(
    r"(?:\b(?:un|unos|algun|algunos|venden|vende|vendes|tienen|tienes|tiene|hay|busco|"
    r"buscando|quiero|necesito|compro|comprar|cotizar|precios? de|esos|esas)\s+(?:un\s+)?)"
    r"motor(?:es)?\b(?!\s*(?:\d|v\d|de |del |turbo|diesel|electrico|hibrido|gasolina|a gasolina|"
    r"nuevo|reconstruido|fundido|tiene|es |esta|hace|suena|bueno|fuerte))|^\W*motor(?:es)?\W*$|"
    r"\bmotores\b(?! (?:de|del|diesel|turbo|v\d))"
)
# Key words of the desk and the trade that customers misspell ("grantia", "finaciamiento").
_TYPO_WORDS = spelling.lexicon(
    """garantia horario horarios direccion ubicacion ubicados telefono whatsapp financiamiento
    traspaso marbete matricula transferencia deposito delivery gracias descuento agendar
    reservar efectivo tarjeta""".split()
)
# Any year works for telling whether a message names a constraint at all.
_FAR_FUTURE = 2100


def _plain(text: str) -> str:
    """Fold a message, spell its shorthand out and correct its typos, for the patterns."""
    plain = spelling.correct(spell_out(fold(text)), _TYPO_WORDS)
    return _NOT_ASKED.sub(lambda m: " " * len(m.group()), plain)


def detect_intents(text: str) -> set[Intent]:
    """Return every intent the message shows, or {OTHER} when it shows none."""
    plain = _plain(text)
    found: set[Intent] = set()
    hidden: dict[Intent, str] = {}
    for intent in _ORDER:
        seen = hidden.get(intent, plain)
        matches = [m for p in _INTENTS[intent] for m in p.finditer(seen)]
        if not matches:
            continue
        found.add(intent)
        for other in _HIDING.get(intent, ()):
            chars = list(hidden.get(other, plain))
            for m in matches:
                chars[m.start() : m.end()] = " " * (m.end() - m.start())
            hidden[other] = "".join(chars)
    if detect_language(text) != "en" and _MOTOR.search(plain):
        found.add(Intent.MOTORCYCLE)
    query = parse_query(text, Catalog(), today_year=_FAR_FUTURE)
    desk = found & DESK_INTENTS
    if not desk and (query != VehicleQuery() or _NOUNS.search(plain)):
        found.add(Intent.SEARCH)
    elif Intent.MOTORCYCLE in desk and not query.names_a_vehicle():
        found.discard(Intent.SEARCH)  # "¿qué modelos de pasola tienen?" is no car search
    return found or {Intent.OTHER}
