"""Measuring what a model costs: latency, throughput, memory, FLOPs, size, energy and carbon.

Module 10 uses these helpers. Three habits are built in:

- **Timings are noisy** (other programs, CPU frequency changes, caches), above all on a
  shared machine. :func:`time_call` runs warm-up calls first and then times every repeat
  separately; :func:`latency_summary` reports the median and the spread (IQR, p95), never
  one number. :func:`compare_latency` interleaves the candidates run by run, so a burst of
  load from another program hits all of them alike.
- **Memory of a PyTorch model is not Python memory.** ``tracemalloc`` sees only what Python's
  allocator hands out; PyTorch allocates tensors in C++ and is invisible to it. The helpers
  read the process's resident set size (RSS) instead: :func:`rss_megabytes` now, and
  :func:`peak_rss_delta_mb` while a call runs (sampled in a thread).
- **FLOPs have two sources that should agree**: an analytic count from the architecture
  (:func:`encoder_flops`) and PyTorch's own counter (:func:`measure_flops`,
  ``torch.utils.flop_counter.FlopCounterMode``). Both count one multiply-add as 2 FLOPs.

Energy and carbon (:func:`energy_kwh`, :func:`carbon_grams`, :data:`GRID_INTENSITY_G_PER_KWH`)
are *estimates* from stated assumptions (power draw, utilisation, PUE, grid intensity), not
measurements. ``torch`` is imported inside the functions that need it.
"""

from __future__ import annotations

import copy
import os
import platform
import resource
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np

# Annual average carbon intensity of electricity generation in 2023, gCO2e per kWh, rounded
# (lifecycle emissions; Ember's yearly electricity data, as published by Our World in Data
# and Statista). Real intensities change by the hour and by the year: use current local data
# (e.g. your grid operator or Electricity Maps) for a real estimate.
GRID_INTENSITY_G_PER_KWH: dict[str, float] = {
    "Sweden": 41.0,
    "France": 56.0,
    "Brazil": 98.0,
    "Germany": 381.0,
    "World average": 481.0,
    "China": 582.0,
    "Poland": 662.0,
    "India": 713.0,
}

# Power usage effectiveness: total facility energy / energy used by the computers.
PUE_TYPICAL = {
    "laptop or desktop (no data centre)": 1.0,
    "large cloud data centre": 1.1,  # hyperscale operators report about 1.1
    "average data centre": 1.6,  # industry surveys report about 1.5-1.6
}

JOULES_PER_KWH = 3.6e6
MIN_REPEATS = 5  # by default, time_call and compare_latency never stop earlier than this, whatever the budget


# ---------------------------------------------------------------- timing


def time_call(fn: Callable[[], object], *, repeats: int = 20, warmup: int = 3,
              max_seconds: float | None = None, min_repeats: int = MIN_REPEATS) -> np.ndarray:
    """Seconds taken by each of ``repeats`` calls of ``fn()``, after ``warmup`` untimed calls.

    Warm-up calls absorb one-off costs (lazy initialisation, memory allocation, caches) that
    a long-running service pays once, not per request. Returns a float array in call order
    (``time.perf_counter``, a monotonic high-resolution clock). With ``max_seconds``, timing
    stops early once the timed calls add up to that budget (but never before ``min_repeats``
    calls), so a lesson stays short on a slow or busy machine; the array is then shorter than
    ``repeats``.
    """
    if repeats < 1 or warmup < 0:
        raise ValueError("need repeats >= 1 and warmup >= 0")
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
        if _over_budget(times, max_seconds, min_repeats):
            break
    return np.array(times)


def _over_budget(times: list[float], max_seconds: float | None, min_repeats: int) -> bool:
    return max_seconds is not None and len(times) >= min_repeats and sum(times) >= max_seconds


def compare_latency(fns: Mapping[str, Callable[[], object]], *, repeats: int = 20, warmup: int = 3,
                    max_seconds: float | None = None, min_repeats: int = MIN_REPEATS) -> dict[str, np.ndarray]:
    """Time several candidates *interleaved*: run 1 of each, then run 2 of each, and so on.

    Timing A fully and then B fully lets a change in machine load (another program starting)
    masquerade as a difference between A and B; interleaving spreads it over both. Returns
    ``{name: seconds per call}`` like :func:`time_call` (every array has the same length;
    ``max_seconds`` budgets the timed calls of all candidates together).
    """
    if repeats < 1 or warmup < 0:
        raise ValueError("need repeats >= 1 and warmup >= 0")
    for _ in range(warmup):
        for fn in fns.values():
            fn()
    times: dict[str, list[float]] = {name: [] for name in fns}
    spent: list[float] = []
    for _ in range(repeats):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
        spent.append(sum(t[-1] for t in times.values()))
        if _over_budget(spent, max_seconds, min_repeats):
            break
    return {name: np.array(values) for name, values in times.items()}


