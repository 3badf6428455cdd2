"""The last line of defence: log every uncaught exception to a rotating file and show it to the user.

A desktop user never reads stderr. ``install()`` routes ``sys.excepthook`` (main thread, Qt slots and virtual
overrides, QRunnables) and ``threading.excepthook`` (Python threads) to the log and to the Interaction, on the GUI
thread, with the traceback in the details. The hooks never re-raise and never exit.
"""

from __future__ import annotations

import logging
import sys
import threading
from dataclasses import dataclass
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType
from typing import Any

from nibi_desk.gui.interaction import call_in_main_thread, format_traceback, prepare_main_thread_calls, show_error
from nibi_desk.interaction import Interaction

log = logging.getLogger("nibi_desk.uncaught")

LOG_FILE = "nibi-desk.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"


@dataclass
class _Installed:
    interaction: Interaction
    handler: logging.Handler
    previous_level: int
    previous_sys_hook: Any
    previous_thread_hook: Any
    showing: bool = False


_state: _Installed | None = None


def install(interaction: Interaction, log_dir: str | Path, level: int = logging.INFO) -> Path:
    """Log to ``log_dir/nibi-desk.log`` (1 MB × 5) and show uncaught exceptions; returns the log file's path.

    Call from the GUI thread once the QApplication exists. Installing again replaces the previous installation.
    """
    global _state
    if _state is not None:
        uninstall()
    log_dir = Path(log_dir)
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / LOG_FILE
    handler = RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8")
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.setLevel(level)
    root = logging.getLogger()
    previous_level = root.level
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > level:
        root.setLevel(level)
    prepare_main_thread_calls()
    _state = _Installed(interaction, handler, previous_level, sys.excepthook, threading.excepthook)
    sys.excepthook = _sys_hook
    threading.excepthook = _thread_hook
    log.info("NIBI Desk started; logging to %s", path)
    return path


def uninstall() -> None:
    """Restore the hooks and logging as they were before ``install()`` (tests, shutdown)."""
    global _state
    state, _state = _state, None
    if state is None:
        return
    if sys.excepthook is _sys_hook:
        sys.excepthook = state.previous_sys_hook
    if threading.excepthook is _thread_hook:
        threading.excepthook = state.previous_thread_hook
    root = logging.getLogger()
    root.removeHandler(state.handler)
    root.setLevel(state.previous_level)
    state.handler.close()


def installed() -> bool:
    return _state is not None


def _sys_hook(exc_type: type[BaseException], exc: BaseException | None,
              tb: TracebackType | None) -> None:
    _report(exc_type, exc, tb, threading.current_thread().name)


def _thread_hook(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit:  # threading's own default ignores it too
        return
    name = args.thread.name if args.thread is not None else threading.current_thread().name
    _report(args.exc_type, args.exc_value, args.exc_traceback, name)


def _report(exc_type: type[BaseException], exc: BaseException | None, tb: TracebackType | None,
            thread_name: str) -> None:
    try:
        if exc is None:
            exc = exc_type()
        if exc.__traceback__ is None and tb is not None:
            exc = exc.with_traceback(tb)
        log.error("Uncaught exception in thread %s", thread_name, exc_info=(exc_type, exc, tb))
        if issubclass(exc_type, KeyboardInterrupt):  # Ctrl+C in a terminal: logged, not a dialog
            return
        details = format_traceback(exc)
        call_in_main_thread(lambda: _show(exc, details))
    except BaseException:  # the hook itself must never raise (it would recurse or kill the thread silently)
        try:
            sys.__stderr__.write("NIBI Desk: the exception hook failed\n")
        except Exception:
            pass


def log_file() -> Path | None:
    """The current log file (None before ``install()``)."""
    return Path(_state.handler.baseFilename) if _state is not None else None


def _write_report(path: Path, details: str) -> Path:
    """The crash dialog's "Save report…": log tail, versions and the exception; never registry data."""
    from nibi_desk.gui import diagnostics

    if _state is not None:
        _state.handler.flush()
    return diagnostics.write_report(path, details, log_file())


def _show(exc: BaseException, details: str) -> None:
    state = _state
    if state is None:
        return
    if state.showing:
        # An error while the previous error is on screen (a paint event failing again and again): log only.
        log.warning("another uncaught exception while an error is shown: %r", exc)
        return
    state.showing = True
    try:
        show_error(state.interaction, exc, details=details, report=lambda path: _write_report(path, details))
    except Exception:
        log.exception("could not show an uncaught exception")
    finally:
        state.showing = False
