"""Shared fixtures of the inspection tests: a registry with users of each role and one asset of each type, answers
that pass a whole form, photos with EXIF GPS, a signature PNG."""

from __future__ import annotations

import io
import itertools
from dataclasses import dataclass
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from PIL import Image

from nibi_desk.commands import assets as asset_commands
from nibi_desk.context import Context
from nibi_desk.inspection import evidence, inspections, submission, templates, users
from nibi_desk.inspection.form import Form
from nibi_desk.storage.registry import Registry
from tests.photos_helpers import DATETIME_ORIGINAL, make_jpeg, gps_block

PASSWORD = "correct horse"
CAMERA = dict(type="camera", name="光化路口监控", code="42068200001320000001", lon=111.6700, lat=32.3800,
              division="420682001", attrs={"class": "A"})
POLE = dict(type="smart_pole", name="胜利路智慧灯杆", code="LHK-P-0001", lon=111.6800, lat=32.3900,
            division="420682001")
STATION = dict(type="base_station", name="竹林桥5G宏站", code="LHK-ZLQ-0001", lon=111.6900, lat=32.4000,
               division="420682100", operator="中国移动", attrs={"site_type": "macro_tower"})
_colours = itertools.count(1)


@dataclass
class World:
    registry: Registry
    office: Context
    inspector: Context
    other_inspector: Context
    supervisor: Context
    camera: str
    pole: str
    station: str
    tmp: Path

    def context(self, login: str) -> Context:
        ctx = Context(self.registry)
        users.sign_in(ctx, login, PASSWORD)
        return ctx


@pytest.fixture
def cheap_hasher():
    """argon2id with small parameters: same algorithm, test-sized cost."""
    previous = users.set_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    yield
    users.set_hasher(previous)


def make_world(tmp: Path) -> World:
    registry = Registry.create(tmp / "inspection.nibi", "420682", actor="tester")
    office = Context(registry)
    users.add_user(office, "office", "王主任", "office", PASSWORD, "县新基建办")
    users.sign_in(office, "office", PASSWORD)
    for login, name, role in (("zhang", "张巡检", "inspector"), ("li", "李巡检", "inspector"),
                              ("zhao", "赵主管", "supervisor")):
        users.add_user(office, login, name, role, PASSWORD)
    ids = [asset_commands.add_asset(office, values)["id"] for values in (CAMERA, POLE, STATION)]
    world = World(registry, office, Context(registry), Context(registry), Context(registry), *ids, tmp)
    for ctx, login in ((world.inspector, "zhang"), (world.other_inspector, "li"), (world.supervisor, "zhao")):
        users.sign_in(ctx, login, PASSWORD)
    return world


@pytest.fixture
def world(tmp_path, cheap_hasher):
    w = make_world(tmp_path)
    yield w
    w.registry.close()


def passing_value(field):
    """An answer that passes ``field`` (None for photo items, which photos answer)."""
    if field.kind == "pass_fail":
        return True
    if field.kind == "number":
        lows = [v for v in (field.min, field.pass_min) if v is not None]
        highs = [v for v in (field.max, field.pass_max) if v is not None]
        low = max(lows) if lows else 0
        high = min(highs) if highs else low + 10
        return round((low + high) / 2, field.decimals or 0)
    if field.kind == "choice":
        return next(o.value for o in field.options if not o.fails)
    if field.kind == "multi":
        return []
    if field.kind == "text":
        return "一切正常"
    return None


def passing_answers(form: Form) -> dict:
    return {f.key: passing_value(f) for f in form.fields if f.kind != "photo"}


def photo(world: World, lon: float | None = None, lat: float | None = None, taken: str | None = None) -> dict:
    """A new JPEG (distinct bytes each call) stored in the registry's photo store; returns its photo values."""
    colour = next(_colours)
    image = Image.new("RGB", (32, 24), (colour % 256, (colour * 7) % 256, (colour * 13) % 256))
    path = world.tmp / f"photo{colour}.jpg"
    make_jpeg(path, image=image, gps=gps_block(lat, lon) if lon is not None else None,
              exif_ifd={DATETIME_ORIGINAL: taken} if taken else None)
    return evidence.store_file(world.registry.path, path)


def signature_png() -> bytes:
    buffer = io.BytesIO()
    image = Image.new("L", (120, 40), 255)
    image.paste(0, (10, 20, 110, 22))
    image.save(buffer, "PNG")
    return buffer.getvalue()


def form_for(world: World, inspection_id: str) -> Form:
    conn = world.registry.read()
    return templates.form_of(conn, inspections.get(conn, inspection_id)["template"])


def attach_required_photos(world: World, ctx: Context, inspection_id: str, lon=None, lat=None) -> None:
    for f in form_for(world, inspection_id).fields:
        if f.needs_photo:
            submission.attach_photo(ctx, inspection_id, photo(world, lon, lat), item=f.key)


def complete_inspection(world: World, ctx: Context, asset_id: str, answers: dict | None = None,
                        submit: bool = True, position: tuple[float, float] | None = None) -> str:
    """Start, answer every item (passing unless ``answers`` says otherwise), add photos and signature, submit."""
    inspection_id = inspections.start(ctx, asset_id)
    form = form_for(world, inspection_id)
    inspections.save_answers(ctx, inspection_id, {**passing_answers(form), **(answers or {})})
    attach_required_photos(world, ctx, inspection_id)
    if position:
        inspections.set_position(ctx, inspection_id, *position)
    submission.set_signature(ctx, inspection_id, signature_png())
    if submit:
        submission.submit(ctx, inspection_id)
    return inspection_id
