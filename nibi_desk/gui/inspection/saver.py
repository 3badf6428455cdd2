"""Saving a draft as the inspector works: one write at a time on the task runner, in order, never lost on close.

Each change becomes a pending operation (answers merge by item; other writes by name, the latest wins). One task
runs the pending batch through the core commands; when it is done the next batch goes. ``flush()`` (before
submitting, closing or raising a defect) waits for the batch under way and writes the rest at once: these are
single small transactions, so waiting for them is a matter of milliseconds.
"""

from __future__ import annotations

import threading
from typing import Any, Callable

from PySide6.QtCore import QObject, QTimer, Signal

from nibi_desk.inspection import inspections


class DraftSaver(QObject):
    saved = Signal()           # a batch is committed
    failed = Signal(object)    # a batch was refused (the exception)

    def __init__(self, ctx, inspection_id: str, parent: QObject | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.inspection_id = inspection_id
        self._answers: dict[str, Any] = {}
        self._ops: dict[str, tuple[Callable, tuple]] = {}
        self._idle = threading.Event()
        self._idle.set()
        self._task = None
        self._scheduled = False
        self._inflight: Callable[[], None] = lambda: None
        self.enabled = True

    @property
    def pending(self) -> bool:
        return bool(self._answers or self._ops) or not self._idle.is_set()

    def save_answer(self, key: str, answer: dict) -> None:
        self._answers[key] = answer
        self._schedule()

    def save(self, name: str, fn: Callable, *args: Any) -> None:
        """Queue ``fn(ctx, inspection_id, *args)`` under ``name`` (a later one with the same name replaces it)."""
        self._ops[name] = (fn, args)
        self._schedule()

    def _schedule(self) -> None:
        # Changes made in one go (several fields left at once) become one transaction.
        if not self._scheduled:
            self._scheduled = True
            QTimer.singleShot(0, self, self._kick)

    def _take(self) -> Callable[[], None]:
        answers, ops = self._answers, list(self._ops.values())
        self._answers, self._ops = {}, {}
        ctx, inspection_id = self.ctx, self.inspection_id

        def write() -> None:
            if answers:
                inspections.save_answers(ctx, inspection_id, answers)
            for fn, args in ops:
                fn(ctx, inspection_id, *args)

        return write

    def _kick(self) -> None:
        self._scheduled = False
        if not self.enabled or not self._idle.is_set() or not (self._answers or self._ops):
            return
        write = self._inflight = self._take()
        self._idle.clear()

        def run() -> None:
            try:
                write()
            finally:
                self._idle.set()  # set in the worker: flush() may wait for it without an event loop

        self._task = self.ctx.tasks.run(run, on_done=self._done, on_error=self._error,
                                        label=self.tr("Saving the draft"), cancellable=False)

    def _done(self, _result) -> None:
        self.saved.emit()
        self._kick()

    def _error(self, error: BaseException) -> None:
        self.failed.emit(error)
        self._kick()

    def flush(self, timeout_s: float = 15.0) -> None:
        """Write everything now (blocks for the batch under way); raises what the core refuses."""
        waited = 0.0
        while not self._idle.wait(0.05):
            waited += 0.05
            if self._task is not None and self._task.state == "cancelled":  # the runner closed before it ran
                self._inflight()
                self._idle.set()
                break
            if waited > timeout_s:
                raise TimeoutError("the draft could not be saved in time")
        if self._answers or self._ops:
            self._take()()
            self.saved.emit()
