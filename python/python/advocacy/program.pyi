"""Type stubs of ``advocacy.program``: the program functions of the core, for plain dicts.

Each function takes one mapping shaped like the JSON input of the core's function (or its fields
as keyword arguments, ``program.segments(accounts=df)``) and returns a dict shaped like its JSON
output (see ``docs/program.md`` and ``tests/vectors/program_*.json``). Fields that hold rows
(``accounts``, ``previous``, ``current``, ``ledger``, ``overrides``, ``renewals``) may be
tables (pandas/polars DataFrames, pyarrow Tables, Arrow PyCapsule objects); accounts may be
nested or flat rows in the shape the scorer reads (an id column, the signals as columns by name
or alias, ``name``, ``total`` or ``score``, ``tier``): ``df.to_dict("records")`` and a
``score_frame(..., keep="all")`` result read as they are. A list given in a shape the function
does not read (an object of columns, a flat row without an id column) raises ProgramError
naming what was seen and what is accepted.
Dates are ``"YYYY-MM-DD"`` text; a ``config`` of ``None`` (or none at all) is the default program
configuration. Results are typed with the TypedDicts of ``advocacy._types``, generated from
the program's JSON Schemas.

Bad input raises :class:`ProgramError` (an ``advocacy.AdvocacyError``, so a ``ValueError``) with
the fields of the program's error: ``code``, ``path`` in the input's terms, ``row``, ``id``,
``value``, ``allowed`` and ``message``; an input that is neither a mapping nor (for
``segments``, as its accounts) a table raises ``TypeError``; a field given both in ``input``
and as a keyword raises UsageError. The
mapping is read as JSON with exact types: a bool is only a bool (``"no"`` is never true), a whole
float is the JSON number it equals (``9.0`` reads where ``9`` does, as in ``Model.score``),
``datetime.date`` values are their ``YYYY-MM-DD`` text and numpy scalars their values.

>>> from advocacy import program
>>> try:
...     program.segments({"accounts": [{"id": "a", "signals": {"nps": 11}}]})
... except program.ProgramError as e:
...     print(e.kind, e.code, e.path, e.value, e.allowed)
program out_of_range accounts[0].signals.nps 11 an integer from 0 to 10
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from advocacy import _types as _t
from advocacy._core import ProgramError as ProgramError

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

def segments(input: Mapping[str, Any] | Any = None, /, **fields: Any) -> _t.SegmentsOutput:
    """Classifies accounts as active, willing, potential or not advocate material, explained.

    Input: ``{"accounts": [account, ...], "config": None}``; an account is ``{"id", "total",
    "tier", "signals": {...}, "name"?, "revisit"?, "custom"?, "avoid"?}``.
    Output: ``{"results": [{"account", "segment", "rule", "reason", "evidence"}, ...],
    "counts": [{"segment", "accounts"}, ...]}``.

    >>> from advocacy import program
    >>> bar = {"health_score": 95, "active_days_30d": 22, "roi_achieved": True}  # the program guide's bar
    >>> out = program.segments({"accounts": [{"id": "a", "signals": {"public_reviews": 2, "nps": 9, **bar}}]})
    >>> out["results"][0]["segment"]
    'active'
    """

def overrides(input: Mapping[str, Any] | Any = None, /, **fields: Any) -> _t.Overridden:
    """Scores a record with a model (``None``: the default) and applies the overrides valid on ``as_of``.

    Input: ``{"record": {"id", signal: value, ...}, "overrides": [{"account", "tier" | "points",
    "reason", "author", "expires", "starts"?}], "as_of": "YYYY-MM-DD", "model": None}``.
    Output: ``{"account", "core_total", "core_tier", "total", "tier", "overridden", "overrides"}``.

    >>> from advocacy import program
    >>> out = program.overrides({
    ...     "record": {"id": "acme", "nps": 9, "health_score": 85, "roi_achieved": True},
    ...     "overrides": [{"account": "acme", "tier": "gold", "reason": "keen sponsor",
    ...                    "author": "kim@csm", "expires": "2026-03-01"}],
    ...     "as_of": "2026-02-01",
    ... })
    >>> out["core_tier"], out["tier"], out["overrides"][0]["status"]
    ('not_yet_qualified', 'gold', 'applied')
    """

def eligibility(input: Mapping[str, Any] | Any = None, /, **fields: Any) -> _t.Eligibility:
    """What one account can be asked for now, best first, and every excluded activity with its reasons.

    Input: ``{"account": account, "ledger": [entry, ...], "overrides": [...], "as_of":
    "YYYY-MM-DD", "config": None}``; a ledger entry is ``{"account", "activity", "status":
    "asked" | "accepted" | "declined" | "completed" | "thanked", "date"}``.
    Output: ``{"account", "tier", "total", "overrides", "segment", "invited_by", "benefits",
    "max_effort", "start_effort", "stage", "eligible", "excluded", "refusals", "thanks_owed"}``.

    >>> from advocacy import program
    >>> out = program.eligibility({
    ...     "account": {"id": "p1", "total": 85, "tier": "platinum",
    ...                 "signals": {"communication_comfort": 5, "available_hours_month": 20}},
    ...     "as_of": "2026-02-01",
    ... })
    >>> out["tier"], len(out["eligible"]) > 0
    ('platinum', True)
    """

def fatigue(input: Mapping[str, Any] | Any = None, /, **fields: Any) -> _t.FatigueReport:
    """Applies the fatigue rules to one account's ledger: every refusal names its rule and until when.

    Input: ``{"account": "id", "ledger": [entry, ...], "as_of": "YYYY-MM-DD", "config": None}``.
    Output: ``{"account", "resting", "resting_until", "refusals": [{"rule", "until", ...}],
    "refused_activities", "thanks_owed"}``.

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

