"""BeiDou grid codes (GB/T 39409-2020): the standard's vectors, edges, mirror hemispheres, errors, round trips."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import FrozenInstanceError
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nibi_desk import i18n
from nibi_desk.domain.grid import (
    CODE_LENGTHS,
    LEVEL_SIZES,
    GridCell,
    decode,
    encode,
    encode_lines,
    parse_level,
)
from nibi_desk.errors import ValidationError


def dms(degrees: int, minutes: int, seconds: str) -> Fraction:
    """Degrees, minutes, seconds as an exact number: 45.37/3600 is not a finite decimal, so use a Fraction."""
    return degrees + Fraction(minutes, 60) + Fraction(Decimal(seconds)) / 3600


# The standard's own example point (lon E, lat N) and its code at each level it gives.
POINT = (dms(116, 18, "45.37"), dms(39, 59, "35.38"))
POINT_CODES = {
    1: "N50J",
    2: "N50J47",
    3: "N50J475",
    4: "N50J47539",
    5: "N50J47539B8",
    6: "N50J47539B82",
    7: "N50J47539B8255",
    8: "N50J47539B825534",
    10: "N50J47539B8255346152",
}
LEVEL5_VECTORS = [
    ((dms(116, 19, "14.3184"), dms(39, 59, "56.1444")), "N50J475493E"),
    ((dms(116, 19, "5.9808"), dms(39, 59, "59.7012")), "N50J475491E"),
    ((dms(116, 19, "9.3540"), dms(39, 59, "56.5260")), "N50J475492E"),
]


@pytest.mark.parametrize("level, code", sorted(POINT_CODES.items()))
def test_standard_vector_at_every_level(level, code):
    assert encode(*POINT, level=level) == code
    assert len(code) == CODE_LENGTHS[level]
    assert decode(code).contains(*POINT)


@pytest.mark.parametrize("point, code", LEVEL5_VECTORS)
def test_standard_level5_vectors(point, code):
    assert encode(*point, level=5) == code


def test_default_level_is_10_and_a_close_decimal_gives_the_same_code():
    lon, lat = POINT
    assert encode(lon, lat) == POINT_CODES[10]
    # 20 significant digits of the same point: far from any level-10 edge, so the same cell.
    as_decimal = [str(Decimal(f.numerator) / Decimal(f.denominator)) for f in (lon, lat)]
    assert encode(*as_decimal) == POINT_CODES[10]


def test_mirror_check_of_the_standard():
    assert encode(Decimal("-116.3126"), Decimal("-39.9932"), 1) == "S11J"
    assert encode("-116.3126", "-39.9932").startswith("S11J")


@pytest.mark.parametrize("level", range(1, 11))
def test_south_west_is_the_mirror_image_of_north_east(level):
    lon, lat = POINT
    north_east = encode(lon, lat, level)
    south_west = encode(-lon, -lat, level)
    # Zone 50 (114-120 E) mirrors to zone 11 (120-114 W); every finer group is the same.
    assert south_west == "S11" + north_east[3:]
    assert encode(-lon, lat, level) == "N11" + north_east[3:]
    assert encode(lon, -lat, level) == "S50" + north_east[3:]


def test_every_input_type_gives_the_same_code():
    codes = {encode(x, y, 10) for x, y in [
        ("116.5", "39.25"), (Decimal("116.5"), Decimal("39.25")), (116.5, 39.25),
        (Fraction(233, 2), Fraction(157, 4)), (" 116.50 ", "39.250"),
    ]}
    assert len(codes) == 1
    assert encode(117, 40, 2) == encode("117", "40", 2) == "N50K60"


def test_float_counts_as_the_decimal_that_was_typed():
    # 116.3 is exactly 116 deg 18', an edge at level 4 and below; the float 116.3 is a hair less than that.
    assert float(Decimal(116.3)) == 116.3 and Decimal(116.3) < Decimal("116.3")
    assert encode(116.3, 40.1, 10) == encode("116.3", "40.1", 10)
    # 2 deg 18' east and 0 deg 6' north of the zone's corner: every group below level 4 is zero.
    assert encode(116.3, 40.1, 10) == "N50K40136" + "00" + "0" + "00" * 4
    # The binary value itself lies just inside the previous 1' column, so using it would give another cell.
    assert encode(Fraction(116.3), Fraction(40.1), 4) == "N50K40126"


@pytest.mark.parametrize("sign", [1, -1])
def test_point_on_a_level2_edge_goes_into_the_cell_farther_from_the_origin(sign):
    hemisphere, zone = ("N", "50") if sign == 1 else ("S", "11")
    lon, lat = Decimal("116.5") * sign, Decimal("39.5") * sign  # 116 deg 30' and 39 deg 30': level-2 edges
    assert encode(lon, lat, 2) == f"{hemisphere}{zone}J57"
    just_inside = Decimal("0.0000001") * sign
    assert encode(lon - just_inside, lat - just_inside, 2) == f"{hemisphere}{zone}J46"
    cell = decode(encode(lon, lat, 2))
    if sign == 1:
        assert (cell.west, cell.south) == (lon, lat)
    else:
        assert (cell.east, cell.north) == (lon, lat)


def test_level1_edges_equator_and_prime_meridian():
    assert encode(114, 40, 1) == "N50K"
    assert encode(-114, -40, 1) == "S11K"  # mirror rule: |lon| 114 starts the zone 120 W-114 W
    assert encode(0, 0, 1) == "N31A"
    assert encode(-0.0, -0.0, 1) == "N31A"
    assert encode("-0.1", "-0.1", 1) == "S30A"
    assert encode(6, 4, 2) == "N32B00"
    cell = decode("N30A")
    assert (cell.west, cell.east) == (Decimal(-6), Decimal(0)) and not cell.east.is_signed()


def test_antimeridian_belongs_to_the_outermost_zones():
    assert encode(-180, 0, 1) == "N01A"
    assert encode(180, 0, 1) == "N60A"
    assert decode(encode(-180, 10, 10)).contains(-180, 10)
    assert decode(encode(180, -10, 10)).contains(180, -10)
    assert decode("N01A").west == Decimal(-180) and decode("N60A").east == Decimal(180)


@pytest.mark.parametrize("lat", ["88", "-88", 88.0, "89.9999", Decimal("-90"), Fraction(176, 2)])
def test_polar_latitudes_are_refused_in_both_languages(lat):
    with pytest.raises(ValidationError) as caught:
        encode(116, lat, 5)
    error = caught.value
    assert error.where.field == "latitude"
    i18n.set_language("en")
    assert "polar cells are not supported" in str(error) and "88" in str(error)
    i18n.set_language("zh_CN")
    assert "不支持极地网格" in str(error) and "纬度" in str(error)


def test_polar_message_names_the_latitude():
    i18n.set_language("en")
    with pytest.raises(ValidationError) as caught:
        encode(116, "89.25", 5)
    assert str(caught.value) == (
        "field latitude: Latitude 89.25 is at or beyond 88 degrees: polar cells are not supported"
    )
    i18n.set_language("zh_CN")
    assert str(caught.value).endswith("纬度 89.25 达到或超过 88 度：不支持极地网格")


def test_just_below_the_polar_limit_is_band_v():
    assert encode(0, "87.9999999", 1) == "N31V"
    assert encode(0, "-87.9999999", 1) == "S31V"


@pytest.mark.parametrize("lon, lat, field, words", [
    ("180.0000001", 0, "longitude", "outside -180 to 180"),
    (-181, 0, "longitude", "outside -180 to 180"),
    (0, "90.5", "latitude", "outside -90 to 90"),
    (0, -91, "latitude", "outside -90 to 90"),
    ("abc", 0, "longitude", "is not a number"),
    ("", 0, "longitude", "is not a number"),
    (None, 0, "longitude", "is not a number"),
    (True, 0, "longitude", "is not a number"),
    (0, "NaN", "latitude", "is not a number"),
    (0, float("inf"), "latitude", "is not a number"),
    (0, [1], "latitude", "is not a number"),
])
def test_bad_coordinates(lon, lat, field, words):
    i18n.set_language("en")
    with pytest.raises(ValidationError) as caught:
        encode(lon, lat, 3)
    assert caught.value.where.field == field
    assert words in str(caught.value)


@pytest.mark.parametrize("level", [0, 11, -1, "5", 5.0, True, None])
def test_bad_levels(level):
    i18n.set_language("en")
    with pytest.raises(ValidationError, match="whole number from 1 to 10") as caught:
        encode(116, 39, level)
    assert caught.value.where.field == "level"


def test_parse_level():
    assert parse_level("7") == 7 and parse_level(" L10 ") == 10 and parse_level("l1") == 1 and parse_level(3) == 3
    for bad in ("0", "11", "x", "", "L", "7.5"):
        with pytest.raises(ValidationError):
            parse_level(bad)


def test_level_table():
    assert CODE_LENGTHS == {1: 4, 2: 6, 3: 7, 4: 9, 5: 11, 6: 12, 7: 14, 8: 16, 9: 18, 10: 20}
    assert LEVEL_SIZES[1] == (6 * 3600, 4 * 3600)
    assert LEVEL_SIZES[2] == (1800, 1800) and LEVEL_SIZES[3] == (900, 600)
    assert LEVEL_SIZES[4] == (60, 60) and LEVEL_SIZES[5] == (4, 4) and LEVEL_SIZES[6] == (2, 2)
    assert [LEVEL_SIZES[lv][0] for lv in (7, 8, 9, 10)] == [Fraction(1, 4), Fraction(1, 32), Fraction(1, 256),
                                                             Fraction(1, 2048)]


def test_decode_gives_the_cell_edges():
    cell = decode("N50J47")
    assert cell == GridCell(2, Decimal(116), Decimal("39.5"), Decimal("116.5"), Decimal(40))
    assert cell.center == (116.25, 39.75)
    assert decode("S11J47") == GridCell(2, Decimal("-116.5"), Decimal(-40), Decimal(-116), Decimal("-39.5"))
    assert decode(" n50j47 ") == cell
    with pytest.raises(FrozenInstanceError):
        cell.level = 3


@pytest.mark.parametrize("code, position, char", [
    ("X50J47", 1, "X"),
    ("N5XJ", 3, "X"),
    ("NA0J", 2, "A"),
    ("N50W", 4, "W"),
    ("N50JC7", 5, "C"),
    ("N50J48", 6, "8"),
    ("N50J476", 7, "6"),
    ("N50J475F9", 8, "F"),
    ("N50J4753A", 9, "A"),
    ("N50J47539F8", 10, "F"),
    ("N50J47539B84", 12, "4"),
    ("N50J47539B8258", 14, "8"),
    ("N50J47539B825534615-", 20, "-"),
])
def test_malformed_codes_name_the_character_and_its_position(code, position, char):
    i18n.set_language("en")
    with pytest.raises(ValidationError) as caught:
        decode(code)
    error = caught.value
    assert (error.params["position"], error.params["char"]) == (position, char)
    assert f"character {char} at position {position}" in str(error)
    i18n.set_language("zh_CN")
    assert f"第 {position} 位的字符 {char}" in str(error)


@pytest.mark.parametrize("code", ["N00J", "S61A", "N99V47"])
def test_zone_out_of_range(code):
    i18n.set_language("en")
    with pytest.raises(ValidationError, match="longitude zone .* must be 01 to 60"):
        decode(code)


@pytest.mark.parametrize("code", ["", "N", "N50", "N50J4", "N50J47539B8255346152X", None])
def test_codes_of_the_wrong_length(code):
    i18n.set_language("en")
    with pytest.raises(ValidationError, match="4, 6, 7, 9, 11, 12, 14, 16, 18, 20 characters"):
        decode(code)


longitudes = st.floats(min_value=-180, max_value=180, exclude_max=True, allow_nan=False)
latitudes = st.floats(min_value=-88, max_value=88, exclude_min=True, exclude_max=True, allow_nan=False)
levels = st.integers(min_value=1, max_value=10)
UNITS = 3600 * 2048  # level-10 cells per degree


@settings(max_examples=400, deadline=None)
@given(longitudes, latitudes, levels)
def test_decoded_cell_contains_the_point(lon, lat, level):
    code = encode(lon, lat, level)
    assert len(code) == CODE_LENGTHS[level]
    cell = decode(code)
    assert cell.level == level
    assert cell.contains(lon, lat)
    x, y = Decimal(repr(lon)), Decimal(repr(lat))
    assert cell.west <= x <= cell.east and cell.south <= y <= cell.north
    # Half-open: the edge nearer the origin belongs to the cell, the farther one to the next cell out.
    near_x, far_x = sorted((abs(cell.west), abs(cell.east)))
    near_y, far_y = sorted((abs(cell.south), abs(cell.north)))
    assert near_x <= abs(x) < far_x or abs(x) == 180
    assert near_y <= abs(y) < far_y
    assert encode(*cell.center, level) == code


@settings(max_examples=200, deadline=None)
@given(st.integers(-180 * UNITS + 1, 180 * UNITS - 1), st.integers(-88 * UNITS + 1, 88 * UNITS - 1), levels)
def test_a_point_on_a_level10_edge_is_the_near_corner_of_its_cell(u, v, level):
    # Exact multiples of 1/2048": edges at every level; the cell is the one that starts there (seen from the origin).
    lon, lat = Fraction(u, UNITS), Fraction(v, UNITS)
    cell = decode(encode(lon, lat, 10))
    # Edges such as 1/6 degree have no finite decimal: GridCell rounds them to 34 digits, far below one unit.
    assert round(Fraction(cell.east if u < 0 else cell.west) * UNITS) == u
    assert round(Fraction(cell.north if v < 0 else cell.south) * UNITS) == v
    assert cell.contains(lon, lat)
    assert encode(lon, lat, level) == encode(lon, lat, 10)[:CODE_LENGTHS[level]]


@settings(max_examples=200, deadline=None)
@given(longitudes, latitudes)
def test_a_parent_code_is_a_prefix_of_its_children(lon, lat):
    full = encode(lon, lat, 10)
    for level in range(1, 10):
        assert encode(lon, lat, level) == full[:CODE_LENGTHS[level]]
        parent, child = decode(full[:CODE_LENGTHS[level]]), decode(full[:CODE_LENGTHS[level + 1]])
        assert parent.west <= child.west and child.east <= parent.east
        assert parent.south <= child.south and child.north <= parent.north


def test_standard_point_parents_are_prefixes():
    full = encode(*POINT)
    for level, code in POINT_CODES.items():
        assert full.startswith(code)


def test_encode_lines():
    lines = ["116.5 39.5\n", "116.5,39.5", " 116.5 , 39.5 ", "", "# comment", "-116.5\t-39.5  # note", "\ufeff0 0"]
    assert list(encode_lines(lines, 2)) == ["N50J57", "N50J57", "N50J57", "S11J57", "N31A00"]


@pytest.mark.parametrize("bad, field", [("116.5", None), ("1 2 3", None), ("abc 39", "longitude"),
                                        ("116 88", "latitude")])
def test_encode_lines_names_the_bad_row(bad, field):
    codes = encode_lines(["116 39", "", bad, "117 40"], 3)
    assert next(codes) == "N50J460"
    with pytest.raises(ValidationError) as caught:
        next(codes)
    assert caught.value.where.row == 3 and caught.value.where.field == field
    assert "第 3 行" in str(caught.value)


def test_encode_lines_checks_the_level_at_once():
    with pytest.raises(ValidationError):
        encode_lines([], 11)


def test_grid_runs_without_qt():
    code = "import sys, nibi_desk.domain.grid as g; g.encode(1, 1); assert not any('PySide6' in m for m in sys.modules)"
    subprocess.run([sys.executable, "-c", code], check=True)
