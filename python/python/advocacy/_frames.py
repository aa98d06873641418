"""Table plumbing for ``Model.score_frame``, ``Model.rank``, ``Model.explain_frame`` and
``Model.read_columns``.

``prepare`` turns the caller's table into something with the Arrow PyCapsule interface (without
importing pyarrow unless the table is pandas or pyarrow), and ``finish`` turns the Arrow result
back into the caller's kind of table. How columns are read and the scoring itself happen in Rust
(``advocacy._core``, on the core's column plan). This module never loops over rows in Python.

Tier columns leave Rust as Arrow dictionaries marked ordered, their values the core's tiers
worst first (``advocacy.TIERS``): pyarrow keeps them so, pandas reads them as an ordered
Categorical and DuckDB as an ENUM; polars gets them cast to ``pl.Enum(advocacy.TIERS)`` here.
``rows`` turns a table into plain rows for ``advocacy.program``.
"""

from __future__ import annotations

import json
import warnings as _warnings
from typing import Any

__all__ = ["prepare", "finish", "stream", "lazy", "deferred", "headers", "rows", "ColumnWarning"]


class ColumnWarning(UserWarning):
    """A column of the table is not read, or the column mapping names a column it lacks.

    Raised as a warning (never as an error) by ``Model.score_frame``, ``Model.rank`` and
    ``Model.explain_frame`` when a column names no signal of the model, or when the
    ``columns=`` mapping names a column the table does not have. The same notes are in the
    result's warnings: ``df.attrs["warnings"]`` for pandas, the schema metadata
    ``b"advocacy.warnings"`` (JSON) for pyarrow.

    Examples
    --------
    >>> import warnings, pandas as pd, advocacy
    >>> df = pd.DataFrame({"id": ["a"], "nps": [9], "notes": ["call back"]})
    >>> with warnings.catch_warnings(record=True) as seen:
    ...     warnings.simplefilter("always")
    ...     out = advocacy.Model.default().score_frame(df)
    >>> [w.category.__name__ for w in seen]
    ['ColumnWarning']
    >>> [w["code"] for w in out.attrs["warnings"] if w["code"] == "unmapped_column"]
    ['unmapped_column']
    """


def _root(obj: Any) -> str:
    return (type(obj).__module__ or "").split(".")[0]


def _empty_table(pa: Any, rows: int) -> Any:
    """A pyarrow table with no columns and ``rows`` rows."""
    return pa.table({"__rows": pa.nulls(rows)}).drop_columns(["__rows"])


# Object columns whose values Arrow carries as they are. Others (bools among numbers, numbers
# among text: pandas' "mixed", "mixed-integer") would be coerced by Arrow's type inference
# (False -> 0.0), so they go to Rust as Python values instead.
_ARROW_SAFE = {"string", "bytes", "boolean", "integer", "floating", "mixed-integer-float", "empty", "decimal",
               "date", "datetime", "datetime64", "time", "timedelta", "timedelta64"}


def _arrow_safe(col: Any) -> bool:
    if col.dtype != object:
        return True
    from pandas.api.types import infer_dtype

    return infer_dtype(col, skipna=True) in _ARROW_SAFE


def _float_array(pa: Any, col: Any) -> Any:
    """A float64 column's numpy buffer as an Arrow array, without a copy: NaN stays NaN, which
    the core reads as missing in a float column as it reads a null."""
    import numpy as np

    values = np.ascontiguousarray(col.to_numpy(dtype=np.float64, copy=False))
    return pa.Array.from_buffers(pa.float64(), len(values), [None, pa.py_buffer(values)])


