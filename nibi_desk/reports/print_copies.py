"""Print copies made when photos arrive (an inspection submitted, a bundle imported), so that printing is warm.

A report places each evidence photo as a downscaled, evidence-stamped copy that :class:`.photos.PhotoCache` makes
once and keeps (``<store>/reports/1000sq85/<sha256>-<band key>.jpg``). Made while a batch is laid out, these copies
are most of its time (≈ 48 ms of CPU per 12 MP photo); made when the photos arrive, the batch finds them all.

:func:`placed` is the one answer to "which copies would the reports of these inspections place": the inspection
report's evidence photos with the band :func:`.inspection.stamp_fields` of its asset and inspector (the batch
prefetcher, :mod:`.prefetch`, queues the same through :func:`inspection_photos`), and the photos of the defects
raised from them, which the rectification notices and closure records place with the same band. :func:`missing`
keeps those not in the cache yet; :func:`prepare` (or the generator :func:`steps`, for a background task) makes
them — in the spawned worker processes of :mod:`.prefetch` when there are enough, the calling thread taking back
queued jobs meanwhile — and stops between photos when cancelled. A photo that cannot be made is logged and
skipped; the report later shows its grey box as before. Files are written atomically: a cancel leaves none half
made. Copies are keyed by the band's language: they serve the reports printed in the language they were made in.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from pathlib import Path

from nibi_desk.i18n import N_, _
from nibi_desk.photos.stamp import StampFields
from nibi_desk.reports import prefetch
from nibi_desk.reports.photos import PhotoCache

log = logging.getLogger(__name__)

MIN_POOL_JOBS = 24     # fewer copies are made in this thread: starting a worker (≈ 0.6 s of CPU) costs more
                       # than it saves
PER_WORKER = 4         # at least this many copies per worker started
CHUNK = 500            # ids per SQL "IN (...)"

SUMMARY = N_("Print copies: {made} made, {already} already there, {failed} failed")
FAILED = N_("Print copy of photo {sha} not made: {reason}")


@dataclass(frozen=True)
class Job:
    """One print copy: the evidence row's photo (``sha256``, ``stamped``), its band, the cache file to make."""

    photo: dict
    fields: StampFields
    target: Path


@dataclass
class Stats:
    placed: int = 0        # copies the reports of the inspections place
    already: int = 0       # ... of which were in the cache already
    made: int = 0
    failed: int = 0
    workers: int = 0       # worker processes started (0: made in the calling thread)
    cancelled: bool = False
    failures: list[tuple[str, str]] = field(default_factory=list)   # (sha256, reason)

    @property
    def to_make(self) -> int:
        return self.placed - self.already

    def summary(self) -> str:
        return _(SUMMARY).format(made=self.made, already=self.already, failed=self.failed)

    def to_dict(self) -> dict:
        return {**asdict(self), "failures": [{"sha256": s, "reason": r} for s, r in self.failures]}


# -- which copies ----------------------------------------------------------------------------------------------------
def _chunks(ids: Iterable[str]):
    ids = list(dict.fromkeys(ids))
    for i in range(0, len(ids), CHUNK):
        yield ids[i:i + CHUNK]


def _photo(row) -> dict:
    return {"sha256": row["sha256"], "stamped": row["stamped"]}


def inspection_photos(conn: sqlite3.Connection, inspection_id: str) -> list[tuple[dict, StampFields]]:
    """The evidence photos of an inspection's report, each with its band (in the report's order)."""
    from nibi_desk.inspection import evidence
    from nibi_desk.reports.inspection import stamp_fields

    row = conn.execute("SELECT i.inspector_name, a.code, a.name FROM inspections i JOIN assets a "
                       "ON a.id = i.asset WHERE i.id = ?", (inspection_id,)).fetchone()
    if row is None:
        return []
    fields = stamp_fields(row["code"], row["name"], row["inspector_name"])
    return [({"sha256": e["sha256"], "stamped": e.get("stamped")}, fields)
            for e in evidence.of_inspection(conn, inspection_id)]


