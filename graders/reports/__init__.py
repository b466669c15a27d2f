"""What the instructor and students read after grading.

- ``report``     the class grade report: figures, item statistics, flags, LMS CSV (``raikit-grade report``)
- ``itemstats``  pure item-analysis functions (difficulty, discrimination) the report uses
- ``feedback``   the nbgrader preprocessor that shortens tracebacks in students' feedback HTML
"""
