"""Decoding single EXIF values (rationals, GPS degrees, dates, offsets, text) with a reason for every refusal."""

from __future__ import annotations

import math
import re
from datetime import datetime, timedelta, timezone
from fractions import Fraction
from typing import Any

from PIL.TiffImagePlugin import IFDRational

from nibi_desk.i18n import N_
from nibi_desk.photos.reasons import Reason, reason

R_AXIS_MISSING = N_("The GPS block has no {axis}")
R_REF_MISSING = N_("The GPS {axis} has no hemisphere reference ({refs}), so its sign is unknown")
R_REF_BAD = N_("The GPS {axis} reference {ref} is not one of {refs}")
R_NOT_DMS = N_("The GPS {axis} is {value}, not three numbers (degrees, minutes, seconds)")
R_ZERO_DENOMINATOR = N_("The GPS {axis} has a rational with a zero denominator ({value})")
R_NOT_NUMBER = N_("The GPS {axis} contains {value}, which is not a number")
R_NEGATIVE = N_("The GPS {axis} has a negative part ({value})")
R_DEGREES_RANGE = N_("The GPS {axis} degrees {value} are out of range (at most {limit})")
R_MINUTES_RANGE = N_("The GPS {axis} minutes {value} are out of range (must be less than 60)")
R_SECONDS_RANGE = N_("The GPS {axis} seconds {value} are out of range (must be less than 60)")
R_ALT_REF_BAD = N_("The GPS altitude reference {ref} is not 0 (above sea level) or 1 (below)")
R_ALT_RANGE = N_("The GPS altitude {value} m is impossible")
R_TIME_BLANK = N_("{tag} is blank ({value}): the camera clock was not set")
R_TIME_FORMAT = N_("{tag} {value} is not a date and time")
R_TIME_IMPOSSIBLE = N_("{tag} {value} is not a real date")
W_OFFSET_BAD = N_("{tag} offset {value} is not a time-zone offset; the time is kept as camera-local time")

REFS = {"lat": ("N", "S"), "lon": ("E", "W")}
LIMITS = {"lat": 90, "lon": 180}
MAX_ALTITUDE_M = 50_000  # above it (or below its negative) a value is garbage, not a height

_DATETIME = re.compile(
    r"(\d{4})[:\-/.](\d{1,2})[:\-/.](\d{1,2})[ T]+(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:[.,](\d{1,6})\d*)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?")
_OFFSET = re.compile(r"([+-])(\d{2}):?(\d{2})")


class Missing(Exception):
    """Internal: a field is absent, and this is why."""

    def __init__(self, why: Reason):
        super().__init__(why.template)
        self.why = why


def describe(error: BaseException) -> str:
    text = str(error).strip()
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def show(value: Any, limit: int = 60) -> str:
    """A raw tag value as a short, printable string for messages."""
    if isinstance(value, IFDRational):
        text = f"{value.numerator}/{value.denominator}"
    elif isinstance(value, tuple):
        text = "(" + ", ".join(show(v, limit) for v in value) + ")"
    elif isinstance(value, bytes):
        text = value[:limit].hex(" ")
    else:
        text = str(value)
    text = "".join(ch if ch.isprintable() else "?" for ch in text)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def clean_text(raw: Any) -> str:
    """An ASCII tag as text: cut at the first NUL (C strings), trimmed of padding; UTF-8 written by phones is
    recovered from Pillow's Latin-1 reading."""
    if isinstance(raw, bytes):
        text = raw.decode("utf-8", "replace")
    else:
        text = str(raw)
        try:
            text = text.encode("latin-1").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    return text.split("\x00", 1)[0].strip()


def rational(value: Any, axis: str) -> Fraction:
    """An exact number from an EXIF rational (or a plain number some writers use instead)."""
    if isinstance(value, IFDRational):
        num, den = value.numerator, value.denominator
        if den == 0:
            raise Missing(reason(R_ZERO_DENOMINATOR, axis=axis, value=show(value)))
        try:
            return Fraction(num) / Fraction(den)
        except (TypeError, ValueError, OverflowError):
            raise Missing(reason(R_NOT_NUMBER, axis=axis, value=show(value))) from None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise Missing(reason(R_NOT_NUMBER, axis=axis, value=show(value)))
    if isinstance(value, float) and not math.isfinite(value):
        raise Missing(reason(R_NOT_NUMBER, axis=axis, value=show(value)))
    return Fraction(value)


def dms(value: Any, axis: str) -> Fraction:
    """Unsigned degrees from (degrees, minutes, seconds); decimal minutes (``(0, 22.278, 0)``) are fine."""
    if not isinstance(value, tuple) or len(value) != 3:
        raise Missing(reason(R_NOT_DMS, axis=axis, value=show(value)))
    degrees, minutes, seconds = (rational(v, axis) for v in value)
    for part in (degrees, minutes, seconds):
        if part < 0:
            raise Missing(reason(R_NEGATIVE, axis=axis, value=show(value)))
    if degrees > LIMITS[axis]:
        raise Missing(reason(R_DEGREES_RANGE, axis=axis, value=show(value[0]), limit=LIMITS[axis]))
    if minutes >= 60:
        raise Missing(reason(R_MINUTES_RANGE, axis=axis, value=show(value[1])))
    if seconds >= 60:
        raise Missing(reason(R_SECONDS_RANGE, axis=axis, value=show(value[2])))
    total = degrees + minutes / 60 + seconds / 3600
    if total > LIMITS[axis]:
        raise Missing(reason(R_DEGREES_RANGE, axis=axis, value=f"{float(total):.6f}", limit=LIMITS[axis]))
    return total


