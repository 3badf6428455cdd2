"""EXIF reading: every fixture photo against what exiftool 12.57 reads, plus hand-made files for each failure mode."""

from __future__ import annotations

import csv
import hashlib
import random
from datetime import datetime, timedelta, timezone

import pytest
from PIL import Image
from PIL.TiffImagePlugin import IFDRational

from nibi_desk import i18n
from nibi_desk.photos import exif, exif_values, jpeg
from nibi_desk.photos.exif import EXIF_FIELDS, read_info
from tests.conftest import SHARED, shared_path
from tests.photos_helpers import (DATETIME, DATETIME_DIGITIZED, DATETIME_ORIGINAL, MAKE, MODEL,
                                  OFFSET_TIME_ORIGINAL, ORIENTATION, dms, gps_block, make_jpeg, rational)

PHOTOS = ("fixtures", "photos")
REFERENCE = SHARED.joinpath(*PHOTOS, "exiftool_reference.csv")
# Where we knowingly read less than exiftool, and why (the test checks that the difference is still this one).
KNOWN_DIFFERENCES = {
    ("exs__Reconyx_HC500_Hyperfire.jpg", "taken"):
        "exiftool decodes the Reconyx HyperFire maker note (vendor binary); we read standard EXIF/XMP tags only",
}
STANDARD_TIME_SOURCES = ("DateTimeOriginal", "XMP exif:DateTimeOriginal")


def reference_rows():
    if not REFERENCE.exists():  # still collected, so the skip names what is missing
        return [pytest.param(None, id="no-shared")]
    with open(REFERENCE, encoding="utf-8", newline="") as f:
        return [pytest.param(row, id=row["file"]) for row in csv.DictReader(f)]


def normalise_time(text: str) -> str:
    """exiftool writes UTC as a trailing Z; we write +00:00."""
    return text[:-1] + "+00:00" if text.endswith("Z") else text


def check_reasons(info) -> None:
    """Every absent field says why; no present field has a reason; every reason renders in both languages."""
    for name in EXIF_FIELDS:
        assert (getattr(info, name) is None) == (name in info.missing), name
    for lang in ("en", "zh_CN"):
        i18n.set_language(lang)
        for reason in list(info.missing.values()) + info.problems:
            assert reason.message().strip()
    i18n.set_language("zh_CN")


@pytest.mark.parametrize("row", reference_rows())
def test_fixture_matches_exiftool(row):
    path = shared_path(*PHOTOS, row["file"]) if row else shared_path(*PHOTOS, "exiftool_reference.csv")
    data = path.read_bytes()
    assert len(data) == int(row["bytes"]) and hashlib.sha256(data).hexdigest() == row["sha256"], "fixture changed"
    info = read_info(path)  # must not raise, whatever the file holds
    check_reasons(info)

    if row["gps_lat"]:
        assert info.lat == pytest.approx(float(row["gps_lat"]), abs=1e-6)
        assert info.lon == pytest.approx(float(row["gps_lon"]), abs=1e-6)
    else:  # exiftool found no usable position: we must not invent one
        assert info.lat is None and info.lon is None and info.missing["lat"] == info.missing["lon"]
    if row["gps_alt_m"]:
        assert info.alt == pytest.approx(float(row["gps_alt_m"]), abs=1e-6)
    else:
        assert info.alt is None

    assert info.orientation == (int(row["orientation"]) if row["orientation"] else None)

    expected = normalise_time(row["datetime_original"] + row["offset_time_original"]) \
        if row["datetime_original"] else None
    if (row["file"], "taken") in KNOWN_DIFFERENCES:
        assert expected and info.taken_at is None and "taken_at" in info.missing
    elif expected:
        assert info.taken_source in STANDARD_TIME_SOURCES
        assert info.taken_text == expected
    else:  # no DateTimeOriginal anywhere: at most a documented fallback tag
        assert info.taken_at is None or info.taken_source in ("DateTimeDigitized", "DateTime")

    assert info.make == (row["make"] or None)
    assert info.model == (row["model"] or None)

    warning = row["exiftool_warning"]
    if "JPEG format error" in warning:
        assert info.problems and info.problems[0].template == jpeg.W_DATA_TRUNCATED
    if "Malformed APP1 EXIF segment" in warning:
        assert {r.template for r in info.missing.values()} == {exif.R_EXIF_DAMAGED}


