"""Reading a bundle's entries: each byte inflated, counted, hashed and passed on once (:func:`read_entry`), and the
bundle's files (photos, basemaps) written into the staging folder by a second thread (:class:`FileStager`).

Why a thread: an import's other work — parsing and checking the records, the merge plan, the SQLite writes — is
Python and SQL on one core, while staging files is inflating, hashing and writing, which release the GIL. With the
files staged beside it, a bundle of real photos (a few MB each) imports in about the time its files take to copy
(bench/bundles.py). The stager reads through its own ``ZipFile`` handle (one handle is not safe to read from two
threads), fsyncs the staged files once all are written (so that moving them into the photo store after the
commit costs no flush), and keeps the first problem in manifest order; nothing it does is visible outside the
staging folder.
"""

from __future__ import annotations

import hashlib
import os
import threading
import zipfile
from pathlib import Path
from typing import Callable

from nibi_desk.sync.refusals import E_CORRUPT, E_HASH, E_SIZE, BundleCancelled, refuse

CHUNK = 1 << 20
Cancel = Callable[[], bool]


def read_entry(zf: zipfile.ZipFile, info: zipfile.ZipInfo, declared: dict, cancelled: Cancel, sink) -> None:
    """Inflate one entry into ``sink(chunk)``, stopping as soon as it grows past the manifest's size; then check its
    size and SHA-256 (each byte is read, hashed and passed on exactly once)."""
    digest = hashlib.sha256()
    size = 0
    try:
        with zf.open(info) as src:
            while True:
                if cancelled():
                    raise BundleCancelled()
                chunk = src.read(CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                if size > declared["size"]:  # never trust the header: stop as soon as it grows past the manifest
                    raise refuse(E_SIZE, info.filename, actual=f">{declared['size']}", declared=declared["size"])
                digest.update(chunk)
                sink(chunk)
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError) as e:
        raise refuse(E_CORRUPT, info.filename, error=str(e)[:200]) from None
    if size != declared["size"]:
        raise refuse(E_SIZE, info.filename, actual=size, declared=declared["size"])
    if digest.hexdigest() != declared["sha256"]:
        raise refuse(E_HASH, info.filename)


def extract(zf: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, declared: dict, cancelled: Cancel) -> None:
    """Write one checked entry to ``target`` (which must not exist)."""
    with open(target, "xb") as out:
        read_entry(zf, info, declared, cancelled, out.write)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def target_of(staging: Path, entry: str) -> Path:
    folder, _sep, name = entry.rpartition("/")
    return staging.joinpath(*folder.split("/"), name)


LANES = 2  # threads staging files side by side: hashing, CRC and copying a lane's file overlap the other's disk waits


class FileStager(threading.Thread):
    """Stages the given manifest items (photos, basemaps); ``done`` counts bytes staged.

    Up to :data:`LANES` threads (one per core) stage every other file each, through their own ``ZipFile`` handle.
    A problem stops what comes after it in manifest order, while the files before it are still checked, so the
    problem reported is the first in manifest order whatever the lanes' timing. ``wait()`` returns once every file
    is staged and raises that problem (:class:`BundleRefused`, or :class:`BundleCancelled` after a cancel);
    ``stop()`` makes every lane quit at its next chunk and waits for them."""

    def __init__(self, path: Path, staging: Path, items: list[dict], infos: dict[str, zipfile.ZipInfo],
                 cancelled: Cancel):
        super().__init__(name="nibi-bundle-stage", daemon=True)
        self.path, self.staging, self.items, self.infos = path, staging, items, infos
        self._cancelled = cancelled
        self._halt = threading.Event()
        self._lock = threading.Lock()
        self._failed: dict[int, BaseException] = {}   # manifest position -> problem
        self._first: int | None = None                 # the smallest position in _failed (read without the lock)
        self.done = 0
        self.error: BaseException | None = None

    def targets(self) -> dict[str, Path]:
        """Entry name -> the staged file it becomes (known before it is written)."""
        return {item["path"]: target_of(self.staging, item["path"]) for item in self.items}

    def run(self) -> None:
        try:
            for folder in {target_of(self.staging, item["path"]).parent for item in self.items}:
                folder.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            self.error = e
            return
        lanes = max(1, min(LANES, os.cpu_count() or 1, len(self.items)))
        others = [threading.Thread(target=self._lane, args=(k, lanes), name=f"nibi-bundle-stage-{k}", daemon=True)
                  for k in range(1, lanes)]
        for thread in others:
            thread.start()
        self._lane(0, lanes)
        for thread in others:
            thread.join()
        if self._failed:
            self.error = self._failed[min(self._failed)]

    def _lane(self, lane: int, lanes: int) -> None:
        mine = range(lane, len(self.items), lanes)
        position = lane
        try:
            with zipfile.ZipFile(self.path) as zf:
                for position in mine:
                    item = self.items[position]
                    if self._beyond_a_problem(position):
                        return
                    extract(zf, self.infos[item["path"]], target_of(self.staging, item["path"]), item,
                            lambda: self._stopped() or self._beyond_a_problem(position))
                    with self._lock:
                        self.done += item["size"]
            # Flushed once all are written, not each as it is: the disk writes back while the next ones are made,
            # and moving them into the store after the commit then costs no wait.
            for position in mine:
                if self._stopped():
                    raise BundleCancelled()
                _fsync(target_of(self.staging, self.items[position]["path"]))
        except BaseException as e:  # handed to the thread that waits
            if isinstance(e, BundleCancelled) and self._beyond_a_problem(position) and not self._stopped():
                return  # stopped because an earlier file failed: that one is the problem
            with self._lock:
                self._failed.setdefault(position, e)
                self._first = min(self._failed)

    def _beyond_a_problem(self, position: int) -> bool:
        first = self._first
        return first is not None and position > first

    def _stopped(self) -> bool:
        return self._halt.is_set() or self._cancelled()

    def wait(self, timeout: float | None = None) -> bool:
        """True once everything is staged (raising the first problem); False if ``timeout`` passed first."""
        self.join(timeout)
        if self.is_alive():
            return False
        if self.error is not None:
            raise self.error  # BundleRefused, BundleCancelled, or an OSError such as a full disk
        return True

    def stop(self) -> None:
        self._halt.set()
        if self.is_alive():
            self.join()
