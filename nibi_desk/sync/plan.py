"""The dry run of an import: what each record of a checked bundle would do here (new, updated, unchanged, conflict,
refused and why), computed with the pure merge against the registry's rows. The same plan, recomputed inside the
writer's transaction, is what :mod:`nibi_desk.sync.apply` writes, so the preview and the import agree.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from nibi_desk.i18n import N_, _
from nibi_desk.sync import format as fmt
from nibi_desk.sync.merge import MergeResult, RowState, Version, merge_row
from nibi_desk.sync.reader import Bundle

OUTCOMES = ("new", "updated", "unchanged", "conflict", "refused")
R_COUNTY = N_("outside this registry's county ({scope})")
R_SCOPE = N_("outside the scope of the dispatched plan or township")
R_MISSING = N_("refers to {table} {id}, which is neither here nor in the bundle")
R_REFUSED_PARENT = N_("refers to {table} {id}, which was refused")
R_IMMUTABLE = N_("differs from the copy here, which cannot change (submitted inspection or photo)")
R_CREATED = N_("has the same id as a record here but a different creation")
R_UNIQUE = N_("another record here already has the same {fields}")
R_PHOTO = N_("the photo file is neither in the bundle nor in the photo store")
R_FIELDS = N_("lacks fields this registry needs: {fields}")

LABEL_FIELDS = {"assets": ("name", "code"), "users": ("login",), "plans": ("name",), "templates": ("name",),
                "tasks": ("period",), "inspections": ("inspector_name", "submitted_at"),
                "defects": ("category", "description"), "photos": ("original_name", "sha256"),
                "evidence": ("phase", "item"), "mounts": ("position",)}


@dataclass
class Item:
    table: str
    id: str
    outcome: str
    label: str = ""
    fields: list[str] = field(default_factory=list)
    reason: tuple[str, dict] | None = None

    def reason_text(self) -> str:
        return _(self.reason[0]).format(**self.reason[1]) if self.reason else ""

    def to_dict(self) -> dict:
        return {"table": self.table, "id": self.id, "outcome": self.outcome, "label": self.label,
                "fields": self.fields, "reason": self.reason_text() or None}


@dataclass
class Op:
    """What to write for one record (apply)."""

    table: str
    id: str
    result: MergeResult
    insert: bool


@dataclass
class Plan:
    bundle_id: str
    kind: str
    sender: dict
    items: list[Item] = field(default_factory=list)
    ops: list[Op] = field(default_factory=list)
    photos_to_adopt: dict[str, Any] = field(default_factory=dict)  # sha -> staged path
    divisions: list[dict] = field(default_factory=list)
    devices: list[dict] = field(default_factory=list)
    trust: str = "unknown"           # enrolled / unknown / revoked / key_mismatch / self
    already: dict | None = None      # the earlier import of this same bundle
    warnings: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, dict[str, int]]:
        out: dict[str, Counter] = {}
        for item in self.items:
            out.setdefault(item.table, Counter())[item.outcome] += 1
        return {t: {o: c[o] for o in OUTCOMES if c[o]} for t, c in out.items()}

    def totals(self) -> dict[str, int]:
        c = Counter(item.outcome for item in self.items)
        return {o: c[o] for o in OUTCOMES}

    @property
    def conflicts(self) -> list[Item]:
        return [i for i in self.items if i.outcome == "conflict"]

    @property
    def refused(self) -> list[Item]:
        return [i for i in self.items if i.outcome == "refused"]

    @property
    def changes(self) -> int:
        return sum(1 for op in self.ops if op.insert or op.result.changed or op.result.versions_changed) + \
            len(self.photos_to_adopt) + len(self.divisions) + len(self.devices)

    def to_dict(self, details: bool = True) -> dict:
        out = {"bundle_id": self.bundle_id, "kind": self.kind, "sender": self.sender, "trust": self.trust,
               "already_imported": self.already["at"] if self.already else None, "totals": self.totals(),
               "counts": self.counts(), "photos": len(self.photos_to_adopt), "warnings": self.warnings}
        if details:
            out["conflicts"] = [i.to_dict() for i in self.conflicts]
            out["refused"] = [i.to_dict() for i in self.refused]
            out["updated"] = [i.to_dict() for i in self.items if i.outcome == "updated"][:1000]
        return out


def scope_prefix(code: str) -> str:
    """Division-code prefix of a registry's area: a county (6 digits), a city (xxxx00), a province (xx0000)."""
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


def local_state(row: sqlite3.Row, fields: list[str], vv: str | None, siblings: str | None,
                local_only: frozenset = frozenset()) -> RowState:
    stamps = {k: v for k, v in json.loads(row["field_hlc"] or "{}").items() if k not in local_only}
    sib = {k: sorted((Version.from_json(v) for v in vs), key=lambda v: (v.stamp, v.vv))
           for k, vs in json.loads(siblings or "{}").items()}
    return RowState({f: row[f] for f in fields}, row["created_hlc"], stamps, json.loads(vv or "{}"), sib)


def _label(table: str, values: dict) -> str:
    parts = [str(values[k]) for k in LABEL_FIELDS.get(table, ()) if values.get(k) not in (None, "")]
    return " · ".join(parts)[:120]


