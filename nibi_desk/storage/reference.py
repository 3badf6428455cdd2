"""Reference data shipped in db/: asset types (with attribute schemas), bundled county divisions, default checklist
templates."""

from __future__ import annotations

import json
import sqlite3
from functools import lru_cache

from nibi_desk import paths


@lru_cache(maxsize=1)
def asset_types_document() -> dict:
    with open(paths.db_dir() / "reference" / "asset_types.json", encoding="utf-8") as f:
        return json.load(f)


def load_asset_types(conn: sqlite3.Connection) -> None:
    """Insert or refresh the shipped asset types (types added by an office stay as they are)."""
    for t in asset_types_document()["types"]:
        schema = {k: t[k] for k in ("code_rule", "attributes")}
        conn.execute(
            "INSERT INTO asset_types (code, name_zh, name_en, schema, sort) VALUES (?,?,?,?,?) "
            "ON CONFLICT(code) DO UPDATE SET name_zh=excluded.name_zh, name_en=excluded.name_en, "
            "schema=excluded.schema, sort=excluded.sort",
            (t["code"], t["name"]["zh_CN"], t["name"]["en"], json.dumps(schema, ensure_ascii=False), t["sort"]),
        )


def load_templates(conn: sqlite3.Connection) -> int:
    """Insert the shipped checklist templates of db/templates that the registry lacks (after the asset types)."""
    from nibi_desk.inspection.templates import install_shipped  # validates the files with their JSON Schema

    return install_shipped(conn)


def bundled_counties() -> dict[str, dict]:
    """Counties whose divisions ship with the program: {county code: document}."""
    folder = paths.db_dir() / "reference" / "divisions"
    result = {}
    for path in sorted(folder.glob("*.json")):
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        result[doc["county"]] = doc
    return result


def load_bundled_divisions(conn: sqlite3.Connection, county: str) -> bool:
    doc = bundled_counties().get(county)
    if doc is None:
        return False
    conn.executemany(
        "INSERT OR REPLACE INTO divisions (code, level, name, parent, county, township_type) VALUES (?,?,?,?,?,?)",
        [(d["code"], d["level"], d["name"], d.get("parent"), county, d.get("township_type"))
         for d in doc["divisions"]],
    )
    if "extent" in doc:
        conn.execute("INSERT OR REPLACE INTO registry_meta (key, value) VALUES ('extent', ?)",
                     (json.dumps(doc["extent"]),))
    return True


def read_extent(conn: sqlite3.Connection):
    """The county's bounding box kept in the registry (None for a county without one)."""
    from nibi_desk.domain.assets import Extent

    row = conn.execute("SELECT value FROM registry_meta WHERE key = 'extent'").fetchone()
    if row is None:
        return None
    e = json.loads(row[0])
    return Extent(e["west"], e["south"], e["east"], e["north"])
