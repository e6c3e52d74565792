"""Errors the pipeline reports to the analyst (kept apart so `python -m beichen.publish.build` and
library callers share one class)."""


class BuildError(RuntimeError):
    """A step failed; the message names the step (and chapter/cell) for the analyst."""
