"""Adversarial text perturbations that try to slip past a moderation model, and a normalisation defence.

Every attack has the same signature ``attack(text, rate=1.0, rng=0) -> str``:

- it looks at the *words* of ``text`` (maximal runs of ASCII letters, at least
  :data:`MIN_WORD_LENGTH` long; shorter words such as "a" or "is" carry little signal);
- it perturbs each word with probability ``rate`` (the *budget*: 0 changes nothing, 1 changes
  every word it can), drawing one number from ``rng`` per eligible word, left to right;
- ``rng`` is a ``numpy.random.Generator`` or an int seed, so the same seed always gives the
  same perturbed text.

==============  =========================================================  ==============
attack          what it does to a chosen word                              example
==============  =========================================================  ==============
``typo``        swaps, drops or doubles one inner character                idiot -> idoit
``leetspeak``   writes letters as look-alike digits/symbols (:data:`LEET`)   idiot -> 1d10t
``homoglyph``   swaps letters for Cyrillic look-alikes (:data:`HOMOGLYPHS`)  idiot -> іԁіоt
``zero_width``  hides an invisible U+200B character inside the word         idiot -> idi​ot
``spacing``     spells the word out with spaces                             idiot -> i d i o t
``paraphrase``  replaces a listed insult by a milder synonym (:data:`SYNONYMS`)  idiot -> nitwit
==============  =========================================================  ==============

The defence :func:`normalise` undoes what it can (zero-width characters, compatibility forms,
homoglyphs, spaced-out letters, leetspeak) and leaves plain ASCII text without digits or
spaced-out letters unchanged. Typos and paraphrases are beyond a character-level normaliser:
that asymmetry is the point of module 06.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

import numpy as np

MIN_WORD_LENGTH = 3  # words shorter than this are never attacked
WORD = re.compile(r"[A-Za-z]+")

# Attack maps (Latin -> look-alike). Keys are lower-case for LEET (case-insensitive lookup).
LEET = {"a": "4", "e": "3", "i": "1", "o": "0", "s": "5"}
HOMOGLYPHS = {  # Latin -> Cyrillic letters that render (almost) identically in most fonts
    "a": "\u0430", "c": "\u0441", "d": "\u0501", "e": "\u0435", "h": "\u04bb", "i": "\u0456",
    "j": "\u0458", "l": "\u04cf", "o": "\u043e", "p": "\u0440", "s": "\u0455", "w": "\u051d",
    "x": "\u0445", "y": "\u0443",
    "A": "\u0410", "B": "\u0412", "C": "\u0421", "E": "\u0415", "H": "\u041d", "I": "\u0406",
    "J": "\u0408", "K": "\u041a", "M": "\u041c", "O": "\u041e", "P": "\u0420", "S": "\u0405",
    "T": "\u0422", "X": "\u0425", "Y": "\u04ae",
}
ZERO_WIDTH_SPACE = "\u200b"
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")  # invisible: ZWSP, ZWNJ, ZWJ, WJ, BOM, soft hyphen

# Defence maps (look-alike -> Latin).
LEET_TO_LATIN = {"4": "a", "@": "a", "3": "e", "1": "i", "0": "o", "5": "s", "$": "s", "7": "t"}
_GREEK_TO_LATIN = {
    "\u03b1": "a", "\u03b5": "e", "\u03b9": "i", "\u03ba": "k", "\u03bd": "v", "\u03bf": "o",
    "\u03c1": "p", "\u03c4": "t", "\u03c5": "u", "\u03c7": "x",
    "\u0391": "A", "\u0392": "B", "\u0395": "E", "\u0396": "Z", "\u0397": "H", "\u0399": "I",
    "\u039a": "K", "\u039c": "M", "\u039d": "N", "\u039f": "O", "\u03a1": "P", "\u03a4": "T",
    "\u03a5": "Y", "\u03a7": "X",
}
HOMOGLYPHS_TO_LATIN = {**{v: k for k, v in HOMOGLYPHS.items()}, **_GREEK_TO_LATIN}

# Word-level paraphrase: a listed insult -> milder words that mean much the same.
SYNONYMS = {
    "idiot": ["nitwit", "dimwit", "numbskull"],
    "idiots": ["nitwits", "dimwits", "numbskulls"],
    "idiotic": ["brainless", "half-witted", "dim-witted"],
    "stupid": ["dense", "brainless", "thick"],
    "moron": ["dunce", "simpleton", "halfwit"],
    "morons": ["dunces", "simpletons", "halfwits"],
    "dumb": ["dim", "dense", "slow-witted"],
    "loser": ["failure", "washout", "no-hoper"],
    "losers": ["failures", "washouts", "no-hopers"],
    "pathetic": ["pitiful", "sorry", "feeble"],
    "ugly": ["hideous", "unsightly", "grotesque"],
    "hate": ["loathe", "despise", "detest"],
    "jerk": ["creep", "heel", "boor"],
    "fool": ["clot", "dope", "twit"],
    "trash": ["rubbish", "junk", "refuse"],
    "garbage": ["rubbish", "junk", "dross"],
    "crap": ["rubbish", "nonsense", "junk"],
    "worthless": ["good-for-nothing", "useless", "no-good"],
    "disgusting": ["revolting", "repulsive", "vile"],
    "shut": ["zip", "button", "close"],  # "shut up" -> "zip up"/"button up"
    "sucks": ["stinks", "blows", "bites"],
    "damn": ["darn", "dang", "blasted"],
    "hell": ["heck", "blazes", "hades"],
    "freak": ["weirdo", "oddball", "crank"],
    "clown": ["buffoon", "joker", "goon"],
    "liar": ["fibber", "fabricator", "deceiver"],
    "scum": ["lowlife", "riffraff", "vermin"],
}


def _as_rng(rng: np.random.Generator | int) -> np.random.Generator:
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, bool):
        return np.random.default_rng(int(rng))
    raise TypeError(f"rng must be a numpy Generator or an int seed, got {type(rng).__name__}")


def _check_rate(rate: float) -> float:
    rate = float(rate)
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"rate is a share of words and must lie in [0, 1], got {rate}")
    return rate


def _perturb_words(text: str, edit: Callable[[str, np.random.Generator], str], rate: float,
                   rng: np.random.Generator | int, eligible: Callable[[str], bool] | None = None) -> str:
    """Apply ``edit`` to each eligible word with probability ``rate`` (one draw per eligible word)."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    rate, rng = _check_rate(rate), _as_rng(rng)
    eligible = eligible or (lambda word: len(word) >= MIN_WORD_LENGTH)

    def replace(match: re.Match) -> str:
        word = match.group()
        if not eligible(word) or rng.random() >= rate:
            return word
        return edit(word, rng)

    return WORD.sub(replace, text)


