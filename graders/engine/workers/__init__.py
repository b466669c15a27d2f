"""Programs that run inside a grading sandbox, each started as ``python -P -m <module>``.

- ``student``        runs a student's cells and answers calls to their functions (untrusted code)
- ``instructor``     runs the instructor's setup and test cells against proxies of those functions
- ``memo_recorder``  runs the instructor's source once and records the batches it embeds
- ``common``         what they share: private protocol pipes, output capture, an IPython shell

Workers import only ``graders.engine.protocol`` and ``graders.engine.workers.common``
(tests/test_layout.py keeps it so): nothing a sandbox runs can reach the grader's own code.
"""