def _chunks(items: list, n: int = 500):
    for i in range(0, len(items), n):
        yield items[i:i + n]


def load_local(conn: sqlite3.Connection, table: str, ids: list[str], fields: list[str]) -> dict[str, RowState]:
    out = {}
    local_only = fmt.LOCAL_ONLY.get(table, frozenset())
    for chunk in _chunks(ids):
        for row in conn.execute(
                f"SELECT t.*, s.vv AS _vv, s.siblings AS _sib FROM {table} t LEFT JOIN sync_versions s "
                f"ON s.tbl = ? AND s.row_id = t.id WHERE t.id IN ({','.join('?' * len(chunk))})", (table, *chunk)):
            out[row["id"]] = local_state(row, fields, row["_vv"], row["_sib"], local_only)
    return out


def existing(conn: sqlite3.Connection, table: str, ids: set[str]) -> set[str]:
    key = "code" if table in ("divisions", "asset_types") else "id"
    found: set[str] = set()
    for chunk in _chunks(sorted(ids)):
        found.update(r[0] for r in conn.execute(
            f"SELECT {key} FROM {table} WHERE {key} IN ({','.join('?' * len(chunk))})", chunk))
    return found


R_DRAFT = N_("a draft inspection; drafts travel only in backups")


def _dispatch_assets(bundle: Bundle) -> set[str] | None:
    """Assets a dispatch bundle may carry: its plans' tasks and selections, or its township (None: no limit)."""
    scope = bundle.manifest.get("scope") or {}
    plans, township = set(scope.get("plans") or ()), scope.get("township")
    if bundle.kind != "dispatch":
        return None
    assets = bundle.records.get("assets", [])
    chosen: set[str] = set()
    if township:
        prefix = township[:9]
        chosen |= {a["id"] for a in assets if (a["values"].get("division") or "").startswith(prefix)}
    for task in bundle.records.get("tasks", []):
        if task["values"]["plan"] in plans:
            chosen.add(task["values"]["asset"])
    for plan in bundle.records.get("plans", []):
        if plan["id"] not in plans:
            continue
        try:
            selection = json.loads(plan["values"]["selection"])
        except ValueError:
            continue
        chosen |= set(selection.get("ids") or ())
        types, town = selection.get("types"), selection.get("township")
        if types or town:
            for a in assets:
                v = a["values"]
                if (not types or v["type"] in types) and (not town or (v.get("division") or "").startswith(town[:9])):
                    chosen.add(a["id"])
    return chosen


