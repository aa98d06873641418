"""Type stubs of the native module ``advocacy._core`` (re-exported by ``advocacy``)."""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal, TypeVar, final

__version__: str
__all__ = ["Model", "ModelError", "Score", "SignalError", "__version__", "standard_signals"]

_Tier = Literal["platinum", "gold", "silver", "not_yet_qualified", "not_advocate_material"]
_OnError = Literal["raise", "flag"]
_DateLike = datetime.date | datetime.datetime | str | None

_T = TypeVar("_T")

class SignalError(ValueError):
    """A bad signal value in an account record or table row.

    ``row`` is the 0-based row in a table (None for a single record), ``id`` the account id when
    known, ``signal`` the signal's name, ``value`` the value seen (as text), ``allowed`` what the
    signal allows, and ``code`` one of ``wrong_type``, ``out_of_range``, ``not_integer``,
    ``unknown_category``, ``not_a_record``.
    """

    row: int | None
    id: str | None
    signal: str
    value: str
    allowed: str
    code: str

class ModelError(ValueError):
    """A bad model: ``path`` is the config path (``categories[0].criteria[2].points``), ``value``
    the value seen, ``allowed`` what is allowed there, ``code`` one of ``parse``,
    ``unknown_signal``, ``invalid_rule``, ``invalid_value``, ``duplicate``, and ``message`` a
    readable description.
    """

    path: str
    value: str
    allowed: str
    code: str
    message: str

@final
class Score:
    """An account's explained advocacy score (immutable)."""

    @property
    def id(self) -> str | None: ...
    @property
    def total(self) -> float: ...
    @property
    def max(self) -> float: ...
    @property
    def tier(self) -> _Tier: ...
    @property
    def score_tier(self) -> _Tier: ...
    @property
    def gate(self) -> dict[str, Any] | None:
        """``{"id", "signal", "tier", "reason"}`` of the gate that forced the tier, or None."""
    @property
    def categories(self) -> list[dict[str, Any]]:
        """``[{"id", "label", "points", "max"}]`` in model order."""
    @property
    def criteria(self) -> list[dict[str, Any]]:
        """``[{"id", "label", "category", "signal", "rule", "outcome", "value", "points", "max"}]``;
        outcome is ``met``, ``partial``, ``not_met``, ``missing`` or ``not_applicable``."""
    @property
    def missing(self) -> list[str]: ...
    @property
    def completeness(self) -> float: ...
    @property
    def bounds(self) -> dict[str, Any]:
        """``{"min", "max", "tiers"}``: where the total could land once missing signals are known."""
    @property
    def next_tier(self) -> dict[str, Any] | None:
        """``{"tier", "points_needed", "criteria", "reachable"}`` or None."""
    @property
    def outreach(self) -> dict[str, Any]:
        """``{"who", "invited_by", "benefits", "asks", "max_effort"}``."""
    @property
    def revisit(self) -> str | None:
        """``YYYY-MM-DD`` for not-yet-qualified accounts scored with ``as_of``."""
    @property
    def warnings(self) -> list[dict[str, Any]]: ...
    def to_dict(self) -> dict[str, Any]:
        """The whole result in the core's JSON shape."""
    def to_json(self) -> str: ...
    def _repr_html_(self) -> str: ...
    def __eq__(self, value: object, /) -> bool: ...

@final
class Model:
    """An advocacy scoring model (immutable: the ``with_*`` methods return new models)."""

    @staticmethod
    def default() -> Model: ...
    @staticmethod
    def from_json(text: str) -> Model: ...
    @staticmethod
    def from_toml(text: str) -> Model: ...
    @staticmethod
    def from_dict(data: Mapping[str, Any]) -> Model: ...
    @staticmethod
    def from_file(path: str | os.PathLike[str], format: Literal["json", "toml"] | None = None) -> Model:
        """Reads a model file (``.toml`` as TOML, anything else as JSON). A file that cannot be
        read raises ModelError (code ``parse``, ``value`` = the path)."""
    @staticmethod
    def json_schema() -> str: ...
    def to_json(self) -> str: ...
    def to_toml(self) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...
    def with_targets(
        self,
        industries: str | Iterable[str] | None = None,
        segments: str | Iterable[str] | None = None,
        regions: str | Iterable[str] | None = None,
    ) -> Model: ...
    def with_missing(self, policy: Literal["zero", "rescale"]) -> Model: ...
    def with_points(self, criterion_id: str, points: float) -> Model: ...
    def with_tiers(
        self, platinum: float | None = None, gold: float | None = None, silver: float | None = None
    ) -> Model: ...
    @property
    def name(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def missing(self) -> Literal["zero", "rescale"]: ...
    @property
    def targets(self) -> dict[str, list[str]]: ...
    @property
    def tiers(self) -> dict[str, float]: ...
    @property
    def categories(self) -> list[dict[str, Any]]: ...
    @property
    def max_points(self) -> float: ...
    @property
    def signals(self) -> list[dict[str, Any]]: ...
    def warnings(self) -> list[dict[str, Any]]: ...
    def score(self, record: Mapping[str, Any], as_of: _DateLike = None) -> Score:
        """Scores one account; ``record["id"]`` is its id. Raises SignalError for a bad value."""
    def score_frame(
        self,
        table: _T,
        *,
        on_error: _OnError = "raise",
        id_column: str | None = "id",
        rename: Mapping[str, str] | None = None,
        keep: Sequence[str] | None = None,
    ) -> _T:
        """Scores a pandas/polars DataFrame, polars LazyFrame, pyarrow Table/RecordBatch or Arrow
        PyCapsule object and returns the same kind of table (capsule objects: a pyarrow Table when
        pyarrow is installed) with the id column, ``keep`` columns, ``score``, ``tier``, one column
        per category, ``completeness``, ``max_possible`` and ``error``."""
    def rank(
        self,
        table: _T,
        top: int | None = None,
        *,
        on_error: _OnError = "raise",
        id_column: str | None = "id",
        rename: Mapping[str, str] | None = None,
        keep: Sequence[str] | None = None,
    ) -> _T:
        """Like score_frame, best first (ties in input order, flagged rows last), with ``rank``."""
    def explain_frame(
        self,
        table: _T,
        *,
        on_error: _OnError = "raise",
        id_column: str | None = "id",
        rename: Mapping[str, str] | None = None,
        as_of: _DateLike = None,
    ) -> _T:
        """One row per account and criterion: row, id, category, criterion, label, signal, rule,
        outcome, value, points, max, total, tier, error."""
    def _repr_html_(self) -> str: ...
    def __reduce__(self) -> tuple[Any, tuple[str]]: ...
    def __eq__(self, value: object, /) -> bool: ...

def standard_signals() -> list[dict[str, Any]]: ...
