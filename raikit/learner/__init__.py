"""The learner's tools: programs a self-paced learner runs on their own work.

- ``progress``  every module's assignment checked with nbgrader's validator (``make progress``,
                ``raikit-progress``, or ``from raikit import progress`` in my-work/progress.ipynb)
"""
