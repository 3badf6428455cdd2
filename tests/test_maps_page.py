"""The map page without a browser: vendored files and their checksums, folium pointed offline, the page HTML, the
exported page folder, basemaps remembered by the registry, the web font."""

from __future__ import annotations

import hashlib
import json
import re
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from nibi_desk import demo
from nibi_desk.maps import basemaps, page, styles, vendor, webfont
from nibi_desk.maps.mbtiles import MBTiles, MBTilesError
from nibi_desk.storage.registry import Registry
from tests.conftest import shared_path
from tests.map_fixtures import build_mbtiles, located_count, tile_png

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT / "resources" / "web"


@pytest.fixture(scope="module")
def demo_registry(tmp_path_factory):
    reg = Registry.create(tmp_path_factory.mktemp("map") / "demo.nibi", "420682")
    demo.generate(reg, scale=0.05)
    yield reg
    reg.close()


# -- vendored files -------------------------------------------------------------------------------------------------
def test_every_vendored_file_matches_its_checksum():
    manifest = json.loads((WEB / "vendor.json").read_text(encoding="utf-8"))
    assert set(manifest["packages"]) >= {"leaflet", "leaflet.markercluster", "jquery"}
    total = 0
    for package, spec in manifest["packages"].items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", spec["version"]), package
        assert spec["licence_file"] in spec["files"], f"{package}: its licence is vendored with it"
        for name, digest in spec["files"].items():
            data = vendor.vendored_path(package, name).read_bytes()
            assert hashlib.sha256(data).hexdigest() == digest, f"{package}/{name}"
            total += len(data)
    assert total < 1_000_000  # "keep it minimal"
    assert vendor.check() == []
    pins = {p: s["version"] for p, s in manifest["packages"].items()}
    assert pins["leaflet"] == "1.9.4" and pins["leaflet.markercluster"] == "1.5.3" and pins["jquery"] == "3.7.1"


