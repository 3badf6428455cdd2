"""A return bundle for the print-copy tests: the office dispatches a plan to 张巡检's laptop, who inspects the camera
with photos and returns the results (as tests/test_sync_end_to_end.py does, cut short)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from nibi_desk.context import Context
from nibi_desk.inspection import plans, users
from nibi_desk.reports.photos import PhotoCache
from nibi_desk.sync import apply, export
from tests.inspection_fixtures import PASSWORD, World, complete_inspection, make_world
from tests.sync_helpers import Laptop, field_laptop


def return_bundle(tmp: Path) -> tuple[World, Path, str]:
    """(the office's world, the return bundle, the submitted inspection it carries). Needs ``cheap_hasher``."""
    (tmp / "office").mkdir(parents=True)
    world = make_world(tmp / "office")
    office = world.office
    zhang = users.get_user(office.registry.read(), "zhang")["id"]
    laptop, setup = field_laptop(office, tmp / "field")
    try:
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
