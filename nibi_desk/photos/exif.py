"""Read what a photo says about itself (position, time, orientation, camera) and why anything is missing.

Real files have empty GPS blocks, rationals with zero denominators, dates like ``1999:99:99``, damaged pointers and
truncated data: every field is read on its own, any failure becomes a recorded :class:`Reason`, and a position is
only given when both axes, their hemisphere references and all three rationals are sound (never invented).
"""

from __future__ import annotations

import io
import os
import warnings
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Callable

from PIL import Image, UnidentifiedImageError

from nibi_desk.i18n import N_
from nibi_desk.photos import exif_values as ev
from nibi_desk.photos.exif_values import Missing
from nibi_desk.photos.jpeg import check_structure, looks_like_jpeg
from nibi_desk.photos.reasons import Reason, reason

# Pillow warns (UserWarning, once per tag) about every damaged EXIF entry it skips. Here damage is expected and
# reported per field as a Reason, so the warnings would only be noise on stderr; filtered once, at import, because
# warnings.catch_warnings() around each read is not thread-safe (photos are read in worker threads).
warnings.filterwarnings("ignore", category=UserWarning, module=r"PIL\.TiffImagePlugin")

# Tags (EXIF 2.32 / TIFF 6).
MAKE, MODEL, ORIENTATION, DATETIME = 0x010F, 0x0110, 0x0112, 0x0132
EXIF_IFD, GPS_IFD = 0x8769, 0x8825
DATETIME_ORIGINAL, DATETIME_DIGITIZED = 0x9003, 0x9004
OFFSET_TIME, OFFSET_TIME_ORIGINAL, OFFSET_TIME_DIGITIZED = 0x9010, 0x9011, 0x9012
GPS_LAT_REF, GPS_LAT, GPS_LON_REF, GPS_LON, GPS_ALT_REF, GPS_ALT = 1, 2, 3, 4, 5, 6

# Pillow names a JPEG carrying an MPF index (many phones and cameras: depth maps, previews) "MPO".
JPEG_FORMATS = ("JPEG", "MPO")
#: The fields that can be missing, named like the attributes of :class:`PhotoInfo` (and the registry's columns).
EXIF_FIELDS = ("lat", "lon", "alt", "taken_at", "orientation", "make", "model")
SIZE_FIELDS = ("width", "height")

R_CANNOT_READ = N_("The file cannot be read: {error}")
R_EMPTY = N_("The file is empty")
R_NOT_IMAGE = N_("The file is not an image (its format is not recognised)")
R_DAMAGED = N_("The image header cannot be read: {error}")
R_NO_EXIF = N_("The photo has no EXIF block")
R_EXIF_DAMAGED = N_("The EXIF block is damaged and cannot be read")
R_UNEXPECTED = N_("Reading this field failed: {error}")
R_NO_GPS = N_("The photo has no GPS block (location was off or unavailable)")
R_GPS_DAMAGED = N_("The pointer to the GPS block is damaged")
R_GPS_EMPTY = N_("The GPS block is empty (the camera had no position fix)")
R_GPS_NO_POSITION = N_("The GPS block has no latitude or longitude")
R_NULL_ISLAND = N_("The GPS position is exactly 0°, 0° (a placeholder written without a fix)")
R_NO_ALT = N_("The GPS block has no altitude")
R_NO_TIME = N_("The photo has no date/time tag")
R_NO_ORIENTATION = N_("The photo has no orientation tag (it is shown as stored)")
R_BAD_ORIENTATION = N_("Orientation value {value} is not one of 1 to 8")
R_NO_TAG = N_("The photo has no {tag} tag")
R_EMPTY_TAG = N_("The {tag} tag is empty")
W_EXIF_POINTER = N_("The pointer to the EXIF sub-block is damaged; only the main block was read")
W_NOT_JPEG_FORMAT = N_("The photo is not a JPEG but {format}")


