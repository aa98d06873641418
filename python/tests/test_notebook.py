"""Executes python/examples/quickstart.ipynb top to bottom (nbclient): the model, the scores
and the charts of the sample history are shown."""

from __future__ import annotations

from pathlib import Path

import nbclient
import nbformat

NOTEBOOK = Path(__file__).resolve().parents[1] / "examples" / "quickstart.ipynb"
SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "accounts.csv"


def test_quickstart_notebook_runs() -> None:
    assert SAMPLE.exists(), f"{SAMPLE} is missing: the notebook reads it"
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOK.parent)}}
    )
    client.execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors, errors
    html = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if "text/html" in o.get("data", {})]
    assert any("promoter" in o["data"]["text/html"] for o in html), "the model's HTML view is shown"
    svg = [o["data"]["image/svg+xml"] for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
           if "image/svg+xml" in o.get("data", {})]
    assert any('class="bar"' in s for s in svg), "the tier mix over time is shown as SVG"
    assert any('class="point"' in s and 'class="threshold"' in s for s in svg), "an account's timeline is shown"