def make_plan(conn: sqlite3.Connection, bundle: Bundle, county: str, store, trust: str,
              already: dict | None) -> Plan:
    """Everything the import would do, without writing."""
    plan = Plan(bundle.bundle_id, bundle.kind, dict(bundle.sender), trust=trust, already=already)
    prefix = scope_prefix(county)
    sender_in = bundle.sender["county"].startswith(prefix)
    refused: dict[tuple[str, str], tuple[str, dict]] = {}
    # reference rows -----------------------------------------------------------------------------------------------
    local_divisions = {r[0] for r in conn.execute("SELECT code FROM divisions")}
    bundle_divisions = set()
    for d in bundle.records.get("divisions", []):
        if not d["code"].startswith(prefix):
            plan.items.append(Item("divisions", d["code"], "refused", d["name"], reason=(R_COUNTY, {"scope": county})))
        elif d["code"] not in local_divisions:
            bundle_divisions.add(d["code"])
            plan.divisions.append(d)
            plan.items.append(Item("divisions", d["code"], "new", d["name"]))
    have_devices = {r[0] for r in conn.execute("SELECT id FROM devices")}
    plan.devices = [d for d in bundle.records.get("devices", []) if d["id"] not in have_devices]
    # versioned records: scope first -------------------------------------------------------------------------------
    dispatch = _dispatch_assets(bundle)
    scope_plans = set((bundle.manifest.get("scope") or {}).get("plans") or ())
    tables = [t for t in fmt.TABLES if t in bundle.records]
    fields = {t: [f for f in fmt.exported_fields(conn, t)] for t in tables}
    asset_scope: dict[str, tuple[str, dict] | None] = {}
    for a in bundle.records.get("assets", []):
        division = a["values"].get("division")
        if not (division.startswith(prefix) if division else sender_in):
            asset_scope[a["id"]] = (R_COUNTY, {"scope": county})
        elif dispatch is not None and a["id"] not in dispatch:
            asset_scope[a["id"]] = (R_SCOPE, {})
        else:
            asset_scope[a["id"]] = None
    for table in tables:
        need = set(fields[table])
        # the record schema requires all of its fields: only columns it does not know can be missing
        check_need = not need <= set(fmt.schema(table)["properties"]["values"]["required"])
        asset_field = fmt.ASSET_OF.get(table)
        for r in bundle.records[table]:
            key, values = (table, r["id"]), r["values"]
            asset = (r["id"] if asset_field == "id" else values.get(asset_field)) if asset_field else None
            lacking = check_need and need - set(values)
            if lacking:
                refused[key] = (R_FIELDS, {"fields": ", ".join(sorted(lacking))})
            elif asset_field and asset_scope.get(asset):
                refused[key] = asset_scope[asset]
            elif asset_field and dispatch is not None and asset not in dispatch:
                refused[key] = (R_SCOPE, {})
            elif table in ("users", "plans") and not sender_in:
                refused[key] = (R_COUNTY, {"scope": county})
            elif table == "plans" and bundle.kind == "dispatch" and scope_plans and r["id"] not in scope_plans:
                refused[key] = (R_SCOPE, {})
            elif table == "tasks" and bundle.kind == "dispatch" and scope_plans and values["plan"] not in scope_plans:
                refused[key] = (R_SCOPE, {})
            elif table == "inspections" and values["status"] != "submitted" and bundle.kind != "backup":
                refused[key] = (R_DRAFT, {})
    # merge ---------------------------------------------------------------------------------------------------------
    results: dict[tuple[str, str], tuple[MergeResult, bool]] = {}
    for table in tables:
        records = {r["id"]: r for r in bundle.records[table] if (table, r["id"]) not in refused}
        locals_ = load_local(conn, table, list(records), fields[table])
        _unique_clashes(conn, table, records, locals_, refused)
        for row_id, record in records.items():
            if (table, row_id) in refused:
                continue
            remote = fmt.to_state(record)
            remote.values = {f: remote.values[f] for f in fields[table]}
            local = locals_.get(row_id)
            if table == "photos" and local is None and record["values"]["sha256"] not in bundle.photos \
                    and not store.has(record["values"]["sha256"]):
                refused[(table, row_id)] = (R_PHOTO, {})
                continue
            immutable = table == "photos" or (table == "inspections" and local is not None
                                               and local.values["status"] == "submitted")
            result = merge_row(local, remote, immutable)
            if result.outcome == "refused":
                refused[(table, row_id)] = (R_CREATED if result.reason == "created" else R_IMMUTABLE, {})
                continue
            results[(table, row_id)] = (result, local is None)
    _check_references(conn, bundle, tables, refused, results, local_divisions | bundle_divisions)
    # items and writes ----------------------------------------------------------------------------------------------
    for table in tables:
        for r in bundle.records[table]:
            key = (table, r["id"])
            if key in refused:
                plan.items.append(Item(table, r["id"], "refused", _label(table, r["values"]), reason=refused[key]))
                continue
            result, insert = results[key]
            shown = result.outcome in ("updated", "conflict")  # labels only where the preview lists the record
            plan.items.append(Item(table, r["id"], result.outcome, _label(table, r["values"]) if shown else "",
                                   (sorted(result.opened) if result.opened else sorted(result.changed)) if shown
                                   else []))
            if insert or result.changed or result.versions_changed:
                plan.ops.append(Op(table, r["id"], result, insert))
            if table == "photos":
                sha = r["values"]["sha256"]
                if sha in bundle.photos and not store.has(sha):
                    plan.photos_to_adopt[sha] = bundle.photos[sha]
    return plan


def _unique_clashes(conn, table: str, records: dict, locals_: dict, refused: dict) -> None:
    columns = fmt.UNIQUE_KEYS.get(table)
    if not columns:
        return
    seen: dict[tuple, str] = {}
    for row_id, record in records.items():
        if row_id in locals_:
            continue
        key = tuple(record["values"][c] for c in columns)
        where = " AND ".join(f"{c} = ?" for c in columns)
        clash = conn.execute(f"SELECT id FROM {table} WHERE {where} AND id != ?", (*key, row_id)).fetchone()
        if clash is not None or key in seen:
            refused[(table, row_id)] = (R_UNIQUE, {"fields": ", ".join(columns)})
        seen.setdefault(key, row_id)


def _check_references(conn, bundle: Bundle, tables: list[str], refused: dict, results: dict,
                      divisions: set[str]) -> None:
    """Refuse records whose references resolve neither here nor among accepted records, until none is left."""
    in_bundle = {t: {r["id"] for r in bundle.records[t]} for t in tables}
    wanted: dict[str, set[str]] = {}
    for table in tables:
        for column, target in fmt.FOREIGN_KEYS.get(table, {}).items():
            ids = {r["values"].get(column) for r in bundle.records[table]} - {None}
            wanted.setdefault(target, set()).update(ids)
    local = {t: existing(conn, t, ids) for t, ids in wanted.items() if t != "divisions"}
    local["divisions"] = divisions
    while True:
        changed = False
        for table in tables:
            for r in bundle.records[table]:
                key = (table, r["id"])
                if key in refused:
                    continue
                for column, target in fmt.FOREIGN_KEYS.get(table, {}).items():
                    value = r["values"].get(column)
                    if value is None or value in local.get(target, ()):
                        continue
                    if target in in_bundle and value in in_bundle[target] and (target, value) not in refused:
                        continue
                    template = R_REFUSED_PARENT if value in in_bundle.get(target, ()) else R_MISSING
                    refused[key] = (template, {"table": target, "id": value})
                    results.pop(key, None)
                    changed = True
                    break
        if not changed:
            return
