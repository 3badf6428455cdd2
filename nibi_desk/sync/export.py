"""Writing bundles: choose the rows of a kind (and scope, and since the last exchange with a peer), write records
and photos into a zip under a temporary name, sign the manifest, fsync, and only then rename to the final name.

``iter_export`` is a generator yielding ``(done, total, label)`` between steps (the GUI's task runner shows progress
and cancels between yields); ``export_bundle`` runs it to the end. A cancel, a full disk or any error removes the
temporary file, so nothing that looks like a finished bundle is ever left behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from nibi_desk.fileio import fsync_dir, fsync_file
from nibi_desk.errors import ValidationError, Where
from nibi_desk.ids import uuid7
from nibi_desk.i18n import N_
from nibi_desk.photos.store import PhotoNotStored, PhotoStore
from nibi_desk.storage.hlc import ZERO
from nibi_desk.sync import peers, selection
from nibi_desk.sync.format import FORMAT, FORMAT_VERSION, KIND_TABLES, KINDS, MANIFEST, REFERENCE_TABLES, SIGNATURE, \
    SUFFIX, dumps, exported_fields
from nibi_desk.sync.keys import DeviceKey
from nibi_desk.sync.merge import RowState, Version

if TYPE_CHECKING:
    from nibi_desk.context import Context

_FIXED_TIME = (1980, 1, 1, 0, 0, 0)
CHUNK = 1 << 20


class ExportCancelled(Exception):
    """Internal: the caller stopped the export; the temporary file was removed."""


@dataclass
class ExportResult:
    path: Path
    bundle_id: str
    kind: str
    since: str | None
    watermark: str
    counts: dict[str, int] = field(default_factory=dict)
    size: int = 0
    photos_missing: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"path": str(self.path), "bundle_id": self.bundle_id, "kind": self.kind, "since": self.since,
                "watermark": self.watermark, "counts": self.counts, "size": self.size,
                "photos_missing": self.photos_missing}


class _HashingWriter:
    """Writes into one zip entry, counting bytes and hashing them on the way."""

    def __init__(self, zf: zipfile.ZipFile, name: str, compress: int):
        info = zipfile.ZipInfo(name, _FIXED_TIME)
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


def _record_line(row, fields: list[str], extras_json: str | None, siblings_json: str | None) -> str:
    record = {"id": row["id"], "created_hlc": row["created_hlc"], "field_hlc": json.loads(row["field_hlc"] or "{}"),
              "values": {f: row[f] for f in fields}}
    if extras_json and extras_json != "{}":
        record["vv"] = json.loads(extras_json)
    if siblings_json and siblings_json != "{}":
        state = RowState(record["values"], record["created_hlc"], record["field_hlc"], record.get("vv", {}),
                         {k: [Version.from_json(v) for v in vs] for k, vs in json.loads(siblings_json).items()})
        live = {k: [v.to_json() for v in vs] for k, vs in state.siblings.items() if len(state.register(k)) > 1}
        if live:
            record["siblings"] = live
    return dumps(record)


def iter_export(ctx: Context, path: str | os.PathLike, kind: str, *, to: str | None = None, full: bool = False,
                plans: tuple[str, ...] = (), township: str | None = None, basemap: str | os.PathLike | None = None,
                note: str | None = None) -> Iterator[tuple[int, int, str]]:
    """Write a bundle; yields progress; returns an :class:`ExportResult` (StopIteration.value)."""
    from nibi_desk.inspection.users import INSPECTOR, OFFICE

    peers.allowed(ctx, INSPECTOR, OFFICE, action=N_("exchange bundles"))
    if kind not in KINDS:
        raise ValidationError("Unknown bundle kind {kind}", where=Where(field="kind"), kind=kind)
    registry = ctx.registry
    path = Path(path)
    if path.suffix.lower() != SUFFIX:
        path = path.with_name(path.name + SUFFIX)
    recipient = peers.find_device(registry.read(), to) if to else None
    if kind == "dispatch" and not plans and not township:
        raise ValidationError("A dispatch bundle needs a plan or a township", where=Where(field="scope"))
    conn = registry.read()
    peer = peers.peer(conn, recipient["device"]) if recipient else None
    since = None if full or kind == "backup" or peer is None else peer["sent_watermark"]
    key = DeviceKey.for_registry(registry)
    store = PhotoStore.for_registry(registry.path)
    bundle_id = uuid7()
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.partial")
    files: list[dict] = []
    counts: dict[str, int] = {}
    missing: list[str] = []
    conn.execute("BEGIN")  # one read snapshot for the whole export
    try:
        watermark = conn.execute("SELECT max(hlc) FROM audit").fetchone()[0] or ZERO + registry.device
        chosen = selection.choose(conn, kind, since=since, plans=plans, township=township)
        tables = [t for t in KIND_TABLES[kind] if t in chosen]
        total = sum(chosen[t].count for t in tables) + 1
        done = 0
        path.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(tmp, "w", allowZip64=True) as zf:
            for table in tables:
                yield done, total, table
                writer = _HashingWriter(zf, f"records/{table}.jsonl", zipfile.ZIP_DEFLATED)
                fields = exported_fields(conn, table)
                n = 0
                buffer: list[str] = []
                for row, extras, sib in chosen[table].rows(conn):
                    buffer.append(_record_line(row, fields, extras, sib))
                    n += 1
                    if len(buffer) >= 2000:
                        writer.write(("\n".join(buffer) + "\n").encode("utf-8"))
                        buffer.clear()
                        done += 2000
                        yield done, total, table
                if buffer:
                    writer.write(("\n".join(buffer) + "\n").encode("utf-8"))
                done += len(buffer)
                files.append({"path": f"records/{table}.jsonl", **writer.close()})
                counts[table] = n
            for table in (t for t in REFERENCE_TABLES if t in KIND_TABLES[kind]):
                yield done, total, table
                writer = _HashingWriter(zf, f"records/{table}.jsonl", zipfile.ZIP_DEFLATED)
                columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
                rows = conn.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY 1").fetchall()
                if rows:
                    writer.write(("\n".join(dumps(dict(zip(columns, r))) for r in rows) + "\n").encode("utf-8"))
                files.append({"path": f"records/{table}.jsonl", **writer.close()})
                counts[table] = len(rows)
                tables.append(table)
            shas = chosen["photos"].shas if "photos" in chosen else []
            total += len(shas)
            for i, sha in enumerate(shas):
                if i % 20 == 0:
                    yield done + i, total, "photos"
                try:
                    source = store.path_of(sha)
                except PhotoNotStored:
                    missing.append(sha)
                    continue
                writer = _HashingWriter(zf, f"photos/{sha}", zipfile.ZIP_STORED)
                with open(source, "rb") as f:
                    for chunk in iter(lambda: f.read(CHUNK), b""):
                        writer.write(chunk)
                files.append({"path": f"photos/{sha}", **writer.close()})
            counts["photo_files"] = len(shas) - len(missing)
            if basemap is not None:
                yield done, total, "basemap"
                base = Path(basemap)
                name = "".join(c if c.isalnum() or c in "._-" else "_" for c in base.stem)[:100] or "basemap"
                writer = _HashingWriter(zf, f"basemap/{name}.mbtiles", zipfile.ZIP_DEFLATED)
                with open(base, "rb") as f:
                    for chunk in iter(lambda: f.read(CHUNK), b""):
                        writer.write(chunk)
                files.append({"path": f"basemap/{name}.mbtiles", **writer.close()})
            manifest = {
                "format": FORMAT, "format_version": FORMAT_VERSION, "bundle_id": bundle_id, "kind": kind,
                "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "sender": {"device": registry.device, "county": registry.county, "public_key": key.public_key,
                           "name": registry.county_name, "actor": ctx.actor},
                "recipient": {"device": recipient["device"], "name": recipient["name"]} if recipient else None,
                "watermark": watermark, "since": since, "acks": peers.acks(conn),
                "scope": {"county": registry.county, **({"plans": list(plans)} if plans else {}),
                          **({"township": township} if township else {})},
                "tables": tables, "files": files, "counts": counts, "note": note}
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
            zf.writestr(zipfile.ZipInfo(MANIFEST, _FIXED_TIME), data)
            zf.writestr(zipfile.ZipInfo(SIGNATURE, _FIXED_TIME), key.sign(data).hex())
            yield total, total, "sync"
        fsync_file(tmp)
        os.replace(tmp, path)
        fsync_dir(path.parent)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        selection.release(conn)
        conn.execute("COMMIT")
    result = ExportResult(path, bundle_id, kind, since, watermark, counts, path.stat().st_size, missing)

    def record(txn):
        peers.record_exchange(txn, bundle_id=bundle_id, direction="export", kind=kind,
                              peer_device=recipient["device"] if recipient else None,
                              peer_name=recipient["name"] if recipient else None, file_name=path.name, since=since,
                              watermark=watermark, status="exported", counts=counts)
        if recipient:
            peers.touch_peer(txn, recipient["device"], recipient["name"], recipient["county"], sent=watermark)

    peers.run(ctx, record)
    return result


def export_bundle(ctx: Context, path: str | os.PathLike, kind: str, **options) -> ExportResult:
    gen = iter_export(ctx, path, kind, **options)
    while True:
        try:
            next(gen)
        except StopIteration as stop:
            return stop.value


