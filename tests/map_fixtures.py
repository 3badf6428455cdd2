"""Helpers for the map tests: a tiny MBTiles file whose every tile says where it is, and the demo county registry."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

from PIL import Image


def tile_colour(z: int, x: int, y: int) -> tuple[int, int, int]:
    """A colour unique to an XYZ tile of a small pyramid (z <= 5)."""
    return 40 + 40 * z, (x * 37) % 256, (y * 53) % 256


def tile_png(z: int, x: int, y: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (256, 256), tile_colour(z, x, y)).save(buffer, "PNG")
    return buffer.getvalue()


def build_mbtiles(path: Path, zooms=(0, 1, 2), metadata: dict | None = None, null_tiles=()) -> Path:
    """Every tile of the given zooms, stored in TMS row order like a real MBTiles file (XYZ y flipped)."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
    conn.execute("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)")
    conn.execute("CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row)")
    meta = {"name": "测试底图", "format": "png", "minzoom": str(min(zooms, default=0)),
            "maxzoom": str(max(zooms, default=0)),
            "bounds": "-180,-85.05112878,180,85.05112878", "attribution": "© 测试"}
    meta.update(metadata or {})
    conn.executemany("INSERT INTO metadata VALUES (?, ?)", [(k, v) for k, v in meta.items() if v is not None])
    for z in zooms:
        for x in range(2 ** z):
            for y in range(2 ** z):
                data = None if (z, x, y) in null_tiles else tile_png(z, x, y)
                conn.execute("INSERT INTO tiles VALUES (?, ?, ?, ?)", (z, x, 2 ** z - 1 - y, data))
    conn.commit()
    conn.close()
    return path


def located_count(conn) -> int:
    return conn.execute(
        "SELECT count(*) FROM assets WHERE deleted = 0 AND lon IS NOT NULL AND lat IS NOT NULL").fetchone()[0]
