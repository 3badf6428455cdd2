"""Saving from the asset editor: which fields an edit changed, and the worker-thread write (add or edit, mount)."""

from __future__ import annotations

from typing import Any

from nibi_desk.commands import assets as commands
from nibi_desk.errors import NibiError

TEXT_FIELDS = ("name", "code", "address", "owner", "operator", "notes", "status", "division", "alt")


def changed_fields(a: dict, out: dict, values: dict[str, Any], attribute_keys) -> dict[str, Any]:
    """The form ``values`` of the fields whose checked value (``out``) differs from the record ``a``; ``attrs`` holds
    only the changed attributes among ``attribute_keys`` (None clears one)."""
    changed = {key: values[key] for key in TEXT_FIELDS if out.get(key) != a.get(key)}
    if out.get("lon") != a["lon"] or out.get("lat") != a["lat"]:
        changed["lon"], changed["lat"] = values["lon"], values["lat"]
    new, old = out.get("attrs", {}), a["attrs"] or {}
    attrs = {k: new.get(k) for k in attribute_keys if new.get(k) != old.get(k)}  # None clears an attribute
    if attrs:
        changed["attrs"] = attrs
    return changed


def write_asset(ctx, asset_id: str | None, values: dict, crs: str, mount_to: str | None) -> dict:
    """Worker-thread part of Save: add or edit through the commands, then mount on the chosen pole."""
    if asset_id is None:
        result = commands.add_asset(ctx, values, crs=crs)
        asset_id = result["id"]
    else:
        result = commands.edit_asset(ctx, asset_id, values, crs=crs) if values else {"findings": []}
    mount_error = None
    if mount_to:
        try:
            commands.mount(ctx, mount_to, asset_id)
        except NibiError as e:  # the asset itself is saved: report the mount, do not lose the record
            mount_error = e
    return {"id": asset_id, "findings": result.get("findings", []), "mount_error": mount_error}
