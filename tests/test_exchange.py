"""nbgrader's exchange, as on a JupyterHub, into the kit's sandboxed autograde (graders/exchange.py).

Real Unix users on this machine: the instructor (this test, as root) sets up an exchange and
releases 00_orientation into it; each student fetches and submits under their own user with
nbgrader's own apps; the instructor collects and the kit grades what is in ``submitted/``.
One student hands in the solution, one the untouched release, and one attacks the exchange:
backdates its own ``timestamp.txt``, swaps its notebook for a link to the course's source, and
submits a solved notebook under a classmate's name. Stock ``nbgrader collect`` is run on the
same exchange to show what those attacks would do without the kit's checks. Then feedback
goes back through the exchange and the solving student fetches it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

import nbformat
import pytest

from graders import course as ops
from graders import exchange
from graders.demo.submissions import nbgrader_meta, solution_submission
from graders.engine import sandbox
from graders.engine.files import remove_tree

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENT = "00_orientation"
COURSE_ID = "responsible-ai-kit"  # the kit's nbgrader_config.py says so, and the formgrader reads that file last
# Three students with fixed uids: inside useradd's range (login.defs UID_MIN..UID_MAX), far from
# the sandbox's grading slots (graders/engine/sandbox.py: UID_BASE upwards).
STUDENTS = {"rkx_student1": 47101, "rkx_student2": 47102, "rkx_student3": 47103}
SOLVER, UNTOUCHED, ATTACKER = STUDENTS


def _run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, **kwargs)


def _remove_user(name: str) -> None:
    if _run(["getent", "passwd", name]).returncode == 0:
        if _run(["userdel", "--remove", name]).returncode != 0:
            _run(["userdel", "--remove", "--force", name])


@pytest.fixture
def students():
    """The student users, created for this test and removed afterwards (also when it fails)."""
    if os.geteuid() != 0:
        pytest.skip("creating Unix users for the students needs root (useradd, runuser)")
    if not (shutil.which("useradd") and shutil.which("userdel") and shutil.which("runuser")):
        pytest.skip("useradd, userdel and runuser are needed to act as real students")
    for uid in STUDENTS.values():
        assert not sandbox.is_sandbox_uid(uid)
    for name, uid in STUDENTS.items():
        _remove_user(name)  # a run that was killed may have left one behind
        taken = _run(["getent", "passwd", str(uid)])
        if taken.returncode == 0:
            pytest.skip(f"uid {uid} already belongs to {taken.stdout.split(':')[0]}")
    created: list[str] = []
    try:
        for name, uid in STUDENTS.items():
            made = _run(["useradd", "--create-home", "--uid", str(uid), "--user-group",
                         "--shell", "/usr/sbin/nologin", name])
            assert made.returncode == 0, made.stderr
            created.append(name)
        yield {name: Path(f"/home/{name}") for name in STUDENTS}
    finally:
        for name in created:
            _remove_user(name)


@pytest.fixture
def shared():
    """A folder every user can reach (pytest's own tmp folders are private to root): the
    exchange and the server-wide nbgrader configuration live here."""
    folder = Path(tempfile.mkdtemp(prefix="rkx-exchange-"))
    folder.chmod(0o755)
    yield folder
    remove_tree(folder)


@cache
def student_python(user: str) -> tuple[str, dict[str, str]]:
    """An interpreter the student can run with the kit's nbgrader: the kit's venv python, or,
    when it lives where students cannot reach (a pyenv under /root), a system python of the same
    version given the venv's site-packages."""
    if _run(["runuser", "-u", user, "--", sys.executable, "-c", "pass"], cwd="/").returncode == 0:
        return sys.executable, {}
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    for candidate in (f"/usr/bin/{version}", f"/usr/local/bin/{version}"):
        if os.access(candidate, os.X_OK):
            site = next(p for p in sys.path if p.endswith("site-packages") and p.startswith(sys.prefix))
            return candidate, {"PYTHONPATH": site}
    pytest.skip(f"students cannot run {sys.executable} and there is no system {version}")


def as_student(user: str, home: Path, config_dir: Path, *args: str) -> subprocess.CompletedProcess:
    """``nbgrader <args>`` as ``user`` in their home, configured only by the server-wide file
    (``JUPYTER_CONFIG_PATH`` stands in for /etc/jupyter) and never by the kit's own config."""
    python, extra = student_python(user)
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "JUPYTER_CONFIG_PATH": str(config_dir),
           **extra}
    command = ["runuser", "-u", user, "--", "env", "-i", *[f"{k}={v}" for k, v in env.items()],
               python, "-m", "nbgrader", *args]
    result = _run(command, cwd=home)
    assert result.returncode == 0, f"{user}: nbgrader {' '.join(args)} failed:\n{result.stderr[-4000:]}"
    return result


def as_user(user: str, *command: str) -> None:
    result = _run(["runuser", "-u", user, "--", *command], cwd="/")
    assert result.returncode == 0, result.stderr


