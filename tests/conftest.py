"""Shared fixtures: paths to ../shared, isolated data directories, language reset."""

from __future__ import annotations

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


@pytest.fixture
def no_worker_left_behind():
    """Every process pool the test started is shut down and its processes joined; the language is as before
    (``nibi --lang en`` switches it for the process). For the print-copy tests: ``pytest.mark.usefixtures``."""
    import multiprocessing

    from nibi_desk import i18n

    language = i18n.language()
    yield
    i18n.set_language(language)
    assert multiprocessing.active_children() == []


@pytest.fixture(scope="module")
def photos_county(tmp_path_factory):
    """One county per test module whose submitted inspections carry photos larger than print needs (the print-copy
    tests, in Chinese as the app prints by default)."""
    from nibi_desk import i18n
    from tests.reports_fixtures import photo_county

    i18n.set_language("zh_CN")
    county = photo_county(tmp_path_factory.mktemp("county"))
    yield county
    county.registry.close()

