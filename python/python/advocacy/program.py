"""Running the advocacy program: segments, overrides, eligibility, fatigue protection, matching a
reference request, the request log, the monthly review, program metrics (with referrals and
deals) and the program over time (history).

Every function takes one dict shaped like the JSON input of the core's function, or its fields
as keyword arguments, and returns a dict shaped like its JSON output (``docs/program.md`` and
``tests/vectors/program_*.json`` show both). Fields that hold rows (``accounts``, ``previous``,
``current``, ``ledger``, ``overrides``, ``renewals``, ``requests``, ``deals``, a history's ``rows``) may be tables: pandas or polars
DataFrames, pyarrow Tables or any Arrow PyCapsule object. Accounts may be nested
(``{"id", "total", "tier", "signals": {...}}``) or flat rows in the shape the scorer reads (an
id column, the signals as columns by name or alias, ``name``, ``total`` or ``score``, ``tier``):
a DataFrame of accounts, ``df.to_dict("records")`` and a ``Model.score_frame(..., keep="all")``
result all read as they are. Dates are ``"YYYY-MM-DD"`` text, dates or timestamps. Bad input
raises :class:`ProgramError` (a ``ValueError``) naming the path in the input, the value seen
and what is allowed (a list given as an object of columns, or a flat row without an id column,
too: never an empty result); an input that is neither a mapping nor a table raises
``TypeError``.

>>> from advocacy import program
>>> out = program.fatigue({
...     "account": "acme",
...     "ledger": [{"account": "acme", "activity": "conference_speaking",
...                 "status": "completed", "date": "2026-03-10"}],
...     "as_of": "2026-04-01",
... })
>>> out["resting"], out["refusals"][0]["rule"], out["refusals"][0]["until"]
(True, 'rest_after.high', '2026-06-08')

>>> import pandas as pd
>>> accounts = pd.DataFrame({"Account ID": ["a", "b"], "Public Reviews": [2, 0], "NPS": [9, 8],
...                          "Health": [95, 96], "Active Days": [22, 25], "ROI": [True, True]})
>>> [r["segment"] for r in program.segments(accounts=accounts)["results"]]
['active', 'potential']
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
history = _program.history
draft = _program.draft
requests = _program.requests
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
    "history",
    "draft",
    "requests",
    "json_schemas",
]
