"""Table plumbing for ``Model.score_frame``, ``Model.rank``, ``Model.explain_frame`` and
``Model.read_columns``.

``prepare`` turns the caller's table into something with the Arrow PyCapsule interface (without
importing pyarrow unless the table is pandas or pyarrow), and ``finish`` turns the Arrow result
back into the caller's kind of table. How columns are read and the scoring itself happen in Rust
(``advocacy._core``, on the core's column plan). This module never loops over rows in Python.
"""

from __future__ import annotations

import json
import warnings as _warnings
from typing import Any

__all__ = ["prepare", "finish", "headers", "ColumnWarning"]


class ColumnWarning(UserWarning):
    """A column of the table is not read (it names no signal of the model), or the column
    mapping names a column the table does not have. The same notes are in the result's
    warnings (``df.attrs["warnings"]`` for pandas, the schema metadata for pyarrow)."""


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


def _pandas_to_arrow(df: Any) -> tuple[Any, list[tuple[int, str, list[Any]]]]:
    """A pandas DataFrame as a pyarrow Table, plus the columns Arrow cannot carry as lists.

    NaN and None become Arrow nulls (``from_pandas``); nullable, categorical, string and bytes
    dtypes map to their Arrow types. An object column of mixed types (``[True, "yes"]``) has no
    Arrow type: it is handed over as ``(position, name, values)`` and read value by value in
    Rust, like record fields. Column names are text (``str(name)``); two columns may have the
    same name (the core's column plan decides whether that matters).
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
            return pa.Table.from_pandas(df, preserve_index=False), []
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


def prepare(table: Any) -> tuple[str, Any, list[tuple[int, str, list[Any]]], Any] | None:
    """Returns ``(kind, arrow_object, object_columns, original)``, or None when ``table`` is no
    table (the caller raises the TypeError)."""
    root = _root(table)
    name = type(table).__name__
    if root == "pandas":
        if name != "DataFrame":
            return None
        arrow, objcols = _pandas_to_arrow(table)
        return "pandas", arrow, objcols, table
    if root == "polars":
        if name == "LazyFrame":
            return "polars_lazy", _polars_ready(table.collect()), [], table
        if name == "DataFrame":
            return "polars", _polars_ready(table), [], table
        return None
    if root == "pyarrow":
        if name == "Table":
            return "pyarrow_table", table, [], table
        if name == "RecordBatch":
            return "pyarrow_batch", table, [], table
        return None
    if hasattr(table, "__arrow_c_stream__") or hasattr(table, "__arrow_c_array__"):
        return "arrow", table, [], table
    return None


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
           keep_positions: tuple[int, ...], notes: list[dict[str, Any]]) -> Any:
    """Turns the Arrow ``result`` into the caller's kind of table, with the warnings attached."""
    _warn(notes)
    if kind == "pandas":
        import pyarrow as pa

        df = pa.table(result).to_pandas()
        if mode == "explain":
            rows = df["row"].to_numpy()
        elif mode == "rank":
            rows = df.pop("__row").to_numpy()
        else:
            rows = None
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
        import polars as pl

        out = pl.DataFrame(result)
        return out.lazy() if kind == "polars_lazy" else out
    meta = {b"advocacy.warnings": json.dumps(notes).encode()}
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
    return pa.table(result).replace_schema_metadata(meta)