def _pandas_to_arrow(df: Any, scoring: bool = False) -> tuple[Any, list[tuple[int, str, list[Any]]]]:
    """A pandas DataFrame as a pyarrow Table, plus the columns Arrow cannot carry as lists.

    NaN and None become Arrow nulls (``from_pandas``); nullable, categorical, string and bytes
    dtypes map to their Arrow types. An object column of mixed types (``[True, "yes"]``) has no
    Arrow type: it is handed over as ``(position, name, values)`` and read value by value in
    Rust, like record fields. Column names are text (``str(name)``); two columns may have the
    same name (the core's column plan decides whether that matters). For ``scoring``, numpy
    float64 columns are handed over as they are (their NaN is missing to the scoring as a null
    is), which spares a pass and a copy per column.
    """
    try:
        import pyarrow as pa
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise TypeError("pandas tables need pyarrow installed (pip install pyarrow)") from e
    names = [str(c) for c in df.columns]
    if not names:
        # No columns: keep the row count.
        return _empty_table(pa, len(df)), []
    safe = [_arrow_safe(df.iloc[:, i]) for i in range(len(names))]
    if len(set(names)) == len(names) and all(safe):
        try:
            floats = {i for i in range(len(names)) if scoring and str(df.dtypes.iloc[i]) == "float64"}
            if not floats:
                return pa.Table.from_pandas(df, preserve_index=False), []
            rest = [i for i in range(len(names)) if i not in floats]
            others = pa.Table.from_pandas(df.iloc[:, rest], preserve_index=False) if rest else None
            cols = [_float_array(pa, df.iloc[:, i]) if i in floats or others is None else others.column(rest.index(i))
                    for i in range(len(names))]
            return pa.Table.from_arrays(cols, names=names), []
        except (pa.ArrowException, ValueError, TypeError, OverflowError):
            pass
    arrays: list[Any] = []
    kept: list[str] = []
    objcols: list[tuple[int, str, list[Any]]] = []
    for i, name in enumerate(names):
        col = df.iloc[:, i]
        try:
            if not safe[i]:
                raise TypeError(name)
            arrays.append(pa.Array.from_pandas(col))
            kept.append(name)
        except (pa.ArrowException, ValueError, TypeError, OverflowError):
            objcols.append((i, name, col.tolist()))
    table = pa.Table.from_arrays(arrays, names=kept) if arrays else _empty_table(pa, len(df))
    return table, objcols


def _polars_ready(df: Any) -> Any:
    """Columns of polars' Null dtype (all missing) as text: arrow-rs rejects polars' export of them."""
    import polars as pl

    nulls = [c for c, t in df.schema.items() if t == pl.Null]
    return df.with_columns(pl.col(nulls).cast(pl.String)) if nulls else df


def _pyarrow_stream(table: Any) -> Any | None:
    """A pyarrow stream as a ``pyarrow.RecordBatchReader`` (a reader itself, a dataset scanner's
    reader, a dataset's scan), or None for other pyarrow objects."""
    import pyarrow as pa

    if isinstance(table, pa.RecordBatchReader):
        return table
    try:
        import pyarrow.dataset as ds
    except ImportError:  # pragma: no cover - depends on the build of pyarrow
        return None
    if isinstance(table, ds.Scanner):
        return table.to_reader()
    if isinstance(table, ds.Dataset):
        return table.scanner().to_reader()
    return None


def prepare(table: Any, scoring: bool = False) -> tuple[str, Any, list[tuple[int, str, list[Any]]], Any] | None:
    """Returns ``(kind, arrow_object, object_columns, original)``, or None when ``table`` is no
    table (the caller raises the TypeError).

    For ``scoring`` (score_frame, rank, explain_frame), a LazyFrame comes back as itself with an
    empty DataFrame of its schema (kind ``polars_lazy``), a stream (kind ``stream``: a pyarrow
    RecordBatchReader, Dataset or Scanner, or any other object with ``__arrow_c_stream__`` that
    is not a table) as a pyarrow RecordBatchReader or the object itself, unread, and pandas
    float64 columns as they are (see ``_pandas_to_arrow``). Otherwise (``score_sources``), both
    are read whole and pandas NaN becomes null."""
    root = _root(table)
    name = type(table).__name__
    if root == "pandas":
        if name != "DataFrame":
            return None
        arrow, objcols = _pandas_to_arrow(table, scoring)
        return "pandas", arrow, objcols, table
    if root == "polars":
        if name == "LazyFrame":
            if scoring:
                import polars as pl

                return "polars_lazy", _polars_ready(pl.DataFrame(schema=table.collect_schema())), [], table
            return "polars_lazy", _polars_ready(table.collect()), [], table
        if name == "DataFrame":
            return "polars", _polars_ready(table), [], table
        return None
    if root == "pyarrow":
        if name == "Table":
            return "pyarrow_table", table, [], table
        if name == "RecordBatch":
            return "pyarrow_batch", table, [], table
        reader = _pyarrow_stream(table)
        if reader is None:
            return None
        return "stream", reader, [], table
    if hasattr(table, "__arrow_c_stream__"):
        return "stream", table, [], table
    if hasattr(table, "__arrow_c_array__"):
        return "arrow", table, [], table
    return None


