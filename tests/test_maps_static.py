"""Web Mercator maths and the static map renderer (Pillow, no browser): basemap, canvas, markers, furniture."""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor

import pytest
from PIL import ImageFont

from nibi_desk.errors import ValidationError
from nibi_desk.maps import overlay, static
from nibi_desk.maps import webmercator as wm
from nibi_desk.maps.mbtiles import MBTiles
from nibi_desk.maps.overlay import Label, Marker
from nibi_desk.maps.static import BACKGROUND, GRID_LINE, render
from tests.conftest import shared_path
from tests.test_maps_mbtiles import build_mbtiles, colour, pyramid

LON, LAT = 111.672, 32.392  # 老河口市光化街道
PURPLE, BLUE, TEAL = (overlay.STYLES[t][1][:3] for t in ("base_station", "smart_pole", "camera"))


def near(a, b, tolerance=6) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a, b))


def colours(image) -> set:
    return {rgb for _count, rgb in image.getcolors(1 << 24)}


def pixel(image, x, y):
    return image.getpixel((round(x), round(y)))


# -- Web Mercator ----------------------------------------------------------------------------------------------------

def test_projection_round_trips_and_known_values():
    assert wm.lonlat_to_pixel(0, 0, 0) == (128, pytest.approx(128))
    assert wm.lonlat_to_pixel(-180, wm.MAX_LAT, 1) == (0, pytest.approx(0, abs=1e-6))
    lon, lat = wm.pixel_to_lonlat(*wm.lonlat_to_pixel(LON, LAT, 17.3), 17.3)
    assert (lon, lat) == (pytest.approx(LON), pytest.approx(LAT))
    assert wm.lonlat_to_tile(LON, LAT, 10) == (829, 414)
    assert wm.lonlat_to_tile(180, -90, 3) == (7, 7)
    box = wm.tile_bounds(829, 414, 10)
    assert box.contains(LON, LAT) and box.east - box.west == pytest.approx(360 / 1024)
    assert wm.tile_bounds(0, 0, 0) == wm.BBox(-180, pytest.approx(-wm.MAX_LAT), 180, pytest.approx(wm.MAX_LAT))
    assert wm.tms_row(0, 3) == 7 and wm.tms_row(wm.tms_row(5, 4), 4) == 5


def test_ground_resolution_zoom_choice_and_views():
    assert wm.ground_resolution(0, 0) == pytest.approx(156543.03, rel=1e-6)
    assert wm.ground_resolution(60, 1) == pytest.approx(156543.03 / 4, rel=1e-6)
    box = wm.bbox_around(LON, LAT, 300)
    assert wm.zoom_for_bbox(box, 800, 600) == 17
    view = wm.View.around(LON, LAT, 300, 800, 600)
    assert view.height * view.metres_per_pixel == pytest.approx(600, rel=0.01)  # the short side spans 2 × 300 m
    assert view.to_pixel(LON, LAT) == (pytest.approx(400), pytest.approx(300))
    fitted = wm.View.fit(wm.BBox(111.5, 32.2, 111.9, 32.6), 400, 400)
    inner = fitted.bbox
    assert inner.west <= 111.5 + 1e-9 and inner.east >= 111.9 - 1e-9 and inner.south <= 32.2 + 1e-9
    assert min(inner.east - 111.9, 111.5 - inner.west, inner.north - 32.6, 32.2 - inner.south) < 1e-6


@pytest.mark.parametrize("text", ["1,2,3", "a,b,c,d", "10,50,5,60", "0,95,1,96", "nan,1,2,3"])
def test_bad_bounding_boxes_are_rejected(text):
    with pytest.raises(ValidationError):
        wm.BBox.parse(text)


def test_bbox_parse_accepts_chinese_commas():
    assert wm.BBox.parse("111.6，32.3, 111.7 ,32.4") == wm.BBox(111.6, 32.3, 111.7, 32.4)


# -- small helpers of the overlay -------------------------------------------------------------------------------------

def test_distances_scale_lengths_and_attribution_text():
    assert overlay.format_distance(38.2) == "38 m" and overlay.format_distance(1234) == "1.2 km"
    assert [overlay.nice_length(v) for v in (230, 99, 1000, 7.5, 0)] == [200, 50, 1000, 5, 0]
    html = "© <a href='https://osm.org'>OpenStreetMap</a> &amp; 天地图"
    assert overlay.plain_text(html) == "© OpenStreetMap & 天地图"
    assert [static.graticule_step(v) for v in (0.012, 0.0128, 40)] == [0.002, 0.005, 10]


