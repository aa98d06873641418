"""Type stubs of ``advocacy.dask``: score_frame, explain_frame and program.segments, eligibility
and fatigue of Dask DataFrames, partition by partition (``DataFrame.map_partitions``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dask.dataframe import DataFrame

from advocacy._core import Model, _Columns, _DateLike, _OnError

__all__ = ["score", "explain", "segments", "eligibility", "fatigue"]

def score(
    ddf: DataFrame,
    model: Model,
    *,
    on_error: _OnError = "raise",
    id_column: str | None = None,
    columns: _Columns = None,
    keep: str | Sequence[str] | None = None,
    as_of: _DateLike = None,
    select: str | Sequence[str] | None = None,
) -> DataFrame:
    """``model.score_frame`` of a Dask DataFrame, partition by partition."""

def explain(
    ddf: DataFrame,
    model: Model,
    *,
    on_error: _OnError = "raise",
    id_column: str | None = None,
    columns: _Columns = None,
    as_of: _DateLike = None,
) -> DataFrame:
    """``model.explain_frame`` of a Dask DataFrame, partition by partition."""

def segments(ddf: DataFrame, *, config: Mapping[str, Any] | None = None) -> DataFrame:
    """``advocacy.program.segments`` of a Dask DataFrame of accounts, one row per account."""

def eligibility(
    ddf: DataFrame,
    *,
    as_of: _DateLike,
    ledger: Any = None,
    overrides: Any = None,
    config: Mapping[str, Any] | None = None,
) -> DataFrame:
    """``advocacy.program.eligibility`` of every account, with the whole ledger: one row per account."""

def fatigue(
    ddf: DataFrame,
    *,
    ledger: Any,
    as_of: _DateLike,
    config: Mapping[str, Any] | None = None,
) -> DataFrame:
    """``advocacy.program.fatigue`` of every account, with the whole ledger: one row per account."""