def match_request(input: Mapping[str, Any] | Any = None, /, **fields: Any) -> _t.Matches:
    """Ranks the advocates who fit a reference request and are not resting, with the reasons.

    Input: ``{"request": {"activity", "industry"?, "segment"?, "region"?, "competitor"?,
    "date_needed"?, "limit"?}, "accounts": [account, ...], "ledger": [...], "overrides": [...],
    "as_of": "YYYY-MM-DD", "config": None}``.
    Output: ``{"request", "candidates": [{"rank", "account", "tier", "total", "segment",
    "match_points", "reasons", ...}], "later", "considered", "eligible", "resting"}``.

    >>> from advocacy import program
    >>> out = program.match_request({
    ...     "request": {"activity": "reference_call", "industry": "fintech"},
    ...     "accounts": [{"id": "m1", "total": 88, "tier": "platinum",
    ...                   "signals": {"industry": "Fintech", "communication_comfort": 5}}],
    ...     "as_of": "2026-12-01",
    ... })
    >>> [c["account"] for c in out["candidates"]]
    ['m1']
    """

def review(input: Mapping[str, Any] | Any = None, /, **fields: Any) -> _t.Review:
    """The monthly review: movement since the previous snapshot, due revisits, pipeline stages,
    who to ask for what and thank-yous owed.

    Input: ``{"previous": [account, ...], "current": [account, ...], "ledger": [...],
    "overrides": [...], "as_of": "YYYY-MM-DD", "previous_as_of"?: "YYYY-MM-DD", "config": None}``.
    Output: ``{"as_of", "accounts", "previous_accounts", "tiers", "segments", "stages",
    "overridden", "movement", "trending_up", "revisits_due", "new_promoters", "suggestions",
    "thanks_owed", ...}``.

    >>> from advocacy import program
    >>> out = program.review({
    ...     "previous": [{"id": "a", "total": 65, "tier": "gold"}],
    ...     "current": [{"id": "a", "total": 85, "tier": "platinum"}],
    ...     "as_of": "2026-11-30",
    ... })
    >>> out["tiers"]["platinum"], [m["account"] for m in out["movement"]["moved_up"]]
    (1, ['a'])
    """

def metrics(input: Mapping[str, Any] | Any = None, /, **fields: Any) -> _t.Metrics:
    """Program metrics from the ledger, the accounts and renewal outcomes.

    Input: ``{"ledger": [entry, ...], "accounts": [...], "renewals": [{"account", "renewed",
    "expanded"?, "date"?}], "deals": [{"id", "source", "created", "referring_account"?,
    "account"?, "closed"?, "won"?, "value"?, "advocacy"?}], "from"?: "YYYY-MM-DD",
    "to"?: "YYYY-MM-DD", "config": None}``.
    Output: ``{"entries", "active_advocates", "recruitment", "completion",
    "time_to_first_activity", "assets", "retention", "referrals"}`` (``referrals``: referral
    conversion and time to close against the other sources, pipeline influenced by advocacy,
    the referral chain; ``None`` without deals).

    >>> from advocacy import program
    >>> out = program.metrics({"ledger": [
    ...     {"account": "x1", "activity": "case_study", "status": "asked", "date": "2026-01-10"},
    ...     {"account": "x1", "activity": "case_study", "status": "completed", "date": "2026-02-20"},
    ... ]})
    >>> out["entries"]
    2
    """