def test_reference_covers_every_fixture_photo():
    folder = shared_path(*PHOTOS)
    photos = {p.name for p in folder.iterdir() if p.suffix.lower() in (".jpg", ".jpeg")}
    with open(folder / "exiftool_reference.csv", encoding="utf-8", newline="") as f:
        listed = {row["file"] for row in csv.DictReader(f)}
    assert photos == listed and len(photos) >= 39


# -- hand-made files: positions --------------------------------------------------------------------------------------

def test_southern_and_western_hemisphere_below_sea_level(tmp_path):
    path = tmp_path / "sw.jpg"
    make_jpeg(path, gps=gps_block(lat=-33.856784, lon=-70.648125, alt=12.5, alt_ref=1))
    info = read_info(path)
    assert info.lat == pytest.approx(-33.856784, abs=1e-6) and info.lon == pytest.approx(-70.648125, abs=1e-6)
    assert info.alt == -12.5 and not info.missing.get("alt")


def test_altitude_without_reference_is_above_sea_level():
    info = read_info(make_jpeg(gps=gps_block(lat=32.38, lon=111.67, alt=88)))
    assert info.alt == 88 and info.lat == pytest.approx(32.38) and info.lon == pytest.approx(111.67)


def test_empty_gps_block():
    info = read_info(make_jpeg(gps={}, ifd0={MAKE: "Xiaomi"}))
    assert info.lat is info.lon is info.alt is None
    assert info.missing["lat"].template == exif.R_GPS_EMPTY and info.make == "Xiaomi"


@pytest.mark.parametrize("gps, template", [
    ({1: "N", 2: (IFDRational(32, 1), IFDRational(0, 0), IFDRational(5, 1)), 3: "E", 4: dms(111.67)},
     exif_values.R_ZERO_DENOMINATOR),
    ({1: "N", 2: (IFDRational(4294967295, 1), IFDRational(0, 1), IFDRational(0, 1)), 3: "E", 4: dms(111.67)},
     exif_values.R_DEGREES_RANGE),
    ({1: "N", 2: (IFDRational(32, 1), IFDRational(75, 1), IFDRational(0, 1)), 3: "E", 4: dms(111.67)},
     exif_values.R_MINUTES_RANGE),
    ({1: "N", 2: (IFDRational(32, 1), IFDRational(5, 1), IFDRational(61, 1)), 3: "E", 4: dms(111.67)},
     exif_values.R_SECONDS_RANGE),
    ({1: "N", 2: rational(4294967295), 3: "E", 4: dms(111.67)}, exif_values.R_NOT_DMS),
    ({2: dms(32.38), 3: "E", 4: dms(111.67)}, exif_values.R_REF_MISSING),
    ({1: "X", 2: dms(32.38), 3: "E", 4: dms(111.67)}, exif_values.R_REF_BAD),
    ({1: "N", 2: dms(32.38), 3: "E"}, exif_values.R_AXIS_MISSING),
    ({1: "N", 2: dms(0), 3: "E", 4: dms(0)}, exif.R_NULL_ISLAND),
    ({0: b"\x02\x02\x00\x00"}, exif.R_GPS_NO_POSITION),
])
def test_garbage_gps_gives_no_position_and_a_reason(gps, template):
    info = read_info(make_jpeg(gps=gps))
    assert info.lat is None and info.lon is None
    assert info.missing["lat"].template == template and info.missing["lon"] == info.missing["lat"]
    check_reasons(info)


def test_garbage_altitude():
    info = read_info(make_jpeg(gps={**gps_block(lat=1, lon=2), 6: IFDRational(5, 0)}))
    assert info.alt is None and info.missing["alt"].template == exif_values.R_ZERO_DENOMINATOR
    assert info.lat == 1 and info.lon == 2  # the position itself is sound
    info = read_info(make_jpeg(gps={**gps_block(lat=1, lon=2, alt=5), 5: b"\x07"}))
    assert info.alt is None and info.missing["alt"].template == exif_values.R_ALT_REF_BAD


def test_reason_names_the_axis_in_the_current_language():
    info = read_info(make_jpeg(gps={2: dms(32.38), 3: "E", 4: dms(111.67)}))
    i18n.set_language("en")
    assert "latitude" in info.missing["lat"].message()
    i18n.set_language("zh_CN")
    assert "纬度" in info.missing["lat"].message()
    assert info.missing["lat"].to_dict()["params"]["axis"] == "lat"