def test_refresh_script_checks_offline():
    result = subprocess.run([sys.executable, str(WEB / "refresh_vendor.py"), "--check"], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_folium_renders_without_remote_urls():
    import folium
    from folium.plugins import FastMarkerCluster, MarkerCluster

    vendor.configure()
    vendor.configure()  # idempotent
    fmap = folium.Map(location=[32.39, 111.67], zoom_start=11, tiles=None, max_zoom=19)
    cluster = MarkerCluster().add_to(fmap)
    folium.CircleMarker([32.39, 111.67], radius=5, popup="光化街道").add_to(cluster)
    FastMarkerCluster([[32.39, 111.67], [32.4, 111.7]]).add_to(fmap)
    html = fmap.get_root().render()
    assert vendor.remote_urls(html) == []
    assert "nibi://web/vendor/leaflet/leaflet.js" in html and "jquery.min.js" in html
    assert "leaflet.markercluster.js" in html and "bootstrap" not in html
    for url in re.findall(r'(?:src|href)="(nibi://web/[^"]+)"', html):
        assert vendor.resolve(url[len(vendor.WEB_BASE):]) is not None, url


def test_remote_url_scan_finds_what_it_should():
    html = ('<script src="https://cdn.x/leaflet.js"></script><link href="//cdn.y/a.css">'
            "<img src='http://h/i.png'><a href=\"nibi://web/x\"></a><script src=\"qrc:///qtwebchannel/q.js\">")
    assert vendor.remote_urls(html) == ["https://cdn.x/leaflet.js", "//cdn.y/a.css", "http://h/i.png"]


def test_resolve_stays_inside_the_web_folder():
    assert vendor.resolve("vendor/leaflet/leaflet.js") == WEB / "vendor" / "leaflet" / "leaflet.js"
    assert vendor.resolve("nibi-map.js") is not None
    for bad in ("../../pyproject.toml", "vendor/../../../pyproject.toml", "", "/", "no-such-file.js"):
        assert vendor.resolve(bad) is None, bad


# -- the page ---------------------------------------------------------------------------------------------------------
def test_app_page_is_small_offline_and_configured(demo_registry):
    conn = demo_registry.read()
    html = page.build_html(conn, "420682", mode="app")
    assert vendor.remote_urls(html) == []
    assert len(html) < 200_000  # the points come later, over the channel, whatever the registry's size
    head = html[html.index("<head>"):html.index("</head>")]
    assert head.index("Content-Security-Policy") < head.index("<script")
    assert "qrc:///qtwebchannel/qwebchannel.js" in html and "nibi://web/nibi-map.js" in html
    cfg = json.loads(re.search(r"NibiMap\.init\(map_\w+, (\{.*\})\);", html).group(1))
    assert cfg["mode"] == "app" and cfg["basemap"] is None
    assert [t["code"] for t in cfg["types"]] == ["base_station", "smart_pole", "camera"]
    assert cfg["county"]["name"] == "老河口市" and cfg["extent"] == [111.45, 32.2, 111.92, 32.62]
    assert {s["code"] for s in cfg["states"]} >= {"in_service", "faulty", "defect", "overdue"}
    assert "<title>老河口市设施分布图</title>" in html


def test_page_with_an_mbtiles_layer(demo_registry, tmp_path):
    with MBTiles(build_mbtiles(tmp_path / "t.mbtiles", zooms=(3, 4))) as tiles:
        basemap = basemaps.describe(tiles)
    html = page.build_html(demo_registry.read(), "420682", tiles=page.tile_source_for(basemap))
    assert f'"nibi://tiles/{basemap.id}/{{z}}/{{x}}/{{y}}"' in html
    assert '"maxNativeZoom": 4' in html and vendor.remote_urls(html) == []


def test_township_labels_sit_inside_the_county(demo_registry):
    labels = page.township_labels(demo_registry.read(), "420682")
    names = {label["name"] for label in labels}
    assert {"光化街道", "酂阳街道", "孟楼镇", "仙人渡镇"} <= names
    for label in labels:
        assert 111.45 < label["lon"] < 111.92 and 32.2 < label["lat"] < 32.62 and label["n"] > 0


def test_write_page_writes_a_self_contained_folder(demo_registry, tmp_path):
    out = tmp_path / "page"
    index = page.write_page(demo_registry, out)
    assert index == out / "index.html"
    html = index.read_text(encoding="utf-8")
    assert vendor.remote_urls(html) == [] and "nibi://" not in html and "qrc:" not in html
    for ref in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert (out / ref).is_file(), ref
    for vendored in ("web/vendor/leaflet/leaflet.js", "web/vendor/leaflet/LICENSE", "web/nibi-map.js",
                     "web/fonts/nibi-sans.ttf"):
        assert (out / vendored).is_file(), vendored
    geo = json.loads((out / "assets.geojson").read_text(encoding="utf-8"))
    assert len(geo["features"]) == located_count(demo_registry.read())
    feature = geo["features"][0]
    assert feature["geometry"]["type"] == "Point" and set(feature["properties"]) >= {"id", "name", "code", "status"}
    script = (out / "assets.js").read_text(encoding="utf-8")
    data = json.loads(script[script.index("=") + 1:].strip().rstrip(";"))
    assert data["total"] == len(data["points"]) == len(geo["features"])
    assert '"labels": [' in html  # township labels are in the page (no channel to ask for them)
    page.write_page(demo_registry, out)  # again into the same folder


def test_write_page_copies_basemap_tiles_flipped_to_xyz(demo_registry, tmp_path):
    out = tmp_path / "page"
    with MBTiles(build_mbtiles(tmp_path / "t.mbtiles", zooms=(0, 1, 2))) as tiles:
        page.write_page(demo_registry, out, basemap=tiles)
    for z, x, y in ((0, 0, 0), (1, 0, 0), (1, 1, 0), (2, 3, 1), (2, 0, 3)):
        assert (out / "tiles" / str(z) / str(x) / f"{y}.png").read_bytes() == tile_png(z, x, y)
    html = (out / "index.html").read_text(encoding="utf-8")
    assert '"tiles/{z}/{x}/{y}.png"' in html


def test_write_page_with_the_shared_fixture_basemap(demo_registry, tmp_path):
    path = shared_path("fixtures", "tiles", "plain_1.mbtiles")
    index = page.write_page(demo_registry, tmp_path / "page", basemap=path)
    with MBTiles(path) as tiles:
        assert (index.parent / "tiles" / "1" / "1" / "0.png").read_bytes() == tiles.tile(1, 1, 0)


# -- basemaps ---------------------------------------------------------------------------------------------------------
def test_the_registry_remembers_its_basemaps(tmp_path):
    first = build_mbtiles(tmp_path / "a.mbtiles", zooms=(0, 1))
    second = build_mbtiles(tmp_path / "b.mbtiles", zooms=(2, 3), metadata={"name": "乙", "minzoom": None,
                                                                          "maxzoom": None, "bounds": None})
    path = tmp_path / "r.nibi"
    with Registry.create(path, "420682") as reg:
        a = basemaps.add(reg, first)
        b = basemaps.add(reg, second)
        assert (a.minzoom, a.maxzoom, a.format, a.name) == (0, 1, "png", "测试底图")
        assert (b.minzoom, b.maxzoom, b.name) == (2, 3, "乙")  # derived from the tiles
        assert b.bounds is not None
        assert [x.id for x in basemaps.listed(reg.read())] == [a.id, b.id]
        assert basemaps.active(reg.read()).id == b.id
        basemaps.set_active(reg, a.id)
    with Registry.open(path) as reg:  # remembered in the file
        assert basemaps.active(reg.read()).id == a.id
        assert basemaps.add(reg, first).id == a.id and len(basemaps.listed(reg.read())) == 2
        assert basemaps.remove(reg, b.id) and [x.id for x in basemaps.listed(reg.read())] == [a.id]
        basemaps.set_active(reg, None)
        assert basemaps.active(reg.read()) is None


def test_a_moved_basemap_is_found_beside_the_registry(tmp_path):
    (tmp_path / "elsewhere").mkdir()
    elsewhere = build_mbtiles(tmp_path / "elsewhere" / "底图.mbtiles", zooms=(0,))
    with Registry.create(tmp_path / "stick" / "r.nibi", "420682") as reg:
        remembered = basemaps.add(reg, elsewhere)
        moved = tmp_path / "stick" / "底图.mbtiles"
        elsewhere.rename(moved)
        assert basemaps.locate_file(remembered, reg.path) == moved
        with basemaps.open_basemap(remembered, reg.path) as tiles:
            assert tiles.tile(0, 0, 0) == tile_png(0, 0, 0)
        moved.unlink()
        with pytest.raises(MBTilesError) as missing:
            basemaps.open_basemap(remembered, reg.path)
        assert "底图.mbtiles" in missing.value.message()


@pytest.mark.parametrize("name, words", [("corrupt.mbtiles", ("damaged", "损坏"))])
def test_broken_fixture_files_give_clear_errors(tmp_path, name, words):
    path = shared_path("fixtures", "tiles", name)
    with Registry.create(tmp_path / "r.nibi", "420682") as reg:
        with pytest.raises(MBTilesError) as error:
            basemaps.add(reg, path)
        message = error.value.message()
        assert name in message and any(w in message for w in words), message
        assert basemaps.listed(reg.read()) == []


def test_fixtures_with_null_or_empty_tiles_are_usable_basemaps(tmp_path):
    for name in ("corrupt_null_tile.mbtiles", "some-empty-tiles.mbtiles"):
        with MBTiles(shared_path("fixtures", "tiles", name)) as tiles:
            assert basemaps.describe(tiles).format == "png"


def test_vector_and_empty_files_are_refused(tmp_path):
    vector = build_mbtiles(tmp_path / "v.mbtiles", zooms=(0,), metadata={"format": "pbf"})
    with MBTiles(vector) as tiles, pytest.raises(MBTilesError, match="pbf"):
        basemaps.describe(tiles)
    empty = build_mbtiles(tmp_path / "e.mbtiles", zooms=(), metadata={"format": None, "minzoom": None,
                                                                      "maxzoom": None})
    with MBTiles(empty) as tiles, pytest.raises(MBTilesError):
        basemaps.describe(tiles)


# -- styles and font ---------------------------------------------------------------------------------------------------
def test_type_styles_match_the_static_renderer():
    overlay = pytest.importorskip("nibi_desk.maps.overlay")
    for code, (shape, rgb, _title) in overlay.STYLES.items():
        assert styles.TYPE_STYLES[code] == (shape, styles.hex_colour(rgb)), code
    assert styles.OTHER_STYLE == (overlay.OTHER_STYLE[0], styles.hex_colour(overlay.OTHER_STYLE[1]))


def test_web_font_is_a_plain_aligned_truetype_font():
    data = webfont.web_font()
    if data is None:
        pytest.skip("the bundled font is not present")
    version, num_tables = struct.unpack_from(">IH", data, 0)
    assert version == 0x00010000 and num_tables > 5
    for i in range(num_tables):
        tag, _checksum, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        assert offset % 4 == 0 and offset + length <= len(data), tag
    import io

    from PIL import ImageFont

    font = ImageFont.truetype(io.BytesIO(data), 20)
    assert font.getname()[0] == "WenQuanYi Micro Hei"
    assert font.getbbox("老河口")[2] > 40
    assert webfont.extract_ttf(b"\x00\x01\x00\x00rest") == b"\x00\x01\x00\x00rest"
