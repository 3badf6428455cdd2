"""The basemaps a registry remembers: raster MBTiles files listed in registry_meta["basemaps"] (JSON).

Each entry keeps the path and the metadata read when it was added (name, format, zooms, bounds, attribution), so the
list shows even when a file has moved; ``open_basemap`` re-opens and re-checks the file. A moved registry folder
(a USB stick on another machine) still finds a basemap kept beside the registry under the same file name.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import asdict, dataclass, field
from pathlib import Path

from nibi_desk.errors import Where
from nibi_desk.i18n import N_
from nibi_desk.maps.mbtiles import MBTiles, MBTilesError

META_KEY = "basemaps"
E_NOT_RASTER = N_("This MBTiles file holds {format} tiles; the map can show raster tiles (PNG, JPEG, WebP) only")
E_NO_TILES = N_("This MBTiles file has no tiles")
E_MISSING = N_("The basemap file is missing: {path}")


@dataclass
class Basemap:
    id: str
    path: str
    name: str
    format: str
    minzoom: int
    maxzoom: int
    bounds: list[float] | None = None      # west, south, east, north
    attribution: str | None = None
    active: bool = False
    extra: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Basemap:
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        return cls(**known)


def basemap_id(path: Path | str) -> str:
    """A stable short id for a basemap file (from its absolute path): the tile URLs' nibi://tiles/<id>/."""
    return hashlib.sha1(str(Path(path).resolve()).encode("utf-8")).hexdigest()[:12]


def describe(tiles: MBTiles, path: Path | str | None = None) -> Basemap:
    """Check that an opened MBTiles file can be a basemap and describe it; raises MBTilesError otherwise."""
    path = Path(path or tiles.path)
    if tiles.format is None or tiles.minzoom is None or tiles.maxzoom is None:
        raise MBTilesError(E_NO_TILES, where=Where(file=str(path)))
    if not tiles.is_raster:
        raise MBTilesError(E_NOT_RASTER, where=Where(file=str(path)), format=tiles.format)
    bounds = tiles.bounds
    return Basemap(id=basemap_id(path), path=str(path.resolve()), name=tiles.name, format=tiles.format,
                   minzoom=int(tiles.minzoom), maxzoom=int(tiles.maxzoom),
                   bounds=[bounds.west, bounds.south, bounds.east, bounds.north] if bounds else None,
                   attribution=tiles.attribution)


def listed(conn: sqlite3.Connection) -> list[Basemap]:
    row = conn.execute("SELECT value FROM registry_meta WHERE key = ?", (META_KEY,)).fetchone()
    if row is None:
        return []
    try:
        return [Basemap.from_json(item) for item in json.loads(row[0]) if isinstance(item, dict)]
    except (ValueError, TypeError):
        return []


def active(conn: sqlite3.Connection) -> Basemap | None:
    return next((b for b in listed(conn) if b.active), None)


def _store(txn, items: list[Basemap]) -> None:
    txn.execute("INSERT OR REPLACE INTO registry_meta (key, value) VALUES (?, ?)",
                (META_KEY, json.dumps([b.to_json() for b in items], ensure_ascii=False)))


def add(registry, path: Path | str, make_active: bool = True) -> Basemap:
    """Check an MBTiles file and remember it in the registry (again: its description is refreshed)."""
    with MBTiles(path) as tiles:
        basemap = describe(tiles, path)

    def write(txn):
        items = [b for b in listed(txn.conn) if b.id != basemap.id]
        if make_active:
            for b in items:
                b.active = False
        basemap.active = make_active
        _store(txn, items + [basemap])
        return basemap

    return registry.writer.run(write)


def remove(registry, basemap_id_: str) -> bool:
    def write(txn):
        items = listed(txn.conn)
        kept = [b for b in items if b.id != basemap_id_]
        _store(txn, kept)
        return len(kept) != len(items)

    return registry.writer.run(write)


def set_active(registry, basemap_id_: str | None) -> None:
    """Make one remembered basemap the one shown (None: the plain offline canvas)."""
    def write(txn):
        items = listed(txn.conn)
        for b in items:
            b.active = b.id == basemap_id_
        _store(txn, items)

    registry.writer.run(write)


def locate_file(basemap: Basemap, registry_path: Path | str | None = None) -> Path | None:
    """The file of a remembered basemap: where it was, else beside the registry under the same name."""
    path = Path(basemap.path)
    if path.is_file():
        return path
    if registry_path is not None:
        beside = Path(registry_path).resolve().parent / path.name
        if beside.is_file():
            return beside
    return None


def open_basemap(basemap: Basemap, registry_path: Path | str | None = None) -> MBTiles:
    """Open a remembered basemap's file (MBTilesError with a clear message when it is missing or broken)."""
    path = locate_file(basemap, registry_path)
    if path is None:
        raise MBTilesError(E_MISSING, where=Where(file=basemap.path), path=basemap.path)
    tiles = MBTiles(path)
    try:
        describe(tiles, path)
    except MBTilesError:
        tiles.close()
        raise
    return tiles
