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
import hashlib
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

import orjson

from nibi_desk.errors import ImportFailed, Where
from nibi_desk.i18n import N_
from nibi_desk.sync import format as fmt
from nibi_desk.sync.keys import verify

E_NOT_ZIP = N_("This file is not a bundle (not a zip archive)")
E_ABSOLUTE = N_("The bundle holds an absolute path")
E_PARENT = N_("The bundle holds a path with '..'")
E_BAD_NAME = N_("The bundle holds an entry with an unusable name")
E_DIRECTORY = N_("The bundle holds a folder entry, which bundles never have")
E_SYMLINK = N_("The bundle holds a symbolic link")
E_ENCRYPTED = N_("The bundle holds an encrypted entry")
E_DUPLICATE = N_("The bundle holds the same name twice")
E_TOO_MANY = N_("The bundle holds {count} entries, more than the limit of {limit}")
E_NO_MANIFEST = N_("The bundle has no manifest")
E_NO_SIGNATURE = N_("The bundle has no signature")
E_MANIFEST_JSON = N_("The manifest is not valid JSON")
E_NOT_NIBI = N_("This zip archive is not a NIBI bundle")
E_VERSION = N_("Unknown bundle format version {version}; this program reads version {supported}")
E_MANIFEST = N_("The manifest is invalid: {error}")
E_NOT_LISTED = N_("The bundle holds an entry that is not in the manifest")
E_MISSING = N_("A file listed in the manifest is missing from the bundle")
E_LISTED_TWICE = N_("The manifest lists the same file twice")
E_SIZE = N_("The size differs from the manifest ({actual} bytes, manifest says {declared})")
E_HASH = N_("The SHA-256 differs from the manifest")
E_BOMB = N_("The entry expands {ratio}× when unpacked, beyond the limit of {limit}× (a zip bomb?)")
E_TOO_BIG = N_("The bundle unpacks to {size} bytes, beyond the limit of {limit}")
E_DISK = N_("Not enough free disk space to check the bundle: it needs {needed} bytes, {free} are free")
E_CORRUPT = N_("The entry is damaged: {error}")
E_BAD_SIGNATURE = N_("The signature does not match the manifest: the bundle was changed or damaged")
E_TABLE_KIND = N_("A {kind} bundle may not carry {table}")
E_LINE_LONG = N_("The record is longer than {limit} bytes")
E_LINE_JSON = N_("The record is not valid JSON")
E_RECORD = N_("The record is invalid: {error}")
E_STRING = N_("The record holds a string longer than {limit} characters")
E_DUPLICATE_ID = N_("The record id {id} appears twice")
E_COUNT = N_("The manifest counts {declared} records of {table}, the file has {actual}")
E_PHOTO_NAME = N_("A photo's name is not its SHA-256")

CHUNK = 1 << 20
_SAFE_NAME = re.compile(r"^[A-Za-z0-9_./-]{1,255}$")
Cancel = Callable[[], bool]


class BundleRefused(ImportFailed):
    """The bundle cannot be used; nothing was written outside the staging folder (which is removed)."""

    template = "The bundle was refused"


class BundleCancelled(Exception):
    """The caller stopped the check; the staging folder was removed."""


@dataclass
class Bundle:
    """An opened, fully checked bundle: its manifest, records per table, and its files in a staging folder."""

    path: Path
    staging: Path
    manifest: dict
    manifest_bytes: bytes
    signature: bytes
    records: dict[str, list[dict]] = field(default_factory=dict)
    photos: dict[str, Path] = field(default_factory=dict)      # sha256 -> staged file
    basemaps: list[Path] = field(default_factory=list)
    _max_stamp: str | None = field(default=None, repr=False)

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

    def close(self) -> None:
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


def _refuse(template: str, entry: str | None = None, line: int | None = None, **params) -> BundleRefused:
    return BundleRefused(template, where=Where(file=entry, row=line), **params)


def _check_name(info: zipfile.ZipInfo, seen: set[str], folded: set[str]) -> None:
    name = info.filename
    shown = name[:120]
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        raise _refuse(E_ABSOLUTE, shown)
    if ".." in name.replace("\\", "/").split("/"):
        raise _refuse(E_PARENT, shown)
    if name.endswith("/") or info.is_dir():
        raise _refuse(E_DIRECTORY, shown)
    if stat.S_ISLNK(info.external_attr >> 16):
        raise _refuse(E_SYMLINK, shown)
    if not _SAFE_NAME.match(name) or "//" in name or name.startswith("./"):
        raise _refuse(E_BAD_NAME, shown.encode("unicode_escape").decode("ascii"))
    if info.flag_bits & 0x1:
        raise _refuse(E_ENCRYPTED, shown)
    if name in seen or name.casefold() in folded:
        raise _refuse(E_DUPLICATE, shown)
    seen.add(name)
    folded.add(name.casefold())