def latency_summary(times) -> dict[str, float]:
    """Median and spread of repeated timings (any unit; the result uses the same unit).

    Keys: ``n``, ``median``, ``p25``, ``p75``, ``iqr`` (p75 - p25), ``p95``, ``mean``, ``min``.
    Percentiles use NumPy's default (linear interpolation between order statistics).
    The median and IQR resist the occasional slow outlier that a busy machine produces; p95
    describes the slow tail that users of a service feel.
    """
    values = np.asarray(times, dtype=float).ravel()
    if values.size == 0:
        raise ValueError("no timings to summarise")
    p25, median, p75, p95 = np.percentile(values, [25, 50, 75, 95])
    return {"n": int(values.size), "median": float(median), "p25": float(p25), "p75": float(p75),
            "iqr": float(p75 - p25), "p95": float(p95), "mean": float(values.mean()), "min": float(values.min())}


def machine_summary() -> dict[str, object]:
    """What the timings were measured on: report it next to every number."""
    import torch

    processor = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text(errors="replace").splitlines():
            if line.startswith("model name"):
                processor = line.split(":", 1)[1].strip()
                break
    return {"python": sys.version.split()[0], "torch": torch.__version__, "processor": processor,
            "logical CPUs": os.cpu_count(), "torch threads": torch.get_num_threads(),
            "CUDA GPU": torch.cuda.is_available()}


# ---------------------------------------------------------------- memory


