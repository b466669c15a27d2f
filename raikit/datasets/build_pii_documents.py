"""Build the PII data of Module 08 ("Privacy"): short documents with annotated personal data.

Running ``python build_pii_documents.py`` (from any directory) writes, next to this file:

``pii_documents.csv``
    240 short English documents of a fictitious online shop (support e-mails, chat
    transcripts, forms, delivery notes, call-centre notes, reviews). Columns: ``doc_id``
    (``d001`` to ``d240``), ``split`` (``dev`` or ``test``, 120 each), ``kind`` (the kind of
    document), ``text``.

``pii_spans.csv``
    One row per annotated span of personal data: ``doc_id``, ``start``, ``end`` (character
    offsets into the document's ``text``, Python slice convention: ``text[start:end]``),
    ``label`` and ``value`` (the annotated text itself, for reading).

Labels (what a span covers):

========  ==============================================================================
label     covers
========  ==============================================================================
NAME      a person's full name ("Ines Varga"), first name ("Ines") or surname after a
          title ("Ms Varga" gives the span "Varga"; the title is not part of the span)
EMAIL     a person's e-mail address. Role addresses of the shop (``support@``,
          ``orders@``...) are *not* personal data and are not annotated
PHONE     a person's phone number, with its country code when written ("+44 7700 900461")
ADDRESS   a postal address: "[Flat N, ]<number> <street> <Road|Street|...>, <town>"
ID        a customer number ("CN-483920") or a National Insurance-style number
          ("QQ 12 34 56 C" or "QQ123456C")
========  ==============================================================================

Not annotated, on purpose (they are *hard negatives* for a detector): order numbers
("ORD-482913"), ticket numbers ("T-20931"), prices, dates, times, quantities, the shop's role
e-mail addresses, product names, cities named outside an address, weekdays and months.

All personal data is fictitious and chosen so that it cannot belong to anyone:

* e-mail addresses use only the domains reserved for documentation by RFC 2606
  (``example.com``, ``example.org``, ``example.net``);
* phone numbers come from ranges reserved for drama and fiction: UK Ofcom ranges
  07700 900000-900999, 020 7946 0000-0999, 0113 496 0000-0999, 0161 496 0000-0999, and US
  555-0100 to 555-0199 (any area code);
* National Insurance-style numbers start with "QQ", a prefix that is never issued (it is the
  one used in official examples); customer numbers are a format of the fictitious shop;
* names combine common first names and surnames from many languages at random; streets and
  towns are invented. Any resemblance to a real person or place is a coincidence.

Everything is deterministic: templates and word lists are literal below and all randomness
comes from ``random.Random(2024)``, so re-running reproduces both CSVs byte for byte. The
script checks its output (every span's text equals its value, spans do not overlap, ids are
unique, the reserved ranges are respected) before writing anything.

Licence: kit-written data, CC BY 4.0; the code is MIT, like the rest of the kit's code.
See ``pii_documents.datasheet.md``.
"""

from __future__ import annotations

import csv
import random
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 2024
N_DOCS = 240

FIRST_NAMES = [
    "Amara", "Bogdan", "Chiara", "Dmitri", "Esi", "Farid", "Greta", "Hiroshi", "Ines", "Jonas", "Kemal", "Leila",
    "Mateo", "Nadia", "Oskar", "Priya", "Rosa", "Sanjay", "Tove", "Ugo", "Valentina", "Wei", "Ximena", "Yusuf",
    "Zofia", "Aoife", "Bilal", "Camille", "Darius", "Elif", "Femi", "Hana", "Ivan", "Jun", "Kofi", "Lucia", "Malik",
    "Noor", "Olga", "Pedro", "Quinn", "Rahel", "Soren", "Thandiwe", "Anil", "Beatriz", "Chen", "Dalia", "Emeka",
    "Freya", "Gustavo", "Halima", "Isak", "Joanna", "Keanu", "Lars", "Mei", "Nikos", "Omar", "Paula",
]
SURNAMES = [
    "Okafor", "Lindqvist", "Moreau", "Novak", "Haddad", "Tanaka", "Silva", "Kowalczyk", "Mensah", "Brennan",
    "Castillo", "Demir", "Varga", "Ivanova", "Nakamura", "Osei", "Petrov", "Rossi", "Schmidt", "Tran", "Urquhart",
    "Vasquez", "Walsh", "Yilmaz", "Zhang", "Abebe", "Bianchi", "Cohen", "Dubois", "Eriksen", "Fernandes",
    "Gallagher", "Horvat", "Iyer", "Jansen", "Kaur", "Lopez", "Murphy", "Nguyen", "Oyelaran", "Popescu", "Quigley",
    "Reyes", "Sato", "Torres", "Ueda", "Virtanen", "Wojcik", "Xu", "Yadav",
]
AGENTS = ["Tom", "Aisha", "Ben", "Carla", "Dev", "Erin", "Felix", "Gita", "Hugo", "Iris"]
STREETS = [
    "Alder", "Brindle", "Copper", "Dovecote", "Elmstead", "Foxglove", "Gorse", "Hawthorn", "Ivy", "Juniper",
    "Kestrel", "Larkspur", "Millbrook", "Nettle", "Orchard", "Pebble", "Quarry", "Rowan", "Sorrel", "Thistle",
    "Upland", "Willow", "Yarrow", "Bramble", "Cobble",
]
STREET_TYPES = ["Road", "Street", "Lane", "Avenue", "Close", "Way", "Crescent", "Grove"]
TOWNS = [
    "Ashcombe", "Brackenford", "Corrowby", "Dunmere", "Eldwick Vale", "Fennick", "Glasford", "Harrowgate Green",
    "Kilbarra", "Lowmoor", "Marrowick", "Northam Cross", "Oakhurst", "Pendle Ridge", "Quenby", "Rushwick",
    "Stourmere", "Thornbury Wells", "Wexcombe", "Yelverton Hill",
]
CITIES = ["Leeds", "Porto", "Lagos", "Lyon", "Krakow", "Osaka", "Dublin", "Nairobi", "Bergen", "Valencia",
          "Adelaide", "Quito", "Tallinn", "Accra", "Seville"]
