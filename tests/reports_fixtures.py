"""A small demo county with inspection history for the report tests (and bench/reports.py): the demo registry at
scale 0.01, users of each role, a plan with tasks, submitted inspections (some with failed items, defects,
photos with EXIF time and GPS, a signature), a notice issued, a rectification closed, an unreachable asset."""

from __future__ import annotations

import io
import itertools
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from PIL import Image, ImageDraw

from nibi_desk import demo, i18n
from nibi_desk.context import Context
from nibi_desk.inspection import defects, evidence, inspections, plans, submission, templates, users
from nibi_desk.photos import stamp
from nibi_desk.storage.registry import Registry
from tests.photos_helpers import DATETIME_ORIGINAL, gps_block, make_jpeg

PASSWORD = "correct horse"
# Newer demo generators add their own users and history: these fixtures make their own.
_NO_HISTORY = {"history": False} if "history" in __import__("inspect").signature(demo.generate).parameters else {}
_serial = itertools.count(1)


@dataclass
class County:
    registry: Registry
    office: Context
    inspector: Context
    tmp: Path
    plan: str = ""
    inspections: list[str] = field(default_factory=list)
    defects: list[str] = field(default_factory=list)
    closed_defect: str = ""
    unreachable: str = ""
    station_inspection: str = ""
    camera_inspection: str = ""


