"""Refresh the Qt Linguist sources (nibi_<lang>.ts) from the GUI code and the Designer forms.

    .venv/bin/python resources/translations/update_ts.py [--drop-obsolete]

Runs PySide6's lupdate over nibi_desk/gui/**/*.py and ui/*.ui. Existing translations are kept (lupdate merges);
strings that left the code are marked vanished, or dropped with --drop-obsolete. Then translate the new
``type="unfinished"`` entries (Qt Linguist: ``pyside6-linguist resources/translations/nibi_zh_CN.ts``).
The .qm files are built at run time or by the packaging step, never committed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
LANGUAGES = ("zh_CN",)  # English is the source language and needs no catalog


def source_files(root: Path = ROOT) -> list[Path]:
    files = sorted((root / "nibi_desk" / "gui").rglob("*.py")) + sorted((root / "ui").glob("*.ui"))
    return [f for f in files if "__pycache__" not in f.parts]


def lupdate_tool() -> Path:
    sys.path.insert(0, str(ROOT))
    from nibi_desk.gui.i18n import find_qt_tool

    tool = find_qt_tool("lupdate")
    if tool is None:
        raise SystemExit("lupdate not found: install PySide6 (it ships pyside6-lupdate)")
    return tool


def run_lupdate(ts: Path, lang: str = "zh_CN", drop_obsolete: bool = False, quiet: bool = False) -> None:
    """Create or update ``ts`` from the sources (paths in the file are relative to it)."""
    args = [str(lupdate_tool()), "-locations", "relative", "-source-language", "en",
            "-target-language", lang]
    if drop_obsolete:
        args.append("-no-obsolete")
    if quiet:
        args.append("-silent")
    args += [str(f) for f in source_files()] + ["-ts", str(ts)]
    subprocess.run(args, check=True, cwd=ROOT)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drop-obsolete", action="store_true", help="remove strings no longer in the code")
    args = parser.parse_args(argv)
    for lang in LANGUAGES:
        run_lupdate(HERE / f"nibi_{lang}.ts", lang, args.drop_obsolete)
    return 0


if __name__ == "__main__":
    sys.exit(main())
