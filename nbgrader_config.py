"""nbgrader configuration for the course kit.

nbgrader reads this file from the folder it runs in; run nbgrader (or `raikit-grade`,
or JupyterLab with the formgrader) from the repository root. All paths are relative.
"""

c = get_config()  # noqa: F821  (injected by traitlets when nbgrader loads this file)

# The course follows nbgrader's standard layout under assignments/:
#   source/<NN_slug>/   authored instructor notebooks (the only thing edited by hand)
#   release/            generated student versions (`make release`), git-ignored
#   submitted/ autograded/ feedback/ gradebook.db   git-ignored (they carry hidden tests)
c.CourseDirectory.root = "assignments"
c.CourseDirectory.course_id = "responsible-ai-kit"
# nbgrader copies every other file of a source folder into the release. The instructor's
# notes beside a source (equivalent_mutants.txt: graders/mutants.py) describe wrong answers
# and must stay out of what students get (tests/test_assignments.py, tests/test_student_pack.py).
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "equivalent_mutants.txt"]

# Per-cell time limit. Cells that load the MiniLM transformer take ~5 s on a laptop CPU;
# 120 s leaves room for slow machines while still stopping an endless loop.
c.Execute.timeout = 120
# Start-up of a kernel that imports torch can take a while on a cold disk cache.
c.Execute.startup_timeout = 120
# After a cell's reply, nbgrader waits for its last output message only iopub_timeout seconds
# (nbclient's default: 4) and then fails the cell with CellTimeoutError: on a busy or slow
# machine a correct notebook failed Validate that way. A minute is generous, never hit when idle.
c.Execute.iopub_timeout = 60

# nbgrader gives a test cell zero points if it wrote *anything* to stderr, so a harmless
# library warning (NumPy RuntimeWarning, a transformers log line) would cost a correct
# answer its points. Tests here fail by raising, never by printing, so drop stderr
# output that is a warning before grading. Errors still score zero.
c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = r"(?i)warn"

# Keep learners' outputs from bloating the gradebook/feedback.
c.LimitOutput.max_lines = 500
c.LimitOutput.max_traceback = 60

# Feedback goes to students: strip hidden tests from it (see graders/reports/feedback.py).
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor  # noqa: E402
from nbgrader.preprocessors import ClearHiddenTests, GetGrades  # noqa: E402

from graders.reports.feedback import ShortenTracebacks  # noqa: E402

c.GenerateFeedback.preprocessors = [GetGrades, ClearHiddenTests, ShortenTracebacks, CSSHTMLHeaderPreprocessor]
