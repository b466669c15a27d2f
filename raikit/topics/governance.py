"""Governance helpers (module 12): EU AI Act risk tiers, NIST AI RMF functions, system cards.

**Not legal advice.** Everything here is a teaching simplification of two texts:

- the EU AI Act, Regulation (EU) 2024/1689 of 13 June 2024 (OJ L, 2024/1689; CELEX 32024R1689),
  as amended by the Digital Omnibus on AI (adopted in 2026), whose risk tiers the course uses:
  practices prohibited by Article 5; high-risk systems under Article 6 (products of Annex I,
  uses listed in Annex III); transparency obligations of Article 50 ("limited risk"); and
  everything else ("minimal risk"). The Act itself names no "limited" or "minimal" tier: those
  are the Commission's shorthand, used here for systems with only Art. 50 duties and the rest;
- the NIST AI Risk Management Framework 1.0 (NIST AI 100-1, January 2023), whose four
  functions (Govern, Map, Measure, Manage) organise risk-management controls.

Dates, article lists, fines and scopes come from the kit's one dated source of legal facts,
``raikit/datasets/legal_facts.json`` (read through :mod:`raikit.legal`, which says how to check
the current text): :data:`TIER_DESCRIPTIONS` and :data:`PROHIBITED_PRACTICES` are built from it,
and :func:`timetable` returns its AI Act timetable.

What lives here:

- vocabularies: :data:`TIERS`, :data:`SYSTEM_ATTRIBUTES` (the structured attributes of the
  ``governance_systems`` data and the values each may take), :data:`ANNEX_III_AREAS`,
  :data:`PROHIBITED_PRACTICES` (the Art. 5 practices the data's ``practice`` attribute can
  name), :data:`PROHIBITED_PRACTICES_NOT_IN_DATA` (those added by the Digital Omnibus, which
  no system in the data uses), :data:`NIST_FUNCTIONS`;
- the legal timetable: :func:`timetable` (dated, with sources, from ``legal_facts.json``);
- loaders: :func:`load_systems` and :func:`system_records` (the 30 kit-written system
  descriptions with expert tiers), :func:`load_controls` and :func:`acceptable_functions`
  (28 controls with the kit's NIST mapping, allowing a second answer where it is ambiguous);
- scoring: :func:`tier_confusion`, :func:`mapping_agreement`;
- system cards: :data:`SYSTEM_CARD_FIELDS`, :func:`validate_system_card`,
  :func:`render_system_card`.

- general-purpose AI models (Chapter V, Arts. 51-56): :data:`GPAI_THRESHOLD_FLOP` (the 10^25
  presumption of Art. 51(2)), :func:`training_flops` (6 N D), :func:`is_systemic_risk`,
  :func:`gpai_obligations` (which of Arts. 52-55 apply, with the reason), :func:`kit_assistant_card`,
  :func:`kit_assistant_compute`
  and :func:`annex_xi_draft` (the Annex XI items drafted from the kit assistant's card and
  training record), :data:`ART55_EVIDENCE` (what modules 13-14 measure for each Art. 55 duty).

The kit deliberately ships no function that *assigns* a tier: writing that rule is the
exercise of the module 12 assignment, and its limits are the point of the lesson.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from raikit import data, legal, models

TIERS = ("prohibited", "high", "limited", "minimal")  # from the most to the least regulated


def _long(key: str) -> str:
    return legal.long_date(key)


TIER_DESCRIPTIONS = {
    "prohibited": "unacceptable risk: practices banned by Article 5 (since "
                  f"{_long('ai_act.prohibitions_and_literacy')}; the practices added by the Digital Omnibus "
                  f"since {_long('ai_act.omnibus_new_prohibitions')})",
    "high": "high risk: Annex I products needing third-party conformity assessment (Art. 6(1), from "
            f"{_long('ai_act.annex_i_high_risk')}) or Annex III uses (Art. 6(2), from "
            f"{_long('ai_act.annex_iii_high_risk')}), with the duties of Articles 8-27 and 43-49",
    "limited": "not a term of the Act: systems with only the transparency obligations of Article 50 (from "
               f"{_long('ai_act.general_application')}): chatbots, synthetic content, deep fakes, emotion "
               "recognition and biometric categorisation",
    "minimal": "not a term of the Act: everything else; AI literacy (Art. 4) still applies to every provider and "
               "deployer, and voluntary codes of conduct (Art. 95) are encouraged",
}

_ART5 = legal.fact("ai_act.prohibited_practices")["items"]
PROHIBITED_PRACTICES = {item["kit_practice"]: f"Art. {item['point']}: {item['summary']}"
                        for item in _ART5 if item["kit_practice"]}
PROHIBITED_PRACTICES_NOT_IN_DATA = {
    f"Art. {item['point']}": f"{item['summary']} (applies from {legal.long_date(item['applies_from'])})"
    for item in _ART5 if not item["kit_practice"]}


def timetable() -> pd.DataFrame:
    """The AI Act's timetable from the kit's legal facts: when each part applies, with its status.

    Columns ``applies from``, ``was`` (the original date where an amendment moved it, else ``""``),
    ``what`` and ``status``. The as-of date is ``raikit.legal.as_of()``; print it next to the table.
    """
    return pd.DataFrame([{"applies from": legal.long_date(row["date"]),
                          "was": legal.long_date(row["was"]) if row["was"] else "",
                          "what": row["fact"], "status": row["status"]} for row in legal.timetable("ai_act")])


ANNEX_III_AREAS = {
    "none": "the intended purpose matches no use listed in Annex III",
    "biometrics": "Annex III 1: remote biometric identification (not verification), biometric categorisation, "
                  "emotion recognition",
    "critical_infrastructure": "Annex III 2: safety components of critical digital infrastructure, road traffic, "
                               "water, gas, heating, electricity",
    "education": "Annex III 3: admission, evaluating learning outcomes, assigning the level of education, "
                 "monitoring behaviour during tests",
    "employment": "Annex III 4: recruitment and selection; decisions on promotion, termination, task allocation; "
                  "monitoring and evaluating workers",
    "essential_services": "Annex III 5: public benefits, creditworthiness (not fraud detection), life and health "
                          "insurance pricing, emergency-call triage",
    "law_enforcement": "Annex III 6: victim risk, polygraphs, reliability of evidence, offending risk, profiling "
                       "in investigations",
    "migration": "Annex III 7: polygraphs, risk assessment of travellers, examining asylum, visa and residence "
                 "applications, identifying people",
    "justice_democracy": "Annex III 8: assisting judicial authorities; influencing the outcome of elections or "
                         "voting behaviour",
}

SYSTEM_ATTRIBUTES: dict[str, tuple[str, tuple | None]] = {
    "deployer": ("who uses the system under its authority",
                 ("company", "public_authority", "law_enforcement", "individual")),
    "setting": ("where it is used (only 'workplace', 'education' and 'public_space' change a tier)",
                ("online", "workplace", "education", "public_space", "border", "court", "healthcare",
                 "infrastructure", "home")),
    "practice": ("a practice the Act names specifically, or 'none'",
                 ("none", "manipulation", "exploits_vulnerabilities", "social_scoring", "crime_prediction_profiling",
                  "face_scraping", "sensitive_biometric_categorisation", "emotion_recognition",
                  "remote_biometric_identification", "biometric_verification")),
    "realtime": ("for biometric identification: True if it identifies people as they pass (not afterwards)", None),
    "annex_iii_area": ("the Annex III area whose listed use matches the intended purpose, or 'none'",
                       tuple(ANNEX_III_AREAS)),
    "annex_i_product": ("True if it is (a safety component of) a product of Annex I that needs third-party "
                        "conformity assessment", None),
    "decision_role": ("how its output is used: 'decides' (automatically), 'recommends' (a person decides with "
                      "it), 'assists' (a narrow procedural or preparatory task, Art. 6(3)), 'none' (no decision "
                      "about people)", ("decides", "recommends", "assists", "none")),
    "profiles_people": ("True if it evaluates personal aspects of people (profiling, GDPR Art. 4(4))", None),
    "interacts_with_people": ("True if people talk or write to it directly (a chatbot, a voice assistant)", None),
    "generates_synthetic_content": ("True if it generates text, images, audio or video", None),
}
BOOLEAN_ATTRIBUTES = tuple(name for name, (_, values) in SYSTEM_ATTRIBUTES.items() if values is None)

NIST_FUNCTIONS = {
    "govern": "GOVERN: a culture of risk management is cultivated and present; policies, accountability, "
              "roles, training, supply-chain rules (cross-cutting, organisation-wide)",
    "map": "MAP: context is recognised and risks related to context are identified; purpose, users, affected "
           "people, legal setting, benefits and costs of one system",
    "measure": "MEASURE: identified risks are assessed, analysed or tracked; metrics, tests, evaluations, "
               "independent review",
    "manage": "MANAGE: risks are prioritised and acted upon based on projected impact; deploy or not, "
              "responses, monitoring, appeals, incidents, decommissioning",
}

SYSTEM_CARD_FIELDS = {
    "system_name": "name and version of the AI system",
    "provider": "who builds and maintains it",
    "intended_purpose": "what it is for, in which setting, and what decision its output feeds",
    "intended_users": "who operates it",
    "affected_people": "who is affected by its outputs",
    "out_of_scope_uses": "uses it must not be put to",
    "model_and_data": "the model and the data it was trained and tested on",
    "risk_tier": "EU AI Act tier: one of " + ", ".join(TIERS),
    "tier_basis": "the articles and annex points behind the tier",
    "evaluation": "audit metrics: a dict of metric name -> number",
    "limitations": "known limits of the system and of its evaluation",
    "human_oversight": "who can check, override or stop it, and how",
    "recommendation": "deploy or not, and under which conditions",
}


# ---------------------------------------------------------------- data


def load_systems() -> pd.DataFrame:
    """The 30 kit-written AI system descriptions with structured attributes and expert tiers.

    Columns: ``system_id``, ``name``, ``description``, ``sector``, ``affected``, the
    attributes of :data:`SYSTEM_ATTRIBUTES` (booleans as ``bool``), ``tier`` (the expert
    tier), ``transparency_obligation`` (Art. 50 applies on top of the tier), ``legal_basis``
    and ``justification``. See ``governance_systems.datasheet.md``.
    """
    frame = data.load("governance_systems")
    for column in (*BOOLEAN_ATTRIBUTES, "transparency_obligation"):
        frame[column] = frame[column].map(_as_bool)
    return frame


def _as_bool(value: Any) -> bool:
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    text = str(value).strip().lower()
    if text in ("true", "1"):
        return True
    if text in ("false", "0"):
        return False
    raise data.DatasetError(f"expected True or False in governance_systems.csv, found {value!r}")


def system_records(frame: pd.DataFrame | None = None) -> list[dict[str, Any]]:
    """Rows of :func:`load_systems` (or of ``frame``) as dicts of plain Python values (``str``, ``bool``)."""
    frame = load_systems() if frame is None else frame
    records = []
    for row in frame.to_dict("records"):
        records.append({key: (bool(value) if isinstance(value, (bool, np.bool_)) else
                              value.item() if isinstance(value, np.generic) else value)
                        for key, value in row.items()})
    return records


def load_controls(split: str | None = None) -> pd.DataFrame:
    """The 28 risk-management controls with the kit's NIST AI RMF mapping.

    Columns: ``control_id``, ``control``, ``split`` (``"lesson"`` or ``"assignment"``),
    ``function`` (the kit's answer), ``also_acceptable`` (a second defensible function, or
    ``""``), ``rmf_subcategory`` and ``reason``. ``split`` selects one half.
    """
    frame = data.load("governance_controls")
    if split is not None:
        if split not in ("lesson", "assignment"):
            raise ValueError(f"split must be 'lesson', 'assignment' or None, got {split!r}")
        frame = frame[frame["split"] == split].reset_index(drop=True)
    return frame


def acceptable_functions(controls: pd.DataFrame) -> dict[str, tuple[str, ...]]:
    """``{control_id: (kit's function, second acceptable function if any)}``."""
    return {row.control_id: tuple(f for f in (row.function, row.also_acceptable) if f)
            for row in controls.itertuples(index=False)}


def mapping_agreement(answers: Mapping[str, str], controls: pd.DataFrame) -> float:
    """Share of ``controls`` whose answer in ``answers`` is an acceptable NIST function.

    Answers are compared in lower case with surrounding spaces removed; a control with no
    answer counts as wrong.
    """
    key = acceptable_functions(controls)
    if not key:
        raise ValueError("no controls to score")
    right = sum(isinstance(answers.get(cid), str) and answers[cid].strip().lower() in ok for cid, ok in key.items())
    return right / len(key)


# ---------------------------------------------------------------- scoring tiers


def tier_confusion(expected: Sequence[str], predicted: Sequence[str]) -> pd.DataFrame:
    """Counts of (expected tier, predicted tier): rows expected, columns predicted, both in :data:`TIERS` order."""
    expected, predicted = list(expected), list(predicted)
    if len(expected) != len(predicted):
        raise ValueError(f"expected and predicted differ in length: {len(expected)} vs {len(predicted)}")
    unknown = sorted({str(t) for t in expected + predicted} - set(TIERS))
    if unknown:
        raise ValueError(f"unknown tiers {unknown}; tiers are {', '.join(TIERS)}")
    table = pd.DataFrame(0, index=pd.Index(TIERS, name="expert tier"), columns=pd.Index(TIERS, name="predicted"))
    for e, p in zip(expected, predicted, strict=True):
        table.loc[e, p] += 1
    return table


# ---------------------------------------------------------------- system cards


def _is_number(value: Any) -> bool:
    return (type(value) in (int, float) or (isinstance(value, np.generic) and isinstance(value, (np.integer,
                                                                                                   np.floating))))


def validate_system_card(card: Any) -> list[str]:
    """Problems with a system card (a dict with the keys of :data:`SYSTEM_CARD_FIELDS`); ``[]`` if none.

    Every field is required; text fields must be non-empty strings; ``risk_tier`` must be
    one of :data:`TIERS`; ``evaluation`` must be a non-empty dict from metric names to
    finite numbers (not bools). Unknown fields are reported too.
    """
    if not isinstance(card, dict):
        return [f"a system card is a dict, got {type(card).__name__}"]
    problems = [f"missing field {name!r}" for name in SYSTEM_CARD_FIELDS if name not in card]
    problems += [f"unknown field {name!r}" for name in card if name not in SYSTEM_CARD_FIELDS]
    for name in SYSTEM_CARD_FIELDS:
        if name not in card or name == "evaluation":
            continue
        value = card[name]
        if not isinstance(value, str) or not value.strip():
            problems.append(f"field {name!r} must be a non-empty string")
    if "risk_tier" in card and isinstance(card["risk_tier"], str) and card["risk_tier"] not in TIERS:
        problems.append(f"risk_tier {card['risk_tier']!r} is not one of {', '.join(TIERS)}")
    if "evaluation" in card:
        evaluation = card["evaluation"]
        if not isinstance(evaluation, dict) or not evaluation:
            problems.append("field 'evaluation' must be a non-empty dict of metric name -> number")
        else:
            for metric, value in evaluation.items():
                if not isinstance(metric, str) or not _is_number(value) or not math.isfinite(float(value)):
                    problems.append(f"evaluation[{metric!r}] must be a finite number, got {value!r}")
    return problems


def render_system_card(card: dict, digits: int = 3) -> str:
    """The card as Markdown (display it with ``IPython.display.Markdown``); validates it first."""
    problems = validate_system_card(card)
    if problems:
        raise ValueError("invalid system card: " + "; ".join(problems))
    titles = {"intended_purpose": "Intended purpose", "intended_users": "Intended users",
              "affected_people": "Affected people", "out_of_scope_uses": "Out-of-scope uses",
              "model_and_data": "Model and data", "limitations": "Limitations",
              "human_oversight": "Human oversight", "recommendation": "Recommendation"}
    lines = [f"### System card: {card['system_name']}", "",
             f"**Provider.** {card['provider']}", "",
             f"**Risk tier (EU AI Act).** {card['risk_tier']} ({card['tier_basis']})", ""]
    for field in ("intended_purpose", "intended_users", "affected_people", "out_of_scope_uses", "model_and_data"):
        lines += [f"**{titles[field]}.** {card[field]}", ""]
    lines += ["**Evaluation.**", "", "| metric | value |", "|---|---:|"]
    lines += [f"| {metric} | {float(value):.{digits}f} |" for metric, value in card["evaluation"].items()]
    lines.append("")
    for field in ("limitations", "human_oversight", "recommendation"):
        lines += [f"**{titles[field]}.** {card[field]}", ""]
    return "\n".join(lines).rstrip() + "\n"


def check_vocabulary(records: Iterable[Mapping[str, Any]]) -> list[str]:
    """Attribute values outside :data:`SYSTEM_ATTRIBUTES`' vocabularies, as messages (``[]`` if none)."""
    problems = []
    for index, record in enumerate(records):
        label = record.get("system_id", f"record {index}")
        for name, (_, values) in SYSTEM_ATTRIBUTES.items():
            if name not in record:
                problems.append(f"{label}: missing attribute {name!r}")
            elif values is None and not isinstance(record[name], (bool, np.bool_)):
                problems.append(f"{label}: {name} must be True or False, got {record[name]!r}")
            elif values is not None and record[name] not in values:
                problems.append(f"{label}: {name}={record[name]!r} is not one of {values}")
    return problems


# ---------------------------------------------------------------------------- general-purpose AI models (Chapter V)

_GPAI = legal.fact("ai_act.gpai_systemic_risk_classification")
GPAI_THRESHOLD_FLOP = float(_GPAI["threshold_flop"])  # Art. 51(2): training compute greater than this
_ART53 = {item["point"]: item["summary"] for item in legal.fact("ai_act.gpai_provider_obligations")["items"]}
_ART55 = {item["point"]: item["summary"] for item in legal.fact("ai_act.gpai_systemic_risk_obligations")["items"]}
GPAI_OBLIGATIONS = {  # article point -> what it asks, in the order of the Act
    "52": "notify the Commission that the model meets the compute threshold of Art. 51(2)",
    **{f"53(1)({p[-2]})": summary for p, summary in _ART53.items()},
    "54": "appoint an authorised representative established in the Union (providers outside the Union)",
    **{f"55(1)({p[-2]})": summary for p, summary in _ART55.items()},
}
CARD_PATH = models.ASSISTANT_DIR.parent / "cards" / "kit-assistant.model_card.yaml"


def training_flops(n_parameters: float, n_tokens: float) -> float:
    """Approximate training compute in floating point operations: ``6 * N * D``.

    ``N`` parameters, ``D`` training tokens processed (every pass counted). About 2 N FLOPs per
    token for the forward pass and 4 N for the backward pass (Kaplan et al. 2020); attention and
    padding are ignored, so this is an estimate, good to an order of magnitude, which is what a
    comparison with a threshold of 10^25 needs.
    """
    for name, value in (("n_parameters", n_parameters), ("n_tokens", n_tokens)):
        if not _is_number(value) or not math.isfinite(value) or value < 0:
            raise ValueError(f"{name} must be a non-negative number, got {value!r}")
    return 6.0 * float(n_parameters) * float(n_tokens)


def is_systemic_risk(training_flop: float, *, designated: bool = False) -> bool:
    """Art. 51: presumed systemic risk when training compute is *greater than* 10^25 FLOP, or designated.

    The presumption is rebuttable (the provider may argue otherwise, Art. 52) and the Commission
    may designate a model below the threshold (Art. 51(1)(b), Annex XIII): this helper only
    reads the two facts it is given.
    """
    if not _is_number(training_flop) or not math.isfinite(training_flop) or training_flop < 0:
        raise ValueError(f"training_flop must be a non-negative number, got {training_flop!r}")
    return bool(designated) or float(training_flop) > GPAI_THRESHOLD_FLOP


def gpai_obligations(training_flop: float, *, open_source: bool, designated: bool = False,
                     established_in_union: bool = True) -> pd.DataFrame:
    """Which Chapter V obligations apply to a general-purpose AI model's provider, and why.

    ``open_source``: released under a free and open-source licence with weights, architecture
    and usage information public (Art. 53(2)). Returns one row per point of
    :data:`GPAI_OBLIGATIONS` (index), with ``obligation``, ``applies`` (bool) and ``reason``.
    Rules: 53(1)(c) and (d) always apply; 53(1)(a) and (b) and Art. 54 (for providers outside
    the Union) do not apply to open-source models without systemic risk; Art. 52 applies when
    the compute exceeds the threshold; Art. 55 to models with systemic risk, open or not.
    A teaching simplification, not legal advice (is it a *general-purpose* model at all? is it
    *placed on the market*? Those questions come first).
    """
    systemic = is_systemic_risk(training_flop, designated=designated)
    exempt = bool(open_source) and not systemic
    rows = {}
    for point, text in GPAI_OBLIGATIONS.items():
        if point == "52":
            applies = float(training_flop) > GPAI_THRESHOLD_FLOP
            reason = "compute above 10^25 FLOP" if applies else "compute at or below 10^25 FLOP"
        elif point in ("53(1)(a)", "53(1)(b)"):
            applies = not exempt
            reason = ("open-source exception (Art. 53(2))" if exempt else
                      "systemic risk: no open-source exception" if open_source else "every provider")
        elif point.startswith("53"):
            applies, reason = True, "every provider, open source or not"
        elif point == "54":
            applies = not established_in_union and not exempt
            reason = ("provider established in the Union" if established_in_union else
                      "open-source exception (Art. 54(6))" if exempt else "provider outside the Union")
        else:
            applies = systemic
            reason = ("designated by the Commission" if designated else "presumed: compute above 10^25 FLOP"
                      ) if systemic else "no systemic risk"
        rows[point] = {"obligation": text, "applies": bool(applies), "reason": reason}
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("article")


def kit_assistant_card() -> dict:
    """The kit assistant's model card (``raikit/cards/kit-assistant.model_card.yaml``) as a dict."""
    import yaml

    return yaml.safe_load(CARD_PATH.read_text(encoding="utf-8"))


def _load_card(card: Mapping[str, Any] | None) -> dict:
    return dict(card) if card is not None else kit_assistant_card()


def _load_training(training: Mapping[str, Any] | None) -> dict:
    if training is not None:
        return dict(training)
    import json

    return json.loads((models.ASSISTANT_DIR / "training.json").read_text(encoding="utf-8"))


def kit_assistant_compute(training: Mapping[str, Any] | None = None) -> dict[str, float]:
    """The kit assistant's training compute from its training record (``training.json`` by default).

    Tokens processed = corpus tokens x passes, where passes = steps x batch size / conversations
    (padding not counted); FLOPs = :func:`training_flops`; ``share_of_threshold`` = FLOPs / 10^25.
    """
    info = _load_training(training)
    config = info["config"]
    passes = config["steps"] * config["batch_size"] / info["n_conversations"]
    tokens = info["n_tokens"] * passes
    flops = training_flops(info["n_parameters"], tokens)
    return {"n_parameters": float(info["n_parameters"]), "passes": float(passes), "tokens_processed": float(tokens),
            "training_flop": flops, "share_of_threshold": flops / GPAI_THRESHOLD_FLOP,
            "training_seconds": float(info.get("seconds", float("nan")))}


def annex_xi_draft(card: Mapping[str, Any] | None = None, training: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """A first draft of the Annex XI (Section 1) documentation items for the kit assistant.

    Filled from its model card (``raikit/cards/kit-assistant.model_card.yaml``) and training
    record; one row per Annex XI point: ``item``, ``draft`` (the text) and ``from`` (where it
    came from, or ``"MISSING"`` when neither file holds it, which is itself a finding).
    """
    card, info = _load_card(card), _load_training(training)
    compute = kit_assistant_compute(info)
    openness = card.get("openness", {})
    data_rows = card.get("training_data", [{}])
    kwh = compute["training_seconds"] / 3600 * 0.03  # 2 busy CPU cores: about 30 W, a stated assumption
    rows = [
        ("1(a)", "tasks and AI systems it can be integrated into", card.get("intended_use", ""), "card: intended_use"),
        ("1(b)", "acceptable use policies", " ".join(card.get("out_of_scope_use", [])), "card: out_of_scope_use"),
        ("1(c)", "date of release and methods of distribution",
         f"{card.get('last_updated', '')}; {openness.get('weights', '')}", "card: last_updated, openness"),
        ("1(d)", "architecture and number of parameters",
         f"{card.get('model_type', '')}; {int(card.get('parameters', 0)):,} parameters",
         "card: model_type, parameters"),
        ("1(e)", "modality and format of inputs and outputs",
         "text in, text out: a role-tagged chat (system / user / tool) answered by one assistant turn",
         "card: model_type (chat format from raikit.assistant)"),
        ("1(f)", "licence", card.get("licence", ""), "card: licence"),
        ("2(a)", "technical means to integrate it", openness.get("code", ""), "card: openness.code"),
        ("2(b)", "design specifications and training process",
         ", ".join(f"{k}={v}" for k, v in info["config"].items()), "training.json: config"),
        ("2(c)", "data used for training, testing and validation",
         f"{data_rows[0].get('name', '')}: {data_rows[0].get('description', '')} Licence: "
         f"{data_rows[0].get('licence', '')}.", "card: training_data"),
        ("2(d)", "computational resources and training time",
         f"about {compute['training_flop']:.1e} FLOP (6 N D: N = {compute['n_parameters']:,.0f}, D = "
         f"{compute['tokens_processed']:,.0f} tokens over {compute['passes']:.1f} passes); "
         f"{compute['training_seconds'] / 60:.1f} minutes on CPU", "training.json: n_tokens, config, seconds"),
        ("2(e)", "known or estimated energy consumption",
         f"not measured; estimated from compute and time: about {kwh:.3f} kWh (assuming 30 W for 2 CPU cores)",
         "MISSING (estimated here from training.json)"),
    ]
    return pd.DataFrame(rows, columns=["point", "item", "draft", "from"]).set_index("point")


ART55_EVIDENCE = {  # Art. 55(1) point -> what this course measures that such an obligation would call for
    "55(1)(a)": ("module 13: hallucination against fact frequency, confidence calibration and abstention, "
                 "prompt sensitivity; module 14: jailbreak and injection attack success rates with intervals "
                 "(adversarial testing); module 07: end-to-end indirect injection"),
    "55(1)(b)": ("module 14: guards and their false-refusal cost, the role-separated variant; module 07: screening "
                 "retrieved documents and what it costs"),
    "55(1)(c)": "no module: an incident log and a reporting route are organisational (NIST AI RMF MANAGE 4)",
    "55(1)(d)": ("partly module 14 (provenance, watermark robustness); protecting weights and infrastructure is "
                 "outside the course"),
}
