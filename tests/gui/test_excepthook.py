"""The global hook logs uncaught exceptions to the rotating file and shows them on the main thread."""

from __future__ import annotations

import logging
import sys
import threading
from logging.handlers import RotatingFileHandler

import pytest
from PySide6.QtCore import QRunnable, QThreadPool, QTimer

from nibi_desk import errors
from nibi_desk.gui import excepthook

pytestmark = pytest.mark.qt_no_exception_capture  # these tests want the exceptions to reach our hook


class RecordingInteraction:
    def __init__(self):
        self.errors: list[tuple[str, str, str]] = []
        self.threads: list[threading.Thread] = []

    def confirm(self, title, text, default=False):
        return default

    def info(self, title, text):
        pass

    def warn(self, title, text):
        pass

    def error(self, title, text, details=""):
        self.errors.append((title, text, details))
        self.threads.append(threading.current_thread())


@pytest.fixture
def hooked(tmp_path):
    interaction = RecordingInteraction()
    log_file = excepthook.install(interaction, tmp_path / "logs")
    yield interaction, log_file
    excepthook.uninstall()


def _log_text(path):
    for handler in logging.getLogger().handlers:
        handler.flush()
    return path.read_text(encoding="utf-8")


def test_install_configures_a_rotating_file(hooked):
    _, log_file = hooked
    assert log_file.name == "nibi-desk.log"
    handlers = [h for h in logging.getLogger().handlers if isinstance(h, RotatingFileHandler)]
    assert [(h.maxBytes, h.backupCount) for h in handlers] == [(1_000_000, 5)]
    logging.getLogger("nibi_desk.test").info("hello 巡检")
    assert "hello 巡检" in _log_text(log_file)


def test_main_thread_exception_from_a_qt_slot(hooked, qtbot):
    interaction, log_file = hooked

    def slot():
        raise ZeroDivisionError("boom in a slot")

    QTimer.singleShot(0, slot)
    qtbot.waitUntil(lambda: bool(interaction.errors), timeout=5000)
    title, text, details = interaction.errors[0]
    assert title == "Unexpected error"
    assert "ZeroDivisionError: boom in a slot" in text
    assert details.startswith("Traceback") and ", in slot" in details
    assert interaction.threads == [threading.main_thread()]
    log = _log_text(log_file)
    assert "Uncaught exception" in log and "ZeroDivisionError: boom in a slot" in log


def test_direct_call_of_sys_excepthook(hooked):
    interaction, _ = hooked
    try:
        raise errors.RegistryError("Not a NIBI registry: {file}", file="x.nibi")
    except errors.RegistryError as e:
        sys.excepthook(type(e), e, e.__traceback__)  # returns: never re-raises, never exits
    title, text, details = interaction.errors[0]
    assert (title, text) == ("Registry error", "Not a NIBI registry: x.nibi")
    assert "Traceback" in details


def test_python_thread_exception_is_shown_on_the_main_thread(hooked, qtbot):
    interaction, log_file = hooked

    def work():
        raise RuntimeError("boom in a thread")

    thread = threading.Thread(target=work, name="worker-1")
    thread.start()
    thread.join(5)
    qtbot.waitUntil(lambda: bool(interaction.errors), timeout=5000)
    assert "RuntimeError: boom in a thread" in interaction.errors[0][1]
    assert "Traceback" in interaction.errors[0][2]
    assert interaction.threads == [threading.main_thread()]
    assert "[worker-1]" in _log_text(log_file)


def test_thread_pool_exception_is_shown_on_the_main_thread(hooked, qtbot):
    interaction, _ = hooked

    class Failing(QRunnable):
        def run(self):
            raise ValueError("boom in the pool")

    QThreadPool.globalInstance().start(Failing())
    QThreadPool.globalInstance().waitForDone(5000)
    qtbot.waitUntil(lambda: bool(interaction.errors), timeout=5000)
    assert "ValueError: boom in the pool" in interaction.errors[0][1]
    assert interaction.threads == [threading.main_thread()]


def test_a_failing_interaction_does_not_escape_the_hook(tmp_path):
    class Broken:
        def error(self, title, text, details=""):
            raise RuntimeError("dialog failed")

    log_file = excepthook.install(Broken(), tmp_path)
    try:
        try:
            raise KeyError("k")
        except KeyError as e:
            sys.excepthook(type(e), e, e.__traceback__)
        assert "could not show an uncaught exception" in _log_text(log_file)
    finally:
        excepthook.uninstall()


def test_uninstall_restores_the_previous_hooks(tmp_path):
    before_sys, before_thread = sys.excepthook, threading.excepthook
    root_handlers = list(logging.getLogger().handlers)
    excepthook.install(RecordingInteraction(), tmp_path)
    assert sys.excepthook is not before_sys and threading.excepthook is not before_thread
    excepthook.install(RecordingInteraction(), tmp_path)  # a second install replaces the first
    excepthook.uninstall()
    assert sys.excepthook is before_sys and threading.excepthook is before_thread
    assert logging.getLogger().handlers == root_handlers
    assert not excepthook.installed()