def rss_megabytes() -> float:
    """The process's resident set size now (memory pages held in RAM), in MB (10^6 bytes).

    Uses ``psutil`` when installed, else ``/proc/self/statm`` (Linux), else the peak RSS from
    ``resource.getrusage`` (a high-water mark, which never goes down).
    """
    try:
        import psutil

        return psutil.Process().memory_info().rss / 1e6
    except ImportError:
        pass
    statm = Path("/proc/self/statm")
    if statm.is_file():
        return int(statm.read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6
    return peak_rss_megabytes()


def peak_rss_megabytes() -> float:
    """The highest RSS this process has reached so far, in MB (``resource.getrusage``)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1e6 if sys.platform == "darwin" else peak * 1024 / 1e6  # bytes on macOS, KiB on Linux


def peak_rss_delta_mb(fn: Callable[[], object], *, interval: float = 0.001) -> tuple[object, float]:
    """Run ``fn()`` and return ``(its result, peak RSS during the call - RSS before, in MB)``.

    A thread samples the RSS every ``interval`` seconds while ``fn`` runs (PyTorch releases
    Python's global lock inside its operators, so the sampler keeps running). Memory that
    ``fn`` frees and the allocator keeps for reuse is counted once; a second call may show a
    smaller delta because it reuses it. Treat the result as an estimate, good to a few MB.
    """
    before = rss_megabytes()
    peak = [before]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], rss_megabytes())
            done.wait(interval)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        result = fn()
    finally:
        done.set()
        sampler.join()
    peak[0] = max(peak[0], rss_megabytes())
    return result, peak[0] - before


# ---------------------------------------------------------------- parameters, size, FLOPs


def parameter_count(model, *, trainable_only: bool = False) -> int:
    """Number of parameters (weights and biases) of a ``torch.nn.Module``.

    For a quantized model, packed int8 weights are not ``nn.Parameter`` objects and are not
    counted: count the float model instead.
    """
    return int(sum(p.numel() for p in model.parameters() if p.requires_grad or not trainable_only))


def parameter_breakdown(model) -> dict[str, int]:
    """Parameters per top-level part of a model (for BERT: embeddings, encoder, pooler)."""
    return {name: parameter_count(child) for name, child in model.named_children()}


def serialized_megabytes(model) -> float:
    """Size in MB (10^6 bytes) of the file ``torch.save(model.state_dict(), path)`` writes.

    This is the size on disk of the weights in PyTorch's format (quantized models included).
    """
    import torch

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "weights.pt"
        torch.save(model.state_dict(), path)
        return path.stat().st_size / 1e6


def encoder_flops(layers: int, hidden: int, intermediate: int, seq_len: int, batch_size: int = 1) -> dict[str, int]:
    """Analytic FLOPs of the matrix multiplications in one forward pass of a BERT-style encoder.

    A multiply-add counts as 2 FLOPs, so multiplying an ``(m, k)`` by a ``(k, n)`` matrix
    costs ``2*m*k*n``. Per layer and per token, the linear layers hold ``4*h*h`` weights
    (query, key, value, output projections) plus ``2*h*f`` (the feed-forward block), each used
    once per token; per layer and per sequence, attention computes ``Q K^T`` and
    ``softmax(...) V``, each ``2*n*n*h``. Embedding look-ups, biases, LayerNorm, softmax,
    GELU and the pooler are left out (they are a small share for short inputs). Returns
    ``{"linear", "attention", "total"}``.
    """
    tokens = batch_size * seq_len
    linear = 2 * tokens * (4 * hidden * hidden + 2 * hidden * intermediate) * layers
    attention = 2 * 2 * batch_size * seq_len * seq_len * hidden * layers
    return {"linear": int(linear), "attention": int(attention), "total": int(linear + attention)}


def measure_flops(model, inputs: Mapping[str, object]) -> dict[str, int]:
    """FLOPs that ``torch.utils.flop_counter.FlopCounterMode`` counts in ``model(**inputs)``.

    Returns ``{operator name: FLOPs, ..., "total": FLOPs}``. The counter knows matrix
    products (``addmm``, ``bmm``, ...) and some fused kernels; an operator it has no formula
    for (on CPU, for instance, PyTorch's fused scaled-dot-product attention) counts as 0, so
    compare with :func:`encoder_flops` on a model using plain ("eager") attention.
    """
    import torch
    from torch.utils.flop_counter import FlopCounterMode

    counter = FlopCounterMode(display=False)
    with torch.inference_mode(), counter:
        model(**inputs)
    counts = {str(op).removeprefix("aten."): int(n) for op, n in counter.get_flop_counts()["Global"].items()}
    counts["total"] = int(counter.get_total_flops())
    return counts


# ---------------------------------------------------------------- quantization


def quantize_int8(model, *, per_channel: bool = False):
    """An int8 dynamically quantized *copy* of ``model`` (the original is left untouched).

    ``torch.ao.quantization.quantize_dynamic`` replaces every ``nn.Linear`` by a version whose
    weights are stored as int8 with a scale (one per matrix, or one per output row with
    ``per_channel=True``); activations are quantized on the fly, batch by batch, and matrix
    products run in integer arithmetic on the CPU (fbgemm/x86 or qnnpack/ARM kernels).
    Embedding tables, LayerNorm and everything else stay float32. PyTorch 2.x warns that this
    API is deprecated in favour of the ``torchao`` package; the warnings are not silenced.
    """
    import torch
    from torch.ao.quantization import default_dynamic_qconfig, per_channel_dynamic_qconfig, quantize_dynamic

    qconfig = per_channel_dynamic_qconfig if per_channel else default_dynamic_qconfig
    quantized = quantize_dynamic(copy.deepcopy(model), {torch.nn.Linear: qconfig}, dtype=torch.qint8)
    return quantized.eval()


# ---------------------------------------------------------------- energy and carbon


def energy_kwh(seconds: float, power_watts: float, *, utilisation: float = 1.0, pue: float = 1.0) -> float:
    """Estimated electricity in kWh: ``seconds * power_watts * utilisation * pue / 3.6e6``.

    ``power_watts`` is the draw of the hardware at full load (an assumption: a datasheet TDP or
    a measured value), ``utilisation`` the share of it the work uses (0-1), and ``pue`` the
    data centre's overhead factor (1.0 for a laptop). One kWh is 3.6 million joules.
    """
    if min(seconds, power_watts, utilisation) < 0 or pue < 1:
        raise ValueError("seconds, power and utilisation must be >= 0 and pue >= 1")
    return seconds * power_watts * utilisation * pue / JOULES_PER_KWH


def carbon_grams(kwh: float, grid_g_per_kwh: float) -> float:
    """Estimated emissions in grams CO2e: energy times the grid's carbon intensity."""
    if kwh < 0 or grid_g_per_kwh < 0:
        raise ValueError("energy and intensity must be >= 0")
    return kwh * grid_g_per_kwh
