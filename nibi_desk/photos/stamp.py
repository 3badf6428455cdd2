"""Evidence-stamped derivatives: an upright copy of a photo with a band naming when, where, what and who.

The original is never touched (it stays byte for byte in the store under its SHA-256); the derivative is a new
JPEG (quality 88) that keeps the original's EXIF (GPS, time, camera) minus the orientation tag, because its pixels
are already upright, and with ``Software`` naming NIBI Desk so that nobody mistakes it for a camera original.

The BeiDou grid code on the band is level 8 (cells ≈ 1 m): it is the 1 m × 1 m grid the county codes houses and
city components with, it is a prefix of the registry's level-10 codes (so photo and asset compare by prefix), and
it does not claim more than a phone's GPS (3–10 m) can know — level 10 would print 1.5 cm of false precision;
level 7 (≈ 7.7 m) would be honest too but no longer matches the county's 1 m codes.
"""

from __future__ import annotations

import hashlib
import io
import os
import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from nibi_desk import __version__, paths
from nibi_desk.domain import coords, grid
from nibi_desk.errors import NibiError
from nibi_desk.i18n import N_, _
from nibi_desk.photos import exif as exif_tags
from nibi_desk.photos.exif import PhotoInfo, read_info
from nibi_desk.photos.exif_values import describe, format_offset
from nibi_desk.photos.store import PhotoStore
from nibi_desk.photos.thumbs import upright, write_atomic

GRID_LEVEL = 8
QUALITY = 88
FONT_FILE = "wqy-microhei.ttc"
BAND_ALPHA = 150  # of 255: dark enough for white text on snow, light enough to see what is under it
PIXEL_X, PIXEL_Y, SOFTWARE = 0xA002, 0xA003, 0x0131

E_FAILED = N_("The photo cannot be stamped: {error}")
E_FONT = N_("The stamp font {path} is missing")
E_SAME_FILE = N_("The stamped copy cannot be written over the original {path}")


class StampFailed(NibiError):
    template = E_FAILED


@dataclass
class StampFields:
    """What the band says. Time and position default to the photo's own EXIF values when not given."""

    asset_code: str
    asset_name: str
    inspector: str
    taken_at: datetime | None = None
    lat: float | None = None
    lon: float | None = None
    note: str | None = None


@dataclass
class StampResult:
    path: Path
    original_sha256: str
    derivative_sha256: str
    grid_code: str | None
    lines: list[str] = field(default_factory=list)
    band: tuple[int, int, int, int] = (0, 0, 0, 0)  # left, top, right, bottom in the derivative's pixels


_fonts = threading.local()  # a FreeType face is not safe to share between threads: one cache per thread


def font(size: int) -> ImageFont.FreeTypeFont:
    """The bundled WenQuanYi Micro Hei (CJK and Latin) at ``size`` pixels, cached per thread."""
    cache = _fonts.__dict__.setdefault("by_size", {})
    if size not in cache:
        path = paths.resources_dir() / "fonts" / FONT_FILE
        if not path.is_file():
            raise StampFailed(E_FONT, path=str(path))
        cache[size] = ImageFont.truetype(str(path), size=size, index=0)
    return cache[size]


def _format_time(when: datetime) -> str:
    offset = format_offset(when)
    return when.strftime("%Y-%m-%d %H:%M:%S") + (f" {offset}" if offset else "")


def stamp_lines(fields: StampFields, info: PhotoInfo | None = None) -> tuple[list[str], str | None]:
    """The band's lines (in the current language) and the grid code, from the fields and the photo's EXIF."""
    taken = fields.taken_at or (info.taken_at if info else None)
    lat = fields.lat if fields.lat is not None else (info.lat if info else None)
    lon = fields.lon if fields.lon is not None else (info.lon if info else None)
    if lat is None or lon is None:
        lat = lon = None
    lines = [_("Time {time}").format(time=_format_time(taken)) if taken else _("Time unknown")]
    code = None
    if lat is not None:
        lines.append(_("Position {lat} {lon} (WGS-84)").format(
            lat=coords.format_dms(lat, "lat"), lon=coords.format_dms(lon, "lon")))
        try:
            code = grid.encode(lon, lat, GRID_LEVEL)
        except NibiError:  # polar latitudes have no plain grid cells
            code = None
        lines.append(_("BeiDou grid {code}").format(code=code) if code else _("BeiDou grid not available"))
    else:
        lines.append(_("Position unknown"))
    lines.append(_("Asset {code} {name}").format(code=fields.asset_code, name=fields.asset_name).strip())
    lines.append(_("Inspector {name}").format(name=fields.inspector))
    if fields.note:
        lines.append(fields.note)
    return lines, code


