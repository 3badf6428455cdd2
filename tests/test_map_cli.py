"""`nibi map snapshot` and `nibi map page` on a small registry."""

from __future__ import annotations

import json
import sys
import types

import pytest
from PIL import Image

from nibi_desk import i18n
from nibi_desk.cli.main import main
from nibi_desk.commands.assets import add_asset
from nibi_desk.context import Context
from nibi_desk.maps import overlay, static
from nibi_desk.storage.registry import Registry
from tests.test_maps_mbtiles import build_mbtiles, pyramid

LON, LAT = 111.672, 32.392
CAMERA = "42068200001320000001"


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "r.nibi"
    with Registry.create(path, "420682", actor="tester") as registry:
        ctx = Context(registry)
        add_asset(ctx, {"type": "base_station", "name": "光化5G宏站", "code": "LHK-GH-0001", "lon": LON, "lat": LAT,
                        "operator": "中国移动", "attrs": {"site_type": "macro_tower"}})
        add_asset(ctx, {"type": "smart_pole", "name": "胜利路智慧杆03", "code": "LHK-P-0003", "lon": LON - 0.0012,
                        "lat": LAT - 0.0005, "status": "faulty"})
        add_asset(ctx, {"type": "camera", "name": "胜利路口监控", "code": CAMERA, "lon": LON + 0.0015,
                        "lat": LAT - 0.001, "attrs": {"class": "A"}})
        add_asset(ctx, {"type": "smart_pole", "name": "远处的杆", "code": "LHK-P-0999", "lon": LON + 0.05,
                        "lat": LAT + 0.03})
    return path


def run(capsys, *argv) -> tuple[int, str, str]:
    capsys.readouterr()
    try:
        code = main([str(a) for a in argv])
    except SystemExit as e:
        code = e.code
    out = capsys.readouterr()
    return code, out.out, out.err


def test_snapshot_of_an_asset_writes_a_png_with_its_neighbours(capsys, db, tmp_path):
    out = tmp_path / "shots" / "asset.png"
    code, stdout, err = run(capsys, "map", "snapshot", "--asset", "LHK-GH-0001", "--db", db, "--out", out, "--json")
    assert code == 0, err
    result = json.loads(stdout)
    assert result["path"] == str(out) and result["markers"] == 3 and result["tile_zoom"] is None
    assert 16.5 < result["zoom"] < 17.5 and len(result["bbox"]) == 4
    west, south, east, north = result["bbox"]
    assert west < LON < east and south < LAT < north
    assert sorted(p.name for p in out.parent.iterdir()) == ["asset.png"]  # no temporary file left behind
    image = Image.open(out)
    assert image.format == "PNG" and image.size == (800, 600)
    view = static.make_view(center=(LON, LAT), radius_m=300, size=(800, 600))
    x, y = view.to_pixel(LON - 0.0012, LAT - 0.0005)
    assert image.convert("RGB").getpixel((round(x), round(y))) == overlay.STYLES["smart_pole"][1][:3]


def test_snapshot_of_an_area_on_a_basemap_with_the_inspector(capsys, db, tmp_path):
    basemap = build_mbtiles(tmp_path / "b.mbtiles", pyramid((0, 1, 2)))
    out = tmp_path / "area.png"
    code, stdout, err = run(capsys, "map", "snapshot", "--bbox", "60,0,150,60", "--basemap", basemap,
                            "--size", "400x300", "--db", db, "--out", out, "--json")
    assert code == 0, err
    result = json.loads(stdout)
    assert result["tile_zoom"] == 2 and result["markers"] == 4 and result["asset"] is None
    assert Image.open(out).size == (400, 300)
    code, stdout, err = run(capsys, "map", "snapshot", "--asset", CAMERA, "--inspector",
                            f"{LON + 0.0013},{LAT - 0.001}", "--radius", "100", "--db", db, "--out", out)
    assert code == 0, err
    assert str(out) in stdout and "个资产" in stdout


@pytest.mark.parametrize("argv,expected", [
    (["--asset", "NO-SUCH-CODE"], "NO-SUCH-CODE"),
    (["--bbox", "1,2,3"], "W,S,E,N"),
    (["--asset", "LHK-GH-0001", "--size", "800"], "WIDTHxHEIGHT"),
    (["--bbox", "111,32,112,33", "--inspector", "111.6,32.3"], "--inspector needs --asset"),
    (["--asset", "LHK-GH-0001", "--radius", "-5"], "positive"),
])
def test_snapshot_usage_errors(capsys, db, tmp_path, argv, expected):
    i18n.set_language("en")
    code, _out, err = run(capsys, "--lang", "en", "map", "snapshot", *argv, "--db", db, "--out", tmp_path / "x.png")
    assert code == 2 and expected in err, err
    assert not (tmp_path / "x.png").exists()


def test_snapshot_with_a_file_that_is_not_mbtiles(capsys, db, tmp_path):
    bad = tmp_path / "notes.mbtiles"
    bad.write_text("not a database, just text " * 40, encoding="utf-8")
    code, _out, err = run(capsys, "map", "snapshot", "--asset", "LHK-GH-0001", "--basemap", bad, "--db", db,
                          "--out", tmp_path / "x.png")
    assert code == 2 and "notes.mbtiles" in err and "不是 SQLite 数据库" in err
    assert not (tmp_path / "x.png").exists()


def test_map_page_without_the_page_module_is_a_clear_error(capsys, db, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "nibi_desk.maps.page", None)  # as in a build without the interactive map
    code, _out, err = run(capsys, "--lang", "en", "map", "page", "--out", tmp_path / "page", "--db", db)
    assert code == 2 and "the interactive map page is not available in this build" in err.lower(), err


def test_map_page_calls_write_page(capsys, db, tmp_path, monkeypatch):
    calls = []
    fake = types.ModuleType("nibi_desk.maps.page")

    def write_page(registry, out_dir, basemap=None):
        calls.append((registry.county, out_dir, basemap))
        return out_dir / "index.html"

    fake.write_page = write_page
    monkeypatch.setitem(sys.modules, "nibi_desk.maps.page", fake)
    basemap = build_mbtiles(tmp_path / "b.mbtiles", pyramid((0,)))
    code, stdout, err = run(capsys, "map", "page", "--out", tmp_path / "page", "--basemap", basemap, "--db", db,
                            "--json")
    assert code == 0, err
    assert json.loads(stdout) == {"path": str(tmp_path / "page" / "index.html")}
    (county, out_dir, mbtiles), = calls
    assert county == "420682" and out_dir == tmp_path / "page" and mbtiles.path == basemap
