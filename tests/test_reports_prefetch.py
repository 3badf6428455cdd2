"""Photos of a batch prepared ahead of the layout by worker processes (nibi_desk.reports.prefetch): the same PDF as
without them, the same cache files, nothing half-written or left running after a cancel, and a worker's failure
changes nothing the user sees. No timing here: bench/reports.py measures the speed."""

from __future__ import annotations

import shutil
import subprocess
from concurrent.futures import Executor, Future
from datetime import datetime, timedelta, timezone
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest
from PIL import Image

from nibi_desk.photos.store import PhotoStore
from nibi_desk.reports import batch, prefetch
from nibi_desk.reports.furniture import ReportCancelled, ReportOptions
from nibi_desk.reports.inspection import Printer
from nibi_desk.reports.photos import PhotoCache
from tests.reports_fixtures import PHOTO_SIZE as SIZE, damaged_county

POPPLER = all(shutil.which(t) for t in ("pdftotext", "pdfinfo"))
needs_poppler = pytest.mark.skipif(not POPPLER, reason="poppler-utils not installed: apt-get install poppler-utils")


pytestmark = pytest.mark.usefixtures("no_worker_left_behind")


@pytest.fixture(scope="module")
def county(photos_county):
    return photos_county


# One printing time for every PDF of a test: the footer shows it to the minute, and two PDFs made either side of a
# minute boundary would otherwise differ in their text.
PRINTED = datetime(2026, 11, 22, 9, 30, tzinfo=timezone(timedelta(hours=8)))


def options(cache: Path) -> ReportOptions:
    return ReportOptions(issuing_unit="老河口市新基建办", doc_prefix="LHK", cache_dir=cache, generated_at=PRINTED)


def text_of(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True,
                          timeout=60).stdout


