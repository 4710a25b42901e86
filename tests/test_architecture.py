"""The house's shape, machine-checked beside import-linter's contracts (pyproject.toml)."""

from __future__ import annotations

from pathlib import Path

import grimp
import pytest


def two_module_circles(package: str) -> list[str]:
    """Return every pair of modules of the package that import each other."""
    graph = grimp.build_graph(package)
    return sorted(
        f"{importer} <-> {imported}"
        for importer in graph.modules
        for imported in graph.find_modules_directly_imported_by(importer)
        if importer < imported and importer in graph.find_modules_directly_imported_by(imported)
    )


def test_no_two_modules_of_cultivate_import_each_other() -> None:
    assert two_module_circles("cultivate") == []


def test_a_two_module_circle_is_named_when_there_is_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "circled"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from circled import b\n")
    (package / "b.py").write_text("def later():\n    from circled import a\n")
    (package / "c.py").write_text("from circled import a\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert two_module_circles("circled") == ["circled.a <-> circled.b"]
