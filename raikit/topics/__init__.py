"""One helper module per course topic (module 02 calibration ... module 12 governance).

Notebooks import them by short name, ``from raikit import fairness``; the list, with the
module each one serves, is in ``raikit/__init__.py``. They build only on the foundation
(``raikit.data``, ``raikit.models``, ``raikit.evaluation``...), never on each other's internals
or on the instructor's ``graders`` package (tests/test_layout.py keeps it so).
"""
