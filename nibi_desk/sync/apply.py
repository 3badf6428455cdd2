"""Importing a bundle: check it (:mod:`.reader`), dry-run it (:mod:`.plan`), then apply it in ONE writer transaction.

Trust: a bundle is accepted from this registry's own device or from an enrolled, unrevoked device whose enrolled key
signed it; anything else is refused unless an office user trusts that one bundle (recorded in the exchange history
and the audit log). Photos are staged under the photo store's ``tmp`` folder and moved into the store only after
the transaction commits (a re-import moves any that a crash left behind). A refused bundle writes nothing, and a
bundle already imported with nothing left to do writes nothing either (not even the exchange history).

An import without a preview (:func:`import_bundle`, ``nibi bundle import``) opens the bundle with ``files_later``:
the photos are staged and checked on a second thread while the records are merged and written, and the transaction
waits for them before it commits — a photo that is not what the manifest says rolls everything back. For 100k assets
with 7 GB of photos this took a third off the import (bench/bundles.py). The wizard previews meanwhile (gui/sync).
"""

from __future__ import annotations

import json
import time
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from nibi_desk.errors import Where
from nibi_desk.i18n import N_, _
from nibi_desk.photos.store import PhotoStore
from nibi_desk.storage.hlc import Stamp
from nibi_desk.storage.writer import WriteTxn
from nibi_desk.sync import format as fmt
from nibi_desk.sync import peers
from nibi_desk.sync.keys import DeviceKey
from nibi_desk.sync.merge import base_stamp, canonical, sides
from nibi_desk.sync.plan import Op, Plan, make_plan
from nibi_desk.sync.reader import Bundle, BundleRefused, gc_paused, open_bundle

if TYPE_CHECKING:
    from nibi_desk.context import Context

E_UNKNOWN = N_("The bundle comes from device {device} ({name}), which is not enrolled here")
E_REVOKED = N_("The bundle comes from device {device} ({name}), whose enrollment was revoked")
E_KEY = N_("The bundle is signed with another key than the one enrolled for device {device} ({name})")
E_FUTURE = N_("The bundle holds version stamps from the future ({when}); check the sending device's clock")
W_RECIPIENT = N_("The bundle was made for another device ({device})")
W_GAP = N_("An earlier bundle from this device has not been imported here; some of its changes may come later")
MAX_FUTURE_MS = 7 * 24 * 3600 * 1000


class _NothingToDo(Exception):
    def __init__(self, plan: Plan):
        super().__init__("nothing to do")
        self.plan = plan


def staging_root(registry) -> Path:
    return PhotoStore.for_registry(registry.path).root / "tmp"


def open_for_import(ctx: Context, path: str | Path, cancel: Callable[[], bool] | None = None,
                    progress=None, files_later: bool = False) -> Bundle:
    """Check a bundle and stage its files (BundleRefused says what is wrong); close() it when done.

    ``files_later`` (an import without a preview): return once the records are checked, with the photos still
    being staged and checked beside the import, which waits for them before it commits."""
    return open_checked(path, staging_root(ctx.registry), cancel, progress, files_later)


def open_checked(path: str | Path, staging: Path, cancel: Callable[[], bool] | None = None,
                 progress=None, files_later: bool = False) -> Bundle:
    """:func:`open_for_import` into a given staging folder (a restore opens before its registry exists)."""
    bundle = open_bundle(path, staging, cancel=cancel, progress=progress, files_later=files_later)
    newest = Stamp.parse(bundle.max_stamp())
    if newest.wall_ms > time.time() * 1000 + MAX_FUTURE_MS:
        bundle.close()
        raise BundleRefused(E_FUTURE, where=Where(file=Path(path).name),
                            when=time.strftime("%Y-%m-%d", time.gmtime(newest.wall_ms / 1000)))
    return bundle


def trust_of(ctx: Context, bundle: Bundle) -> str:
    sender = bundle.sender
    registry = ctx.registry
    if sender["device"] == registry.device:
        return "self" if sender["public_key"] == DeviceKey.for_registry(registry).public_key else "key_mismatch"
    status, key = peers.trust_of(registry.read(), sender["device"])
    if status == peers.ENROLLED and key != sender["public_key"]:
        return "key_mismatch"
    return status


def _warnings(ctx: Context, bundle: Bundle) -> list[str]:
    out = []
    recipient = bundle.manifest.get("recipient")
    if recipient and recipient["device"] != ctx.registry.device:
        out.append(_(W_RECIPIENT).format(device=recipient.get("name") or recipient["device"]))
    since = bundle.manifest.get("since")
    if since:
        peer = peers.peer(ctx.registry.read(), bundle.sender["device"])
        if peer is None or (peer["received_watermark"] or "") < since:
            out.append(_(W_GAP))
    return out