def defect_photos(conn: sqlite3.Connection, inspection_ids: Iterable[str]) -> list[tuple[dict, StampFields]]:
    """Before and after photos of the defects raised from the inspections, with the band the notices and closure
    records give them (the defect's asset, the inspector of the inspection; see ``notice._fields``)."""
    from nibi_desk.reports.inspection import stamp_fields

    out = []
    for chunk in _chunks(inspection_ids):
        out += [(_photo(r), stamp_fields(r["code"], r["name"], r["inspector_name"] or "")) for r in conn.execute(
            "SELECT p.sha256, e.stamped, a.code, a.name, i.inspector_name FROM defects d "
            "JOIN assets a ON a.id = d.asset JOIN inspections i ON i.id = d.inspection "
            "JOIN evidence e ON e.defect = d.id AND e.deleted = 0 JOIN photos p ON p.id = e.photo "
            f"WHERE d.deleted = 0 AND d.inspection IN ({','.join('?' * len(chunk))}) ORDER BY d.id, e.seq", chunk)]
    return out


def placed(conn: sqlite3.Connection, cache: PhotoCache, inspection_ids: Iterable[str],
           defects: bool = True) -> list[Job]:
    """Every print copy the reports of the inspections place, once each (a photo placed twice with the same band
    is one copy); a stamped derivative small enough to be placed as it is needs none."""
    ids = list(dict.fromkeys(inspection_ids))
    pairs = [pair for inspection_id in ids for pair in inspection_photos(conn, inspection_id)]
    if defects:
        pairs += defect_photos(conn, ids)
    jobs: dict[Path, Job] = {}
    for photo, fields in pairs:
        try:
            target = cache.evidence_target(photo, fields)
            stamped = photo.get("stamped")
            if target in jobs or (stamped and cache.store.has(stamped)
                                  and cache.placeable(cache.store.path_of(stamped)) is not None):
                continue
        except Exception as e:  # noqa: BLE001 - an odd row (bad hash): the report shows it, nothing to prepare
            log.debug("no print copy for %s: %s", photo.get("sha256"), e)
            continue
        jobs[target] = Job(photo, fields, target)
    return list(jobs.values())


def present(target: Path) -> bool:
    try:
        return target.stat().st_size > 0
    except OSError:
        return False


def cache_for(registry_path) -> PhotoCache:
    """The photo cache the reports use (the defaults of :class:`.furniture.ReportOptions`)."""
    from nibi_desk.reports.furniture import ReportOptions

    options = ReportOptions()
    return PhotoCache.for_registry(registry_path, options.photo_max_px, options.cache_dir)


def _conn_and_path(registry_or_conn):
    if isinstance(registry_or_conn, sqlite3.Connection):
        row = registry_or_conn.execute("PRAGMA database_list").fetchone()
        return registry_or_conn, Path(row[2])
    return registry_or_conn.read(), Path(registry_or_conn.path)


def missing(registry_or_conn, inspection_ids: Iterable[str], cache: PhotoCache | None = None,
            defects: bool = True) -> list[Job]:
    """The print copies the reports of the inspections would place that are not in the cache yet."""
    conn, path = _conn_and_path(registry_or_conn)
    cache = cache or cache_for(path)
    return [job for job in placed(conn, cache, inspection_ids, defects) if not present(job.target)]


# -- which inspections -----------------------------------------------------------------------------------------------
def submitted(conn: sqlite3.Connection, ids: Iterable[str] | None = None) -> list[str]:
    """The submitted (not deleted) inspections among ``ids``, or all of them."""
    sql = "SELECT id FROM inspections WHERE status = 'submitted' AND deleted = 0"
    if ids is None:
        return [r[0] for r in conn.execute(sql + " ORDER BY submitted_at")]
    out = []
    for chunk in _chunks(ids):
        out += [r[0] for r in conn.execute(sql + f" AND id IN ({','.join('?' * len(chunk))})", chunk)]
    return out


def arrived(conn: sqlite3.Connection, plan) -> list[str]:
    """The submitted inspections an applied import (a sync ``Plan``) brought or gave photos: those whose records
    it wrote, and those of the evidence rows it wrote."""
    ids = [op.id for op in plan.ops if op.table == "inspections"]
    links = [op.id for op in plan.ops if op.table == "evidence"]
    for chunk in _chunks(links):
        ids += [r[0] for r in conn.execute(
            "SELECT coalesce(e.inspection, d.inspection) FROM evidence e LEFT JOIN defects d ON d.id = e.defect "
            f"WHERE e.id IN ({','.join('?' * len(chunk))})", chunk) if r[0]]
    return submitted(conn, ids)