def _metadata(notes: list[dict[str, Any]]) -> dict[bytes, bytes]:
    return {b"advocacy.warnings": json.dumps(notes).encode()}


def _tiers() -> tuple[str, ...]:
    from advocacy._core import TIERS

    return tuple(TIERS)


def _polars(result: Any, prefix: str) -> Any:
    """An Arrow result as a polars DataFrame, its tier column an ``Enum`` of the tiers worst
    first (polars reads an ordered dictionary as an unordered Categorical)."""
    import polars as pl

    out = pl.DataFrame(result)
    return _polars_tiers(out, prefix)


def _polars_tiers(out: Any, prefix: str) -> Any:
    import polars as pl

    tier = prefix + "tier"
    if tier in out.columns:
        out = out.with_columns(pl.col(tier).cast(pl.Enum(_tiers())))
    return out


def _is_duckdb(obj: Any) -> bool:
    return _root(obj) == "duckdb"


def _duckdb_relation(arrow: Any, prefix: str) -> Any:
    """A DuckDB relation over an Arrow object (a table, or a stream that can be read again), on
    an in-memory connection of its own (a query of it reads the input relation, which a query
    on the input's own connection could not do), its tier column an ENUM of the tiers worst
    first (DuckDB reads an Arrow dictionary as text, which compares alphabetically)."""
    import duckdb

    rel = duckdb.connect().from_arrow(arrow)
    tier = prefix + "tier"
    if tier not in rel.columns:
        return rel
    name = "advocacy_scored"
    quoted = '"' + tier.replace('"', '""') + '"'
    values = ", ".join("'" + t.replace("'", "''") + "'" for t in _tiers())
    return rel.query(name, f"select * replace (cast({quoted} as enum({values})) as {quoted}) from {name}")


def _scored_reader(source: Any, scorer: Any, meta: dict[bytes, bytes]) -> Any:
    import pyarrow as pa

    reader = source if isinstance(source, pa.RecordBatchReader) else pa.RecordBatchReader.from_stream(source)
    schema = pa.schema(scorer.schema).with_metadata(meta)

    def batches() -> Any:
        for batch in reader:
            for out in pa.table(scorer.score(batch)).to_batches():
                yield out.replace_schema_metadata(meta)

    return pa.RecordBatchReader.from_batches(schema, batches())


class _Rescored:
    """An Arrow stream that reads and scores its source anew each time it is read, from the
    first row (fresh ids): what a DuckDB relation over scored rows reads, once per query."""

    def __init__(self, source: Any, scorer: Any, meta: dict[bytes, bytes]) -> None:
        self._source = source
        self._scorer = scorer
        self._meta = meta

    def __arrow_c_schema__(self) -> Any:
        import pyarrow as pa

        return pa.schema(self._scorer.schema).with_metadata(self._meta).__arrow_c_schema__()

    def __arrow_c_stream__(self, requested_schema: Any = None) -> Any:
        reader = _scored_reader(self._source, self._scorer.fresh(), self._meta)
        return reader.__arrow_c_stream__(requested_schema)


