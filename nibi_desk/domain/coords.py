"""Coordinates: read the degree notations of real ledgers, convert GCJ-02/BD-09 to WGS-84, measure and format."""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from typing import Union

import prcoords

from nibi_desk.errors import ValidationError, Where
from nibi_desk.i18n import N_

Number = Union[float, int, Decimal]

EARTH_RADIUS_M = 6371008.8  # WGS-84 mean radius (IUGG R1)
AXES = ("lon", "lat")
_LIMIT = {"lon": 180, "lat": 90}

E_EMPTY = N_("empty coordinate: enter degrees, e.g. 111.675 or 111°40′30.5″")
E_CHAR = N_("cannot read “{text}” as a coordinate: unexpected character “{char}”")
E_NOT_FINITE = N_("“{text}” is not a finite number")
E_TOO_MANY = N_("“{text}” has more than three numbers (degrees, minutes, seconds)")
E_ORDER = N_("“{text}”: degrees, minutes and seconds must come in that order, each at most once")
E_FRACTION = N_("“{text}”: only the last part may have decimals (111°40.5′, not 111.5°40′)")
E_MINUTES = N_("“{text}”: minutes must be less than 60 (got {value})")
E_SECONDS = N_("“{text}”: seconds must be less than 60 (got {value})")
E_SIGN_AND_HEMISPHERE = N_("“{text}”: give either a minus sign or a hemisphere, not both")
E_TWO_HEMISPHERES = N_("“{text}”: more than one hemisphere mark")
E_LAT_HEMISPHERE = N_("“{text}”: {mark} marks a latitude, but a longitude is expected")
E_LON_HEMISPHERE = N_("“{text}”: {mark} marks a longitude, but a latitude is expected")
E_LON_RANGE = N_("longitude {value} from “{text}” is outside −180…180")
E_LAT_RANGE = N_("latitude {value} from “{text}” is outside −90…90")
E_CRS = N_("unknown coordinate system “{crs}”; use WGS84, CGCS2000, GCJ02 or BD09")

# Hemisphere marks: (axis, sign). Chinese ones are prefixes in ledgers, but a trailing one is just as clear.
_HEMISPHERES = {"北纬": ("lat", 1), "南纬": ("lat", -1), "东经": ("lon", 1), "西经": ("lon", -1),
                "N": ("lat", 1), "S": ("lat", -1), "E": ("lon", 1), "W": ("lon", -1)}
# Unit marks after NFKC. NFKC splits ″ into ′′, so pairs of minute marks mean seconds; Word's curly quotes and the
# ASCII quote/apostrophe stand in for ″ and ′ in typed ledgers.
_SECOND_MARKS = ("′′", "''", "’’", '"', "”", "秒")
_MINUTE_MARKS = ("′", "'", "’", "分")
_DEGREE_MARKS = ("°", "度")
_ANY_MARK = "".join(_SECOND_MARKS + _MINUTE_MARKS + _DEGREE_MARKS) + "."
_UNITS = "°′″"  # canonical marks, in order: degrees, minutes, seconds
_TOKEN = re.compile(r"\s*(?:(?P<num>\d+(?:\.\d*)?|\.\d+)|(?P<unit>[°′″])|(?P<sep>:)|(?P<other>.))")


def _fail(template: str, axis: str, **params) -> ValidationError:
    return ValidationError(template, where=Where(field=axis), **params)


def _check_axis(axis: str) -> None:
    if axis not in AXES:
        raise ValueError(f"axis must be 'lon' or 'lat', not {axis!r}")


def _split_hemisphere(text: str, shown: str, axis: str) -> tuple[str, int | None]:
    """Remove one hemisphere mark from either end; return the rest and the sign it gives (None when absent)."""
    sign, found = None, None
    for mark, (mark_axis, mark_sign) in _HEMISPHERES.items():
        n = len(mark)
        # A mark only counts beside the number ("N32.39", "111.675E"), so that "nan" is not read as north.
        prefix = text[n:].lstrip() if text[:n].upper() == mark else ""
        suffix = text[:-n].rstrip() if text[-n:].upper() == mark else ""
        for rest in (prefix if prefix and (prefix[0].isdigit() or prefix[0] in "+-−.") else None,
                     suffix if suffix and (suffix[-1].isdigit() or suffix[-1] in _ANY_MARK) else None):
            if rest is None:
                continue
            if found is not None:
                raise _fail(E_TWO_HEMISPHERES, axis, text=shown)
            if mark_axis != axis:
                raise _fail(E_LAT_HEMISPHERE if mark_axis == "lat" else E_LON_HEMISPHERE, axis, text=shown, mark=mark)
            found, sign, text = mark, mark_sign, rest.strip()
            break
    if found and any(m in text.upper() for m in _HEMISPHERES):
        raise _fail(E_TWO_HEMISPHERES, axis, text=shown)
    return text, sign


