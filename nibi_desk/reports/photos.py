"""Photos on paper: the evidence-stamped derivative of each photo, placed as its JPEG bytes (never re-encoded), or a
downscaled copy made once and cached when the photo is larger than print needs.

A photo box of the reports is at most 83 mm wide: 1000 px is 306 dpi there, and embedding 12 MP originals would make
a batch of a few hundred inspections several gigabytes. So:

* a stamped derivative (``evidence.stamped``) that is already small enough, upright, 8-bit RGB or grey, is placed
  as it is (``/DCTDecode`` of the file's own bytes);
* anything larger is decoded once, shrunk to ``max_px`` on its long side and written to
  ``<cache>/<max_px>q<quality>/<sha256>.jpg`` — later reports reuse the file. The decoder scales by 1/2, 1/4 or
  1/8 while decoding (JPEG DCT scaling, ``Image.draft``) to the smallest scale that still gives ``max_px``: a
  4000 × 3000 photo is decoded straight to 1000 × 750 and needs no resampling at all (bench/reports.py);
* a photo without a stamped derivative gets the evidence band (:mod:`nibi_desk.photos.stamp`) drawn on its
  downscaled copy, cached under its content hash and every parameter that changes the picture (size, quality, the
  band's fields, the language of the band), so every printed photo carries its time, place, asset and inspector.
  A small photo is first enlarged to ``MIN_STAMP_SHORT`` px so that the band covers a sixth of it, not half.
"""

from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from PIL import Image
from reportlab.lib import colors
from reportlab.platypus import Flowable

from nibi_desk import i18n
from nibi_desk.errors import NibiError
from nibi_desk.photos import stamp as stamping
from nibi_desk.photos.exif import read_info
from nibi_desk.photos.store import PhotoNotStored, PhotoStore
from nibi_desk.photos.thumbs import upright, write_atomic
from nibi_desk.reports.streaming import jpeg_header, place_jpeg

log = logging.getLogger(__name__)

QUALITY = 85
ORIENTATION = 0x0112
DEFAULT_MAX_PX = 1000
MIN_STAMP_SHORT = 540   # px: the band (5 lines, font 1/45 of the short side, at least 12 px) then covers ≤ 1/6
STAMP_VERSION = 2       # bump when the drawing of the band changes, so cached stamped copies are made again


@dataclass(frozen=True)
class Prepared:
    """A JPEG file ready to place, with its header facts."""

    path: Path
    width: int
    height: int
    components: int
    cached: bool          # True when it is a downscaled copy in the cache, False when the stored file itself