def _ref(raw: Any) -> str:
    return clean_text(raw).upper() if raw is not None else ""


def gps_axis(ref_raw: Any, value: Any, axis: str) -> Fraction:
    """Signed degrees of one axis; without a valid N/S (E/W) reference the sign is unknown, so nothing is given."""
    refs = REFS[axis]
    if value is None:
        raise Missing(reason(R_AXIS_MISSING, axis=axis))
    ref = _ref(ref_raw)
    if not ref:
        raise Missing(reason(R_REF_MISSING, axis=axis, refs="/".join(refs)))
    if ref not in refs:
        raise Missing(reason(R_REF_BAD, axis=axis, ref=show(ref_raw), refs="/".join(refs)))
    degrees = dms(value, axis)
    return -degrees if ref == refs[1] else degrees


def gps_altitude(ref_raw: Any, value: Any) -> Fraction:
    """Metres above sea level; reference 1 means below. A missing reference means above (the EXIF default)."""
    metres = rational(value[0] if isinstance(value, tuple) and len(value) == 1 else value, "alt")
    if ref_raw is None:
        ref = 0
    elif isinstance(ref_raw, bytes) and len(ref_raw) == 1:
        ref = ref_raw[0]
    elif isinstance(ref_raw, int):
        ref = ref_raw
    else:
        text = clean_text(ref_raw)
        ref = int(text) if text in ("0", "1") else -1
    if ref not in (0, 1):
        raise Missing(reason(R_ALT_REF_BAD, ref=show(ref_raw)))
    if abs(metres) > MAX_ALTITUDE_M:
        raise Missing(reason(R_ALT_RANGE, value=f"{float(metres):g}"))
    return -abs(metres) if ref == 1 else metres


def _zone(text: str) -> timezone | None:
    if text == "Z":
        return timezone.utc
    m = _OFFSET.fullmatch(text)
    if not m:
        return None
    hours, minutes = int(m.group(2)), int(m.group(3))
    if hours > 14 or minutes >= 60:
        return None
    delta = timedelta(hours=hours, minutes=minutes)
    return timezone(-delta if m.group(1) == "-" else delta)


def parse_exif_datetime(raw: Any, tag: str) -> datetime:
    """``2008:10:22 16:28:39`` (also with ``-``, ``T``, fractions, ``Z`` or ``+08:00``) as a datetime, aware only
    when the text carries its zone. Blank, malformed and impossible dates are refused with a reason."""
    text = clean_text(raw)
    shown = show(text) if text else "\"\""
    if not text.strip(" :0-T"):
        raise Missing(reason(R_TIME_BLANK, tag=tag, value=shown))
    m = _DATETIME.fullmatch(text)
    if not m:
        raise Missing(reason(R_TIME_FORMAT, tag=tag, value=shown))
    year, month, day, hour, minute = (int(g) for g in m.groups()[:5])
    second = int(m.group(6) or 0)
    micro = int((m.group(7) or "0").ljust(6, "0"))
    zone = _zone(m.group(8).replace(" ", "")) if m.group(8) else None
    if m.group(8) and zone is None:
        raise Missing(reason(R_TIME_FORMAT, tag=tag, value=shown))
    try:
        return datetime(year, month, day, hour, minute, second, micro, tzinfo=zone)
    except ValueError:
        raise Missing(reason(R_TIME_IMPOSSIBLE, tag=tag, value=shown)) from None


def apply_offset(when: datetime, raw: Any, tag: str, problems: list[Reason]) -> datetime:
    """Attach an OffsetTime* value (``+08:00``) to a naive time; a bad offset is reported and ignored."""
    text = clean_text(raw)
    if not text.strip(" :"):
        return when  # blank offsets are common and mean "unknown"
    zone = _zone(text)
    if zone is None:
        problems.append(reason(W_OFFSET_BAD, tag=tag, value=show(text)))
        return when
    return when.replace(tzinfo=zone)


def format_offset(when: datetime) -> str | None:
    """``+08:00`` for an aware time, None for a naive one."""
    offset = when.utcoffset()
    if offset is None:
        return None
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def format_exif_datetime(when: datetime) -> str:
    """``YYYY:MM:DD HH:MM:SS`` (as EXIF writes it) followed by the offset when known."""
    return when.strftime("%Y:%m:%d %H:%M:%S") + (format_offset(when) or "")


def xmp_property(xmp: bytes | str | None, name: str) -> str | None:
    """One simple XMP property, written as an attribute or as an element (no XML parser: XMP packets in the wild
    are often not well-formed, and a regular expression cannot be made to expand entities)."""
    if not xmp:
        return None
    text = xmp.decode("utf-8", "replace") if isinstance(xmp, bytes) else str(xmp)
    key = re.escape(name)
    m = re.search(key + r"\s*=\s*(?:\"([^\"]*)\"|'([^']*)')", text) or re.search(
        "<" + key + r">\s*([^<]*?)\s*</" + key + ">", text)
    if not m:
        return None
    return next(g for g in m.groups() if g is not None)
