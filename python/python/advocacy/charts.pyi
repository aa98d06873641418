"""Type stubs of ``advocacy.charts``: SVG charts of the program over time (the tier mix of every
snapshot, an account's timeline), made from the report of ``advocacy.program.history``."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from advocacy import _types as _t
from advocacy._core import Model

__all__ = ["Chart", "tier_mix", "timeline"]

class Chart:
    """A chart as SVG text, shown by notebooks as it is."""

    def __init__(self, svg: str, title: str) -> None: ...
    @property
    def svg(self) -> str:
        """The SVG document, as text."""
    @property
    def title(self) -> str:
        """The chart's title, as plain text."""
    def _repr_svg_(self) -> str: ...
    def _repr_html_(self) -> str: ...
    def save(self, path: str | os.PathLike[str]) -> Path:
        """Writes the chart to a file: an HTML page for ``.html`` / ``.htm``, else the SVG."""

def tier_mix(history: _t.HistoryReport | Mapping[str, Any] | Any, *, title: str | None = None) -> Chart:
    """The tier mix of every snapshot as stacked bars, one bar per snapshot date (worst tier at
    the bottom, in the order of ``advocacy.TIERS``); ``history`` is the report of
    ``program.history`` or anything it takes."""

def timeline(
    history: _t.HistoryReport | Mapping[str, Any] | Any,
    account: str,
    *,
    thresholds: Mapping[str, float] | None = None,
    model: Model | None = None,
    title: str | None = None,
) -> Chart:
    """One account's score over the snapshots, points coloured by tier, the tier thresholds as
    guides and its gaps marked; raises KeyError naming an account not in the history."""
