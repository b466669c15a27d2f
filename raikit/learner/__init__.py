"""The learner's tools: programs a self-paced learner runs on their own work.

- ``progress``   every module's assignment checked with nbgrader's validator (``make progress``,
                 ``raikit-progress``, or ``from raikit import progress`` in my-work/progress.ipynb)
- ``workspace``  my-work/: copies of the handouts that are never overwritten (``make workspace``)
- ``answers``    model answers and mark schemes of the written questions, after an attempt
                 (``make answers M=03``)
"""
