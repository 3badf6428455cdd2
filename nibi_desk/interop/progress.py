"""Progress and cancellation of long interop jobs: generators that yield (done, total, label) and return a result.

The GUI runs such a generator in a TaskRunner task (progress between steps, cancellation by closing it); the CLI and
tests drive it to the end with :func:`drive`. Work that must run on the registry's writer thread is wrapped by
:func:`on_writer`, which keeps yielding progress while the transaction runs and rolls it back when closed.
"""

from __future__ import annotations

import concurrent.futures
import os
import threading
from pathlib import Path
from typing import Any, Callable, Generator

from nibi_desk.errors import NibiError

Step = tuple  # (done, total) or (done, total, label)
Steps = Generator[Step, None, Any]


class Cancelled(NibiError):
    """The user stopped the job; nothing was written."""

    template = "Cancelled"


def drive(steps: Steps, progress: Callable[[int, int, str], None] | None = None) -> Any:
    """Run a job generator to the end; return its result."""
    while True:
        try:
            step = next(steps)
        except StopIteration as stop:
            return stop.value
        if progress is not None and len(step) >= 2:
            progress(int(step[0]), int(step[1]), str(step[2]) if len(step) > 2 else "")


class Reporter:
    """Shared between a writer-thread function and the generator waiting for it."""

    def __init__(self):
        self.step: Step = (0, 0, "")
        self.cancel = threading.Event()

    def report(self, done: int, total: int, label: str = "") -> None:
        if self.cancel.is_set():
            raise Cancelled()
        self.step = (done, total, label)


def on_writer(registry, fn: Callable[..., Any], *args: Any, poll: float = 0.05) -> Steps:
    """Run ``fn(txn, reporter, *args)`` in one writer transaction, yielding its progress; closing the generator
    (a cancel) makes the next ``reporter.report`` raise, so the transaction rolls back."""
    reporter = Reporter()
    future = registry.writer.submit(fn, reporter, *args)
    try:
        while True:
            try:
                return future.result(timeout=poll)
            except concurrent.futures.TimeoutError:
                yield reporter.step
    except GeneratorExit:
        reporter.cancel.set()
        try:
            future.result()
        except Exception:  # Cancelled, or whatever else stopped it: either way it rolled back
            pass
        raise


def temp_name(path: Path) -> Path:
    """A temporary name beside ``path`` with the same suffix (some writers look at it)."""
    return path.with_name(f".{path.stem}.{os.getpid()}.{threading.get_ident()}.partial{path.suffix}")


def replace(tmp: Path, path: Path) -> None:
    """Move a finished file into place in one step: readers never see a half-written file under the real name."""
    os.replace(tmp, path)
