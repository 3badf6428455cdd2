"""Opening a bundle as untrusted input: every check before anything is used, extraction only into a staging folder.

Refused (:class:`BundleRefused`, naming what and where): a file that is not a zip; absolute paths, ``..``,
backslashes, drive letters, directory entries, symbolic links, encrypted entries, duplicate names (also differing
only in letter case); no manifest or signature; an unknown format or format version; a manifest failing its schema;
entries not in the manifest and manifest files missing from the zip; size or SHA-256 mismatches; compression
ratios or sizes beyond :class:`~nibi_desk.sync.format.Limits` (zip bombs, checked on the declared sizes and again
while inflating); too little disk space; records that are not JSON, fail their schema, hold absurdly long strings,
repeat an id, or whose number differs from the manifest's count; tables a bundle of its kind may not carry.
The signature is checked against the manifest's key here and against the enrolled key by the importer.
"""

from __future__ import annotations

import gc
import json
import os
import re
import shutil
import stat
import uuid
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable


from nibi_desk.sync import format as fmt
from nibi_desk.sync.keys import verify
from nibi_desk.sync.records import Records
from nibi_desk.sync.staging import FileStager, read_entry
from nibi_desk.sync.refusals import (  # noqa: F401 - BundleRefused and BundleCancelled are imported from here
    BundleCancelled, BundleRefused, E_ABSOLUTE, E_BAD_NAME, E_BAD_SIGNATURE, E_BOMB, E_CORRUPT, E_COUNT,
    E_DIRECTORY, E_DISK, E_DUPLICATE, E_ENCRYPTED, E_LISTED_TWICE, E_MANIFEST, E_MANIFEST_JSON, E_MISSING,
    E_NOT_LISTED, E_NOT_NIBI, E_NOT_ZIP, E_NO_MANIFEST, E_NO_SIGNATURE, E_PARENT, E_PHOTO_NAME, E_SIZE, E_SYMLINK,
    E_TABLE_KIND, E_TOO_BIG, E_TOO_MANY, E_VERSION, refuse)

_SAFE_NAME = re.compile(r"^[A-Za-z0-9_./-]{1,255}$")
Cancel = Callable[[], bool]


@dataclass
class Bundle:
    """An opened, checked bundle: its manifest, records per table, and its files in a staging folder.

    Opened with ``files_later`` its files may still be being staged (and checked): :meth:`wait_files` returns once
    they are, or raises what is wrong with them."""

    path: Path
    staging: Path
    manifest: dict
    manifest_bytes: bytes
    signature: bytes
    records: dict[str, list[dict]] = field(default_factory=dict)
    photos: dict[str, Path] = field(default_factory=dict)      # sha256 -> staged file
    basemaps: list[Path] = field(default_factory=list)
    _max_stamp: str | None = field(default=None, repr=False)
    _files: FileStager | None = field(default=None, repr=False)

    @property
    def kind(self) -> str:
        return self.manifest["kind"]

    @property
    def bundle_id(self) -> str:
        return self.manifest["bundle_id"]

    @property
    def sender(self) -> dict:
        return self.manifest["sender"]

    def max_stamp(self) -> str:
        """The newest stamp the bundle holds (computed once: the importer asks twice)."""
        if self._max_stamp is None:
            self._max_stamp = self._newest()
        return self._max_stamp

    def _newest(self) -> str:
        best = self.manifest["watermark"]
        for records in self.records.values():
            for r in records:
                s = r.get("created_hlc")
                if type(s) is str and s > best:
                    best = s
                stamps = r.get("field_hlc")
                if stamps and type(stamps) is dict:
                    for s in stamps.values():
                        if type(s) is str and s > best:
                            best = s
        return best

    def wait_files(self, progress: Callable[[int], None] | None = None) -> None:
        """Block until every file is staged and checked (at once when the bundle was opened completely); raises
        :class:`BundleRefused` for a file that is not what the manifest says."""
        files = self._files
        if files is None:
            return
        while not files.wait(0.1):
            if progress:
                progress(files.done)
        self._files = None

    def stop_files(self) -> None:
        """Stop staging the files (a caller giving up on the bundle); waiting for them then raises
        :class:`BundleCancelled`."""
        if self._files is not None:
            self._files.stop()

    def close(self) -> None:
        self.stop_files()
        self._files = None
        shutil.rmtree(self.staging, ignore_errors=True)

    def __enter__(self) -> Bundle:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


