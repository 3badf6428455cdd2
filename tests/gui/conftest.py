"""GUI test fixtures: one offscreen QApplication, isolated settings and data directory, no leftover pool work."""

from __future__ import annotations

import os
import threading

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# QtWebEngine's sandbox cannot start as root in containers, and there is no GPU: without these the renderer dies.
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox --disable-gpu")

import pytest  # noqa: E402
from PySide6.QtCore import QLocale, QSettings, QThreadPool  # noqa: E402

from nibi_desk.gui import theme  # noqa: E402

theme.configure_high_dpi()  # before pytest-qt's qapp creates the session QApplication
from nibi_desk.gui.map.scheme import register_schemes  # noqa: E402

register_schemes()  # the map's nibi:// scheme, which Qt accepts only before the QApplication exists


@pytest.fixture(scope="session")
def qapp_args():
    return ["nibi-desk-tests"]


@pytest.fixture(autouse=True)
def _isolated_gui(qapp, tmp_path, monkeypatch):
    """Settings that a test creates by default go to tmp, so do the data directory and Qt translators."""
    data = tmp_path / "nibi-data"
    monkeypatch.setenv("NIBI_DATA_DIR", str(data))
    qt_settings = tmp_path / "qsettings"
    for fmt in (QSettings.IniFormat, QSettings.NativeFormat):
        for scope in (QSettings.UserScope, QSettings.SystemScope):
            QSettings.setPath(fmt, scope, str(qt_settings))
    locale = QLocale()
    yield
    from nibi_desk.gui import i18n

    i18n.remove_translations(qapp)  # back to the English source strings, as the session started
    QLocale.setDefault(locale)
    from PySide6.QtCore import QCoreApplication, QEvent

    QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)  # objects deleted later go now, not mid-test


@pytest.fixture
def gui_settings(tmp_path):
    """A Settings object on its own INI file."""
    from nibi_desk.gui.settings import Settings

    return Settings.for_file(tmp_path / "settings" / "nibi-desk.ini")


def leftover_pool_work(timeout_ms: int = 5000) -> int:
    """Wait for the global thread pool; return how many runnables are still active afterwards."""
    pool = QThreadPool.globalInstance()
    pool.waitForDone(timeout_ms)
    return pool.activeThreadCount()


def _python_threads() -> set[threading.Thread]:
    # Dummy threads stand for foreign (Qt pool) threads that ran Python code; they are never "joined".
    return {t for t in threading.enumerate() if not isinstance(t, threading._DummyThread)}


@pytest.fixture
def pool_work_left():
    """The check used by ``no_leftover_threads`` (exposed so that a test can prove it catches leftovers)."""
    return leftover_pool_work


@pytest.fixture(autouse=True)
def no_leftover_threads():
    """Fail a test that leaves QThreadPool work or Python threads running after it returns."""
    before = _python_threads()
    yield
    active = leftover_pool_work(5000)
    if active:
        pytest.fail(f"test left {active} QThreadPool task(s) running after waitForDone(5000)")
    started = [t for t in _python_threads() - before if t.is_alive()]
    for thread in started:
        thread.join(5)
    alive = [t.name for t in started if t.is_alive()]
    if alive:
        pytest.fail(f"test left Python thread(s) running: {', '.join(alive)}")
