"""Coordinates: ledger notations, GCJ-02/BD-09 conversion, distances and DMS display."""

from __future__ import annotations

import json
import re
import warnings
from decimal import Decimal
from fractions import Fraction

import pytest

from nibi_desk import i18n, paths
from nibi_desk.domain import coords
from nibi_desk.domain.coords import (
    bd09_to_wgs84,
    format_dms,
    gcj02_to_wgs84,
    haversine_m,
    parse_coordinate,
    parse_coordinate_exact,
    to_wgs84,
    wgs84_to_bd09,
    wgs84_to_gcj02,
)
from nibi_desk.errors import ValidationError

LAOHEKOU = (111.67, 32.39)
DMS = Fraction(111) + Fraction(40, 60) + Fraction(305, 36000)  # 111°40′30.5″


@pytest.mark.parametrize(
    "text",
    [
        "111°40′30.5″",
        "111°40'30.5\"",
        "111度40分30.5秒",
        "111 40 30.5",
        "111:40:30.5",
        "111°40′30.5",  # seconds mark left off
        "111°40'30.5''",  # two apostrophes for seconds
        "111°40’30.5”",  # Word's curly quotes
        "111º40′30.5″",  # masculine ordinal typed for the degree sign
        "１１１°４０′３０．５″",  # full width
        "东经111°40′30.5″",
        "111°40′30.5″E",
        "  E 111°40′30.5″  ",
    ],
)
def test_dms_forms(text):
    assert parse_coordinate_exact(text, "lon") == DMS
    assert parse_coordinate(text, "lon") == Decimal("111.6751388888888888888888889")


@pytest.mark.parametrize(
    "text, axis, expected",
    [
        ("111.675", "lon", "111.675"),
        ("-32.1", "lat", "-32.1"),
        ("111.675E", "lon", "111.675"),
        ("N32.39", "lat", "32.39"),
        ("32.39 n", "lat", "32.39"),
        ("S32.39", "lat", "-32.39"),
        ("W0.5", "lon", "-0.5"),
        ("西经 70.25", "lon", "-70.25"),
        ("北纬32°23′", "lat", "32.38333333333333333333333333"),
        ("南纬 32度30分", "lat", "-32.5"),
        ("111°40.5′", "lon", "111.675"),
        ("111°40.508′", "lon", "111.6751333333333333333333333"),
        ("111°", "lon", "111"),
        ("−111.5", "lon", "-111.5"),  # U+2212 MINUS SIGN
        ("１１１．６７５", "lon", "111.675"),
        ("180", "lon", "180"),
        ("-90", "lat", "-90"),
    ],
)
def test_decimal_degrees_and_hemispheres(text, axis, expected):
    assert parse_coordinate(text, axis) == Decimal(expected)


def test_decimal_input_stays_exact():
    # Grid codes need the typed digits, not the nearest binary float.
    assert parse_coordinate("111.1", "lon") == Decimal("111.1")
    assert parse_coordinate(111.1, "lon") == Decimal("111.1")  # a numeric spreadsheet cell
    assert parse_coordinate(Decimal("32.390000001"), "lat") == Decimal("32.390000001")
    assert parse_coordinate(Decimal("1E+2"), "lon") == 100
    assert parse_coordinate(32, "lat") == 32


@pytest.mark.parametrize(
    "text, axis, fragment",
    [
        ("", "lon", "empty coordinate"),
        ("   ", "lat", "empty coordinate"),
        ("abc", "lon", "unexpected character “a”"),
        ("nan", "lon", "unexpected character “n”"),
        ("111,675", "lon", "unexpected character “,”"),
        ("111°60′", "lon", "minutes must be less than 60 (got 60)"),
        ("111°40′60″", "lon", "seconds must be less than 60 (got 60)"),
        ("111°75.5′", "lon", "minutes must be less than 60 (got 75.5)"),
        ("181", "lon", "longitude 181 from “181” is outside −180…180"),
        ("-90.5", "lat", "latitude -90.5 from “-90.5” is outside −90…90"),
        ("179°59′60″", "lon", "seconds must be less than 60"),
        ("32.1N", "lon", "N marks a latitude, but a longitude is expected"),
        ("E111", "lat", "E marks a longitude, but a latitude is expected"),
        ("-32.1S", "lat", "either a minus sign or a hemisphere"),
        ("N32.1S", "lat", "more than one hemisphere mark"),
        ("111.5°40′", "lon", "only the last part may have decimals"),
        ("1 2 3 4", "lon", "more than three numbers"),
        ("40′111°", "lon", "must come in that order"),
        ("′30", "lon", "must come in that order"),
    ],
)
def test_bad_input_says_what_and_where(text, axis, fragment):
    i18n.set_language("en")
    with pytest.raises(ValidationError) as caught:
        parse_coordinate(text, axis)
    assert caught.value.where.field == axis
    assert fragment in str(caught.value)


def test_messages_in_chinese_and_english():
    with pytest.raises(ValidationError) as caught:
        parse_coordinate("111°60′", "lon")
    # Raised in Chinese (the default), shown again after a switch: the template is translated when shown.
    zh = str(caught.value)
    assert zh == "字段 经度：“111°60′”：分必须小于 60（当前为 60）"
    i18n.set_language("en")
    assert str(caught.value) == "field longitude: “111°60′”: minutes must be less than 60 (got 60)"