def stream(original: Any, source: Any, scorer: Any, notes: list[dict[str, Any]], prefix: str = "") -> Any:
    """``score_frame`` of a stream: a ``pyarrow.RecordBatchReader`` that reads a batch of
    ``source``, scores it and hands it on, one batch at a time (memory stays that of a batch, plus
    the ids seen so far). Errors (a bad row with ``on_error="raise"``, a repeated id) are raised
    by the read that reaches them, as the library's exceptions. A DuckDB relation gives a DuckDB
    relation that does the same each time it is read (each query runs the input's query again)."""
    _warn(notes)
    try:
        import pyarrow as pa  # noqa: F401
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise TypeError("scoring an Arrow stream returns a pyarrow.RecordBatchReader: pip install pyarrow") from e
    meta = _metadata(notes)
    if _is_duckdb(original):
        return _duckdb_relation(_Rescored(original, scorer, meta), prefix)
    return _scored_reader(source, scorer, meta)


def lazy(original: Any, empty: Any, scorer: Any, notes: list[dict[str, Any]], prefix: str = "") -> Any:
    """``score_frame`` of a LazyFrame: a LazyFrame whose source scores ``original``'s batches as
    they come (``LazyFrame.collect_batches``, in order), so that nothing runs before it is
    collected and the streaming engine never holds more than a batch; every id must be new in
    the whole frame. Projections, filters and slices on the result apply to each scored batch
    (a slice stops reading the input once it has its rows)."""
    _warn(notes)
    from polars.io.plugins import register_io_source

    schema = _polars(scorer.score(empty), prefix).schema

    def source(with_columns: list[str] | None, predicate: Any, n_rows: int | None, batch_size: int | None) -> Any:
        run = scorer.fresh()
        batches = original.collect_batches(chunk_size=batch_size)
        seen = 0
        try:
            for df in batches:
                if n_rows is not None:
                    if seen >= n_rows:
                        break
                    df = df.head(n_rows - seen)
                out = _polars(run.score(_polars_ready(df)), prefix)
                seen += out.height
                if predicate is not None:
                    out = out.filter(predicate)
                if with_columns is not None:
                    out = out.select(with_columns)
                yield out
        finally:
            stop = getattr(batches, "stop", None)
            if stop is not None:
                stop()

    return register_io_source(source, schema=schema, explain_name="advocacy.score_frame")


def deferred(original: Any, op: Any) -> Any:
    """``rank`` or ``explain_frame`` of a LazyFrame: a LazyFrame that collects ``original`` and
    runs ``op`` on it when it is collected (both need every row at once). The column plan is
    checked, and its warnings given, now (``op`` of an empty frame of the schema)."""
    import polars as pl
    from polars.io.plugins import register_io_source

    schema = op(_polars_ready(pl.DataFrame(schema=original.collect_schema()))).schema

    def source(with_columns: list[str] | None, predicate: Any, n_rows: int | None, batch_size: int | None) -> Any:
        with _warnings.catch_warnings():
            _warnings.simplefilter("ignore", ColumnWarning)
            out = op(_polars_ready(original.collect()))
        if n_rows is not None:
            out = out.head(n_rows)
        if predicate is not None:
            out = out.filter(predicate)
        if with_columns is not None:
            out = out.select(with_columns)
        yield out

    return register_io_source(source, schema=schema, explain_name="advocacy")


def headers(obj: Any) -> list[str] | None:
    """The column names of a table (pandas, polars, pyarrow), or None when ``obj`` is no table."""
    root = _root(obj)
    name = type(obj).__name__
    if root == "pandas" and name == "DataFrame":
        return [str(c) for c in obj.columns]
    if root == "polars" and name == "LazyFrame":
        return list(obj.collect_schema().names())
    if root == "polars" and name == "DataFrame":
        return list(obj.columns)
    if root == "pyarrow" and name in ("Table", "RecordBatch"):
        return list(obj.schema.names)
    return None


def _warn(notes: list[dict[str, Any]]) -> None:
    """The column plan's notes as Python warnings (the model's own notes are not repeated: see
    ``Model.warnings()``)."""
    for w in notes:
        if w.get("code") in ("unmapped_column", "mapped_column_absent"):
            _warnings.warn(w["message"], ColumnWarning, stacklevel=3)