@contextmanager
def gc_paused():
    """No cyclic garbage collection while a bundle's records are built and used: each full collection walks every
    record already parsed (millions of objects for 100k records) and finds nothing, since records hold no cycles."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _check_name(info: zipfile.ZipInfo, seen: set[str], folded: set[str]) -> None:
    name = info.filename
    shown = name[:120]
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        raise refuse(E_ABSOLUTE, shown)
    if ".." in name.replace("\\", "/").split("/"):
        raise refuse(E_PARENT, shown)
    if name.endswith("/") or info.is_dir():
        raise refuse(E_DIRECTORY, shown)
    if stat.S_ISLNK(info.external_attr >> 16):
        raise refuse(E_SYMLINK, shown)
    if not _SAFE_NAME.match(name) or "//" in name or name.startswith("./"):
        raise refuse(E_BAD_NAME, shown.encode("unicode_escape").decode("ascii"))
    if info.flag_bits & 0x1:
        raise refuse(E_ENCRYPTED, shown)
    if name in seen or name.casefold() in folded:
        raise refuse(E_DUPLICATE, shown)
    seen.add(name)
    folded.add(name.casefold())


def _read_small(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    if info.file_size > limit:
        raise refuse(E_TOO_BIG, info.filename, size=info.file_size, limit=limit)
    try:
        with zf.open(info) as f:
            data = f.read(limit + 1)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as e:
        raise refuse(E_CORRUPT, info.filename, error=str(e)[:200]) from None
    if len(data) > limit:
        raise refuse(E_TOO_BIG, info.filename, size=len(data), limit=limit)
    return data


def read_manifest(zf: zipfile.ZipFile, infos: dict[str, zipfile.ZipInfo], limits: fmt.Limits) -> tuple[dict, bytes,
                                                                                                        bytes]:
    if fmt.MANIFEST not in infos:
        raise refuse(E_NO_MANIFEST, fmt.MANIFEST)
    if fmt.SIGNATURE not in infos:
        raise refuse(E_NO_SIGNATURE, fmt.SIGNATURE)
    data = _read_small(zf, infos[fmt.MANIFEST], limits.max_manifest)
    try:
        manifest = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise refuse(E_MANIFEST_JSON, fmt.MANIFEST) from None
    if not isinstance(manifest, dict) or manifest.get("format") != fmt.FORMAT:
        raise refuse(E_NOT_NIBI, fmt.MANIFEST)
    version = manifest.get("format_version")
    if version != fmt.FORMAT_VERSION:
        raise refuse(E_VERSION, fmt.MANIFEST, version=str(version)[:20], supported=fmt.FORMAT_VERSION)
    error = fmt.first_error("manifest", manifest)
    if error:
        raise refuse(E_MANIFEST, fmt.MANIFEST, error=error)
    sig_text = _read_small(zf, infos[fmt.SIGNATURE], 1024)
    try:
        signature = bytes.fromhex(sig_text.decode("ascii").strip())
    except (UnicodeDecodeError, ValueError):
        raise refuse(E_BAD_SIGNATURE, fmt.SIGNATURE) from None
    if not verify(manifest["sender"]["public_key"], data, signature):
        raise refuse(E_BAD_SIGNATURE, fmt.SIGNATURE)
    return manifest, data, signature


def open_bundle(path: str | os.PathLike, staging_root: str | os.PathLike, limits: fmt.Limits = fmt.Limits(),
                cancel: Cancel | None = None, progress: Callable[[int, int, str], None] | None = None,
                files_later: bool = False) -> Bundle:
    """Check a bundle completely and stage its files; :class:`BundleRefused` says what is wrong and where.

    ``files_later``: return once the records are checked, with the files still being staged and checked on a
    second thread; the importer then calls :meth:`Bundle.wait_files` before it commits (see :func:`.apply.apply`)."""
    path = Path(path)
    cancelled = cancel or (lambda: False)
    staging = Path(staging_root) / f"bundle-{uuid.uuid4().hex}"
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise refuse(E_NOT_ZIP, path.name) from None
    try:
        with zf:
            infos_list = zf.infolist()
            if len(infos_list) > limits.max_entries:
                raise refuse(E_TOO_MANY, path.name, count=len(infos_list), limit=limits.max_entries)
            seen: set[str] = set()
            folded: set[str] = set()
            for info in infos_list:
                _check_name(info, seen, folded)
            infos = {i.filename: i for i in infos_list}
            manifest, data, signature = read_manifest(zf, infos, limits)
            bundle = Bundle(path, staging, manifest, data, signature)
            _check_entries(manifest, infos, limits, path.name)
            staging.mkdir(parents=True)
            try:
                with gc_paused():
                    _stage(zf, bundle, infos, limits, cancelled, progress, files_later)
            except BaseException:
                bundle.close()
                raise
            return bundle
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _check_entries(manifest: dict, infos: dict[str, zipfile.ZipInfo], limits: fmt.Limits, name: str) -> None:
    declared: dict[str, dict] = {}
    for item in manifest["files"]:
        if item["path"] in declared:
            raise refuse(E_LISTED_TWICE, item["path"])
        declared[item["path"]] = item
    for entry in infos:
        if entry not in declared and entry not in (fmt.MANIFEST, fmt.SIGNATURE):
            raise refuse(E_NOT_LISTED, entry[:120])
    total = 0
    for entry, item in declared.items():
        info = infos.get(entry)
        if info is None:
            raise refuse(E_MISSING, entry)
        if info.file_size != item["size"]:
            raise refuse(E_SIZE, entry, actual=info.file_size, declared=item["size"])
        if entry.startswith("photos/") and entry.removeprefix("photos/") != item["sha256"]:
            raise refuse(E_PHOTO_NAME, entry)
        if info.file_size > limits.max_file:
            raise refuse(E_TOO_BIG, entry, size=info.file_size, limit=limits.max_file)
        if info.file_size > limits.ratio_floor and (
                info.compress_size == 0 or info.file_size / info.compress_size > limits.max_ratio):
            raise refuse(E_BOMB, entry, ratio=info.file_size // max(info.compress_size, 1), limit=limits.max_ratio)
        total += info.file_size
        if entry.startswith("records/"):
            table = entry.removeprefix("records/").removesuffix(".jsonl")
            if table not in fmt.KIND_TABLES[manifest["kind"]] or table not in manifest["tables"]:
                raise refuse(E_TABLE_KIND, entry, kind=manifest["kind"], table=table)
    if total > limits.max_total:
        raise refuse(E_TOO_BIG, name, size=total, limit=limits.max_total)


def _stage(zf, bundle: Bundle, infos, limits: fmt.Limits, cancelled: Cancel, progress, files_later: bool) -> None:
    """Read every entry once: records are parsed and checked in memory here while a second thread stages the files
    (photos, basemaps). The first problem is raised in manifest order: a file's size or SHA-256, then a record's."""
    manifest = bundle.manifest
    files = [item for item in manifest["files"] if not item["path"].startswith("records/")]
    free = shutil.disk_usage(bundle.staging).free
    if sum(item["size"] for item in files) * 1.05 + 64 * 1024**2 > free:
        raise refuse(E_DISK, bundle.path.name, needed=sum(item["size"] for item in files), free=free)
    total = sum(item["size"] for item in manifest["files"])
    stager = FileStager(bundle.path, bundle.staging, files, infos, cancelled)
    for entry, target in stager.targets().items():
        if entry.startswith("photos/"):
            bundle.photos[entry.removeprefix("photos/")] = target
        elif entry.startswith("basemap/"):
            bundle.basemaps.append(target)
    bundle._files = stager
    stager.start()
    done = 0
    problem: BundleRefused | None = None
    for item in manifest["files"]:
        entry = item["path"]
        if not entry.startswith("records/"):
            continue
        table = entry.removeprefix("records/").removesuffix(".jsonl")
        parser = Records(entry, table, limits, cancelled)
        # after a first problem the remaining entries are only verified, not parsed
        read_entry(zf, infos[entry], item, cancelled, parser.feed if problem is None else len)
        error = parser.finish()
        declared = manifest["counts"].get(table, 0)
        if error is None and declared != len(parser.records):
            error = refuse(E_COUNT, entry, declared=declared, table=table, actual=len(parser.records))
        problem = problem or error
        if problem is None:
            bundle.records[table] = parser.records
        done += item["size"]
        if progress:
            progress(done + stager.done, total, entry)
    if problem is not None or not files_later:
        bundle.wait_files(lambda staged: progress(done + staged, total, "photos") if progress else None)
    if problem is not None:
        raise problem
    for table, declared in manifest["counts"].items():
        if table in fmt.TABLES + fmt.REFERENCE_TABLES and declared and table not in bundle.records:
            raise refuse(E_COUNT, f"records/{table}.jsonl", declared=declared, table=table, actual=0)
