"""A synthetic class for trying the instructor's tools (``make demo``), and notebook filling
shared with the tests.

- ``classroom``    plan a class of synthetic students, write their notebooks, grade and report
- ``submissions``  fill a released notebook with answers (from the solution or a fixture)
"""
