"""raikit.efficiency: timings are organised as documented, FLOP and parameter counts match PyTorch."""

from __future__ import annotations

import time

import numpy as np
import pytest
import torch
from transformers import BertConfig, BertModel

from raikit import efficiency, models


def tiny_bert(pooler: bool = True, attention: str = "eager") -> BertModel:
    config = BertConfig(vocab_size=101, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                        intermediate_size=48, max_position_embeddings=40, type_vocab_size=2)
    config._attn_implementation = attention
    torch.manual_seed(0)
    return BertModel(config, add_pooling_layer=pooler).eval()


def test_latency_summary_matches_numpy_percentiles():
    times = [5.0, 1.0, 3.0, 2.0, 4.0, 100.0]
    summary = efficiency.latency_summary(times)
    p25, p50, p75, p95 = np.percentile(times, [25, 50, 75, 95])
    assert summary["n"] == 6 and summary["median"] == pytest.approx(p50)
    assert summary["iqr"] == pytest.approx(p75 - p25) and summary["p95"] == pytest.approx(p95)
    assert summary["mean"] == pytest.approx(np.mean(times)) and summary["min"] == 1.0
    with pytest.raises(ValueError):
        efficiency.latency_summary([])


def test_time_call_runs_warmup_untimed_then_repeats():
    calls = []
    times = efficiency.time_call(lambda: calls.append(1), repeats=7, warmup=3)
    assert len(calls) == 10 and times.shape == (7,) and (times >= 0).all()


def test_time_call_budget_stops_early_but_not_before_min_repeats():
    times = efficiency.time_call(lambda: time.sleep(0.002), repeats=50, warmup=0, max_seconds=0.001)
    assert len(times) == efficiency.MIN_REPEATS
    assert len(efficiency.time_call(lambda: None, repeats=12, warmup=0, max_seconds=10.0)) == 12
    assert len(efficiency.time_call(lambda: time.sleep(0.002), repeats=50, warmup=0, max_seconds=0.001,
                                    min_repeats=8)) == 8
    slow = efficiency.compare_latency({"a": lambda: time.sleep(0.002), "b": lambda: None}, repeats=30, warmup=0,
                                      max_seconds=0.001)
    assert [len(v) for v in slow.values()] == [efficiency.MIN_REPEATS] * 2


def test_compare_latency_interleaves_candidates():
    order = []
    result = efficiency.compare_latency({"a": lambda: order.append("a"), "b": lambda: order.append("b")},
                                        repeats=3, warmup=1)
    assert order == ["a", "b"] * 4
    assert set(result) == {"a", "b"} and all(v.shape == (3,) for v in result.values())


@pytest.mark.parametrize("batch_size, seq_len", [(1, 7), (3, 10)])
def test_encoder_flops_equals_pytorch_flop_counter_with_eager_attention(batch_size, seq_len):
    model = tiny_bert(pooler=False)
    inputs = {"input_ids": torch.randint(0, 101, (batch_size, seq_len))}
    counted = efficiency.measure_flops(model, inputs)
    analytic = efficiency.encoder_flops(2, 32, 48, seq_len, batch_size)
    assert counted["addmm"] == analytic["linear"]
    assert counted["bmm"] == analytic["attention"]
    assert counted["total"] == analytic["total"]


def test_fused_attention_is_invisible_to_the_flop_counter():
    inputs = {"input_ids": torch.randint(0, 101, (2, 9))}
    counted = efficiency.measure_flops(tiny_bert(pooler=False, attention="sdpa"), inputs)
    assert counted["total"] == efficiency.encoder_flops(2, 32, 48, 9, 2)["linear"]


def test_parameter_count_and_breakdown_match_the_architecture():
    d, f, v, p, t, layers = 32, 48, 101, 40, 2, 2
    embeddings = (v + p + t) * d + 2 * d
    layer = 4 * (d * d + d) + 2 * d + (d * f + f) + (f * d + d) + 2 * d
    model = tiny_bert()
    assert efficiency.parameter_count(model) == embeddings + layers * layer + d * d + d
    assert efficiency.parameter_breakdown(model) == {"embeddings": embeddings, "encoder": layers * layer,
                                                     "pooler": d * d + d}
    for parameter in model.embeddings.parameters():
        parameter.requires_grad = False
    assert efficiency.parameter_count(model, trainable_only=True) == layers * layer + d * d + d


def test_quantize_int8_returns_a_smaller_copy_and_leaves_the_original():
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(256, 256), torch.nn.ReLU(), torch.nn.Linear(256, 8)).eval()
    quantized = efficiency.quantize_int8(net)
    per_channel = efficiency.quantize_int8(net, per_channel=True)
    assert type(net[0]) is torch.nn.Linear
    assert type(quantized[0]) is torch.ao.nn.quantized.dynamic.Linear
    assert "per_channel" in str(per_channel[0].weight().qscheme())
    x = torch.randn(4, 256)
    with torch.no_grad():
        assert torch.allclose(quantized(x), net(x), atol=0.05)
    assert efficiency.serialized_megabytes(quantized) < 0.4 * efficiency.serialized_megabytes(net)


def test_memory_helpers_see_a_large_allocation():
    assert efficiency.rss_megabytes() > 1 and efficiency.peak_rss_megabytes() > 1

    def allocate():
        block = np.ones(25_000_000)  # 200 MB, touched, so it is resident
        return float(block[-1])

    result, delta = efficiency.peak_rss_delta_mb(allocate)
    assert result == 1.0 and delta > 120


def test_energy_and_carbon_arithmetic():
    assert efficiency.energy_kwh(3600, 1000) == pytest.approx(1.0)
    assert efficiency.energy_kwh(7200, 50, utilisation=0.5, pue=1.5) == pytest.approx(0.075)
    assert efficiency.carbon_grams(0.075, 400) == pytest.approx(30.0)
    with pytest.raises(ValueError):
        efficiency.energy_kwh(10, 10, pue=0.9)
    assert all(v > 0 for v in efficiency.GRID_INTENSITY_G_PER_KWH.values())


def test_embed_with_a_quantized_copy_of_the_embedder():
    texts = ["The battery lasts all day.", "It broke after a week.", "Fine value for the price."]
    default = models.embed(texts)
    np.testing.assert_allclose(models.embed(texts, model=models.load_model("embedder")), default, atol=1e-6)
    quantized = models.embed(texts, model=efficiency.quantize_int8(models.load_model("embedder")))
    assert quantized.shape == default.shape
    cosines = np.sum(quantized * default, axis=1)
    assert (cosines > 0.8).all() and (cosines < 0.9999).all()
    assert type(models.load_model("embedder").encoder.layer[0].attention.self.query) is torch.nn.Linear
