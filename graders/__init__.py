"""Instructor tooling over nbgrader: release, autograde, feedback, export (`raikit-grade`).

See ``graders/cli.py`` for the commands and ARCHITECTURE.md for how they fit together.
"""
