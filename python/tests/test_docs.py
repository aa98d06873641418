"""The docs people read at the prompt: every public function, method and class of ``advocacy``,
``advocacy.program`` and ``advocacy.charts`` has a runtime docstring (what ``help()`` and notebooks show) in numpydoc
form, with a runnable example, and every example runs (doctest, in this suite)."""

from __future__ import annotations

import doctest
import inspect
import re
from typing import Any

import pytest

import advocacy
from advocacy import charts, program


def public() -> list[tuple[str, Any]]:
    """Every public callable and class of the package, with its methods and properties."""
    out: list[tuple[str, Any]] = []
    for module, prefix in ((advocacy, ""), (charts, "charts.")):
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isclass(obj) or callable(obj):
                out.append((prefix + name, obj))
            if inspect.isclass(obj) and not issubclass(obj, BaseException):
                for attr, raw in vars(obj).items():
                    if attr.startswith("_"):
                        continue
                    out.append((f"{prefix}{name}.{attr}", getattr(obj, attr) if callable(getattr(obj, attr)) else raw))
    for name in program.__all__:
        out.append((f"program.{name}", getattr(program, name)))
    return out


def kind(obj: Any) -> str:
    if inspect.isclass(obj):
        return "class"
    if callable(obj):
        return "function"
    return "attribute"


def sections(doc: str) -> set[str]:
    return set(re.findall(r"^\s*(\w[\w ]*)\n\s*-{3,}\s*$", doc, flags=re.M))


def params(obj: Any) -> list[str]:
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return []
    return [p for p in sig.parameters if p not in ("self", "cls")]


def test_the_public_api_is_listed() -> None:
    names = {n for n, _ in public()}
    for expected in ("Model.score_frame", "Model.rank", "Model.explain_frame", "Score.to_dict",
                     "program.segments", "program.review", "ColumnWarning", "UsageError", "standard_signals",
                     "charts.tier_mix", "charts.timeline", "charts.Chart", "charts.Chart.save", "charts.Chart.svg"):
        assert expected in names


@pytest.mark.parametrize("name,obj", public(), ids=[n for n, _ in public()])
def test_numpydoc_docstring(name: str, obj: Any) -> None:
    doc = inspect.getdoc(obj) or ""
    assert doc.strip(), f"{name} has no docstring"
    if kind(obj) == "attribute":
        return  # properties: one line of what they hold is enough
    found = sections(doc)
    assert "Examples" in found, f"{name}: no Examples section ({sorted(found)})"
    assert ">>>" in doc, f"{name}: no runnable example"
    if kind(obj) == "function":
        assert "Returns" in found, f"{name}: no Returns section ({sorted(found)})"
        if params(obj):
            assert "Parameters" in found, f"{name}: no Parameters section ({sorted(found)})"
        if params(obj) and not name.endswith(("json_schemas", "to_dict", "to_json", "to_toml", "warnings")):
            assert "Raises" in found, f"{name}: no Raises section ({sorted(found)})"


@pytest.mark.parametrize("name,obj", [(n, o) for n, o in public() if kind(o) != "attribute"],
                         ids=[n for n, o in public() if kind(o) != "attribute"])
def test_docstring_examples_run(name: str, obj: Any) -> None:
    test = doctest.DocTestParser().get_doctest(inspect.getdoc(obj) or "", {}, name, None, 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    out: list[str] = []
    runner.run(test, out=out.append)
    assert runner.failures == 0, "".join(out)
    assert runner.tries > 0


@pytest.mark.parametrize("module", [advocacy, program, charts, advocacy._frames])
def test_module_docstrings_run(module: Any) -> None:
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    out: list[str] = []
    tests = [t for t in finder.find(module) if t.examples]
    assert tests, f"{module.__name__}: no doctests found"
    for t in tests:
        runner.run(t, out=out.append)
    assert runner.failures == 0, "".join(out)


def test_help_shows_the_parameters() -> None:
    text = advocacy.Model.score_frame.__doc__ or ""
    for word in ("keep", "prefix", "select", "on_error", "Parameters", "Raises", "not_advocate_material < "):
        assert word in text
    assert "prefix=None" in str(inspect.signature(advocacy.Model.score_frame))
    assert str(inspect.signature(program.segments)) == "(input=None, /, **fields)"
