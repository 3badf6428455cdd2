"""Enrolled devices, peers with their watermarks, and the exchange history (local bookkeeping, audited).

An office enrolls each inspector laptop (and the county enrolls its city, and back) from the device's card
(:mod:`nibi_desk.sync.keys`); bundles are accepted only from enrolled, unrevoked devices whose signature checks.
A peer row remembers, per device, up to which local change the last bundle sent there went (``sent_watermark``:
the next delta export starts after it) and the newest sender watermark received from it.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from nibi_desk.errors import NotFound, ValidationError, Where
from nibi_desk.i18n import N_
from nibi_desk.ids import uuid7
from nibi_desk.storage.writer import WriteTxn
from nibi_desk.sync.keys import Card

if TYPE_CHECKING:
    from nibi_desk.context import Context

ENROLLED, REVOKED, UNKNOWN = "enrolled", "revoked", "unknown"


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def allowed(ctx: Context, *roles: str, action: str):
    """The signed-in session when the registry has users (then its role must be one of ``roles``); a registry
    without users has a single operator and needs no sign-in (scripts, a fresh city registry)."""
    from nibi_desk.inspection.users import has_users, require

    if not has_users(ctx.registry.read()):
        return getattr(ctx, "user", None)
    return require(ctx, *roles, action=action)


def run(ctx: Context, fn, *args):
    """Run ``fn(txn, *args)`` on the writer as the signed-in user."""
    from nibi_desk.inspection.users import run_as

    return run_as(ctx, fn, *args)


# -- devices ---------------------------------------------------------------------------------------------------------
def list_devices(conn: sqlite3.Connection, include_revoked: bool = True) -> list[dict]:
    sql = "SELECT * FROM devices" + ("" if include_revoked else " WHERE revoked = 0")
    return [dict(r) for r in conn.execute(sql + " ORDER BY revoked, name, enrolled_at")]


def trust_of(conn: sqlite3.Connection, device: str) -> tuple[str, str | None]:
    """(enrolled / revoked / unknown, the enrolled public key)."""
    row = conn.execute("SELECT public_key FROM devices WHERE device = ? AND revoked = 0", (device,)).fetchone()
    if row:
        return ENROLLED, row[0]
    if conn.execute("SELECT 1 FROM devices WHERE device = ?", (device,)).fetchone():
        return REVOKED, None
    return UNKNOWN, None


def find_device(conn: sqlite3.Connection, key: str) -> dict:
    """An enrolled device by replica id, row id or name (the live enrollment first)."""
    row = conn.execute("SELECT * FROM devices WHERE device = ? OR id = ? OR name = ? ORDER BY revoked, enrolled_at "
                       "DESC LIMIT 1", (key, key, key)).fetchone()
    if row is None:
        raise NotFound("No enrolled device {device}", device=key)
    return dict(row)


def enroll(ctx: Context, card: Card, name: str | None = None, role: str | None = None,
           note: str | None = None) -> str:
    """Enroll a device's public key (office); enrolling the same key again returns the existing enrollment."""
    from nibi_desk.inspection.users import OFFICE

    allowed(ctx, OFFICE, action=N_("enroll devices"))
    if card.device == ctx.registry.device:
        raise ValidationError("This is the registry's own device", where=Where(record=card.device))

    def write(txn: WriteTxn) -> str:
        row = txn.execute("SELECT id, public_key FROM devices WHERE device = ? AND revoked = 0",
                          (card.device,)).fetchone()
        if row is not None:
            if row[1] == card.public_key:
                return row[0]
            raise ValidationError("Device {device} is enrolled with another key; revoke it first",
                                  where=Where(record=card.device), device=card.device)
        device_id = uuid7()
        values = {"device": card.device, "public_key": card.public_key, "name": (name or card.name or card.device),
                  "county": card.county, "role": role or card.role, "enrolled_at": now(), "enrolled_by": txn.actor,
                  "note": note}
        txn.execute(f"INSERT INTO devices (id, {', '.join(values)}) VALUES (?{',?' * len(values)})",
                    (device_id, *values.values()))
        txn.audit_local("devices", device_id, "insert", {k: [None, v] for k, v in values.items() if v is not None})
        return device_id

    return run(ctx, write)


