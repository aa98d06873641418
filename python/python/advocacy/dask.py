"""Scoring Dask DataFrames: ``Model.score_frame``, ``Model.explain_frame`` and the program's
``segments``, ``eligibility`` and ``fatigue`` on every partition, through
``DataFrame.map_partitions``.

Each function returns a lazy Dask DataFrame with the right ``meta`` (Dask never runs the
package on its made-up probe rows): the package's own result for the input's empty ``meta``
frame, so its dtypes are whatever ``score_frame`` gives a pandas frame (the tier as pandas
gets it, e.g. a categorical). That empty scoring also checks the arguments at once: a column
plan the core refuses, a ``keep``, ``select`` or ``id_column`` naming no column and a bad
``on_error`` raise the package's exception from the call itself, before anything is computed.

The model travels to the workers as its JSON (``Model.to_json``), read once per worker process;
a ``columns=`` file is read here and travels as its contents. Each partition (a pandas
DataFrame) is scored by the public ``Model.score_frame`` / ``Model.explain_frame``: ids must be
unique within a partition, and an error's ``row`` counts from the partition's first row (a note
on the exception names the partition). Errors reach the caller as the package's own exceptions
(they pickle), with every field; with ``on_error="flag"`` the bad rows keep a null score and the
message in ``error`` and the other rows are scored. Any scheduler works (threads, processes,
``distributed``).

``eligibility`` and ``fatigue`` call the program function once per account with the whole
ledger, which is taken here (a pandas/polars/pyarrow table or a list of dicts), checked by the
program function itself and sent with the task graph as JSON text; their ``meta`` is the result
for no accounts (the program's output as columns, lists and objects as JSON text).

>>> import advocacy, advocacy.dask
>>> scored = advocacy.dask.score(ddf, advocacy.Model.default(), keep="name")   # doctest: +SKIP
>>> scored.tier.value_counts().compute()                                        # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from advocacy import _partitions as _p
from advocacy._core import Model

if TYPE_CHECKING:  # pragma: no cover
    import dask.dataframe as dd
    import pandas as pd

__all__ = ["score", "explain", "segments", "eligibility", "fatigue"]


def _meta(ddf: Any) -> Any:
    """The empty pandas frame Dask keeps for ``ddf`` (its columns and dtypes)."""
    return ddf._meta


def _part_number(partition_info: dict[str, Any] | None) -> Any:
    return None if partition_info is None else partition_info.get("number")


def _score_partition(df: pd.DataFrame, model_json: str, kwargs: dict[str, Any],
                     partition_info: dict[str, Any] | None = None) -> pd.DataFrame:
    model = _p.model_from_json(model_json)
    try:
        with _p.quiet():
            out = model.score_frame(df, **kwargs)
    except Exception as e:
        _p.note(e, "Dask", _part_number(partition_info))
        raise
    return out


def _explain_partition(df: pd.DataFrame, model_json: str, kwargs: dict[str, Any],
                       partition_info: dict[str, Any] | None = None) -> pd.DataFrame:
    model = _p.model_from_json(model_json)
    try:
        with _p.quiet():
            out = model.explain_frame(df, **kwargs)
    except Exception as e:
        _p.note(e, "Dask", _part_number(partition_info))
        raise
    return out


def score(
    ddf: dd.DataFrame,
    model: Model,
    *,
    on_error: str = "raise",
    id_column: str | None = None,
    columns: Any = None,
    keep: str | Sequence[str] | None = None,
    as_of: Any = None,
    select: str | Sequence[str] | None = None,
) -> dd.DataFrame:
    """``model.score_frame`` of every partition of a Dask DataFrame: a Dask DataFrame with the
    id column, the ``keep`` columns, ``score``, ``tier``, one column per category,
    ``completeness``, ``max_possible`` and ``error`` (``select`` picks and orders the result
    columns), indexed as the input (its divisions are kept). The arguments are score_frame's.

    >>> advocacy.dask.score(ddf, model, select=["score", "tier"]).compute()   # doctest: +SKIP
    """
    kwargs = _p.score_kwargs(on_error, id_column, columns, keep, as_of, select)
    meta = model.score_frame(_meta(ddf), **kwargs)
    kwargs["columns"] = _p.portable_columns(columns)
    return ddf.map_partitions(_score_partition, model.to_json(), kwargs, meta=meta)


def explain(
    ddf: dd.DataFrame,
    model: Model,
    *,
    on_error: str = "raise",
    id_column: str | None = None,
    columns: Any = None,
    as_of: Any = None,
) -> dd.DataFrame:
    """``model.explain_frame`` of every partition of a Dask DataFrame: one row per account and
    criterion (row, id, category, criterion, label, signal, rule, outcome, value, points, max,
    total, tier, error), ``row`` counted from the first row of the account's partition; the
    result's divisions are unknown."""
    kwargs = _p.explain_kwargs(on_error, id_column, columns, as_of)
    meta = model.explain_frame(_meta(ddf), **kwargs)
    kwargs["columns"] = _p.portable_columns(columns)
    return ddf.map_partitions(_explain_partition, model.to_json(), kwargs, meta=meta, clear_divisions=True)