# -- hand-made files: time, orientation, text ------------------------------------------------------------------------

def test_time_with_offset_is_aware():
    info = read_info(make_jpeg(exif_ifd={DATETIME_ORIGINAL: "2024:05:01 10:11:12", OFFSET_TIME_ORIGINAL: "+08:00"}))
    assert info.taken_at == datetime(2024, 5, 1, 10, 11, 12, tzinfo=timezone(timedelta(hours=8)))
    assert info.taken_text == "2024:05:01 10:11:12+08:00" and info.taken_source == "DateTimeOriginal"


def test_time_without_offset_is_naive_local():
    info = read_info(make_jpeg(exif_ifd={DATETIME_ORIGINAL: "2024:05:01 10:11:12"}))
    assert info.taken_at == datetime(2024, 5, 1, 10, 11, 12) and info.taken_at.tzinfo is None


@pytest.mark.parametrize("value, template", [
    ("1999:99:99 10:00:00", exif_values.R_TIME_IMPOSSIBLE),
    ("2024:02:30 10:00:00", exif_values.R_TIME_IMPOSSIBLE),
    ("0000:00:00 00:00:00", exif_values.R_TIME_BLANK),
    ("    :  :     :  :  ", exif_values.R_TIME_BLANK),
    ("yesterday", exif_values.R_TIME_FORMAT),
])
def test_bad_dates_give_no_time_and_a_reason(value, template):
    info = read_info(make_jpeg(exif_ifd={DATETIME_ORIGINAL: value}))
    assert info.taken_at is None and info.missing["taken_at"].template == template
    assert info.missing["taken_at"].params["tag"] == "DateTimeOriginal"


def test_fallbacks_are_named_and_the_unusable_tag_reported():
    info = read_info(make_jpeg(ifd0={DATETIME: "2024:05:02 08:00:00"},
                               exif_ifd={DATETIME_ORIGINAL: "1999:99:99 10:00:00",
                                         DATETIME_DIGITIZED: "2024:05:01 09:00:00"}))
    assert info.taken_at == datetime(2024, 5, 1, 9) and info.taken_source == "DateTimeDigitized"
    assert [p.template for p in info.problems] == [exif_values.R_TIME_IMPOSSIBLE]
    info = read_info(make_jpeg(ifd0={DATETIME: "2024:05:02 08:00:00"}))
    assert info.taken_at == datetime(2024, 5, 2, 8) and info.taken_source == "DateTime"


def test_utc_suffix_and_bad_offset():
    info = read_info(make_jpeg(exif_ifd={DATETIME_ORIGINAL: "2013:07:05 03:18:27Z"}))
    assert info.taken_at == datetime(2013, 7, 5, 3, 18, 27, tzinfo=timezone.utc)
    info = read_info(make_jpeg(exif_ifd={DATETIME_ORIGINAL: "2013:07:05 03:18:27", OFFSET_TIME_ORIGINAL: "+25:00"}))
    assert info.taken_at == datetime(2013, 7, 5, 3, 18, 27)
    assert [p.template for p in info.problems] == [exif_values.W_OFFSET_BAD]


@pytest.mark.parametrize("value, expected", [(6, 6), (9, None), (0, None)])
def test_orientation(value, expected):
    info = read_info(make_jpeg(ifd0={ORIENTATION: value}))
    assert info.orientation == expected
    if expected is None:
        assert info.missing["orientation"].template == exif.R_BAD_ORIENTATION


def test_upright_size_swaps_for_rotated_orientations():
    info = read_info(make_jpeg(size=(64, 48), ifd0={ORIENTATION: 6}))
    assert (info.width, info.height) == (64, 48) and info.upright_size == (48, 64)


def test_text_tags_padding_and_utf8():
    info = read_info(make_jpeg(ifd0={MAKE: "WWL     ", MODEL: "ION230\x00F"}))
    assert (info.make, info.model) == ("WWL", "ION230")
    info = read_info(make_jpeg(ifd0={MAKE: "华为".encode(), MODEL: "   "}))
    assert info.make == "华为" and info.missing["model"].template == exif.R_EMPTY_TAG


# -- hand-made files: broken files -----------------------------------------------------------------------------------

def test_no_exif_block():
    info = read_info(make_jpeg(no_exif=True))
    assert {r.template for r in info.missing.values()} == {exif.R_NO_EXIF} and info.width == 64