class PhotoCache:
    """Prepares stored photos for printing; safe to share between threads and processes (files are written
    atomically)."""

    def __init__(self, store: PhotoStore, max_px: int = DEFAULT_MAX_PX, cache_dir: Path | None = None):
        self.store = store
        self.max_px = int(max_px)
        self.root = Path(cache_dir) if cache_dir else store.root / "reports"
        # Called with a copy's path before this process makes it: a prefetcher (.prefetch) whose workers may be
        # making it already waits for them or takes the job back.
        self.pending: Callable[[Path], None] | None = None

    @classmethod
    def for_registry(cls, registry_path, max_px: int = DEFAULT_MAX_PX,
                     cache_dir: Path | None = None) -> PhotoCache:
        return cls(PhotoStore.for_registry(registry_path), max_px, cache_dir)

    # -- decisions -----------------------------------------------------------------------------------------------
    def placeable(self, path: Path) -> Prepared | None:
        """The file itself when it can be placed unchanged (small, upright, baseline or progressive 8-bit RGB/grey
        JPEG), else None."""
        try:
            with Image.open(path) as im:
                if im.format != "JPEG" or im.mode not in ("RGB", "L"):
                    return None
                if max(im.size) > self.max_px:
                    return None
                if im.getexif().get(ORIENTATION, 1) not in (1, None):
                    return None
            width, height, components = jpeg_header(path)
        except Exception:  # an odd file is simply re-encoded
            return None
        return Prepared(path, width, height, components, False)

    def _cached(self, path: Path) -> Prepared | None:
        try:
            if path.stat().st_size > 0:
                return Prepared(path, *jpeg_header(path), True)
        except (OSError, ValueError, Exception):
            return None
        return None

    def draft_request(self, width: int, height: int) -> tuple[int, int]:
        """The size to ask ``Image.draft`` for: the photo scaled to ``max_px`` on its long side (in stored
        orientation), so that the decoder picks the smallest DCT scale that still covers it."""
        k = min(1.0, self.max_px / max(width, height))
        return max(1, int(width * k)), max(1, int(height * k))

    def _shrink(self, data_or_path, band: list[str] | None, draft: bool = True) -> bytes:
        """Decode once (scaled while decoding), fit into ``max_px``, draw the band if given, encode once."""
        with Image.open(io.BytesIO(data_or_path) if isinstance(data_or_path, bytes) else data_or_path) as im:
            if draft:
                im.draft("RGB", self.draft_request(*im.size))
            picture = upright(im)
        if picture.mode != "RGB":
            picture = picture.convert("RGB")
        if max(picture.size) > self.max_px:
            picture.thumbnail((self.max_px, self.max_px), Image.Resampling.BICUBIC)
        if band:
            short = min(picture.size)
            if short < MIN_STAMP_SHORT:
                k = MIN_STAMP_SHORT / short
                picture = picture.resize((round(picture.width * k), round(picture.height * k)),
                                         Image.Resampling.BICUBIC)
            stamping._draw_band(picture, band)
        out = io.BytesIO()
        picture.save(out, "JPEG", quality=QUALITY, optimize=False)
        return out.getvalue()

    def _dir(self, stamped: bool) -> Path:
        return self.root / f"{self.max_px}{'s' if stamped else ''}q{QUALITY}"

    # -- the two entry points ------------------------------------------------------------------------------------
    def downscaled(self, sha256: str) -> Prepared:
        """A stored JPEG ready to place: itself when small enough, else its cached downscaled copy."""
        source = self.store.path_of(sha256)
        direct = self.placeable(source)
        if direct is not None:
            return direct
        target = self._dir(False) / f"{self.store.check_hash(sha256)}.jpg"
        hit = self._cached(target)
        if hit is not None:
            return hit
        return self._make(target, lambda: self._shrink(source, None))

    def evidence(self, photo: dict, fields: stamping.StampFields) -> Prepared:
        """The printable evidence picture of an evidence row (``sha256``, ``stamped``): the stamped derivative
        when there is one, else the original stamped now at print size (cached)."""
        stamped = photo.get("stamped")
        if stamped and self.store.has(stamped):
            return self.downscaled(stamped)
        sha = self.store.check_hash(photo["sha256"])
        target = self._dir(True) / f"{sha}-{stamp_key(fields)}.jpg"
        hit = self._cached(target)
        if hit is not None:
            return hit

        def make() -> bytes:
            data = self.store.path_of(sha).read_bytes()
            lines, _code = stamping.stamp_lines(fields, read_info(data))
            return self._shrink(data, lines)

        return self._make(target, make)

    def evidence_target(self, photo: dict, fields: stamping.StampFields) -> Path:
        """The cache file :meth:`evidence` reads or writes for an evidence row (a stamped derivative small enough
        to be placed as it is never gets one)."""
        stamped = photo.get("stamped")
        if stamped and self.store.has(stamped):
            return self._dir(False) / f"{self.store.check_hash(stamped)}.jpg"
        return self._dir(True) / f"{self.store.check_hash(photo['sha256'])}-{stamp_key(fields)}.jpg"

    def _make(self, target: Path, make: Callable[[], bytes]) -> Prepared:
        if self.pending is not None:
            self.pending(target)
            hit = self._cached(target)
            if hit is not None:
                return hit
        write_atomic(target, make(), self.store.root / "tmp")
        return Prepared(target, *jpeg_header(target), True)


def stamp_key(fields: stamping.StampFields) -> str:
    """What, besides the photo's content, decides a stamped copy's pixels: the band's fields, the language its
    labels are in, the band's drawing and the minimum stamping size."""
    return hashlib.sha256(repr((fields.asset_code, fields.asset_name, fields.inspector, fields.note,
                                fields.taken_at, fields.lat, fields.lon, i18n.language(), STAMP_VERSION,
                                MIN_STAMP_SHORT)).encode("utf-8")).hexdigest()[:16]


class JpegFlowable(Flowable):
    """A prepared JPEG fitted into ``width`` × ``height`` points (aspect kept, centred); a grey box with a note when
    the photo could not be prepared."""

    def __init__(self, prepared: Prepared | None, width: float, height: float, missing_text: str = ""):
        super().__init__()
        self.prepared, self.box_w, self.box_h, self.missing_text = prepared, width, height, missing_text
        self.width, self.height = width, height

    def wrap(self, aw, ah):
        return self.box_w, self.box_h

    def draw(self):
        canv = self.canv
        if self.prepared is None:
            from nibi_desk.reports.furniture import FONT

            canv.saveState()
            canv.setFillColor(colors.HexColor("#F3F4F6"))
            canv.setStrokeColor(colors.HexColor("#9CA3AF"))
            canv.rect(0, 0, self.box_w, self.box_h, stroke=1, fill=1)
            canv.setFillColor(colors.HexColor("#6B7280"))
            canv.setFont(FONT, 8)
            canv.drawCentredString(self.box_w / 2, self.box_h / 2, self.missing_text)
            canv.restoreState()
            return
        p = self.prepared
        scale = min(self.box_w / p.width, self.box_h / p.height)
        w, h = p.width * scale, p.height * scale
        place_jpeg(canv, p.path, (self.box_w - w) / 2, (self.box_h - h) / 2, w, h,
                   (p.width, p.height, p.components))


def prepare_or_none(call, *args) -> Prepared | None:
    """Run a preparation; a photo missing from the store or undecodable gives None (the report shows a box)."""
    try:
        return call(*args)
    except (PhotoNotStored, NibiError, OSError, ValueError, SyntaxError, Image.DecompressionBombError) as e:
        log.warning("photo cannot be printed: %s", e)
        return None