def _typo_word(word: str, rng: np.random.Generator) -> str:
    kind = ("swap", "drop", "duplicate")[int(rng.integers(3))]
    i = int(rng.integers(1, len(word) - 1))  # an inner position: keep the first letter
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if kind == "drop":
        return word[:i] + word[i + 1:]
    return word[:i] + word[i] + word[i:]


def typo(text: str, rate: float = 1.0, rng: np.random.Generator | int = 0) -> str:
    """One random typo per chosen word: swap two adjacent characters, drop one, or double one.

    The first character of a word is never touched, so the text stays readable.
    """
    return _perturb_words(text, _typo_word, rate, rng)


def leetspeak(text: str, rate: float = 1.0, rng: np.random.Generator | int = 0) -> str:
    """Write every :data:`LEET` letter of a chosen word as its digit (``idiot`` -> ``1d10t``)."""
    return _perturb_words(text, lambda word, _: "".join(LEET.get(c.lower(), c) for c in word), rate, rng)


def homoglyph(text: str, rate: float = 1.0, rng: np.random.Generator | int = 0) -> str:
    """Replace every letter of a chosen word that has a Cyrillic look-alike in :data:`HOMOGLYPHS`."""
    return _perturb_words(text, lambda word, _: "".join(HOMOGLYPHS.get(c, c) for c in word), rate, rng)