@pytest.mark.parametrize("value", [float("nan"), float("inf"), Decimal("NaN")])
def test_non_finite_number_refused(value):
    with pytest.raises(ValidationError, match="(?i)nan|inf"):
        parse_coordinate(value, "lat")


def test_axis_must_be_lon_or_lat():
    with pytest.raises(ValueError):
        parse_coordinate("1", "x")


def test_every_message_has_a_chinese_translation():
    catalog = json.loads((paths.resources_dir() / "translations" / "zh_CN" / "coords.json").read_text("utf-8"))
    templates = {v for k, v in vars(coords).items() if re.fullmatch(r"E_[A-Z_]+", k)}
    assert templates <= catalog.keys()
    for template in templates:  # same placeholders on both sides
        assert set(re.findall(r"{\w+}", template)) == set(re.findall(r"{\w+}", catalog[template]))


# --- conversions ------------------------------------------------------------------------------------------------

CHINA = [LAOHEKOU, (116.39, 39.91), (121.47, 31.23), (87.62, 43.82), (126.63, 45.75), (109.5, 18.25), (91.1, 29.65)]


@pytest.mark.parametrize("lon, lat", CHINA)
def test_gcj_round_trip_within_half_a_metre(lon, lat):
    back = gcj02_to_wgs84(*wgs84_to_gcj02(lon, lat))
    assert haversine_m(lon, lat, *back) < 0.5


@pytest.mark.parametrize("lon, lat", CHINA)
def test_bd_round_trip_within_half_a_metre(lon, lat):
    back = bd09_to_wgs84(*wgs84_to_bd09(lon, lat))
    assert haversine_m(lon, lat, *back) < 0.5


def test_gcj_offset_at_laohekou_is_hundreds_of_metres():
    gcj = wgs84_to_gcj02(*LAOHEKOU)
    assert 100 < haversine_m(*LAOHEKOU, *gcj) < 1000
    # Our API is (lon, lat): at 老河口 GCJ-02 shifts east and south-ish, so longitude must still be ~111.67.
    assert abs(gcj[0] - 111.67) < 0.01 and abs(gcj[1] - 32.39) < 0.01


def test_bd_offset_is_larger_than_gcj():
    assert haversine_m(*LAOHEKOU, *wgs84_to_bd09(*LAOHEKOU)) > haversine_m(*LAOHEKOU, *wgs84_to_gcj02(*LAOHEKOU))


def test_no_gcj_offset_outside_china():
    paris = (2.3522, 48.8566)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # and no prcoords warning either
        assert wgs84_to_gcj02(*paris) == paris
        assert gcj02_to_wgs84(*paris) == paris
        assert haversine_m(*paris, *bd09_to_wgs84(*wgs84_to_bd09(*paris))) < 0.5


@pytest.mark.parametrize("crs", ["WGS84", "wgs84", "WGS-84", "CGCS2000", "cgcs2000"])
def test_to_wgs84_identity_systems(crs):
    assert to_wgs84(Decimal("111.67"), Decimal("32.39"), crs) == LAOHEKOU


def test_to_wgs84_dispatch():
    gcj = wgs84_to_gcj02(*LAOHEKOU)
    assert to_wgs84(*gcj, "gcj02") == gcj02_to_wgs84(*gcj)
    assert to_wgs84(*gcj, "GCJ-02") == gcj02_to_wgs84(*gcj)
    bd = wgs84_to_bd09(*LAOHEKOU)
    assert to_wgs84(*bd, "Bd09") == bd09_to_wgs84(*bd)


def test_to_wgs84_unknown_crs():
    i18n.set_language("en")
    with pytest.raises(ValidationError, match="unknown coordinate system “EPSG:3857”"):
        to_wgs84(1, 2, "EPSG:3857")


def test_haversine():
    assert haversine_m(*LAOHEKOU, *LAOHEKOU) == 0
    # One degree of a great circle on the WGS-84 mean sphere.
    assert haversine_m(0, 0, 0, 1) == pytest.approx(111195.08, abs=0.01)
    assert haversine_m(0, 0, 1, 0) == pytest.approx(111195.08, abs=0.01)
    assert haversine_m(0, 0, 180, 0) == pytest.approx(3.14159265 * 6371008.8, rel=1e-8)


# --- display ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, axis, expected",
    [
        (Decimal("111.6751388888888888888888889"), "lon", "111°40′30.50″E"),
        (-32.5, "lat", "32°30′00.00″S"),
        (-111.5, "lon", "111°30′00.00″W"),
        (0, "lat", "0°00′00.00″N"),
        (32.999999999, "lat", "33°00′00.00″N"),  # 59.999996″ rounds up and carries
        ("32.0875", "lat", "32°05′15.00″N"),
    ],
)
def test_format_dms(value, axis, expected):
    assert format_dms(value, axis) == expected


def test_format_dms_places_and_round_trip():
    assert format_dms(111.675, "lon", places=0) == "111°40′30″E"
    value = parse_coordinate("111°40′30.5″", "lon")
    assert parse_coordinate(format_dms(value, "lon"), "lon") == value
