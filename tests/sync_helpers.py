"""Helpers for the bundle tests: registries that know each other, assets, snapshots, and re-signed hostile zips."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from nibi_desk.commands.assets import add_asset
from nibi_desk.context import Context
from nibi_desk.storage.registry import Registry
from nibi_desk.sync import keys, peers

COUNTY = "420682"
TOWNSHIP = "420682001000"
# Tables whose content must be equal between "before" and "after" snapshots (everything but derived indexes).
SNAPSHOT_TABLES = ("assets", "mounts", "users", "templates", "plans", "tasks", "inspections", "photos", "evidence",
                   "defects", "audit", "conflicts", "sync_versions", "devices", "peers", "exchanges", "divisions",
                   "registry_meta")


def make(tmp: Path, name: str, county: str = COUNTY, actor: str | None = None) -> tuple[Registry, Context]:
    registry = Registry.create(tmp / f"{name}.nibi", county, actor=actor or name)
    return registry, Context(registry)


def introduce(*contexts: Context) -> None:
    """Every registry enrolls every other's device key."""
    for a in contexts:
        for b in contexts:
            if a is not b:
                peers.enroll(a, keys.card_for(b.registry))


def poles(ctx: Context, n: int, division: str = TOWNSHIP, prefix: str = "灯杆") -> list[str]:
    return [add_asset(ctx, {"type": "smart_pole", "name": f"{prefix}{i:03d}", "lon": 111.6 + i % 500 * 0.0005, "lat": 32.4,
                            "division": division})["id"] for i in range(n)]


def bulk_poles(registry: Registry, n: int, prefix: str = "杆", division: str = TOWNSHIP) -> int:
    """Many assets in one bulk transaction (as a ledger import makes them)."""
    rows = [("smart_pole", f"{prefix}{i:05d}", division, 111.5 + (i % 300) * 0.001, 32.3 + (i // 300) * 0.001,
             "in_service", "{}") for i in range(n)]
    return registry.writer.run(lambda txn: txn.bulk_insert(
        "assets", ["type", "name", "division", "lon", "lat", "status", "attrs"], rows))


def snapshot(path: Path, tables=SNAPSHOT_TABLES) -> dict:
    """The registry's content, table by table (rows sorted), read from the file itself."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        out = {}
        for table in tables:
            cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})") if r[1] != "seq"]
            out[table] = sorted(conn.execute(f"SELECT {', '.join(cols)} FROM {table}").fetchall(), key=repr)
        return out
    finally:
        conn.close()


def data_view(path: Path) -> dict:
    """What two orders of import must agree on: records with their versions, and open conflicts' candidates."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        out = {}
        for table in ("assets", "mounts", "templates", "plans", "tasks", "inspections", "photos", "evidence",
                      "defects", "sync_versions"):
            cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})") if r[1] not in ("seq", "hlc")]
            out[table] = sorted(conn.execute(f"SELECT {', '.join(cols)} FROM {table}").fetchall(), key=repr)
        out["open"] = sorted(conn.execute("SELECT tbl, row_id, field, candidates, mine, theirs FROM conflicts "
                                          "WHERE status = 'open'").fetchall())
        return out
    finally:
        conn.close()


def rewrite(source: Path, target: Path, *, files: dict[str, bytes | None] | None = None,
            manifest_edit=None, sign_with: keys.DeviceKey | None = None, extra: list[tuple] = (),
            fix_manifest: bool = True) -> Path:
    """Copy a bundle changing entries (None removes one), editing the manifest, and re-signing it so that only the
    intended defect remains. ``extra`` adds raw (ZipInfo or name, bytes) entries as they are."""
    files = files or {}
    with zipfile.ZipFile(source) as zf:
        entries = {i.filename: zf.read(i) for i in zf.infolist()}
    manifest = json.loads(entries["manifest.json"])
    for name, data in files.items():
        if data is None:
            entries.pop(name, None)
        else:
            entries[name] = data
        if fix_manifest and name not in ("manifest.json", "manifest.sig"):
            manifest["files"] = [f for f in manifest["files"] if f["path"] != name]
            if data is not None:
                manifest["files"].append({"path": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)})
    if manifest_edit:
        manifest_edit(manifest)
    if "manifest.json" not in files:
        entries["manifest.json"] = json.dumps(manifest, ensure_ascii=False).encode("utf-8")
        if sign_with is not None:
            entries["manifest.sig"] = sign_with.sign(entries["manifest.json"]).hex().encode()
    with zipfile.ZipFile(target, "w") as out:
        for name, data in entries.items():
            out.writestr(name, data)
        for info, data in extra:
            out.writestr(info, data)
    return target


def jsonl(records: list[dict]) -> bytes:
    return ("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n").encode("utf-8")


def records_of(bundle: Path, table: str) -> list[dict]:
    with zipfile.ZipFile(bundle) as zf:
        return [json.loads(line) for line in zf.read(f"records/{table}.jsonl").split(b"\n") if line.strip()]


def hold_staging(monkeypatch) -> threading.Event:
    """Hold every bundle file back from staging until the returned event is set (at most 30 s)."""
    from nibi_desk.sync import staging

    gate, real = threading.Event(), staging.extract

    def held(*args):
        assert gate.wait(30)
        return real(*args)

    monkeypatch.setattr(staging, "extract", held)
    return gate


@dataclass
class Laptop:  # what tests.inspection_fixtures.photo needs
    registry: Registry
    tmp: Path


def field_laptop(office: Context, folder: Path) -> tuple[Registry, Context]:
    """张巡检's laptop: its own registry in ``folder``, set up by a local office account (signed in: the returned
    context) and enrolled both ways with the office."""
    from nibi_desk.inspection import users
    from tests.inspection_fixtures import PASSWORD

    laptop = Registry.create(folder / "zhang.nibi", "420682", actor="setup")
    setup = Context(laptop)
    users.add_user(setup, "setup", "装机员", "office", PASSWORD)
    users.sign_in(setup, "setup", PASSWORD)
    peers.enroll(office, keys.card_for(laptop, "张巡检的笔记本", "inspector"))
    peers.enroll(setup, keys.card_for(office.registry, "县新基建办", "office"))
    return laptop, setup



@contextmanager
def rollup_pair(tmp: Path, n_poles: int, extra: Callable[[Context], object] | None = None) -> Iterator[tuple]:
    """An office and a field registry that know each other, and a good rollup of the office's ``n_poles`` poles
    (plus what ``extra(office_ctx)`` adds), in English: ``(tmp, office_ctx, field_ctx, bundle path, office key)``."""
    from nibi_desk import i18n
    from nibi_desk.sync import export

    i18n.set_language("en")
    office, octx = make(tmp, "office")
    field, fctx = make(tmp, "field")
    try:
        introduce(octx, fctx)
        poles(octx, n_poles)
        if extra is not None:
            extra(octx)
        good = export.export_bundle(octx, tmp / "good.nibx", "rollup").path
        yield tmp, octx, fctx, good, keys.DeviceKey.for_registry(office)
    finally:
        office.close()
        field.close()
