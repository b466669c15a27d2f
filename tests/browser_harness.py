"""A real JupyterLab server and Debian's Chromium, for the browser tests (tests/test_browser.py).

The server runs from a scratch copy of the kit (a lesson, one assignment's source and its
release, the kit's ``nbgrader_config.py``), so the learner's ``my-work/`` and the real
course's gradebook are never touched. nbgrader's server extensions (Validate, formgrader)
read ``nbgrader_config.py`` from the server's working directory, whose relative course
root ``assignments`` then names the scratch course. Everything runs offline: JupyterLab's
news feed, update check and PyPI extension manager are switched off.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psutil
from conftest import ARTIFACTS, ROOT
from nbgrader_harness import ops, solution_submission

SHOTS = ARTIFACTS / "browser"  # screenshots and, on failure, server logs
CHROMIUM_NAMES = ("chromium", "chromium-browser")  # Debian's package installs /usr/bin/chromium
INSTALL_HINT = "install Debian's chromium: apt-get install chromium"
SERVER_START_TIMEOUT = 90  # seconds; importing JupyterLab and its extensions on a busy 2-core machine


def chromium_path() -> str | None:
    """Path of Debian's Chromium binary, or None if it is not installed."""
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def launch_chromium(playwright):
    """Start Debian's headless Chromium under Playwright (Playwright's own browser download is
    not used: nothing may need the network at run time)."""
    path = chromium_path()
    if path is None:
        raise RuntimeError(f"Chromium not found on PATH (looked for {', '.join(CHROMIUM_NAMES)}): {INSTALL_HINT}")
    # Chromium refuses to run as root with its own sandbox; CI containers run as root.
    args = ["--no-sandbox"] if os.geteuid() == 0 else []
    return playwright.chromium.launch(executable_path=path, headless=True, args=args)


def free_port() -> int:
    """A TCP port on loopback that is free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Site:
    """The scratch copy the server serves: paths relative to ``root`` as JupyterLab names them."""

    root: Path
    lesson: str            # e.g. lessons/00_orientation.ipynb
    assignment: str        # e.g. 02_calibration
    released: str          # the untouched student version, as a learner gets it in my-work/
    solved: str            # the student version with the instructor's answers filled in

    @property
    def course(self) -> Path:
        return self.root / "assignments"


def build_site(root: Path, lesson: str, assignment: str) -> Site:
    """Copy a lesson and one assignment into ``root``, release the assignment into the scratch
    course, and give a learner two copies of it: untouched and solved."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "nbgrader_config.py", root / "nbgrader_config.py")
    (root / "lessons").mkdir()
    shutil.copy2(ROOT / "lessons" / lesson, root / "lessons" / lesson)
    source = root / "assignments" / "source" / assignment
    shutil.copytree(ROOT / "assignments" / "source" / assignment, source)
    ops.release([assignment], root / "assignments", quiet=True)
    notebook = f"{assignment}.ipynb"
    released = root / "my-work" / assignment / notebook
    released.parent.mkdir(parents=True)
    shutil.copy2(root / "assignments" / "release" / assignment / notebook, released)
    solved = root / "my-work-solved" / assignment / notebook
    solution_submission(source / notebook, released, solved)
    return Site(root=root, lesson=f"lessons/{lesson}", assignment=assignment,
                released=released.relative_to(root).as_posix(), solved=solved.relative_to(root).as_posix())


def _lab_settings(settings_dir: Path) -> None:
    """User settings that keep JupyterLab quiet and offline: no news, no update check."""
    notification = settings_dir / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    notification.parent.mkdir(parents=True, exist_ok=True)
    notification.write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))


class LabServer:
    """``jupyter lab`` on a free loopback port with a random token, serving ``site.root``."""

    def __init__(self, site: Site):
        self.site = site
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = site.root.parent / "jupyterlab-server.log"
        self.process: subprocess.Popen | None = None

    def command(self) -> list[str]:
        command = [
            str(Path(sys.executable).parent / "jupyter"), "lab", "--no-browser",
            "--ip=127.0.0.1", f"--port={self.port}", "--ServerApp.port_retries=0",
            f"--ServerApp.token={self.token}", f"--ServerApp.root_dir={self.site.root}",
            # offline: no announcements feed, no update check, no PyPI-backed extension manager
            "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.extension_manager=readonly",
        ]
        if os.geteuid() == 0:
            command.append("--allow-root")
        return command

    def environment(self) -> dict[str, str]:
        """Offline, inline plots in the kernel, and Jupyter state kept out of the user's home."""
        state = self.site.root.parent / "jupyter-state"
        env = {key: value for key, value in os.environ.items()
               if not key.startswith(("RAIKIT_MODEL_", "RAIKIT_DB_URL", "JUPYTER"))}
        env.update(
            HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1",
            MPLBACKEND="module://matplotlib_inline.backend_inline",
            JUPYTER_CONFIG_DIR=str(state / "config"), JUPYTER_DATA_DIR=str(state / "data"),
            JUPYTER_RUNTIME_DIR=str(state / "runtime"),
            JUPYTERLAB_SETTINGS_DIR=str(state / "lab-settings"),
            JUPYTERLAB_WORKSPACES_DIR=str(state / "lab-workspaces"),
            IPYTHONDIR=str(state / "ipython"),
        )
        _lab_settings(Path(env["JUPYTERLAB_SETTINGS_DIR"]))
        return env

    def start(self) -> None:
        """Start the server and wait until its REST API answers."""
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(self.command(), cwd=self.site.root, env=self.environment(),
                                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyter lab exited with code {self.process.returncode} before answering; "
                                   f"its log:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.url("/api/status"), timeout=2) as answer:
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.5)
        raise TimeoutError(f"jupyter lab did not answer {self.base}/api/status within {SERVER_START_TIMEOUT} s; "
                           f"its log:\n{self.log_tail()}")

    def url(self, path: str) -> str:
        """``path`` on the server, with the token (the browser then keeps it as a cookie)."""
        return f"{self.base}{path}{'&' if '?' in path else '?'}token={self.token}"

    def stop(self) -> None:
        """Shut the server down with its kernels; kill whatever of it is still alive after 15 s."""
        if self.process is None or self.process.poll() is not None:
            return
        try:
            family = psutil.Process(self.process.pid).children(recursive=True)  # kernels included
        except psutil.NoSuchProcess:
            family = []
        try:  # the REST shutdown also shuts down every kernel cleanly
            request = urllib.request.Request(self.url("/api/shutdown"), method="POST")
            urllib.request.urlopen(request, timeout=5).close()
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
        _gone, alive = psutil.wait_procs(family, timeout=5)
        for process in alive:
            process.kill()

    def log_tail(self, chars: int = 6000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:] if self.log_path.exists() else "(no log)"


@contextmanager
def evidence_on_failure(page, server: LabServer, name: str):
    """On any failure inside the block, keep a screenshot and the server log in test-artifacts/browser/."""
    try:
        yield
    except BaseException:
        SHOTS.mkdir(parents=True, exist_ok=True)
        try:
            page.screenshot(path=str(SHOTS / f"FAILED-{name}.png"))
        except Exception as exc:  # the page may be gone; the log matters more than the picture
            print(f"could not take the failure screenshot: {exc}")
        if server.log_path.exists():
            shutil.copy2(server.log_path, SHOTS / f"FAILED-{name}-server.log")
        raise
