"""Conflicts a person resolves: list them side by side (base / mine / theirs), choose one side or an edited value,
one at a time or for every open conflict alike (same table, field and the same two values).

A resolution is a new version of the field written through the one writer with a fresh local stamp — even when
the chosen value is the one already shown — so it dominates every candidate and closes the conflict on every
registry it reaches. Resolutions are audited (the record's change, and the conflict's status).
"""

from __future__ import annotations

import json
import sqlite3
from typing import TYPE_CHECKING, Any

from nibi_desk.errors import NotFound, TransitionRefused, ValidationError, Where
from nibi_desk.i18n import N_
from nibi_desk.storage.writer import WriteTxn
from nibi_desk.sync import format as fmt
from nibi_desk.sync import peers
from nibi_desk.sync.plan import LABEL_FIELDS

if TYPE_CHECKING:
    from nibi_desk.context import Context

CHOICES = ("mine", "theirs", "value")


def _row(r: sqlite3.Row) -> dict:
    d = dict(r)
    for key in ("base", "mine", "theirs"):
        d[key] = json.loads(d[key]) if d[key] is not None else None
    d["candidates"] = json.loads(d["candidates"])
    d["resolution"] = json.loads(d["resolution"]) if d["resolution"] else None
    return d


def list_conflicts(conn: sqlite3.Connection, status: str | None = "open", table: str | None = None) -> list[dict]:
    """Conflicts (newest first) with a label of the record they belong to."""
    sql, params = "SELECT * FROM conflicts WHERE 1", []
    if status:
        sql += " AND status = ?"
        params.append(status)
    if table:
        sql += " AND tbl = ?"
        params.append(table)
    out = []
    for r in conn.execute(sql + " ORDER BY opened_hlc DESC, id", params):
        d = _row(r)
        d["label"] = record_label(conn, d["tbl"], d["row_id"])
        out.append(d)
    return out


def get(conn: sqlite3.Connection, conflict_id: str) -> dict:
    row = conn.execute("SELECT * FROM conflicts WHERE id = ?", (conflict_id,)).fetchone()
    if row is None:
        raise NotFound("No conflict {id}", id=conflict_id)
    return _row(row)


def record_label(conn: sqlite3.Connection, table: str, row_id: str) -> str:
    columns = LABEL_FIELDS.get(table, ())
    if table not in fmt.TABLES or not columns:
        return row_id
    row = conn.execute(f"SELECT {', '.join(columns)} FROM {table} WHERE id = ?", (row_id,)).fetchone()
    if row is None:
        return row_id
    return " · ".join(str(v) for v in row if v not in (None, "")) or row_id


def alike(conn: sqlite3.Connection, conflict_id: str) -> list[str]:
    """Open conflicts like this one: same table and field, same mine and theirs values (it included)."""
    c = conn.execute("SELECT tbl, field, mine, theirs FROM conflicts WHERE id = ?", (conflict_id,)).fetchone()
    if c is None:
        raise NotFound("No conflict {id}", id=conflict_id)
    return [r[0] for r in conn.execute(
        "SELECT id FROM conflicts WHERE status = 'open' AND tbl = ? AND field = ? AND mine IS ? AND theirs IS ? "
        "ORDER BY opened_hlc, id", tuple(c))]


def _check_value(table: str, name: str, value: Any) -> None:
    import jsonschema

    rule = fmt.schema(table)["properties"]["values"]["properties"].get(name)
    if rule is None:
        raise ValidationError("Unknown field {fields}", where=Where(field=name), fields=name)
    try:
        jsonschema.validate(value, rule)
    except jsonschema.ValidationError as e:
        raise ValidationError("{value} is not a valid value for this field: {reason}", where=Where(field=name),
                              value=str(value)[:80], reason=e.message[:200]) from None


def resolve(ctx: Context, conflict_ids: list[str] | str, choice: str, value: Any = None) -> int:
    """Resolve conflicts with ``mine``, ``theirs`` or ``value`` (an edited value); returns how many."""
    from nibi_desk.inspection.users import OFFICE

    peers.allowed(ctx, OFFICE, action=N_("resolve conflicts"))
    ids = [conflict_ids] if isinstance(conflict_ids, str) else list(conflict_ids)
    if choice not in CHOICES:
        raise ValidationError("Choose mine, theirs or an edited value", where=Where(field="choice"))

    def write(txn: WriteTxn) -> int:
        done = 0
        for conflict_id in ids:
            c = get(txn.conn, conflict_id)
            if c["status"] != "open":
                raise TransitionRefused("Conflict {id} is already resolved", where=Where(record=conflict_id),
                                        id=conflict_id)
            chosen = c["mine"] if choice == "mine" else c["theirs"] if choice == "theirs" else value
            if choice == "value":
                _check_value(c["tbl"], c["field"], chosen)
            _write_resolution(txn, c, chosen)
            txn.close_conflict(conflict_id, "resolved", {"choice": choice, "value": chosen})
            done += 1
        return done

    return peers.run(ctx, write)


def _write_resolution(txn: WriteTxn, c: dict, chosen: Any) -> None:
    table, row_id, name = c["tbl"], c["row_id"], c["field"]
    row = txn.get(table, row_id)
    stamps = json.loads(row["field_hlc"] or "{}")
    stamps[name] = txn.stamp  # a fresh version, even for the value already shown: it must dominate every candidate
    txn.apply_remote(table, row_id, {name: chosen}, row["created_hlc"], stamps, insert=False)
    meta = txn.execute("SELECT vv, siblings FROM sync_versions WHERE tbl = ? AND row_id = ?",
                       (table, row_id)).fetchone()
    vv = json.loads(meta[0]) if meta else {}
    siblings = json.loads(meta[1]) if meta else {}
    known: dict[str, str] = dict(vv.get(name, {}))
    for candidate in c["candidates"]:  # the new version knows every candidate
        for device, stamp in candidate["vv"].items():
            if stamp > known.get(device, ""):
                known[device] = stamp
    vv[name] = known
    siblings.pop(name, None)
    txn.execute("INSERT OR REPLACE INTO sync_versions (tbl, row_id, vv, siblings) VALUES (?,?,?,?)",
                (table, row_id, json.dumps(vv, sort_keys=True), json.dumps(siblings, ensure_ascii=False,
                                                                            sort_keys=True)))
