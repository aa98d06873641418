"""Executes python/examples/quickstart.ipynb top to bottom (nbclient)."""

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
