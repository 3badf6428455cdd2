"""Read-only access to an MBTiles basemap: validation, metadata (derived where missing) and XYZ tile lookups.

MBTiles stores rows bottom-up (TMS): an XYZ request z/x/y reads ``tile_row = 2**z - 1 - y``. Older files define
``tiles`` as a view over ``map`` + ``images``; the same SELECT works on both. Metadata may lack minzoom, maxzoom,
format or bounds: they are derived from the tiles with index-friendly queries (one per zoom level).

One SQLite connection per thread (the interactive map serves tiles from the GUI thread, the static renderer from
workers); ``close()`` closes them all.
"""

from __future__ import annotations

import logging
import math
import sqlite3
import threading
from functools import cached_property
from pathlib import Path

from nibi_desk.errors import NibiError, Where
from nibi_desk.maps import webmercator as wm

log = logging.getLogger(__name__)

MAX_ZOOM_LEVEL = 30
MIME_TYPES = {"png": "image/png", "jpg": "image/jpeg", "webp": "image/webp", "pbf": "application/x-protobuf"}
RASTER_FORMATS = ("png", "jpg", "webp")
TILE_COLUMNS = {"zoom_level", "tile_column", "tile_row", "tile_data"}


class MBTilesError(NibiError):
    """A file is not a usable MBTiles basemap (missing, not SQLite, damaged, or without the MBTiles tables)."""

    template = "Not a usable MBTiles file"


def sniff_format(data: bytes | None) -> str | None:
    """"png", "jpg", "webp" or "pbf" (gzip/zlib-compressed vector tile) from the first bytes of a tile."""
    if not data:
        return None
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    if data[:3] == b"\xff\xd8\xff":
        return "jpg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data[:2] in (b"\x1f\x8b", b"\x78\x9c", b"\x78\x01", b"\x78\xda"):
        return "pbf"
    return None


def _normal_format(value: str | None) -> str | None:
    value = (value or "").strip().lower()
    return {"jpeg": "jpg", "mvt": "pbf"}.get(value, value) or None


