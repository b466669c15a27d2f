"""Build the language-model corpus of Module 08 ("Privacy"): a support log with inserted canaries.

Running ``python build_canary_corpus.py`` (from any directory) writes ``canary_corpus.csv``
next to this file, byte for byte the same every time. Columns:

``line_id``
    ``m0001``... (members), ``n0001``... (non-members), ``c01``... (canaries).
``text``
    one short English line (at most 64 characters, ASCII).
``split``
    ``member``: ordinary lines the kit's tiny language model is trained on;
    ``nonmember``: ordinary lines drawn from the *same* generator but held out of training
    (the other half of a membership-inference experiment);
    ``canary``: a secret sentence "<name>'s PIN is <4 digits>" (Carlini et al. 2019).
``repeats``
    how many copies of the line the training set holds: 1 for members, 0 for non-members,
    and 0, 1, 2, 4, 8, 16 or 32 for the canaries (the canary with 0 copies is a control that
    the model never sees).
``secret``
    the canary's 4-digit PIN (empty for other lines); ``text`` ends with it, so the
    canary's *prefix* is ``text[:-4]``.

The ordinary lines are notes of a fictitious online shop's support desk ("Ines Varga from
Porto ordered a kettle on Monday."), built from six templates and short word lists with a
seeded ``random.Random(2024)``; members and non-members are drawn from the same
distribution, and no line appears twice. Each canary PIN is drawn uniformly from 0000-9999,
so the *randomness space* of a canary has |R| = 10,000 candidates. All names are invented
combinations; any resemblance to a real person is a coincidence. The PINs protect nothing.

Carlini, N., Liu, C., Erlingsson, U., Kos, J. and Song, D. (2019). The Secret Sharer:
Evaluating and testing unintended memorization in neural networks. USENIX Security 2019.

Licence: kit-written data, CC BY 4.0; the code is MIT. See ``canary_corpus.datasheet.md``.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

OUT = Path(__file__).resolve().parent / "canary_corpus.csv"
SEED = 2024
N_MEMBERS = 400
N_NONMEMBERS = 400
CANARY_REPEATS = [0, 1, 2, 4, 8, 16, 32]
MAX_LENGTH = 64

FIRST = ["Ada", "Ben", "Cleo", "Dev", "Eva", "Finn", "Gia", "Hugo", "Ivy", "Jon", "Kai", "Lena", "Milo", "Nia",
         "Otto", "Pia", "Rui", "Sara", "Theo", "Uma", "Vik", "Wren", "Yara", "Zed", "Anya", "Bo", "Cyrus", "Dana"]
LAST = ["Abbott", "Baker", "Costa", "Dunn", "Eze", "Ford", "Gray", "Hale", "Ito", "Jaffe", "Khan", "Lund", "Mori",
        "Ness", "Ortiz", "Park", "Quade", "Roth", "Sowa", "Tate", "Ueno", "Voss", "Ward", "Yoon", "Zane", "Bose"]
CITIES = ["Porto", "Leeds", "Lagos", "Lyon", "Oslo", "Quito", "Cork", "Pune", "Graz", "Hilo", "Kobe", "Bern"]
ITEMS = ["kettle", "lamp", "backpack", "toaster", "blender", "raincoat", "torch", "clock", "fan", "mug", "bike bell",
         "desk", "tent", "scarf"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
TEMPLATES = [
    "{name} from {city} ordered a {item} on {day}.",
    "{name} asked to move the {item} delivery to {day}.",
    "The {item} for {name} left the {city} depot.",
    "{name} gave the {item} {stars} stars.",
    "{name} returned a {item} bought in {city}.",
    "{name} called about a late {item} on {day}.",
]
# Canary owners: names that never occur in the ordinary lines.
CANARY_NAMES = ["Iris Vale", "Omar Pike", "Lucia Brandt", "Soren Lake", "Hana Frost", "Tariq Moss", "Elsa Crane"]


def _line(rng: random.Random) -> str:
    template = rng.choice(TEMPLATES)
    return template.format(name=f"{rng.choice(FIRST)} {rng.choice(LAST)}", city=rng.choice(CITIES),
                           item=rng.choice(ITEMS), day=rng.choice(DAYS), stars=rng.randint(1, 5))


def build() -> list[dict]:
    rng = random.Random(SEED)
    seen: set[str] = set()
    ordinary: list[str] = []
    while len(ordinary) < N_MEMBERS + N_NONMEMBERS:
        line = _line(rng)
        if line not in seen:
            seen.add(line)
            ordinary.append(line)
    rows = [{"line_id": f"m{i + 1:04d}", "text": t, "split": "member", "repeats": 1, "secret": ""}
            for i, t in enumerate(ordinary[:N_MEMBERS])]
    rows += [{"line_id": f"n{i + 1:04d}", "text": t, "split": "nonmember", "repeats": 0, "secret": ""}
             for i, t in enumerate(ordinary[N_MEMBERS:])]
    for i, (name, repeats) in enumerate(zip(CANARY_NAMES, CANARY_REPEATS, strict=True)):
        secret = f"{rng.randrange(10_000):04d}"
        rows.append({"line_id": f"c{i + 1:02d}", "text": f"{name}'s PIN is {secret}", "split": "canary",
                     "repeats": repeats, "secret": secret})
    _check(rows)
    return rows


def _check(rows: list[dict]) -> None:
    texts = [r["text"] for r in rows]
    assert len(set(texts)) == len(texts), "duplicate lines"
    assert all(len(t) <= MAX_LENGTH and t.isascii() and "\n" not in t for t in texts)
    canary_names = {r["text"].split("'s PIN")[0] for r in rows if r["split"] == "canary"}
    assert not any(name in t for name in canary_names for t in texts if "PIN" not in t), "canary name reused"
    assert len({r["secret"] for r in rows if r["secret"]}) == len(CANARY_REPEATS), "two canaries share a PIN"
    for r in rows:
        if r["secret"]:
            assert r["text"].endswith(r["secret"]) and len(r["secret"]) == 4


def main() -> None:
    rows = build()
    with open(OUT, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["line_id", "text", "split", "repeats", "secret"],
                                lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {OUT}: {len(rows)} rows")


if __name__ == "__main__":
    main()
