"""Table plumbing for ``Model.score_frame``, ``Model.rank`` and ``Model.explain_frame``.

``prepare`` turns the caller's table into something with the Arrow PyCapsule interface (without
importing pyarrow unless the table is pandas or pyarrow), and ``finish`` turns the Arrow result
back into the caller's kind of table. The scoring itself happens in Rust (``advocacy._core``).
This module never loops over rows in Python.
"""

from __future__ import annotations

from typing import Any

__all__ = ["prepare", "finish"]


def _root(obj: Any) -> str:
    return (type(obj).__module__ or "").split(".")[0]


def _type_error(obj: Any) -> TypeError:
    return TypeError(
        "table: needs a pandas DataFrame, a polars DataFrame or LazyFrame, a pyarrow Table or "
        "RecordBatch, or an object with __arrow_c_stream__ / __arrow_c_array__; got "
        f"{type(obj).__module__}.{type(obj).__qualname__}"
    )


def _pandas_to_arrow(df: Any) -> tuple[Any, dict[str, list[Any]]]:
    """A pandas DataFrame as a pyarrow Table, plus the columns Arrow cannot carry as lists.

    NaN and None become Arrow nulls (``from_pandas``); nullable, categorical and string dtypes map
    to their Arrow types. An object column of mixed types (``[True, "yes"]``) has no Arrow type:
    it is handed over as a list and read value by value in Rust, like record fields.
    """
    try:
        import pyarrow as pa
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise TypeError("pandas tables need pyarrow installed (pip install pyarrow)") from e
    names = [str(c) for c in df.columns]
    if not names:
        # No columns: keep the row count (every signal is missing).
        return pa.table({"__rows": pa.nulls(len(df))}).drop_columns(["__rows"]), {}
    try:
        if len(set(names)) == len(names):
            return pa.Table.from_pandas(df, preserve_index=False), {}
    except (pa.ArrowException, ValueError, TypeError, OverflowError):
        pass
    arrays: list[Any] = []
    kept: list[str] = []
    objcols: dict[str, list[Any]] = {}
    seen: set[str] = set()
    for i, name in enumerate(names):
        if name in seen:
            raise TypeError(f"table: column name {name!r} appears more than once")
        seen.add(name)
        col = df.iloc[:, i]
        try:
            arrays.append(pa.Array.from_pandas(col))
            kept.append(name)
        except (pa.ArrowException, ValueError, TypeError, OverflowError):
            objcols[name] = col.tolist()
    if arrays:
        table = pa.Table.from_arrays(arrays, names=kept)
    else:
        table = pa.table({"__rows": pa.nulls(len(df))}).drop_columns(["__rows"])
    return table, objcols


def _polars_ready(df: Any) -> Any:
    """Columns of polars' Null dtype (all missing) as text: arrow-rs rejects polars' export of them."""
    import polars as pl

    nulls = [c for c, t in df.schema.items() if t == pl.Null]
    return df.with_columns(pl.col(nulls).cast(pl.String)) if nulls else df


def prepare(table: Any) -> tuple[str, Any, dict[str, list[Any]], Any]:
    """Returns ``(kind, arrow_object, object_columns, original)``."""
    root = _root(table)
    name = type(table).__name__
    if root == "pandas" and name == "DataFrame":
        arrow, objcols = _pandas_to_arrow(table)
        return "pandas", arrow, objcols, table
    if root == "polars":
        if name == "LazyFrame":
            return "polars_lazy", _polars_ready(table.collect()), {}, table
        if name == "DataFrame":
            return "polars", _polars_ready(table), {}, table
        raise _type_error(table)
    if root == "pyarrow":
        if name == "Table":
            return "pyarrow_table", table, {}, table
        if name == "RecordBatch":
            return "pyarrow_batch", table, {}, table
        raise _type_error(table)
    if hasattr(table, "__arrow_c_stream__") or hasattr(table, "__arrow_c_array__"):
        return "arrow", table, {}, table
    raise _type_error(table)


def finish(kind: str, original: Any, result: Any, mode: str, id_column: str | None, keep: tuple[str, ...]) -> Any:
    """Turns the Arrow ``result`` into the caller's kind of table."""
    if kind == "pandas":
        import pyarrow as pa

        df = pa.table(result).to_pandas()
        if mode == "explain":
            rows = df["row"].to_numpy()
        elif mode == "rank":
            rows = df.pop("__row").to_numpy()
        else:
            rows = None
        by_name = {str(c): c for c in original.columns}
        front = []
        if id_column is not None and id_column in by_name:
            front.append(id_column)
        front.extend(k for k in keep if k not in front)
        pos = 1 if mode in ("explain", "rank") else 0
        for k in front:
            col = original[by_name.get(k, k)]
            if getattr(col, "ndim", 1) != 1:
                raise TypeError(f"table: column name {k!r} appears more than once")
            df.insert(pos, k, col.array if rows is None else col.array.take(rows))
            pos += 1
        if mode == "score":
            df.index = original.index
        elif mode == "rank":
            df.index = original.index.take(rows)
        return df
    if kind in ("polars", "polars_lazy"):
        import polars as pl

        out = pl.DataFrame(result)
        return out.lazy() if kind == "polars_lazy" else out
    if kind == "pyarrow_table":
        import pyarrow as pa

        return pa.table(result)
    if kind == "pyarrow_batch":
        import pyarrow as pa

        t = pa.table(result).combine_chunks()
        batches = t.to_batches()
        if len(batches) == 1:
            return batches[0]
        return pa.RecordBatch.from_arrays([pa.array([], type=f.type) for f in t.schema], schema=t.schema)
    try:
        import pyarrow as pa
    except ImportError:
        return result
    return pa.table(result)