class MBTiles:
    """An MBTiles file opened read-only. ``tile(z, x, y)`` takes XYZ (slippy-map) coordinates."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: dict[int, tuple[threading.Thread, sqlite3.Connection]] = {}
        self._closed = False
        self._warned: set[str] = set()
        if not self.path.exists():
            raise self._fail("The file does not exist")
        if not self.path.is_file():
            raise self._fail("This is a folder, not an MBTiles file")
        self._validate()

    # -- opening and validation -------------------------------------------------------------------------------
    def _fail(self, template: str, **params) -> MBTilesError:
        return MBTilesError(template, where=Where(file=str(self.path)), **params)

    def _open(self) -> sqlite3.Connection:
        uri = self.path.resolve().as_uri()
        conn = None
        try:
            conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, check_same_thread=False)
            conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
        except sqlite3.OperationalError:
            if conn is not None:
                conn.close()
            # A WAL-mode file on read-only media cannot be opened read-only (SQLite wants to create -shm); it
            # can be read as immutable, which is what a basemap on a write-protected stick is.
            conn = sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        return conn

    def _validate(self) -> None:
        try:
            conn = self._connection()
            kinds = dict(conn.execute(
                "SELECT name, type FROM sqlite_master WHERE name IN ('tiles', 'metadata') "
                "AND type IN ('table', 'view')").fetchall())
        except sqlite3.DatabaseError as e:
            self.close()
            raise self._sqlite_error(e) from e
        for name in ("tiles", "metadata"):
            if name not in kinds:
                self.close()
                raise self._fail("Not an MBTiles file: it has no {name} table or view", name=name)
        try:
            columns = {row[1] for row in conn.execute("PRAGMA table_info(tiles)")}
            missing = sorted(TILE_COLUMNS - columns)
            if missing:
                raise self._fail("Not an MBTiles file: the tiles table lacks the column(s) {columns}",
                                  columns=", ".join(missing))
            rows = conn.execute("SELECT name, value FROM metadata").fetchall()
            conn.execute("SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles LIMIT 1").fetchall()
        except sqlite3.DatabaseError as e:
            self.close()
            raise self._sqlite_error(e) from e
        except MBTilesError:
            self.close()
            raise
        self.metadata: dict[str, str] = {str(k): "" if v is None else str(v) for k, v in rows if k is not None}

    def _sqlite_error(self, e: sqlite3.DatabaseError) -> MBTilesError:
        text = str(e)
        if "not a database" in text:
            return self._fail("Not an MBTiles file: it is not an SQLite database")
        if "malformed" in text or "corrupt" in text:
            return self._fail("The database is damaged and cannot be read (SQLite: {detail})", detail=text)
        return self._fail("The file cannot be read as MBTiles (SQLite: {detail})", detail=text)

    def _connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            if self._closed:
                raise sqlite3.ProgrammingError(f"{self!r} is closed")
            conn = self._local.conn = self._open()
            with self._lock:
                # Close what threads that have ended left behind (idents are reused, so key by the thread too).
                for ident, (thread, old) in list(self._connections.items()):
                    if not thread.is_alive():
                        old.close()
                        del self._connections[ident]
                self._connections[threading.get_ident()] = (threading.current_thread(), conn)
        return conn

    def close(self) -> None:
        """Close every thread's connection. Lookups after closing return None (a late tile request is harmless)."""
        with self._lock:
            self._closed = True
            for _thread, conn in self._connections.values():
                conn.close()
            self._connections.clear()
        self._local = threading.local()

    def __enter__(self) -> MBTiles:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"MBTiles({str(self.path)!r})"

    def _warn_once(self, key: str, message: str, *args) -> None:
        if key not in self._warned:
            self._warned.add(key)
            log.warning(message, *args)

    # -- tiles ------------------------------------------------------------------------------------------------
    def tile(self, z: int, x: int, y: int) -> bytes | None:
        """The tile at XYZ z/x/y, or None when it is absent, empty, NULL or unreadable (logged once per file)."""
        z, x, y = int(z), int(x), int(y)
        if self._closed or not (0 <= z <= MAX_ZOOM_LEVEL and 0 <= x < 2 ** z and 0 <= y < 2 ** z):
            return None
        try:
            row = self._connection().execute(
                "SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?",
                (z, x, wm.tms_row(y, z))).fetchone()
        except sqlite3.DatabaseError as e:
            if self._closed:
                return None
            self._warn_once("error", "%s: reading tile %s/%s/%s failed: %s (later failures not logged)",
                            self.path, z, x, y, e)
            return None
        if row is None:
            return None
        data = row[0]
        if not data:
            self._warn_once("empty", "%s: tile %s/%s/%s has no data (NULL or empty; later ones not logged)",
                            self.path, z, x, y)
            return None
        return bytes(data)

    @cached_property
    def zooms(self) -> tuple[int, ...]:
        """Zoom levels that have at least one tile (one indexed probe per level)."""
        conn = self._connection()
        return tuple(z for z in range(MAX_ZOOM_LEVEL + 1)
                     if conn.execute("SELECT 1 FROM tiles WHERE zoom_level = ? LIMIT 1", (z,)).fetchone())

    # -- metadata, derived where missing -------------------------------------------------------------------------
    def _meta_int(self, key: str) -> int | None:
        try:
            value = int(float(self.metadata.get(key, "")))
        except ValueError:
            return None
        return value if 0 <= value <= MAX_ZOOM_LEVEL else None

    @cached_property
    def minzoom(self) -> int | None:
        value = self._meta_int("minzoom")
        return value if value is not None else (self.zooms[0] if self.zooms else None)

    @cached_property
    def maxzoom(self) -> int | None:
        value = self._meta_int("maxzoom")
        return value if value is not None else (self.zooms[-1] if self.zooms else None)

    @cached_property
    def format(self) -> str | None:
        """"png", "jpg", "webp" or "pbf": from metadata, else sniffed from the first tile that has data."""
        value = _normal_format(self.metadata.get("format"))
        if value:
            return value
        row = self._connection().execute(
            "SELECT tile_data FROM tiles WHERE tile_data IS NOT NULL AND length(tile_data) > 0 LIMIT 1").fetchone()
        return sniff_format(row[0] if row else None)

    @property
    def mime_type(self) -> str:
        return MIME_TYPES.get(self.format or "", "application/octet-stream")

    @property
    def is_raster(self) -> bool:
        return self.format in RASTER_FORMATS

    @property
    def name(self) -> str:
        return self.metadata.get("name") or self.path.stem

    @property
    def attribution(self) -> str | None:
        return self.metadata.get("attribution") or None

    @cached_property
    def bounds(self) -> wm.BBox | None:
        """From metadata ("W,S,E,N"), else the extent of the tiles at the highest zoom (None for an empty file)."""
        try:
            return wm.BBox.parse(self.metadata["bounds"])
        except (KeyError, NibiError):
            pass
        zoom = self.zooms[-1] if self.zooms else None
        if zoom is None:
            return None
        x0, x1, r0, r1 = self._connection().execute(
            "SELECT min(tile_column), max(tile_column), min(tile_row), max(tile_row) FROM tiles "
            "WHERE zoom_level = ?", (zoom,)).fetchone()
        top = wm.tile_bounds(int(x0), wm.tms_row(int(r1), zoom), zoom)
        bottom = wm.tile_bounds(int(x1), wm.tms_row(int(r0), zoom), zoom)
        return wm.BBox(top.west, bottom.south, bottom.east, top.north)

    @cached_property
    def center(self) -> tuple[float, float, int] | None:
        """(lon, lat, zoom) from metadata "center", else the middle of ``bounds`` at ``minzoom``."""
        try:
            lon, lat, *rest = (float(v) for v in self.metadata["center"].split(","))
            if math.isfinite(lon) and math.isfinite(lat):
                return lon, lat, int(rest[0]) if rest else (self.minzoom or 0)
        except (KeyError, ValueError):
            pass
        if self.bounds is None:
            return None
        lon, lat = self.bounds.center
        return lon, lat, self.minzoom or 0