# -- making them -----------------------------------------------------------------------------------------------------
class _Run:
    def __init__(self, cache: PhotoCache, jobs: list[Job], workers: int, executor=None, background: bool = False):
        self.cache, self.jobs = cache, jobs
        self.workers = workers
        self.executor = executor or (lambda: prefetch.pool(cache, workers, background))
        self.background = background
        self.stats = Stats()

    def here(self, job: Job) -> None:
        try:
            self.cache.evidence(job.photo, job.fields)
            self.stats.made += 1
        except Exception as e:  # noqa: BLE001 - skipped and reported; the report shows the photo's grey box
            log.warning(_(FAILED).format(sha=job.photo["sha256"][:12], reason=e))
            self.stats.failed += 1
            self.stats.failures.append((job.photo["sha256"], str(e)))

    def steps(self):
        total = len(self.jobs)
        yield 0, total
        if self.workers <= 0:
            for i, job in enumerate(self.jobs):
                self.here(job)
                yield i + 1, total
            return
        pool = self.executor()
        self.stats.workers = self.workers
        try:
            queued: dict[Future, Job] = {pool.submit(prefetch._prepare, j.photo, j.fields): j for j in self.jobs}
            done = 0
            while queued:
                for future in [f for f in queued if f.done()]:
                    self._settle(future, queued.pop(future))
                    done += 1
                    yield done, total
                if not queued:
                    break
                # While the workers work from the front of the queue, take a job back from its end and make it here
                # (not in the background: this thread is in the app's process, at the user's priority).
                back = None if self.background else next((f for f in reversed(queued) if f.cancel()), None)
                if back is not None:
                    self.here(queued.pop(back))
                    done += 1
                    yield done, total
                else:
                    wait(list(queued), return_when=FIRST_COMPLETED)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)  # running jobs (one photo per worker) finish whole

    def _settle(self, future: Future, job: Job) -> None:
        try:
            made = future.result()[0]
        except BrokenProcessPool as e:
            log.warning("print copy workers stopped, made here: %s", e)
            made = False
        if made:
            self.stats.made += 1
        else:
            self.here(job)  # again here, which either makes it or says why it cannot


def workers_for(jobs: int, workers: int | None) -> int:
    wanted = prefetch.default_workers() if workers is None else int(workers)
    if wanted <= 0 or jobs < MIN_POOL_JOBS or not prefetch.usable():
        return 0
    return max(1, min(wanted, jobs // PER_WORKER))


def _planned_run(registry, inspection_ids, workers, cache, defects, executor, background=False) -> _Run:
    cache = cache or cache_for(registry.path)
    jobs = placed(registry.read(), cache, inspection_ids, defects)
    todo = [job for job in jobs if not present(job.target)]
    run = _Run(cache, todo, workers_for(len(todo), workers), executor, background)
    run.stats.placed, run.stats.already = len(jobs), len(jobs) - len(todo)
    return run


def steps(registry, inspection_ids: Iterable[str], workers: int | None = None, cache: PhotoCache | None = None,
          defects: bool = True, executor=None, background: bool = False):
    """Generator: make the missing print copies of the inspections, yielding ``(done, total)`` after each; returns
    the :class:`Stats`. Closing it (a cancelled task) stops between photos and shuts the workers down.
    ``background`` (the app, while someone works in it): the workers run below normal priority and make them all."""
    run = _planned_run(registry, inspection_ids, workers, cache, defects, executor, background)
    yield from run.steps()
    return run.stats


def prepare(registry, inspection_ids: Iterable[str], progress: Callable[[int, int], None] | None = None,
            cancel: Callable[[], bool] | None = None, workers: int | None = None, cache: PhotoCache | None = None,
            defects: bool = True, executor=None) -> Stats:
    """Make the missing print copies of the inspections. ``progress(done, total)`` after each photo; ``cancel()``
    asked between photos (the returned stats then say ``cancelled``). ``workers``: processes (None: one per core
    but one, 0: none); small jobs never start any."""
    run = _planned_run(registry, inspection_ids, workers, cache, defects, executor)
    gen = run.steps()
    try:
        for done, total in gen:
            if progress is not None:
                progress(done, total)
            if cancel is not None and done < total and cancel():
                run.stats.cancelled = True
                break
    finally:
        gen.close()
    return run.stats
