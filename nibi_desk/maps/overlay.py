"""What the static map draws over the basemap: asset markers, the inspector's position, labels, scale bar, north
arrow, legend and attribution. Drawn supersampled (``SS``×) on a transparent layer, then scaled down, because
Pillow's shapes have no anti-aliasing of their own."""

from __future__ import annotations

import html
import logging
import math
import re
from dataclasses import dataclass
from functools import lru_cache

from PIL import ImageDraw, ImageFont

from nibi_desk import paths
from nibi_desk.i18n import N_, _

log = logging.getLogger(__name__)

SS = 2  # supersampling factor of the overlay layer
FONT_FILE = "wqy-microhei.ttc"
TEXT = (31, 41, 55, 255)
MUTED = (90, 90, 90, 255)
HALO = (255, 255, 255, 255)
PANEL = (255, 255, 255, 215)
FAULTY = (220, 38, 38, 255)
INSPECTOR = (234, 88, 12, 255)
# Asset types: (shape, fill colour, English title). Unknown types draw as grey diamonds titled by their code.
STYLES = {
    "base_station": ("triangle", (126, 63, 184, 255), N_("5G base station")),
    "smart_pole": ("circle", (30, 111, 217, 255), N_("Smart pole")),
    "camera": ("square", (14, 159, 142, 255), N_("Camera")),
}
OTHER_STYLE = ("diamond", (107, 114, 128, 255), None)


@dataclass(frozen=True)
class Marker:
    """An asset to draw: position (WGS-84), type code, status, optional label and id."""

    lon: float
    lat: float
    type: str
    status: str | None = None
    label: str | None = None
    id: str | None = None

    @property
    def faulty(self) -> bool:
        return self.status == "faulty"


@dataclass(frozen=True)
class Label:
    """A place name (e.g. a township) written at a position on the plain canvas."""

    lon: float
    lat: float
    text: str


@lru_cache(maxsize=32)
def font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    """The bundled CJK font at ``size`` pixels (Pillow's own font, without Chinese, if the file is missing)."""
    path = paths.resources_dir() / "fonts" / FONT_FILE
    try:
        return ImageFont.truetype(str(path), size, index=0)
    except OSError:
        log.warning("bundled font %s not found: Chinese labels will not render", path)
        return ImageFont.load_default(size)


def plain_text(value: str) -> str:
    """MBTiles attribution is often HTML (``<a href=...>© OpenStreetMap</a>``): keep the words."""
    return " ".join(html.unescape(re.sub(r"<[^>]*>", " ", value)).split())


def format_distance(metres: float) -> str:
    if round(metres) < 1000:
        return f"{metres:.0f} m"
    km = f"{metres / 1000:.1f}" if metres < 100_000 else f"{metres / 1000:.0f}"
    return (km[:-2] if km.endswith(".0") else km) + " km"


def nice_length(max_metres: float) -> float:
    """The largest 1, 2 or 5 × 10^n metres not above ``max_metres``."""
    if max_metres <= 0:
        return 0.0
    base = 10 ** math.floor(math.log10(max_metres))
    return next(m * base for m in (5, 2, 1) if m * base <= max_metres)