def _segment_partition(df: pd.DataFrame, config: Any, partition_info: dict[str, Any] | None = None) -> pd.DataFrame:
    import pyarrow as pa

    try:
        out = _p.segment_rows(pa, pa.RecordBatch.from_pandas(df, preserve_index=False), config)
    except Exception as e:
        _p.note(e, "Dask", _part_number(partition_info))
        raise
    result = out.to_pandas()
    result.index = df.index
    return result


def segments(ddf: dd.DataFrame, *, config: Any = None) -> dd.DataFrame:
    """``advocacy.program.segments`` of every partition of a Dask DataFrame of accounts: one row
    per account with ``account``, ``segment``, ``rule``, ``reason`` and ``evidence`` (the signal
    values the rule read, as JSON text), indexed as the input.

    Each row is one program account: the columns ``id``, ``name``, ``total``, ``tier``,
    ``gated``, ``revisit``, ``custom`` and ``avoid`` fill those keys of the account, every other
    column is a signal of its ``signals`` (missing cells are missing). Values are read as the
    program reads JSON, with exact types. ``config`` is the program configuration (None: the
    default). A bad account raises the package's ProgramError (its ``accounts[i]`` counted from
    the partition's first row; a note names the partition)."""
    import pyarrow as pa

    from advocacy import program

    program.segments({"accounts": [], "config": config})
    empty = _p.segment_rows(pa, pa.RecordBatch.from_pandas(_meta(ddf).iloc[:0], preserve_index=False), config)
    meta = empty.to_pandas()
    meta.index = _meta(ddf).index[:0]
    return ddf.map_partitions(_segment_partition, config, meta=meta)


def _program_partition(df: pd.DataFrame, function: str, context: str,
                       partition_info: dict[str, Any] | None = None) -> pd.DataFrame:
    import pyarrow as pa

    from advocacy._frames import rows

    out = _p.account_rows(pa, function, rows(df) or [], context, "Dask", _part_number(partition_info))
    result = out.to_pandas()
    result.index = df.index
    return result


def _per_account(ddf: dd.DataFrame, function: str, context: str) -> dd.DataFrame:
    import pyarrow as pa

    # The meta: the result of no accounts, built as every partition's result is.
    meta = _p.account_rows(pa, function, [], context, "Dask", None).to_pandas()
    meta.index = _meta(ddf).index[:0]
    return ddf.map_partitions(_program_partition, function, context, meta=meta)


