"""The course's own notebooks, executed and published (maintainer and learner tooling, not grading).

- ``execute``    run a notebook top to bottom in a fresh kernel; shared by the site, the lesson
                 tests and the benchmarks
- ``build``      the static HTML course site (``make site`` / ``raikit-grade site``)
- ``templates/`` the nbconvert template for lesson pages
"""