class Painter:
    """Draws on a layer ``SS`` times larger than the image; every coordinate and size is given in image pixels."""

    def __init__(self, layer):
        self.draw = ImageDraw.Draw(layer)
        self.width, self.height = layer.width / SS, layer.height / SS
        self.reserved: list[tuple[float, float, float, float]] = []  # panels, in image pixels
        self.occupied: list[tuple[float, float, float, float]] = []  # markers and labels already written

    @staticmethod
    def _p(x: float, y: float) -> tuple[float, float]:
        return x * SS, y * SS

    def _text_kw(self, size: float, anchor: str, halo: float) -> dict:
        kw = dict(font=font(round(size * SS)), anchor=anchor)
        if halo:
            kw["stroke_width"] = round(halo * SS)
        return kw

    def text_box(self, x, y, text, size=12, anchor="la", halo=2.0) -> tuple[float, float, float, float]:
        box = self.draw.textbbox(self._p(x, y), text, **self._text_kw(size, anchor, halo))
        return tuple(v / SS for v in box)

    def text(self, x, y, text, size=12, fill=TEXT, anchor="la", halo=2.0) -> None:
        kw = self._text_kw(size, anchor, halo)
        if halo:
            kw["stroke_fill"] = HALO
        self.draw.text(self._p(x, y), text, fill=fill, **kw)

    def occupy(self, x: float, y: float, r: float) -> None:
        self.occupied.append((x - r, y - r, x + r, y + r))

    def text_if_free(self, x, y, text, size=12, fill=TEXT, anchor="la", halo=2.0) -> bool:
        """Write ``text`` only where it fits inside the image, clear of every panel, marker and earlier label."""
        x0, y0, x1, y1 = box = self.text_box(x, y, text, size, anchor, halo)
        if x0 < 0 or y0 < 0 or x1 > self.width or y1 > self.height:
            return False
        if any(x0 < r[2] and r[0] < x1 and y0 < r[3] and r[1] < y1 for r in (*self.reserved, *self.occupied)):
            return False
        self.text(x, y, text, size, fill, anchor, halo)
        self.occupied.append(box)
        return True

    def text_size(self, text: str, size: float) -> tuple[float, float]:
        left, top, right, bottom = self.draw.textbbox((0, 0), text, font=font(round(size * SS)))
        return (right - left) / SS, (bottom - top) / SS

    def panel(self, box, radius=4.0) -> None:
        x0, y0, x1, y1 = box
        self.reserved.append((x0, y0, x1, y1))
        self.draw.rounded_rectangle((*self._p(x0, y0), *self._p(x1, y1)), radius * SS, fill=PANEL,
                                    outline=(0, 0, 0, 40), width=SS)

    def line(self, points, fill, width=1.0) -> None:
        self.draw.line([self._p(*p) for p in points], fill=fill, width=max(1, round(width * SS)))

    def dashed(self, a, b, fill, width=1.5, dash=6.0, gap=4.0) -> None:
        (x0, y0), (x1, y1) = a, b
        length = math.hypot(x1 - x0, y1 - y0)
        if length == 0:
            return
        ux, uy = (x1 - x0) / length, (y1 - y0) / length
        t = 0.0
        while t < length:
            end = min(t + dash, length)
            self.line([(x0 + ux * t, y0 + uy * t), (x0 + ux * end, y0 + uy * end)], fill, width)
            t = end + gap

    def symbol(self, x, y, shape, fill, size=14.0, outline=HALO, outline_width=1.5) -> None:
        """A marker symbol centred on x, y (``size`` = its height in image pixels)."""
        r = size / 2
        w = max(1, round(outline_width * SS))
        if shape == "circle":
            self.draw.ellipse((*self._p(x - r, y - r), *self._p(x + r, y + r)), fill=fill, outline=outline, width=w)
            return
        if shape == "square":
            r *= 0.88
            self.draw.rectangle((*self._p(x - r, y - r), *self._p(x + r, y + r)), fill=fill, outline=outline, width=w)
            return
        if shape == "triangle":
            r *= 1.1
            pts = [(x, y - r), (x + r * 0.95, y + r * 0.7), (x - r * 0.95, y + r * 0.7)]
        else:  # diamond
            pts = [(x, y - r), (x + r, y), (x, y + r), (x - r, y)]
        self.draw.polygon([self._p(*p) for p in pts], fill=fill, outline=outline, width=w)

    def dot(self, x, y, r, fill, outline=None, width=0.0) -> None:
        self.draw.ellipse((*self._p(x - r, y - r), *self._p(x + r, y + r)), fill=fill, outline=outline,
                          width=max(0, round(width * SS)))


def style_of(type_code: str) -> tuple[str, tuple, str]:
    shape, colour, title = STYLES.get(type_code, OTHER_STYLE)
    return shape, colour, (_(title) if title else type_code)


def draw_marker(p: Painter, x: float, y: float, marker: Marker, size: float = 14.0, highlight: bool = False) -> None:
    shape, colour, _title = style_of(marker.type)
    if marker.status == "decommissioned":
        colour = (*colour[:3], 110)
    if highlight:
        p.dot(x, y, size * 0.95, (255, 214, 10, 120), outline=(180, 120, 0, 255), width=1.5)
    if marker.faulty:
        p.symbol(x, y, shape, colour, size, outline=FAULTY, outline_width=3.0)
    else:
        p.symbol(x, y, shape, colour, size)
    p.occupy(x, y, size * (0.95 if highlight else 0.55))


def draw_label(p: Painter, x: float, y: float, text: str, size: float = 14.0, highlight: bool = False) -> bool:
    """A marker's name beside it: right, left, below or above, whichever is free; left out when none is, so that
    names never overprint each other (call after every marker and panel is drawn)."""
    gap = size * (0.95 if highlight else 0.6) + 3
    font_size = 13 if highlight else 11.5
    for dx, dy, anchor in ((gap, 0, "lm"), (-gap, 0, "rm"), (0, gap, "mt"), (0, -gap, "mb")):
        if p.text_if_free(x + dx, y + dy, text, size=font_size, anchor=anchor):
            return True
    return False


def draw_sightline(p: Painter, at: tuple[float, float], target: tuple[float, float]) -> None:
    """The dashed line from the inspector's position to the asset (drawn under the asset's marker)."""
    p.dashed(at, target, (55, 65, 81, 230), width=1.8)