def _read_small(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    if info.file_size > limit:
        raise _refuse(E_TOO_BIG, info.filename, size=info.file_size, limit=limit)
    try:
        with zf.open(info) as f:
            data = f.read(limit + 1)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as e:
        raise _refuse(E_CORRUPT, info.filename, error=str(e)[:200]) from None
    if len(data) > limit:
        raise _refuse(E_TOO_BIG, info.filename, size=len(data), limit=limit)
    return data


def read_manifest(zf: zipfile.ZipFile, infos: dict[str, zipfile.ZipInfo], limits: fmt.Limits) -> tuple[dict, bytes,
                                                                                                        bytes]:
    if fmt.MANIFEST not in infos:
        raise _refuse(E_NO_MANIFEST, fmt.MANIFEST)
    if fmt.SIGNATURE not in infos:
        raise _refuse(E_NO_SIGNATURE, fmt.SIGNATURE)
    data = _read_small(zf, infos[fmt.MANIFEST], limits.max_manifest)
    try:
        manifest = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _refuse(E_MANIFEST_JSON, fmt.MANIFEST) from None
    if not isinstance(manifest, dict) or manifest.get("format") != fmt.FORMAT:
        raise _refuse(E_NOT_NIBI, fmt.MANIFEST)
    version = manifest.get("format_version")
    if version != fmt.FORMAT_VERSION:
        raise _refuse(E_VERSION, fmt.MANIFEST, version=str(version)[:20], supported=fmt.FORMAT_VERSION)
    error = fmt.first_error("manifest", manifest)
    if error:
        raise _refuse(E_MANIFEST, fmt.MANIFEST, error=error)
    sig_text = _read_small(zf, infos[fmt.SIGNATURE], 1024)
    try:
        signature = bytes.fromhex(sig_text.decode("ascii").strip())
    except (UnicodeDecodeError, ValueError):
        raise _refuse(E_BAD_SIGNATURE, fmt.SIGNATURE) from None
    if not verify(manifest["sender"]["public_key"], data, signature):
        raise _refuse(E_BAD_SIGNATURE, fmt.SIGNATURE)
    return manifest, data, signature


def _read_entry(zf: zipfile.ZipFile, info: zipfile.ZipInfo, declared: dict, cancelled: Cancel, sink) -> None:
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
                    raise _refuse(E_SIZE, info.filename, actual=f">{declared['size']}", declared=declared["size"])
                digest.update(chunk)
                sink(chunk)
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError) as e:
        raise _refuse(E_CORRUPT, info.filename, error=str(e)[:200]) from None
    if size != declared["size"]:
        raise _refuse(E_SIZE, info.filename, actual=size, declared=declared["size"])
    if digest.hexdigest() != declared["sha256"]:
        raise _refuse(E_HASH, info.filename)


def _extract(zf: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, declared: dict, cancelled: Cancel) -> None:
    with open(target, "xb") as out:
        _read_entry(zf, info, declared, cancelled, out.write)


class _Records:
    """Parses and checks one table's JSON Lines as they are inflated (never written to disk). The first problem is
    kept in ``error`` and parsing stops there; the caller raises it only once the entry's size and SHA-256 held, so
    a changed file is reported as changed rather than as a bad record."""

    def __init__(self, entry: str, table: str, limits: fmt.Limits, cancelled: Cancel):
        self.entry, self.table, self.limits, self.cancelled = entry, table, limits, cancelled
        self.check = fmt.fast_check(table)
        self.strict_strings = limits.max_string < 1_000_000
        self.id_key = "code" if table == "divisions" else "id"
        self.records: list[dict] = []
        self.ids: set = set()
        self.number = 0       # lines seen
        self.rest = b""       # an incomplete last line
        self.error: BundleRefused | None = None

    def feed(self, chunk: bytes) -> None:
        if self.error is not None:
            return
        lines = (self.rest + chunk if self.rest else chunk).split(b"\n")
        self.rest = lines.pop()
        try:
            self._lines(lines)
            if len(self.rest) > self.limits.max_line:
                raise _refuse(E_LINE_LONG, self.entry, self.number + 1, limit=self.limits.max_line)
        except BundleRefused as e:
            self.error = e

    def finish(self) -> BundleRefused | None:
        """The first problem, or None once the whole entry has been read (a last line may lack its newline)."""
        if self.error is None and self.rest:
            try:
                self._lines([self.rest], newline=0)
            except BundleRefused as e:
                self.error = e
            self.rest = b""
        return self.error

    def _lines(self, lines: list[bytes], newline: int = 1) -> None:
        limits, entry, check, id_key = self.limits, self.entry, self.check, self.id_key
        records, ids, loads = self.records, self.ids, orjson.loads
        number = self.number
        for line in lines:
            number += 1
            if number % 5000 == 0 and self.cancelled():
                raise BundleCancelled()
            if len(line) + newline > limits.max_line:
                raise _refuse(E_LINE_LONG, entry, number, limit=limits.max_line)
            try:
                record = loads(line)
            except ValueError:
                if not line.strip():
                    continue
                raise _refuse(E_LINE_JSON, entry, number) from None
            valid = check(record)  # every string in the schemas is bounded: lengths are checked with the rest
            if not valid or self.strict_strings:
                if not fmt.check_strings(record, limits.max_string):
                    raise _refuse(E_STRING, entry, number, limit=limits.max_string)
                if not valid:
                    raise _refuse(E_RECORD, entry, number, error=fmt.first_error(self.table, record) or "schema")
            key = record[id_key]
            if key in ids:
                raise _refuse(E_DUPLICATE_ID, entry, number, id=key)
            ids.add(key)
            records.append(record)
        self.number = number


