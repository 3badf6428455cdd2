"""The content-addressed photo store: originals kept byte for byte under their SHA-256, beside the registry.

Layout (``PhotoStore.for_registry("county.nibi")`` → ``county.nibi.photos/``)::

    county.nibi.photos/
        ab/cdef0123….jpg      an original, named by its SHA-256 (first two hex digits are the folder), read-only
        12/3456789a….png      the same for a PNG kept with add_bytes() (a signature image)
        thumbs/<size>/<sha>.jpg   thumbnail cache (nibi_desk.photos.thumbs), safe to delete
        tmp/                  files being written; anything left here after a crash is garbage

Why beside the registry and not in the data directory: the photos are evidence belonging to that registry's
inspections, so a registry copied, backed up or handed over with its ``.photos`` folder stays complete, and two
registries (the demo and a real county) never mix their evidence. The same bytes imported twice are stored once.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator, Union

from nibi_desk.fileio import fsync_dir
from nibi_desk.errors import NotFound
from nibi_desk.i18n import N_
from nibi_desk.photos.exif import PhotoInfo, read_info
from nibi_desk.photos.jpeg import looks_like_jpeg
from nibi_desk.photos.reasons import Reason, reason

SUFFIXES = (".jpg", ".jpeg")
_STORED_SUFFIXES = (".jpg", ".png")  # what the store names its files: JPEG photos, PNG signatures
E_CANNOT_READ = N_("The file cannot be read: {error}")
E_NOT_JPEG = N_("The file is not a JPEG photo")
E_EMPTY = N_("The file is empty")
E_CANNOT_WRITE = N_("The photo store cannot be written: {error}")
E_NOT_STORED = N_("Photo {sha256} is not in the photo store")
E_BAD_HASH = N_("{sha256} is not a SHA-256 (64 hexadecimal digits)")

_SHA256 = re.compile(r"[0-9a-f]{64}")
Cancel = Union[Callable[[], bool], threading.Event]  # a callable returning True to stop, or an Event
Progress = Callable[[int, int, "ImportResult"], None]


class PhotoNotStored(NotFound):
    """A photo asked for by hash is not in the store."""


class ImportCancelled(Exception):
    """Internal: the caller asked to stop; the file being written was removed."""


@dataclass
class ImportResult:
    """What happened to one file: stored (or already there: ``duplicate``), or not, with ``error`` saying why."""

    source: Path
    sha256: str | None = None
    size: int | None = None
    info: PhotoInfo | None = None
    duplicate: bool = False
    error: Reason | None = None
    path: Path | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def to_dict(self) -> dict:
        return {"source": str(self.source), "sha256": self.sha256, "size": self.size, "duplicate": self.duplicate,
                "path": str(self.path) if self.path else None, "error": self.error.to_dict() if self.error else None,
                "info": self.info.to_dict() if self.info else None}


def find_photos(folder: str | os.PathLike) -> list[Path]:
    """Every *.jpg / *.jpeg under a camera folder (any letter case), sorted; macOS "._" companions are skipped."""
    found = []
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            if name.lower().endswith(SUFFIXES) and not name.startswith("._"):
                found.append(Path(root) / name)
    return found


def _cancel_check(cancel: Cancel | None) -> Callable[[], bool]:
    if cancel is None:
        return lambda: False
    is_set = getattr(cancel, "is_set", None)
    return is_set if callable(is_set) else cancel  # type: ignore[return-value]


class PhotoStore:
    """Originals by SHA-256 under ``root``. Safe to use from one writer thread at a time per process; concurrent
    writers of the same bytes are harmless (the rename is atomic and the content identical)."""

    chunk_size = 1 << 20  # bytes per write between cancel checks

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    @classmethod
    def for_registry(cls, registry_path: str | os.PathLike) -> PhotoStore:
        path = Path(registry_path)
        return cls(path.with_name(path.name + ".photos"))

    # -- where things are ---------------------------------------------------------------------------------------------

    @staticmethod
    def check_hash(sha256: str) -> str:
        sha = str(sha256).lower()
        if not _SHA256.fullmatch(sha):
            raise PhotoNotStored(E_BAD_HASH, sha256=sha256)
        return sha

    def _final(self, sha: str, suffix: str = ".jpg") -> Path:
        return self.root / sha[:2] / f"{sha[2:]}{suffix}"

    def path_of(self, sha256: str) -> Path:
        """Where the original with this hash is stored; :class:`PhotoNotStored` if it is not there."""
        sha = self.check_hash(sha256)
        for suffix in _STORED_SUFFIXES:
            path = self._final(sha, suffix)
            if path.is_file():
                return path
        raise PhotoNotStored(E_NOT_STORED, sha256=sha256)

    def has(self, sha256: str) -> bool:
        try:
            return self.path_of(sha256).is_file()
        except PhotoNotStored:
            return False

    def verify(self, sha256: str) -> bool:
        """Re-hash the stored original: True when its bytes still have this hash."""
        path = self.path_of(sha256)
        digest = hashlib.sha256()
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(self.chunk_size), b""):
                digest.update(chunk)
        return digest.hexdigest() == self.check_hash(sha256)

    # -- import ---------------------------------------------------------------------------------------------------

    def iter_import(self, paths: Iterable[str | os.PathLike], cancel: Cancel | None = None) -> Iterator[ImportResult]:
        """Import files (folders are walked for JPEGs), yielding one result per file; stops between files or
        between chunks when ``cancel`` says so, removing the half-written file. Generator-friendly for workers
        that report progress between yields."""
        cancelled = _cancel_check(cancel)
        for path in _expand(paths):
            if cancelled():
                return
            try:
                yield self._import_one(path, cancelled)
            except ImportCancelled:
                return

    def import_files(self, paths: Iterable[str | os.PathLike], progress: Progress | None = None,
                     cancel: Cancel | None = None) -> list[ImportResult]:
        """Import and return the results; ``progress(done, total, result)`` is called after each file."""
        files = _expand(paths)
        results: list[ImportResult] = []
        for result in self.iter_import(files, cancel):
            results.append(result)
            if progress is not None:
                progress(len(results), len(files), result)
        return results

    def add_bytes(self, data: bytes, cancel: Cancel | None = None) -> tuple[str, bool]:
        """Store bytes that are not a file yet (e.g. a stamped derivative): (sha256, already there)."""
        sha = hashlib.sha256(data).hexdigest()
        return sha, self._write(sha, data, _cancel_check(cancel))

    def adopt(self, sha256: str, source: str | os.PathLike, sync_folder: bool = True) -> bool:
        """Move a file already verified to have this SHA-256 (a bundle's staged photo, on the same disk) into the
        store; True when an intact copy was already there (the source is then removed). With ``sync_folder``
        False the caller fsyncs the folders (``folder_of``) once after moving many files."""
        sha = self.check_hash(sha256)
        source = Path(source)
        with open(source, "rb") as f:
            png = f.read(8) == b"\x89PNG\r\n\x1a\n"
        final = self._final(sha, ".png" if png else ".jpg")
        try:
            if final.stat().st_size == source.stat().st_size:
                source.unlink()
                return True
            os.chmod(final, stat.S_IRUSR | stat.S_IWUSR)
        except FileNotFoundError:
            pass
        final.parent.mkdir(parents=True, exist_ok=True)
        with open(source, "rb") as f:
            os.fsync(f.fileno())
        os.chmod(source, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
        os.replace(source, final)
        if sync_folder:
            fsync_dir(final.parent)
        return False

    def folder_of(self, sha256: str) -> Path:
        return self._final(self.check_hash(sha256)).parent

    @staticmethod
    def sync_folder(folder: Path) -> None:
        fsync_dir(folder)

    def _import_one(self, source: Path, cancelled: Callable[[], bool]) -> ImportResult:
        result = ImportResult(source=source)
        try:
            data = _read(source, self.chunk_size, cancelled)
        except OSError as e:
            result.error = reason(E_CANNOT_READ, error=e.strerror or str(e))
            return result
        result.size = len(data)
        if not data:
            result.error = reason(E_EMPTY)
            return result
        if not looks_like_jpeg(data):
            result.error = reason(E_NOT_JPEG)
            return result
        result.sha256 = hashlib.sha256(data).hexdigest()
        try:
            result.duplicate = self._write(result.sha256, data, cancelled)
        except OSError as e:
            result.error = reason(E_CANNOT_WRITE, error=e.strerror or str(e))
            return result
        result.path = self._final(result.sha256)
        result.info = read_info(data)
        return result

    def _write(self, sha: str, data: bytes, cancelled: Callable[[], bool]) -> bool:
        """Write atomically under the final name; True when an intact copy was already there."""
        final = self._final(sha, ".png" if data.startswith(b"\x89PNG\r\n\x1a\n") else ".jpg")
        try:
            if final.stat().st_size == len(data):
                return True
            os.chmod(final, stat.S_IRUSR | stat.S_IWUSR)  # a damaged copy (wrong size) is replaced below
        except FileNotFoundError:
            pass
        tmp_dir = self.root / "tmp"
        tmp_dir.mkdir(parents=True, exist_ok=True)
        final.parent.mkdir(parents=True, exist_ok=True)
        tmp = tmp_dir / f"{sha[:16]}-{uuid.uuid4().hex}.part"
        try:
            with open(tmp, "wb") as f:
                view = memoryview(data)
                for start in range(0, len(data), self.chunk_size):
                    if cancelled():
                        raise ImportCancelled()
                    f.write(view[start:start + self.chunk_size])
                f.flush()
                os.fsync(f.fileno())
            os.chmod(tmp, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)  # evidence: nobody edits it in place
            os.replace(tmp, final)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        fsync_dir(final.parent)
        return False


def _expand(paths: Iterable[str | os.PathLike]) -> list[Path]:
    files: list[Path] = []
    for p in paths:
        path = Path(p)
        files.extend(find_photos(path) if path.is_dir() else [path])
    return files


def _read(path: Path, chunk_size: int, cancelled: Callable[[], bool]) -> bytes:
    parts = []
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(chunk_size), b""):
            if cancelled():
                raise ImportCancelled()
            parts.append(chunk)
    return b"".join(parts)

