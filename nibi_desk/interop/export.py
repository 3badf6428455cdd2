"""Exporting assets: CSV and XLSX ledgers with Chinese headers, GeoJSON and KML; filters, progress and cancel."""

from __future__ import annotations

import csv
import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator
from xml.sax.saxutils import escape

from nibi_desk import i18n
from nibi_desk.domain import asset_types
from nibi_desk.domain.assets import STATUSES
from nibi_desk.errors import ValidationError, Where
from nibi_desk.i18n import _
from nibi_desk.interop.progress import Steps, drive, replace, temp_name
from nibi_desk.storage.assets import Filters

FORMATS = ("csv", "xlsx", "geojson", "kml", "gpkg")
SRS = (4326, 4490)
BATCH = 2000
# The ledger columns of CSV and XLSX exports (Chinese headers: the county's ledgers are Chinese, and the importer
# reads these headers back). Attribute columns of each type follow.
COMMON = [("id", "UUID"), ("type", "类型"), ("code", "编码"), ("name", "名称"), ("township", "乡镇/街道"),
          ("division", "行政区划代码"), ("address", "地址"), ("lon", "经度"), ("lat", "纬度"), ("alt", "高程"),
          ("grid_code", "北斗网格码"), ("status", "状态"), ("owner", "权属单位"), ("operator", "运营商"),
          ("notes", "备注")]
KML_COLOURS = {"base_station": "ff2f2fd6", "smart_pole": "ff2fa52f", "camera": "ffd2781e"}  # aabbggrr


@dataclass
class Selection:
    """Which assets: the browser's filters (type, township, status...) and optionally the map's current view."""

    filters: Filters = field(default_factory=Filters)
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north

    def where(self) -> tuple[str, list]:
        where, params = self.filters.where()
        if self.bbox is not None:
            w, s, e, n = self.bbox
            where += (" AND a.seq IN (SELECT seq FROM assets_rtree WHERE min_lon <= ? AND max_lon >= ? AND "
                      "min_lat <= ? AND max_lat >= ?) AND a.lon BETWEEN ? AND ? AND a.lat BETWEEN ? AND ?")
            params += [e, w, n, s, w, e, s, n]
        return where, params


@dataclass
class Exported:
    format: str
    path: str
    count: int = 0
    by_type: dict[str, int] = field(default_factory=dict)
    without_location: int = 0  # rows left out of formats that need a point (KML)

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


class Source:
    """The selected assets of a registry, in type then registry order, with what every writer needs to label them."""

    def __init__(self, registry, selection: Selection | None = None):
        self.registry, self.selection = registry, selection or Selection()
        conn = registry.read()
        self.types = asset_types.load(conn)
        self.townships = {r[0]: r[1] for r in conn.execute(
            "SELECT code, name FROM divisions WHERE level = 'township'")}
        where, params = self.selection.where()
        self.counts = {r[0]: r[1] for r in conn.execute(
            f"SELECT a.type, count(*) FROM assets a WHERE {where} GROUP BY a.type", params)}
        self.total = sum(self.counts.values())
        self.county_name = registry.county_name

    def type_codes(self) -> list[str]:
        wanted = self.selection.filters.types
        return [t for t in self.types if (t in wanted if wanted else t in self.counts)]

    def rows(self, type_code: str | None = None) -> Iterator[dict]:
        where, params = self.selection.where()
        if type_code is not None:
            where += " AND a.type = ?"
            params = [*params, type_code]
        order = {t: i for i, t in enumerate(self.types)}
        rank = "CASE a.type " + " ".join(f"WHEN '{t}' THEN {i}" for t, i in order.items()) + " ELSE 999 END"
        cursor = self.registry.read().execute(
            "SELECT a.id, a.type, a.code, a.name, a.division, a.address, a.lon, a.lat, a.alt, a.grid_code, a.status, "
            f"a.owner, a.operator, a.notes, a.attrs FROM assets a WHERE {where} ORDER BY {rank}, a.seq", params)
        while True:
            batch = cursor.fetchmany(BATCH)
            if not batch:
                return
            for row in batch:
                d = dict(row)
                d["attrs"] = json.loads(d["attrs"] or "{}")
                d["township"] = self.townships.get(d["division"][:9] + "000") if d["division"] else None
                yield d

    def attribute_columns(self, type_codes: list[str]) -> list[tuple[str, str]]:
        seen, out = set(), []
        for t in type_codes:
            for a in self.types[t].attributes:
                if a.key not in seen:
                    seen.add(a.key)
                    out.append((a.key, a.title("zh_CN")))
        return out

    # Chinese labels for ledger exports (the importer maps them back to codes).
    def type_label(self, code: str) -> str:
        return self.types[code].name_zh if code in self.types else code

    @staticmethod
    def status_label(code: str) -> str:
        return i18n.catalog("zh_CN").get(STATUSES.get(code, code), code)

    def attr_label(self, type_code: str, key: str, value: Any) -> Any:
        attribute = self.types[type_code].attribute(key) if type_code in self.types else None
        if attribute is None or value is None:
            return value
        if attribute.kind == "enum":
            return attribute.value_title(value, "zh_CN")
        if attribute.kind == "multi":
            return "、".join(attribute.value_title(v, "zh_CN") for v in value)
        if attribute.kind == "bool":
            return "是" if value else "否"
        return value

    def ledger_row(self, row: dict, attr_keys: list[str]) -> list[Any]:
        values = {**row, "type": self.type_label(row["type"]), "status": self.status_label(row["status"])}
        return ([values.get(key) for key, _title in COMMON]
                + [self.attr_label(row["type"], key, row["attrs"].get(key)) for key in attr_keys])


