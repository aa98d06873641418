"""What ``advocacy.spark`` and ``advocacy.dask`` share: the arguments shipped to workers, the
model's JSON read once per worker, pyarrow batches scored by the public ``Model.score_frame`` /
``Model.explain_frame``, and program accounts from table rows
(segments, eligibility and fatigue, the ledger shared as JSON text).

Nothing here scores, reads a value or applies a rule: that is the core's (``advocacy._core``).
"""

from __future__ import annotations

import json
import numbers
import os
import warnings
from collections.abc import Iterator
from typing import Any

from advocacy._core import AdvocacyError, Model
from advocacy._frames import ColumnWarning

__all__ = [
    "model_from_json",
    "portable_columns",
    "score_kwargs",
    "explain_kwargs",
    "quiet",
    "note",
    "segment_rows",
    "SEGMENT_COLUMNS",
    "batches_of",
    "ELIGIBILITY_COLUMNS",
    "FATIGUE_COLUMNS",
    "PROGRAM_COLUMNS",
    "program_schema",
    "program_context",
    "account_rows",
]

_MODELS: dict[str, Model] = {}


def model_from_json(text: str) -> Model:
    """The model of ``text`` (``Model.to_json``), read once per worker process."""
    model = _MODELS.get(text)
    if model is None:
        if len(_MODELS) > 8:
            _MODELS.clear()
        model = _MODELS[text] = Model.from_json(text)
    return model


def portable_columns(columns: Any) -> Any:
    """``columns=`` as it can travel to workers: the contents of a column-mapping file (a
    ``.toml`` file as TOML, any other as JSON, as ``score_frame`` reads them) instead of its path,
    which the workers may not see. Called after the driver has checked the argument with the
    package itself, so a file that does not read has already raised the package's error."""
    if isinstance(columns, (str, os.PathLike)):
        path = os.fspath(columns)
        with open(path, "rb") as f:
            data = f.read()
        if path.lower().endswith(".toml"):
            import tomllib

            return tomllib.loads(data.decode("utf-8"))
        return json.loads(data)
    return columns


def score_kwargs(on_error: Any, id_column: Any, columns: Any, keep: Any, as_of: Any, select: Any) -> dict[str, Any]:
    return {"on_error": on_error, "id_column": id_column, "columns": columns, "keep": keep, "as_of": as_of,
            "select": select}


def explain_kwargs(on_error: Any, id_column: Any, columns: Any, as_of: Any) -> dict[str, Any]:
    return {"on_error": on_error, "id_column": id_column, "columns": columns, "as_of": as_of}


class quiet(warnings.catch_warnings):
    """ColumnWarnings silenced: the driver gave them once, when the output schema was made."""

    def __enter__(self) -> Any:
        out = super().__enter__()
        warnings.simplefilter("ignore", ColumnWarning)
        return out


def note(error: BaseException, engine: str, partition: Any, first_row: int = 0) -> None:
    """Adds where an error of the package happened to it (its message and fields stay the
    package's): the partition, and the row of the partition that its rows count from."""
    if isinstance(error, AdvocacyError) and partition is not None:
        start = "its first row" if first_row == 0 else f"its row {first_row}"
        error.add_note(f"(in {engine} partition {partition}; rows are counted from {start})")


# The result columns of ``segments``, in order, and their Arrow types.
SEGMENT_COLUMNS = ("account", "segment", "rule", "reason", "evidence")


def segment_rows(pa: Any, batch: Any, config: Any) -> Any:
    """``advocacy.program.segments`` of a pyarrow batch of accounts: a pyarrow RecordBatch with
    account, segment, rule, reason and evidence (the values the rule read, as JSON text)."""
    from advocacy import program

    # Flat rows, read into accounts by the core (the same reading as the scorer's columns).
    results = program.segments({"accounts": batch.to_pylist(), "config": config})["results"]
    return pa.RecordBatch.from_arrays(
        [
            pa.array([r["account"] for r in results], pa.string()),
            pa.array([r["segment"] for r in results], pa.string()),
            pa.array([r["rule"] for r in results], pa.string()),
            pa.array([r["reason"] for r in results], pa.string()),
            pa.array([json.dumps(r["evidence"]) for r in results], pa.string()),
        ],
        names=list(SEGMENT_COLUMNS),
    )


def batches_of(first: Any, rest: Iterator[Any]) -> Iterator[Any]:
    yield first
    yield from rest