def picture(size=(800, 600), label: str = "") -> Image.Image:
    """A photo-like picture: sky, ground, a pole, and a number so that each one differs."""
    n = next(_serial)
    w, h = size
    im = Image.new("RGB", size, (135, 170, 210))
    d = ImageDraw.Draw(im)
    d.rectangle((0, h * 2 // 3, w, h), fill=(110, 120 + n * 7 % 60, 90))
    d.rectangle((w // 2 - w // 40, h // 6, w // 2 + w // 40, h * 5 // 6), fill=(90, 90, 95))
    d.ellipse((w // 2 - w // 10, h // 8, w // 2 + w // 10, h // 8 + w // 10), fill=(240, 240, 200))
    d.text((w // 20, h // 20), f"{label} #{n}", fill=(20, 20, 20))
    return im


def store_photo(registry: Registry, tmp: Path, lon: float, lat: float, taken: datetime, size=(800, 600)) -> dict:
    path = tmp / f"photo-{next(_serial)}.jpg"
    make_jpeg(path, image=picture(size), gps=gps_block(lat, lon),
              exif_ifd={DATETIME_ORIGINAL: taken.strftime("%Y:%m:%d %H:%M:%S")})
    return evidence.store_file(registry.path, path)


def signature_png() -> bytes:
    buffer = io.BytesIO()
    image = Image.new("L", (240, 80), 255)
    d = ImageDraw.Draw(image)
    d.line([(20, 60), (60, 20), (90, 55), (130, 25), (170, 58), (220, 30)], fill=0, width=4)
    image.save(buffer, "PNG")
    return buffer.getvalue()


def answers_for(form, fail: set[str] = frozenset()) -> dict:
    out = {}
    for f in form.fields:
        if f.kind == "photo":
            continue
        failing = f.key in fail
        if f.kind == "pass_fail":
            out[f.key] = {"value": not failing, "note": "螺栓松动，需紧固" if failing else None}
        elif f.kind == "number":
            lows = [v for v in (f.min, f.pass_min) if v is not None]
            highs = [v for v in (f.max, f.pass_max) if v is not None]
            low = max(lows) if lows else 0
            high = min(highs) if highs else low + 10
            value = (f.pass_max + 5 if f.pass_max is not None else (f.pass_min - 5 if f.pass_min is not None
                                                                        else low)) if failing else (low + high) / 2
            out[f.key] = {"value": round(value, f.decimals or 0)}
        elif f.kind == "choice":
            option = next((o for o in f.options if o.fails == failing), f.options[0])
            out[f.key] = {"value": option.value, "note": "画面模糊" if failing else None}
        elif f.kind == "multi":
            out[f.key] = {"value": []}
        elif f.kind == "text":
            out[f.key] = {"value": "现场整洁，运行正常"}
    return out


def inspect(county: County, asset: dict, fail: set[str] = frozenset(), photos: int = 2, offset_m: float = 20,
            unreachable: str | None = None, size=(800, 600)) -> str:
    ctx, reg = county.inspector, county.registry
    inspection_id = inspections.start(ctx, asset["id"])
    conn = reg.read()
    form = templates.form_of(conn, inspections.get(conn, inspection_id)["template"])
    lon, lat = asset["lon"] + offset_m / 94000, asset["lat"]
    if unreachable is not None:
        inspections.update_draft(ctx, inspection_id, unreachable_reason=unreachable)
    else:
        inspections.save_answers(ctx, inspection_id, answers_for(form, fail))
    taken = datetime.now().replace(microsecond=0)
    photo_items = [f.key for f in form.fields if f.needs_photo]
    extra = [k for k in fail if k not in photo_items]
    for i, item in enumerate(photo_items + extra + [None] * max(0, photos - len(photo_items) - len(extra))):
        submission.attach_photo(ctx, inspection_id, store_photo(reg, county.tmp, lon, lat, taken, size), item=item)
    inspections.set_position(ctx, inspection_id, lon, lat, "typed")
    submission.set_signature(ctx, inspection_id, signature_png())
    submission.submit(ctx, inspection_id)
    county.inspections.append(inspection_id)
    return inspection_id


def make_county(tmp: Path, n_inspections: int = 8, photos: int = 2, size=(800, 600)) -> County:
    registry = Registry.create(tmp / "county.nibi", "420682", actor="tester")
    demo.generate(registry, scale=0.01, **_NO_HISTORY)
    office = Context(registry)
    users.add_user(office, "office", "王主任", "office", PASSWORD, "老河口市新基建办")
    users.sign_in(office, "office", PASSWORD)
    users.add_user(office, "zhang", "张巡检", "inspector", PASSWORD)
    inspector = Context(registry)
    users.sign_in(inspector, "zhang", PASSWORD)
    county = County(registry, office, inspector, tmp)
    today = date.today()
    county.plan = plans.create_plan(office, "光化街道季度巡检", "quarterly", today - timedelta(days=1),
                                    {"township": "420682001"}, inspector=users_id(registry, "zhang"))
    plans.generate_tasks(office, county.plan, today)
    conn = registry.read()
    chosen = [dict(r) for r in conn.execute(
        "SELECT a.* FROM tasks t JOIN assets a ON a.id = t.asset WHERE t.plan = ? AND a.lon IS NOT NULL "
        "ORDER BY a.type = 'camera', a.seq", (county.plan,))]
    station = conn.execute("SELECT * FROM assets WHERE type = 'base_station' AND lon IS NOT NULL AND status = "
                           "'in_service' ORDER BY seq LIMIT 1").fetchone()
    camera = next((a for a in chosen if a["type"] == "camera"), None)
    county.station_inspection = inspect(county, dict(station), fail={"grounding", "cabinet_lock"}
                                        if False else set(), photos=photos, size=size)
    camera_form = templates.form_of(conn, templates.default_for(conn, "camera")["id"])
    failing_camera = {f.key for f in camera_form.fields if f.key in ("image_clear", "angle")}
    county.camera_inspection = inspect(county, camera, fail=failing_camera, photos=photos, size=size)
    for d_item in sorted(failing_camera):
        county.defects.append(defects.raise_defect(inspector, county.camera_inspection, d_item))
    others = [a for a in chosen if a["id"] != camera["id"]][: max(0, n_inspections - 3)]
    for asset in others:
        inspect(county, asset, photos=1, size=size)
    unreachable_asset = [a for a in chosen if a["id"] != camera["id"]][-1]
    county.unreachable = inspect(county, unreachable_asset, unreachable="道路施工封闭，无法到达", photos=0)
    # The loop: a notice for the first defect; the second rectified with an after-photo and closed.
    first, second = county.defects[0], county.defects[1]
    defects.issue_notice(office, first, "LHK-ZG-2026-001", "老河口市公安局", today)
    defects.issue_notice(office, second, "LHK-ZG-2026-002", "老河口市公安局", today)
    after = store_photo(registry, tmp, camera["lon"] + 0.00005, camera["lat"], datetime.now().replace(microsecond=0),
                        size)
    defects.rectify(inspector, second, "已更换镜头并重新调整角度", [after])
    defects.close(office, second)
    county.closed_defect = second
    return county


def users_id(registry: Registry, login: str) -> str:
    return registry.read().execute("SELECT id FROM users WHERE login = ?", (login,)).fetchone()[0]


__all__ = ["County", "make_county", "inspect", "store_photo", "picture", "stamp"]


PHOTO_SIZE = (1600, 1200)  # larger than print needs: every photo is decoded, shrunk and stamped


def photo_county(folder: Path, n_inspections: int = 6, photos: int = 2) -> County:
    """A county whose submitted inspections carry photos larger than print needs (the print-copy tests)."""
    return make_county(folder, n_inspections=n_inspections, photos=photos, size=PHOTO_SIZE)



def damaged_county(tmp: Path, size=(800, 600)) -> tuple[County, str]:
    """A county (3 inspections, a photo each) one of whose stored photos is not a JPEG any more (a damaged disk, a
    bad restore); returns it with that photo's sha256."""
    import os
    import stat

    from nibi_desk.photos.store import PhotoStore

    i18n.set_language("zh_CN")
    c = make_county(tmp / "county", n_inspections=3, photos=1, size=size)
    sha = evidence.of_inspection(c.registry.read(), c.station_inspection)[0]["sha256"]
    original = PhotoStore.for_registry(c.registry.path).path_of(sha)
    os.chmod(original, stat.S_IRUSR | stat.S_IWUSR)
    original.write_bytes(b"\xff\xd8 not a photo any more " * 100)
    return c, sha