def open_bundle(path: str | os.PathLike, staging_root: str | os.PathLike, limits: fmt.Limits = fmt.Limits(),
                cancel: Cancel | None = None, progress: Callable[[int, int, str], None] | None = None) -> Bundle:
    """Check a bundle completely and stage its files; :class:`BundleRefused` says what is wrong and where."""
    path = Path(path)
    cancelled = cancel or (lambda: False)
    staging = Path(staging_root) / f"bundle-{uuid.uuid4().hex}"
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise _refuse(E_NOT_ZIP, path.name) from None
    try:
        with zf:
            infos_list = zf.infolist()
            if len(infos_list) > limits.max_entries:
                raise _refuse(E_TOO_MANY, path.name, count=len(infos_list), limit=limits.max_entries)
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
                    _stage(zf, bundle, infos, limits, cancelled, progress)
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
            raise _refuse(E_LISTED_TWICE, item["path"])
        declared[item["path"]] = item
    for entry in infos:
        if entry not in declared and entry not in (fmt.MANIFEST, fmt.SIGNATURE):
            raise _refuse(E_NOT_LISTED, entry[:120])
    total = 0
    for entry, item in declared.items():
        info = infos.get(entry)
        if info is None:
            raise _refuse(E_MISSING, entry)
        if info.file_size != item["size"]:
            raise _refuse(E_SIZE, entry, actual=info.file_size, declared=item["size"])
        if entry.startswith("photos/") and entry.removeprefix("photos/") != item["sha256"]:
            raise _refuse(E_PHOTO_NAME, entry)
        if info.file_size > limits.max_file:
            raise _refuse(E_TOO_BIG, entry, size=info.file_size, limit=limits.max_file)
        if info.file_size > limits.ratio_floor and (
                info.compress_size == 0 or info.file_size / info.compress_size > limits.max_ratio):
            raise _refuse(E_BOMB, entry, ratio=info.file_size // max(info.compress_size, 1), limit=limits.max_ratio)
        total += info.file_size
        if entry.startswith("records/"):
            table = entry.removeprefix("records/").removesuffix(".jsonl")
            if table not in fmt.KIND_TABLES[manifest["kind"]] or table not in manifest["tables"]:
                raise _refuse(E_TABLE_KIND, entry, kind=manifest["kind"], table=table)
    if total > limits.max_total:
        raise _refuse(E_TOO_BIG, name, size=total, limit=limits.max_total)


def _stage(zf, bundle: Bundle, infos, limits: fmt.Limits, cancelled: Cancel, progress) -> None:
    """Read every entry once: records are parsed and checked in memory, photos and basemaps go to the staging
    folder. A record problem is raised only after every entry's size and SHA-256 held (in manifest order)."""
    manifest = bundle.manifest
    total = sum(item["size"] for item in manifest["files"] if not item["path"].startswith("records/"))
    free = shutil.disk_usage(bundle.staging).free
    if total * 1.05 + 64 * 1024**2 > free:
        raise _refuse(E_DISK, bundle.path.name, needed=total, free=free)
    total = sum(item["size"] for item in manifest["files"])
    done = 0
    problem: BundleRefused | None = None
    folders: set[str] = set()
    for item in manifest["files"]:
        entry = item["path"]
        if entry.startswith("records/"):
            table = entry.removeprefix("records/").removesuffix(".jsonl")
            parser = _Records(entry, table, limits, cancelled)
            # after a first problem the remaining entries are only verified, not parsed
            _read_entry(zf, infos[entry], item, cancelled, parser.feed if problem is None else len)
            error = parser.finish()
            declared = manifest["counts"].get(table, 0)
            if error is None and declared != len(parser.records):
                error = _refuse(E_COUNT, entry, declared=declared, table=table, actual=len(parser.records))
            problem = problem or error
            if problem is None:
                bundle.records[table] = parser.records
        else:
            folder, _sep, name = entry.rpartition("/")
            if folder not in folders:
                bundle.staging.joinpath(*folder.split("/")).mkdir(parents=True, exist_ok=True)
                folders.add(folder)
            target = bundle.staging.joinpath(*folder.split("/"), name)
            _extract(zf, infos[entry], target, item, cancelled)
            if entry.startswith("photos/"):
                bundle.photos[item["sha256"]] = target
            elif entry.startswith("basemap/"):
                bundle.basemaps.append(target)
        done += item["size"]
        if progress:
            progress(done, total, entry)
    if problem is not None:
        raise problem
    for table, declared in manifest["counts"].items():
        if table in fmt.TABLES + fmt.REFERENCE_TABLES and declared and table not in bundle.records:
            raise _refuse(E_COUNT, f"records/{table}.jsonl", declared=declared, table=table, actual=0)
