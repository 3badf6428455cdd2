"""The Qt implementation of the Interaction port: the one place in the tree that shows a QMessageBox.

Also ``show_error`` (a typed core error → translated title + its message; anything else → a generic title with the
traceback in the details) and ``call_in_main_thread`` (message boxes may only be shown from the GUI thread).
"""

from __future__ import annotations

import logging
import threading
import traceback
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, QThread, Qt, Signal, Slot
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from nibi_desk import errors
from nibi_desk.interaction import Interaction

log = logging.getLogger(__name__)

# Titles per core error class (most specific class wins), translated when shown.
ERROR_TITLES: dict[type, str] = {
    errors.RecordInvalid: QT_TRANSLATE_NOOP("Errors", "Invalid record"),
    errors.ValidationError: QT_TRANSLATE_NOOP("Errors", "Invalid value"),
    errors.NotFound: QT_TRANSLATE_NOOP("Errors", "Not found"),
    errors.ImportFailed: QT_TRANSLATE_NOOP("Errors", "Import failed"),
    errors.RegistryError: QT_TRANSLATE_NOOP("Errors", "Registry error"),
    errors.ResourceMissing: QT_TRANSLATE_NOOP("Errors", "Resource missing"),
    errors.NibiError: QT_TRANSLATE_NOOP("Errors", "Error"),
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("Errors", text)


def is_main_thread() -> bool:
    app = QCoreApplication.instance()
    if app is None:
        return threading.current_thread() is threading.main_thread()
    return QThread.currentThread() == app.thread()


class _Invoker(QObject):
    """Lives in the GUI thread; runs callables posted to it from any thread."""

    queued = Signal(object)
    blocking = Signal(object)

    def __init__(self):
        super().__init__()
        self.queued.connect(self._run, Qt.QueuedConnection)
        self.blocking.connect(self._run, Qt.BlockingQueuedConnection)

    @Slot(object)
    def _run(self, fn: Callable[[], None]) -> None:
        fn()


_invoker: _Invoker | None = None
_invoker_lock = threading.Lock()


def _get_invoker() -> _Invoker:
    global _invoker
    with _invoker_lock:
        if _invoker is None:
            _invoker = _Invoker()
            app = QCoreApplication.instance()
            if _invoker.thread() != app.thread():
                _invoker.moveToThread(app.thread())  # an object may push itself from its own thread
        return _invoker


def prepare_main_thread_calls() -> None:
    """Create the GUI-thread helper now (call from the GUI thread at start-up)."""
    if QCoreApplication.instance() is not None:
        _get_invoker()


def call_in_main_thread(fn: Callable[[], Any], wait: bool = False) -> Any:
    """Run ``fn`` on the GUI thread: directly when already there, else queued (``wait=True``: block for the result).

    Never wait from a worker that the GUI thread is itself waiting for (e.g. inside ``QThreadPool.waitForDone``).
    """
    if is_main_thread() or QCoreApplication.instance() is None:
        return fn()
    box: dict[str, Any] = {}

    def run():
        try:
            box["result"] = fn()
        except BaseException as e:  # handed back to the waiting thread
            box["error"] = e

    invoker = _get_invoker()
    if not wait:
        invoker.queued.emit(fn)
        return None
    invoker.blocking.emit(run)
    if "error" in box:
        raise box["error"]
    return box.get("result")


class QtInteraction:
    """Interaction through message boxes; ``details`` go in the box's "Show details..." area."""

    def __init__(self, parent_provider: Callable[[], QWidget | None] | None = None):
        self.parent_provider = parent_provider or (lambda: QApplication.activeWindow())
        prepare_main_thread_calls()

    def confirm(self, title: str, text: str, default: bool = False, details: str = "") -> bool:
        def ask() -> bool:
            box = self._box(QMessageBox.Question, title, text, details)
            box.setStandardButtons(QMessageBox.Yes | QMessageBox.No)
            box.setDefaultButton(QMessageBox.Yes if default else QMessageBox.No)
            box.setEscapeButton(QMessageBox.No)
            box.exec()
            return box.standardButton(box.clickedButton()) == QMessageBox.Yes

        return bool(call_in_main_thread(ask, wait=True))

    def info(self, title: str, text: str, details: str = "") -> None:
        self._show(QMessageBox.Information, title, text, details)

    def warn(self, title: str, text: str, details: str = "") -> None:
        self._show(QMessageBox.Warning, title, text, details)

    def error(self, title: str, text: str, details: str = "") -> None:
        self._show(QMessageBox.Critical, title, text, details)

    def error_with_report(self, title: str, text: str, details: str,
                          save_report: Callable[[Path], Path]) -> None:
        """An error box with "Save report…": a zip (``save_report(path)``) for the county's IT staff."""
        def show() -> None:
            box = self._box(QMessageBox.Critical, title, text, details)
            box.setStandardButtons(QMessageBox.Ok)
            save = box.addButton(QCoreApplication.translate("Errors", "Save report…"), QMessageBox.ActionRole)
            save.setObjectName("saveReport")
            box.setDefaultButton(QMessageBox.Ok)
            box.exec()
            if box.clickedButton() is save:
                self._save_report(save_report)

        call_in_main_thread(show)

    def _save_report(self, save_report: Callable[[Path], Path]) -> None:
        from datetime import datetime

        from PySide6.QtWidgets import QFileDialog

        title = QCoreApplication.translate("Errors", "Save error report")
        suggested = Path.home() / f"nibi-desk-report-{datetime.now().strftime('%Y%m%d-%H%M%S')}.zip"
        name, _filter = QFileDialog.getSaveFileName(self.parent_provider(), title, str(suggested),
                                                    QCoreApplication.translate("Errors", "Zip archives (*.zip)"))
        if not name:
            return
        try:
            path = save_report(Path(name))
        except Exception as e:  # a full disk or a read-only folder: say so, the user can choose again
            self.error(title, f"{type(e).__name__}: {e}")
            return
        done = QCoreApplication.translate("Errors", "Saved {path}. Give this file to your county's IT staff: it holds "
                                                    "the program's log and versions, and no registry data.")
        self.info(title, done.format(path=path))

    def _show(self, icon: QMessageBox.Icon, title: str, text: str, details: str) -> None:
        def show() -> None:
            box = self._box(icon, title, text, details)
            box.setStandardButtons(QMessageBox.Ok)
            box.setDefaultButton(QMessageBox.Ok)
            box.exec()

        call_in_main_thread(show)  # from a worker: queued, the worker does not wait for the user

    def _box(self, icon: QMessageBox.Icon, title: str, text: str, details: str) -> QMessageBox:
        parent = None
        try:
            parent = self.parent_provider()
        except Exception:  # a broken provider must not hide the message
            log.exception("parent provider failed")
        box = QMessageBox(parent)
        box.setIcon(icon)
        box.setWindowTitle(title)
        box.setText(text)
        box.setTextFormat(Qt.PlainText)  # messages quote user data (file names, codes): never interpret HTML
        if details:
            box.setDetailedText(details)
        box.setWindowModality(Qt.ApplicationModal if parent is None else Qt.WindowModal)
        return box


def error_title(exc: BaseException) -> str:
    """The translated title for an exception: by core error class, or "Unexpected error"."""
    for cls in type(exc).__mro__:
        if cls in ERROR_TITLES:
            return _tr(ERROR_TITLES[cls])
    return _tr(QT_TRANSLATE_NOOP("Errors", "Unexpected error"))


def format_traceback(exc: BaseException) -> str:
    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))


def show_error(interaction: Interaction, exc: BaseException, details: str | None = None,
               title: str | None = None, report: Callable[[Path], Path] | None = None) -> None:
    """Tell the user about ``exc``: a NibiError shows its translated message; anything else also its traceback.

    ``details`` overrides the details area (the excepthook passes the traceback for every uncaught exception).
    ``report``: offer "Save report…" (writes a zip to the given path) when the interaction can.
    """
    if isinstance(exc, errors.NibiError):
        text = exc.message()
        if details is None:
            cause = exc.__cause__ or (None if exc.__suppress_context__ else exc.__context__)
            details = format_traceback(cause) if cause is not None else ""
    else:
        summary = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        text = QCoreApplication.translate("Errors", "An unexpected error occurred:") + "\n" + summary
        if details is None:
            details = format_traceback(exc)
    if report is not None and hasattr(interaction, "error_with_report"):
        interaction.error_with_report(title or error_title(exc), text, details, report)
        return
    interaction.error(title or error_title(exc), text, details)