def _parts(body: str, shown: str, axis: str) -> list[tuple[str, str]]:
    """Split the unsigned body into (unit, number) pairs, units "°", "′", "″" in order."""
    # Seconds first: their marks are pairs of minute marks.
    for marks, unit in ((_SECOND_MARKS, "″"), (_MINUTE_MARKS, "′"), (_DEGREE_MARKS, "°")):
        for mark in marks:
            body = body.replace(mark, unit)
    numbers: list[list[str | None]] = []  # [number, unit or None]
    for match in _TOKEN.finditer(body):
        if match["num"]:
            numbers.append([match["num"], None])
        elif match["unit"]:
            if not numbers or numbers[-1][1] is not None:
                raise _fail(E_ORDER, axis, text=shown)
            numbers[-1][1] = match["unit"]
        elif match["other"] is not None and not match["other"].isspace():
            raise _fail(E_CHAR, axis, text=shown, char=match["other"])
    if not numbers:
        raise _fail(E_EMPTY, axis)
    if len(numbers) > 3:
        raise _fail(E_TOO_MANY, axis, text=shown)
    # Unmarked numbers take the next unit: "111 40 30.5", "111:40:30.5", "111°40′30.5" (seconds mark left off).
    parts, position = [], 0
    for number, unit in numbers:
        index = _UNITS.index(unit) if unit else position
        if index < position or index > 2:
            raise _fail(E_ORDER, axis, text=shown)
        parts.append((_UNITS[index], number))
        position = index + 1
    if parts[0][0] != "°":
        raise _fail(E_ORDER, axis, text=shown)
    if any("." in number for _, number in parts[:-1]):
        raise _fail(E_FRACTION, axis, text=shown)
    return parts


def parse_coordinate_exact(text: str | Number, axis: str) -> Fraction:
    """Like :func:`parse_coordinate` but exact even for DMS values that do not end in decimal (40′ = 2/3°)."""
    _check_axis(axis)
    if isinstance(text, bool):
        raise _fail(E_CHAR, axis, text=str(text), char=str(text))
    if isinstance(text, (int, float, Decimal)):
        if isinstance(text, (float, Decimal)) and not math.isfinite(text):
            raise _fail(E_NOT_FINITE, axis, text=str(text))
        # Numeric spreadsheet cells: repr() of a float is the shortest text that reads back to it; "f" keeps
        # Decimal("1E+2") from looking like an east hemisphere mark.
        text = repr(text) if isinstance(text, float) else format(text, "f") if isinstance(text, Decimal) else str(text)
    shown = str(text).strip()
    # Degree look-alikes NFKC would turn into letters ("º" into "o"), so map them to ° first.
    body = unicodedata.normalize("NFKC", shown.replace("º", "°").replace("˚", "°")).strip()
    if not body:
        raise _fail(E_EMPTY, axis)
    body, sign = _split_hemisphere(body, shown, axis)
    if body[:1] in ("+", "-", "−"):  # NFKC leaves U+2212 MINUS SIGN alone
        if sign is not None:  # "-32.1S" could mean north or south: refuse rather than guess
            raise _fail(E_SIGN_AND_HEMISPHERE, axis, text=shown)
        sign = -1 if body[0] != "+" else 1
        body = body[1:].strip()
    parts = dict(_parts(body, shown, axis))
    minutes, seconds = Fraction(parts.get("′", "0")), Fraction(parts.get("″", "0"))
    if minutes >= 60:
        raise _fail(E_MINUTES, axis, text=shown, value=parts["′"])
    if seconds >= 60:
        raise _fail(E_SECONDS, axis, text=shown, value=parts["″"])
    value = (sign or 1) * (Fraction(parts["°"]) + minutes / 60 + seconds / 3600)
    if abs(value) > _LIMIT[axis]:
        shown_value = _to_decimal(value).normalize()
        raise _fail(E_LON_RANGE if axis == "lon" else E_LAT_RANGE, axis, text=shown, value=f"{shown_value:f}")
    return value


def _to_decimal(value: Fraction) -> Decimal:
    # Exact when the value ends in decimal (decimal-degree input, 30′, 36″); otherwise 28 significant digits.
    with localcontext() as ctx:
        ctx.prec = 28
        return Decimal(value.numerator) / Decimal(value.denominator)


def parse_coordinate(text: str | Number, axis: str) -> Decimal:
    """Read one longitude (``axis="lon"``) or latitude (``"lat"``) as typed in a ledger; degrees as a Decimal.

    Accepts decimal degrees ("111.675", "-32.1", "111.675E", "N32.39"), degrees-minutes-seconds ("111°40′30.5″",
    "111°40'30.5\"", "111度40分30.5秒", "111 40 30.5", "111:40:30.5"), degrees and decimal minutes ("111°40.508′"),
    hemisphere letters or 北纬/南纬/东经/西经, full-width digits and punctuation. Raises ValidationError (field = axis).
    """
    return _to_decimal(parse_coordinate_exact(text, axis))


