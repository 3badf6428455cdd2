"""Asset commands: add, edit, delete (tombstone), mount; validation and writing happen in one writer transaction."""

from __future__ import annotations

import json
from typing import Any

from nibi_desk.context import Context
from nibi_desk.domain import asset_types
from nibi_desk.domain.assets import check_asset
from nibi_desk.errors import NotFound, ValidationError, Where
from nibi_desk.i18n import N_
from nibi_desk.storage import divisions, reference
from nibi_desk.storage.writer import WriteTxn


def _check(txn: WriteTxn, county: str, values: dict[str, Any], crs: str, partial: bool,
           current: dict | None = None):
    types = asset_types.load(txn.conn)
    if partial and current is not None:
        if "type" in values and values["type"] != current["type"]:
            # A new type must fit the asset's code and attributes as they stand (or as changed with it).
            values = {"code": current["code"], "attrs": json.loads(current["attrs"]), **values}
        elif "type" not in values:
            values = {**values, "type": current["type"]}  # code and attributes follow the asset's own type
    checked = check_asset(values, types=types, county=county, extent=reference.read_extent(txn.conn),
                          division_check=lambda code: divisions.check_in_county(txn.conn, code, county),
                          crs=crs, partial=partial)
    if partial and current is not None and checked.values.get("type") == current["type"]:
        checked.values.pop("type", None)
    return checked


def _may_change_assets(ctx: Context) -> None:
    """Once a registry has users, only signed-in inspectors and office users change assets (supervisors read)."""
    from nibi_desk.inspection import users

    if users.has_users(ctx.registry.read()):
        users.require(ctx, "inspector", "office", action=N_("change assets"))


def _run(ctx: Context, write):
    from nibi_desk.inspection.users import run_as

    _may_change_assets(ctx)
    return run_as(ctx, write)


def _stored(values: dict[str, Any]) -> dict[str, Any]:
    out = dict(values)
    if "attrs" in out:
        out["attrs"] = json.dumps(out["attrs"], ensure_ascii=False, sort_keys=True)
    return out


def add_asset(ctx: Context, values: dict[str, Any], crs: str = "WGS84") -> dict:
    """Validate and insert one asset; returns {"id", "findings"}."""
    county = ctx.registry.county

    def write(txn: WriteTxn):
        checked = _check(txn, county, values, crs, partial=False)
        row_id = txn.insert("assets", _stored(checked.values))
        return {"id": row_id, "findings": checked.findings}

    return _run(ctx, write)


def edit_asset(ctx: Context, asset_id: str, changes: dict[str, Any], crs: str = "WGS84") -> dict:
    """Validate and apply changed fields; returns {"changed": {field: [before, after]}, "findings"}."""
    county = ctx.registry.county

    def write(txn: WriteTxn):
        current = txn.get("assets", asset_id)
        if current["deleted"]:
            raise ValidationError("Asset {id} is deleted; restore it before editing", where=Where(record=asset_id),
                                  id=asset_id)
        changes_ = dict(changes)
        if "attrs" in changes_ and isinstance(changes_["attrs"], dict):
            changes_["attrs"] = {**json.loads(current["attrs"]), **changes_["attrs"]}
        if ("lon" in changes_) != ("lat" in changes_):  # a location is one value: check both axes together
            changes_.setdefault("lon", current["lon"])
            changes_.setdefault("lat", current["lat"])
        checked = _check(txn, county, changes_, crs, partial=True, current=current)
        diff = txn.update("assets", asset_id, _stored(checked.values))
        return {"changed": diff, "findings": checked.findings}

    return _run(ctx, write)


def delete_asset(ctx: Context, asset_id: str) -> bool:
    """Tombstone an asset and the mounts that involve it."""

    def write(txn: WriteTxn):
        txn.get("assets", asset_id)
        for (mount_id,) in txn.execute("SELECT id FROM mounts WHERE (carrier = ? OR device = ?) AND deleted = 0",
                                       (asset_id, asset_id)).fetchall():
            txn.delete("mounts", mount_id)
        return txn.delete("assets", asset_id)

    return _run(ctx, write)


def mount(ctx: Context, carrier_id: str, device_id: str, position: str | None = None) -> str:
    """Record that a pole (or tower) carries a device; refuses impossible or duplicate mounts."""
    rules = _mount_rules()

    def write(txn: WriteTxn):
        carrier, device = txn.get("assets", carrier_id), txn.get("assets", device_id)
        if carrier_id == device_id:
            raise ValidationError("An asset cannot carry itself", where=Where(field="device"))
        if carrier["type"] not in rules["carriers"]:
            raise ValidationError("A {type} cannot carry other devices", where=Where(field="carrier"),
                                  type=carrier["type"])
        if device["type"] not in rules["devices"]:
            raise ValidationError("A {type} cannot be mounted on a carrier", where=Where(field="device"),
                                  type=device["type"])
        if carrier["deleted"] or device["deleted"]:
            raise NotFound("Cannot mount a deleted asset")
        if txn.execute("SELECT 1 FROM mounts WHERE carrier = ? AND device = ? AND deleted = 0",
                       (carrier_id, device_id)).fetchone():
            raise ValidationError("{device} is already mounted on {carrier}", where=Where(field="device"),
                                  device=device["name"], carrier=carrier["name"])
        return txn.insert("mounts", {"carrier": carrier_id, "device": device_id, "position": position})

    return _run(ctx, write)


def _mount_rules() -> dict:
    from nibi_desk.storage.reference import asset_types_document

    return asset_types_document()["mounts"]