def preview(ctx: Context, bundle: Bundle) -> Plan:
    """The dry run: what importing would do (nothing is written)."""
    conn = ctx.registry.read()
    conn.execute("BEGIN")
    try:
        plan = make_plan(conn, bundle, ctx.registry.county, PhotoStore.for_registry(ctx.registry.path),
                         trust_of(ctx, bundle), peers.imported_before(conn, bundle.bundle_id))
    finally:
        conn.execute("COMMIT")
    plan.warnings = _warnings(ctx, bundle)
    return plan


def refuse_untrusted(trust: str, bundle: Bundle) -> None:
    sender = bundle.sender
    template = {"unknown": E_UNKNOWN, "revoked": E_REVOKED}.get(trust, E_KEY)
    raise BundleRefused(template, where=Where(file=bundle.path.name), device=sender["device"], name=sender["name"])


def apply(ctx: Context, bundle: Bundle, trust_once: bool = False, reason: str | None = None) -> Plan:
    """Import a checked bundle in one transaction and return what was done."""
    from nibi_desk.inspection.users import INSPECTOR, OFFICE

    registry = ctx.registry
    trust = trust_of(ctx, bundle)
    if trust not in ("enrolled", "self"):
        if not trust_once:
            refuse_untrusted(trust, bundle)
        peers.allowed(ctx, OFFICE, action=N_("trust a bundle from an unknown device"))
    else:
        peers.allowed(ctx, INSPECTOR, OFFICE, action=N_("exchange bundles"))
    conn = registry.read()
    already = peers.imported_before(conn, bundle.bundle_id)
    warnings = _warnings(ctx, bundle)
    if not already:  # a bundle seen before changes nothing, so it needs no backup
        from nibi_desk.storage import backup

        backup.before_import(registry, "bundle")
    registry.clock.observe(bundle.max_stamp())
    store = PhotoStore.for_registry(registry.path)

    def write(txn: WriteTxn) -> Plan:
        txn.execute("PRAGMA defer_foreign_keys = ON")  # tasks ⇄ inspections refer to each other
        plan = make_plan(txn.conn, bundle, registry.county, store, trust, already)
        if already and plan.changes == 0:
            raise _NothingToDo(plan)  # imported before and nothing left to do: roll back, write nothing at all
        _write_ops(txn, plan.ops, registry.device, bundle.bundle_id)
        for d in plan.divisions:
            txn.execute("INSERT OR IGNORE INTO divisions (code, level, name, parent, county, township_type) "
                        "VALUES (?,?,?,?,?,?)", (d["code"], d["level"], d["name"], d["parent"], d["county"],
                                                  d["township_type"]))
        for d in plan.devices:
            txn.execute(f"INSERT OR IGNORE INTO devices ({', '.join(d)}) VALUES ({','.join('?' * len(d))})",
                        tuple(d.values()))
        sender = bundle.sender
        peers.record_exchange(
            txn, bundle_id=bundle.bundle_id, direction="import", kind=bundle.kind, peer_device=sender["device"],
            peer_name=sender["name"], file_name=bundle.path.name, since=bundle.manifest.get("since"),
            watermark=bundle.manifest["watermark"], status="applied", counts=plan.totals(),
            details={"trust": trust, "reason": reason, "refused": [i.to_dict() for i in plan.refused][:200]}
            if trust_once or plan.refused else None, trusted_once=trust_once and trust not in ("enrolled", "self"))
        if sender["device"] != registry.device:
            acks = bundle.manifest.get("acks")
            peers.touch_peer(txn, sender["device"], sender["name"], sender["county"],
                             received=bundle.manifest["watermark"],
                             ack=None if acks is None else acks.get(registry.device, ""))
        bundle.wait_files()  # files still being staged (files_later): a bad one rolls all of this back
        return plan

    try:
        with gc_paused():
            plan = peers.run(ctx, write)
    except _NothingToDo as nothing:
        nothing.plan.warnings = warnings
        return nothing.plan
    plan.warnings = warnings
    folders = set()
    for sha, staged in plan.photos_to_adopt.items():  # only now that the rows are committed
        if Path(staged).exists():
            store.adopt(sha, staged, sync_folder=False)
            folders.add(store.folder_of(sha))
    for folder in folders:  # one fsync per folder makes the renames durable
        store.sync_folder(folder)
    for staged in bundle.basemaps:
        _adopt_basemap(registry, staged)
    return plan


