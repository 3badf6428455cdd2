"""Print copies of photos made in the background when they arrive (an inspection submitted, a bundle imported).

``prepare_print_copies(ctx, inspection_ids)`` is all a slot calls. One job at a time per context runs
:func:`nibi_desk.reports.print_copies.steps` through the task runner (status bar progress and cancel); inspections
that arrive meanwhile wait for the next job. It never fails what started it: a failure is logged, a photo that
cannot be read is left to the report (which shows it as before). Closing the context cancels the job between photos
and its worker processes are shut down before the context's wait returns.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication, QObject, Signal

log = logging.getLogger(__name__)


class PrintCopies(QObject):
    """The print-copy jobs of one context (child of its notifier, so it lives and dies with it)."""

    prepared = Signal(object)  # the Stats of each finished job

    def __init__(self, ctx):
        super().__init__(ctx.notifier)
        self.setObjectName("printCopies")
        self.ctx = ctx
        self.waiting: list[str] = []
        self.task = None

    def add(self, inspection_ids: Iterable[str]) -> None:
        self.waiting += [i for i in inspection_ids if i not in self.waiting]
        if self.task is None:
            self._next()

    def _next(self) -> None:
        if not self.waiting or self.ctx.tasks.closed:
            return
        from nibi_desk.reports import print_copies

        ids, self.waiting = self.waiting, []
        self.task = self.ctx.tasks.run(
            print_copies.steps, self.ctx.registry, ids, on_done=self._done, on_error=self._failed,
            label=QCoreApplication.translate("PrintCopies", "Preparing photos for printing"))
        self.task.finished.connect(self._ended)

    def _done(self, stats) -> None:
        if stats.failed:
            log.warning("%d of %d print copies could not be made", stats.failed, stats.to_make)
        self.prepared.emit(stats)

    def _failed(self, error: BaseException) -> None:
        log.warning("print copies not made (the reports make them when printed): %s", error, exc_info=error)

    def _ended(self) -> None:
        self.task = None
        self._next()


def print_copies_of(ctx) -> PrintCopies:
    hub = ctx.notifier.findChild(PrintCopies, "printCopies")
    return hub if hub is not None else PrintCopies(ctx)


def prepare_print_copies(ctx, inspection_ids: Iterable[str]) -> None:
    """Make the print copies of these inspections' photos in the background, after any job already running."""
    try:
        print_copies_of(ctx).add(list(inspection_ids))
    except Exception as e:  # noqa: BLE001 - whatever started it (a submission, an import) has succeeded
        log.warning("print copies not started: %s", e)


def prepare_imported(ctx, plan) -> None:
    """After an import: the print copies of the submitted inspections it brought or gave photos."""
    from nibi_desk.reports.print_copies import arrived

    try:
        ids = arrived(ctx.registry.read(), plan)
    except Exception as e:  # noqa: BLE001 - the import stands
        log.warning("print copies not started: %s", e)
        return
    prepare_print_copies(ctx, ids)


__all__ = ["PrintCopies", "prepare_imported", "prepare_print_copies", "print_copies_of"]