def revoke(ctx: Context, key: str) -> int:
    """Revoke a device (office): its bundles are refused from now on. Returns how many enrollments changed."""
    from nibi_desk.inspection.users import OFFICE

    allowed(ctx, OFFICE, action=N_("revoke devices"))
    device = find_device(ctx.registry.read(), key)["device"]

    def write(txn: WriteTxn) -> int:
        rows = txn.execute("SELECT id FROM devices WHERE device = ? AND revoked = 0", (device,)).fetchall()
        for (row_id,) in rows:
            txn.execute("UPDATE devices SET revoked = 1, revoked_at = ?, revoked_by = ? WHERE id = ?",
                        (now(), txn.actor, row_id))
            txn.audit_local("devices", row_id, "update", {"revoked": [0, 1]})
        return len(rows)

    return run(ctx, write)


# -- peers and history -----------------------------------------------------------------------------------------------
def peer(conn: sqlite3.Connection, device: str) -> dict | None:
    row = conn.execute("SELECT * FROM peers WHERE device = ?", (device,)).fetchone()
    return dict(row) if row else None


def list_peers(conn: sqlite3.Connection) -> list[dict]:
    return [dict(r) for r in conn.execute("SELECT * FROM peers ORDER BY last_exchange DESC")]


def history(conn: sqlite3.Connection, device: str | None = None, limit: int = 500) -> list[dict]:
    sql, params = "SELECT * FROM exchanges", []
    if device:
        sql += " WHERE peer_device = ?"
        params.append(device)
    out = []
    for r in conn.execute(sql + " ORDER BY at DESC, id DESC LIMIT ?", (*params, limit)):
        d = dict(r)
        d["counts"] = json.loads(d["counts"] or "{}")
        d["details"] = json.loads(d["details"]) if d["details"] else None
        out.append(d)
    return out


def imported_before(conn: sqlite3.Connection, bundle_id: str) -> dict | None:
    row = conn.execute("SELECT * FROM exchanges WHERE bundle_id = ? AND direction = 'import' AND status = 'applied' "
                       "ORDER BY at LIMIT 1", (bundle_id,)).fetchone()
    return dict(row) if row else None


def acks(conn: sqlite3.Connection) -> dict[str, str]:
    """Per device, the newest sender watermark imported from it (sent in manifests, so peers can resend gaps)."""
    return {r[0]: r[1] for r in conn.execute("SELECT device, received_watermark FROM peers "
                                             "WHERE received_watermark IS NOT NULL")}


def record_exchange(txn: WriteTxn, *, bundle_id: str, direction: str, kind: str, peer_device: str | None,
                    peer_name: str | None, file_name: str | None, since: str | None, watermark: str | None,
                    status: str, counts: dict[str, Any], details: Any = None, trusted_once: bool = False) -> str:
    row_id = uuid7()
    values = {"bundle_id": bundle_id, "direction": direction, "kind": kind, "peer_device": peer_device,
              "peer_name": peer_name, "at": now(), "actor": txn.actor, "file_name": file_name, "since": since,
              "watermark": watermark, "status": status, "trusted_once": int(trusted_once),
              "counts": json.dumps(counts, ensure_ascii=False, sort_keys=True),
              "details": json.dumps(details, ensure_ascii=False) if details is not None else None}
    txn.execute(f"INSERT INTO exchanges (id, {', '.join(values)}) VALUES (?{',?' * len(values)})",
                (row_id, *values.values()))
    if trusted_once or status == "refused":
        txn.audit_local("exchanges", row_id, "insert", {k: [None, values[k]] for k in
                                                        ("bundle_id", "peer_device", "status", "trusted_once",
                                                         "details") if values[k] is not None})
    return row_id


def touch_peer(txn: WriteTxn, device: str, name: str | None, county: str | None, *, sent: str | None = None,
               received: str | None = None, ack: str | None = None) -> None:
    """Create or update a peer: ``sent`` after an export to it; ``received`` (its watermark) after an import from
    it; ``ack`` = what it says it has imported from us — a lower value than what we sent means a bundle of ours
    never arrived there, so the next delta starts from the ack again."""
    row = txn.execute("SELECT id, sent_watermark, received_watermark FROM peers WHERE device = ?",
                      (device,)).fetchone()
    if row is None:
        txn.execute("INSERT INTO peers (id, device, name, county, sent_watermark, received_watermark, last_exchange) "
                    "VALUES (?,?,?,?,?,?,?)", (uuid7(), device, name, county, sent, received, now()))
        return
    new_sent = sent if sent is not None else row[1]
    if ack is not None and new_sent is not None and ack < new_sent and sent is None:
        new_sent = ack or None  # "" = it has imported nothing of ours: the next export to it is full
    new_received = max(filter(None, (row[2], received)), default=None)
    txn.execute("UPDATE peers SET name = coalesce(?, name), county = coalesce(?, county), sent_watermark = ?, "
                "received_watermark = ?, last_exchange = ? WHERE id = ?",
                (name, county, new_sent, new_received, now(), row[0]))