def formgrader_view(course: Path, config_dir: Path | None) -> dict:
    """What the formgrader's Manage Assignments page is rendered from: ``NbGraderAPI`` built from
    the configuration it loads (server-wide, then the kit's nbgrader_config.py from the folder it
    runs in). The page warns "The exchange directory ... does not exist" iff ``exchange_missing``."""
    probe = (
        "import json, sys\n"
        "from nbgrader.apps.api import NbGraderAPI\n"
        "from nbgrader.apps.baseapp import NbGrader\n"
        "from nbgrader.coursedir import CourseDirectory\n"
        "app = NbGrader()\n"
        "app.load_config_file()\n"
        "config = app.config\n"
        "config.CourseDirectory.root = sys.argv[1]\n"
        "api = NbGraderAPI(CourseDirectory(config=config), config=config)\n"
        "print(json.dumps({'exchange': api.exchange_root, 'missing': api.exchange_missing,"
        " 'course_id': api.course_id}))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "JUPYTER_CONFIG_PATH"}
    if config_dir is not None:
        env["JUPYTER_CONFIG_PATH"] = str(config_dir)
    result = _run([sys.executable, "-c", probe, str(course)], cwd=ROOT, env=env)
    assert result.returncode == 0, result.stderr[-4000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def inbound_folder(exchange_root: Path, user: str) -> Path:
    (folder,) = (exchange_root / COURSE_ID / "inbound").glob(f"{user}+{ASSIGNMENT}+*")
    return folder


def newest_ctime(folder: Path) -> float:
    times = [os.lstat(folder).st_ctime]
    for here, dirs, files in os.walk(folder):
        times += [os.lstat(os.path.join(here, name)).st_ctime for name in dirs + files]
    return max(times)


def stamp(path: Path) -> datetime:
    from nbgrader.utils import parse_utc

    return parse_utc(path.read_text(encoding="utf-8").strip()).replace(tzinfo=UTC)  # nbgrader's naive UTC


def test_release_fetch_submit_collect_autograde_feedback_with_real_users(tmp_path, students, shared, capsys):
    started = time.monotonic()

    def lap(what):
        print(f"{time.monotonic() - started:6.1f} s  {what}", file=sys.__stderr__, flush=True)  # not captured
    course = tmp_path / "course"
    shutil.copytree(ROOT / "assignments" / "source" / ASSIGNMENT, course / "source" / ASSIGNMENT)
    source_notebook = course / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    exchange_root, config_dir = shared / "exchange", shared / "etc-jupyter"

    # The formgrader's warning, before: the probe sees it (unless this machine has nbgrader's default exchange).
    if not Path("/usr/local/share/nbgrader/exchange").exists():
        assert formgrader_view(course, None)["missing"] is True

    config = exchange.setup_exchange(exchange_root, COURSE_ID, config_dir=config_dir)
    assert (os.stat(exchange_root).st_mode & 0o7777) == exchange.EXCHANGE_MODE == 0o1777
    assert os.stat(exchange_root).st_uid == 0
    assert (config_dir / "nbgrader_config.py").read_text() == config.text()
    assert exchange.setup_exchange(exchange_root, COURSE_ID, config_dir=config_dir) == config  # idempotent

    outbound = exchange.release_to_exchange(ASSIGNMENT, course, exchange_root, COURSE_ID, quiet=True)
    assert (outbound / f"{ASSIGNMENT}.ipynb").is_file()
    assert (os.stat(exchange_root).st_mode & 0o7777) == 0o1777, "nbgrader's release kept the exchange's mode"
    assert "Permissions for exchange directory" not in capsys.readouterr().err

    lap("released")
    view = formgrader_view(course, config_dir)
    assert view == {"exchange": str(exchange_root), "missing": False, "course_id": COURSE_ID}

    # Students, each under their own Unix user, with nbgrader's own apps (at once, as in a class).
    with ThreadPoolExecutor(len(students)) as pool:
        list(pool.map(lambda user: as_student(user, students[user], config_dir, "fetch_assignment", ASSIGNMENT),
                      students))
    for user, home in students.items():
        fetched = home / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        assert fetched.is_file() and os.stat(fetched).st_uid == STUDENTS[user]
    solved = students[SOLVER] / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    solution_submission(source_notebook, solved, solved)
    os.chown(solved, STUDENTS[SOLVER], STUDENTS[SOLVER])

    def submit(user):
        before = datetime.now(UTC)
        as_student(user, students[user], config_dir, "submit", ASSIGNMENT)
        return before, datetime.now(UTC)

    with ThreadPoolExecutor(len(students)) as pool:
        submit_times = dict(zip(students, pool.map(submit, students), strict=True))
    inbound = {user: inbound_folder(exchange_root, user) for user in students}
    for user in students:
        assert os.stat(inbound[user]).st_uid == STUDENTS[user]
    lap("students fetched and submitted")

    # The attacker, after submitting: a backdated timestamp, a link to the source, a classmate's name.
    own = inbound[ATTACKER]
    time.sleep(0.05)
    attack_started = datetime.now(UTC)
    as_user(ATTACKER, "sh", "-c", 'printf "2001-01-01 00:00:00.000000 UTC" > "$1"', "sh", str(own / "timestamp.txt"))
    as_user(ATTACKER, "rm", str(own / f"{ASSIGNMENT}.ipynb"))
    as_user(ATTACKER, "ln", "-s", str(source_notebook), str(own / f"{ASSIGNMENT}.ipynb"))
    forged = exchange_root / COURSE_ID / "inbound" / f"{UNTOUCHED}+{ASSIGNMENT}+2099-01-01 00:00:00.000000 UTC"
    as_user(ATTACKER, "mkdir", str(forged))
    shutil.copyfile(solved, shared / "solved.ipynb")
    as_user(ATTACKER, "cp", str(shared / "solved.ipynb"), str(forged / f"{ASSIGNMENT}.ipynb"))

    lap("attacked")
    # What stock `nbgrader collect` does with this exchange (a scratch course, same exchange).
    stock = tmp_path / "stock"
    shutil.copytree(course / "source", stock / "source")
    ops.run_nbgrader(["collect", ASSIGNMENT, *config.flags()], stock, quiet=True)
    stock_submitted = stock / "submitted"
    assert (stock_submitted / ATTACKER / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_bytes() == \
        source_notebook.read_bytes(), "stock collect follows the attacker's link to the source"
    assert (stock_submitted / UNTOUCHED / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_bytes() == solved.read_bytes(), \
        "stock collect takes the forged folder as the classmate's newest submission"
    assert "2001-01-01" in (stock_submitted / ATTACKER / ASSIGNMENT / "timestamp.txt").read_text()

    lap("stock collect")
    # The kit's route.
    capsys.readouterr()
    collected = exchange.collect_from_exchange(ASSIGNMENT, course, exchange_root, COURSE_ID)
    told = capsys.readouterr().err
    assert collected == sorted(STUDENTS)
    assert f"refused: {forged.name}: named after {UNTOUCHED} but owned by {ATTACKER}" in told
    submitted = course / "submitted"
    assert not (submitted / ATTACKER / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").exists()
    assert not any(p.is_symlink() for p in submitted.rglob("*"))
    assert (submitted / UNTOUCHED / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_bytes() != solved.read_bytes()

    # Submission times are the exchange's record (the newest ctime in the inbound folder).
    for user in (SOLVER, UNTOUCHED):
        recorded = stamp(submitted / user / ASSIGNMENT / "timestamp.txt")
        before, after = submit_times[user]
        assert before <= recorded <= after
        assert recorded == datetime.fromtimestamp(newest_ctime(inbound[user]), UTC)
    attacker_time = stamp(submitted / ATTACKER / ASSIGNMENT / "timestamp.txt")
    assert attacker_time >= attack_started - timedelta(seconds=0.1), "the backdated timestamp.txt was not believed"

    lap("collected")
    result = ops.autograde(ASSIGNMENT, course, quiet=True)
    lap("autograded")
    source = nbformat.read(source_notebook, as_version=4)
    code_points = sum(float(nbgrader_meta(c).get("points", 0)) for c in source.cells
                      if nbgrader_meta(c).get("grade") and c.cell_type == "code")
    points = {student: sum(cells.values()) for student, cells in ops.cell_points(ASSIGNMENT, course).items()}
    assert points[SOLVER] == code_points == 10
    assert points[UNTOUCHED] == 0
    assert points.get(ATTACKER, 0) == 0
    outcomes = {o.student: o for o in result.outcomes}
    assert outcomes[ATTACKER].status == "failed"
    assert any("link" in flag for flag in outcomes[ATTACKER].flags), outcomes[ATTACKER].flags
    assert outcomes[SOLVER].status != "failed" and outcomes[UNTOUCHED].status != "failed"

    from nbgrader.api import Gradebook

    with Gradebook(ops.gradebook_url(course)) as gradebook:
        for user in (SOLVER, UNTOUCHED):
            recorded = gradebook.find_submission(ASSIGNMENT, user).timestamp.replace(tzinfo=UTC)
            assert recorded == stamp(submitted / user / ASSIGNMENT / "timestamp.txt")

    # Feedback back through the exchange; the solving student fetches it in their own account.
    ops.feedback(ASSIGNMENT, course, quiet=True)
    exchange.release_feedback_to_exchange(ASSIGNMENT, course, exchange_root, COURSE_ID, quiet=True)
    as_student(SOLVER, students[SOLVER], config_dir, "fetch_feedback", ASSIGNMENT)
    fetched = list((students[SOLVER] / ASSIGNMENT / "feedback").glob(f"*/{ASSIGNMENT}.html"))
    assert len(fetched) == 1 and os.stat(fetched[0]).st_uid == STUDENTS[SOLVER]

    lap("feedback fetched")
    assert formgrader_view(course, config_dir)["missing"] is False
    print(f"exchange route: {time.monotonic() - started:.0f} s")
