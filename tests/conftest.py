"""Shared fixtures: paths to ../shared, isolated data directories, language reset."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests run the same examples on every machine (CI must not pass or fail by chance); explore with
# `pytest --hypothesis-seed=random` or by raising max_examples locally.
settings.register_profile("nibi", derandomize=True, database=None)
settings.load_profile("nibi")

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def shared_path(*parts: str) -> Path:
    """A file under ../shared, or skip the test with a clear reason when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"../shared not present beside the checkout: {path}")
    return path


@pytest.fixture(autouse=True)
def _english_by_default_off(monkeypatch, tmp_path):
    """Every test starts in the default language (Chinese) with its own data directory."""
    from nibi_desk import i18n

    i18n.set_language("zh_CN")
    monkeypatch.setenv("NIBI_DATA_DIR", str(tmp_path / "nibi-data"))
    yield
    i18n.set_language("zh_CN")
