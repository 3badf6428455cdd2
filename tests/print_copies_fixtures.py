"""A return bundle for the print-copy tests: the office dispatches a plan to 张巡检's laptop, who inspects the camera
with photos and returns the results (as tests/test_sync_end_to_end.py does, cut short)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from nibi_desk.context import Context
from nibi_desk.inspection import plans, users
from nibi_desk.reports.photos import PhotoCache
from nibi_desk.storage.registry import Registry
from nibi_desk.sync import apply, export, keys, peers
from tests.inspection_fixtures import PASSWORD, World, complete_inspection, make_world


@dataclass
class Laptop:  # what tests.inspection_fixtures.photo needs
    registry: Registry
    tmp: Path


def return_bundle(tmp: Path) -> tuple[World, Path, str]:
    """(the office's world, the return bundle, the submitted inspection it carries). Needs ``cheap_hasher``."""
    (tmp / "office").mkdir(parents=True)
    world = make_world(tmp / "office")
    office = world.office
    zhang = users.get_user(office.registry.read(), "zhang")["id"]
    laptop = Registry.create(tmp / "field" / "zhang.nibi", "420682", actor="setup")
    try:
        setup = Context(laptop)
        users.add_user(setup, "setup", "装机员", "office", PASSWORD)
        users.sign_in(setup, "setup", PASSWORD)
        peers.enroll(office, keys.card_for(laptop, "张巡检的笔记本", "inspector"))
        peers.enroll(setup, keys.card_for(office.registry, "县新基建办", "office"))
        plan_id = plans.create_plan(office, "光化街道月检", "monthly", date.today().replace(day=1),
                                    {"township": "420682001"}, inspector=zhang)
        plans.generate_tasks(office, plan_id)
        dispatch = export.export_bundle(office, tmp / "dispatch.nibx", "dispatch", plans=(plan_id,),
                                        to=laptop.device)
        apply.import_bundle(setup, dispatch.path)
        users.set_password(setup, zhang, PASSWORD)
        field = Context(laptop)
        users.sign_in(field, "zhang", PASSWORD)
        inspection_id = complete_inspection(Laptop(laptop, tmp / "field"), field, world.camera)
        returned = export.export_bundle(field, tmp / "return.nibx", "return", to=office.registry.device)
    finally:
        laptop.close()
    return world, returned.path, inspection_id


def stamped_copies(registry_path) -> list[Path]:
    """The evidence copies in the registry's default report cache."""
    folder = PhotoCache.for_registry(registry_path).root
    return sorted(folder.glob("*sq*/*.jpg"))  # 1000sq85: stamped, not the maps
