"""A report validator for tests/files/reports/validated.ipynb."""

from mopskit.errors import ParameterError


def start_before_end(values):
    if values["start"] > values["end"]:
        raise ParameterError(f"'start' must be on or before 'end' (got start {values['start']}, end {values['end']})")
