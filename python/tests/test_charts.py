"""advocacy.charts: the SVG is parsed (xml.etree) and its content checked against the core's
history report: one bar per snapshot, segment heights proportional to the counts, stacked in the
order of advocacy.TIERS, labels and tooltips, the timeline's points, guides and gaps, escaping of
user text, and the errors."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

import advocacy
from advocacy import charts, program

NS = {"s": "http://www.w3.org/2000/svg"}
SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "history"

ROWS: list[dict[str, Any]] = [
    # three snapshots; "b" is absent from the second (a gap); "c" is new in the third
    {"as_of": "2026-01-31", "id": "a", "name": "Acme <script>alert(1)</script> & Co", "total": 45, "tier": "silver"},
    {"as_of": "2026-01-31", "id": "b", "name": "Beta", "total": 20, "tier": "not_yet_qualified"},
    {"as_of": "2026-01-31", "id": "d", "total": 5, "tier": "not_advocate_material"},
    {"as_of": "2026-02-28", "id": "a", "name": "Acme <script>alert(1)</script> & Co", "total": 62, "tier": "gold"},
    {"as_of": "2026-02-28", "id": "d", "total": 8, "tier": "not_advocate_material"},
    {"as_of": "2026-03-31", "id": "a", "name": "Acme <script>alert(1)</script> & Co", "total": 81, "tier": "platinum"},
    {"as_of": "2026-03-31", "id": "b", "name": "Beta", "total": 41, "tier": "silver"},
    {"as_of": "2026-03-31", "id": "c", "total": 44, "tier": "silver"},
    {"as_of": "2026-03-31", "id": "d", "total": 6, "tier": "not_advocate_material"},
]


def parse(chart: charts.Chart) -> ET.Element:
    root = ET.fromstring(chart.svg)  # well-formed XML, or this raises
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    return root


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    return dict(program.history(ROWS))


# ---- tier mix -----------------------------------------------------------------------------------


def test_one_bar_per_snapshot_date_with_the_reports_counts(report: dict[str, Any]) -> None:
    root = parse(charts.tier_mix(report))
    bars = root.findall(".//s:g[@class='bar']", NS)
    assert [b.get("data-date") for b in bars] == report["dates"] == ["2026-01-31", "2026-02-28", "2026-03-31"]
    for bar, snap in zip(bars, report["tier_mix"]):
        assert int(bar.get("data-accounts", "")) == snap["accounts"]
        segs = bar.findall("s:rect[@class='segment']", NS)
        drawn = {s.get("data-tier"): int(s.get("data-count", "")) for s in segs}
        assert drawn == {t: c for t, c in snap["tiers"].items() if c}
        # and the counts are what the rows say, counted here independently
        day = [r for r in ROWS if r["as_of"] == snap["as_of"]]
        for t in advocacy.TIERS:
            assert drawn.get(t, 0) == sum(r["tier"] == t for r in day)


def test_segment_heights_are_proportional_to_counts_and_stacked_in_tier_order(report: dict[str, Any]) -> None:
    root = parse(charts.tier_mix(report))
    segs = root.findall(".//s:rect[@class='segment']", NS)
    per_account = {float(s.get("height", "")) / int(s.get("data-count", "")) for s in segs}
    assert max(per_account) - min(per_account) < 0.05, per_account
    for bar in root.findall(".//s:g[@class='bar']", NS):
        segs = bar.findall("s:rect[@class='segment']", NS)
        order = [advocacy.TIERS.index(s.get("data-tier", "")) for s in segs]
        assert order == sorted(order), "worst tier first (at the bottom)"
        ys = [float(s.get("y", "")) for s in segs]
        assert ys == sorted(ys, reverse=True), "each better tier above the one before"
        for lower, upper in zip(segs, segs[1:]):  # touching, no overlap
            assert math.isclose(float(upper.get("y", "")) + float(upper.get("height", "")), float(lower.get("y", "")), abs_tol=0.02)
        # the bar's height is its accounts
        total = sum(float(s.get("height", "")) for s in segs)
        assert math.isclose(total, int(bar.get("data-accounts", "")) * min(per_account), rel_tol=0.01)


def test_labels_legend_title_and_tooltips(report: dict[str, Any]) -> None:
    chart = charts.tier_mix(report)
    root = parse(chart)
    words = texts(root)
    assert chart.title == "Tier mix over time"
    assert "Tier mix over time" in words and "accounts" in words and "snapshot" in words
    for d in report["dates"]:
        assert d in words
    legend = [g.get("data-tier") for g in root.findall(".//s:g[@class='legend-item']", NS)]
    assert legend == list(reversed(advocacy.TIERS))
    assert "Not yet qualified" in words and "Platinum" in words
    tips = ["".join(s.itertext()) for s in root.findall(".//s:rect[@class='segment']/s:title", NS)]
    assert "2026-03-31 · Silver: 2 of 4 accounts (50%)" in tips
    assert root.find("s:title", NS) is not None and root.find("s:title", NS).text == "Tier mix over time"  # type: ignore[union-attr]
    assert charts.tier_mix(report, title="Q1 & Q2").title == "Q1 & Q2"
    assert "<text class=\"title\" x=\"56\" y=\"22\">Q1 &amp; Q2</text>" in charts.tier_mix(report, title="Q1 & Q2").svg


def test_a_history_frame_is_reported_first() -> None:
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame(ROWS)
    from_frame = charts.tier_mix(df).svg
    assert from_frame == charts.tier_mix(program.history(ROWS)).svg
    assert from_frame == charts.tier_mix(ROWS).svg == charts.tier_mix({"rows": ROWS}).svg


def test_the_sample_history_folder() -> None:
    pd = pytest.importorskip("pandas")
    files = sorted(SAMPLES.glob("*.csv"))
    assert len(files) >= 3, "samples/history holds the page's sample snapshots"
    frames = [pd.read_csv(f, dtype={"id": str}).assign(as_of=f.stem) for f in files]
    long = pd.concat(frames, ignore_index=True)
    root = parse(charts.tier_mix(long))
    bars = root.findall(".//s:g[@class='bar']", NS)
    assert [b.get("data-date") for b in bars] == [f.stem for f in files]
    for bar, frame in zip(bars, frames):
        drawn = {s.get("data-tier"): int(s.get("data-count", "")) for s in bar.findall("s:rect", NS)}
        assert drawn == frame["tier"].value_counts().to_dict()


# ---- timeline -----------------------------------------------------------------------------------


def test_timeline_points_are_the_accounts_totals_and_tiers(report: dict[str, Any]) -> None:
    root = parse(charts.timeline(report, "a"))
    pts = root.findall(".//s:circle[@class='point']", NS)
    got = [(p.get("data-date"), float(p.get("data-total", "")), p.get("data-tier")) for p in pts]
    assert got == [(r["as_of"], r["total"], r["tier"]) for r in ROWS if r["id"] == "a"]
    # higher score, higher on the page; later date, further right
    cy = [float(p.get("cy", "")) for p in pts]
    cx = [float(p.get("cx", "")) for p in pts]
    assert cy == sorted(cy, reverse=True) and cx == sorted(cx)
    # each point is coloured by its tier, with a tooltip
    assert len({p.get("fill") for p in pts}) == 3
    assert "".join(pts[1].find("s:title", NS).itertext()) == "2026-02-28: 62 points · Gold"  # type: ignore[union-attr]
    assert len(root.findall(".//s:polyline[@class='line']", NS)) == 1


def test_timeline_guides_are_the_models_thresholds(report: dict[str, Any]) -> None:
    model = advocacy.Model.default()
    root = parse(charts.timeline(report, "a"))
    guides = {g.get("data-tier"): float(g.get("data-value", "")) for g in root.findall(".//s:g[@class='threshold']", NS)}
    assert guides == dict(model.tiers)
    # a guide sits where a point of the same score would
    line = root.find(".//s:g[@data-tier='gold']/s:line", NS)
    assert line is not None
    custom = model.with_tiers(gold=70)
    root2 = parse(charts.timeline(report, "a", model=custom))
    assert {g.get("data-tier"): g.get("data-value") for g in root2.findall(".//s:g[@class='threshold']", NS)}["gold"] == "70"
    root3 = parse(charts.timeline(report, "a", thresholds={"silver": 30}))
    assert [g.get("data-tier") for g in root3.findall(".//s:g[@class='threshold']", NS)] == ["silver"]
    assert "Silver ≥ 30" in texts(root3)


def test_timeline_shows_gaps(report: dict[str, Any]) -> None:
    root = parse(charts.timeline(report, "b"))
    assert [g.get("data-date") for g in root.findall(".//s:g[@class='gap']", NS)] == ["2026-02-28"]
    assert [p.get("data-date") for p in root.findall(".//s:circle[@class='point']", NS)] == ["2026-01-31", "2026-03-31"]
    assert root.findall(".//s:polyline", NS) == [], "the line is broken at the gap"
    # a new account has no gap before it appeared
    root_c = parse(charts.timeline(report, "c"))
    assert root_c.findall(".//s:g[@class='gap']", NS) == []
    assert len(root_c.findall(".//s:circle[@class='point']", NS)) == 1


def test_names_are_escaped(report: dict[str, Any]) -> None:
    chart = charts.timeline(report, "a")
    assert "<script>" not in chart.svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in chart.svg
    root = parse(chart)
    assert root.find(".//s:script", NS) is None
    title = "".join(root.find("s:title", NS).itertext())  # type: ignore[union-attr]
    assert title == "Acme <script>alert(1)</script> & Co (a): score over time" == chart.title
    assert "<script>" not in chart._repr_html_()


def test_an_unknown_account_is_named() -> None:
    with pytest.raises(KeyError, match="'nope'") as e:
        charts.timeline(ROWS, "nope")
    assert "4 accounts: a, b, c, d" in str(e.value)


def test_a_report_without_snapshots_is_refused() -> None:
    with pytest.raises(ValueError, match="no snapshot"):
        charts.tier_mix({"as_of": "2026-01-31", "dates": [], "accounts": [], "tier_mix": []})


def test_bad_input_is_the_cores_error() -> None:
    with pytest.raises(advocacy.ProgramError) as e:
        charts.tier_mix([{"as_of": "2026-01-31", "id": "a", "total": 5, "tier": "golden"}])
    assert e.value.path == "rows[0].tier"
    with pytest.raises(advocacy.ProgramError):
        charts.timeline([{"id": "a", "total": 5, "tier": "gold"}], "a")


# ---- the Chart object ---------------------------------------------------------------------------


def test_chart_reprs_and_save(tmp_path: Path, report: dict[str, Any]) -> None:
    chart = charts.tier_mix(report)
    assert chart._repr_svg_() == chart.svg
    assert chart._repr_html_().startswith("<figure") and chart.svg in chart._repr_html_()
    assert repr(chart) == "Chart('Tier mix over time')"
    svg = chart.save(tmp_path / "mix.svg")
    assert svg == tmp_path / "mix.svg"
    ET.parse(svg)  # a well-formed SVG file
    page = chart.save(str(tmp_path / "mix.html")).read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and chart.svg in page
    with pytest.raises(OSError):
        chart.save(tmp_path / "missing" / "dir" / "mix.svg")
