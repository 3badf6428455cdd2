"""Locate the data directories ui/, db/, resources/ and docs/ from a source checkout or an installed wheel."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
# From a checkout the data directories sit beside the package; a wheel carries them inside it as nibi_desk/_data
# (see [tool.setuptools] in pyproject.toml). NIBI_DATA_ROOT overrides both (frozen apps, tests).
_CANDIDATES = (_PACKAGE.parent, _PACKAGE / "_data")


def data_root() -> Path:
    override = os.environ.get("NIBI_DATA_ROOT")
    if override:
        return Path(override)
    for root in _CANDIDATES:
        if (root / "db" / "migrations").is_dir():
            return root
    raise FileNotFoundError(
        "NIBI Desk data directories (db/, ui/, resources/) not found beside the package or inside it: "
        + ", ".join(str(c) for c in _CANDIDATES)
    )


def db_dir() -> Path:
    return data_root() / "db"


def ui_dir() -> Path:
    return data_root() / "ui"


def resources_dir() -> Path:
    return data_root() / "resources"


def docs_dir() -> Path:
    """The user guide (docs/guide/<lang>/index.md and its images), shipped like the other data directories."""
    return data_root() / "docs"
