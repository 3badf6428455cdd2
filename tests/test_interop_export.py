"""Exports read back by their readers: GeoPackage and GeoJSON by GDAL's ogrinfo, XLSX by openpyxl, CSV, KML."""

from __future__ import annotations

import csv
import json
import re
import shutil
import sqlite3
import struct
import subprocess
import xml.etree.ElementTree as ET

import pytest

from nibi_desk import demo
from nibi_desk.errors import ValidationError
from nibi_desk.interop import export, gpkg, ledger
from nibi_desk.interop.export import Selection
from nibi_desk.interop.progress import drive
from nibi_desk.storage import assets
from nibi_desk.storage.assets import Filters
from nibi_desk.storage.registry import Registry

TOWNSHIP = "420682100"  # 孟楼镇


@pytest.fixture(scope="module")
def registry(tmp_path_factory):
    path = tmp_path_factory.mktemp("export") / "r.nibi"
    with Registry.create(path, "420682", actor="tester") as r:
        demo.generate(r, scale=0.02)
        yield r


def registry_rows(registry, filters=None):
    where, params = (filters or Filters()).where()
    return {r["id"]: dict(r) for r in registry.read().execute(f"SELECT * FROM assets a WHERE {where}", params)}


def ogrinfo(*args: str) -> str:
    exe = shutil.which("ogrinfo")
    if exe is None:
        pytest.skip("GDAL's ogrinfo is not installed (Debian gdal-bin; .ci/run installs it)")
    result = subprocess.run([exe, "-ro", "-so", *args], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Warning" not in result.stderr and "ERROR" not in result.stderr, result.stderr
    return result.stdout


def layer_counts(info: str) -> dict[str, int]:
    names = re.findall(r"^Layer name: (.+)$", info, re.M)
    counts = [int(n) for n in re.findall(r"^Feature Count: (\d+)$", info, re.M)]
    return dict(zip(names, counts))


@pytest.mark.parametrize("srs", [4326, 4490])
def test_geopackage_is_read_by_gdal(registry, tmp_path, srs):
    out = tmp_path / "assets.gpkg"
    result = export.export(registry, "gpkg", out, srs=srs)
    rows = registry_rows(registry)
    by_type = {}
    for r in rows.values():
        by_type[r["type"]] = by_type.get(r["type"], 0) + 1
    assert result.count == len(rows) and result.by_type == by_type
    info = ogrinfo("-al", str(out))
    assert "using driver `GPKG' successful" in info
    assert layer_counts(info) == by_type
    assert info.count(f'ID["EPSG",{srs}]') == len(by_type)
    for field in ("uuid: String", "code: String", "name: String", "grid_code: String", "status: String",
                  "height_m: Real", "cabin: Integer(Boolean)", "sectors: Integer64", "commissioned: Date"):
        assert field in info, field
    assert "Geometry: Point" in info and "Extent: (111." in info

    conn = sqlite3.connect(out)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == 0x47504B47
    assert conn.execute("PRAGMA user_version").fetchone()[0] == gpkg.USER_VERSION
    assert {r[0] for r in conn.execute("SELECT srs_id FROM gpkg_spatial_ref_sys")} == {-1, 0, 4326, 4490}
    assert conn.execute("SELECT count(*) FROM gpkg_contents WHERE data_type = 'features' AND srs_id = ?",
                        (srs,)).fetchone()[0] == len(by_type)
    camera = next(r for r in rows.values() if r["type"] == "camera" and r["lon"] is not None)
    blob = conn.execute("SELECT geom FROM camera WHERE uuid = ?", (camera["id"],)).fetchone()[0]
    magic, version, flags, srs_id, minx, maxx, miny, maxy = struct.unpack_from("<2sBBi4d", blob)
    assert (magic, version, flags, srs_id) == (b"GP", 0, 3, srs) and (minx, miny) == (camera["lon"], camera["lat"])
    assert struct.unpack_from("<BIdd", blob, 40) == (1, 1, camera["lon"], camera["lat"])
    conn.close()


def test_geojson_is_read_by_gdal(registry, tmp_path):
    out = tmp_path / "assets.geojson"
    filters = Filters(types=("smart_pole", "base_station"))
    result = export.export(registry, "geojson", out, Selection(filters))
    rows = registry_rows(registry, filters)
    assert result.count == len(rows)
    info = ogrinfo("-al", str(out))
    assert layer_counts(info) == {"nibi_assets": len(rows)} and 'ID["EPSG",4326]' in info
    for field in ("id: String", "code: String", "name: String", "site_type: String", "height_m: Real"):
        assert field in info, field
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert "crs" not in doc  # RFC 7946
    features = {f["id"]: f for f in doc["features"]}
    assert features.keys() == rows.keys()
    for asset_id, row in rows.items():
        geometry = features[asset_id]["geometry"]
        assert (geometry["coordinates"] if geometry else None) == (
            [row["lon"], row["lat"]] if row["lon"] is not None else None)
        assert features[asset_id]["properties"]["code"] == row["code"]


def test_xlsx_has_a_summary_and_a_sheet_per_type_matching_the_registry(registry, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "assets.xlsx"
    export.export(registry, "xlsx", out)
    wb = load_workbook(out, read_only=True)
    assert wb.sheetnames == ["汇总", "5G基站", "多功能智能杆", "视频监控"]
    rows = registry_rows(registry)
    seen = {}
    for name in wb.sheetnames[1:]:
        table = [list(r) for r in wb[name].iter_rows(values_only=True)]
        header = table[0]
        assert header[:4] == ["UUID", "类型", "编码", "名称"] and "经度" in header and "北斗网格码" in header
        for line in table[1:]:
            record = dict(zip(header, line))
            seen[record["UUID"]] = record
    assert seen.keys() == rows.keys()
    for asset_id, row in rows.items():
        record = seen[asset_id]
        assert (record["编码"], record["名称"], record["经度"], record["纬度"], record["北斗网格码"]) == (
            row["code"], row["name"], row["lon"], row["lat"], row["grid_code"])
        assert record["行政区划代码"] == row["division"]
    summary = [list(r) for r in wb["汇总"].iter_rows(values_only=True)]
    totals = next(r for r in summary if r and r[0] == "合计")
    assert totals[-1] == len(rows)
    wb.close()


def test_xlsx_export_imports_back_into_an_empty_registry(registry, tmp_path):
    out = tmp_path / "ledger.xlsx"
    export.export(registry, "xlsx", out, Selection(Filters(types=("camera",), township=TOWNSHIP)))
    original = registry_rows(registry, Filters(types=("camera",), township=TOWNSHIP))
    with Registry.create(tmp_path / "copy.nibi", "420682") as copy:
        plan = ledger.plan(copy, out, ledger.Options(sheet="视频监控", distance_m=0))
        assert plan.counts()["error"] == 0, [r.reasons() for r in plan.rows if r.outcome == "error"][:3]
        ledger.apply(copy, plan)
        imported = {r["code"]: r for r in registry_rows(copy).values()}
    assert len(imported) == len(original)
    for row in original.values():
        twin = imported[row["code"]]
        for key in ("name", "division", "address", "lon", "lat", "grid_code", "status", "owner", "operator", "attrs"):
            assert twin[key] == row[key], (key, twin[key], row[key])


def test_csv_and_kml(registry, tmp_path):
    rows = registry_rows(registry, Filters(township=TOWNSHIP))
    result = export.export(registry, "csv", tmp_path / "a.csv", Selection(Filters(township=TOWNSHIP)))
    with open(tmp_path / "a.csv", encoding="utf-8-sig", newline="") as f:
        table = list(csv.reader(f))
    assert table[0][:4] == ["UUID", "类型", "编码", "名称"] and len(table) - 1 == len(rows) == result.count
    assert (tmp_path / "a.csv").read_bytes()[:3] == b"\xef\xbb\xbf"

    result = export.export(registry, "kml", tmp_path / "a.kml", Selection(Filters(township=TOWNSHIP)))
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    root = ET.parse(tmp_path / "a.kml").getroot()
    placemarks = root.findall(".//k:Placemark", ns)
    located = [r for r in rows.values() if r["lon"] is not None]
    assert len(placemarks) == len(located) and result.without_location == len(rows) - len(located)
    assert {s.get("id") for s in root.findall(".//k:Style", ns)} == {r["type"] for r in rows.values()}
    assert {f.findtext("k:name", namespaces=ns) for f in root.findall(".//k:Folder", ns)} <= {
        "5G基站", "多功能智能杆", "视频监控"}


def test_current_view_filter(registry, tmp_path):
    box = (111.60, 32.30, 111.70, 32.40)
    result = export.export(registry, "geojson", tmp_path / "v.geojson", Selection(bbox=box))
    inside = [r for r in registry_rows(registry).values()
              if r["lon"] is not None and box[0] <= r["lon"] <= box[2] and box[1] <= r["lat"] <= box[3]]
    assert result.count == len(inside) > 0


def test_cancel_leaves_no_file(registry, tmp_path):
    out = tmp_path / "big.gpkg"
    steps = export.export_steps(registry, "gpkg", out)
    next(steps)
    steps.close()
    assert list(tmp_path.iterdir()) == []


def test_bad_format_and_srs_are_refused(registry, tmp_path):
    with pytest.raises(ValidationError):
        drive(export.export_steps(registry, "shp", tmp_path / "x.shp"))
    with pytest.raises(ValidationError):
        drive(export.export_steps(registry, "gpkg", tmp_path / "x.gpkg", srs=3857))
    assert assets.count(registry.read()) > 0