def test_the_bundled_cjk_font_is_used():
    font = overlay.font(12)
    assert isinstance(font, ImageFont.FreeTypeFont) and font.getname()[0] == "WenQuanYi Micro Hei"


# -- the plain canvas ------------------------------------------------------------------------------------------------

MARKERS = [
    Marker(LON + 0.001, LAT + 0.0008, "base_station", "in_service", "光化5G宏站"),
    Marker(LON - 0.0012, LAT - 0.0005, "smart_pole", "faulty", "胜利路智慧杆03"),
    Marker(LON + 0.0015, LAT - 0.001, "camera", None, "胜利路口监控"),
]


def test_canvas_without_basemap_has_markers_graticule_scale_bar_and_arrow():
    focus = Marker(LON, LAT, "camera", "in_service", "路口监控")
    image = render(center=(LON, LAT), radius_m=300, size=(800, 600), markers=MARKERS, highlight=focus,
                   inspector=(LON - 0.0004, LAT - 0.0003), labels=[Label(LON - 0.002, LAT + 0.0015, "光化街道")])
    view = image.info["view"]
    assert image.size == (800, 600) and image.mode == "RGB" and image.info["tile_zoom"] is None
    assert 16.5 < image.info["zoom"] < 17.5
    for marker, rgb in zip(MARKERS, (PURPLE, BLUE, TEAL)):
        x, y = view.to_pixel(marker.lon, marker.lat)
        assert near(pixel(image, x, y + 1), rgb), marker
    x, y = view.to_pixel(MARKERS[1].lon, MARKERS[1].lat)  # the faulty pole has a red outline
    assert any(near(pixel(image, x + dx, y), overlay.FAULTY[:3], 40) for dx in range(5, 10))
    assert near(pixel(image, *view.to_pixel(LON, LAT)), TEAL)
    # The graticule: a meridian every 0.002° (the one at 111.670° E runs down the image).
    gx, _ = view.to_pixel(111.670, LAT)
    column = [pixel(image, gx, y) for y in range(100, 500, 7)]
    assert sum(near(p, GRID_LINE[:3], 20) for p in column) > len(column) * 0.7
    assert near(pixel(image, 700, 200), BACKGROUND)
    # Scale bar (bottom left, dark half filled) and north arrow (top right).
    assert sum(sum(pixel(image, x, 583)) < 200 for x in range(15, 60)) > 30
    assert any(sum(pixel(image, 776 + dx, 45)) < 200 for dx in range(-6, 1))
    assert len(colours(image)) > 50


def test_graticule_degree_labels_and_township_names_are_written():
    kw = dict(center=(LON, LAT), radius_m=1200, size=(640, 480))
    plain = render(**kw, labels=[Label(111.667, 32.396, "光化街道")])
    view = plain.info["view"]
    x, _y = view.to_pixel(111.67, LAT)  # "111.67°E" at the foot of its meridian
    assert any(sum(pixel(plain, x + dx, 472)) < 500 for dx in range(4, 40))
    _x, y = view.to_pixel(LON, 32.39)  # "32.39°N" at the right end of its parallel
    assert any(sum(pixel(plain, 630 - dx, y - 6)) < 500 for dx in range(0, 40))
    tx, ty = view.to_pixel(111.667, 32.396)
    assert any(sum(pixel(plain, tx + dx, ty)) < 450 for dx in range(-25, 25))
    bare = render(**kw)
    assert all(sum(pixel(bare, tx + dx, ty)) > 600 for dx in range(-25, 25))


def test_markers_outside_the_image_are_not_drawn_and_nothing_crashes_without_markers():
    far = Marker(LON + 1, LAT, "camera")
    image = render((LON - 0.01, LAT - 0.01, LON + 0.01, LAT + 0.01), size=(300, 200), markers=[far],
                   scale_bar=False, north_arrow=False)
    assert image.size == (300, 200)
    assert not any(near(p, TEAL, 10) for p in colours(image))
    assert render(center=(LON, LAT), size=(64, 48)).size == (64, 48)


# -- with a basemap --------------------------------------------------------------------------------------------------

@pytest.fixture
def basemap(tmp_path):
    with MBTiles(build_mbtiles(tmp_path / "b.mbtiles", pyramid((0, 1, 2)))) as m:
        yield m


def tile_centre(z, x, y) -> tuple[float, float]:
    return wm.pixel_to_lonlat((x + 0.5) * 256, (y + 0.5) * 256, z)