# --- datum conversion -------------------------------------------------------------------------------------------
# prcoords works in (lat, lon) order; every function here takes and returns (lon, lat). Outside China GCJ-02
# applies no offset, so points abroad pass through unchanged. "China" is prcoords' bounding box (sanity_in_china_p:
# 0.83–55.83° N, 72.00–137.83° E), which also covers neighbours such as Korea and Mongolia — the same rough test
# the map apps use. We test the box ourselves: prcoords' precise GCJ inverse skips it inside its iteration and
# would shift foreign points, and its forward function warns about them.


def _in_china(lon: float, lat: float) -> bool:
    return prcoords.sanity_in_china_p(prcoords.Coords(lat, lon))


def wgs84_to_gcj02(lon: Number, lat: Number) -> tuple[float, float]:
    lon, lat = float(lon), float(lat)
    if not _in_china(lon, lat):
        return lon, lat
    out = prcoords.wgs_gcj(prcoords.Coords(lat, lon), False)
    return out.lon, out.lat


def gcj02_to_wgs84(lon: Number, lat: Number) -> tuple[float, float]:
    """GCJ-02 → WGS-84 by prcoords' iterative inverse (millimetre-level, far below the data's own accuracy)."""
    lon, lat = float(lon), float(lat)
    if not _in_china(lon, lat):
        return lon, lat
    out = prcoords.gcj_wgs_bored(prcoords.Coords(lat, lon))
    return out.lon, out.lat


def wgs84_to_bd09(lon: Number, lat: Number) -> tuple[float, float]:
    """WGS-84 → BD-09. Baidu's own shift on top of GCJ-02 applies everywhere, also where GCJ-02 does not."""
    gcj_lon, gcj_lat = wgs84_to_gcj02(lon, lat)
    out = prcoords.gcj_bd(prcoords.Coords(gcj_lat, gcj_lon))
    return out.lon, out.lat


def bd09_to_wgs84(lon: Number, lat: Number) -> tuple[float, float]:
    """BD-09 → WGS-84: prcoords' precise BD-09 → GCJ-02 inverse, then :func:`gcj02_to_wgs84`."""
    gcj = prcoords.bd_gcj_bored(prcoords.Coords(float(lat), float(lon)))
    return gcj02_to_wgs84(gcj.lon, gcj.lat)


_TO_WGS84 = {
    "WGS84": lambda lon, lat: (float(lon), float(lat)),
    # CGCS2000 and WGS-84 differ by centimetres: the same for registry and map purposes.
    "CGCS2000": lambda lon, lat: (float(lon), float(lat)),
    "GCJ02": gcj02_to_wgs84,
    "BD09": bd09_to_wgs84,
}


def to_wgs84(lon: Number, lat: Number, crs: str) -> tuple[float, float]:
    """Convert (lon, lat) given in ``crs`` (WGS84, CGCS2000, GCJ02, BD09; case, '-', '_' and spaces ignored)."""
    key = re.sub(r"[\s_-]", "", str(crs)).upper()
    if key not in _TO_WGS84:
        raise ValidationError(E_CRS, where=Where(field="crs"), crs=crs)
    return _TO_WGS84[key](lon, lat)


def haversine_m(lon1: Number, lat1: Number, lon2: Number, lat2: Number) -> float:
    """Great-circle distance in metres on a sphere of the WGS-84 mean radius (error < 0.5 %, enough for inspection)."""
    phi1, phi2 = math.radians(float(lat1)), math.radians(float(lat2))
    dphi, dlam = phi2 - phi1, math.radians(float(lon2) - float(lon1))
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlam / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def format_dms(value: Number | str, axis: str, places: int = 2) -> str:
    """Degrees as "111°40′30.50″E" (seconds with ``places`` decimals, minutes and seconds zero-padded)."""
    _check_axis(axis)
    step = Decimal(1).scaleb(-places)
    # Round once, in units of the last shown second, so 59.999″ carries into the minutes instead of showing 60.00″.
    total = (abs(Decimal(str(value))) * 3600 / step).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    units_per_minute = int(60 / step)
    degrees, rest = divmod(int(total), 60 * units_per_minute)
    minutes, seconds = divmod(rest, units_per_minute)
    negative = Decimal(str(value)) < 0 and total != 0
    hemisphere = ("W" if negative else "E") if axis == "lon" else ("S" if negative else "N")
    width = 3 + places if places else 2
    sec = f"{Decimal(seconds) * step:0{width}.{places}f}"
    return f"{degrees}°{minutes:02d}′{sec}″{hemisphere}"
