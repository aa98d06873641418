"""Type stubs of the native module ``advocacy._core`` (re-exported by ``advocacy``)."""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal, NotRequired, TypedDict, TypeVar, final

from advocacy import _types as _t
from advocacy._calibration import Calibration

__version__: str
__all__ = [
    "AdvocacyError",
    "Model",
    "ModelError",
    "ProgramError",
    "Score",
    "SignalError",
    "LANGS",
    "TIERS",
    "UsageError",
    "__version__",
    "message",
    "standard_signals",
    "text",
]

_OnError = Literal["raise", "flag"]
_Keep = Literal["all"] | str | Sequence[str] | None

LANGS: tuple[str, ...]
"""The languages of the texts, English first: ``("en", "id", "ms", "de", "es")``."""
TIERS: tuple[str, ...]
"""The tiers worst first: ``("not_advocate_material", "not_yet_qualified", "silver", "gold",
"platinum")``, the order of every tier column the library returns (pandas ordered Categorical,
polars ``Enum``, Arrow dictionary marked ordered, DuckDB ENUM)."""
_DateLike = datetime.date | datetime.datetime | str | None

class _ColumnMapping(TypedDict, total=False):
    """How a table's columns are read, on top of the automatic matching by name and alias (the
    core's ``ColumnMapping``; the same keys as a ``--columns`` file of the CLI)."""

    id: str
    """The column holding the account id (default: the first of ``id``, ``Account ID``, ...)."""
    name: str
    """The column holding the account's name (default: ``name``, ``Account Name``, ...)."""
    observed: str
    """The column holding the date the row's values were observed."""
    columns: Mapping[str, str]
    """Header -> the signal it holds, or ``"ignore"``, ``"id"``, ``"name"``."""
    values: Mapping[str, Mapping[str, str]]
    """Per signal: a text cell's value -> the value it means (``{"segment": {"Commercial": "mid_market"}}``)."""
    decimal_comma: bool
    """Numbers are written with a decimal comma (``85,5``)."""

_Columns = _ColumnMapping | Mapping[str, Any] | str | os.PathLike[str] | None

class _ColumnRead(TypedDict):
    """How one header is read (``Model.read_columns``)."""

    header: str
    role: Literal["id", "name", "observed", "signal", "ignored"]
    signal: str | None
    reason: str

class _Source(TypedDict):
    """One source of ``Model.score_sources``."""

    name: str
    """The source's name (``crm``, ``survey``): where each value came from, in the explanation."""
    data: Any
    """A pandas/polars DataFrame, polars LazyFrame, pyarrow Table/RecordBatch, Arrow PyCapsule
    object, a list of dicts (column name -> value), or ``{"headers": [...], "rows": [[...], ...]}``."""
    columns: NotRequired[_Columns]
    """How its columns are read (as score_frame's ``columns``)."""
    date: NotRequired[_DateLike]
    """When its values were observed, for rows without an observation date of their own."""

_T = TypeVar("_T")

class AdvocacyError(ValueError):
    """An error of the advocacy library: the fields of the core's error envelope, one to one.

    ``kind`` says where it comes from (``record``, ``model``, ``column``, ``date``, ``program``,
    ``usage``) and ``code`` what it is within the kind (``out_of_range``, ``unknown_signal``,
    ...). ``path`` is the config or input path (model and program errors) or the argument's name
    (usage errors), ``row`` the 0-based row in a table or list, ``id`` the account id, ``signal``
    the signal (record errors) or the column (column errors), ``value`` the value seen as text
    and ``allowed`` what is allowed there; fields that do not apply are None. ``message`` is the
    whole text, the same as ``str(error)`` and the same in every language of the library.

    Subclasses: SignalError (kind ``record``), ModelError (``model``), ProgramError
    (``program``) and UsageError (``usage``); column and date errors (e.g. an ``as_of`` that is
    not a date) are raised as AdvocacyError itself. Wrong Python types of arguments (a number for
    ``as_of``, a list for a table or a record) raise TypeError instead, naming the argument.
    """

    kind: _t.ErrorKind | None
    code: str
    path: str | None
    row: int | None
    id: str | None
    signal: str | None
    value: str | None
    allowed: str | None
    message: str

