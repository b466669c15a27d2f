"""One environment: requirements.txt (pip) and environment.yml (conda) carry the same pins."""

from __future__ import annotations

import re

from conftest import ROOT

CONDA_TO_PIP = {"pytorch-cpu": "torch"}  # conda-forge names that differ from PyPI's


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pip_pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, version = line.split("==")
            pins[_norm(name)] = version
    return pins


def conda_pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "environment.yml").read_text().splitlines():
        match = re.match(r"^\s*-\s+([A-Za-z0-9_.-]+)\s*(==|=)\s*([0-9][^\s#]*)", line)
        if match and match.group(1) != "python":
            name = CONDA_TO_PIP.get(match.group(1), match.group(1))
            pins[_norm(name)] = match.group(3)
    return pins


def test_pip_and_conda_pins_agree():
    assert pip_pins() == conda_pins()


def test_every_requirement_is_pinned_exactly():
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        assert not line or re.fullmatch(r"[A-Za-z0-9_.-]+==[0-9][0-9A-Za-z.+]*", line), line


def test_torch_is_the_cpu_build():
    import torch

    assert "+cpu" in torch.__version__ or not torch.version.cuda, f"CUDA build of torch installed: {torch.__version__}"


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in readme and "make test" in ci