def eligibility(ddf: dd.DataFrame, *, as_of: Any, ledger: Any = None, overrides: Any = None,
                config: Any = None) -> dd.DataFrame:
    """``advocacy.program.eligibility`` of every account of a Dask DataFrame, partition by
    partition, each with the whole ledger and overrides: one row per account, indexed as the
    input, with ``account``, ``tier``, ``total``, ``segment`` (its name), ``stage``,
    ``max_effort``, ``start_effort``, ``invited_by``, ``benefits`` and, as JSON text,
    ``eligible`` (the activities that can be asked for now, best first), ``excluded`` (every
    other activity with its reasons: rule, until, message), ``refusals`` (the fatigue rules that
    apply), ``thanks_owed`` and ``overrides``. Each cell is the program's own output for that
    account.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        The accounts, one per row, read as the program reads a pandas frame of accounts (flat
        rows: an id column, the signals by name or alias, ``total`` or ``score``, ``tier``, ...).
    as_of : date or str
        The day the asks would be made (``"YYYY-MM-DD"``, a date or a timestamp).
    ledger, overrides : table or list of dicts, optional
        The program's ledger (past asks and activities) and tier overrides: a pandas/polars
        DataFrame, a pyarrow Table or a list of dicts, read once here and sent with the task
        graph as JSON text.
    config : mapping, optional
        The program configuration (None: the default).

    Returns
    -------
    dask.dataframe.DataFrame
        Lazy, with its ``meta`` (the result for no accounts).

    Raises
    ------
    advocacy.ProgramError
        From the call itself, before anything is computed, for a bad ledger, override,
        ``as_of`` or ``config`` (the program function is called on a probe account). A bad
        account raises the package's ProgramError when computed, with a note naming the
        partition and the account's row in it.

    Examples
    --------
    >>> import pandas as pd, dask.dataframe as dd, advocacy.dask
    >>> ledger = pd.DataFrame({"account": ["a"], "activity": ["conference_speaking"],
    ...                        "status": ["completed"], "date": [pd.Timestamp("2026-03-10")]})
    >>> accounts = pd.DataFrame({"id": ["a", "b"], "total": [90.0, 90.0], "tier": ["platinum"] * 2,
    ...                          "communication_comfort": [5, 5]})
    >>> out = advocacy.dask.eligibility(dd.from_pandas(accounts, npartitions=2), ledger=ledger,
    ...                                 as_of="2026-04-01").compute()
    >>> [(a, e == "[]") for a, e in zip(out["account"], out["eligible"])]
    [('a', True), ('b', False)]
    """
    context = _p.program_context("eligibility", ledger=ledger, overrides=overrides, as_of=as_of, config=config)
    return _per_account(ddf, "eligibility", context)


def fatigue(ddf: dd.DataFrame, *, ledger: Any, as_of: Any, config: Any = None) -> dd.DataFrame:
    """``advocacy.program.fatigue`` of every account of a Dask DataFrame, partition by
    partition, each with the whole ledger: one row per account, indexed as the input, with
    ``account``, ``resting``, ``resting_until`` and, as JSON text, ``refusals`` (each with its
    ``rule``, ``until``, ``activity``, ``max_effort``, ``trigger``, ``since`` and ``message``),
    ``refused_activities`` and ``thanks_owed``. Each cell is the program's own output for that
    account.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        The accounts, one per row; their ids are read from the rows as ``segments`` reads
        accounts (an id column by name or alias; other columns are read as signals).
    ledger : table or list of dicts
        The program's ledger (past asks and activities): a pandas/polars DataFrame, a pyarrow
        Table or a list of dicts, read once here and sent with the task graph as JSON text.
    as_of : date or str
        The day the rules are applied on.
    config : mapping, optional
        The program configuration (None: the default).

    Returns
    -------
    dask.dataframe.DataFrame
        Lazy, with its ``meta`` (the result for no accounts).

    Raises
    ------
    advocacy.ProgramError
        From the call itself, before anything is computed, for a bad ledger, ``as_of`` or
        ``config``; when computed, for rows without an id column (a note names the partition).

    Examples
    --------
    >>> import json, pandas as pd, dask.dataframe as dd, advocacy.dask
    >>> ledger = [{"account": "a", "activity": "conference_speaking", "status": "completed",
    ...            "date": "2026-03-10"}]
    >>> ddf = dd.from_pandas(pd.DataFrame({"Account ID": ["a", "b"]}), npartitions=1)
    >>> out = advocacy.dask.fatigue(ddf, ledger=ledger, as_of="2026-04-01").compute()
    >>> out["account"].tolist(), out["resting"].tolist(), out["resting_until"].iloc[0]
    (['a', 'b'], [True, False], '2026-06-08')
    >>> json.loads(out["refusals"].iloc[0])[0]["rule"]
    'rest_after.high'
    """
    context = _p.program_context("fatigue", ledger=ledger, as_of=as_of, config=config)
    return _per_account(ddf, "fatigue", context)