class SignalError(AdvocacyError):
    """A bad signal value in an account record or table row (kind ``record``).

    ``row`` is the 0-based row in a table (None for a single record), ``id`` the account id when
    known, ``signal`` the signal's name (``id`` for the id), ``value`` the value seen (as text),
    ``allowed`` what the signal allows, and ``code`` one of ``wrong_type`` (also bytes that are not
    UTF-8), ``out_of_range``, ``not_integer``, ``unknown_category``, ``missing_id`` and
    ``duplicate_id`` (a table with an id column: every row needs an id of its own).
    """

    kind: Literal["record"]

class ModelError(AdvocacyError):
    """A bad model (kind ``model``): ``path`` is the config path
    (``categories[0].criteria[2].points``; ``criterion`` for an unknown criterion id given to
    ``with_points``), ``value`` the value seen, ``allowed`` what is allowed there, ``code`` one of
    ``parse``, ``unknown_signal``, ``invalid_rule``, ``invalid_value``, ``duplicate``,
    ``unknown_criterion``.

    How a table's columns are read is checked by the core's column plan and fails as a ModelError
    too, with a path under ``columns``: a column mapping that does not read (``parse``) or names an
    unknown signal (``unknown_signal``, path ``columns.<header>``), two columns for one signal
    (``duplicate``, path ``columns[<i>]``), and a table in which no column holds a signal the model
    reads (``invalid_value``, path ``columns``: never a table of zeros).
    """

    kind: Literal["model"]

class ProgramError(AdvocacyError):
    """A bad program input or configuration (kind ``program``), raised by ``advocacy.program``.

    ``code`` is one of ``parse`` (wrong shape or type, missing field), ``invalid_value``,
    ``unknown_signal``, ``invalid_rule``, ``unknown_activity``, ``duplicate``, ``out_of_range``,
    ``wrong_type``, ``not_integer``, ``unknown_category``, ``model``, ``unknown_function``;
    ``path`` is where, in the input's terms (``accounts[1].signals.nps``,
    ``config.fatigue.max_asks.count``); ``row`` the index in the list concerned and ``id`` the
    account id when known.
    """

    kind: Literal["program"]

class UsageError(AdvocacyError):
    """An argument value the library cannot take (kind ``usage``): ``path`` is the argument
    (``on_error``, ``top``, ``format``, ``keep``, ``select``, ``id_column``, ``conflicts``,
    ``sources[i]`` for a source dict with other keys than name, data, columns, date), ``value`` what
    was given and ``allowed`` what it may be; ``code`` is ``invalid_argument``, ``unknown_column`` (a
    name that is not a column of the table, or not a result column for ``select``) or
    ``duplicate_column`` (a ``keep`` name two columns have, a ``select`` name given twice).
    """

    kind: Literal["usage"]

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
    def tier(self) -> _t.Tier: ...
    @property
    def score_tier(self) -> _t.Tier: ...
    @property
    def gate(self) -> _t.GateHit | None:
        """``{"id", "signal", "tier", "reason"}`` of the gate that forced the tier, or None."""
    @property
    def categories(self) -> list[_t.CategoryScore]:
        """``[{"id", "label", "points", "max"}]`` in model order."""
    @property
    def criteria(self) -> list[_t.CriterionScore]:
        """``[{"id", "label", "category", "signal", "rule", "outcome", "value", "points", "max"}]``;
        outcome is ``met``, ``partial``, ``not_met``, ``missing`` or ``not_applicable``."""
    @property
    def missing(self) -> list[str]: ...
    @property
    def completeness(self) -> float: ...
    @property
    def bounds(self) -> _t.Bounds:
        """``{"min", "max", "tiers"}``: where the total could land once missing signals are known."""
    @property
    def next_tier(self) -> _t.GapToNextTier | None:
        """``{"tier", "points_needed", "criteria", "reachable"}`` or None."""
    @property
    def outreach(self) -> _t.OutreachPlan:
        """``{"who", "invited_by", "benefits", "asks", "max_effort"}``."""
    @property
    def revisit(self) -> str | None:
        """``YYYY-MM-DD`` for not-yet-qualified accounts scored with ``as_of``."""
    @property
    def warnings(self) -> list[_t.Warning]: ...
    def to_dict(self) -> _t.Score:
        """The whole result in the core's JSON shape."""
    def to_json(self) -> str: ...
    def _repr_html_(self) -> str: ...
    def explain(self, lang: str | None = None, name: str | None = None) -> str: ...
    @staticmethod
    def _from_json(text: str) -> Score:
        """A score from its JSON (``to_json``): how scores unpickle."""
    def __reduce__(self) -> tuple[Any, tuple[str]]:
        """Scores pickle as their JSON (they travel back from Dask/Spark workers)."""
    def __eq__(self, value: object, /) -> bool: ...

