"""Running a course notebook top to bottom, the one way the kit does it.

:func:`execute_notebook` runs a notebook in a fresh ``python3`` kernel (offline, inline
matplotlib backend so figures become PNG outputs) and raises :class:`LessonError` naming the
lesson and the failing cell. The course site (``coursesite.build``), the lesson tests
(tests/test_lessons.py, tests/test_plotting.py) and the benchmarks all execute lessons with it,
so a lesson that passes the tests is the lesson the site shows.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # nbformat takes about a second to import
    import nbformat

CELL_TIMEOUT = 300  # seconds per cell; the slowest lesson takes well under a minute in total
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"  # Agg would draw nothing into the notebook


class LessonError(RuntimeError):
    """A lesson failed to execute: names the lesson, the cell (number and id) and the reason."""

    def __init__(self, lesson: str, cell_index: int | None, cell_id: str | None, reason: str):
        self.lesson, self.cell_index, self.cell_id, self.reason = lesson, cell_index, cell_id, reason
        where = f"cell {cell_index} (id {cell_id!r})" if cell_index is not None else "kernel start-up"
        super().__init__(f"lesson {lesson} failed in {where}: {reason}")



def execute_notebook(notebook: nbformat.NotebookNode, *, name: str, cwd: Path,
                     timeout: int = CELL_TIMEOUT, threads: int | None = None) -> float:
    """Run ``notebook`` in place in a fresh python3 kernel; return the seconds it took.

    The kernel starts in ``cwd``, offline (HF_HUB_OFFLINE/TRANSFORMERS_OFFLINE default to 1)
    and with the inline matplotlib backend, so figures become PNG outputs. ``threads`` caps the
    kernel's compute threads (OMP/MKL/OpenBLAS), for notebooks run side by side. Raises
    :class:`LessonError` naming ``name`` and the failing cell (error or timeout); the cells run
    until then keep their outputs.
    """
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    current: dict[str, int | str | None] = {"index": None, "id": None}

    def remember(cell, cell_index, **_):
        current.update(index=cell_index, id=cell.get("id"))

    env = {**os.environ, "MPLBACKEND": INLINE_BACKEND}
    if threads:  # several notebooks at once: each kernel's PyTorch/BLAS gets its share of the cores
        env.update({var: str(threads) for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")})
    env.setdefault("HF_HUB_OFFLINE", "1")
    env.setdefault("TRANSFORMERS_OFFLINE", "1")
    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(cwd)}}, on_cell_execute=remember)
    started = time.perf_counter()
    try:
        client.execute(env=env)
    except CellExecutionError as exc:
        reason = f"{exc.ename}: {exc.evalue}" if getattr(exc, "ename", None) else str(exc).strip().splitlines()[-1]
        raise LessonError(name, current["index"], current["id"], reason) from exc
    except CellTimeoutError as exc:
        raise LessonError(name, current["index"], current["id"],
                          f"no result within {timeout} s (raise --cell-timeout if the machine is slow)") from exc
    except DeadKernelError as exc:
        raise LessonError(name, current["index"], current["id"], f"the kernel died ({exc})") from exc
    return time.perf_counter() - started