@dataclass
class PhotoInfo:
    """What one photo file says. Coordinates are WGS-84 degrees (negative south/west), altitude metres above sea
    level (negative below). ``taken_at`` is timezone-aware when the file records an offset, else naive camera-local
    time; ``taken_source`` names the tag it came from. ``width``/``height`` are the stored pixel size (before
    orientation; see :attr:`upright_size`). ``missing`` says why each absent field is absent; ``problems`` lists
    what is wrong with the file as a whole (truncated, not a JPEG, damaged pointers, unusable preferred tags)."""

    lat: float | None = None
    lon: float | None = None
    alt: float | None = None
    taken_at: datetime | None = None
    taken_source: str | None = None
    orientation: int | None = None
    make: str | None = None
    model: str | None = None
    width: int | None = None
    height: int | None = None
    format: str | None = None
    missing: dict[str, Reason] = field(default_factory=dict)
    problems: list[Reason] = field(default_factory=list)

    @property
    def has_position(self) -> bool:
        return self.lat is not None and self.lon is not None

    @property
    def upright_size(self) -> tuple[int, int] | None:
        """(width, height) as shown, i.e. after applying the orientation (5-8 swap the sides)."""
        if self.width is None or self.height is None:
            return None
        return (self.height, self.width) if (self.orientation or 1) >= 5 else (self.width, self.height)

    @property
    def taken_text(self) -> str | None:
        """EXIF-style ``YYYY:MM:DD HH:MM:SS`` plus ``±HH:MM`` when the offset is known."""
        return ev.format_exif_datetime(self.taken_at) if self.taken_at else None

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly (the time as ISO 8601, reasons as template + params + message)."""
        return {
            "lat": self.lat, "lon": self.lon, "alt": self.alt,
            "taken_at": self.taken_at.isoformat() if self.taken_at else None, "taken_source": self.taken_source,
            "orientation": self.orientation, "make": self.make, "model": self.model,
            "width": self.width, "height": self.height, "format": self.format,
            "missing": {k: r.to_dict() for k, r in self.missing.items()},
            "problems": [r.to_dict() for r in self.problems],
        }


def read_info(source: str | os.PathLike | bytes) -> PhotoInfo:
    """Read a photo from a path or from its bytes. Never raises for anything the file contains."""
    info = PhotoInfo()
    try:
        data = bytes(source) if isinstance(source, (bytes, bytearray, memoryview)) else Path(source).read_bytes()
    except OSError as e:
        return _unreadable(info, reason(R_CANNOT_READ, error=e.strerror or str(e)))
    if not data:
        return _unreadable(info, reason(R_EMPTY))
    structure = check_structure(data) if looks_like_jpeg(data) else []
    try:
        with Image.open(io.BytesIO(data)) as im:
            info.width, info.height = im.size
            info.format = im.format
            _read_fields(im, info)
    except UnidentifiedImageError:
        return _unreadable(info, structure[0] if structure else reason(R_NOT_IMAGE))
    except Exception as e:  # Pillow raises many kinds for damaged headers (SyntaxError, struct.error, ...)
        return _unreadable(info, structure[0] if structure else reason(R_DAMAGED, error=ev.describe(e)))
    if info.format not in JPEG_FORMATS:
        info.problems.append(reason(W_NOT_JPEG_FORMAT, format=info.format or "?"))
    info.problems.extend(structure)
    return info


def _unreadable(info: PhotoInfo, why: Reason) -> PhotoInfo:
    for name in EXIF_FIELDS + SIZE_FIELDS:
        if getattr(info, name) is None:
            info.missing[name] = why
    info.problems.append(why)
    return info


def _read_fields(im: Image.Image, info: PhotoInfo) -> None:
    exif: Image.Exif | dict = {}
    why_absent: Reason | None = None  # set when there is no usable EXIF at all: then every field says so
    try:
        exif = im.getexif()
    except Exception:
        why_absent = reason(R_EXIF_DAMAGED)
    if why_absent is None and not len(exif):
        why_absent = reason(R_EXIF_DAMAGED) if im.info.get("exif") else reason(R_NO_EXIF)

    def absent(specific: Reason) -> Reason:
        return why_absent or specific

    sub = _exif_ifd(exif, info.problems)
    xmp = im.info.get("xmp") or im.info.get("XML:com.adobe.xmp")
    _field(info, ("lat", "lon"), lambda: _position(exif, absent))
    _field(info, ("alt",), lambda: (_altitude(exif, absent),))
    _field(info, ("taken_at", "taken_source"), lambda: _time(exif, sub, xmp, absent, info.problems), ("taken_at",))
    _field(info, ("orientation",), lambda: (_orientation(exif, absent),))
    _field(info, ("make",), lambda: (_text_tag(exif, MAKE, "Make", absent),))
    _field(info, ("model",), lambda: (_text_tag(exif, MODEL, "Model", absent),))


def _field(info: PhotoInfo, names: tuple[str, ...], read: Callable[[], tuple], missing: tuple[str, ...] = ()) -> None:
    """Set ``names`` from ``read()``; on any failure leave them None and record why for each missing field."""
    try:
        values = read()
    except Missing as m:
        why = m.why
    except Exception as e:  # a tag of a kind nobody foresaw: keep the other fields
        why = reason(R_UNEXPECTED, error=ev.describe(e))
    else:
        for name, value in zip(names, values):
            setattr(info, name, value)
        return
    for name in missing or names:
        info.missing[name] = why


def _exif_ifd(exif, problems: list[Reason]) -> dict:
    if not len(exif) or EXIF_IFD not in exif:
        return {}
    if not isinstance(exif[EXIF_IFD], int):
        problems.append(reason(W_EXIF_POINTER))
        return {}
    try:
        return dict(exif.get_ifd(EXIF_IFD))
    except Exception:
        problems.append(reason(W_EXIF_POINTER))
        return {}


def _gps(exif, absent: Callable[[Reason], Reason]) -> dict:
    if not len(exif) or GPS_IFD not in exif:
        raise Missing(absent(reason(R_NO_GPS)))
    if not isinstance(exif[GPS_IFD], int):
        raise Missing(reason(R_GPS_DAMAGED))
    try:
        gps = dict(exif.get_ifd(GPS_IFD))
    except Exception:
        raise Missing(reason(R_GPS_DAMAGED)) from None
    if not gps:
        raise Missing(reason(R_GPS_EMPTY))
    return gps


def _position(exif, absent) -> tuple[float, float]:
    gps = _gps(exif, absent)
    if gps.get(GPS_LAT) is None and gps.get(GPS_LON) is None:
        raise Missing(reason(R_GPS_NO_POSITION))
    lat = ev.gps_axis(gps.get(GPS_LAT_REF), gps.get(GPS_LAT), "lat")
    lon = ev.gps_axis(gps.get(GPS_LON_REF), gps.get(GPS_LON), "lon")
    if lat == 0 and lon == 0:
        raise Missing(reason(R_NULL_ISLAND))
    return float(lat), float(lon)


def _altitude(exif, absent) -> float:
    gps = _gps(exif, absent)
    if gps.get(GPS_ALT) is None:
        raise Missing(reason(R_NO_ALT))
    return float(ev.gps_altitude(gps.get(GPS_ALT_REF), gps[GPS_ALT]))


def _time(exif, sub: dict, xmp: bytes | None, absent, problems: list[Reason]) -> tuple[datetime, str]:
    # DateTimeOriginal is when the shutter fired; XMP's exif:DateTimeOriginal is the same property (editors move
    # it there); DateTimeDigitized is usually equal; DateTime is the last change and may be an editor's save time.
    candidates = (
        ("DateTimeOriginal", sub.get(DATETIME_ORIGINAL, exif.get(DATETIME_ORIGINAL)), sub.get(OFFSET_TIME_ORIGINAL)),
        ("XMP exif:DateTimeOriginal", ev.xmp_property(xmp, "exif:DateTimeOriginal"), None),
        ("DateTimeDigitized", sub.get(DATETIME_DIGITIZED), sub.get(OFFSET_TIME_DIGITIZED)),
        ("DateTime", exif.get(DATETIME), sub.get(OFFSET_TIME)),
    )
    first: Reason | None = None
    for source, value, offset in candidates:
        if value is None:
            continue
        try:
            when = ev.parse_exif_datetime(value, source)
        except Missing as m:
            first = first or m.why
            continue
        if first is not None:  # a preferred tag was there but unusable: say so beside the fallback
            problems.append(first)
        if offset is not None and when.tzinfo is None:
            when = ev.apply_offset(when, offset, source, problems)
        return when, source
    raise Missing(first or absent(reason(R_NO_TIME)))


def _orientation(exif, absent) -> int:
    raw = exif.get(ORIENTATION) if len(exif) else None
    if raw is None:
        raise Missing(absent(reason(R_NO_ORIENTATION)))
    value = raw[0] if isinstance(raw, tuple) and len(raw) == 1 else raw
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 8:
        return value
    raise Missing(reason(R_BAD_ORIENTATION, value=ev.show(raw)))


def _text_tag(exif, tag: int, name: str, absent) -> str:
    raw = exif.get(tag) if len(exif) else None
    if raw is None:
        raise Missing(absent(reason(R_NO_TAG, tag=name)))
    text = ev.clean_text(raw)
    if not text:
        raise Missing(reason(R_EMPTY_TAG, tag=name))
    return text