PRODUCTS = ["Nimbus headphones", "Aurora kettle", "Trek backpack", "Juno desk lamp", "Atlas hiking boots",
            "Orbit blender", "Pixel alarm clock", "Harbor raincoat", "Comet e-reader", "Summit water bottle",
            "Cedar bookshelf", "Lumen torch", "Vega phone case", "Breeze desk fan", "Ember toaster"]
ROLE_EMAILS = ["support@example.com", "orders@example.com", "help@example.org", "billing@example.com",
               "noreply@example.net", "info@example.org"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
DOMAINS = ["example.com", "example.org", "example.net"]

# Templates: {slot} is filled. Slots in PII_SLOTS become annotated spans with that label;
# the others are hard negatives (or plain context) and are not annotated.
PII_SLOTS = {
    "name": "NAME", "first": "NAME", "surname": "NAME", "agent": "NAME", "name2": "NAME",
    "email": "EMAIL", "email2": "EMAIL", "phone": "PHONE", "phone2": "PHONE",
    "address": "ADDRESS", "customer_id": "ID", "nino": "ID",
}

TEMPLATES: dict[str, list[str]] = {
    "support_email": [
        "From: {name} <{email}>\nTo: {role_email}\nSubject: Order {order}\n\nHello, my {product} arrived broken on "
        "{date}. Please call me on {phone} or reply to this address. My customer number is {customer_id}.\n"
        "Thanks, {first}",
        "From: {email}\nTo: {role_email}\nSubject: Change of address\n\nHi, I have moved. Please send future "
        "orders to {address}. The account is in the name of {name} ({customer_id}). My new number is {phone}.",
        "From: {name} <{email}>\nTo: {role_email}\nSubject: Refund for {order}\n\nDear team, I returned the "
        "{product} on {date} but have not been refunded {price} yet. You can reach me at {phone} after {time}.",
        "From: {email}\nTo: {role_email}\nSubject: Gift order\n\nHello, I would like to send a {product} to my "
        "friend {name2} at {address}. The courier can call {phone2} if needed. Regards, {name}",
    ],
    "chat": [
        "Agent {agent}: Welcome to the help chat! How can I help?\nCustomer: Hi, it's {name}. My order {order} "
        "has not arrived.\nAgent {agent}: Sorry to hear that. Can you confirm your e-mail?\nCustomer: {email}\n"
        "Agent {agent}: Thanks {first}, I have reopened ticket {ticket}.",
        "Customer: hello, my {product} stopped working after {quantity} days\nAgent {agent}: I am sorry. "
        "What is your customer number?\nCustomer: {customer_id}\nAgent {agent}: Thank you, Ms {surname}. "
        "We will call you on {phone} by {weekday}.",
        "Agent {agent}: Hi, you are chatting with the returns team.\nCustomer: hi, I want to return the "
        "{product} from order {order}, it cost {price}\nAgent {agent}: No problem. Is {address} still your "
        "address?\nCustomer: yes\nAgent {agent}: Great, the label goes to {email}.",
    ],
    "form": [
        "RETURN FORM\nName: {name}\nE-mail: {email}\nPhone: {phone}\nAddress: {address}\nOrder: {order}\n"
        "Item: {product}\nReason: arrived late on {date}",
        "ACCOUNT CLOSURE REQUEST\nCustomer number: {customer_id}\nFull name: {name}\nNational Insurance number: "
        "{nino}\nContact e-mail: {email}\nDate: {date}",
        "WARRANTY CLAIM\nClaimant: {name}\nTelephone: {phone}\nProduct: {product}, bought {date} for {price}\n"
        "Serial: {serial}\nShip replacement to: {address}",
        "PAYROLL UPDATE (staff)\nEmployee: {name}\nNI number: {nino}\nHome address: {address}\n"
        "Mobile: {phone}\nEffective from: {date}",
    ],
    "delivery_note": [
        "Delivery {order} for {name}, {address}. Leave the parcel with the neighbour if nobody answers. "
        "Contact: {phone}. Expected on {weekday} between {time} and {time2}.",
        "Courier note: {quantity} boxes for {name} at {address}. Customer asked us to text {phone} before "
        "arriving. Ticket {ticket}.",
        "Collection from {address} on {date}. Ask for {first}. Return label sent to {email}.",
    ],
    "call_note": [
        "Call log {date} {time}: {name} ({customer_id}) rang from {phone} about a double charge of {price} on "
        "order {order}. Agent {agent} escalated it to billing ({role_email}).",
        "Callback requested by {first} {surname} on {phone}. Topic: delivery of the {product} to {city}. "
        "Best time: {weekday} after {time}.",
        "Spoke to Mr {surname} today. He confirmed his e-mail {email} and his NI number {nino} for the "
        "insurance claim. Follow-up by agent {agent} on {weekday}.",
        "Missed call from {phone}, no message left. Number matches customer {customer_id} ({name}).",
    ],
    "review": [
        "Review by {first} from {city}: the {product} is great value at {price}. Delivery took {quantity} days.",
        "Posted by {name}: I bought the {product} in {month} and it broke after {quantity} weeks. Customer "
        "service ({role_email}) was helpful though. If anyone has the same problem, e-mail me at {email}.",
        "Review: would not recommend the {product}. Order {order} was late and nobody answered at "
        "{role_email}. {quantity} stars out of 5.",
    ],
}


def _phone(rng: random.Random) -> str:
    """A phone number from a range reserved for drama/fiction, in one of several formats."""
    tail = rng.randrange(1000)  # UK drama ranges: the last three digits are free
    us = rng.randrange(100)  # US fiction range: 555-0100 to 555-0199
    area = rng.choice(["202", "312", "415", "617", "713"])
    formats = [
        f"07700 900{tail:03d}",
        f"+44 7700 900{tail:03d}",
        f"020 7946 0{tail:03d}",
        f"+44 20 7946 0{tail:03d}",
        f"0113 496 0{tail:03d}",
        f"0161 496 0{tail:03d}",
        f"({area}) 555-01{us:02d}",
        f"{area}-555-01{us:02d}",
        f"+1 {area} 555 01{us:02d}",
    ]
    return rng.choice(formats)


def _person(rng: random.Random) -> dict[str, str]:
    first, surname = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
    local = rng.choice([
        f"{first}.{surname}", f"{first[0]}{surname}", f"{first}{rng.randrange(10, 99)}", f"{surname}.{first[0]}",
        f"{first}_{surname}",
    ]).lower()
    return {"first": first, "surname": surname, "name": f"{first} {surname}",
            "email": f"{local}@{rng.choice(DOMAINS)}"}


def _address(rng: random.Random) -> str:
    street = f"{rng.randrange(1, 240)} {rng.choice(STREETS)} {rng.choice(STREET_TYPES)}, {rng.choice(TOWNS)}"
    return f"Flat {rng.randrange(1, 30)}, {street}" if rng.random() < 0.25 else street


def _nino(rng: random.Random) -> str:
    digits = [f"{rng.randrange(100):02d}" for _ in range(3)]
    suffix = rng.choice("ABCD")
    return f"QQ {' '.join(digits)} {suffix}" if rng.random() < 0.6 else f"QQ{''.join(digits)}{suffix}"


def _values(rng: random.Random) -> dict[str, str]:
    person, other = _person(rng), _person(rng)
    hour = rng.randrange(8, 18)
    return {
        **person,
        "name2": other["name"], "email2": other["email"],
        "phone": _phone(rng), "phone2": _phone(rng),
        "address": _address(rng),
        "customer_id": f"CN-{rng.randrange(100000, 1000000)}",
        "nino": _nino(rng),
        "agent": rng.choice(AGENTS),
        "role_email": rng.choice(ROLE_EMAILS),
        "order": f"ORD-{rng.randrange(100000, 1000000)}",
        "ticket": f"T-{rng.randrange(10000, 100000)}",
        "serial": f"SN{rng.randrange(10**7, 10**8)}",
        "product": rng.choice(PRODUCTS),
        "city": rng.choice(CITIES),
        "date": f"{rng.randrange(1, 29)} {rng.choice(MONTHS)} {rng.choice([2023, 2024])}",
        "month": rng.choice(MONTHS),
        "weekday": rng.choice(WEEKDAYS),
        "time": f"{hour}:{rng.choice(['00', '15', '30', '45'])}",
        "time2": f"{hour + 2}:00",
        "price": rng.choice(["£", "€", "$"]) + f"{rng.randrange(5, 300)}.{rng.randrange(100):02d}",
        "quantity": str(rng.randrange(2, 15)),
    }


def fill(template: str, values: dict[str, str]) -> tuple[str, list[tuple[int, int, str, str]]]:
    """Fill ``template`` left to right; return the text and its PII spans (start, end, label, value)."""
    pieces: list[str] = []
    spans: list[tuple[int, int, str, str]] = []
    position = 0
    last = 0
    for match in re.finditer(r"\{(\w+)\}", template):
        literal = template[last:match.start()]
        pieces.append(literal)
        position += len(literal)
        value = values[match.group(1)]
        if match.group(1) in PII_SLOTS:
            spans.append((position, position + len(value), PII_SLOTS[match.group(1)], value))
        pieces.append(value)
        position += len(value)
        last = match.end()
    pieces.append(template[last:])
    return "".join(pieces), spans


def build() -> tuple[list[dict], list[dict]]:
    rng = random.Random(SEED)
    templates = [(kind, t) for kind, group in TEMPLATES.items() for t in group]
    # the 21 templates take turns (each is used 11 or 12 times), in a shuffled order
    plan = [templates[i % len(templates)] for i in range(N_DOCS)]
    rng.shuffle(plan)
    documents, spans = [], []
    for number, (kind, template) in enumerate(plan, start=1):
        doc_id = f"d{number:03d}"
        text, found = fill(template, _values(rng))
        documents.append({"doc_id": doc_id, "split": "dev" if number % 2 else "test", "kind": kind, "text": text})
        for start, end, label, value in found:
            spans.append({"doc_id": doc_id, "start": start, "end": end, "label": label, "value": value})
    _check(documents, spans)
    return documents, spans


RESERVED_PHONE = re.compile(
    r"(\+44 7700 900|07700 900|\+44 20 7946 0|020 7946 0|0113 496 0|0161 496 0)\d{3}"
    r"|(\(\d{3}\) |\d{3}-|\+1 \d{3} )555[- ]01\d\d"
)


def _check(documents: list[dict], spans: list[dict]) -> None:
    assert len(documents) == N_DOCS and len({d["doc_id"] for d in documents}) == N_DOCS
    assert len({d["text"] for d in documents}) == N_DOCS, "duplicate documents"
    texts = {d["doc_id"]: d["text"] for d in documents}
    by_doc: dict[str, list[dict]] = {}
    for span in spans:
        assert texts[span["doc_id"]][span["start"]:span["end"]] == span["value"], span
        by_doc.setdefault(span["doc_id"], []).append(span)
        if span["label"] == "EMAIL":
            assert span["value"].split("@")[1] in DOMAINS, span
        if span["label"] == "PHONE":
            assert RESERVED_PHONE.fullmatch(span["value"]), span
        if span["label"] == "ID":
            assert re.fullmatch(r"CN-\d{6}|QQ( \d\d){3} [A-D]|QQ\d{6}[A-D]", span["value"]), span
    for doc_spans in by_doc.values():
        ordered = sorted(doc_spans, key=lambda s: s["start"])
        for a, b in zip(ordered, ordered[1:], strict=False):
            assert a["end"] <= b["start"], (a, b)
    # one review template holds no personal data at all: 11 documents a detector must leave alone
    assert sum(d["doc_id"] not in by_doc for d in documents) == 11, "documents without personal data"
    assert sum(d["split"] == "dev" for d in documents) == N_DOCS // 2


def main() -> None:
    documents, spans = build()
    for name, rows, columns in [("pii_documents.csv", documents, ["doc_id", "split", "kind", "text"]),
                                ("pii_spans.csv", spans, ["doc_id", "start", "end", "label", "value"])]:
        with open(HERE / name, "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        print(f"wrote {HERE / name}: {len(rows)} rows")


if __name__ == "__main__":
    main()
