"""The zip side of an export: one thread that writes the bundle's entries in order — the photos (read from the
store), then the records and basemap the export thread queues — hashing and counting each entry on the way.

Reading, hashing, CRC, deflate and writing release the GIL, so they overlap the export thread's SQL and JSON work
(bench/bundles.py). With one core there is no thread: queued items are written at once and the photos last.
"""

from __future__ import annotations

import hashlib
import os
import queue
import threading
import zipfile
from contextlib import contextmanager
from pathlib import Path

from nibi_desk.photos.store import PhotoNotStored, PhotoStore

FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # entry times: the same bytes for the same content
CHUNK = 1 << 20
QUEUED = 16  # record batches (export.BATCH records each) waiting for the writing thread at most


class HashingWriter:
    """Writes into one zip entry, counting bytes and hashing them on the way."""

    def __init__(self, zf: zipfile.ZipFile, name: str, compress: int):
        info = zipfile.ZipInfo(name, FIXED_TIME)
        info.compress_type = compress
        # Level 1: records compress ~5× at several times level 6's speed (Python ≥ 3.13 renamed the attribute).
        setattr(info, "compress_level" if hasattr(info, "compress_level") else "_compresslevel", 1)
        info.external_attr = 0o644 << 16
        self._stream = zf.open(info, "w", force_zip64=True)
        self._hash = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> None:
        self._hash.update(data)
        self._stream.write(data)
        self.size += len(data)

    def close(self) -> dict:
        self._stream.close()
        return {"sha256": self._hash.hexdigest(), "size": self.size}


class Entries(threading.Thread):
    """The one thread that writes the zip's entries, in order: the photos first (read from the store here), then
    what the export thread queues (records as they are encoded, the basemap). Reading, hashing, CRC, deflate and
    writing release the GIL, so they overlap the export thread's SQL and JSON work instead of following it.
    With one core there is no thread: queued items are written at once and the photos last, a few per step."""

    def __init__(self, zf: zipfile.ZipFile, store: PhotoStore, shas: list[str]):
        super().__init__(name="nibi-bundle-export", daemon=True)
        self.zf, self.store, self.shas = zf, store, shas
        self.queue: queue.Queue = queue.Queue(maxsize=QUEUED)  # bounds memory: ~QUEUED × BATCH records
        self.stop = threading.Event()
        self.done: dict[str, dict] = {}   # entry -> {sha256, size}
        self.missing: list[str] = []
        self.photos_written = 0
        self.photos_seen = 0
        self.current: HashingWriter | None = None
        self.buffer = bytearray(CHUNK)
        self.view = memoryview(self.buffer)
        self.error: BaseException | None = None
        self.threaded = (os.cpu_count() or 1) > 1  # one core: the same work in order, on the export thread

    def run(self) -> None:
        try:
            self._photos()
            while not self.stop.is_set():
                item = self.queue.get()
                if item is None:
                    return
                self._handle(item)
        except BaseException as e:  # handed to the export thread, which raises it
            self.error = e
        finally:
            self._close_current()

    def _photos(self, count: int | None = None) -> None:
        """Write the next ``count`` photos (all by default)."""
        end = len(self.shas) if count is None else min(len(self.shas), self.photos_seen + count)
        while self.photos_seen < end:
            if self.stop.is_set():
                return
            sha = self.shas[self.photos_seen]
            self.photos_seen += 1
            try:
                source = self.store.path_of(sha)
            except PhotoNotStored:
                self.missing.append(sha)
                continue
            self._copy(f"photos/{sha}", source, zipfile.ZIP_STORED)
            self.photos_written += 1

    def _handle(self, item) -> None:
        if isinstance(item, bytes):
            self.current.write(item)
        elif item[0] == "entry":
            self.current = HashingWriter(self.zf, item[1], zipfile.ZIP_DEFLATED)
        elif item[0] == "end":
            self.done[item[1]] = self.current.close()
            self.current = None
        else:  # ("copy", entry, path)
            self._copy(item[1], item[2], zipfile.ZIP_DEFLATED)

    def _close_current(self) -> None:
        if self.current is not None:  # stopped inside an entry: close it so that the zip can be closed
            try:
                self.current.close()
            except Exception:  # noqa: BLE001 - the file is being removed anyway
                pass

    def _copy(self, entry: str, source: Path, compress: int) -> None:
        self.current = HashingWriter(self.zf, entry, compress)
        with open(source, "rb", buffering=0) as f:
            while n := f.readinto(self.buffer):  # one reused buffer: no fresh (page-faulting) memory per photo
                self.current.write(self.view[:n])
                if self.stop.is_set():
                    return
        self.done[entry] = self.current.close()
        self.current = None

    def put(self, item) -> None:
        """Queue an item; raises what stopped the thread, if it stopped."""
        if not self.threaded:
            if item is not None:
                self._handle(item)
            return
        while True:
            self.check()
            try:
                self.queue.put(item, timeout=0.1)
                return
            except queue.Full:
                pass

    def check(self) -> None:
        if self.error is not None:
            raise self.error

    def finish(self, wait: float) -> bool:
        """Wait up to ``wait`` seconds for everything queued to be written: True when all is."""
        if not self.threaded:  # the photos come last here, a few between progress reports
            self._photos(20)
            return self.photos_seen == len(self.shas)
        self.join(wait)
        self.check()
        return not self.is_alive()

    def abandon(self) -> None:
        self.stop.set()
        try:
            self.queue.put_nowait(None)
        except queue.Full:
            pass  # the thread is not waiting for items: it sees the stop flag
        self.join()


@contextmanager
def stopping(entries: Entries):
    """Run the writing thread; on any exit before it finished (cancel, error) stop it before the zip is closed."""
    if entries.threaded:
        entries.start()
    try:
        yield entries
    except BaseException:
        if not entries.threaded:
            entries._close_current()
        raise
    finally:
        if entries.is_alive():
            entries.abandon()
