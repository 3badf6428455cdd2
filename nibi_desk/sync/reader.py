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

import hashlib
import json
import os
import re
import shutil
import stat
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

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
        best = self.manifest["watermark"]
        for records in self.records.values():
            for r in records:
                for s in (r.get("created_hlc"), *(r.get("field_hlc") or {}).values()):
                    if isinstance(s, str) and s > best:
                        best = s
        return best

    def close(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)

    def __enter__(self) -> Bundle:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


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


def _extract(zf: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, declared: dict, cancelled: Cancel) -> None:
    digest = hashlib.sha256()
    size = 0
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with zf.open(info) as src, open(target, "xb") as out:
            while True:
                if cancelled():
                    raise BundleCancelled()
                chunk = src.read(1 << 20)
                if not chunk:
                    break
                size += len(chunk)
                if size > declared["size"]:  # never trust the header: stop as soon as it grows past the manifest
                    raise _refuse(E_SIZE, info.filename, actual=f">{declared['size']}", declared=declared["size"])
                digest.update(chunk)
                out.write(chunk)
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError) as e:
        raise _refuse(E_CORRUPT, info.filename, error=str(e)[:200]) from None
    if size != declared["size"]:
        raise _refuse(E_SIZE, info.filename, actual=size, declared=declared["size"])
    if digest.hexdigest() != declared["sha256"]:
        raise _refuse(E_HASH, info.filename)


def _records(path: Path, entry: str, table: str, limits: fmt.Limits, cancelled: Cancel) -> Iterator[dict]:
    check = fmt.fast_check(table)
    strict_strings = limits.max_string < 1_000_000
    ids: set = set()
    id_key = "code" if table == "divisions" else "id"
    with open(path, "rb") as f:
        for number, line in enumerate(iter(lambda: f.readline(limits.max_line + 1), b""), start=1):
            if number % 5000 == 0 and cancelled():
                raise BundleCancelled()
            if len(line) > limits.max_line:
                raise _refuse(E_LINE_LONG, entry, number, limit=limits.max_line)
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except (ValueError, RecursionError):
                raise _refuse(E_LINE_JSON, entry, number) from None
            valid = check(record)  # every string in the schemas is bounded: lengths are checked with the rest
            if not valid or strict_strings:
                if not fmt.check_strings(record, limits.max_string):
                    raise _refuse(E_STRING, entry, number, limit=limits.max_string)
                if not valid:
                    raise _refuse(E_RECORD, entry, number, error=fmt.first_error(table, record) or "schema")
            key = record[id_key]
            if key in ids:
                raise _refuse(E_DUPLICATE_ID, entry, number, id=key)
            ids.add(key)
            yield record


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
    manifest = bundle.manifest
    total = sum(item["size"] for item in manifest["files"])
    free = shutil.disk_usage(bundle.staging).free
    if total * 1.05 + 64 * 1024**2 > free:
        raise _refuse(E_DISK, bundle.path.name, needed=total, free=free)
    done = 0
    for item in manifest["files"]:
        entry = item["path"]
        target = bundle.staging.joinpath(*entry.split("/"))
        _extract(zf, infos[entry], target, item, cancelled)
        done += item["size"]
        if progress:
            progress(done, total, entry)
        if entry.startswith("photos/"):
            bundle.photos[item["sha256"]] = target
        elif entry.startswith("basemap/"):
            bundle.basemaps.append(target)
    for item in manifest["files"]:
        entry = item["path"]
        if not entry.startswith("records/"):
            continue
        table = entry.removeprefix("records/").removesuffix(".jsonl")
        records = list(_records(bundle.staging / "records" / f"{table}.jsonl", entry, table, limits, cancelled))
        declared = manifest["counts"].get(table, 0)
        if declared != len(records):
            raise _refuse(E_COUNT, entry, declared=declared, table=table, actual=len(records))
        bundle.records[table] = records
    for table, declared in manifest["counts"].items():
        if table in fmt.TABLES + fmt.REFERENCE_TABLES and declared and table not in bundle.records:
            raise _refuse(E_COUNT, f"records/{table}.jsonl", declared=declared, table=table, actual=0)
