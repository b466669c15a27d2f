"""Feedback that does not give away hidden tests.

Stock ``nbgrader generate_feedback`` renders the autograded notebook, whose test cells hold
the hidden tests, and whose error tracebacks quote the failing hidden line. Students who
receive that feedback learn the hidden tests. ``nbgrader_config.py`` adds these two steps to
feedback generation:

- nbgrader's own ``ClearHiddenTests`` removes the hidden-test regions from the cell sources;
- :class:`ShortenTracebacks` replaces each error traceback by its last line
  (``AssertionError: mean_rate: expected about 0.3, but got 0.5``), which says what failed
  and why without quoting test code.
"""

from __future__ import annotations

from nbgrader.preprocessors import NbGraderPreprocessor


class ShortenTracebacks(NbGraderPreprocessor):
    """Keep only ``ename: evalue`` of every error output."""

    def preprocess_cell(self, cell, resources, index):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                output["traceback"] = [f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"]
        return cell, resources