def _fit(draw: ImageDraw.ImageDraw, text: str, typeface: ImageFont.FreeTypeFont, width: int) -> str:
    if draw.textlength(text, font=typeface) <= width:
        return text
    while text and draw.textlength(text + "…", font=typeface) > width:
        text = text[:-1]
    return text + "…"


def _draw_band(picture: Image.Image, lines: list[str]) -> tuple[int, int, int, int]:
    w, h = picture.size
    size = max(12, round(min(w, h) / 45))
    typeface = font(size)
    pad, line_h = size // 2, round(size * 1.3)
    top = max(0, h - (len(lines) * line_h + 2 * pad))
    draw = ImageDraw.Draw(picture, "RGBA")
    draw.rectangle((0, top, w, h), fill=(0, 0, 0, BAND_ALPHA))
    for i, line in enumerate(lines):
        draw.text((pad, top + pad + i * line_h), _fit(draw, line, typeface, w - 2 * pad), font=typeface,
                  fill=(255, 255, 255, 255))
    return 0, top, w, h


def _derivative_exif(im: Image.Image, size: tuple[int, int]) -> bytes:
    """The original's EXIF without orientation, with the new pixel size; empty when it cannot be rewritten."""
    try:
        exif = im.getexif()
        for tag in (exif_tags.EXIF_IFD, exif_tags.GPS_IFD):
            if tag in exif and not isinstance(exif[tag], int):
                del exif[tag]  # a damaged pointer would be written back as garbage
        exif.pop(exif_tags.ORIENTATION, None)
        exif[SOFTWARE] = f"NIBI Desk {__version__} (stamped copy)"
        if exif_tags.EXIF_IFD in exif:
            sub = exif.get_ifd(exif_tags.EXIF_IFD)
            sub[PIXEL_X], sub[PIXEL_Y] = size
        return exif.tobytes()
    except Exception:
        return b""


def render_stamp(data: bytes, fields: StampFields, info: PhotoInfo | None = None):
    """Stamp the photo given as bytes: (JPEG bytes, lines, grid code, band box). Pure: touches no file."""
    info = info or read_info(data)
    lines, code = stamp_lines(fields, info)
    try:
        with Image.open(io.BytesIO(data)) as im:
            im.load()
            picture = upright(im)
            exif = _derivative_exif(im, picture.size)
            icc = im.info.get("icc_profile")
        if picture.mode != "RGB":
            picture = picture.convert("RGB")
        band = _draw_band(picture, lines)
        out = io.BytesIO()
        picture.save(out, "JPEG", quality=QUALITY, exif=exif, icc_profile=icc)
    except NibiError:
        raise
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as e:
        raise StampFailed(E_FAILED, error=describe(e)) from e
    return out.getvalue(), lines, code, band


def stamp(original_path: str | os.PathLike, out_path: str | os.PathLike, fields: StampFields) -> StampResult:
    """Write the stamped derivative of ``original_path`` to ``out_path`` (atomically) and return both hashes."""
    out = Path(out_path)
    if out.exists() and out.resolve() == Path(original_path).resolve():
        raise StampFailed(E_SAME_FILE, path=str(out))
    try:
        data = Path(original_path).read_bytes()
    except OSError as e:
        raise StampFailed(E_FAILED, error=e.strerror or str(e)) from e
    derivative, lines, code, band = render_stamp(data, fields)
    write_atomic(out, derivative, fsync=True)
    return StampResult(out, hashlib.sha256(data).hexdigest(), hashlib.sha256(derivative).hexdigest(), code,
                       lines, band)


def stamp_stored(store: PhotoStore, sha256: str, fields: StampFields) -> StampResult:
    """Stamp a stored original and keep the derivative in the same store (by its own hash)."""
    data = store.path_of(sha256).read_bytes()
    derivative, lines, code, band = render_stamp(data, fields)
    derivative_sha, _already = store.add_bytes(derivative)
    return StampResult(store.path_of(derivative_sha), store.check_hash(sha256), derivative_sha, code, lines, band)
