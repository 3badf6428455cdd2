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


class FileStager(threading.Thread):
    """Stages the given manifest items (photos, basemaps) in manifest order; ``done`` counts bytes staged.

    ``wait()`` returns once every file is staged and raises the first problem (:class:`BundleRefused`, or
    :class:`BundleCancelled` after a cancel); ``stop()`` makes it quit at the next chunk and waits for it."""

    def __init__(self, path: Path, staging: Path, items: list[dict], infos: dict[str, zipfile.ZipInfo],
                 cancelled: Cancel):
        super().__init__(name="nibi-bundle-stage", daemon=True)
        self.path, self.staging, self.items, self.infos = path, staging, items, infos
        self._cancelled = cancelled
        self._halt = threading.Event()
        self.done = 0
        self.error: BaseException | None = None

    def targets(self) -> dict[str, Path]:
        """Entry name -> the staged file it becomes (known before it is written)."""
        return {item["path"]: target_of(self.staging, item["path"]) for item in self.items}

    def run(self) -> None:
        try:
            with zipfile.ZipFile(self.path) as zf:
                folders: set[Path] = set()
                for item in self.items:
                    target = target_of(self.staging, item["path"])
                    if target.parent not in folders:
                        target.parent.mkdir(parents=True, exist_ok=True)
                        folders.add(target.parent)
                    extract(zf, self.infos[item["path"]], target, item, self._stopped)
                    self.done += item["size"]
            # Flushed once all are written, not each as it is: the disk writes back while the next ones are made,
            # and moving them into the store after the commit then costs no wait.
            for item in self.items:
                if self._stopped():
                    raise BundleCancelled()
                _fsync(target_of(self.staging, item["path"]))
        except BaseException as e:  # handed to the thread that waits
            self.error = e

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