def test_truncated_jpeg(tmp_path):
    data = make_jpeg(size=(256, 192), gps=gps_block(lat=32.38, lon=111.67))
    info = read_info(data[: len(data) * 2 // 3])
    assert info.lat == pytest.approx(32.38)  # the header is whole, so its EXIF is still good
    assert [p.template for p in info.problems] == [jpeg.W_DATA_TRUNCATED]
    info = read_info(data[:30])
    assert info.width is None and info.missing["lat"].template == jpeg.W_HEADER_TRUNCATED
    check_reasons(info)


@pytest.mark.parametrize("content, template", [
    (b"", exif.R_EMPTY), (b"hello, not a photo", exif.R_NOT_IMAGE), (None, exif.R_CANNOT_READ)])
def test_not_a_photo(tmp_path, content, template):
    path = tmp_path / "x.jpg"
    if content is not None:
        path.write_bytes(content)
    info = read_info(path)
    assert info.missing["lat"].template == template and info.missing["width"].template == template


def test_png_is_read_but_flagged(tmp_path):
    path = tmp_path / "x.png"
    Image.new("RGB", (10, 10)).save(path)
    info = read_info(path)
    assert info.format == "PNG" and info.problems[0].template == exif.W_NOT_JPEG_FORMAT


def with_xmp(data: bytes, xmp: bytes) -> bytes:
    segment = b"\xff\xe1" + (len(xmp) + 31).to_bytes(2, "big") + b"http://ns.adobe.com/xap/1.0/\x00" + xmp
    return data[:2] + segment + data[2:]


def test_time_from_xmp_before_the_fallback_tags():
    """Editors that damage or drop the EXIF sub-block often keep exif:DateTimeOriginal in XMP (fixture 30)."""
    xmp = b'<x:xmpmeta><rdf:Description exif:DateTimeOriginal="2013-07-05T03:18:27+08:00"/></x:xmpmeta>'
    info = read_info(with_xmp(make_jpeg(ifd0={DATETIME: "2020:01:01 00:00:00"}), xmp))
    assert info.taken_source == "XMP exif:DateTimeOriginal" and info.taken_text == "2013:07:05 03:18:27+08:00"
    info = read_info(with_xmp(make_jpeg(exif_ifd={DATETIME_ORIGINAL: "2020:01:01 00:00:00"}), xmp))
    assert info.taken_source == "DateTimeOriginal"  # EXIF itself first
    assert exif_values.xmp_property(b"<exif:DateTimeOriginal> 2013-07-05T03:18:27 </exif:DateTimeOriginal>",
                                    "exif:DateTimeOriginal") == "2013-07-05T03:18:27"


# pytest restores the warning filters after each test, dropping the one nibi_desk.photos.exif installs at import.
@pytest.mark.filterwarnings("ignore::UserWarning:PIL.TiffImagePlugin")
def test_never_crashes_on_damaged_exif():
    """Random byte damage inside the EXIF block: always a PhotoInfo, every absent field explained."""
    data = bytearray(make_jpeg(ifd0={MAKE: "Acme", ORIENTATION: 6},
                               exif_ifd={DATETIME_ORIGINAL: "2024:05:01 10:11:12", OFFSET_TIME_ORIGINAL: "+08:00"},
                               gps=gps_block(lat=-33.5, lon=151.25, alt=10, alt_ref=0)))
    start = data.find(b"Exif\x00\x00")  # the TIFF structure inside the APP1 segment
    end = start - 2 + int.from_bytes(data[start - 2:start], "big")
    rng = random.Random(20240501)
    for _ in range(300):
        damaged = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            damaged[rng.randrange(start + 6, end)] = rng.randrange(256)
        info = read_info(bytes(damaged))
        check_reasons(info)
        if info.lat is not None:  # whatever survived must still be a real coordinate
            assert -90 <= info.lat <= 90 and -180 <= info.lon <= 180


def test_mpo_is_a_jpeg(tmp_path):
    """Phones and cameras that add an MPF index (depth map, preview) produce what Pillow calls MPO: still a JPEG."""
    path = tmp_path / "mpo.jpg"
    first = Image.new("RGB", (40, 30), "red")
    first.save(path, "MPO", save_all=True, append_images=[Image.new("RGB", (20, 15), "blue")])
    info = read_info(path)
    assert info.format == "MPO" and info.problems == [] and (info.width, info.height) == (40, 30)
