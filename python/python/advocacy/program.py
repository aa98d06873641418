"""Running the advocacy program: segments, overrides, eligibility, fatigue protection, matching a
reference request, the monthly review and program metrics.

Every function takes one dict shaped like the JSON input of the core's function and returns a
dict shaped like its JSON output (``docs/program.md`` and ``tests/vectors/program_*.json`` show
both). Dates are ``"YYYY-MM-DD"`` text (or ``datetime.date``). Bad input raises
:class:`ProgramError` (a ``ValueError``) naming the path in the input, the value seen and what is
allowed; an input that is not a mapping raises ``TypeError``.

>>> from advocacy import program
>>> out = program.fatigue({
...     "account": "acme",
...     "ledger": [{"account": "acme", "activity": "conference_speaking",
...                 "status": "completed", "date": "2026-03-10"}],
...     "as_of": "2026-04-01",
... })
>>> out["resting"], out["refusals"][0]["rule"], out["refusals"][0]["until"]
(True, 'rest_after.high', '2026-06-08')
"""

from advocacy._core import _program

ProgramError = _program.ProgramError
segments = _program.segments
overrides = _program.overrides
eligibility = _program.eligibility
fatigue = _program.fatigue
match_request = _program.match_request
review = _program.review
metrics = _program.metrics
json_schemas = _program.json_schemas

__all__ = [
    "ProgramError",
    "segments",
    "overrides",
    "eligibility",
    "fatigue",
    "match_request",
    "review",
    "metrics",
    "json_schemas",
]
