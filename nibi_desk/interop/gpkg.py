"""GeoPackage export (OGC GeoPackage 1.3/1.4): one point layer per asset type, EPSG:4326 or CGCS2000 (EPSG:4490).

Written by hand with sqlite3, because a GeoPackage is an SQLite file with a few metadata tables and a standard
geometry blob, and there is no well-kept pure-Python GeoPackage writer; GDAL's Python bindings (osgeo) are not
pip-installable here (they need the matching libgdal headers and a compiler), and fiona/pyogrio wheels would add
a second copy of GDAL for this one job. What is written is checked by GDAL's own ogrinfo in the tests.
"""

from __future__ import annotations

import sqlite3
import struct
from pathlib import Path

from nibi_desk.i18n import _
from nibi_desk.interop.export import Exported, Source
from nibi_desk.interop.progress import Steps

APPLICATION_ID = 0x47504B47  # "GPKG"
# GeoPackage 1.3.0. Nothing written here differs between 1.3 and 1.4, and GDAL 3.6 (Debian 12, QGIS 3.28 LTR)
# warns "may only be partially supported" on every open of a file that says 10400.
USER_VERSION = 10300
GEOMETRY_COLUMN = "geom"

WGS84_WKT = ('GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],'
             'AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",'
             '0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],'
             'AUTHORITY["EPSG","4326"]]')
CGCS2000_WKT = ('GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,'
                '298.257222101,AUTHORITY["EPSG","1024"]],AUTHORITY["EPSG","1043"]],PRIMEM["Greenwich",0,'
                'AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],'
                'AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4490"]]')
SPATIAL_REF_SYS = [
    # The three rows every GeoPackage must have (requirement 11), then CGCS2000.
    ("Undefined cartesian SRS", -1, "NONE", -1, "undefined", "undefined cartesian coordinate reference system"),
    ("Undefined geographic SRS", 0, "NONE", 0, "undefined", "undefined geographic coordinate reference system"),
    ("WGS 84 geodetic", 4326, "EPSG", 4326, WGS84_WKT, "longitude/latitude coordinates in decimal degrees on the "
                                                       "WGS 84 spheroid"),
    ("China Geodetic Coordinate System 2000", 4490, "EPSG", 4490, CGCS2000_WKT,
     "CGCS2000 longitude/latitude in decimal degrees (within centimetres of WGS 84)"),
]
SCHEMA = """
CREATE TABLE gpkg_spatial_ref_sys (
    srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
    organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
CREATE TABLE gpkg_contents (
    table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
    description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
    CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE gpkg_geometry_columns (
    table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL,
    z TINYINT NOT NULL, m TINYINT NOT NULL,
    CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
    CONSTRAINT uk_gc_table_name UNIQUE (table_name),
    CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
    CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
"""
# Common fields of every layer (ASCII names: GIS tools and shapefile conversions choke on others).
FIELDS = [("uuid", "TEXT"), ("code", "TEXT"), ("name", "TEXT"), ("type_name", "TEXT"), ("division", "TEXT"),
          ("township", "TEXT"), ("address", "TEXT"), ("alt", "REAL"), ("grid_code", "TEXT"), ("status", "TEXT"),
          ("status_name", "TEXT"), ("owner", "TEXT"), ("operator", "TEXT"), ("notes", "TEXT")]
KIND_TYPES = {"text": "TEXT", "int": "INTEGER", "float": "REAL", "bool": "BOOLEAN", "date": "DATE", "enum": "TEXT",
              "multi": "TEXT"}


def point_blob(lon: float, lat: float, srs_id: int) -> bytes:
    """A StandardGeoPackageBinary point: "GP", version 0, flags (little-endian, envelope [minx, maxx, miny, maxy]),
    the SRS id, the envelope, then the ISO WKB point."""
    flags = 0b0000_0011  # bit 0: little-endian; bits 1-3 = 1: a 32-byte XY envelope follows
    return (struct.pack("<2sBBi4d", b"GP", 0, flags, srs_id, lon, lon, lat, lat)
            + struct.pack("<BIdd", 1, 1, lon, lat))


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def write(source: Source, path: Path, srs_id: int, result: Exported) -> Steps:
    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {USER_VERSION}")
        conn.execute("PRAGMA journal_mode = OFF")  # a temporary file: renamed into place only when complete
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("BEGIN")
        for statement in SCHEMA.split(";"):  # not executescript(): it would commit the open transaction
            if statement.strip():
                conn.execute(statement)
        conn.executemany("INSERT INTO gpkg_spatial_ref_sys VALUES (?,?,?,?,?,?)", SPATIAL_REF_SYS)
        for type_code in source.type_codes():
            yield from _layer(conn, source, type_code, srs_id, result)
        conn.execute("COMMIT")
        yield result.count, source.total, _("Done")
    finally:
        conn.close()


def _layer(conn: sqlite3.Connection, source: Source, type_code: str, srs_id: int, result: Exported) -> Steps:
    asset_type = source.types[type_code]
    attrs = [(a.key, KIND_TYPES[a.kind], a) for a in asset_type.attributes if a.key not in dict(FIELDS)]
    columns = FIELDS + [(key, kind) for key, kind, _a in attrs]
    table = _quote(type_code)
    conn.execute(f"CREATE TABLE {table} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, {GEOMETRY_COLUMN} POINT, "
                 + ", ".join(f"{_quote(name)} {kind}" for name, kind in columns) + ")")
    conn.execute("INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) "
                 "VALUES (?, 'features', ?, ?, ?)", (type_code, asset_type.name_zh, asset_type.name_en, srs_id))
    conn.execute("INSERT INTO gpkg_geometry_columns VALUES (?, ?, 'POINT', ?, 0, 0)",
                 (type_code, GEOMETRY_COLUMN, srs_id))
    sql = (f"INSERT INTO {table} ({GEOMETRY_COLUMN}, {', '.join(_quote(n) for n, _k in columns)}) "
           f"VALUES ({','.join('?' * (len(columns) + 1))})")
    batch, n, lons, lats = [], 0, [], []
    for row in source.rows(type_code):
        geom = None
        if row["lon"] is not None and row["lat"] is not None:
            geom = point_blob(row["lon"], row["lat"], srs_id)
            lons.append(row["lon"])
            lats.append(row["lat"])
        values = [row["id"], row["code"], row["name"], source.type_label(type_code), row["division"], row["township"],
                  row["address"], row["alt"], row["grid_code"], row["status"], source.status_label(row["status"]),
                  row["owner"], row["operator"], row["notes"]]
        for key, _kind, attribute in attrs:
            value = row["attrs"].get(key)
            if attribute.kind == "multi" and value is not None:
                value = ",".join(value)
            elif attribute.kind == "bool" and value is not None:
                value = int(bool(value))
            values.append(value)
        batch.append((geom, *values))
        n += 1
        if len(batch) >= 5000:
            conn.executemany(sql, batch)
            batch.clear()
            yield result.count + n, source.total, _("Writing GeoPackage")
    if batch:
        conn.executemany(sql, batch)
    result.count += n
    result.by_type[type_code] = n
    # The layer's extent, which gpkg_contents carries for clients to zoom to (NULL for an empty layer).
    box = (min(lons), min(lats), max(lons), max(lats)) if lons else (None, None, None, None)
    conn.execute("UPDATE gpkg_contents SET min_x = ?, min_y = ?, max_x = ?, max_y = ? WHERE table_name = ?",
                 (*box, type_code))