@final
class Model:
    """An advocacy scoring model (immutable: the ``with_*`` methods return new models)."""

    @staticmethod
    def default(lang: str | None = None) -> Model: ...
    def localized(self, lang: str) -> Model: ...
    @staticmethod
    def from_json(text: str) -> Model: ...
    @staticmethod
    def from_toml(text: str) -> Model: ...
    @staticmethod
    def from_dict(data: Mapping[str, Any]) -> Model: ...
    @staticmethod
    def from_file(path: str | os.PathLike[str], format: Literal["json", "toml"] | None = None) -> Model:
        """Reads a model file (``.toml`` as TOML, anything else as JSON). A file that cannot be
        read raises ModelError (code ``parse``, ``value`` = the path); a ``format`` other than
        these raises UsageError."""
    @staticmethod
    def json_schema() -> str: ...
    def to_json(self) -> str: ...
    def to_toml(self) -> str: ...
    def calibrate(
        self,
        history: Any = None,
        ledger: Any = None,
        *,
        examples: Any = None,
        outcome: Literal["said_yes", "completed"] | None = None,
        accounts: Any = None,
        folds: int | None = None,
        thresholds: bool | None = None,
    ) -> Calibration:
        """New points learned from the program's outcomes (see ``advocacy calibrate``)."""
    def to_dict(self) -> _t.Model:
        """The model as a dict, in the model file's shape."""
    def with_targets(
        self,
        industries: str | Iterable[str] | None = None,
        segments: str | Iterable[str] | None = None,
        regions: str | Iterable[str] | None = None,
    ) -> Model:
        """A copy with the given target lists replaced (``None`` keeps a list as it is)."""
    def with_missing(self, policy: _t.MissingPolicy) -> Model: ...
    def with_points(self, criterion_id: str, points: float) -> Model:
        """A copy where criterion ``criterion_id`` is worth ``points``; an id the model does not
        have raises ModelError (code ``unknown_criterion``, path ``criterion``)."""
    def with_tiers(
        self, platinum: float | None = None, gold: float | None = None, silver: float | None = None
    ) -> Model: ...
    def with_max_ages(self, max_age_days: Mapping[str, int]) -> Model:
        """A copy with other maximum ages (signal -> days): with an as-of date, a value observed
        longer ago than that counts as missing. Checked by the core: an unknown signal or 0 days
        raise ModelError (path ``max_age_days.<signal>``)."""
    @property
    def max_age_days(self) -> dict[str, int]:
        """How old a signal's value may be, in days, before it counts as missing."""
    @property
    def name(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def missing(self) -> _t.MissingPolicy: ...
    @property
    def targets(self) -> _t.Targets: ...
    @property
    def tiers(self) -> _t.Thresholds: ...
    @property
    def categories(self) -> list[_t.Category]: ...
    @property
    def max_points(self) -> float: ...
    @property
    def signals(self) -> list[_t.SignalSpec]:
        """Every signal the model knows: its own declarations, then the standard signals."""
    def warnings(self) -> list[_t.Warning]: ...
    def score(self, record: Mapping[str, Any], as_of: _DateLike = None) -> Score:
        """Scores one account (a mapping of signal names to values, or a pandas row);
        ``record["id"]`` is its id, as the core writes ids (``7`` and ``7.0`` are ``"7"``).
        Values are read loosely, as table cells are (``"yes"``, ``"9"``, ``"85%"``, bytes as
        UTF-8 text). Raises SignalError for a bad value, TypeError for a record that is no
        mapping."""
    def score_frame(
        self,
        table: _T,
        *,
        on_error: _OnError = "raise",
        id_column: str | None = None,
        columns: _Columns = None,
        keep: _Keep = None,
        as_of: _DateLike = None,
        select: str | Sequence[str] | None = None,
        prefix: str | None = None,
    ) -> _T:
        """Scores a pandas/polars DataFrame, polars LazyFrame, pyarrow Table/RecordBatch or Arrow
        PyCapsule object and returns the same kind of table with the id column, ``keep`` columns,
        ``score``, ``tier``, one column per category, ``completeness``, ``max_possible`` and
        ``error`` (``select`` picks and orders the columns after the id and ``keep`` ones:
        ``select=["score", "tier"]`` for score and tier only).

        ``keep="all"`` returns every input column, in the input's order and without copying its
        buffers, with the result columns added (a list ``["all"]`` keeps a column named
        ``all``). A kept column with the name of a result column raises UsageError (path
        ``keep``) naming it; ``prefix`` is put before every computed column's name
        (``prefix="adv_"``: ``adv_score``, ``adv_tier``, ...) to keep both.

        ``tier`` is ordered worst first, ``not_advocate_material < not_yet_qualified < silver
        < gold < platinum`` (``advocacy.TIERS``): a pandas ordered Categorical, a polars
        ``Enum``, an Arrow dictionary marked ordered, a DuckDB ENUM.

        What comes back is the annotation's type (the input's) for pandas/polars DataFrames,
        LazyFrames, pyarrow Tables/RecordBatches/RecordBatchReaders and DuckDB relations (a
        relation on an in-memory connection of its own, scored as it is read, again for each query);
        a pyarrow Dataset or Scanner, or another object with only ``__arrow_c_stream__``, gives
        a ``pyarrow.RecordBatchReader``, and one with only ``__arrow_c_array__`` a pyarrow Table.

        A LazyFrame gives a LazyFrame that is scored when it is collected, batch by batch (the
        streaming engine, ``sink_parquet`` and the in-memory engine all work). Any other Arrow
        stream (``__arrow_c_stream__``: a ``pyarrow.RecordBatchReader``, a DuckDB result, a
        ``pyarrow.dataset`` Dataset or Scanner) gives a ``pyarrow.RecordBatchReader`` that scores
        one batch at a time as it is read: a bad row raises (or is flagged) when its batch is
        read, and every id must be new in the whole stream. An object with only
        ``__arrow_c_array__`` gives a pyarrow Table.

        Headers are read by the core's column plan (``Model.read_columns``): by name and alias
        with case, spaces and punctuation folded (``NPS``, ``Health Score``, ``Account ID``), and
        by ``columns``: a dict in the column mapping's shape, or the path of a .json/.toml file of
        it (its value maps apply to text cells; ``decimal_comma`` to numbers written as text).
        ``id_column`` names the id column (default: the mapping's, else the first of ``id``,
        ``Account ID``, ...); when the table has one, every row needs an id of its own.

        A column of observation dates (``observed``, ``Observed At``, or the mapping's
        ``observed``; YYYY-MM-DD text, or date/datetime columns) dates each row's values: with
        ``as_of``, a value older than the model's ``max_age_days`` for its signal counts as
        missing. A date cell that is not a date is an error of its row (signal ``observed``).

        A bad value raises SignalError (with its ``row``) or, with ``on_error="flag"``, leaves
        its row without a score and with the error's message in ``error``. A column plan the
        core refuses (no column the model reads, two columns for one signal, a bad mapping)
        raises ModelError; ``keep`` or ``id_column`` naming no column of the table, ``select``
        naming no result column, or an ``on_error`` other than ``"raise"``/``"flag"`` raise
        UsageError; arguments of the wrong type raise TypeError. Columns read as nothing are warned about (ColumnWarning) and
        listed, with the model's notes, in the result's warnings: ``df.attrs["warnings"]``
        (pandas), the schema metadata ``b"advocacy.warnings"`` (pyarrow, JSON)."""
    def rank(
        self,
        table: _T,
        top: int | None = None,
        *,
        on_error: _OnError = "raise",
        id_column: str | None = None,
        columns: _Columns = None,
        keep: _Keep = None,
        as_of: _DateLike = None,
        select: str | Sequence[str] | None = None,
        prefix: str | None = None,
    ) -> _T:
        """Like score_frame, best first (ties in input order, flagged rows last), with ``rank``
        (named with ``prefix`` too). A LazyFrame stays lazy, a DuckDB relation gives a DuckDB
        relation; another stream is read whole (ranking needs every row) and gives a pyarrow
        Table."""
    def explain_frame(
        self,
        table: _T,
        *,
        on_error: _OnError = "raise",
        id_column: str | None = None,
        columns: _Columns = None,
        keep: _Keep = None,
        as_of: _DateLike = None,
        prefix: str | None = None,
    ) -> _T:
        """One row per account and criterion: row, id (and the ``keep`` columns; ``"all"``:
        every input column), category, criterion, label, signal, rule, outcome, value, points,
        max, total, tier (ordered, as in score_frame), error, each computed column named with
        ``prefix``. Columns are read as by score_frame, and ``as_of`` judges freshness by the
        table's observation dates as score_frame does. A LazyFrame stays lazy, a DuckDB
        relation gives a DuckDB relation; another stream is read whole and gives a pyarrow
        Table."""
    def score_sources(
        self,
        sources: Sequence[_Source] | Mapping[str, Any],
        *,
        conflicts: _t.ConflictRule = "latest",
        as_of: _DateLike = None,
        on_error: _OnError = "raise",
    ) -> _t.SourceScores:
        """Joins several tables of the same accounts (a CRM export, a survey, support tickets) by
        account id and scores every account, each table read through its own column plan:
        ``{"accounts": [{"id", "name", "score", "error"}], "warnings": [...]}``. Each criterion
        of a score says which source and date its value came from (``provenance``), what it
        overruled and whether it was too old to count (``stale``).

        ``sources``: a list of ``{"name", "data", "columns", "date"}`` or a dict of names to
        tables. ``conflicts``: ``"latest"`` (the latest observation wins; on the same date the
        source listed first) or ``"source_order"``. ``as_of``: values older than the model's
        ``max_age_days`` count as missing. A source that cannot be read raises ModelError or
        SignalError with ``path`` ``sources.<name>`` (and its ``row``); a bad value raises
        SignalError, or is the account's ``error`` with ``on_error="flag"``."""
    def read_columns(self, headers: Iterable[str] | Any, columns: _Columns = None) -> list[_ColumnRead]:
        """How each column of a table with these headers (or of this pandas/polars/pyarrow
        table) is read, without scoring it: ``[{"header", "role", "signal", "reason"}]``, role
        ``id``, ``name``, ``observed``, ``signal`` (``signal`` is its name) or ``ignored``. The
        Python face of the CLI's ``advocacy columns FILE``. Raises ModelError where score_frame
        would for the same headers (two columns for one signal, a bad mapping)."""
    def _repr_html_(self) -> str: ...
    def __reduce__(self) -> tuple[Any, tuple[str]]: ...
    def __eq__(self, value: object, /) -> bool: ...

def standard_signals() -> list[_t.SignalSpec]: ...
def text(key: str, lang: str | None = None) -> str: ...
def message(key: str, lang: str | None = None, **values: str) -> str: ...
