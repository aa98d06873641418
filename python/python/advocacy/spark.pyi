"""Type stubs of ``advocacy.spark``: score_frame, explain_frame and program.segments, eligibility
and fatigue of Spark DataFrames, on the executors (``DataFrame.mapInArrow``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pyspark.sql import DataFrame
from pyspark.sql.types import StructType

from advocacy._core import Model, _Columns, _DateLike, _OnError

__all__ = ["score", "explain", "segments", "eligibility", "fatigue", "output_schema"]

def output_schema(
    df: DataFrame,
    model: Model,
    *,
    on_error: _OnError = "raise",
    id_column: str | None = None,
    columns: _Columns = None,
    keep: str | Sequence[str] | None = None,
    as_of: _DateLike = None,
    select: str | Sequence[str] | None = None,
) -> StructType:
    """The Spark schema of ``score(df, model, ...)``, without running a job."""

def score(
    df: DataFrame,
    model: Model,
    *,
    on_error: _OnError = "raise",
    id_column: str | None = None,
    columns: _Columns = None,
    keep: str | Sequence[str] | None = None,
    as_of: _DateLike = None,
    select: str | Sequence[str] | None = None,
) -> DataFrame:
    """``model.score_frame`` of a Spark DataFrame, on the executors (the tier as a string)."""

def explain(
    df: DataFrame,
    model: Model,
    *,
    on_error: _OnError = "raise",
    id_column: str | None = None,
    columns: _Columns = None,
    as_of: _DateLike = None,
) -> DataFrame:
    """``model.explain_frame`` of a Spark DataFrame, on the executors."""

def segments(df: DataFrame, *, config: Mapping[str, Any] | None = None) -> DataFrame:
    """``advocacy.program.segments`` of a Spark DataFrame of accounts, one row per account."""

def eligibility(
    df: DataFrame,
    *,
    as_of: _DateLike,
    ledger: Any = None,
    overrides: Any = None,
    config: Mapping[str, Any] | None = None,
) -> DataFrame:
    """``advocacy.program.eligibility`` of every account, with the whole ledger: one row per account."""

def fatigue(
    df: DataFrame,
    *,
    ledger: Any,
    as_of: _DateLike,
    config: Mapping[str, Any] | None = None,
) -> DataFrame:
    """``advocacy.program.fatigue`` of every account, with the whole ledger: one row per account."""
