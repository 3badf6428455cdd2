"""Where the user's files live: the platform's data directory (or NIBI_DATA_DIR), and the default registry."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "nibi-desk"


def data_dir() -> Path:
    override = os.environ.get("NIBI_DATA_DIR")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def demo_registry_path() -> Path:
    return data_dir() / "demo-420682.nibi"


def default_registry_path() -> Path:
    """The registry used when --db is not given: the demo county (created on first use by `nibi demo`)."""
    override = os.environ.get("NIBI_DB")
    return Path(override) if override else demo_registry_path()