def _write_ops(txn: WriteTxn, ops: list[Op], device: str, bundle_id: str) -> None:
    fields_of: dict[str, list[str]] = {}
    getters: dict[str, Callable] = {}
    new_rows: dict[str, list[tuple]] = {}
    meta_rows: list[tuple] = []
    for op in ops:
        state = op.result.state
        if op.insert:
            if op.table not in getters:
                fields_of[op.table] = list(state.values)
                getters[op.table] = itemgetter(*fields_of[op.table]) if len(state.values) > 1 else \
                    (lambda values, f=fields_of[op.table][0]: (values[f],))
            stamps = state.stamps
            # field_hlc as WriteTxn.apply_remote writes it (the same text whichever path writes a row)
            new_rows.setdefault(op.table, []).append(
                (op.id, *getters[op.table](state.values), state.created,
                 json.dumps(dict(sorted(stamps.items()))) if stamps else "{}",
                 max(state.created, *stamps.values()) if stamps else state.created))
        else:
            txn.apply_remote(op.table, op.id, {k: after for k, (_b, after) in op.result.changed.items()},
                             state.created, state.stamps, insert=False)
        if state.vv or state.siblings or not op.insert:
            meta_rows.append((op.table, op.id, json.dumps(state.vv, sort_keys=True),
                              json.dumps({k: [v.to_json() for v in vs] for k, vs in state.siblings.items()},
                                         ensure_ascii=False, sort_keys=True)))
    for table in fmt.TABLES:
        if table in new_rows:
            txn.apply_remote_new(table, fields_of[table], new_rows[table])
    txn.conn.executemany("INSERT OR REPLACE INTO sync_versions (tbl, row_id, vv, siblings) VALUES (?,?,?,?)",
                         [m for m in meta_rows if m[2] != "{}" or m[3] != "{}"])
    txn.conn.executemany("DELETE FROM sync_versions WHERE tbl = ? AND row_id = ?",
                         [(m[0], m[1]) for m in meta_rows if m[2] == "{}" and m[3] == "{}"])
    for op in ops:
        for name in op.result.opened:
            _open_conflict(txn, op, name, device, bundle_id)
        for name in op.result.closed:
            _close_conflict(txn, op.table, op.id, name, {"choice": "elsewhere",
                                                         "value": op.result.state.values[name]}, "superseded")


def _base_value(txn: WriteTxn, table: str, row_id: str, name: str, stamp: str | None):
    """Best effort: the value before the first local change of the field after the common version."""
    if stamp is None:
        return None, None
    for (changes,) in txn.execute("SELECT changes FROM audit WHERE row_id = ? AND tbl = ? AND hlc > ? "
                                  "AND changes IS NOT NULL ORDER BY hlc", (row_id, table, stamp)):
        found = json.loads(changes).get(name)
        if found is not None:
            return found[0], stamp
    return None, stamp


def _open_conflict(txn: WriteTxn, op: Op, name: str, device: str, bundle_id: str) -> None:
    candidates = op.result.state.siblings[name]
    mine, theirs = sides(candidates, device)
    base, stamp = _base_value(txn, op.table, op.id, name, base_stamp(candidates))
    values = {"base": canonical(base) if base is not None else None, "mine": canonical(mine.value),
              "mine_stamp": mine.stamp, "theirs": canonical(theirs.value), "theirs_stamp": theirs.stamp,
              "candidates": json.dumps([c.to_json() for c in candidates], ensure_ascii=False),
              "bundle_id": bundle_id}
    row = txn.execute("SELECT id FROM conflicts WHERE tbl = ? AND row_id = ? AND field = ? AND status = 'open'",
                      (op.table, op.id, name)).fetchone()
    if row:
        txn.execute(f"UPDATE conflicts SET {', '.join(f'{k} = ?' for k in values)} WHERE id = ?",
                    (*values.values(), row[0]))
        return
    from nibi_desk.ids import uuid7

    conflict_id = uuid7()
    txn.execute("INSERT INTO conflicts (id, tbl, row_id, field, status, opened_at, opened_hlc, "
                f"{', '.join(values)}) VALUES (?,?,?,?,'open',?,?{',?' * len(values)})",
                (conflict_id, op.table, op.id, name, peers.now(), txn.stamp, *values.values()))
    txn.audit_local("conflicts", conflict_id, "insert", {"field": [None, f"{op.table}.{name}"],
                                                         "mine": [None, mine.value], "theirs": [None, theirs.value]})


def _close_conflict(txn: WriteTxn, table: str, row_id: str, name: str, resolution: dict, status: str) -> None:
    for (conflict_id,) in txn.execute("SELECT id FROM conflicts WHERE tbl = ? AND row_id = ? AND field = ? "
                                      "AND status = 'open'", (table, row_id, name)).fetchall():
        txn.close_conflict(conflict_id, status, resolution)


def _adopt_basemap(registry, staged: Path) -> None:
    from nibi_desk.maps import basemaps
    from nibi_desk.maps.mbtiles import MBTilesError

    target = registry.path.resolve().parent / staged.name
    if not target.exists():
        staged.replace(target)
    try:
        basemaps.add(registry, target, make_active=basemaps.active(registry.read()) is None)
    except MBTilesError:
        pass  # a broken basemap does not undo the import; the map reports it when opened


def import_bundle(ctx: Context, path: str | Path, dry_run: bool = False, trust_once: bool = False,
                  reason: str | None = None) -> Plan:
    """Check, then preview (``dry_run``) or import a bundle file."""
    with open_for_import(ctx, path, files_later=not dry_run) as bundle:
        if dry_run:
            return preview(ctx, bundle)
        return apply(ctx, bundle, trust_once, reason)
