"""The examples of python/README.md (its ``pycon`` blocks: several sources of samples/exports/,
freshness) and the runnable examples of the API's docstrings are run as doctests, so that they
cannot rot. The README's examples run from the repository's root, as the README says."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

import advocacy

PKG = Path(__file__).resolve().parents[1]
ROOT = PKG.parent
README = PKG / "README.md"
OPTIONS = doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS


def readme_examples() -> str:
    blocks = re.findall(r"```pycon\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)
    assert blocks, "python/README.md has no pycon examples"
    return "\n".join(blocks)


def run(text: str, name: str, globs: dict[str, object]) -> None:
    test = doctest.DocTestParser().get_doctest(text, globs, name, str(README), 0)
    runner = doctest.DocTestRunner(optionflags=OPTIONS)
    out: list[str] = []
    runner.run(test, out=out.append)
    assert runner.failures == 0 and test.examples, "".join(out)


def test_readme_examples_run(monkeypatch: pytest.MonkeyPatch) -> None:
    assert (ROOT / "samples" / "exports" / "salesforce_accounts.csv").exists()
    monkeypatch.chdir(ROOT)
    run(readme_examples(), "README.md", {})


@pytest.mark.parametrize("name", ["score_frame", "score_sources", "with_max_ages"])
def test_docstring_examples_run(name: str) -> None:
    doc = getattr(advocacy.Model, name).__doc__
    assert doc and ">>>" in doc, f"Model.{name} has no runnable example"
    run(doc, f"Model.{name}", {"advocacy": advocacy})


def test_help_shows_the_new_arguments() -> None:
    import inspect

    for name in ("score_frame", "rank", "explain_frame"):
        assert "as_of" in inspect.signature(getattr(advocacy.Model, name)).parameters, name
    sig = inspect.signature(advocacy.Model.score_sources)
    assert list(sig.parameters) == ["self", "sources", "conflicts", "as_of", "on_error"]
    assert sig.parameters["conflicts"].default == "latest" and sig.parameters["on_error"].default == "raise"