def draw_inspector(p: Painter, at: tuple[float, float], target: tuple[float, float] | None,
                   distance_m: float | None) -> None:
    """The inspector's position and the distance to the asset, written beside the line (or beyond the inspector
    when the two are too close for the text to fit between them)."""
    x, y = at
    p.dot(x, y, 10, (234, 88, 12, 60))
    p.dot(x, y, 6, INSPECTOR, outline=HALO, width=2.0)
    p.occupy(x, y, 8)
    if target is None or distance_m is None:
        return
    dx, dy = target[0] - x, target[1] - y
    length = math.hypot(dx, dy)
    ux, uy = (dx / length, dy / length) if length else (0.0, -1.0)
    if length >= 90:
        mx, my = x + dx / 2 + uy * 12, y + dy / 2 - ux * 12  # midpoint, nudged off the line
    else:
        mx, my = x - ux * 30, y - uy * 30  # beyond the inspector, away from the asset
    label = format_distance(distance_m)
    p.text(mx, my, label, size=13, anchor="mm", halo=2.5)
    p.occupied.append(p.text_box(mx, my, label, size=13, anchor="mm", halo=2.5))


def draw_scale_bar(p: Painter, width: int, height: int, metres_per_pixel: float) -> None:
    """A two-segment bar of a round length (1, 2 or 5 × 10^n m) no longer than a quarter of the image."""
    length_m = nice_length(metres_per_pixel * width / 4)
    if length_m <= 0:
        return
    bar = length_m / metres_per_pixel
    label = format_distance(length_m)
    tw, _th = p.text_size(label, 11)
    x0, y0 = 14, height - 17
    p.panel((x0 - 7, y0 - 9, x0 + bar + tw + 15, y0 + 9))
    p.draw.rectangle((*p._p(x0, y0 - 2.5), *p._p(x0 + bar / 2, y0 + 2.5)), fill=TEXT)
    p.draw.rectangle((*p._p(x0 + bar / 2, y0 - 2.5), *p._p(x0 + bar, y0 + 2.5)), fill=HALO, outline=TEXT, width=SS)
    p.draw.rectangle((*p._p(x0, y0 - 2.5), *p._p(x0 + bar, y0 + 2.5)), outline=TEXT, width=SS)
    p.text(x0 + bar + 6, y0, label, size=11, anchor="lm", halo=0)


def draw_north_arrow(p: Painter, width: int) -> None:
    cx, top = width - 24, 10
    p.panel((cx - 15, top, cx + 15, top + 48), radius=5)
    p.text(cx, top + 3, "N", size=12, anchor="mt", halo=0)
    tip, base, notch = top + 18, top + 44, top + 37
    p.draw.polygon([p._p(cx, tip), p._p(cx - 8, base), p._p(cx, notch)], fill=TEXT)
    p.draw.polygon([p._p(cx, tip), p._p(cx + 8, base), p._p(cx, notch)], fill=HALO, outline=TEXT, width=SS)


def draw_legend(p: Painter, markers, inspector: bool) -> None:
    """What the symbols on this image mean (only those that are drawn)."""
    present = set(m.type for m in markers)
    types = [t for t in STYLES if t in present] + sorted(present - set(STYLES))
    rows: list[tuple[str, tuple, str, bool]] = [(*style_of(t), False) for t in types]
    if any(m.faulty for m in markers):
        rows.append(("circle", (255, 255, 255, 255), _("Faulty"), True))
    if inspector:
        rows.append(("inspector", INSPECTOR, _("Inspector position"), False))
    if not rows:
        return
    line, x0, y0 = 18, 10, 10
    text_w = max(p.text_size(row[2], 11.5)[0] for row in rows)
    p.panel((x0, y0, x0 + 34 + text_w, y0 + 8 + line * len(rows)))
    for i, (shape, colour, title, faulty) in enumerate(rows):
        cy = y0 + 4 + line * i + line / 2
        if shape == "inspector":
            p.dot(x0 + 14, cy, 5, colour, outline=HALO, width=1.5)
        else:
            p.symbol(x0 + 14, cy, shape, colour, 11, outline=FAULTY if faulty else HALO,
                     outline_width=2.4 if faulty else 1.2)
        p.text(x0 + 26, cy, title, size=11.5, anchor="lm", halo=0)


def draw_attribution(p: Painter, width: int, height: int, text: str) -> None:
    text = plain_text(text)
    if not text:
        return
    size, full = 10, text
    while len(text) > 8 and p.text_size(text, size)[0] > width * 0.6:
        full = full[: int(len(full) * 0.85)].rstrip()
        text = full + "…"
    tw, th = p.text_size(text, size)
    x1, y1 = width - 4, height - 4
    p.panel((x1 - tw - 8, y1 - th - 8, x1, y1), radius=3)
    p.text(x1 - 4, y1 - 4, text, size=size, fill=MUTED, anchor="rd", halo=0)
