"""The core of nibi_desk runs without Qt: import-linter's contract, and a real import of every core module with Qt
made impossible to import (plus a self-test proving that this check can fail)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BLOCKED = ("PySide6", "shiboken6", "qtawesome", "qtpy")

# Run in a fresh interpreter: python -c CHECKER PACKAGE [--core-op] [--skip PREFIX ...]
CHECKER = textwrap.dedent(r'''
    import importlib
    import importlib.abc
    import pkgutil
    import sys

    BLOCKED = {blocked!r}


    class BlockQt(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ImportError(f"Qt-free core imported {{name}}")
            return None


    sys.meta_path.insert(0, BlockQt())
    args = sys.argv[1:]
    package, core_op = args[0], "--core-op" in args
    skip = [args[i + 1] for i, a in enumerate(args) if a == "--skip"]


    def skipped(name):
        return any(name == s or name.startswith(s + ".") for s in skip) or name.rsplit(".", 1)[-1] == "__main__"


    failures, imported = [], []


    def visit(name):
        try:
            module = importlib.import_module(name)
        except BaseException as e:
            failures.append(f"{{name}}: {{type(e).__name__}}: {{e}}")
            return
        imported.append(name)
        # Walk by hand rather than with pkgutil.walk_packages, which would import skipped packages to list them.
        for info in pkgutil.iter_modules(getattr(module, "__path__", []) or [], name + "."):
            if not skipped(info.name):
                visit(info.name)


    visit(package)
    leaked = sorted(m for m in sys.modules if m.split(".")[0] in BLOCKED)
    if leaked:
        failures.append(f"Qt modules loaded: {{leaked}}")

    if core_op and not failures:
        import tempfile
        from pathlib import Path

        from nibi_desk.commands import assets as commands
        from nibi_desk.context import Context
        from nibi_desk.storage import assets
        from nibi_desk.storage.registry import Registry

        with tempfile.TemporaryDirectory() as tmp:
            with Registry.create(Path(tmp) / "core.nibi", "420682") as registry:
                result = commands.add_asset(Context(registry), {{
                    "type": "camera", "name": "光化街道路口监控", "code": "42068200001320000001",
                    "lon": 111.67, "lat": 32.38, "attrs": {{"class": "A"}}}})
                rows = assets.search(registry.read(), "路口监控")
                if [r["id"] for r in rows] != [result["id"]]:
                    failures.append(f"core operation: search found {{rows}}")
        leaked = sorted(m for m in sys.modules if m.split(".")[0] in BLOCKED)
        if leaked:
            failures.append(f"Qt modules loaded by the core operation: {{leaked}}")

    for name in imported:
        print("imported", name)
    for failure in failures:
        print("FAIL", failure)
    sys.exit(1 if failures else 0)
''').format(blocked=set(BLOCKED))


def run_checker(package: str, *args: str, pythonpath: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    if pythonpath is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(pythonpath), env.get("PYTHONPATH")]))
    return subprocess.run([sys.executable, "-c", CHECKER, package, *args], capture_output=True, text=True,
                          timeout=120, env=env, cwd=pythonpath or ROOT)


def lint_imports() -> str | None:
    candidate = Path(sys.executable).with_name("lint-imports")
    if candidate.exists():
        return str(candidate)
    return shutil.which("lint-imports")


def test_import_linter_contracts_are_kept():
    exe = lint_imports()
    if exe is None:
        pytest.skip("lint-imports (import-linter) is not installed next to this Python")
    result = subprocess.run([exe, "--no-cache", "--no-logo"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" in result.stdout and "0 broken" in result.stdout


def test_core_imports_and_runs_without_qt():
    result = run_checker("nibi_desk", "--core-op", "--skip", "nibi_desk.gui")
    assert result.returncode == 0, result.stdout + result.stderr
    imported = {line.split()[1] for line in result.stdout.splitlines() if line.startswith("imported ")}
    # The walk really covered the core (and nothing of the GUI).
    for name in ("nibi_desk", "nibi_desk.storage.registry", "nibi_desk.storage.writer", "nibi_desk.commands.assets",
                 "nibi_desk.cli.main", "nibi_desk.cli.cmd_assets", "nibi_desk.domain.grid", "nibi_desk.i18n",
                 "nibi_desk.selfcheck"):
        assert name in imported, name
    assert not any(name.startswith("nibi_desk.gui") for name in imported)
    assert "nibi_desk.__main__" not in imported
    expected = {
        "nibi_desk." + ".".join(p.relative_to(ROOT / "nibi_desk").with_suffix("").parts)
        for p in (ROOT / "nibi_desk").rglob("*.py")
        if "gui" not in p.relative_to(ROOT / "nibi_desk").parts and p.name not in ("__init__.py", "__main__.py")
    }
    assert expected <= imported, expected - imported


def make_package(root: Path, name: str, modules: dict[str, str]) -> Path:
    package = root / name
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    for module, source in modules.items():
        path = package.joinpath(*module.split("/"))
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.parent != package and not (path.parent / "__init__.py").exists():
            (path.parent / "__init__.py").write_text("", encoding="utf-8")
        path.write_text(source, encoding="utf-8")
    return root


def test_checker_passes_a_clean_package(tmp_path):
    root = make_package(tmp_path, "cleancore", {"ok.py": "import json\n", "sub/inner.py": "X = 1\n"})
    result = run_checker("cleancore", pythonpath=root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "imported cleancore.sub.inner" in result.stdout


@pytest.mark.parametrize("source", [
    "import PySide6\n",
    "from PySide6.QtCore import QObject\n",
    "import qtawesome as qta\n",
    "from .helper import thing\n",  # indirectly, through another module of the package
])
def test_checker_reports_a_module_that_imports_qt(tmp_path, source):
    root = make_package(tmp_path, "leakycore", {
        "ok.py": "import json\n",
        "helper.py": "import shiboken6\nthing = 1\n",
        "sub/bad.py": source.replace("from .helper", "from ..helper"),
    })
    result = run_checker("leakycore", pythonpath=root)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "FAIL leakycore.sub.bad: ImportError: Qt-free core imported" in result.stdout
    assert "imported leakycore.ok" in result.stdout


def test_checker_skips_the_gui_package(tmp_path):
    root = make_package(tmp_path, "appcore", {"ok.py": "", "gui/window.py": "import PySide6\n"})
    (root / "appcore" / "gui" / "__init__.py").write_text("import PySide6\n", encoding="utf-8")
    assert run_checker("appcore", "--skip", "appcore.gui", pythonpath=root).returncode == 0
    result = run_checker("appcore", pythonpath=root)
    assert result.returncode == 1 and "FAIL appcore.gui" in result.stdout


def test_the_import_linter_contract_lists_every_core_module():
    """A new top-level core module must join the contract, or import-linter would never look at it."""
    import pkgutil
    import tomllib
    from pathlib import Path

    import nibi_desk

    root = Path(__file__).resolve().parent.parent
    contract = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    listed = set(contract["contracts"][0]["source_modules"])
    core = {f"nibi_desk.{m.name}" for m in pkgutil.iter_modules(nibi_desk.__path__)
            if m.name not in ("gui", "_data")}
    assert core - listed == set(), f"add to [tool.importlinter] source_modules: {sorted(core - listed)}"