def pages_of(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True, timeout=60).stdout
    return int(next(line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")))


def copies(cache: Path) -> dict[str, bytes]:
    return {str(p.relative_to(cache)): p.read_bytes() for p in sorted(cache.rglob("*.jpg"))}


def partial_files(*folders: Path) -> list[Path]:
    return [p for folder in folders if folder.exists() for p in folder.rglob("*.part")]


def photo_count(registry, rows) -> int:
    ids = [r["id"] for r in rows]
    return registry.read().execute(f"SELECT count(*) FROM evidence WHERE defect IS NULL AND deleted = 0 AND "
                                   f"inspection IN ({','.join('?' * len(ids))})", ids).fetchone()[0]


# -- the same PDF, the same cache ------------------------------------------------------------------------------------
@needs_poppler
def test_batch_with_workers_is_the_batch_without(county, tmp_path):
    rows = batch.select(county.registry, plan=county.plan)
    assert len(rows) >= prefetch.MIN_INSPECTIONS
    serial = batch.write_batch(county.registry, tmp_path / "serial.pdf", rows, options(tmp_path / "c0"), workers=0)
    assert serial.prefetch is None
    ahead = batch.write_batch(county.registry, tmp_path / "ahead.pdf", rows, options(tmp_path / "c2"), workers=2)
    stats = ahead.prefetch
    assert stats.workers == 2 and stats.failed == 0
    assert stats.made + stats.taken_back == photo_count(county.registry, rows)  # every photo queued, once
    assert ahead.pages == serial.pages == pages_of(tmp_path / "ahead.pdf") == pages_of(tmp_path / "serial.pdf")
    assert text_of(tmp_path / "ahead.pdf") == text_of(tmp_path / "serial.pdf")
    # Workers and the layout make byte-identical copies under the same names (same band, language, key).
    made = copies(tmp_path / "c2")
    assert made and made == copies(tmp_path / "c0")
    assert not partial_files(tmp_path, PhotoStore.for_registry(county.registry.path).root)


def test_workers_make_every_copy_the_layout_then_uses(county, tmp_path, monkeypatch):
    rows = batch.select(county.registry, plan=county.plan)
    p = Printer(county.registry.read(), county.registry.path, options(tmp_path / "cache"))
    ahead = prefetch.start(p, [r["id"] for r in rows], workers=1, window=len(rows))
    ahead.ahead(0)  # queue the whole batch, and let the worker do all of it
    for job, *_ in list(ahead.jobs.values()):
        job.result(timeout=120)
    stats = ahead.close()
    assert stats.workers == 1 and stats.made == photo_count(county.registry, rows) and stats.worker_peak_mb >= 0
    assert p.photos.pending is None

    def no_decoding(*args, **kwargs):
        raise AssertionError("the layout decoded a photo that a worker had prepared")

    serial = tmp_path / "serial"
    batch.write_batch(county.registry, tmp_path / "serial.pdf", rows, options(serial), workers=0)
    made = copies(tmp_path / "cache")
    assert made == {name: data for name, data in copies(serial).items() if name in made}  # the maps aside
    monkeypatch.setattr(PhotoCache, "_shrink", no_decoding)
    result = batch.write_batch(county.registry, tmp_path / "warm.pdf", rows, options(tmp_path / "cache"), workers=1)
    assert result.prefetch.workers == 0  # nothing missing: no pool was started


def test_separate_files_with_workers(county, tmp_path):
    rows = batch.select(county.registry, plan=county.plan)
    result = batch.write_batch(county.registry, tmp_path / "out", rows, options(tmp_path / "cache"), separate=True,
                               workers=1)
    assert len(result.files) == len(rows) and all(f.stat().st_size for f in result.files)
    assert result.prefetch.made + result.prefetch.taken_back == photo_count(county.registry, rows)


def test_small_batches_start_no_pool(county, tmp_path):
    rows = batch.select(county.registry, plan=county.plan)[: prefetch.MIN_INSPECTIONS - 1]
    result = batch.write_batch(county.registry, tmp_path / "small.pdf", rows, options(tmp_path / "cache"),
                               workers=2)
    assert result.prefetch is None and (tmp_path / "small.pdf").stat().st_size


# -- cancel ----------------------------------------------------------------------------------------------------------
def test_cancelled_batch_leaves_no_partial_copy_and_no_file(county, tmp_path):
    rows = batch.select(county.registry, plan=county.plan)
    calls = []

    def cancelled():
        calls.append(1)
        return len(calls) > 2

    pdf = tmp_path / "cancelled.pdf"
    with pytest.raises(ReportCancelled):
        batch.write_batch(county.registry, pdf, rows, options(tmp_path / "cache"), cancelled=cancelled, workers=2)
    assert not pdf.exists()
    assert not partial_files(tmp_path, PhotoStore.for_registry(county.registry.path).root)
    for copy in (tmp_path / "cache").rglob("*"):  # whatever was made is whole
        if copy.is_file():
            with Image.open(copy) as im:
                im.load()


# -- failures --------------------------------------------------------------------------------------------------------
class FailingPool(Executor):
    """A pool whose every job fails, the way a worker reports it (made = False) or as a broken pool does."""

    def __init__(self, broken: bool):
        self.broken, self.submitted = broken, 0

    def submit(self, fn, *args, **kwargs):
        self.submitted += 1
        job = Future()
        job.set_running_or_notify_cancel()
        if self.broken:
            job.set_exception(BrokenProcessPool("a worker died"))
        else:
            job.set_result((False, 0))
        return job


@needs_poppler
@pytest.mark.parametrize("broken", [False, True])
def test_failed_workers_leave_the_photos_to_the_layout(county, tmp_path, monkeypatch, broken):
    rows = batch.select(county.registry, plan=county.plan)
    batch.write_batch(county.registry, tmp_path / "serial.pdf", rows, options(tmp_path / "c0"), workers=0)
    pool = FailingPool(broken)
    monkeypatch.setattr(prefetch.Prefetcher, "_process_pool", lambda self: pool)
    failing = batch.write_batch(county.registry, tmp_path / "failing.pdf", rows, options(tmp_path / "c1"),
                                workers=2)
    assert failing.prefetch.failed >= 1 and pool.submitted >= 1 and failing.prefetch.made == 0
    assert text_of(tmp_path / "failing.pdf") == text_of(tmp_path / "serial.pdf")
    assert copies(tmp_path / "c1") == copies(tmp_path / "c0")


@pytest.fixture
def broken_county(tmp_path):
    """A county one of whose stored photos is not a JPEG any more (a damaged disk, a bad restore)."""
    c, sha = damaged_county(tmp_path, SIZE)
    yield c, sha
    c.registry.close()


@needs_poppler
def test_a_photo_no_worker_can_read_prints_as_before(broken_county, tmp_path):
    county, sha = broken_county
    rows = batch.select(county.registry, plan=county.plan)
    assert county.station_inspection in {r["id"] for r in rows}
    # The worker meets the damaged photo: that job fails, the pool goes on with the others.
    p = Printer(county.registry.read(), county.registry.path, options(tmp_path / "c2"))
    ahead = prefetch.start(p, [r["id"] for r in rows], workers=1, window=len(rows))
    ahead.ahead(0)
    for job, *_ in list(ahead.jobs.values()):
        job.result(timeout=120)
    stats = ahead.close()
    assert stats.failed == 1 and stats.made == photo_count(county.registry, rows) - 1
    # The layout then tries that photo itself and prints the same grey box as a batch without workers.
    serial = batch.write_batch(county.registry, tmp_path / "serial.pdf", rows, options(tmp_path / "c0"), workers=0)
    ahead = batch.write_batch(county.registry, tmp_path / "ahead.pdf", rows, options(tmp_path / "c2"), workers=2)
    assert ahead.pages == serial.pages
    text = text_of(tmp_path / "ahead.pdf")
    assert text == text_of(tmp_path / "serial.pdf")
    assert f"照片 {sha[:12]} 不在照片库中" in text
    assert copies(tmp_path / "c2") == copies(tmp_path / "c0")