# The result columns of ``eligibility`` and ``fatigue``, in order, with how each field of the
# program's output becomes a cell: text, number and bool as they are, ``json`` (lists and
# objects) as JSON text, ``segment`` as the segment's name.
ELIGIBILITY_COLUMNS = (
    ("account", "text"),
    ("tier", "text"),
    ("total", "number"),
    ("segment", "segment"),
    ("stage", "text"),
    ("max_effort", "text"),
    ("start_effort", "text"),
    ("invited_by", "text"),
    ("benefits", "text"),
    ("eligible", "json"),
    ("excluded", "json"),
    ("refusals", "json"),
    ("thanks_owed", "json"),
    ("overrides", "json"),
)
FATIGUE_COLUMNS = (
    ("account", "text"),
    ("resting", "bool"),
    ("resting_until", "text"),
    ("refusals", "json"),
    ("refused_activities", "json"),
    ("thanks_owed", "json"),
)
PROGRAM_COLUMNS = {"eligibility": ELIGIBILITY_COLUMNS, "fatigue": FATIGUE_COLUMNS}


def program_schema(pa: Any, function: str) -> Any:
    """The Arrow schema of ``account_rows`` for ``function``."""
    types = {"text": pa.string(), "json": pa.string(), "segment": pa.string(), "number": pa.float64(),
             "bool": pa.bool_()}
    return pa.schema([pa.field(name, types[kind]) for name, kind in PROGRAM_COLUMNS[function]])


def _jsonable(v: Any) -> Any:
    """``json.dumps``'s ``default``: a value of the rows as the program reads it from Python
    (dates and timestamps as their ISO text, numpy scalars, decimals and fractions as their
    values); the program function has already read the same rows on the driver."""
    if hasattr(v, "isoformat"):
        return v.isoformat()
    if hasattr(v, "item"):
        return v.item()
    if isinstance(v, numbers.Number):  # Decimal, Fraction: their value
        return float(v)  # type: ignore[arg-type]
    raise TypeError(f"{type(v).__name__} is not JSON")


def _as_rows(v: Any) -> Any:
    from advocacy._frames import rows

    out = rows(v)
    return v if out is None else out


def program_context(function: str, *, ledger: Any, as_of: Any, config: Any, overrides: Any = None) -> str:
    """What every account of ``function`` (``eligibility`` or ``fatigue``) shares, as the JSON
    text the workers receive: the ledger (and overrides) as rows, the as-of date and the
    configuration; fields given as None are left out (the program says which it needs).

    The arguments are checked first, on the driver, by the program function itself on a probe
    account: a bad ledger, override, date or configuration raises the package's error here."""
    from advocacy import program

    fields = {"ledger": ledger, "overrides": overrides, "as_of": as_of, "config": config}
    if function == "fatigue":
        del fields["overrides"]
    # Tables as their rows, as the program function reads them (once: a table that is a query,
    # such as a Spark DataFrame, is read here once).
    shared = {k: _as_rows(v) for k, v in fields.items() if v is not None}
    probe: Any = "probe" if function == "fatigue" else {"id": "probe"}
    getattr(program, function)(shared, account=probe)
    return json.dumps(shared, default=_jsonable)


_CONTEXTS: dict[str, Any] = {}


def _context(text: str) -> Any:
    ctx = _CONTEXTS.get(text)
    if ctx is None:
        if len(_CONTEXTS) > 8:
            _CONTEXTS.clear()
        ctx = _CONTEXTS[text] = json.loads(text)
    return ctx


def _cell(kind: str, v: Any) -> Any:
    if kind == "json":
        return json.dumps(v)
    if kind == "segment":
        return v["segment"]
    return v


def account_rows(pa: Any, function: str, rows: list[dict[str, Any]], context: str, engine: str, partition: Any,
                 first_row: int = 0) -> Any:
    """``advocacy.program.eligibility`` / ``fatigue`` of every account of ``rows`` (flat rows:
    a pyarrow batch's ``to_pylist()``, a pandas frame's rows as the program reads them), with
    the shared ``context`` (``program_context``): a RecordBatch with one row per account and the
    columns of ``PROGRAM_COLUMNS``. ``eligibility`` reads each row as a flat account in Rust;
    ``fatigue`` takes the accounts' ids as ``segments`` reads them from the same rows. An error
    of the package gets a note naming the partition and the row (from ``first_row``)."""
    from advocacy import program

    ctx = _context(context)
    fn = getattr(program, function)
    if function == "fatigue":
        try:
            accounts: list[Any] = [r["account"] for r in
                                   program.segments({"accounts": rows, "config": ctx.get("config")})["results"]]
        except Exception as e:
            note(e, engine, partition, first_row)
            raise
    else:
        accounts = rows
    results = []
    for i, account in enumerate(accounts):
        try:
            results.append(fn(ctx, account=account))
        except Exception as e:
            if isinstance(e, AdvocacyError) and partition is not None:
                e.add_note(f"(in {engine} partition {partition}, its row {first_row + i})")
            raise
    schema = program_schema(pa, function)
    columns = PROGRAM_COLUMNS[function]
    return pa.RecordBatch.from_arrays(
        [pa.array([_cell(kind, r[name]) for r in results], f.type) for (name, kind), f in zip(columns, schema)],
        schema=schema,
    )
