"""Pictures for the demo inspection history: synthetic site photos with EXIF time and GPS, and signatures."""

from __future__ import annotations

import hashlib
import io
import random
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from PIL import Image, ImageDraw, ImageFilter
from PIL.TiffImagePlugin import IFDRational
from nibi_desk.inspection import evidence
from nibi_desk.photos.exif import read_info
from nibi_desk.photos.store import PhotoStore

PHOTO_WORKERS = 8


@dataclass
class PhotoSpec:
    seed: int
    scene: str
    taken: datetime | None
    lon: float | None
    lat: float | None
    make: str | None
    model: str | None
    mark: str = ""          # "defect": damage drawn in; "blurred"/"blocked"/"black": what a failed view shows
    reading: str = ""       # digits on the meter


def _rational(value: float) -> IFDRational:
    f = Fraction(str(value)).limit_denominator(10**6)
    return IFDRational(f.numerator, f.denominator)


def _dms(degrees: float) -> tuple:
    ms = round(abs(degrees) * 3600 * 1000)
    d, rest = divmod(ms, 3600 * 1000)
    m, s = divmod(rest, 60 * 1000)
    return IFDRational(d, 1), IFDRational(m, 1), IFDRational(s, 1000)


def _draw(spec: PhotoSpec) -> Image.Image:
    """A 320×240 picture of the scene: crude, but recognisably a pole, a cabinet, a tower, a meter or a street."""
    rng = random.Random(spec.seed)
    w, h = 320, 240
    sky = (rng.randint(110, 150), rng.randint(160, 190), rng.randint(205, 235))
    im = Image.new("RGB", (w, h), sky)
    d = ImageDraw.Draw(im)
    horizon = rng.randint(150, 175)
    for _ in range(rng.randint(1, 4)):  # clouds
        x, y = rng.randint(-20, 300), rng.randint(5, 90)
        d.ellipse((x, y, x + rng.randint(40, 90), y + rng.randint(12, 25)), fill=(240, 242, 245))
    scene = spec.scene
    if scene in ("cabinet", "meter"):
        d.rectangle((0, 0, w, h), fill=(rng.randint(150, 175),) * 3)
        if scene == "cabinet":
            x0 = rng.randint(50, 90)
            d.rectangle((x0, 20, x0 + 160, 225), fill=(205, 208, 210), outline=(90, 90, 90), width=3)
            d.line((x0 + 80, 22, x0 + 80, 223), fill=(120, 120, 120), width=2)
            for i in range(rng.randint(3, 6)):
                d.ellipse((x0 + 15 + i * 12, 35, x0 + 21 + i * 12, 41), fill=rng.choice(((40, 200, 60), (240, 180, 0))))
            d.rectangle((x0 + 90, 110, x0 + 100, 140), fill=(60, 60, 60))  # the lock
        else:
            d.rounded_rectangle((90, 30, 230, 220), radius=12, fill=(240, 190, 30), outline=(60, 60, 60), width=3)
            d.rectangle((105, 50, 215, 100), fill=(150, 190, 140))
            d.text((118, 65), f"{spec.reading} Ω", fill=(20, 30, 20))
            for i in range(6):
                d.ellipse((110 + (i % 3) * 38, 125 + (i // 3) * 40, 135 + (i % 3) * 38, 150 + (i // 3) * 40),
                          fill=(70, 70, 70))
    else:
        d.rectangle((0, horizon, w, h), fill=(rng.randint(80, 110), rng.randint(90, 115), rng.randint(70, 90)))
        d.polygon(((130, h), (190, h), (165, horizon), (155, horizon)), fill=(95, 95, 100))  # a road
        for _ in range(rng.randint(1, 3)):  # buildings or trees on the skyline
            x = rng.randint(0, 280)
            top = horizon - rng.randint(30, 90)
            if rng.random() < 0.5:
                d.rectangle((x, top, x + rng.randint(25, 60), horizon), fill=(rng.randint(170, 215),) * 3)
            else:
                d.ellipse((x, top, x + 40, horizon + 5), fill=(55, rng.randint(110, 140), 60))
        x = rng.randint(120, 200)
        if scene in ("camera", "pole"):
            d.rectangle((x, 30, x + 8, horizon + 20), fill=(150, 152, 155))
            d.line((x + 4, 40, x + 60, 36), fill=(150, 152, 155), width=5)
            if scene == "camera":
                d.rectangle((x + 45, 40, x + 75, 55), fill=(235, 235, 235), outline=(60, 60, 60))
            else:
                d.ellipse((x + 50, 30, x + 72, 42), fill=(250, 245, 210))
                d.rectangle((x - 6, horizon - 40, x + 14, horizon + 10), fill=(200, 202, 205))
        elif scene == "station":
            top = rng.randint(10, 30)
            for dx in (-30, 30):
                d.line((x, top, x + dx, horizon + 15), fill=(110, 110, 115), width=3)
            for y in range(top + 20, horizon, 22):
                half = 30 * (y - top) / (horizon + 15 - top)
                d.line((x - half, y, x + half, y), fill=(110, 110, 115), width=2)
            for dx in (-14, 0, 14):
                d.rectangle((x + dx - 3, top, x + dx + 3, top + 22), fill=(235, 235, 235))
    if spec.mark == "defect":
        for _ in range(rng.randint(3, 7)):  # rust and damage
            x, y = rng.randint(60, 260), rng.randint(40, 200)
            r = rng.randint(4, 14)
            d.ellipse((x - r, y - r, x + r, y + r), fill=(rng.randint(120, 160), rng.randint(60, 80), 30))
        x, y = rng.randint(90, 230), rng.randint(70, 170)
        d.ellipse((x - 45, y - 45, x + 45, y + 45), outline=(230, 30, 30), width=3)  # the inspector's red circle
    elif spec.mark == "blurred":
        im = im.filter(ImageFilter.GaussianBlur(6))
    elif spec.mark == "blocked":
        for _ in range(12):
            x, y = rng.randint(-40, 300), rng.randint(-40, 200)
            d.ellipse((x, y, x + 120, y + 90), fill=(40, rng.randint(90, 130), 45))
    elif spec.mark == "black":
        im = Image.new("RGB", (w, h), (8, 8, 10))
    return im


def _jpeg(spec: PhotoSpec) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = 1
    if spec.make:
        exif[0x010F], exif[0x0110] = spec.make, spec.model
    if spec.taken is not None:
        # Camera-local time without an offset, as most phones write it (read in the inspection's zone).
        stamp = spec.taken.strftime("%Y:%m:%d %H:%M:%S")
        exif[0x0132] = stamp
        sub = exif.get_ifd(0x8769)
        sub[0x9003] = sub[0x9004] = stamp
    if spec.lon is not None:
        exif.get_ifd(0x8825).update({1: "N", 2: _dms(spec.lat), 3: "E", 4: _dms(spec.lon), 5: b"\x00",
                                     6: _rational(round(random.Random(spec.seed).uniform(82, 98), 1))})
    buffer = io.BytesIO()
    _draw(spec).save(buffer, "JPEG", quality=80, exif=exif)
    return buffer.getvalue()


class _Photos:
    """Every planned photo, drawn and read here (a fraction of a millisecond each) and written to the photo store by
    worker threads while the replay runs: the writes wait on fsync, not on Python, so they do not slow the replay.
    ``photos[i]`` is photo i's values (for the ``photos`` row); :meth:`finish` waits for the files."""

    def __init__(self, registry, specs: list[PhotoSpec]):
        store = PhotoStore.for_registry(registry.path)
        self.pool = ThreadPoolExecutor(max_workers=PHOTO_WORKERS, thread_name_prefix="demo-photos")
        self.values, self.writes = [], []
        for spec in specs:
            data = _jpeg(spec)
            self.writes.append(self.pool.submit(store.add_bytes, data))
            name = f"IMG_{spec.taken:%Y%m%d_%H%M%S}.jpg" if spec.taken else f"IMG_{spec.seed % 10000:04d}.jpg"
            self.values.append(evidence.photo_values(hashlib.sha256(data).hexdigest(), len(data), read_info(data),
                                                     original_name=name))

    def __getitem__(self, index: int) -> dict:
        return self.values[index]

    def finish(self) -> None:
        """Wait for every file; the first failed write raises."""
        self.pool.shutdown(wait=True)
        for write in self.writes:
            write.result()


def _signature(rng: random.Random) -> bytes:
    """A scribbled signature (PNG, like the signature pad's)."""
    im = Image.new("L", (240, 80), 255)
    d = ImageDraw.Draw(im)
    x, y = 15.0, 45.0
    points = [(x, y)]
    for _ in range(rng.randint(14, 22)):
        x += rng.uniform(4, 14)
        y = min(70.0, max(10.0, y + rng.uniform(-18, 18)))
        points.append((x, y))
    d.line(points, fill=0, width=3, joint="curve")
    d.line((points[0][0], 62, points[-1][0], rng.uniform(55, 68)), fill=0, width=2)
    buffer = io.BytesIO()
    im.save(buffer, "PNG")
    return buffer.getvalue()
