"""MBTiles basemaps: XYZ lookups with the TMS row flip, both schemas, derived metadata, broken files, threads."""

from __future__ import annotations

import io
import logging
import sqlite3
import threading
from pathlib import Path

import pytest
from PIL import Image

from nibi_desk import i18n
from nibi_desk.maps import webmercator as wm
from nibi_desk.maps.mbtiles import MBTiles, MBTilesError, sniff_format
from tests.conftest import shared_path


def colour(z: int, x: int, y: int) -> tuple[int, int, int]:
    """A distinct colour for every XYZ tile of zooms 0-2."""
    return 20 + 100 * z, 10 + 70 * x, 10 + 70 * y


def image_tile(rgb, fmt: str = "PNG", size: int = 256) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (size, size), rgb).save(buffer, format=fmt)
    return buffer.getvalue()


def pyramid(zooms=(0, 1, 2)) -> dict:
    return {(z, x, y): image_tile(colour(z, x, y)) for z in zooms for x in range(2 ** z) for y in range(2 ** z)}


def build_mbtiles(path: Path, tiles: dict, metadata: dict | None = None, schema: str = "tables") -> Path:
    """An MBTiles file holding ``tiles`` {(z, x, y) in XYZ: bytes or None}; the TMS flip is done here, by hand.

    ``schema`` "tables" is today's layout (a tiles table); "map_images" is the older one (tiles is a view).
    """
    if metadata is None:
        zs = sorted({z for z, _x, _y in tiles})
        metadata = {"name": "test", "format": "png", "minzoom": zs[0], "maxzoom": zs[-1],
                    "bounds": "-180,-85.0511,180,85.0511", "attribution": "© 测试 <a href='x'>Test</a>"}
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
    conn.executemany("INSERT INTO metadata VALUES (?, ?)", [(k, str(v)) for k, v in metadata.items()])
    rows = [(z, x, 2 ** z - 1 - y, data) for (z, x, y), data in tiles.items()]
    if schema == "tables":
        conn.execute("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)")
        conn.execute("CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row)")
        conn.executemany("INSERT INTO tiles VALUES (?, ?, ?, ?)", rows)
    else:
        conn.execute("CREATE TABLE map (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_id TEXT)")
        conn.execute("CREATE TABLE images (tile_data BLOB, tile_id TEXT)")
        conn.execute("CREATE UNIQUE INDEX map_index ON map (zoom_level, tile_column, tile_row)")
        conn.execute("CREATE VIEW tiles AS SELECT map.zoom_level AS zoom_level, map.tile_column AS tile_column, "
                     "map.tile_row AS tile_row, images.tile_data AS tile_data FROM map "
                     "JOIN images ON images.tile_id = map.tile_id")
        for i, (z, col, row, data) in enumerate(rows):
            conn.execute("INSERT INTO map VALUES (?, ?, ?, ?)", (z, col, row, f"t{i}"))
            conn.execute("INSERT INTO images VALUES (?, ?)", (data, f"t{i}"))
    conn.commit()
    conn.close()
    return path


def rgb_of(data: bytes) -> tuple[int, int, int]:
    return Image.open(io.BytesIO(data)).convert("RGB").getpixel((128, 128))


# -- lookups ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("schema", ["tables", "map_images"])
def test_every_xyz_tile_comes_back_with_its_colour(tmp_path, schema):
    with MBTiles(build_mbtiles(tmp_path / "t.mbtiles", pyramid(), schema=schema)) as m:
        for z in range(3):
            for x in range(2 ** z):
                for y in range(2 ** z):
                    assert rgb_of(m.tile(z, x, y)) == colour(z, x, y), (z, x, y)
        assert m.format == "png" and m.mime_type == "image/png" and m.is_raster


def test_the_tms_flip_north_is_the_last_stored_row(tmp_path):
    """A tile stored at TMS row 1 of zoom 1 is the NORTHERN row: XYZ y = 0."""
    path = tmp_path / "raw.mbtiles"
    build_mbtiles(path, {}, metadata={"name": "raw"})
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO tiles VALUES (1, 0, 1, ?)", (image_tile((255, 0, 0)),))
    conn.commit()
    conn.close()
    with MBTiles(path) as m:
        assert rgb_of(m.tile(1, 0, 0)) == (255, 0, 0)
        assert m.tile(1, 0, 1) is None
        assert m.bounds == wm.BBox(-180.0, 0.0, 0.0, pytest.approx(wm.MAX_LAT))


def test_out_of_range_and_absent_tiles_are_none(tmp_path):
    with MBTiles(build_mbtiles(tmp_path / "t.mbtiles", pyramid((0, 1)))) as m:
        assert m.tile(2, 0, 0) is None                      # zoom not in the file
        assert m.tile(1, 2, 0) is None and m.tile(1, 0, -1) is None and m.tile(-1, 0, 0) is None
        assert m.tile(40, 0, 0) is None


