"""Print copies of a batch's photos made ahead of the layout, in worker processes.

Cold (photos printed for the first time) a batch spends most of its time decoding photos: some 40–60 ms per 12 MP
JPEG on one core even at 1/4 scale. While the main process lays out one inspection after another, a pool of worker
processes prepares the photos of the next :data:`WINDOW` inspections into the same on-disk cache; the cache writes
each file atomically (:class:`.photos.PhotoCache`), so the layout simply finds it. When the layout needs a copy that
no worker has started yet, it takes the job back and makes it itself; while it waits for one that a worker is
making, it makes the next queued photo itself rather than sit idle (so the layout's process is never the one that
waits, whatever the number of workers). A worker that fails on a photo changes nothing: the layout makes that photo
itself, so an error is reported exactly as without workers.

Workers are started with "spawn", never "fork": the GUI runs a batch on a worker thread of a Qt application, and a
forked copy of a multi-threaded process can deadlock. They import only Qt-free core code (and, as spawn does, the
main script: ``nibi-desk`` imports nothing at module level). The pool starts at the first photo that is not in the
cache, so a warm batch pays nothing, and a batch of fewer than :data:`MIN_INSPECTIONS` never starts one. A frozen
app (PyInstaller) starts workers only when its entry point has called :func:`freeze_support` — without it each
worker would start another copy of the app.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import sys
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

log = logging.getLogger(__name__)

WINDOW = 24           # inspections whose photos may be queued ahead of the layout (≈ 100 photos, a few seconds)
MIN_INSPECTIONS = 3   # smaller batches are not worth a pool's start-up (≈ 0.3 s per worker)
MAX_WORKERS = 4       # an inspection is ≈ 190 ms of photos and ≈ 50 ms of layout: past ≈ 4 workers the layout is
                      # the bottleneck, and each worker is ≈ 55 MB more

_frozen_ready = False


def freeze_support() -> None:
    """Call first thing in a frozen entry point (before anything else runs): a worker started from the frozen
    executable then does its job instead of starting the app, and batches may use workers."""
    global _frozen_ready
    multiprocessing.freeze_support()
    _frozen_ready = True


def default_workers() -> int:
    """Worker processes for a batch: one per core but one, which stays with the layout (and helps the workers
    when it catches up with them); at least one, at most :data:`MAX_WORKERS`."""
    return max(1, min(MAX_WORKERS, (os.cpu_count() or 1) - 1))


def usable() -> bool:
    return _frozen_ready or not getattr(sys, "frozen", False)


@dataclass
class PrefetchStats:
    workers: int = 0          # processes started (0: no pool was needed)
    made: int = 0             # copies made by workers
    taken_back: int = 0       # queued jobs the layout did itself (reached first, or while waiting for a worker)
    failed: int = 0           # jobs that failed in a worker (the layout made those photos itself)
    worker_peak_mb: int = 0   # the largest worker's RSS high-water mark (Linux; 0 elsewhere)


# -- in the workers --------------------------------------------------------------------------------------------------
_cache = None


def _start(store_root: str, max_px: int, cache_root: str, language: str, background: bool = False) -> None:
    import signal

    from nibi_desk import i18n
    from nibi_desk.photos.store import PhotoStore
    from nibi_desk.reports.photos import PhotoCache

    global _cache
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the main process's to handle: it shuts the pool down
    i18n.set_language(language)                   # the band's labels, and so the cache key, are in its language
    _cache = PhotoCache(PhotoStore(store_root), max_px, Path(cache_root))
    if background:
        lower_priority()


BACKGROUND_NICE = 10


def lower_priority() -> None:
    """Let the user's own work come first: this process runs below normal priority (nice +10 on Linux; the
    below-normal class on Windows). For print copies made in the background while someone works in the app."""
    try:
        if sys.platform == "win32":
            import ctypes

            kernel32 = ctypes.windll.kernel32
            kernel32.SetPriorityClass(kernel32.GetCurrentProcess(), 0x00004000)  # BELOW_NORMAL_PRIORITY_CLASS
        else:
            os.nice(BACKGROUND_NICE)
    except (OSError, AttributeError) as e:  # not allowed or not available: the work is the same
        log.debug("priority not lowered: %s", e)


def _prepare(photo: dict, fields) -> tuple[bool, int]:
    """Make one print copy: (made, this worker's peak RSS in kB). Never raises — an exception's class might not
    unpickle in the main process, which would break the whole pool; the layout makes a failed photo again."""
    try:
        _cache.evidence(photo, fields)
        made = True
    except Exception as e:  # noqa: BLE001 - reported by the layout, which tries again
        log.debug("worker could not prepare %s: %s", photo.get("sha256"), e)
        made = False
    return made, _peak_kb()


def _peak_kb() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


# -- in the main process ---------------------------------------------------------------------------------------------
def pool(cache, workers: int, background: bool = False) -> ProcessPoolExecutor:
    """Spawned worker processes that make print copies into ``cache`` (a :class:`.photos.PhotoCache`) with
    :func:`_prepare`, in this process's language (the band's labels, and so the cache key, depend on it), below
    normal priority when ``background``. Also used by :mod:`.print_copies`."""
    from nibi_desk import i18n

    return ProcessPoolExecutor(int(workers), mp_context=multiprocessing.get_context("spawn"), initializer=_start,
                               initargs=(str(cache.store.root), cache.max_px, str(cache.root), i18n.language(),
                                         background))


class Prefetcher:
    """Queues the photos of the inspections ahead of the layout; hooks into the printer's photo cache
    (``PhotoCache.pending``) until :meth:`close`."""

    def __init__(self, printer, inspection_ids: list[str], workers: int, window: int = WINDOW,
                 executor: Callable[[], Executor] | None = None):
        self.p = printer
        self.cache = printer.photos
        self.ids = list(inspection_ids)
        self.workers = max(1, int(workers))
        self.window = max(1, int(window))
        self._executor = executor or self._process_pool
        self.pool: Executor | None = None
        self.jobs: dict[Path, tuple[Future, dict, object]] = {}   # in the order the layout needs them
        self.planned = 0
        self.stopped = False
        self.stats = PrefetchStats()
        self.cache.pending = self._claim

    def _process_pool(self) -> Executor:
        return pool(self.cache, self.workers)

    def ahead(self, index: int) -> None:
        """The layout starts inspection ``index``: queue the photos of the next ``window`` inspections."""
        end = min(len(self.ids), index + self.window)
        while self.planned < end and not self.stopped:
            try:
                planned = self._plan(self.ids[self.planned])
            except Exception as e:  # noqa: BLE001 - the layout meets the same problem and reports it
                log.debug("photos of %s not queued: %s", self.ids[self.planned], e)
                planned = []
            for photo, fields in planned:
                self._submit(photo, fields)
            self.planned += 1
        for target in [t for t, (job, *_) in self.jobs.items() if job.done()]:
            self._settle(self.jobs.pop(target)[0])

    def _plan(self, inspection_id: str) -> list[tuple[dict, object]]:
        from nibi_desk.reports.print_copies import inspection_photos

        return inspection_photos(self.p.conn, inspection_id)

    def _submit(self, photo: dict, fields) -> None:
        try:
            target = self.cache.evidence_target(photo, fields)
            if target in self.jobs or (target.is_file() and target.stat().st_size > 0):
                return
        except Exception:  # noqa: BLE001 - an odd row: the layout reports it
            return
        try:
            if self.pool is None:
                self.pool = self._executor()
                self.stats.workers = self.workers
            self.jobs[target] = (self.pool.submit(_prepare, photo, fields), photo, fields)
        except Exception as e:  # noqa: BLE001 - a pool that cannot start or broke: the layout does it all
            log.warning("photos are prepared without worker processes: %s", e)
            self.stopped = True

    def _claim(self, target: Path) -> None:
        """The layout is about to make ``target``: take the job back if no worker has started it, else help until
        the worker is done."""
        entry = self.jobs.pop(target, None)
        if entry is None:
            return
        job = entry[0]
        if job.cancel():
            self.stats.taken_back += 1
            return
        while not job.done() and self._help():
            pass
        self._settle(job)

    def _help(self) -> bool:
        """Make the first photo still queued here; False when no job is left to take back."""
        for target, (job, photo, fields) in self.jobs.items():
            if job.cancel():
                del self.jobs[target]
                break
        else:
            return False
        self.stats.taken_back += 1
        try:
            self.cache.evidence(photo, fields)
        except Exception:  # noqa: BLE001 - the layout makes it again when it gets there, and reports it
            pass
        return True

    def _settle(self, job: Future) -> None:
        try:
            made, peak_kb = job.result()
        except Exception as e:  # noqa: BLE001 - a worker died (the pool is broken): the layout goes on alone
            if not self.stopped:
                log.warning("photo workers stopped, the layout prepares the photos: %s", e)
            self.stats.failed += 1
            self.stopped = True
            return
        if made:
            self.stats.made += 1
        else:
            self.stats.failed += 1
        self.stats.worker_peak_mb = max(self.stats.worker_peak_mb, round(peak_kb / 1024))

    def close(self) -> PrefetchStats:
        """Unhook and stop the pool: queued jobs are dropped, running ones (one photo per worker) finish, so no
        worker process outlives the batch and none is writing when it returns."""
        self.cache.pending = None
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            for job, *_ in self.jobs.values():
                if job.done() and not job.cancelled():
                    self._settle(job)
            self.jobs.clear()
            self.pool = None
        return self.stats


def start(printer, inspection_ids: list[str], workers: int | None = None, **kwargs) -> Prefetcher | None:
    """A prefetcher for a batch of ``inspection_ids``, or None when it is not worth one (small batch, ``workers``
    0, a frozen app without :func:`freeze_support`). No process starts before a photo needs one."""
    workers = default_workers() if workers is None else int(workers)
    if workers <= 0 or len(inspection_ids) < MIN_INSPECTIONS or not usable():
        return None
    return Prefetcher(printer, inspection_ids, workers, **kwargs)