def requests(input: Mapping[str, Any] | Any = None, /, **fields: Any) -> _t.RequestsReport:
    """The request log: open requests (open, matched, asked, accepted), the one needed soonest
    first, each with its state, owner, age and, for an ``open`` one, its best candidates that
    the log leaves free (nobody on another open request, nobody at the quarter's cap for the
    kind; the first candidate of each request is held for it); counts by status and kind.

    Input: ``{"requests": [{"id", "kind", "created", "status", "advocate"?, "needed"?,
    "owner"?, "requester"?, "prospect"?, "deal"?, "industry"?, "region"?, "segment"?,
    "competitor"?, "outcome"?, "value"?, "closed"?}], "accounts": [...], "ledger"?: [...],
    "overrides"?: [...], "as_of": "YYYY-MM-DD", "top"?: 3, "config": None}``.
    Output: ``{"as_of", "total", "open", "by_status", "by_kind", "outcomes"}``.

    >>> from advocacy import program
    >>> out = program.requests(as_of="2026-11-30", top=1,
    ...     accounts=[{"id": "a", "total": 90, "tier": "platinum"}],
    ...     requests=[{"id": "R1", "kind": "online_review", "created": "2026-11-20", "status": "open"}])
    >>> out["open"][0]["candidates"][0]["account"], out["open"][0]["age_days"]
    ('a', 10)
    """

def history(input: Mapping[str, Any] | Any = None, /, **fields: Any) -> _t.HistoryReport:
    """The program over time: each account's timeline of total and tier, gaps, first qualified
    day, time in tier, trend over a window, revisit dates carried from the snapshot in which it
    became not yet qualified, and each quarter's tier.

    Input: the long table (a DataFrame, a pyarrow Table or a list of rows: ``as_of``, ``id``,
    ``total`` or ``score``, ``tier``, optional ``name`` and signals), or ``{"rows": ...}`` or
    ``{"snapshots": [{"as_of", "accounts": [...]}]}``, with ``"as_of"?``, ``"window_days"?``
    (90), ``"min_change"?`` (5) and ``"revisit_months"?`` (the default model's).
    Output: ``{"as_of", "dates", "window_days", "min_change", "revisit_months", "accounts",
    "trending_up", "trending_down", "revisits", "quarters"}``.

    >>> from advocacy import program
    >>> out = program.history([
    ...     {"as_of": "2026-02-28", "id": "a", "total": 45, "tier": "silver"},
    ...     {"as_of": "2026-03-31", "id": "a", "total": 35, "tier": "not_yet_qualified"},
    ... ])
    >>> out["revisits"][0]["revisit"], out["accounts"][0]["first_qualified"]
    ('2026-09-30', '2026-02-28')
    """

def draft(input: Mapping[str, Any] | Any = None, /, **fields: Any) -> _t.Draft:
    """Drafts the recruitment invitation (or, with ``kind="thank_you"``, the thank-you) for one
    account and activity, in the language asked, from the program guide's template or the
    configuration's ``templates``.

    Input: ``{"account": account, "activity": "case_study", "kind"?: "recruitment" | "thank_you",
    "lang"?: "en" | "id" | "ms" | "de" | "es", "sender"?, "project"?, "as_of", "config"?}``. The
    account's custom ``contact`` and ``result`` (or ``notes``) make it specific.
    Output: ``{"account", "activity", "kind", "lang", "text", "values", "incentive",
    "approval_needed", "warnings"}``; never for a prohibited or opted-out account (a
    ``ProgramError`` that says why).

    >>> from advocacy import program
    >>> account = {"id": "ACC-1", "name": "Green Labs", "total": 85, "tier": "platinum",
    ...            "signals": {"tenure_months": 30, "gifts_allowed": False, "policy": "open"},
    ...            "custom": {"contact": "Ana", "result": "onboarding cut from six weeks to nine days"}}
    >>> d = program.draft(account=account, activity="case_study", lang="de", sender="Dana", as_of="2026-11-30")
    >>> d["text"].splitlines()[0], d["values"]["timeframe"], d["incentive"]["kind"]
    ('Hallo Ana,', '2 Jahren', 'recognition')
    """

def json_schemas() -> str:
    """The JSON Schemas of every program input and output type, by type name, as JSON text."""