def test_null_and_empty_tiles_are_none_and_logged_once(tmp_path, caplog):
    tiles = pyramid((0, 1))
    tiles[(1, 0, 0)] = None
    tiles[(1, 1, 1)] = b""
    with MBTiles(build_mbtiles(tmp_path / "t.mbtiles", tiles)) as m, caplog.at_level(logging.WARNING):
        assert m.tile(1, 0, 0) is None and m.tile(1, 1, 1) is None and m.tile(1, 0, 0) is None
        assert rgb_of(m.tile(1, 1, 0)) == colour(1, 1, 0)
    assert len([r for r in caplog.records if "no data" in r.getMessage()]) == 1


# -- metadata --------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("schema", ["tables", "map_images"])
def test_missing_metadata_is_derived_from_the_tiles(tmp_path, schema):
    tiles = {k: v for k, v in pyramid((1, 2)).items() if k[0] == 1 or (1 <= k[1] <= 2 and 1 <= k[2] <= 2)}
    with MBTiles(build_mbtiles(tmp_path / "t.mbtiles", tiles, metadata={"name": "bare"}, schema=schema)) as m:
        assert (m.minzoom, m.maxzoom, m.zooms) == (1, 2, (1, 2))
        assert m.format == "png"  # sniffed from the first tile
        b = m.bounds  # the extent of the four central tiles of zoom 2
        assert (b.west, b.east) == (pytest.approx(-90), pytest.approx(90))
        assert (b.south, b.north) == (pytest.approx(-66.51326), pytest.approx(66.51326))
        assert m.center == (pytest.approx(0), pytest.approx(0), 1)
        assert m.name == "bare" and m.attribution is None


def test_metadata_wins_when_present_and_sane(tmp_path):
    meta = {"name": "n", "format": "JPEG", "minzoom": "0", "maxzoom": "9", "bounds": "111.5,32.2,111.9,32.6",
            "center": "111.67,32.39,12", "attribution": "© 某某"}
    with MBTiles(build_mbtiles(tmp_path / "t.mbtiles", pyramid((0,)), metadata=meta)) as m:
        assert (m.minzoom, m.maxzoom, m.format, m.mime_type) == (0, 9, "jpg", "image/jpeg")
        assert m.bounds == wm.BBox(111.5, 32.2, 111.9, 32.6) and m.center == (111.67, 32.39, 12)
        assert m.metadata["attribution"] == "© 某某" == m.attribution
    meta.update(minzoom="low", maxzoom="", bounds="everywhere")
    with MBTiles(build_mbtiles(tmp_path / "u.mbtiles", pyramid((0, 1)), metadata=meta)) as m:
        assert (m.minzoom, m.maxzoom) == (0, 1)
        assert m.bounds.west == pytest.approx(-180)


@pytest.mark.parametrize("fmt,name,mime", [("JPEG", "jpg", "image/jpeg"), ("WEBP", "webp", "image/webp"),
                                            ("PNG", "png", "image/png")])
def test_format_is_sniffed_from_magic_bytes(tmp_path, fmt, name, mime):
    data = image_tile((1, 2, 3), fmt, size=8)
    assert sniff_format(data) == name
    with MBTiles(build_mbtiles(tmp_path / "t.mbtiles", {(0, 0, 0): data}, metadata={"name": "x"})) as m:
        assert (m.format, m.mime_type) == (name, mime)
    assert sniff_format(b"\x1f\x8b\x08\x00") == "pbf" and sniff_format(b"GIF89a") is None and sniff_format(None) is None


def test_an_empty_mbtiles_opens_with_nothing_derived(tmp_path):
    with MBTiles(build_mbtiles(tmp_path / "e.mbtiles", {}, metadata={})) as m:
        assert (m.zooms, m.minzoom, m.maxzoom, m.format, m.bounds, m.center) == ((), None, None, None, None, None)
        assert m.mime_type == "application/octet-stream" and not m.is_raster


# -- files that are not usable MBTiles ---------------------------------------------------------------------------------

def error_of(path) -> MBTilesError:
    with pytest.raises(MBTilesError) as info:
        MBTiles(path)
    return info.value


def test_a_file_that_is_not_sqlite_is_a_clear_error(tmp_path):
    path = tmp_path / "photo.mbtiles"
    path.write_bytes(b"\xff\xd8\xff\xe0 not a database at all" * 100)
    error = error_of(path)
    assert str(path) in str(error) and "不是 SQLite 数据库" in str(error)
    i18n.set_language("en")
    assert error.message() == f"file {path}: Not an MBTiles file: it is not an SQLite database"


