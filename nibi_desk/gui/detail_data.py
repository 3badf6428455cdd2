"""The asset detail dock's data: what one load reads about an asset and its context, on a worker thread."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from nibi_desk.domain import asset_types
from nibi_desk.domain.asset_types import AssetType
from nibi_desk.storage import assets, divisions


@dataclass
class DetailData:
    """Everything one asset's panel shows, read in one go on a worker thread (no Qt objects)."""

    asset: dict
    asset_type: AssetType | None
    county: str
    division_path: list[str]
    mounts: dict[str, list[dict]]
    audit: list[dict]                       # newest first
    division_names: dict[str, str] = field(default_factory=dict)
    type_titles: dict[str, str] = field(default_factory=dict)
    history: dict | None = None             # inspections and open defects (gui.inspection.history.load_history)

    def linked_ids(self) -> set[str]:
        return {m["id"] for group in self.mounts.values() for m in group}


def load_detail(registry, asset_id: str) -> DetailData:
    """Read an asset and its context with this thread's read connection."""
    conn = registry.read()
    asset = assets.get(conn, asset_id)
    types = asset_types.load(conn)
    chain = divisions.ancestors(conn, asset["division"]) if asset["division"] else []
    audit = list(reversed(assets.audit_of(conn, asset_id)))
    codes = {asset["division"]} if asset["division"] else set()
    for entry in audit:  # divisions named in the history are shown by name too
        changes = json.loads(entry["changes"]) if entry["changes"] else {}
        codes.update(code for code in changes.get("division") or () if code)
    names = {}
    for code in codes:
        row = divisions.get(conn, code)
        if row:
            names[code] = row["name"]
    from nibi_desk.gui.inspection.history import load_history

    return DetailData(asset, types.get(asset["type"]), registry.county, [d["name"] for d in reversed(chain)],
                      assets.mounts_of(conn, asset_id), audit, names, {k: t.title() for k, t in types.items()},
                      load_history(conn, asset_id))