def test_basemap_tiles_are_drawn_at_the_right_place(basemap):
    lon, lat = tile_centre(2, 1, 1)
    image = render(center=(lon, lat), radius_m=800_000, size=(200, 200), basemap=basemap, legend=False,
                   scale_bar=False, north_arrow=False)
    assert image.info["tile_zoom"] == 2
    assert pixel(image, 100, 100) == colour(2, 1, 1)
    assert image.info["zoom"] > 2  # upsampled from zoom 2: there is nothing finer in the file


def test_upsampling_from_the_best_zoom_and_from_parent_tiles(tmp_path):
    tiles = pyramid((0, 1, 2))
    del tiles[(2, 2, 1)]          # a hole at zoom 2: filled from its zoom-1 parent (1, 1, 0)
    tiles[(2, 1, 2)] = None       # a NULL tile: also from its parent (1, 0, 1)
    with MBTiles(build_mbtiles(tmp_path / "h.mbtiles", tiles)) as m:
        for (x, y), parent in (((2, 1), (1, 1, 0)), ((1, 2), (1, 0, 1)), ((1, 1), (2, 1, 1))):
            lon, lat = tile_centre(2, x, y)
            image = render(center=(lon, lat), radius_m=500_000, size=(100, 100), basemap=m, legend=False,
                           scale_bar=False, north_arrow=False)
            assert pixel(image, 50, 50) == colour(*parent), (x, y)


def test_missing_tiles_without_parents_are_plain_background(tmp_path):
    tiles = {(2, x, y): image for (z, x, y), image in pyramid((2,)).items() if (x, y) != (2, 2)}
    with MBTiles(build_mbtiles(tmp_path / "m.mbtiles", tiles)) as m:
        lon, lat = tile_centre(2, 2, 2)
        image = render(center=(lon, lat), radius_m=1_000_000, size=(120, 120), basemap=m, legend=False,
                       scale_bar=False, north_arrow=False)
    assert pixel(image, 60, 60) == BACKGROUND


def test_a_basemap_far_too_coarse_falls_back_to_the_canvas_with_a_note(basemap):
    image = render(center=(LON, LAT), radius_m=300, size=(400, 300), basemap=basemap)
    assert image.info["tile_zoom"] is None
    assert near(pixel(image, 300, 150), BACKGROUND, 2) or near(pixel(image, 300, 150), GRID_LINE[:3], 30)
    # The note sits where the attribution goes (bottom right): something is written there.
    assert len(colours(image.crop((200, 270, 400, 300)))) > 5


def test_vector_tiles_are_not_drawn_but_said(tmp_path):
    tiles = {(z, x, y): b"\x1f\x8b\x08\x00vector" for z in (0, 1) for x in range(2 ** z) for y in range(2 ** z)}
    with MBTiles(build_mbtiles(tmp_path / "v.mbtiles", tiles, metadata={"name": "vec", "format": "pbf"})) as m:
        image = render((100, 20, 125, 45), size=(400, 300), basemap=m)
    assert image.info["tile_zoom"] is None and len(colours(image.crop((200, 270, 400, 300)))) > 5


def test_attribution_is_written(basemap):
    lon, lat = tile_centre(2, 1, 1)
    kw = dict(center=(lon, lat), radius_m=800_000, size=(300, 200), basemap=basemap, legend=False, scale_bar=False,
              north_arrow=False)
    with_credit = render(**kw)
    basemap.metadata.pop("attribution")
    without = render(**kw)
    corner = (150, 175, 300, 200)
    assert with_credit.crop(corner).tobytes() != without.crop(corner).tobytes()
    assert len(colours(without.crop(corner))) == 1


def test_renders_in_worker_threads_share_one_mbtiles(basemap):
    lon, lat = tile_centre(2, 2, 1)

    def one(_):
        return render(center=(lon, lat), radius_m=3_000_000, size=(256, 192), basemap=basemap,
                      markers=MARKERS).tobytes()

    with ThreadPoolExecutor(3) as pool:
        results = list(pool.map(one, range(6)))
    assert len(set(results)) == 1


def test_world_basemap_fixture_renders_china():
    with MBTiles(shared_path("fixtures", "tiles", "plain_1.mbtiles")) as m:
        image = render((100, 20, 125, 45), size=(640, 480), basemap=m, markers=[Marker(LON, LAT, "base_station")])
    assert image.size == (640, 480) and image.info["tile_zoom"] == 4
    x, y = image.info["view"].to_pixel(LON, LAT)
    assert near(pixel(image, x, y + 1), PURPLE)
    assert len(colours(image)) > 20 and not math.isnan(image.info["zoom"])