def finish(kind: str, original: Any, result: Any, mode: str, id_position: int | None,
           keep_positions: tuple[int, ...], notes: list[dict[str, Any]], keep_all: bool = False,
           prefix: str = "") -> Any:
    """Turns the Arrow ``result`` into the caller's kind of table, with the warnings attached.

    With ``keep_all`` (``keep="all"``), a scored pandas table is the caller's own frame (a
    shallow copy: the same column buffers) with the computed columns added; other kinds carry
    the input's Arrow arrays themselves (Rust put them in ``result``)."""
    _warn(notes)
    if kind == "pandas":
        import pyarrow as pa

        df = pa.table(result).to_pandas()
        if mode == "explain":
            rows = df[prefix + "row"].to_numpy()
        elif mode == "rank":
            rows = df.pop("__row").to_numpy()
        else:
            rows = None
        if keep_all and rows is None:
            out = original.copy(deep=False)
            for name in df.columns:
                out[name] = df[name].array
            out.attrs["warnings"] = notes
            return out
        if keep_all:
            front = list(range(len(original.columns)))
        else:
            front = [] if id_position is None else [id_position]
            front.extend(k for k in keep_positions if k not in front)
        pos = 1 if mode in ("explain", "rank") else 0
        for k in front:
            col = original.iloc[:, k]
            df.insert(pos, str(original.columns[k]), col.array if rows is None else col.array.take(rows),
                      allow_duplicates=True)
            pos += 1
        if mode == "score":
            df.index = original.index
        elif mode == "rank":
            df.index = original.index.take(rows)
        df.attrs["warnings"] = notes
        return df
    if kind in ("polars", "polars_lazy"):
        out = _polars(result, prefix)
        return out.lazy() if kind == "polars_lazy" else out
    meta = _metadata(notes)
    if kind == "pyarrow_table":
        import pyarrow as pa

        return pa.table(result).replace_schema_metadata(meta)
    if kind == "pyarrow_batch":
        import pyarrow as pa

        t = pa.table(result).combine_chunks()
        batches = t.to_batches()
        if len(batches) == 1:
            return batches[0].replace_schema_metadata(meta)
        return pa.RecordBatch.from_arrays([pa.array([], type=f.type) for f in t.schema],
                                          schema=t.schema.with_metadata(meta))
    try:
        import pyarrow as pa
    except ImportError:
        return result
    table = pa.table(result).replace_schema_metadata(meta)
    if _is_duckdb(original):
        return _duckdb_relation(table, prefix)
    return table


def rows(table: Any) -> list[dict[str, Any]] | None:
    """A table (pandas or polars DataFrame or LazyFrame, pyarrow Table or RecordBatch, or any
    object with ``__arrow_c_stream__`` / ``__arrow_c_array__``) as a list of rows (column name ->
    value; missing values None), for ``advocacy.program``; None when ``table`` is no table.
    The rows are read as program inputs in Rust (``advocacy-program``); nothing is read here."""
    root = _root(table)
    name = type(table).__name__
    if root == "polars" and name in ("DataFrame", "LazyFrame"):
        df = table.collect() if name == "LazyFrame" else table
        return list(df.to_dicts())
    if root == "pandas":
        if name != "DataFrame":
            return None
        arrow, objcols = _pandas_to_arrow(table)
        out = arrow.to_pylist() if arrow.num_columns else [{} for _ in range(len(table))]
        for _, col, values in objcols:
            for row, v in zip(out, values):
                row[col] = v
        return out
    if root == "pyarrow" and name in ("Table", "RecordBatch"):
        return list(table.to_pylist())
    if hasattr(table, "__arrow_c_stream__") or hasattr(table, "__arrow_c_array__"):
        try:
            import pyarrow as pa
        except ImportError as e:  # pragma: no cover - depends on the environment
            raise TypeError("reading an Arrow table needs pyarrow installed (pip install pyarrow)") from e
        return list(pa.table(table).to_pylist())
    return None
