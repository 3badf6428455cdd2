"""Evidence-stamped derivatives: a new upright JPEG with a text band; the stored original never changes."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone

import pytest
from PIL import Image, ImageChops, ImageStat

from nibi_desk import i18n
from nibi_desk.domain import grid
from nibi_desk.photos import stamp as stamp_module
from nibi_desk.photos.exif import read_info
from nibi_desk.photos.stamp import GRID_LEVEL, StampFailed, StampFields, stamp, stamp_lines, stamp_stored
from nibi_desk.photos.store import PhotoStore
from nibi_desk.photos.thumbs import upright
from tests.photos_helpers import (DATETIME_ORIGINAL, MAKE, OFFSET_TIME_ORIGINAL, ORIENTATION, gps_block, make_jpeg,
                                  pattern)

FIELDS = StampFields(asset_code="LHK-ZHG-0001", asset_name="竹林桥5G宏站", inspector="张三")


@pytest.fixture
def original(tmp_path):
    """A stored landscape photo (320x240) with orientation 6, GPS in 老河口 and a time with offset."""
    store = PhotoStore.for_registry(tmp_path / "county.nibi")
    make_jpeg(tmp_path / "cam.jpg", size=(320, 240), ifd0={ORIENTATION: 6, MAKE: "Xiaomi"},
              exif_ifd={DATETIME_ORIGINAL: "2024:05:01 10:11:12", OFFSET_TIME_ORIGINAL: "+08:00"},
              gps=gps_block(lat=32.3801, lon=111.6702, alt=90))
    result, = store.import_files([tmp_path / "cam.jpg"])
    return store, result.sha256


def test_stamp_writes_an_upright_derivative_and_leaves_the_original(original, tmp_path):
    store, sha = original
    before = store.path_of(sha).read_bytes()
    result = stamp(store.path_of(sha), tmp_path / "out" / "stamped.jpg", FIELDS)

    assert result.path == tmp_path / "out" / "stamped.jpg" and result.path.is_file()
    assert result.original_sha256 == sha and store.verify(sha)
    assert store.path_of(sha).read_bytes() == before
    derivative = result.path.read_bytes()
    assert result.derivative_sha256 == hashlib.sha256(derivative).hexdigest() != sha

    with Image.open(result.path) as im:
        assert im.size == (240, 320)  # upright: portrait, as the camera meant it
        exif = im.getexif()
        assert ORIENTATION not in exif  # pixels are upright, so no orientation tag
        assert "NIBI Desk" in exif.get(0x0131)
    info = read_info(result.path)  # EXIF kept: GPS, time, camera
    assert info.lat == pytest.approx(32.3801) and info.lon == pytest.approx(111.6702) and info.alt == 90
    assert info.taken_text == "2024:05:01 10:11:12+08:00" and info.make == "Xiaomi"


def test_band_has_text_and_the_rest_is_the_upright_original(original, tmp_path):
    store, sha = original
    result = stamp(store.path_of(sha), tmp_path / "stamped.jpg", FIELDS)
    left, top, right, bottom = result.band
    assert (left, right, bottom) == (0, 240, 320) and 0 < top < 320
    with Image.open(store.path_of(sha)) as im:
        reference = upright(im).convert("RGB")
    with Image.open(result.path) as im:
        stamped = im.convert("RGB")
    above = ImageChops.difference(stamped.crop((0, 0, 240, top)), reference.crop((0, 0, 240, top)))
    assert ImageStat.Stat(above).mean[0] < 4  # only JPEG noise above the band
    band = stamped.crop((0, top, 240, 320)).convert("L")
    under = reference.crop((0, top, 240, 320)).convert("L")
    assert ImageStat.Stat(ImageChops.difference(band, under)).mean[0] > 20  # darkened band
    # text: bright strokes on the dark band (the blue/red picture under it stays below 120 once darkened)
    bright = sum(band.histogram()[201:])
    assert bright > 100


def test_lines_use_exif_time_and_position_and_a_level_8_grid_code(original):
    store, sha = original
    info = read_info(store.path_of(sha))
    lines, code = stamp_lines(FIELDS, info)
    assert code == grid.encode(111.6702, 32.3801, GRID_LEVEL) and len(code) == 16
    assert lines[0] == "时间 2024-05-01 10:11:12 +08:00"
    assert lines[1].startswith("坐标 32°22′48.36″N 111°40′12.72″E")
    assert lines[2] == f"北斗网格码 {code}"
    assert lines[3] == "设施 LHK-ZHG-0001 竹林桥5G宏站" and lines[4] == "巡检员 张三"
    i18n.set_language("en")
    lines, _ = stamp_lines(FIELDS, info)
    assert lines[0].startswith("Time ") and lines[4] == "Inspector 张三"


def test_given_fields_override_exif_and_missing_ones_say_unknown():
    when = datetime(2024, 6, 1, 9, 30, tzinfo=timezone(timedelta(hours=8)))
    fields = StampFields("C-1", "杆", "李四", taken_at=when, lat=-33.5, lon=151.25, note="复检")
    lines, code = stamp_lines(fields, None)
    assert lines[0] == "时间 2024-06-01 09:30:00 +08:00" and code.startswith("S56") and lines[-1] == "复检"
    lines, code = stamp_lines(FIELDS, read_info(make_jpeg(no_exif=True)))
    assert code is None and lines[:2] == ["时间 未知", "坐标 未知"]


def test_long_names_are_cut_to_fit(tmp_path):
    path = tmp_path / "small.jpg"
    make_jpeg(path, size=(120, 90))
    long = StampFields("LHK-P-0001", "孟楼镇" * 40, "王五")
    result = stamp(path, tmp_path / "s.jpg", long)
    assert Image.open(result.path).size == (120, 90)


def test_stamp_stored_keeps_the_derivative_in_the_store(original):
    store, sha = original
    result = stamp_stored(store, sha, FIELDS)
    assert result.path == store.path_of(result.derivative_sha256) and store.verify(result.derivative_sha256)
    assert result.original_sha256 == sha and store.verify(sha)


def test_undecodable_photo(tmp_path):
    data = make_jpeg(size=(200, 150))
    (tmp_path / "cut.jpg").write_bytes(data[: len(data) // 2])
    with pytest.raises(StampFailed):
        stamp(tmp_path / "cut.jpg", tmp_path / "out.jpg", FIELDS)
    with pytest.raises(StampFailed):
        stamp(tmp_path / "missing.jpg", tmp_path / "out.jpg", FIELDS)
    assert not (tmp_path / "out.jpg").exists()
    (tmp_path / "whole.jpg").write_bytes(data)
    with pytest.raises(StampFailed):  # never over the original
        stamp(tmp_path / "whole.jpg", tmp_path / "." / "whole.jpg", FIELDS)
    assert (tmp_path / "whole.jpg").read_bytes() == data


def test_cmyk_and_grey_photos(tmp_path):
    for mode in ("L", "CMYK"):
        path = tmp_path / f"{mode}.jpg"
        pattern((100, 80)).convert(mode).save(path, "JPEG")
        result = stamp(path, tmp_path / f"{mode}-s.jpg", FIELDS)
        assert Image.open(result.path).mode == "RGB"


def test_font_is_the_bundled_cjk_font():
    typeface = stamp_module.font(20)
    assert "WenQuanYi" in " ".join(typeface.getname())
