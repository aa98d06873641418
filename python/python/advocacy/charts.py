"""Charts of the program over time, as SVG made by the package itself (no plotting dependency).

:func:`tier_mix` draws the tier mix of every snapshot as stacked bars; :func:`timeline` draws one
account's score over the snapshots, with the model's tier thresholds as guides. Both take the
report of :func:`advocacy.program.history` (the dict it returns) or anything that function takes
(a long table with an ``as_of`` column, a list of rows, ``{"snapshots": [...]}``), in which case
they call it. Every number drawn comes from the core's report; the charts only place it.

They return a :class:`Chart`: a notebook shows it as it is (``_repr_svg_`` and
``_repr_html_``); ``chart.svg`` is the SVG text and ``chart.save(path)`` writes it.

>>> from advocacy import charts, program
>>> report = program.history([
...     {"as_of": "2026-01-31", "id": "a", "name": "Acme", "total": 45, "tier": "silver"},
...     {"as_of": "2026-01-31", "id": "b", "total": 20, "tier": "not_yet_qualified"},
...     {"as_of": "2026-02-28", "id": "a", "name": "Acme", "total": 62, "tier": "gold"},
...     {"as_of": "2026-02-28", "id": "b", "total": 41, "tier": "silver"},
... ])
>>> chart = charts.tier_mix(report)
>>> chart.svg.startswith("<svg")
True
>>> charts.timeline(report, "a").title
'Acme (a): score over time'
"""

from __future__ import annotations

import datetime as _dt
import html as _html
import math
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, cast

from advocacy._core import TIERS, Model

__all__ = ["Chart", "tier_mix", "timeline"]

_SVG_NS = "http://www.w3.org/2000/svg"

# The page's tier colours (wasm/web/src/style.css), by tier id; the order is always TIERS'.
_COLORS = {
    "platinum": "#5b6b8c",
    "gold": "#d4a017",
    "silver": "#a3abb6",
    "not_yet_qualified": "#d3d8e2",
    "not_advocate_material": "#c2410c",
}
_INK = "#1d2433"
_MUTED = "#6b7385"
_LINE = "#e4e7ef"
_STYLE = (
    "text{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;fill:" + _INK + "}"
    ".small{font-size:10px;fill:" + _MUTED + "}.axis{font-size:11px;fill:" + _MUTED + "}"
    ".title{font-size:14px;font-weight:600}"
)