def zero_width(text: str, rate: float = 1.0, rng: np.random.Generator | int = 0) -> str:
    """Insert an invisible zero-width space (U+200B) at a random inner position of each chosen word."""
    def edit(word: str, rng: np.random.Generator) -> str:
        i = int(rng.integers(1, len(word)))
        return word[:i] + ZERO_WIDTH_SPACE + word[i:]

    return _perturb_words(text, edit, rate, rng)


def spacing(text: str, rate: float = 1.0, rng: np.random.Generator | int = 0) -> str:
    """Spell each chosen word out with single spaces between its letters (``idiot`` -> ``i d i o t``)."""
    return _perturb_words(text, lambda word, _: " ".join(word), rate, rng)


def paraphrase(text: str, rate: float = 1.0, rng: np.random.Generator | int = 0) -> str:
    """Replace each listed insult (:data:`SYNONYMS`, case-insensitive) by a random milder synonym.

    Only words in the table are eligible, so ``rate`` is the share of *those* words replaced.
    A capitalised word gets a capitalised synonym.
    """
    def edit(word: str, rng: np.random.Generator) -> str:
        choices = SYNONYMS[word.lower()]
        new = choices[int(rng.integers(len(choices)))]
        return new[0].upper() + new[1:] if word[0].isupper() else new

    return _perturb_words(text, edit, rate, rng, eligible=lambda word: word.lower() in SYNONYMS)


ATTACKS: dict[str, Callable[..., str]] = {
    "typo": typo,
    "leetspeak": leetspeak,
    "homoglyph": homoglyph,
    "zero_width": zero_width,
    "spacing": spacing,
    "paraphrase": paraphrase,
}


def attack(texts: list[str], kind: str, rate: float = 1.0, seed: int = 0) -> list[str]:
    """Apply attack ``kind`` (a key of :data:`ATTACKS`) to every text, with one generator seeded ``seed``."""
    if kind not in ATTACKS:
        raise ValueError(f"unknown attack {kind!r}; choose one of {', '.join(ATTACKS)}")
    if isinstance(texts, str):
        raise TypeError("attack() takes a list of texts; wrap a single text as [text].")
    rng = np.random.default_rng(seed)
    return [ATTACKS[kind](text, rate, rng) for text in texts]


# ---------------------------------------------------------------- the defence

_WORD_CHAR = "[A-Za-z0-9@$]"  # a "word character" for the defence: ASCII letter, digit, @ or $
_SPACED_RUN = re.compile(f"(?<!{_WORD_CHAR}){_WORD_CHAR}(?: {_WORD_CHAR}){{2,}}(?!{_WORD_CHAR})")
_LEET_WORD = re.compile(f"{_WORD_CHAR}+")
_HAS_LETTER = re.compile("[A-Za-z]")


def _join_spaced(match: re.Match) -> str:
    run = match.group()
    return run.replace(" ", "") if _HAS_LETTER.search(run) else run


def _decode_leet(match: re.Match) -> str:
    word = match.group()
    return "".join(LEET_TO_LATIN.get(c, c) for c in word) if _HAS_LETTER.search(word) else word


