"""BeiDou grid location codes (GB/T 39409-2020), two-dimensional, levels 1-10, in exact integer arithmetic."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation, localcontext
from fractions import Fraction
from typing import Iterable, Iterator, Union

from nibi_desk.errors import ValidationError, Where

Number = Union[str, Decimal, int, float, Fraction]

# All cell arithmetic is done on integers in units of the level-10 cell (1/2048 arc-second): float division puts
# points lying on a cell boundary into the wrong cell.
UNITS_PER_SECOND = 2048
UNITS_PER_DEGREE = 3600 * UNITS_PER_SECOND
MIN_LEVEL, MAX_LEVEL = 1, 10
POLAR_LATITUDE = 88  # beyond it the standard uses special polar cells (its section 5.3), not implemented here

_DIGITS = "0123456789ABCDEF"
_BANDS = "ABCDEFGHIJKLMNOPQRSTUV"  # level-1 latitude bands, 4 degrees each from the equator up to 88

# Levels 2..10: how a parent cell is split (columns along longitude, rows along latitude) and whether the level
# writes one Z-order digit (row * columns + column) or a column digit followed by a row digit.
_SPLITS = {2: (12, 8, False), 3: (2, 3, True), 4: (15, 10, False), 5: (15, 15, False), 6: (2, 2, True),
           7: (8, 8, False), 8: (8, 8, False), 9: (8, 8, False), 10: (8, 8, False)}

_SIZES = {1: (6 * UNITS_PER_DEGREE, 4 * UNITS_PER_DEGREE)}  # level -> (lon, lat) cell size in units
CODE_LENGTHS = {1: 4}  # level -> number of characters, hemisphere letter included
for _level, (_cols, _rows, _z) in _SPLITS.items():
    _lon, _lat = _SIZES[_level - 1]
    assert _lon % _cols == 0 and _lat % _rows == 0, "cell sizes must stay whole units"
    _SIZES[_level] = (_lon // _cols, _lat // _rows)
    CODE_LENGTHS[_level] = CODE_LENGTHS[_level - 1] + (1 if _z else 2)

#: Cell size per level as (longitude, latitude) in arc-seconds, exact: level 1 is 6 deg x 4 deg, level 10 1/2048".
LEVEL_SIZES = {lv: (Fraction(w, UNITS_PER_SECOND), Fraction(h, UNITS_PER_SECOND)) for lv, (w, h) in _SIZES.items()}
_LEVEL_OF_LENGTH = {n: lv for lv, n in CODE_LENGTHS.items()}
_HALF_TURN = 180 * UNITS_PER_DEGREE


@dataclass(frozen=True)
class GridCell:
    """A decoded cell: its level and its edges in degrees (negative west and south).

    Edges are exact whenever the degree value is a finite decimal (a 10' latitude step is not: 1/6 degree); those
    are rounded to 34 significant digits. Use :meth:`contains` for an exact test.
    """

    level: int
    west: Decimal
    south: Decimal
    east: Decimal
    north: Decimal

    @property
    def center(self) -> tuple[float, float]:
        return float((self.west + self.east) / 2), float((self.south + self.north) / 2)

    def contains(self, lon: Number, lat: Number) -> bool:
        """Whether the point lies in this cell, edges included, in exact arithmetic."""
        lon_f, lat_f = _to_fraction(lon, "longitude"), _to_fraction(lat, "latitude")
        return (_exact(self.west) <= lon_f <= _exact(self.east)) and (_exact(self.south) <= lat_f <= _exact(self.north))


def _exact(degrees: Decimal) -> Fraction:
    # Every edge is a whole number of units; rounding to 34 digits moved it by far less than half a unit.
    return Fraction(round(Fraction(degrees) * UNITS_PER_DEGREE), UNITS_PER_DEGREE)


def _to_fraction(value: Number, axis: str) -> Fraction:
    """The exact value of a coordinate; floats count as the shortest decimal that round-trips (what was typed)."""
    number: Decimal | Fraction | None = None
    if isinstance(value, Fraction):
        number = value
    elif isinstance(value, int) and not isinstance(value, bool):
        number = Fraction(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, Decimal):
        number = value
    elif isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            number = None
    if isinstance(number, Decimal) and not number.is_finite():
        number = None
    if number is None:
        template = "Longitude {value} is not a number" if axis == "longitude" else "Latitude {value} is not a number"
        raise ValidationError(template, where=Where(field=axis), value=_show(value))
    return Fraction(number)


def _show(value: object) -> str:
    if isinstance(value, Fraction):
        return repr(float(value))
    return value.strip() if isinstance(value, str) else str(value)


def check_level(level: object) -> int:
    """The level as an int, or ValidationError when it is not a whole number from 1 to 10."""
    if isinstance(level, bool) or not isinstance(level, int) or not MIN_LEVEL <= level <= MAX_LEVEL:
        raise ValidationError("Grid level must be a whole number from 1 to 10, not {level}", where=Where(field="level"),
                              level=level)
    return level


def parse_level(text: str | int) -> int:
    """A level typed by a person: "7", "L7" or "l7"."""
    if isinstance(text, str):
        match = re.fullmatch(r"\s*[Ll]?\s*(\d{1,2})\s*", text)
        return check_level(int(match.group(1)) if match else text.strip())
    return check_level(text)


def encode(lon: Number, lat: Number, level: int = 10) -> str:
    """The grid code of the cell holding the point (degrees, negative west and south) at ``level`` (1-10)."""
    level = check_level(level)
    lon_f, lat_f = _to_fraction(lon, "longitude"), _to_fraction(lat, "latitude")
    if not -180 <= lon_f <= 180:
        raise ValidationError("Longitude {value} is outside -180 to 180 degrees", where=Where(field="longitude"),
                              value=_show(lon))
    if not -90 <= lat_f <= 90:
        raise ValidationError("Latitude {value} is outside -90 to 90 degrees", where=Where(field="latitude"),
                              value=_show(lat))
    if abs(lat_f) >= POLAR_LATITUDE:
        raise ValidationError("Latitude {value} is at or beyond 88 degrees: polar cells are not supported",
                              where=Where(field="latitude"), value=_show(lat))
    # Cells are counted from the corner nearest the equator and the prime meridian in every hemisphere (S and W
    # mirror NE), so work on absolute values and floor: a point on an edge goes into the cell farther out.
    u = int(abs(lon_f) * UNITS_PER_DEGREE)  # int() truncates, which is floor for a non-negative value
    v = int(abs(lat_f) * UNITS_PER_DEGREE)
    # 180 degrees E or W lies on the outer edge of the last zone, which has no cell beyond it.
    u = min(u, _HALF_TURN - 1)
    zone_w, band_h = _SIZES[1]
    column = u // zone_w
    zone = 31 + column if lon_f >= 0 else 30 - column  # zones run eastward from 180 W: 1-30 west, 31-60 east
    parts = ["S" if lat_f < 0 else "N", f"{zone:02d}", _BANDS[v // band_h]]
    u, v = u % zone_w, v % band_h
    for lv in range(2, level + 1):
        cols, _rows, z_order = _SPLITS[lv]
        w, h = _SIZES[lv]
        col, row = u // w, v // h
        parts.append(_DIGITS[row * cols + col] if z_order else _DIGITS[col] + _DIGITS[row])
        u, v = u % w, v % h
    return "".join(parts)


def _bad_char(code: str, pos: int, allowed: str) -> ValidationError:
    return ValidationError("Grid code {code}: character {char} at position {position} must be one of {allowed}",
                           where=Where(field="code"), code=code, char=code[pos], position=pos + 1, allowed=allowed)


def _digit(code: str, pos: int, count: int) -> int:
    index = _DIGITS.find(code[pos], 0, count)
    if index < 0:
        allowed = _DIGITS[0] if count == 1 else f"{_DIGITS[0]}-{_DIGITS[count - 1]}"
        raise _bad_char(code, pos, allowed)
    return index


def decode(code: str) -> GridCell:
    """The cell a code names; ValidationError saying what is wrong when the code is malformed."""
    text = code.strip().upper() if isinstance(code, str) else ""
    level = _LEVEL_OF_LENGTH.get(len(text))
    if level is None:
        lengths = ", ".join(str(n) for n in CODE_LENGTHS.values())
        raise ValidationError("Grid code {code} has {length} characters; a code has {lengths} characters",
                              where=Where(field="code"), code=code, length=len(text), lengths=lengths)
    if text[0] not in "NS":
        raise _bad_char(text, 0, "N, S")
    for pos in (1, 2):
        if not text[pos].isdigit() or not text[pos].isascii():
            raise _bad_char(text, pos, "0-9")
    zone = int(text[1:3])
    if not 1 <= zone <= 60:
        raise ValidationError("Grid code {code}: longitude zone {zone} at positions 2-3 must be 01 to 60",
                              where=Where(field="code"), code=text, zone=text[1:3])
    band = _BANDS.find(text[3])
    if band < 0:
        raise _bad_char(text, 3, "A-V")
    zone_w, band_h = _SIZES[1]
    u = (zone - 31 if zone > 30 else 30 - zone) * zone_w
    v = band * band_h
    pos = 4
    for lv in range(2, level + 1):
        cols, rows, z_order = _SPLITS[lv]
        w, h = _SIZES[lv]
        if z_order:
            row, col = divmod(_digit(text, pos, cols * rows), cols)
            pos += 1
        else:
            col, row = _digit(text, pos, cols), _digit(text, pos + 1, rows)
            pos += 2
        u, v = u + col * w, v + row * h
    w, h = _SIZES[level]
    # Counted outward from the origin in every hemisphere: mirror the edges for zones 1-30 (west) and for S.
    west, east = _edges(u, u + w, zone <= 30)
    south, north = _edges(v, v + h, text[0] == "S")
    return GridCell(level, west, south, east, north)


def _edges(low: int, high: int, mirrored: bool) -> tuple[Decimal, Decimal]:
    """(lower, upper) edge in degrees of the span low..high units from the origin."""
    with localcontext() as ctx:
        ctx.prec = 34
        a, b = Decimal(low) / UNITS_PER_DEGREE, Decimal(high) / UNITS_PER_DEGREE
        return (0 - b, 0 - a) if mirrored else (a, b)  # "0 - x", not "-x", so that no edge is -0


def encode_lines(lines: Iterable[str], level: int) -> Iterator[str]:
    """Codes for "lon lat" lines (whitespace or comma separated); blank lines and # comments give no code.

    The level is checked at once; a bad line raises ValidationError naming its row (1-based).
    """
    level = check_level(level)
    return _encode_lines(lines, level)


def _encode_lines(lines: Iterable[str], level: int) -> Iterator[str]:
    for row, line in enumerate(lines, start=1):
        text = line.lstrip("\ufeff").split("#", 1)[0].strip()
        if not text:
            continue
        fields = [f for f in re.split(r"[\s,;]+", text) if f]
        if len(fields) != 2:
            raise ValidationError("Expected longitude and latitude, got {text}", where=Where(row=row), text=text)
        try:
            yield encode(fields[0], fields[1], level)
        except ValidationError as error:
            raise ValidationError(error.template, where=Where(row=row, field=error.where.field),
                                  **error.params) from None
