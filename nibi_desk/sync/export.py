"""Writing bundles: choose the rows of a kind (and scope, and since the last exchange with a peer), write records
and photos into a zip under a temporary name, sign the manifest, fsync, and only then rename to the final name.

``iter_export`` is a generator yielding ``(done, total, label)`` between steps (the GUI's task runner shows progress
and cancels between yields); ``export_bundle`` runs it to the end. A cancel, a full disk or any error removes the
temporary file, so nothing that looks like a finished bundle is ever left behind.

Throughput (bench/bundles.py): most records' JSON lines are written by SQLite (:meth:`.selection.Chosen.lines`),
the rest encoded by orjson; a second thread writes the zip (:mod:`.entries`: photos first, then the records as they
come), so file I/O, hashing and deflate overlap the SQL and JSON work.
"""

from __future__ import annotations

import json
import os
import uuid
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

import orjson

from nibi_desk.fileio import fsync_dir, fsync_file
from nibi_desk.errors import ValidationError, Where
from nibi_desk.ids import uuid7
from nibi_desk.i18n import N_
from nibi_desk.photos.store import PhotoStore
from nibi_desk.storage.hlc import ZERO
from nibi_desk.sync import peers, selection
from nibi_desk.sync.format import FORMAT, FORMAT_VERSION, KIND_TABLES, KINDS, LOCAL_ONLY, MANIFEST, REFERENCE_TABLES, \
    SIGNATURE, SUFFIX, dumps, exported_fields
from nibi_desk.sync.entries import FIXED_TIME, Entries, stopping
from nibi_desk.sync.keys import DeviceKey
from nibi_desk.sync.merge import RowState, Version

if TYPE_CHECKING:
    from nibi_desk.context import Context

BATCH = 5000  # records per queued write (and per progress step)


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


_EMPTY: dict = {}


def _parsed(text: str | None) -> dict:
    return _EMPTY if not text or text == "{}" else orjson.loads(text)


def _encoder(table: str, fields: list[str]):
    """A function turning one row of :meth:`Chosen.rows` into its JSON line (bytes, no newline).

    Version JSON read from the registry is parsed (so a damaged value fails here, not at the receiver) and encoded
    again with the record by orjson, several times faster than the standard library on 100k rows."""
    n = len(fields)
    local_only = LOCAL_ONLY.get(table, frozenset())

    def encode(row: tuple) -> bytes:
        stamps, vv, siblings = _parsed(row[2]), _parsed(row[3 + n]), row[4 + n]
        if local_only:  # e.g. a changed password stamps password_hash locally; the stamp stays here too
            stamps = {k: v for k, v in stamps.items() if k not in local_only}
            vv = {k: v for k, v in vv.items() if k not in local_only}
        record = {"id": row[0], "created_hlc": row[1], "field_hlc": stamps, "values": dict(zip(fields, row[3:3 + n]))}
        if vv:
            record["vv"] = vv
        if siblings and siblings != "{}":
            state = RowState(record["values"], record["created_hlc"], dict(stamps), dict(vv),
                             {k: [Version.from_json(v) for v in vs] for k, vs in orjson.loads(siblings).items()
                              if k not in local_only})
            live = {k: [v.to_json() for v in vs] for k, vs in state.siblings.items() if len(state.register(k)) > 1}
            if live:
                record["siblings"] = live
        if row[5 + n]:  # an infinite REAL: orjson would write null; the standard encoder keeps it visible
            return dumps(record).encode("utf-8")
        return orjson.dumps(record)

    return encode


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
    counts: dict[str, int] = {}
    conn.execute("BEGIN")  # one read snapshot for the whole export
    try:
        watermark = conn.execute("SELECT max(hlc) FROM audit").fetchone()[0] or ZERO + registry.device
        chosen = selection.choose(conn, kind, since=since, plans=plans, township=township)
        tables = [t for t in KIND_TABLES[kind] if t in chosen]
        shas = chosen["photos"].shas if "photos" in chosen else []
        total = sum(chosen[t].count for t in tables) + len(shas) + 1
        done = 0
        path.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(tmp, "w", allowZip64=True) as zf, stopping(Entries(zf, store, shas)) as entries:
            for table in tables:
                yield done + entries.photos_written, total, table
                entries.put(("entry", f"records/{table}.jsonl"))
                fields = exported_fields(conn, table)
                encode = _encoder(table, fields)
                n = 0
                buffer: list[bytes] = []
                for line in chosen[table].lines(conn, fields):
                    buffer.append(line if type(line) is bytes else encode(line))
                    if len(buffer) >= BATCH:
                        buffer.append(b"")
                        entries.put(b"\n".join(buffer))
                        n += len(buffer) - 1
                        buffer.clear()
                        yield done + n + entries.photos_written, total, table
                if buffer:
                    buffer.append(b"")
                    entries.put(b"\n".join(buffer))
                    n += len(buffer) - 1
                entries.put(("end", f"records/{table}.jsonl"))
                done += n
                counts[table] = n
            for table in (t for t in REFERENCE_TABLES if t in KIND_TABLES[kind]):
                columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
                rows = conn.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY 1").fetchall()
                entries.put(("entry", f"records/{table}.jsonl"))
                if rows:
                    entries.put(b"".join(orjson.dumps(dict(zip(columns, r))) + b"\n" for r in rows))
                entries.put(("end", f"records/{table}.jsonl"))
                counts[table] = len(rows)
                tables.append(table)
            names = [f"records/{table}.jsonl" for table in tables]
            if basemap is not None:
                base = Path(basemap)
                name = "".join(c if c.isalnum() or c in "._-" else "_" for c in base.stem)[:100] or "basemap"
                entries.put(("copy", f"basemap/{name}.mbtiles", base))
            entries.put(None)
            while not entries.finish(0.1):
                yield done + entries.photos_written, total, "photos" if entries.photos_written < len(shas) else "sync"
            missing = entries.missing
            counts["photo_files"] = len(shas) - len(missing)
            gone = set(missing)
            names += [f"photos/{sha}" for sha in shas if sha not in gone]
            if basemap is not None:
                names.append(f"basemap/{name}.mbtiles")
            files = [{"path": entry, **entries.done[entry]} for entry in names]
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
            zf.writestr(zipfile.ZipInfo(MANIFEST, FIXED_TIME), data)
            zf.writestr(zipfile.ZipInfo(SIGNATURE, FIXED_TIME), key.sign(data).hex())
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