def export(registry, fmt: str, path: Path | str, selection: Selection | None = None, srs: int = 4326,
           progress=None) -> Exported:
    return drive(export_steps(registry, fmt, path, selection, srs), progress)


def export_steps(registry, fmt: str, path: Path | str, selection: Selection | None = None, srs: int = 4326) -> Steps:
    """Write the selected assets to ``path`` (under a temporary name, renamed when complete); yields progress."""
    if fmt not in FORMATS:
        raise ValidationError("Unknown export format {format}; choose one of {choices}", where=Where(field="format"),
                              format=fmt, choices=", ".join(FORMATS))
    if srs not in SRS:
        raise ValidationError("Unknown spatial reference EPSG:{srs}; choose 4326 (WGS 84) or 4490 (CGCS2000)",
                              where=Where(field="srs"), srs=srs)
    path = Path(path)
    source = Source(registry, selection)
    result = Exported(fmt, str(path))
    tmp = temp_name(path)
    try:
        if fmt == "gpkg":
            from nibi_desk.interop import gpkg

            yield from gpkg.write(source, tmp, srs, result)
        else:
            yield from {"csv": _csv, "xlsx": _xlsx, "geojson": _geojson, "kml": _kml}[fmt](source, tmp, result)
        replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return result


def _counted(source: Source, rows: Iterator[dict], result: Exported, label: str) -> Iterator[tuple[dict, tuple]]:
    """Rows with a progress step every BATCH rows (the writers yield the step)."""
    for row in rows:
        result.count += 1
        result.by_type[row["type"]] = result.by_type.get(row["type"], 0) + 1
        step = (result.count, source.total, label) if result.count % BATCH == 0 else None
        yield row, step


def _csv(source: Source, tmp: Path, result: Exported) -> Steps:
    attrs = source.attribute_columns(source.type_codes())
    keys = [k for k, _t in attrs]
    with open(tmp, "w", encoding="utf-8-sig", newline="") as f:  # the BOM makes Excel read the Chinese right
        out = csv.writer(f)
        out.writerow([title for _k, title in COMMON] + [title for _k, title in attrs])
        for row, step in _counted(source, source.rows(), result, _("Writing CSV")):
            out.writerow(["" if v is None else v for v in source.ledger_row(row, keys)])
            if step:
                yield step
    yield result.count, source.total, _("Done")


def _geojson(source: Source, tmp: Path, result: Exported) -> Steps:
    """RFC 7946: WGS-84 longitude/latitude, no "crs" member; an asset without a location has a null geometry."""
    with open(tmp, "w", encoding="utf-8") as f:
        f.write('{"type": "FeatureCollection", "name": "nibi_assets", "features": [\n')
        first = True
        for row, step in _counted(source, source.rows(), result, _("Writing GeoJSON")):
            properties = {k: row[k] for k in ("id", "type", "code", "name", "division", "township", "address", "alt",
                                              "grid_code", "status", "owner", "operator", "notes")}
            properties["type_name"] = source.type_label(row["type"])
            for key, value in row["attrs"].items():
                properties.setdefault(key, ",".join(value) if isinstance(value, list) else value)
            geometry = ({"type": "Point", "coordinates": [row["lon"], row["lat"]]}
                        if row["lon"] is not None and row["lat"] is not None else None)
            feature = {"type": "Feature", "id": row["id"], "geometry": geometry, "properties": properties}
            f.write(("" if first else ",\n") + json.dumps(feature, ensure_ascii=False))
            first = False
            if step:
                yield step
        f.write("\n]}\n")
    yield result.count, source.total, _("Done")


def _kml(source: Source, tmp: Path, result: Exported) -> Steps:
    """KML 2.2 (Google Earth, Marble, QGIS): a folder and a coloured pin style per type; fields as ExtendedData."""
    with open(tmp, "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2">\n<Document>\n'
                f"<name>{escape(source.county_name)}</name>\n")
        for code in source.type_codes():
            f.write(f'<Style id="{code}"><IconStyle><color>{KML_COLOURS.get(code, "ff00ffff")}</color><scale>0.8'
                    "</scale><Icon><href>http://maps.google.com/mapfiles/kml/shapes/placemark_circle.png</href>"
                    "</Icon></IconStyle><LabelStyle><scale>0</scale></LabelStyle></Style>\n")
        current = None
        for row, step in _counted(source, source.rows(), result, _("Writing KML")):
            if row["type"] != current:
                f.write(("</Folder>\n" if current else "") + f"<Folder><name>{escape(source.type_label(row['type']))}"
                        "</name>\n")
                current = row["type"]
            if row["lon"] is None or row["lat"] is None:
                result.without_location += 1
                continue
            data = "".join(f'<Data name="{key}"><value>{escape(str(row[key]))}</value></Data>'
                           for key in ("code", "status", "township", "address", "grid_code", "operator", "owner")
                           if row[key] not in (None, ""))
            point = f"{row['lon']!r},{row['lat']!r}" + (f",{row['alt']!r}" if row["alt"] is not None else "")
            f.write(f"<Placemark><name>{escape(row['name'])}</name><styleUrl>#{row['type']}</styleUrl>"
                    f"<ExtendedData>{data}</ExtendedData><Point><coordinates>{point}</coordinates></Point>"
                    "</Placemark>\n")
            if step:
                yield step
        f.write(("</Folder>\n" if current else "") + "</Document>\n</kml>\n")
    yield result.count, source.total, _("Done")


def _xlsx(source: Source, tmp: Path, result: Exported) -> Steps:
    from nibi_desk.interop import xlsx_export

    yield from xlsx_export.write(source, tmp, result)


def stamp() -> str:
    return dt.datetime.now().strftime("%Y-%m-%d %H:%M")
