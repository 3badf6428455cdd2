"""Small JPEGs with hand-made EXIF for the photo tests (built with Pillow's ``Image.Exif``; no files from ../shared)."""

from __future__ import annotations

import io
from fractions import Fraction
from pathlib import Path

from PIL import Image
from PIL.TiffImagePlugin import IFDRational

EXIF_IFD, GPS_IFD = 0x8769, 0x8825
MAKE, MODEL, ORIENTATION, DATETIME = 0x010F, 0x0110, 0x0112, 0x0132
DATETIME_ORIGINAL, DATETIME_DIGITIZED, OFFSET_TIME_ORIGINAL = 0x9003, 0x9004, 0x9011


def rational(value) -> IFDRational:
    f = Fraction(str(value)).limit_denominator(10**6)
    return IFDRational(f.numerator, f.denominator)


def dms(degrees: float) -> tuple[IFDRational, IFDRational, IFDRational]:
    """Unsigned decimal degrees as an EXIF (degrees, minutes, seconds/1000) triple."""
    milliseconds = round(abs(Fraction(str(degrees))) * 3600 * 1000)
    d, rest = divmod(milliseconds, 3600 * 1000)
    m, s = divmod(rest, 60 * 1000)
    return IFDRational(d, 1), IFDRational(m, 1), IFDRational(s, 1000)


def gps_block(lat: float | None = None, lon: float | None = None, alt: float | None = None,
              alt_ref: int | None = None) -> dict:
    gps: dict = {}
    if lat is not None:
        gps[1], gps[2] = ("N" if lat >= 0 else "S"), dms(lat)
    if lon is not None:
        gps[3], gps[4] = ("E" if lon >= 0 else "W"), dms(lon)
    if alt is not None:
        gps[6] = rational(alt)
    if alt_ref is not None:
        gps[5] = bytes([alt_ref])
    return gps


def pattern(size=(64, 48)) -> Image.Image:
    """A landscape picture whose top-left quarter is red and the rest blue: orientation is visible in pixels."""
    im = Image.new("RGB", size, (0, 0, 200))
    im.paste((220, 0, 0), (0, 0, size[0] // 2, size[1] // 2))
    return im


def make_jpeg(path: Path | None = None, *, size=(64, 48), image: Image.Image | None = None,
              ifd0: dict | None = None, exif_ifd: dict | None = None, gps: dict | None = None,
              quality: int = 90, no_exif: bool = False) -> bytes:
    """A JPEG with the given IFD0 / Exif IFD / GPS IFD tags (``gps={}`` writes an empty GPS block)."""
    im = image or pattern(size)
    exif = Image.Exif()
    for tag, value in (ifd0 or {}).items():
        exif[tag] = value
    if exif_ifd:
        sub = exif.get_ifd(EXIF_IFD)
        sub.update(exif_ifd)
    if gps is not None:
        if gps:
            exif.get_ifd(GPS_IFD).update(gps)
        else:
            exif[GPS_IFD] = {}
    buffer = io.BytesIO()
    if no_exif:
        im.save(buffer, "JPEG", quality=quality)
    else:
        im.save(buffer, "JPEG", quality=quality, exif=exif)
    data = buffer.getvalue()
    if path is not None:
        Path(path).write_bytes(data)
    return data
