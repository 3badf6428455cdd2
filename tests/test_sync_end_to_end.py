"""End to end: the office dispatches a plan → the inspector's laptop imports it, inspects with photos and corrects an
asset, returns → the office imports, sees the results and one deliberate conflict, resolves it → the county rolls
up to a city registry. Uses the inspection core (nibi_desk/inspection) as the field would."""

from __future__ import annotations

from datetime import date

from nibi_desk.commands.assets import edit_asset
from nibi_desk.context import Context
from nibi_desk.inspection import inspections, plans, users
from nibi_desk.photos.store import PhotoStore
from nibi_desk.storage.registry import Registry
from nibi_desk.sync import apply, conflicts, export, keys, peers
from tests.inspection_fixtures import PASSWORD, cheap_hasher, complete_inspection, make_world  # noqa: F401
from tests.sync_helpers import Laptop, field_laptop, snapshot


def test_dispatch_inspect_return_resolve_rollup(tmp_path, cheap_hasher):  # noqa: F811
    (tmp_path / "office").mkdir()
    world = make_world(tmp_path / "office")
    office = world.office
    zhang = users.get_user(office.registry.read(), "zhang")["id"]

    # the inspector's laptop: its own registry, set up by a local office account
    laptop, setup = field_laptop(office, tmp_path / "field")

    # office: a monthly plan for 张巡检 over 光化街道, dispatched
    plan_id = plans.create_plan(office, "光化街道月检", "monthly", date.today().replace(day=1),
                                {"township": "420682001"}, inspector=zhang)
    assert plans.generate_tasks(office, plan_id)["created"] == 2 * 2  # camera + pole, this period and the next
    dispatch = export.export_bundle(office, tmp_path / "dispatch.nibx", "dispatch", plans=(plan_id,),
                                    to=laptop.device)
    preview = apply.import_bundle(setup, dispatch.path, dry_run=True)
    assert preview.totals()["refused"] == 0 and preview.counts()["assets"] == {"new": 2}
    apply.import_bundle(setup, dispatch.path)
    users.set_password(setup, zhang, PASSWORD)  # hashes never travel: set locally
    field = Context(laptop)
    users.sign_in(field, "zhang", PASSWORD)

    # field: inspect the camera with photos and a signature; correct the pole's address
    inspection_id = complete_inspection(Laptop(laptop, tmp_path / "field"), field, world.camera)
    assert inspections.get(laptop.read(), inspection_id)["status"] == "submitted"
    edit_asset(field, world.pole, {"address": "胜利路 18 号东侧"})
    edit_asset(office, world.pole, {"address": "胜利路 18 号"})  # the office, meanwhile: the deliberate conflict
    edit_asset(office, world.camera, {"owner": "县公安局"})       # a different field: merges silently

    returned = export.export_bundle(field, tmp_path / "return.nibx", "return", to=office.registry.device)
    assert returned.counts["inspections"] == 1 and returned.counts["photo_files"] >= 2

    # office: preview, import, results
    before = snapshot(office.registry.path)
    plan = apply.import_bundle(office, returned.path, dry_run=True)
    assert plan.totals()["conflict"] == 1 and plan.totals()["refused"] == 0
    assert snapshot(office.registry.path) == before  # a dry run writes nothing
    plan = apply.import_bundle(office, returned.path)
    conn = office.registry.read()
    row = conn.execute("SELECT status, inspector, result FROM inspections WHERE id = ?", (inspection_id,)).fetchone()
    assert tuple(row) == ("submitted", zhang, "normal")
    task = conn.execute("SELECT status FROM tasks WHERE inspection = ?", (inspection_id,)).fetchone()
    assert task[0] == "done"
    store = PhotoStore.for_registry(office.registry.path)
    shas = [r[0] for r in conn.execute("SELECT p.sha256 FROM photos p JOIN evidence e ON e.photo = p.id "
                                       "WHERE e.inspection = ?", (inspection_id,))]
    assert shas and all(store.verify(sha) for sha in shas)
    assert conn.execute("SELECT owner FROM assets WHERE id = ?", (world.camera,)).fetchone()[0] == "县公安局"

    # the conflict: both values kept, the newer shown, base known
    (c,) = conflicts.list_conflicts(conn)
    assert (c["tbl"], c["row_id"], c["field"]) == ("assets", world.pole, "address")
    assert c["mine"] == "胜利路 18 号" and c["theirs"] == "胜利路 18 号东侧" and c["base"] is None
    shown = conn.execute("SELECT address FROM assets WHERE id = ?", (world.pole,)).fetchone()[0]
    assert shown == "胜利路 18 号"  # the office wrote last: the newer value is shown until someone decides

    # importing the same bundle again changes nothing
    again = snapshot(office.registry.path)
    assert apply.import_bundle(office, returned.path).already is not None
    assert snapshot(office.registry.path) == again

    assert conflicts.resolve(office, conflicts.alike(conn, c["id"]), "theirs") == 1
    assert conflicts.list_conflicts(conn) == []
    resolved = conflicts.list_conflicts(conn, status="resolved")[0]
    assert resolved["resolution"] == {"choice": "theirs", "value": "胜利路 18 号东侧"}

    # the resolution travels back to the laptop in the next (delta) dispatch and closes nothing there
    delta = export.export_bundle(office, tmp_path / "dispatch2.nibx", "dispatch", plans=(plan_id,), to=laptop.device)
    assert delta.since is not None and delta.counts["assets"] >= 1
    apply.import_bundle(setup, delta.path)
    assert laptop.read().execute("SELECT address FROM assets WHERE id = ?", (world.pole,)).fetchone()[0] == \
        "胜利路 18 号东侧"

    # the county rolls up to the city (襄阳市 420600)
    city = Registry.create(tmp_path / "city" / "xiangyang.nibi", "420600", actor="city")
    cctx = Context(city)
    peers.enroll(cctx, keys.card_for(office.registry, "老河口市", "office"))
    rollup = export.export_bundle(office, tmp_path / "rollup.nibx", "rollup")
    result = apply.import_bundle(cctx, rollup.path)
    assert result.totals()["refused"] == 0
    cconn = city.read()
    assert cconn.execute("SELECT count(*) FROM assets").fetchone()[0] == 3
    assert cconn.execute("SELECT status FROM inspections WHERE id = ?", (inspection_id,)).fetchone()[0] == "submitted"
    assert cconn.execute("SELECT address FROM assets WHERE id = ?", (world.pole,)).fetchone()[0] == "胜利路 18 号东侧"
    assert all(PhotoStore.for_registry(city.path).has(sha) for sha in shas)
    assert cconn.execute("SELECT password_hash FROM users WHERE password_hash IS NOT NULL").fetchall() == []
    assert cconn.execute("SELECT count(*) FROM assets_fts WHERE assets_fts MATCH '胜利路'").fetchone()[0] >= 1
    assert [h["direction"] for h in peers.history(conn)][:1] == ["export"]
    for registry in (city, laptop, world.registry):
        registry.close()


def test_dispatch_carries_a_basemap_and_a_township(tmp_path):
    from tests.conftest import shared_path
    from tests.sync_helpers import introduce, make, poles

    tiles = shared_path("fixtures", "tiles", "plain_1.mbtiles")
    office, octx = make(tmp_path, "office")
    field, fctx = make(tmp_path / "field", "field")
    introduce(octx, fctx)
    poles(octx, 2)
    poles(octx, 1, division="420682100000", prefix="别的乡镇")
    bundle = export.export_bundle(octx, tmp_path / "d.nibx", "dispatch", township="420682001", basemap=tiles,
                                  to=field.device)
    plan = apply.import_bundle(fctx, bundle.path)
    assert plan.counts()["assets"] == {"new": 2}
    from nibi_desk.maps import basemaps

    (listed,) = basemaps.listed(field.read())
    assert listed.active and basemaps.locate_file(listed, field.path).name == "plain_1.mbtiles"
    office.close()
    field.close()
