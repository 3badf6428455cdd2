"""Print copies of photos made in the background when they arrive (an inspection submitted, a bundle imported).

``prepare_print_copies(ctx, inspection_ids)`` is all a slot calls. ``offer_to_prepare_all(ctx)`` (Registry menu,
"Prepare photos for printing…") counts in the background the copies missing for every submitted inspection (photos
from before this version, a restored backup, a large ``nibi bundle import``), says how long making them takes and,
when the user agrees, queues them here. One job at a time per context runs
:func:`nibi_desk.reports.print_copies.steps` through the task runner (status bar progress and cancel); inspections
that arrive meanwhile wait for the next job. It never fails what started it: a failure is logged, a photo that
cannot be read is left to the report (which shows it as before). Closing the context cancels the job between photos
and its worker processes are shut down before the context's wait returns.
"""

from __future__ import annotations

import logging
import math
import os
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
        # The runner's signal (main thread, whatever the outcome), connected before any job runs: a connection to
        # the task's own ``finished``, made once ``run`` has started it, could miss a job that ends meanwhile, and
        # every later job would then wait behind it for good.
        ctx.tasks.task_finished.connect(self._finished)

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
            print_copies.steps, self.ctx.registry, ids, background=True, on_done=self._done, on_error=self._failed,
            label=QCoreApplication.translate("PrintCopies", "Preparing photos for printing"))
        if self.task.id not in self.ctx.tasks.active:  # run inline (a synchronous runner): it has finished already
            self.task = None
            self._next()

    def _done(self, stats) -> None:
        if stats.failed:
            log.warning("%d of %d print copies could not be made", stats.failed, stats.to_make)
        self.prepared.emit(stats)

    def _failed(self, error: BaseException) -> None:
        log.warning("print copies not made (the reports make them when printed): %s", error, exc_info=error)

    def _finished(self, task) -> None:
        if task is not None and task is self.task:
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
    """After an import: the print copies of the submitted inspections it brought or gave photos (found in the
    background: a rollup's plan names tens of thousands of rows)."""
    from nibi_desk.reports.print_copies import arrived

    def failed(error: BaseException) -> None:  # the import stands
        log.warning("print copies not started: %s", error)

    ctx.tasks.run(lambda: arrived(ctx.registry.read(), plan), on_done=lambda ids: prepare_print_copies(ctx, ids),
                  on_error=failed)


SECONDS_PER_COPY = 0.05   # ≈ 48 ms of CPU per 12 MP photo (see nibi_desk.reports.print_copies)
COUNT_CHUNK = 500         # inspections per step of the count (progress and cancel between steps)


def minutes_for(copies: int, cpus: int | None = None) -> int:
    """Minutes to make ``copies`` print copies with one worker per core but one, rounded up."""
    cpus = os.cpu_count() if cpus is None else cpus
    return math.ceil(SECONDS_PER_COPY * copies / max(1, (cpus or 1) - 1) / 60)


def count_missing(registry):
    """Generator for a background task: how many print copies the reports of the submitted inspections place that
    are not made yet, counted a chunk of inspections at a time (yields ``(done, total)``). Returns ``(ids, count)``:
    the inspections of the chunks that lack a copy, so that making them does not look through every inspection
    again, and the number of copies, each counted once even when two chunks place it."""
    from nibi_desk.reports import print_copies

    ids = print_copies.submitted(registry.read())
    cache = print_copies.cache_for(registry.path)
    targets: set = set()
    wanted: list[str] = []
    yield 0, len(ids)
    for start in range(0, len(ids), COUNT_CHUNK):
        chunk = ids[start:start + COUNT_CHUNK]
        jobs = print_copies.missing(registry, chunk, cache)
        if jobs:
            wanted += chunk
        targets.update(job.target for job in jobs)
        yield start + len(chunk), len(ids)
    return wanted, len(targets)


def offer_to_prepare_all(ctx) -> None:
    """Make the missing print copies of every submitted inspection, if the user agrees once told how many there are
    and how long it takes. The count runs in the background; the question and the answer go through the
    Interaction port."""
    title = QCoreApplication.translate("PrintCopies", "Prepare photos for printing")

    def counted(result) -> None:
        ids, count = result
        if not count:
            ctx.interaction.info(title, QCoreApplication.translate(
                "PrintCopies", "All photos of the submitted inspections already have a print copy: printing is fast."))
            return
        question = QCoreApplication.translate(
            "PrintCopies", "{count} photos have no print copy yet; making them takes about {minutes} minutes in the "
            "background (you can keep working, and cancel in the status bar). Start?")
        if ctx.interaction.confirm(title, question.format(count=count, minutes=minutes_for(count)), default=True):
            prepare_print_copies(ctx, ids)

    def failed(error: BaseException) -> None:
        from nibi_desk.gui.interaction import show_error

        show_error(ctx.interaction, error, title=title)

    ctx.tasks.run(count_missing, ctx.registry, on_done=counted, on_error=failed, key="print-copies-count",
                  label=QCoreApplication.translate("PrintCopies", "Counting photos without a print copy"))


__all__ = ["PrintCopies", "count_missing", "minutes_for", "offer_to_prepare_all", "prepare_imported",
           "prepare_print_copies", "print_copies_of"]