class Chart:
    """A chart as SVG text, shown by notebooks as it is.

    Made by :func:`tier_mix` and :func:`timeline`. ``svg`` is a standalone SVG document
    (``xmlns`` set, text escaped), ``title`` the chart's title; Jupyter shows it through
    ``_repr_svg_`` / ``_repr_html_``.

    Parameters
    ----------
    svg : str
        The SVG document.
    title : str
        The chart's title (plain text).

    Examples
    --------
    >>> from advocacy import charts
    >>> c = charts.Chart('<svg xmlns="http://www.w3.org/2000/svg"/>', "empty")
    >>> c
    Chart('empty')
    >>> c.svg
    '<svg xmlns="http://www.w3.org/2000/svg"/>'
    """

    __slots__ = ("_svg", "_title")

    def __init__(self, svg: str, title: str) -> None:
        self._svg = svg
        self._title = title

    @property
    def svg(self) -> str:
        """The SVG document, as text."""
        return self._svg

    @property
    def title(self) -> str:
        """The chart's title, as plain text."""
        return self._title

    def _repr_svg_(self) -> str:
        return self._svg

    def _repr_html_(self) -> str:
        return f'<figure class="advocacy-chart" style="margin:0">{self._svg}</figure>'

    def __repr__(self) -> str:
        return f"Chart({self._title!r})"

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Writes the chart to a file: an HTML page for ``.html`` / ``.htm``, else the SVG.

        Parameters
        ----------
        path : str or os.PathLike
            Where to write (UTF-8).

        Returns
        -------
        pathlib.Path
            The path written.

        Raises
        ------
        OSError
            If the file cannot be written.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> from advocacy import charts
        >>> c = charts.Chart('<svg xmlns="http://www.w3.org/2000/svg"/>', "empty")
        >>> with tempfile.TemporaryDirectory() as d:
        ...     p = c.save(pathlib.Path(d) / "mix.svg")
        ...     p.read_text(encoding="utf-8").startswith("<svg")
        True
        """
        p = Path(path)
        if p.suffix.lower() in (".html", ".htm"):
            text = (
                '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
                f"<title>{_esc(self._title)}</title></head><body>\n{self._svg}\n</body></html>\n"
            )
        else:
            text = self._svg + "\n"
        p.write_text(text, encoding="utf-8")
        return p


# ---- helpers ------------------------------------------------------------------------------------


def _esc(value: object) -> str:
    """Text for SVG/XML content and attribute values."""
    return _html.escape(str(value), quote=True)


def _num(x: float) -> str:
    """A coordinate, short."""
    r = round(float(x), 2)
    return str(int(r)) if r == int(r) else str(r)


def _points(x: float) -> str:
    """A score as the reader sees it."""
    return f"{float(x):g}"


def _label(tier: str) -> str:
    return tier.replace("_", " ").capitalize()


def _nice_max(value: float, ticks: int = 5) -> tuple[float, float]:
    """A round top for an axis reaching ``value``, and its tick step."""
    if value <= 0:
        return 1.0, 1.0
    raw = value / ticks
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    return step * math.ceil(value / step - 1e-9), step


def _report(data: Any) -> Mapping[str, Any]:
    """The history report: ``data`` itself when it is one, else ``program.history(data)``."""
    if isinstance(data, Mapping) and "tier_mix" in data and "accounts" in data and "dates" in data:
        return data
    from advocacy import program

    out: Mapping[str, Any] = program.history(data)
    return out


def _svg(width: float, height: float, title: str, body: list[str], desc: str = "") -> str:
    d = f"<desc>{_esc(desc)}</desc>" if desc else ""
    return (
        f'<svg xmlns="{_SVG_NS}" width="{_num(width)}" height="{_num(height)}" '
        f'viewBox="0 0 {_num(width)} {_num(height)}" role="img" font-size="11">'
        f"<title>{_esc(title)}</title>{d}<style>{_STYLE}</style>"
        f'<rect width="100%" height="100%" fill="#ffffff"/>' + "".join(body) + "</svg>"
    )


def _legend(x: float, y: float, tiers: Sequence[str]) -> list[str]:
    out = ['<g class="legend">']
    for k, t in enumerate(tiers):
        yy = y + 18 * k
        out.append(
            f'<g class="legend-item" data-tier="{_esc(t)}">'
            f'<rect x="{_num(x)}" y="{_num(yy)}" width="11" height="11" rx="2" fill="{_COLORS.get(t, _MUTED)}"/>'
            f'<text x="{_num(x + 16)}" y="{_num(yy + 9.5)}">{_esc(_label(t))}</text></g>'
        )
    out.append("</g>")
    return out


# ---- tier mix -----------------------------------------------------------------------------------



def _y_axis(left: float, plot_w: float, head: float, plot_h: float, top: float, step: float,
            y: Callable[[float], float], label: str, label_x: float) -> list[str]:
    """The y axis of a chart: a grid line and a tick every ``step`` up to ``top``, and its label."""
    out = ['<g class="y-axis">']
    v = 0.0
    while v <= top + 1e-9:
        out.append(
            f'<line x1="{_num(left)}" x2="{_num(left + plot_w)}" y1="{_num(y(v))}" y2="{_num(y(v))}" stroke="{_LINE}"/>'
            f'<text class="axis tick" x="{_num(left - 6)}" y="{_num(y(v) + 4)}" text-anchor="end">{_num(v)}</text>'
        )
        v += step
    out.append(
        f'<text class="axis label" transform="translate({_num(label_x)} {_num(head + plot_h / 2)}) rotate(-90)" '
        f'text-anchor="middle">{label}</text></g>'
    )
    return out

def tier_mix(history: Any, *, title: str | None = None) -> Chart:
    """The tier mix of every snapshot as stacked bars, one bar per snapshot date.

    Each bar stacks the accounts of one snapshot by tier, worst at the bottom, in the order of
    :data:`advocacy.TIERS`; its height is the snapshot's number of accounts. Every segment has
    a tooltip (an SVG ``<title>``) with its date, tier and count, and ``data-date``,
    ``data-tier`` and ``data-count`` attributes. The counts are the report's ``tier_mix``.

    Parameters
    ----------
    history : dict or table
        The report of :func:`advocacy.program.history`, or anything it takes (a long table of
        scored snapshots with an ``as_of`` column, a list of rows, ``{"snapshots": [...]}``):
        then it is called with it.
    title : str, optional
        The chart's title (default ``"Tier mix over time"``).

    Returns
    -------
    Chart
        The chart (``.svg``, ``.save(path)``; shown by notebooks).

    Raises
    ------
    advocacy.ProgramError
        If ``history`` is not a report and ``program.history`` refuses it (a row without a
        date, a bad tier, ...).
    ValueError
        If the history has no snapshot.

    Examples
    --------
    >>> from advocacy import charts
    >>> rows = [
    ...     {"as_of": "2026-01-31", "id": "a", "total": 45, "tier": "silver"},
    ...     {"as_of": "2026-01-31", "id": "b", "total": 20, "tier": "not_yet_qualified"},
    ...     {"as_of": "2026-02-28", "id": "a", "total": 62, "tier": "gold"},
    ...     {"as_of": "2026-02-28", "id": "b", "total": 41, "tier": "silver"},
    ... ]
    >>> chart = charts.tier_mix(rows)
    >>> chart.svg.count('class="bar"')
    2
    >>> 'data-tier="gold" data-count="1"' in chart.svg
    True
    """
    report = _report(history)
    mix: Sequence[Mapping[str, Any]] = report["tier_mix"]
    if not mix:
        raise ValueError("the history has no snapshot: nothing to chart")
    title = "Tier mix over time" if title is None else title
    n = len(mix)
    top, step = _nice_max(max(int(s["accounts"]) for s in mix))
    left, right, head, plot_h = 56.0, 190.0, 44.0, 240.0
    slot = max(26.0, min(72.0, 560.0 / n))
    plot_w = slot * n
    rotate = n > 8
    foot = 74.0 if rotate else 52.0
    width, height = left + plot_w + right, head + plot_h + foot
    bottom = head + plot_h

    def y(v: float) -> float:
        return bottom - plot_h * v / top

    body = [f'<text class="title" x="{_num(left)}" y="22">{_esc(title)}</text>']
    body += _y_axis(left, plot_w, head, plot_h, top, step, y, "accounts", 16)
    # bars
    bar_w = slot * 0.64
    for i, snap in enumerate(mix):
        date = str(snap["as_of"])
        total = int(snap["accounts"])
        counts: Mapping[str, Any] = snap["tiers"]
        x = left + slot * i + (slot - bar_w) / 2
        body.append(f'<g class="bar" data-date="{_esc(date)}" data-accounts="{total}">')
        acc = 0
        for t in TIERS:
            c = int(counts.get(t, 0))
            if c == 0:
                continue
            y0, y1 = y(acc + c), y(acc)
            share = f"{100 * c / total:.0f}%" if total else "0%"
            body.append(
                f'<rect class="segment" data-date="{_esc(date)}" data-tier="{_esc(t)}" data-count="{c}" '
                f'x="{_num(x)}" y="{_num(y0)}" width="{_num(bar_w)}" height="{_num(y1 - y0)}" '
                f'fill="{_COLORS.get(t, _MUTED)}" stroke="#ffffff" stroke-width="0.5">'
                f"<title>{_esc(date)} · {_esc(_label(t))}: {c} of {total} accounts ({share})</title></rect>"
            )
            acc += c
        body.append(
            f'<text class="small total" x="{_num(x + bar_w / 2)}" y="{_num(y(total) - 4)}" '
            f'text-anchor="middle">{total}</text>'
        )
        lx, ly = x + bar_w / 2, bottom + 14
        if rotate:
            body.append(
                f'<text class="axis date" transform="translate({_num(lx + 3)} {_num(ly - 4)}) rotate(-40)" '
                f'text-anchor="end">{_esc(date)}</text></g>'
            )
        else:
            body.append(f'<text class="axis date" x="{_num(lx)}" y="{_num(ly)}" text-anchor="middle">{_esc(date)}</text></g>')
    body.append(
        f'<line x1="{_num(left)}" x2="{_num(left + plot_w)}" y1="{_num(bottom)}" y2="{_num(bottom)}" stroke="{_MUTED}"/>'
        f'<text class="axis label" x="{_num(left + plot_w / 2)}" y="{_num(height - 8)}" text-anchor="middle">snapshot</text>'
    )
    # legend: best first, as the stack reads from the top
    body += _legend(left + plot_w + 24, head + 4, list(reversed(TIERS)))
    desc = f"{n} snapshots from {mix[0]['as_of']} to {mix[-1]['as_of']}"
    return Chart(_svg(width, height, title, body, desc), title)


# ---- timeline -----------------------------------------------------------------------------------


def _day(text: str) -> int:
    return _dt.date.fromisoformat(str(text)[:10]).toordinal()


def timeline(
    history: Any,
    account: str,
    *,
    thresholds: Mapping[str, float] | None = None,
    model: Model | None = None,
    title: str | None = None,
) -> Chart:
    """One account's score over the snapshots, with the tier thresholds as horizontal guides.

    A line of the account's total at each snapshot it is in (the report's ``timeline``), each
    point coloured by that day's tier, with a tooltip (``<title>``) and ``data-date``,
    ``data-total`` and ``data-tier`` attributes. Snapshots the account is absent from between
    its first and last (the report's ``gaps``) break the line and are marked on the date axis.
    Dates are placed by time, so uneven snapshots read as such.

    Parameters
    ----------
    history : dict or table
        The report of :func:`advocacy.program.history`, or anything it takes (then it is called
        with it).
    account : str
        The account's id.
    thresholds : mapping, optional
        The score at which each qualified tier starts (``{"silver": 40, "gold": 60,
        "platinum": 80}``); default: ``model.tiers``.
    model : advocacy.Model, optional
        The model the history was scored with, for its thresholds and its maximum points (the
        top of the score axis); default: :meth:`advocacy.Model.default`.
    title : str, optional
        The chart's title (default: the account's name and id).

    Returns
    -------
    Chart
        The chart (``.svg``, ``.save(path)``; shown by notebooks).

    Raises
    ------
    KeyError
        If the account is not in the history (the message names the id).
    advocacy.ProgramError
        If ``history`` is not a report and ``program.history`` refuses it.

    Examples
    --------
    >>> from advocacy import charts
    >>> rows = [
    ...     {"as_of": "2026-01-31", "id": "a", "total": 45, "tier": "silver"},
    ...     {"as_of": "2026-02-28", "id": "b", "total": 30, "tier": "not_yet_qualified"},
    ...     {"as_of": "2026-03-31", "id": "a", "total": 62, "tier": "gold"},
    ... ]
    >>> chart = charts.timeline(rows, "a")
    >>> chart.svg.count('class="point"'), chart.svg.count('class="gap"')
    (2, 1)
    >>> charts.timeline(rows, "zz")
    Traceback (most recent call last):
    ...
    KeyError: "account 'zz' is not in the history (2 accounts: a, b)"
    """
    report = _report(history)
    accounts: Sequence[Mapping[str, Any]] = report["accounts"]
    account = str(account)  # ids are text in the report, as the core writes them
    found = next((a for a in accounts if a["account"] == account), None)
    if found is None:
        ids = [str(a["account"]) for a in accounts]
        shown = ", ".join(ids[:10]) + (", ..." if len(ids) > 10 else "")
        raise KeyError(f"account {account!r} is not in the history ({len(ids)} accounts: {shown})")
    m = model if model is not None else Model.default()
    limits = cast(Mapping[str, float], m.tiers) if thresholds is None else thresholds
    max_points = float(m.max_points)
    name = found.get("name")
    label = f"{name} ({account})" if name else str(account)
    title = f"{label}: score over time" if title is None else title
    points: Sequence[Mapping[str, Any]] = found["timeline"]
    gaps = [str(g) for g in found.get("gaps", [])]
    dates = [str(d) for d in report["dates"]]

    guides = [(t, float(limits[t])) for t in TIERS if t in limits]
    top, step = _nice_max(max([max_points, *(float(p["total"]) for p in points), *(v for _, v in guides)]))
    left, right, head, plot_h = 52.0, 150.0, 56.0, 220.0
    plot_w = max(280.0, min(640.0, 56.0 * max(len(dates), 1)))
    foot = 74.0
    width, height = left + plot_w + right, head + plot_h + foot
    bottom = head + plot_h
    d0, d1 = (_day(dates[0]), _day(dates[-1])) if dates else (0, 0)
    pad = 14.0

    def x(date: str) -> float:
        if d1 == d0:
            return left + plot_w / 2
        return left + pad + (plot_w - 2 * pad) * (_day(date) - d0) / (d1 - d0)

    def y(v: float) -> float:
        return bottom - plot_h * v / top

    body = [f'<text class="title" x="{_num(left)}" y="22">{_esc(title)}</text>']
    body += _y_axis(left, plot_w, head, plot_h, top, step, y, "score", 14)
    # thresholds
    body.append('<g class="thresholds">')
    for t, value in guides:
        body.append(
            f'<g class="threshold" data-tier="{_esc(t)}" data-value="{_points(value)}">'
            f'<line x1="{_num(left)}" x2="{_num(left + plot_w)}" y1="{_num(y(value))}" y2="{_num(y(value))}" '
            f'stroke="{_COLORS.get(t, _MUTED)}" stroke-width="1.5" stroke-dasharray="5 4"/>'
            f'<text class="small" x="{_num(left + plot_w + 6)}" y="{_num(y(value) + 3.5)}">'
            f"{_esc(_label(t))} ≥ {_points(value)}</text>"
            f"<title>{_esc(_label(t))} from {_points(value)} points</title></g>"
        )
    body.append("</g>")
    # date axis: every snapshot date (a tick), labelled when there is room
    every = max(1, math.ceil(len(dates) / 12))
    body.append('<g class="x-axis">')
    for k, date in enumerate(dates):
        xx = x(date)
        body.append(f'<line x1="{_num(xx)}" x2="{_num(xx)}" y1="{_num(bottom)}" y2="{_num(bottom + 4)}" stroke="{_MUTED}"/>')
        if k % every == 0 or k == len(dates) - 1:
            body.append(
                f'<text class="axis date" transform="translate({_num(xx + 3)} {_num(bottom + 14)}) rotate(-40)" '
                f'text-anchor="end">{_esc(date)}</text>'
            )
    body.append(
        f'<line x1="{_num(left)}" x2="{_num(left + plot_w)}" y1="{_num(bottom)}" y2="{_num(bottom)}" stroke="{_MUTED}"/>'
        f'<text class="axis label" x="{_num(left + plot_w / 2)}" y="{_num(height - 6)}" text-anchor="middle">snapshot</text></g>'
    )
    # the line, broken where the account is absent from a snapshot between two of its points
    gap_set = set(gaps)
    index = {d: k for k, d in enumerate(dates)}
    runs: list[list[Mapping[str, Any]]] = []
    for p in points:
        d = str(p["as_of"])
        if runs:
            prev = str(runs[-1][-1]["as_of"])
            between = dates[index.get(prev, 0) + 1 : index.get(d, 0)]
            if any(g in gap_set for g in between):
                runs.append([p])
                continue
            runs[-1].append(p)
        else:
            runs.append([p])
    for run in runs:
        if len(run) > 1:
            coords = " ".join(f"{_num(x(str(p['as_of'])))},{_num(y(float(p['total'])))}" for p in run)
            body.append(f'<polyline class="line" points="{coords}" fill="none" stroke="{_INK}" stroke-width="1.6"/>')
    for g in gaps:
        xx = x(g)
        body.append(
            f'<g class="gap" data-date="{_esc(g)}"><line x1="{_num(xx)}" x2="{_num(xx)}" y1="{_num(head)}" '
            f'y2="{_num(bottom)}" stroke="{_MUTED}" stroke-dasharray="2 3"/>'
            f'<text class="small" x="{_num(xx)}" y="{_num(bottom - 6)}" text-anchor="middle">absent</text>'
            f"<title>{_esc(g)}: not in this snapshot</title></g>"
        )
    for p in points:
        d, total, tier = str(p["as_of"]), float(p["total"]), str(p["tier"])
        revisit = p.get("revisit")
        extra = f" · revisit {revisit}" if revisit else ""
        body.append(
            f'<circle class="point" data-date="{_esc(d)}" data-total="{_points(total)}" data-tier="{_esc(tier)}" '
            f'cx="{_num(x(d))}" cy="{_num(y(total))}" r="4.5" fill="{_COLORS.get(tier, _MUTED)}" '
            f'stroke="{_INK}" stroke-width="1"><title>{_esc(d)}: {_points(total)} points · '
            f"{_esc(_label(tier))}{_esc(extra)}</title></circle>"
        )
    # the tiers of its points, best first, in a row under the title
    seen = [t for t in reversed(TIERS) if any(str(p["tier"]) == t for p in points)]
    body.append('<g class="legend">')
    lx = left
    for t in seen:
        body.append(
            f'<g class="legend-item" data-tier="{_esc(t)}"><circle cx="{_num(lx + 5)}" cy="37" r="4.5" '
            f'fill="{_COLORS.get(t, _MUTED)}" stroke="{_INK}" stroke-width="1"/>'
            f'<text class="small" x="{_num(lx + 13)}" y="40.5">{_esc(_label(t))}</text></g>'
        )
        lx += 22 + 6.2 * len(_label(t))
    body.append("</g>")
    desc = f"{len(points)} snapshots of {label}" + (f", absent from {len(gaps)}" if gaps else "")
    return Chart(_svg(width, height, title, body, desc), title)
