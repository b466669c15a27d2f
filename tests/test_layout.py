"""The layout is the architecture: dependencies point one way, folders stay small, the map is true.

ARCHITECTURE.md draws the kit as components with allowed dependencies (command line ->
course operations -> grading engine -> protocol; topic helpers -> foundation). These tests
read every import statement of the kit's own packages (including imports inside functions,
which are still dependencies) and fail on:

- an import cycle between kit modules;
- an import that points the wrong way, e.g. the engine importing the course operations, a
  sandboxed worker importing the grader, or ``raikit`` (which students read) importing ``graders``;
- a package folder with more than MAX_MODULES modules (split it by role instead);
- a map in ARCHITECTURE.md that names a file that does not exist or leaves out a module.
"""

from __future__ import annotations

import ast
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("raikit", "graders", "coursesite")
MAX_MODULES = 16

# Components, most specific prefix first; each module belongs to the first that matches.
COMPONENTS = [
    ("cli", "graders.cli"),
    ("analysis", "graders.mutants"),
    ("demo", "graders.demo"),
    ("reports", "graders.reports"),
    ("operations", "graders.course"),
    ("operations", "graders.collect"),
    ("operations", "graders.roster"),
    ("operations", "graders.lms_import"),
    ("operations", "graders.exchange"),
    ("operations", "graders.pack"),
    ("protocol", "graders.engine.protocol"),
    ("workers", "graders.engine.workers"),
    ("engine", "graders.engine"),
    ("package", "graders"),
    ("coursesite", "coursesite"),
    ("learner", "raikit.learner"),
    ("topics", "raikit.topics"),
    ("data-builders", "raikit.datasets"),
    ("foundation", "raikit"),
]
# Which components each component may import (besides itself). Anything else is a wrong-way edge.
ALLOWED = {
    "cli": {"operations", "reports", "demo", "engine", "coursesite", "package", "analysis"},
    "analysis": {"operations", "demo", "package"},  # mutation analysis grades mutants through the operations
    "demo": {"operations", "reports", "package"},
    "reports": {"operations", "foundation", "package"},
    "operations": {"engine", "package", "learner"},  # `make workspace` is the learner's own copy step
    "engine": {"protocol", "workers", "foundation", "package"},
    "workers": {"protocol", "foundation", "package"},  # what runs inside a sandbox: never the grader itself
    "protocol": set(),
    "package": set(),
    "coursesite": set(),
    "learner": {"foundation"},
    "topics": {"foundation"},
    "data-builders": {"foundation", "topics"},
    "foundation": set(),
}


def component(module: str) -> str:
    for name, prefix in COMPONENTS:
        if module == prefix or module.startswith(prefix + "."):
            return name
    raise AssertionError(f"{module} belongs to no component: add it to COMPONENTS and ARCHITECTURE.md")


def kit_modules() -> dict[str, Path]:
    """Every Python module of the kit's packages, by dotted name."""
    modules = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            modules[name] = path
    return modules


def imports_of(path: Path, name: str, known: set[str]) -> set[str]:
    """Kit modules that ``path`` (module ``name``) imports anywhere in its code."""
    import raikit

    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            # ``from a.b import c``: the module a.b.c if there is one, else a name defined in a.b
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known
                       or f"{base}.{alias.name}" in raikit.SHORT_NAMES else base for alias in node.names]
        else:
            continue
        for target in targets:
            target = raikit.SHORT_NAMES.get(target, target)
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    modules = kit_modules()
    return {name: imports_of(path, name, set(modules)) for name, path in modules.items()}


def test_every_module_belongs_to_a_component(graph):
    for module in graph:
        component(module)


def test_no_import_cycles(graph):
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        for succ in sorted(graph[node]):
            if succ not in index:
                visit(succ)
                low[node] = min(low[node], low[succ])
            elif succ in stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            members = []
            while True:
                member = stack.pop()
                members.append(member)
                if member == node:
                    break
            if len(members) > 1:
                cycles.append(sorted(members))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    assert not cycles, f"import cycles between kit modules: {cycles}"


def test_dependencies_point_one_way(graph):
    wrong = []
    for module, targets in sorted(graph.items()):
        mine = component(module)
        for target in sorted(targets):
            theirs = component(target)
            if theirs != mine and theirs not in ALLOWED[mine]:
                wrong.append(f"{module} ({mine}) imports {target} ({theirs})")
    assert not wrong, "imports against the layering in ARCHITECTURE.md:\n" + "\n".join(wrong)