def normalise(text: str) -> str:
    """Undo character-level obfuscation, in five steps (the order matters).

    A *word character* here is an ASCII letter, a digit, ``@`` or ``$``.

    1. delete zero-width characters (:data:`ZERO_WIDTH`);
    2. Unicode NFKC normalisation (full-width ``ｉｄｉｏｔ`` -> ``idiot``, ligatures, non-breaking spaces);
    3. map Cyrillic/Greek look-alikes to Latin (:data:`HOMOGLYPHS_TO_LATIN`);
    4. join spaced-out letters: a run of 3 or more single word characters separated by single
       spaces, not touching another word character, and holding at least one letter, loses its
       spaces (``i d i o t`` -> ``idiot``);
    5. decode leetspeak: in every maximal run of word characters that holds at least one letter,
       replace each key of :data:`LEET_TO_LATIN` by its letter (``1d10t`` -> ``idiot``). Runs
       without a letter (``2024``, ``$5``) stay as they are.

    Plain ASCII text with no digits, ``@``/``$`` or runs of three single letters is returned
    unchanged, and ``normalise(normalise(t)) == normalise(t)`` for text without combining marks.
    Known costs: ``3rd`` becomes ``erd``, ``1990s`` becomes ``i99os``, ``@user`` becomes
    ``auser``, "plan a b c" is joined, a word written wholly in digits (``455``) stays a number,
    and neighbouring spelled-out words run together (``s t u p i d i d i o t``). The
    normalised text is only the classifier's input; what readers see is unchanged.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    text = "".join(c for c in text if c not in ZERO_WIDTH)
    text = unicodedata.normalize("NFKC", text)
    text = "".join(HOMOGLYPHS_TO_LATIN.get(c, c) for c in text)
    text = _SPACED_RUN.sub(_join_spaced, text)
    return _LEET_WORD.sub(_decode_leet, text)


# ---------------------------------------------------------------- measuring robustness


def _scores(values, name: str) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one score per text (1-D), got shape {array.shape}")
    return array


def attack_success_rate(scores_clean, scores_attacked, labels, threshold: float = 0.5) -> float:
    """Share of the toxic texts a model catches that it no longer catches after an attack.

    A text is *flagged* when its score is at least ``threshold``. Among texts with label 1
    whose clean version is flagged, return the share whose attacked version is not flagged.
    Texts with label 0, and toxic texts the model misses anyway, do not count (an attack
    cannot "succeed" on a text that was never caught). NaN when no toxic text is flagged.
    """
    clean, attacked = _scores(scores_clean, "scores_clean"), _scores(scores_attacked, "scores_attacked")
    labels = np.asarray(labels)
    if not clean.shape == attacked.shape == labels.shape:
        raise ValueError(f"shapes differ: {clean.shape}, {attacked.shape}, {labels.shape}")
    caught = (labels == 1) & (clean >= threshold)
    if not caught.any():
        return float("nan")
    return float(np.mean(attacked[caught] < threshold))


def invariance_failure_rate(scores_original, scores_variants, threshold: float = 0.5) -> float:
    """CheckList INV test: share of items whose decision changes under at least one label-preserving edit.

    ``scores_variants`` has one row per item and one column per variant (e.g. the same
    sentence with other names or places). An item fails when any variant is flagged
    (score >= threshold) differently from the original.
    """
    original = _scores(scores_original, "scores_original")
    variants = np.asarray(scores_variants, dtype=float)
    if variants.ndim != 2 or len(variants) != len(original):
        raise ValueError(f"scores_variants must have shape (n_items, n_variants), got {variants.shape}")
    decision = original >= threshold
    return float(np.mean(((variants >= threshold) != decision[:, None]).any(axis=1)))


def directional_failure_rate(scores_before, scores_after, direction: int, min_change: float = 0.0) -> float:
    """CheckList DIR test: share of edits that do not move the score the expected way by ``min_change``.

    ``direction`` is +1 when the edit should raise the score (an intensifier: "stupid" ->
    "really stupid") and -1 when it should lower it (a negation: "is" -> "is not"). The
    movement in the expected direction is ``direction * (after - before)``; an item fails
    when it is below ``min_change``. ``min_change=-0.05`` is CheckList's tolerance (the score
    may not move the wrong way by more than 0.05); a positive ``min_change`` demands a real move.
    """
    if direction not in (1, -1):
        raise ValueError(f"direction must be +1 or -1, got {direction!r}")
    before, after = _scores(scores_before, "scores_before"), _scores(scores_after, "scores_after")
    if before.shape != after.shape:
        raise ValueError(f"shapes differ: {before.shape} vs {after.shape}")
    return float(np.mean(direction * (after - before) < min_change))
