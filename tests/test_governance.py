"""raikit.governance: the module 12 data, its documented properties, and the system-card helpers."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from raikit import data, governance, legal

# The kit's rubric, written out here as an independent check of what the datasheet claims
# (the kit ships no tiering function: writing it is the module 12 assignment).
ALWAYS_PROHIBITED = {"manipulation", "exploits_vulnerabilities", "social_scoring", "crime_prediction_profiling",
                     "face_scraping", "sensitive_biometric_categorisation"}


def rubric_tier(s: dict) -> str:
    practice = s["practice"]
    if (practice in ALWAYS_PROHIBITED
            or (practice == "emotion_recognition" and s["setting"] in ("workplace", "education"))
            or (practice == "remote_biometric_identification" and s["realtime"] and s["setting"] == "public_space"
                and s["deployer"] == "law_enforcement")):
        return "prohibited"
    if s["annex_i_product"] or (s["annex_iii_area"] != "none"
                                and (s["profiles_people"] or s["decision_role"] in ("decides", "recommends"))):
        return "high"
    if s["interacts_with_people"] or s["generates_synthetic_content"]:
        return "limited"
    return "minimal"


def test_systems_load_with_booleans_and_known_vocabulary():
    systems = governance.load_systems()
    assert len(systems) == 30 and systems["system_id"].is_unique
    for column in (*governance.BOOLEAN_ATTRIBUTES, "transparency_obligation"):
        assert systems[column].map(type).eq(bool).all(), column
    records = governance.system_records(systems)
    assert governance.check_vocabulary(records) == []
    assert all(type(r["profiles_people"]) is bool and type(r["name"]) is str for r in records)
    assert systems["tier"].value_counts().to_dict() == {"high": 13, "prohibited": 7, "limited": 5, "minimal": 5}


def test_datasheet_claims_about_the_rubric_hold():
    records = governance.system_records()
    misses = [r["system_id"] for r in records if rubric_tier(r) != r["tier"]]
    assert misses == ["S05", "S12"], "the datasheet documents exactly two hard cases"
    limited = [r for r in records if r["tier"] == "limited"]
    assert all(r["transparency_obligation"] for r in limited)
    assert {r["annex_iii_area"] for r in records} == set(governance.ANNEX_III_AREAS)


def test_check_vocabulary_reports_bad_values():
    record = dict(governance.system_records()[0])
    record["practice"] = "mind_reading"
    record["realtime"] = "yes"
    del record["setting"]
    problems = governance.check_vocabulary([record])
    assert len(problems) == 3 and any("mind_reading" in p for p in problems)


def test_controls_and_mapping_agreement():
    controls = governance.load_controls()
    assert len(controls) == 28 and controls["control_id"].is_unique
    assignment = governance.load_controls("assignment")
    assert len(assignment) == 20 and assignment["function"].value_counts().eq(5).all()
    assert len(governance.load_controls("lesson")) == 8
    key = governance.acceptable_functions(assignment)
    assert sum(len(v) == 2 for v in key.values()) == 7
    exact = dict(zip(assignment["control_id"], assignment["function"], strict=True))
    assert governance.mapping_agreement(exact, assignment) == 1.0
    alternative = {cid: ok[-1].upper() + " " for cid, ok in key.items()}  # second answers, odd case/spaces
    assert governance.mapping_agreement(alternative, assignment) == 1.0
    wrong = {cid: "measure" for cid in key}
    assert governance.mapping_agreement(wrong, assignment) == pytest.approx(6 / 20)  # 5 + one second answer
    partial = dict(list(exact.items())[:10])  # missing answers count as wrong
    assert governance.mapping_agreement(partial, assignment) == pytest.approx(0.5)
    with pytest.raises(ValueError):
        governance.load_controls("train")


def test_tier_confusion_counts_in_tier_order():
    table = governance.tier_confusion(["high", "high", "minimal"], ["high", "prohibited", "minimal"])
    assert list(table.index) == list(governance.TIERS) and list(table.columns) == list(governance.TIERS)
    assert table.loc["high", "high"] == 1 and table.loc["high", "prohibited"] == 1 and table.to_numpy().sum() == 3
    with pytest.raises(ValueError):
        governance.tier_confusion(["high"], ["very high"])
    with pytest.raises(ValueError):
        governance.tier_confusion(["high"], [])


def _card() -> dict:
    card = {name: f"some {name}" for name in governance.SYSTEM_CARD_FIELDS}
    card["risk_tier"] = "high"
    card["evaluation"] = {"accuracy": 0.8, "n": np.int64(300), "ece": np.float64(0.02)}
    return card


def test_validate_and_render_system_card():
    card = _card()
    assert governance.validate_system_card(card) == []
    text = governance.render_system_card(card)
    assert text.startswith("### System card: some system_name") and "| accuracy | 0.800 |" in text
    bad = dict(card, risk_tier="medium", limitations="  ", extra="x")
    bad["evaluation"] = {"accuracy": True, "gap": float("nan")}
    del bad["provider"]
    problems = governance.validate_system_card(bad)
    assert any("missing field 'provider'" in p for p in problems)
    assert any("unknown field 'extra'" in p for p in problems)
    assert any("'limitations'" in p for p in problems)
    assert any("medium" in p for p in problems)
    assert sum("evaluation[" in p for p in problems) == 2
    assert governance.validate_system_card([]) == ["a system card is a dict, got list"]
    with pytest.raises(ValueError):
        governance.render_system_card(bad)


def test_datasets_are_registered_and_documented():
    for name in ("governance_systems", "governance_controls"):
        assert isinstance(data.load(name), pd.DataFrame)
        assert "## Known limits" in data.datasheet(name)


def test_build_script_reproduces_the_csv_files(tmp_path):
    # run a copy, so the script writes into tmp_path and never touches the shipped files
    script = tmp_path / "build_governance_data.py"
    script.write_text((data.DATA_DIR / "build_governance_data.py").read_text(encoding="utf-8"), encoding="utf-8")
    subprocess.run([sys.executable, str(script)], check=True, capture_output=True)
    for name in ("governance_systems.csv", "governance_controls.csv"):
        assert (tmp_path / name).read_bytes() == (data.DATA_DIR / name).read_bytes(), \
            f"{name} is not what build_governance_data.py writes"


# ---------------------------------------------------------------------------- general-purpose AI models (Chapter V)


def test_training_flops_and_the_systemic_risk_presumption():
    assert governance.training_flops(1e6, 2e6) == 1.2e13
    assert governance.GPAI_THRESHOLD_FLOP == 1e25
    assert not governance.is_systemic_risk(1e25)  # "greater than" 10^25, not "at least"
    assert governance.is_systemic_risk(1.0001e25) and governance.is_systemic_risk(10, designated=True)
    for bad in (-1, float("nan"), "1e25", None):
        with pytest.raises(ValueError):
            governance.training_flops(bad, 1)
        with pytest.raises(ValueError):
            governance.is_systemic_risk(bad)


def _applying(table):
    return [point for point, applies in table["applies"].items() if applies]


def test_gpai_obligations_follow_arts_52_to_55():
    small_open = governance.gpai_obligations(1e20, open_source=True, established_in_union=False)
    assert _applying(small_open) == ["53(1)(c)", "53(1)(d)"]
    small_closed = governance.gpai_obligations(1e20, open_source=False, established_in_union=False)
    assert _applying(small_closed) == ["53(1)(a)", "53(1)(b)", "53(1)(c)", "53(1)(d)", "54"]
    big_open = governance.gpai_obligations(2e25, open_source=True)
    assert _applying(big_open) == ["52", "53(1)(a)", "53(1)(b)", "53(1)(c)", "53(1)(d)",
                                   "55(1)(a)", "55(1)(b)", "55(1)(c)", "55(1)(d)"]
    assert big_open.loc["53(1)(a)", "reason"].startswith("systemic risk")
    designated = governance.gpai_obligations(1e20, open_source=True, designated=True)
    assert not designated.loc["52", "applies"] and designated.loc["55(1)(a)", "applies"]
    assert designated.loc["55(1)(a)", "reason"] == "designated by the Commission"
    assert list(small_open.columns) == ["obligation", "applies", "reason"] and len(small_open) == 10
    assert set(governance.ART55_EVIDENCE) == {p for p in small_open.index if p.startswith("55")}


def test_kit_assistant_compute_and_annex_xi_draft():
    training = {"config": {"steps": 10, "batch_size": 4}, "n_conversations": 20, "n_tokens": 1000,
                "n_parameters": 500, "seconds": 120.0}
    compute = governance.kit_assistant_compute(training)
    assert compute["passes"] == 2.0 and compute["tokens_processed"] == 2000.0
    assert compute["training_flop"] == 6 * 500 * 2000 and compute["share_of_threshold"] == pytest.approx(6e-19)
    card = {"intended_use": "teaching", "out_of_scope_use": ["advice", "products"], "licence": "MIT",
            "model_type": "GPT-2", "parameters": 500, "openness": {"weights": "MIT", "code": "MIT code"},
            "training_data": [{"name": "corpus", "description": "templated.", "licence": "CC BY 4.0"}],
            "last_updated": "2026-01-01"}
    draft = governance.annex_xi_draft(card, training)
    assert list(draft.index) == [i["point"] for i in legal.fact("ai_act.annex_xi_items")["items"]]
    assert draft.loc["1(b)", "draft"] == "advice products" and draft.loc["1(f)", "draft"] == "MIT"
    assert "6.0e+06 FLOP" in draft.loc["2(d)", "draft"] and draft.loc["2(e)", "from"].startswith("MISSING")
    assert governance.kit_assistant_card()["name"] == "raikit kit assistant"
    shipped = governance.kit_assistant_compute()  # the committed training record
    assert 1e11 < shipped["training_flop"] < 1e15 and shipped["share_of_threshold"] < 1e-9