def test_missing_tables_columns_and_files_are_named(tmp_path):
    db = tmp_path / "other.sqlite"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
    conn.commit()
    conn.close()
    i18n.set_language("en")
    assert "no tiles table or view" in str(error_of(db)) and str(db) in str(error_of(db))
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE tiles (zoom_level INTEGER, x INTEGER, y INTEGER, tile_data BLOB)")
    conn.commit()
    conn.close()
    assert "lacks the column(s) tile_column, tile_row" in str(error_of(db))
    nometa = build_mbtiles(tmp_path / "nometa.mbtiles", pyramid((0,)))
    conn = sqlite3.connect(nometa)
    conn.execute("DROP TABLE metadata")
    conn.commit()
    conn.close()
    assert "no metadata table or view" in str(error_of(nometa))
    assert str(error_of(tmp_path / "nowhere.mbtiles")).endswith("nowhere.mbtiles: The file does not exist")
    assert "a folder" in str(error_of(tmp_path))
    empty = tmp_path / "empty.mbtiles"
    empty.write_bytes(b"")
    assert "no tiles table" in str(error_of(empty))


def test_the_file_is_opened_read_only(tmp_path):
    path = build_mbtiles(tmp_path / "t.mbtiles", pyramid((0,)))
    before = path.read_bytes()
    with MBTiles(path) as m:
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            m._connection().execute("DELETE FROM tiles")
        assert m.tile(0, 0, 0)
    assert path.read_bytes() == before


# -- threads -----------------------------------------------------------------------------------------------------------

def test_lookups_from_several_threads_use_their_own_connections(tmp_path):
    m = MBTiles(build_mbtiles(tmp_path / "t.mbtiles", pyramid()))
    errors, connections = [], set()

    def work(offset: int) -> None:
        try:
            connections.add(id(m._connection()))
            for i in range(200):
                z = (i + offset) % 3
                x, y = i % 2 ** z, (i // 3) % 2 ** z
                assert rgb_of(m.tile(z, x, y)) == colour(z, x, y)
        except Exception as e:  # reported below: an exception in a thread would otherwise be lost
            errors.append(e)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(connections) == 4
    assert len(m._connections) == 5  # the main thread's (it validated the file) and the four workers'
    late = threading.Thread(target=work, args=(0,))
    late.start()
    late.join()
    assert not errors and len(m._connections) == 2  # those of the ended threads were closed and dropped
    m.close()
    assert m.tile(0, 0, 0) is None  # a late request after close is harmless
    m.close()


# -- the shared fixtures (node-mbtiles test files) ---------------------------------------------------------------------

def test_plain_1_lookups_and_derived_zooms():
    with MBTiles(shared_path("fixtures", "tiles", "plain_1.mbtiles")) as m:
        assert "minzoom" not in m.metadata and "format" not in m.metadata
        assert (m.minzoom, m.maxzoom, m.zooms, m.format) == (0, 4, (0, 1, 2, 3, 4), "png")
        assert m.name == "plain_1" and m.bounds.north == pytest.approx(85.0, abs=1e-6)
        world = Image.open(io.BytesIO(m.tile(0, 0, 0)))
        assert world.size == (256, 256) and world.format == "PNG"
        # Zoom 4 holds TMS rows 3-15, i.e. XYZ rows 0-12: the far south is absent.
        assert m.tile(4, 0, 0) and m.tile(4, 15, 12) and m.tile(4, 0, 13) is None
        assert m.tile(1, 0, 0) != m.tile(1, 0, 1)


def test_corrupt_mbtiles_is_a_clear_error_naming_the_file():
    path = shared_path("fixtures", "tiles", "corrupt.mbtiles")
    error = error_of(path)
    assert "corrupt.mbtiles" in str(error) and "已损坏" in str(error)
    i18n.set_language("en")
    assert "The database is damaged" in error.message()


def test_corrupt_null_tile_returns_none_for_the_null_tile():
    with MBTiles(shared_path("fixtures", "tiles", "corrupt_null_tile.mbtiles")) as m:
        assert m.tile(1, 0, 1) is None  # stored as TMS 1/0/0 with NULL tile_data
        assert all(m.tile(1, x, y) for x, y in ((0, 0), (1, 0), (1, 1)))
        assert m.format == "png" and m.maxzoom == 4


def test_some_empty_tiles_has_holes():
    with MBTiles(shared_path("fixtures", "tiles", "some-empty-tiles.mbtiles")) as m:
        assert (m.minzoom, m.maxzoom, m.zooms) == (1, 2, (1, 2))
        assert m.tile(0, 0, 0) is None and m.tile(2, 0, 0) is None
        assert m.tile(2, 0, 1) and m.tile(2, 3, 0)
        assert m.bounds.west == -180 and m.format == "png"
