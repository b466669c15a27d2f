"""LMS downloads in: Canvas, Moodle and Blackboard file names mapped through the roster; hostile
zip members refused; resubmissions, late work and earlier imports reported, never lost."""

from __future__ import annotations

import json
import stat
import zipfile

import nbformat
import pytest
from nbgrader.utils import parse_utc

from graders import cli, lms_import
from graders import collect as collecting

ROSTER = ("student_id,lms_id,name,email\n"
          "jdoe,4012,Jane Doe,jane@uni.example\n"
          "zsmith,4013,Zoë Smith,zoe@uni.example\n"
          "okeefe,,Seán O'Keefe,sean@uni.example\n"
          "bbuser,bb_bob,Bob Brown,bob@uni.example\n")
NOTEBOOK = nbformat.writes(nbformat.v4.new_notebook()).encode()


def _zip(path, members: dict[str, bytes], when=(2026, 12, 1, 9, 30, 0)):
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=when)
            if name.endswith("@link"):
                info.filename = name[:-5]
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, data)
    return path


@pytest.fixture
def roster(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER, encoding="utf-8")
    return path


def test_canvas_zip_is_matched_by_id_and_name_and_keeps_the_newest_resubmission(tmp_path, roster):
    course = tmp_path / "course"
    download = _zip(tmp_path / "submissions.zip", {
        "doejane_4012_77314_01_evaluation.ipynb": b"first",
        "doejane_late_4012_77315_01_evaluation-1.ipynb": NOTEBOOK,  # a later, late resubmission
        "smithzoe_4013_77316_01_evaluation.ipynb": NOTEBOOK,
        "okeefesean_9999_77317_01_evaluation.ipynb": NOTEBOOK,  # no lms_id in the roster: matched by name
        "strangerdan_5555_77318_01_evaluation.ipynb": NOTEBOOK,  # not on the roster
        "../../etc/evil_1_2_x.ipynb": b"x",  # traversal
        "doejane_4012_77319_link.ipynb@link": b"/etc/passwd",  # a link member
        "notes.txt": b"hello",
    })
    result = lms_import.import_submissions("01_evaluation", download, course, roster)
    inbox = course / "imports" / "01_evaluation" / "inbox"
    assert result.inbox == inbox and sorted(result.imported) == ["jdoe", "okeefe", "zsmith"]
    assert (inbox / "jdoe" / "01_evaluation.ipynb").read_bytes() == NOTEBOOK
    assert result.late == ["jdoe: doejane_late_4012_77315_01_evaluation-1.ipynb"]
    assert any("77314" in line for line in result.older_versions)
    assert any("strangerdan" in line and "no roster student" in line for line in result.unmatched)
    assert any("notes.txt" in line for line in result.unmatched)
    assert any("outside the download" in line for line in result.skipped)
    assert any("link" in line for line in result.skipped) and not (inbox / "jdoe" / "link.ipynb").exists()
    assert not list(tmp_path.rglob("evil*"))
    receipts = json.loads((course / "imports" / "01_evaluation" / "received.json").read_text())
    assert parse_utc(receipts["jdoe"]).isoformat().startswith("2026-12-01T09:30")

    # collecting that inbox records the LMS's receipt time, not the import time
    (course / "source" / "01_evaluation").mkdir(parents=True)
    entries = collecting.collect("01_evaluation", inbox, course,
                                 received=lms_import.receipts_for(inbox, course, "01_evaluation"))
    assert {e.student for e in entries} == {"jdoe", "okeefe", "zsmith"}
    stamp = (course / "submitted" / "jdoe" / "01_evaluation" / "timestamp.txt").read_text()
    assert stamp == receipts["jdoe"]


def test_a_changed_reimport_moves_the_earlier_one_aside_and_an_unchanged_one_is_left(tmp_path, roster):
    course = tmp_path / "course"
    first = _zip(tmp_path / "a.zip", {"doejane_4012_1_01_evaluation.ipynb": NOTEBOOK})
    lms_import.import_submissions("01_evaluation", first, course, roster)
    again = lms_import.import_submissions("01_evaluation", first, course, roster)
    assert again.unchanged == ["jdoe"] and not again.replaced
    changed = _zip(tmp_path / "b.zip", {"doejane_4012_2_01_evaluation.ipynb": NOTEBOOK + b" "})
    result = lms_import.import_submissions("01_evaluation", changed, course, roster)
    kept = result.replaced["jdoe"]
    assert (kept / "01_evaluation.ipynb").read_bytes() == NOTEBOOK  # the earlier import, kept
    assert (result.inbox / "jdoe" / "01_evaluation.ipynb").read_bytes() == NOTEBOOK + b" "
    assert any("replaced" in line for line in result.lines("01_evaluation"))


def test_moodle_folders_and_files_and_blackboard_attempts(tmp_path, roster):
    course = tmp_path / "course"
    download = _zip(tmp_path / "moodle.zip", {
        "Jane Doe_301_assignsubmission_file_/01_evaluation.ipynb": NOTEBOOK,
        "Zoë Smith_302_assignsubmission_file_01_evaluation.ipynb": NOTEBOOK,
        "Assignment 1_bb_bob_attempt_2026-12-02-10-00-00_01_evaluation.ipynb": b"old",
        "Assignment 1_bb_bob_attempt_2026-12-03-08-15-00_01_evaluation.ipynb": NOTEBOOK,
    })
    result = lms_import.import_submissions("01_evaluation", download, course, roster, lms_timezone="Europe/Berlin")
    assert sorted(result.imported) == ["bbuser", "jdoe", "zsmith"]
    assert (result.inbox / "bbuser" / "01_evaluation.ipynb").read_bytes() == NOTEBOOK  # the newest attempt
    receipts = lms_import.load_receipts(course / "imports" / "01_evaluation" / "received.json")
    assert receipts["bbuser"] == "2026-12-03 07:15:00.000000 UTC"  # Berlin time, recorded in UTC


def test_unzipped_folder_and_clear_errors(tmp_path, roster, capsys):
    course = tmp_path / "course"
    (course / "source" / "01_evaluation").mkdir(parents=True)
    folder = tmp_path / "unzipped"
    folder.mkdir()
    (folder / "doejane_4012_1_01_evaluation.ipynb").write_bytes(NOTEBOOK)
    (folder / "smithzoe_4013_2_01_evaluation.ipynb").symlink_to(folder / "doejane_4012_1_01_evaluation.ipynb")
    assert cli.main(["--course", str(course), "import", "01_evaluation", "--from", str(folder),
                     "--roster", str(roster)]) == 0
    out = capsys.readouterr().out
    assert "1 file(s) for 1 student(s)" in out and "make autograde A=01_evaluation" in out
    (tmp_path / "bad.zip").write_bytes(b"not a zip")
    assert cli.main(["--course", str(course), "import", "01_evaluation", "--from", str(tmp_path / "bad.zip"),
                     "--roster", str(roster)]) == 2
    assert "neither a folder nor a readable zip" in capsys.readouterr().err
    assert cli.main(["--course", str(course), "import", "01_evaluation", "--from", str(folder)]) == 2
    assert "--roster" in capsys.readouterr().err
    (tmp_path / "twice.csv").write_text("student_id,lms_id\na,1\nb,1\n")
    assert cli.main(["--course", str(course), "import", "01_evaluation", "--from", str(folder),
                     "--roster", str(tmp_path / "twice.csv")]) == 2
    assert "appears twice" in capsys.readouterr().err
