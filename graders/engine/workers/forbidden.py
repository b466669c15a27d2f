"""Helpers an assignment forbids in answers: refused when the student's own code calls them.

Many questions say "do not call raikit.efficiency's latency_summary: rebuilding it is the
exercise". A hidden test cannot tell such an answer from a rebuilt one (it returns the same
numbers), so the rule is enforced where the answer runs: the source notebook lists the helpers
in its metadata (``metadata.raikit.forbidden``: ``"module.name"`` for a function or class,
or ``"module.*"`` for every public function, not class, of a module), the grader sends that
list to the student worker before any cell runs, and :func:`install` replaces each one by a
guard. The guard raises
``PermissionError`` ("... is not allowed in this assignment") when

- student code is running (an answer cell, a cell the student added, or a test's call into
  one of the student's functions: the worker switches :data:`STUDENT` on for those), and
- its immediate caller is not library code (so an allowed helper may still use a forbidden one
  internally, and the instructor's provided cells may call anything).

This is a rule check, not a security boundary: the test worker runs in another process and is
unaffected, and a student who works around it on purpose (reloading the module) is left to the
instructor, like copying the kit's source.
"""

from __future__ import annotations

import importlib
import os
import sys

STUDENT = [False]  # True while the student's own code runs (set by workers/student.py)


def _library_prefixes() -> tuple[str, ...]:
    here = os.path.dirname(os.path.abspath(__file__))
    kit = os.path.dirname(os.path.dirname(os.path.dirname(here)))  # the folder that holds graders/ and raikit/
    paths = {sys.prefix, sys.base_prefix, sys.exec_prefix, os.path.join(kit, "raikit"), os.path.join(kit, "graders")}
    return tuple(os.path.join(os.path.abspath(p), "") for p in paths if p)


def _guard(original, shown: str, library: tuple[str, ...]):
    def guarded(*args, **kwargs):
        if STUDENT[0]:
            caller = os.path.abspath(sys._getframe(1).f_code.co_filename)
            if not caller.startswith(library):
                raise PermissionError(f"{shown} is not allowed in this assignment: the question asks you to "
                                      "write this yourself (see the rules at the top of the notebook).")
        return original(*args, **kwargs)

    for attribute in ("__name__", "__qualname__", "__doc__", "__module__"):
        try:
            setattr(guarded, attribute, getattr(original, attribute))
        except (AttributeError, TypeError):
            pass
    return guarded


def install(names: list[str]) -> list[str]:
    """Guard every listed helper; returns the names that could not be found (the grader logs them)."""
    library = _library_prefixes()
    missing = []
    for full in names:
        module_name, _, attribute = str(full).rpartition(".")
        try:
            module = importlib.import_module(module_name)
        except Exception:  # noqa: BLE001 - a module that does not import cannot be called either
            missing.append(full)
            continue
        if attribute == "*":  # every public function the package itself defines (not numpy's; name classes one by one)
            package = module.__name__.split(".")[0]
            targets = [a for a in dir(module) if not a.startswith("_") and callable(getattr(module, a, None))
                       and not isinstance(getattr(module, a), type)
                       and str(getattr(getattr(module, a), "__module__", "")).split(".")[0] == package]
        else:
            targets = [attribute] if callable(getattr(module, attribute, None)) else []
            if not targets:
                missing.append(full)
        for target in targets:
            setattr(module, target, _guard(getattr(module, target), f"{module_name}.{target}", library))
    return missing
