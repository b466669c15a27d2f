"""JupyterLab's learner view of the kit (`make lab`): lessons, my-work and the helpers, nothing else.

A self-paced learner who clones the whole kit should not meet the instructor's material by
accident: the file browser hides the assignment sources (solutions, hidden tests, mark schemes),
the test fixtures (known answers), the grader and the benchmarks. They stay on disk, so opening
them is a choice (README says where they are); `make lab VIEW=instructor` shows everything.
"""

c = get_config()  # noqa: F821  (injected by traitlets when JupyterLab loads this file)

# Names hidden anywhere in the tree (jupyter_server matches each file or folder name).
INSTRUCTOR_ONLY = ["assignments", "tests", "graders", "benchmarks", "coursesite", "demo-course", "student-pack",
                   "nbgrader_config.py", "*.egg-info", "test-artifacts", "site",
                   "model_answers.json"]  # shown by `make answers M=03` after an attempt
c.ContentsManager.hide_globs = ["__pycache__", "*.pyc", "*.pyo", ".DS_Store", "*~", *INSTRUCTOR_ONLY]
