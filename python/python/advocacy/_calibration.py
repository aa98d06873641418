"""The report of ``Model.calibrate``: the figures as a dict, the proposed model, an HTML view."""

from __future__ import annotations

import html
import json
from typing import Any


class Calibration:
    """What ``Model.calibrate`` found: each criterion's old and new points with the evidence,
    the held-out comparison of the current and the calibrated points, and the proposed model.

    Nothing changes by itself: write ``.model`` (``to_json``/``to_toml``) to adopt it. In a
    notebook it shows as a table with a bar chart of old and new points.

    Parameters
    ----------
    report : dict
        The report, as ``advocacy calibrate --json`` prints it.

    Examples
    --------
    >>> from advocacy._calibration import Calibration
    >>> c = Calibration({"decision": {"changed": False, "code": "nothing_to_learn",
    ...     "message": "nothing to learn"}, "criteria": [], "model": None})
    >>> c.changed, c.code
    (False, 'nothing_to_learn')
    """

    def __init__(self, report: dict[str, Any]) -> None:
        self.report: dict[str, Any] = report
        model = report.get("model")
        if model is None:
            self.model = None
        else:
            from advocacy import Model

            self.model = Model.from_json(json.dumps(model))

    @property
    def changed(self) -> bool:
        """Whether the proposed model's points differ from the current ones.

        Examples
        --------
        >>> from advocacy._calibration import Calibration
        >>> Calibration({"decision": {"changed": True}, "model": None}).changed
        True
        """
        return bool(self.report.get("decision", {}).get("changed"))

    @property
    def code(self) -> str:
        """``improved``, ``nothing_to_learn``, ``too_few_outcomes`` or ``unchanged``.

        Examples
        --------
        >>> from advocacy._calibration import Calibration
        >>> Calibration({"decision": {"code": "improved"}, "model": None}).code
        'improved'
        """
        return str(self.report.get("decision", {}).get("code", ""))

    def __repr__(self) -> str:
        ev = self.report.get("evaluation", {})
        cur = ev.get("current", {}).get("auc")
        cal = ev.get("calibrated", {}).get("auc")
        return f"<Calibration {self.code}: held-out AUC {cur} -> {cal}, {ev.get('asks')} asks>"

    def _repr_html_(self) -> str:
        esc = html.escape
        crit = self.report.get("criteria", [])
        top = max([1.0] + [max(c["old_points"], c["new_points"]) for c in crit])
        bar_w, row_h, label_w = 220, 18, 190
        height = row_h * len(crit) + 24
        svg = [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_w + bar_w + 60}" height="{height}" '
            'role="img" aria-label="old and new points per criterion">'
        ]
        for i, c in enumerate(crit):
            y = 20 + i * row_h
            old_w = bar_w * c["old_points"] / top
            new_w = bar_w * c["new_points"] / top
            svg.append(f'<text x="0" y="{y + 10}" font-size="11">{esc(c["id"])}</text>')
            svg.append(f'<rect x="{label_w}" y="{y}" width="{old_w:.1f}" height="6" fill="#9aa5b1"/>')
            svg.append(f'<rect x="{label_w}" y="{y + 7}" width="{new_w:.1f}" height="6" fill="#2f6fde"/>')
            svg.append(
                f'<text x="{label_w + bar_w + 6}" y="{y + 10}" font-size="11">'
                f'{c["old_points"]:g} &#8594; {c["new_points"]:g}</text>'
            )
        svg.append(
            '<text x="0" y="12" font-size="11"><tspan fill="#9aa5b1">&#9632; old</tspan> '
            '<tspan fill="#2f6fde">&#9632; new</tspan></text></svg>'
        )
        rows = "".join(
            f"<tr><td>{esc(c['id'])}</td><td>{esc(c['signal'])}</td><td>{esc(c['rule'])}</td>"
            f"<td>{c['old_points']:g}</td><td>{c['new_points']:g}</td>"
            f"<td>{100 * c['met_among_yes']:.1f}%</td><td>{100 * c['met_among_no']:.1f}%</td></tr>"
            for c in crit
        )
        ev = self.report.get("evaluation", {})

        def fig(key: str, model: str) -> str:
            f = ev.get(model, {})
            if key == "auc":
                return f"{f.get('auc')} &#177; {f.get('auc_se')}"
            return f"{100 * f.get(key, {}).get('precision', 0):.1f}% of {f.get(key, {}).get('k')}"

        comparison = "".join(
            f"<tr><td>{label}</td><td>{fig(key, 'current')}</td><td>{fig(key, 'calibrated')}</td></tr>"
            for key, label in [("auc", "AUC"), ("top_10_percent", "yes in top 10%"), ("top_50", "yes in top 50")]
        )
        msg = esc(str(self.report.get("decision", {}).get("message", "")))
        return (
            f"<div><p><b>{esc(self.code)}</b>: {msg}</p>{''.join(svg)}"
            "<table><tr><th>criterion</th><th>signal</th><th>rule</th><th>old</th><th>new</th>"
            f"<th>met among yes</th><th>met among no</th></tr>{rows}</table>"
            f"<p>held out: {ev.get('asks')} asks ({ev.get('yes')} yes, {ev.get('no')} no)</p>"
            f"<table><tr><th></th><th>current</th><th>calibrated</th></tr>{comparison}</table></div>"
        )