def test_the_layering_is_itself_acyclic():
    seen: set[str] = set()

    def reach(name: str, path: tuple[str, ...]) -> None:
        assert name not in path, f"ALLOWED has a cycle: {' -> '.join(path + (name,))}"
        if name in seen:
            return
        for succ in ALLOWED[name]:
            reach(succ, path + (name,))
        seen.add(name)

    for name in ALLOWED:
        reach(name, ())


def test_no_package_folder_grows_past_the_limit():
    big = {}
    for package in PACKAGES:
        for init in (ROOT / package).rglob("__init__.py"):
            modules = [p for p in init.parent.glob("*.py") if p.name != "__init__.py"]
            if len(modules) > MAX_MODULES:
                big[str(init.parent.relative_to(ROOT))] = len(modules)
    assert not big, f"split these folders by role (at most {MAX_MODULES} modules each): {big}"


def test_no_kit_module_is_named_like_a_test():
    named = [str(p.relative_to(ROOT)) for p in kit_modules().values()
             if p.name.startswith("test_") or p.stem.endswith("_test")]
    assert not named, f"pytest and readers take these for tests: {named}"


def test_short_module_names_used_by_notebooks_still_import():
    import importlib

    import raikit

    for short, real in raikit.SHORT_NAMES.items():
        assert importlib.import_module(short) is importlib.import_module(real)
    from raikit.calibration import expected_calibration_error

    from raikit import fairness
    from raikit.topics import calibration

    assert fairness is importlib.import_module("raikit.topics.fairness")
    assert expected_calibration_error is calibration.expected_calibration_error
    assert raikit.governance is importlib.import_module("raikit.topics.governance")


# ---------------------------------------------------------------- ARCHITECTURE.md's map


def architecture_map() -> list[str]:
    """Paths named in the fenced map block of ARCHITECTURE.md, expanded from its indentation.

    Each map line is ``<indent><name> [<name>...]  <description>``: names come before the first
    run of two spaces; a name ending in ``/`` opens a folder for the more-indented lines below.
    """
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    block = re.search(r"```text\n(.*?)```", text, re.S)
    assert block, "ARCHITECTURE.md should hold the map in a ```text block"
    paths: list[str] = []
    folders: list[tuple[int, str]] = []  # (indent, folder path)
    for line in block.group(1).splitlines():
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip(" "))
        names = re.split(r" {2,}", line.strip(), maxsplit=1)[0].split()
        while folders and folders[-1][0] >= indent:
            folders.pop()
        parent = folders[-1][1] if folders else ""
        for name in names:
            paths.append(parent + name)
        if len(names) == 1 and names[0].endswith("/"):
            folders.append((indent, parent + names[0]))
    return paths


def tracked_files() -> list[str]:
    listed = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return [line for line in listed.splitlines() if (ROOT / line).exists()]


def test_architecture_map_names_only_files_that_exist():
    files = tracked_files()
    folders = {str(Path(f).parent) + "/" for f in files} | {p + "/" for f in files for p in
                                                             [str(q) for q in Path(f).parents] if p != "."}
    known = set(files) | folders

    def exists(name: str) -> bool:  # a <placeholder> (e.g. source/<NN_slug>/) stands for any name
        pattern = re.escape(name).replace(r"\<", "<").replace(r"\>", ">")
        pattern = re.sub(r"<[^>]*>", "[^/]+", pattern)
        return any(re.fullmatch(pattern, path) for path in known)

    missing = [p for p in architecture_map() if not exists(p)]
    assert not missing, f"ARCHITECTURE.md's map names paths that are not in git: {missing}"


def test_architecture_map_names_every_package_and_module():
    named = set(architecture_map())
    wanted = []
    for path in tracked_files():
        p = Path(path)
        if p.parts[0] in PACKAGES and p.suffix == ".py" and "datasets" not in p.parts:
            if p.name == "__init__.py":
                wanted.append(str(p.parent) + "/")
            else:
                wanted.append(path)
    left_out = sorted(set(wanted) - named)
    assert not left_out, f"ARCHITECTURE.md's map leaves out: {left_out}"
