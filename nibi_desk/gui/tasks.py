"""One background-task helper: work runs on a pool thread, results/progress arrive on the main thread, cancellable.

Picard's run_task shape: ``tasks.run(fn, *args, on_done=..., on_error=...)``. ``fn`` may be a generator function
that yields ``(done, total)`` or ``(done, total, label)``; it is stopped between yields when cancelled. A function
that reports through a callback gets one with ``progress_kwarg="progress"``: ``progress(done, total, label="")``,
delivered to ``on_progress`` like a generator's steps (never emit a signal from a worker yourself). A ``key``
makes later tasks with the same key supersede earlier ones: the earlier one is cancelled and its result dropped
(git-cola's stale-result rule, used by search and map refreshes).
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from typing import Any, Callable

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from nibi_desk.gui.interaction import call_in_main_thread, prepare_main_thread_calls

log = logging.getLogger(__name__)


class Cancelled(Exception):
    """Raised inside a task (via ``task.check()``) when it has been cancelled."""


class Task(QObject):
    progress = Signal(int, int, str)
    done = Signal(object)
    failed = Signal(object)
    finished = Signal()  # after done, failed or cancellation, always on the main thread

    _ids = itertools.count(1)

    def __init__(self, label: str = "", cancellable: bool = True, key: str | None = None):
        super().__init__()
        self.id = next(self._ids)
        self.label = label
        self.cancellable = cancellable
        self.key = key
        self._cancel = threading.Event()
        self.state = "pending"  # pending, running, done, failed, cancelled
        self.result: Any = None
        self.error: BaseException | None = None

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        """For plain (non-generator) functions that accept ``task=``: raise Cancelled when cancelled."""
        if self._cancel.is_set():
            raise Cancelled()


def _emitter(task: Task) -> Callable[..., None]:
    """``emit(kind, payload)`` for the task's worker: the signal is emitted on the main thread (posted there through
    ``interaction.call_in_main_thread`` from a pool thread, at once when run inline).

    Workers never emit on a Task themselves: the main thread deletes a task once it has finished, and a worker still
    inside ``finished.emit()`` (Qt posts to one receiver after another) would then use a freed object."""
    return lambda kind, payload=None: call_in_main_thread(lambda: _emit_on(task, kind, payload))


def _emit_on(task: Task, kind: str, payload: Any) -> None:
    if not shiboken6.isValid(task):  # a guard: a task is deleted only after its end, the last news it gets
        return
    if kind == "progress":
        task.progress.emit(*payload)
    elif kind == "done":
        task.done.emit(payload)
    elif kind == "failed":
        task.failed.emit(payload)
    else:
        task.finished.emit()


class _Runnable(QRunnable):
    def __init__(self, task: Task, fn: Callable, args: tuple, kwargs: dict, progress_kwarg: str | None):
        super().__init__()
        self.task, self.fn, self.args, self.kwargs, self.progress_kwarg = task, fn, args, kwargs, progress_kwarg
        self.setAutoDelete(True)

    def run(self) -> None:
        _execute(self.task, self.fn, self.args, self.kwargs, _emitter(self.task), self.progress_kwarg)


def _execute(task: Task, fn: Callable, args: tuple, kwargs: dict,
             emit: Callable[..., None] = lambda *a: None, progress_kwarg: str | None = None) -> None:
    """Run ``fn``; ``emit(kind, payload)`` (:func:`_emitter`) reports progress and the end. Only plain Python state
    of the task is touched here."""
    if progress_kwarg:
        def progress(done: int, total: int, label: str = "") -> None:
            emit("progress", (int(done), int(total), str(label)))

        kwargs = {**kwargs, progress_kwarg: progress}
    task.state = "running"
    try:
        if task.cancelled:
            raise Cancelled()
        result = fn(*args, **kwargs)
        if hasattr(result, "__next__"):  # a generator: progress between steps, cancellation at each yield
            gen, result = result, None
            try:
                while True:
                    step = next(gen)
                    if task.cancelled:
                        gen.close()
                        raise Cancelled()
                    if isinstance(step, tuple) and len(step) >= 2:
                        emit("progress", (int(step[0]), int(step[1]), str(step[2]) if len(step) > 2 else ""))
            except StopIteration as stop:
                result = stop.value
        if task.cancelled:
            raise Cancelled()
        task.result, task.state = result, "done"
        emit("done", result)
    except Cancelled:
        task.state = "cancelled"
    except BaseException as e:  # delivered to on_error on the main thread, never lost in a worker
        task.error, task.state = e, "failed"
        emit("failed", e)
    finally:
        emit("finished")


class TaskRunner(QObject):
    """Runs tasks on a thread pool (or inline with ``sync=True`` for unit tests)."""

    task_started = Signal(object)
    task_finished = Signal(object)

    def __init__(self, pool: QThreadPool | None = None, sync: bool = False, parent: QObject | None = None):
        super().__init__(parent)
        self.pool = pool or QThreadPool.globalInstance()
        self.sync = sync
        self.active: dict[int, Task] = {}
        self._latest: dict[str, int] = {}
        self._closed = False
        prepare_main_thread_calls()  # the GUI-thread helper made here, on the main thread, before any worker needs it

    def run(self, fn: Callable, *args: Any, on_done: Callable[[Any], None] | None = None,
            on_error: Callable[[BaseException], None] | None = None,
            on_progress: Callable[[int, int, str], None] | None = None, label: str = "",
            cancellable: bool = True, key: str | None = None, progress_kwarg: str | None = None,
            **kwargs: Any) -> Task:
        task = Task(label, cancellable, key)
        # No parent: a runner dropped while a finished task waits for its deferred delete must not delete it first
        # (PySide crashes at the deferred delete). It lives in the main thread, where its signals are emitted.
        if key is not None:
            previous = self._latest.get(key)
            if previous in self.active:
                self.active[previous].cancel()
            self._latest[key] = task.id

        def deliver(result):
            if self._closed:  # the window that asked is gone: results still queued must not reach it
                return
            if key is None or self._latest.get(key) == task.id:  # drop stale results
                if on_done:
                    on_done(result)

        def fail(error):
            if self._closed:
                return
            if on_error:
                on_error(error)
            else:
                log.error("background task %r failed", label, exc_info=error)
                import sys

                sys.excepthook(type(error), error, error.__traceback__)

        task.done.connect(deliver)
        task.failed.connect(fail)
        if on_progress:
            task.progress.connect(lambda done, total, label: None if self._closed else on_progress(done, total, label))
        task.finished.connect(lambda: self._finish(task))
        self.active[task.id] = task
        self.task_started.emit(task)
        if self.sync:
            _execute(task, fn, args, kwargs, _emitter(task), progress_kwarg)
        else:
            self.pool.start(_Runnable(task, fn, args, kwargs, progress_kwarg))
        return task

    def _finish(self, task: Task) -> None:
        self.active.pop(task.id, None)
        self.task_finished.emit(task)
        task.deleteLater()

    @property
    def closed(self) -> bool:
        return self._closed

    def close(self) -> None:
        """Cancel everything and deliver nothing more (the context is closing)."""
        self._closed = True
        self.cancel_all()

    def cancel_all(self) -> None:
        for task in list(self.active.values()):
            task.cancel()

    def wait(self, msecs: int = 30000) -> bool:
        """Wait for running tasks (used at shutdown and in tests)."""
        return self.pool.waitForDone(msecs)

    def wait_for(self, tasks, msecs: int = 30000) -> bool:
        """Wait for these tasks only, not for long jobs that others keep running on the pool (a dialog closing)."""
        deadline = time.monotonic() + msecs / 1000

        def running(task: Task) -> bool:
            try:
                return task.state in ("pending", "running")
            except RuntimeError:  # already deleted: it had finished
                return False

        while any(running(t) for t in tasks):
            if time.monotonic() > deadline:
                return False
            time.sleep(0.005)
        return True
