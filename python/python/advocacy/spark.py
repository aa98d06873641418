"""Scoring Spark DataFrames: ``Model.score_frame``, ``Model.explain_frame`` and the program's
``segments``, ``eligibility`` and ``fatigue`` on every executor, through ``DataFrame.mapInArrow``.

Each function returns a Spark DataFrame (lazy, like any Spark transformation) whose schema is
known at once: it is that of the package's own result for an empty table of the input's schema,
scored on the driver, with dictionary-encoded text (the tier) as plain strings, which is what
``mapInArrow`` can read. That first, empty scoring also checks the arguments on the driver: a
column plan the core refuses (no column the model reads, two columns for one signal, a bad
``columns=``), a ``keep``, ``select`` or ``id_column`` naming no column and a bad ``on_error``
raise the package's exception from the call itself, before any job runs.

The model travels to the executors as its JSON (``Model.to_json``) and is read there once per
Python worker; a ``columns=`` file is read on the driver and travels as its contents. Inside,
each partition's Arrow batches are scored by the public ``Model.score_frame`` (as one Arrow
stream per partition: ids must be unique within a partition, and rows count from the
partition's first row) and ``Model.explain_frame`` (the same way). The results are those of
scoring the same rows locally, bit for bit.

A bad value with ``on_error="raise"`` fails the Spark job; the driver's exception
(``pyspark.errors.PythonException``) carries the package's exception and message, e.g.
``advocacy.SignalError: row 3 (id "a-7"): nps: ...``, with a note naming the partition. With
``on_error="flag"`` the row keeps a null score and the message in ``error``; the other rows are
scored.

``eligibility`` and ``fatigue`` call the program function once per account with the whole
ledger, which is taken on the driver (a pandas/polars/pyarrow table or a list of dicts), checked
there by the program function itself, and sent with the task as JSON text; their schema is fixed
(the program's output as columns, lists and objects as JSON text).

Spark's Python workers must be able to import ``advocacy`` (the same environment as the driver:
set ``PYSPARK_PYTHON``, or ship the wheel to the cluster).

>>> import advocacy, advocacy.spark
>>> scored = advocacy.spark.score(accounts, advocacy.Model.default(), keep="name")  # doctest: +SKIP
>>> scored.groupBy("tier").count().show()                                           # doctest: +SKIP
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, Callable

from advocacy import _partitions as _p
from advocacy._core import Model

if TYPE_CHECKING:  # pragma: no cover
    from pyspark.sql import DataFrame

__all__ = ["score", "explain", "segments", "eligibility", "fatigue", "output_schema"]


def _spark_arrow_type(pa: Any, t: Any) -> Any:
    """The Arrow type Spark's ``mapInArrow`` reads for a result column of type ``t``:
    dictionaries as their values (the tier as text), unsigned integers as the next wider signed
    one (Spark has none), large text and binary as the plain ones; others as they are."""
    if pa.types.is_dictionary(t):
        return _spark_arrow_type(pa, t.value_type)
    if pa.types.is_large_string(t) or pa.types.is_string_view(t):
        return pa.string()
    if pa.types.is_large_binary(t) or pa.types.is_binary_view(t):
        return pa.binary()
    if pa.types.is_unsigned_integer(t):
        return {8: pa.int16(), 16: pa.int32()}.get(t.bit_width, pa.int64())
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        return pa.list_(_spark_arrow_type(pa, t.value_type))
    return t


def _plan(df: DataFrame, run: Callable[[Any], Any]) -> tuple[Any, Any]:
    """The Spark schema of ``run``'s result and the Arrow schema the executors hand to Spark,
    from ``run`` (the package's own function) applied to an empty table of ``df``'s schema."""
    import pyarrow as pa
    from pyspark.sql.pandas.types import from_arrow_type, to_arrow_schema
    from pyspark.sql.types import StructField, StructType

    empty = to_arrow_schema(df.schema).empty_table()
    result = pa.table(run(empty))
    arrow = pa.schema([pa.field(f.name, _spark_arrow_type(pa, f.type)) for f in result.schema])
    spark = StructType([StructField(f.name, from_arrow_type(f.type), nullable=True) for f in arrow])
    return spark, arrow


def _conform(pa: Any, batch: Any, schema: Any) -> Any:
    """``batch`` with the columns Spark cannot read (the dictionary-encoded tier) cast to text."""
    if batch.schema.equals(schema):
        return batch
    cols = [c if c.type == f.type else c.cast(f.type) for c, f in zip(batch.columns, schema)]
    return pa.RecordBatch.from_arrays(cols, schema=schema)


def _partition_id() -> int | None:
    from pyspark import TaskContext

    ctx = TaskContext.get()
    return None if ctx is None else ctx.partitionId()


def _score_partition(model_json: str, kwargs: dict[str, Any], schema: Any, batches: Iterator[Any]) -> Iterator[Any]:
    import pyarrow as pa

    model = _p.model_from_json(model_json)
    first = next(batches, None)
    if first is None:
        return
    # One Arrow stream per partition: ids are checked across its batches, rows count on.
    reader = pa.RecordBatchReader.from_batches(first.schema, _p.batches_of(first, batches))
    try:
        with _p.quiet():
            scored = model.score_frame(reader, **kwargs)
        for out in scored:
            yield _conform(pa, out, schema)
    except Exception as e:
        _p.note(e, "Spark", _partition_id())
        raise


def _explain_partition(model_json: str, kwargs: dict[str, Any], schema: Any, batches: Iterator[Any]) -> Iterator[Any]:
    import pyarrow as pa

    model = _p.model_from_json(model_json)
    first = next(batches, None)
    if first is None:
        return
    # As for score: the partition is one Arrow stream (explain_frame reads it whole).
    reader = pa.RecordBatchReader.from_batches(first.schema, _p.batches_of(first, batches))
    try:
        with _p.quiet():
            out = pa.table(model.explain_frame(reader, **kwargs))
    except Exception as e:
        _p.note(e, "Spark", _partition_id())
        raise
    for b in out.to_batches(max_chunksize=first.num_rows or None):
        yield _conform(pa, b, schema)


def _segment_partition(config: Any, schema: Any, batches: Iterator[Any]) -> Iterator[Any]:
    import pyarrow as pa

    offset = 0
    for batch in batches:
        try:
            out = _p.segment_rows(pa, batch, config)
        except Exception as e:
            _p.note(e, "Spark", _partition_id(), offset)
            raise
        offset += batch.num_rows
        yield _conform(pa, out, schema)


def output_schema(
    df: DataFrame,
    model: Model,
    *,
    on_error: str = "raise",
    id_column: str | None = None,
    columns: Any = None,
    keep: str | Sequence[str] | None = None,
    as_of: Any = None,
    select: str | Sequence[str] | None = None,
) -> Any:
    """The Spark schema (a ``StructType``) of ``score(df, model, ...)``, without running a job:
    the package's result for an empty table of ``df``'s schema, with the tier as a string."""
    kwargs = _p.score_kwargs(on_error, id_column, columns, keep, as_of, select)
    return _plan(df, lambda empty: model.score_frame(empty, **kwargs))[0]


def score(
    df: DataFrame,
    model: Model,
    *,
    on_error: str = "raise",
    id_column: str | None = None,
    columns: Any = None,
    keep: str | Sequence[str] | None = None,
    as_of: Any = None,
    select: str | Sequence[str] | None = None,
) -> DataFrame:
    """``model.score_frame`` of a Spark DataFrame, on the executors: a Spark DataFrame with the
    id column, the ``keep`` columns, ``score``, ``tier`` (a string), one column per category,
    ``completeness``, ``max_possible`` and ``error`` (``select`` picks and orders the result
    columns), one row per input row. The arguments are score_frame's; ids must be unique within a
    partition (repartition by the id first to check them across the whole DataFrame), and the
    ``row`` of an error counts from the first row of its partition.

    >>> scored = advocacy.spark.score(df, model, keep=["name"], on_error="flag")   # doctest: +SKIP
    >>> scored.where("error is not null").select("id", "error").show()              # doctest: +SKIP
    """
    kwargs = _p.score_kwargs(on_error, id_column, columns, keep, as_of, select)
    spark_schema, arrow_schema = _plan(df, lambda empty: model.score_frame(empty, **kwargs))
    kwargs["columns"] = _p.portable_columns(columns)
    fn = functools.partial(_score_partition, model.to_json(), kwargs, arrow_schema)
    return df.mapInArrow(fn, spark_schema)


def explain(
    df: DataFrame,
    model: Model,
    *,
    on_error: str = "raise",
    id_column: str | None = None,
    columns: Any = None,
    as_of: Any = None,
) -> DataFrame:
    """``model.explain_frame`` of a Spark DataFrame, on the executors: one row per account and
    criterion (row, id, category, criterion, label, signal, rule, outcome, value, points, max,
    total, tier, error), ``row`` counted from the first row of the account's partition. As for
    ``score``, ids must be unique within a partition; a partition's explanation (one row per
    criterion of each of its accounts) is made whole before it is handed to Spark, so keep
    partitions to a few hundred thousand rows (``df.repartition(n)``)."""
    kwargs = _p.explain_kwargs(on_error, id_column, columns, as_of)
    spark_schema, arrow_schema = _plan(df, lambda empty: model.explain_frame(empty, **kwargs))
    kwargs["columns"] = _p.portable_columns(columns)
    fn = functools.partial(_explain_partition, model.to_json(), kwargs, arrow_schema)
    return df.mapInArrow(fn, spark_schema)


def segments(df: DataFrame, *, config: Any = None) -> DataFrame:
    """``advocacy.program.segments`` of a Spark DataFrame of accounts, on the executors: one row
    per account with ``account``, ``segment``, ``rule``, ``reason`` and ``evidence`` (the signal
    values the rule read, as JSON text).

    Each row is one program account: the columns ``id``, ``name``, ``total``, ``tier``,
    ``gated``, ``revisit``, ``custom`` and ``avoid`` fill those keys of the account, every other
    column is a signal of its ``signals`` (null cells are missing). Values are read as the
    program reads JSON, with exact types (a boolean signal needs a boolean column). ``config`` is
    the program configuration (None: the default). A bad account fails the job with the
    package's ProgramError (its ``accounts[i]`` counted from the batch's first row; the note
    names the partition and the row the batch starts at).

    >>> advocacy.spark.segments(accounts.select("id", "nps", "public_reviews"))   # doctest: +SKIP
    """
    import pyarrow as pa
    from pyspark.sql.types import StringType, StructField, StructType

    # The configuration is checked on the driver, by the program itself.
    from advocacy import program

    program.segments({"accounts": [], "config": config})
    spark_schema = StructType([StructField(c, StringType(), nullable=True) for c in _p.SEGMENT_COLUMNS])
    arrow_schema = pa.schema([pa.field(c, pa.string()) for c in _p.SEGMENT_COLUMNS])
    fn = functools.partial(_segment_partition, config, arrow_schema)
    return df.mapInArrow(fn, spark_schema)


def _program_partition(function: str, context: str, schema: Any, batches: Iterator[Any]) -> Iterator[Any]:
    import pyarrow as pa

    offset = 0
    for batch in batches:
        out = _p.account_rows(pa, function, batch.to_pylist(), context, "Spark", _partition_id(), offset)
        offset += batch.num_rows
        yield _conform(pa, out, schema)


def _per_account(df: DataFrame, function: str, context: str) -> DataFrame:
    import pyarrow as pa
    from pyspark.sql.pandas.types import from_arrow_type
    from pyspark.sql.types import StructField, StructType

    arrow_schema = _p.program_schema(pa, function)
    spark_schema = StructType([StructField(f.name, from_arrow_type(f.type), nullable=True) for f in arrow_schema])
    fn = functools.partial(_program_partition, function, context, arrow_schema)
    return df.mapInArrow(fn, spark_schema)


def eligibility(df: DataFrame, *, as_of: Any, ledger: Any = None, overrides: Any = None,
                config: Any = None) -> DataFrame:
    """``advocacy.program.eligibility`` of every account of a Spark DataFrame, on the executors,
    each with the whole ledger and overrides: one row per account with ``account``, ``tier``,
    ``total``, ``segment`` (its name), ``stage``, ``max_effort``, ``start_effort``,
    ``invited_by``, ``benefits`` and, as JSON text, ``eligible`` (the activities that can be
    asked for now, best first), ``excluded`` (every other activity with its reasons: rule,
    until, message), ``refusals`` (the fatigue rules that apply), ``thanks_owed`` and
    ``overrides``. Each cell is the program's own output for that account.

    Parameters
    ----------
    df : pyspark.sql.DataFrame
        The accounts, one per row, read as ``advocacy.spark.segments`` reads them (flat rows: an
        id column, the signals by name or alias, ``total`` or ``score``, ``tier``, ...).
    as_of : date or str
        The day the asks would be made (``"YYYY-MM-DD"``, a date or a timestamp).
    ledger, overrides : table or list of dicts, optional
        The program's ledger (past asks and activities) and tier overrides, small enough to be
        held on the driver: a pandas/polars DataFrame, a pyarrow Table or a list of dicts. They
        are read once on the driver and travel to the executors with the task as JSON text.
    config : mapping, optional
        The program configuration (None: the default).

    Returns
    -------
    pyspark.sql.DataFrame
        Lazy; its schema is known without running a job.

    Raises
    ------
    advocacy.ProgramError
        From the call itself, before any job runs, for a bad ledger, override, ``as_of`` or
        ``config`` (the program function is called on the driver for a probe account). A bad
        account fails the job with the package's ProgramError, with a note naming the partition
        and the account's row in it.

    Examples
    --------
    >>> import datetime, advocacy.spark
    >>> ledger = [{"account": "a", "activity": "conference_speaking", "status": "completed",
    ...            "date": datetime.date(2026, 3, 10)}]
    >>> df = spark.createDataFrame([("a", 90.0, "platinum", 5), ("b", 90.0, "platinum", 5)],
    ...                            "id string, total double, tier string, communication_comfort int")
    >>> out = advocacy.spark.eligibility(df, ledger=ledger, as_of="2026-04-01")
    >>> [(r.account, r.eligible == "[]") for r in out.orderBy("account").collect()]
    [('a', True), ('b', False)]
    """
    context = _p.program_context("eligibility", ledger=ledger, overrides=overrides, as_of=as_of, config=config)
    return _per_account(df, "eligibility", context)


def fatigue(df: DataFrame, *, ledger: Any, as_of: Any, config: Any = None) -> DataFrame:
    """``advocacy.program.fatigue`` of every account of a Spark DataFrame, on the executors,
    each with the whole ledger: one row per account with ``account``, ``resting``,
    ``resting_until`` and, as JSON text, ``refusals`` (each with its ``rule``, ``until``,
    ``activity``, ``max_effort``, ``trigger``, ``since`` and ``message``),
    ``refused_activities`` and ``thanks_owed``. Each cell is the program's own output for that
    account.

    Parameters
    ----------
    df : pyspark.sql.DataFrame
        The accounts, one per row; their ids are read from the rows as
        ``advocacy.spark.segments`` reads accounts (an id column by name or alias; other columns
        are read as the account's signals).
    ledger : table or list of dicts
        The program's ledger (past asks and activities), held on the driver: a pandas/polars
        DataFrame, a pyarrow Table or a list of dicts, read once and sent to the executors with
        the task as JSON text.
    as_of : date or str
        The day the rules are applied on.
    config : mapping, optional
        The program configuration (None: the default).

    Returns
    -------
    pyspark.sql.DataFrame
        Lazy; its schema is known without running a job.

    Raises
    ------
    advocacy.ProgramError
        From the call itself, before any job runs, for a bad ledger, ``as_of`` or ``config``.
        A row without an id column fails the job with the package's ProgramError (a note names
        the partition).

    Examples
    --------
    >>> import json, advocacy.spark
    >>> ledger = [{"account": "a", "activity": "conference_speaking", "status": "completed",
    ...            "date": "2026-03-10"}]
    >>> df = spark.createDataFrame([("a",), ("b",)], "id string")
    >>> rows = advocacy.spark.fatigue(df, ledger=ledger, as_of="2026-04-01").orderBy("account").collect()
    >>> [(r.account, r.resting, r.resting_until) for r in rows]
    [('a', True, '2026-06-08'), ('b', False, None)]
    >>> json.loads(rows[0].refusals)[0]["rule"]
    'rest_after.high'
    """
    context = _p.program_context("fatigue", ledger=ledger, as_of=as_of, config=config)
    return _per_account(df, "fatigue", context)
