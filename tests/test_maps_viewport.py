"""The map's aggregate pyramid (migration 0003, its triggers, the bulk fill) and the viewport queries it serves."""

from __future__ import annotations

import json
import random
import re
import sqlite3

import pytest

from nibi_desk.domain.coords import haversine_m
from nibi_desk.maps import aggregate, viewport
from nibi_desk.storage import assets as store
from nibi_desk.storage import migrations
from nibi_desk.storage.registry import Registry
from nibi_desk.storage.writer import BULK_INDEX_FILL

COUNTY = "420682"
COLUMNS = ["type", "name", "lon", "lat", "status", "attrs"]
TYPES = ("base_station", "smart_pole", "camera")
STATUSES = ("planned", "under_construction", "in_service", "faulty", "decommissioned")


@pytest.fixture
def registry(tmp_path):
    reg = Registry.create(tmp_path / "r.nibi", COUNTY, actor="tester")
    yield reg
    reg.close()


def random_row(rng: random.Random, located: float = 0.95) -> tuple:
    lon, lat = (round(111.45 + rng.random() * 0.47, 6), round(32.2 + rng.random() * 0.42, 6)) \
        if rng.random() < located else (None, None)
    return (rng.choice(TYPES), f"设施{rng.randint(1, 10**6)}", lon, lat, rng.choice(STATUSES), "{}")


def bulk(registry: Registry, rows: list[tuple]) -> None:
    registry.writer.run(lambda txn: txn.bulk_insert("assets", COLUMNS, rows))


def live_ids(registry: Registry) -> list[str]:
    return [r[0] for r in registry.read().execute("SELECT id FROM assets ORDER BY seq")]


# -- the pyramid -----------------------------------------------------------------------------------------------------
def test_pyramid_equals_a_from_scratch_group_by_after_random_writes(registry):
    rng = random.Random(5)
    bulk(registry, [random_row(rng) for _ in range(400)])
    assert aggregate.differences(registry.read()) == []
    for round_ in range(6):
        ids = live_ids(registry)

        def edits(txn):
            for _ in range(25):
                kind = rng.random()
                if kind < 0.3:
                    t, n, lon, lat, s, a = random_row(rng, located=0.8)
                    txn.insert("assets", {"type": t, "name": n, "lon": lon, "lat": lat, "status": s, "attrs": a})
                    continue
                target = rng.choice(ids)
                if kind < 0.5:  # move (sometimes off the map, sometimes back onto it)
                    _, _, lon, lat, _, _ = random_row(rng, located=0.85)
                    txn.update("assets", target, {"lon": lon, "lat": lat})
                elif kind < 0.65:
                    txn.update("assets", target, {"status": rng.choice(STATUSES)})
                elif kind < 0.75:
                    txn.update("assets", target, {"type": rng.choice(TYPES)})
                elif kind < 0.9:
                    txn.delete("assets", target)
                else:
                    txn.update("assets", target, {"deleted": 0})  # restore (or nothing)

        registry.writer.run(edits)
        bulk(registry, [random_row(rng) for _ in range(rng.randint(1, 150))])
        problems = aggregate.differences(registry.read())
        assert problems == [], f"round {round_}: {problems[:5]}"
        assert rtree_mirror_differences(registry.read()) == [], f"round {round_}"
    # A real DELETE (maintenance; rows are normally tombstoned) keeps it right too.
    victims = [i for i in live_ids(registry)[:30]
               if not registry.read().execute("SELECT 1 FROM mounts WHERE carrier = ? OR device = ?",
                                              (i, i)).fetchone()]
    registry.writer.run(lambda txn: [txn.execute("DELETE FROM assets WHERE id = ?", (i,)) for i in victims])
    assert aggregate.differences(registry.read()) == []
    n = registry.read().execute(
        "SELECT count(*) FROM assets WHERE deleted = 0 AND lon IS NOT NULL AND lat IS NOT NULL").fetchone()[0]
    assert aggregate.total(registry.read()) == n
    assert rtree_mirror_differences(registry.read()) == []


def rtree_mirror_differences(conn: sqlite3.Connection) -> list:
    """What the R*Tree's auxiliary columns (migration 0007: the map reads points from them alone) say differently
    from the assets table: every located asset once, with its id, exact position, type, status and liveness."""
    mirror = set(conn.execute("SELECT seq, id, lon, lat, type, status, deleted FROM assets_rtree"))
    table = set(conn.execute("SELECT seq, id, lon, lat, type, status, deleted FROM assets "
                             "WHERE lon IS NOT NULL AND lat IS NOT NULL"))
    return sorted(mirror ^ table)[:5]
    for z in range(aggregate.MAX_LEVEL + 1):  # every level holds every asset once
        assert registry.read().execute("SELECT sum(n) FROM asset_grid WHERE z = ?", (z,)).fetchone()[0] == n


def test_bulk_insert_fills_the_grid_set_based_and_restores_the_trigger(registry):
    rng = random.Random(9)
    bulk(registry, [random_row(rng) for _ in range(300)])
    trigger = registry.read().execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'asset_grid_ai'").fetchone()
    assert trigger is not None  # recreated after the bulk fill
    registry.writer.run(lambda txn: txn.insert("assets", {"type": "camera", "name": "单条", "lon": 111.6, "lat": 32.4,
                                                          "attrs": '{"class": "A"}'}))
    assert aggregate.differences(registry.read()) == []


def _normal(sql: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"\(\s+", "(", re.sub(r"\s+\)", ")", sql))).strip()


def test_the_bulk_fill_is_the_migrations_backfill():
    """One statement in two places (the migration, storage/writer.py): they must not drift apart."""
    script = migrations.split_statements(
        next(p for p in migrations.migration_files() if p.stem == "0003_map_grid").read_text(encoding="utf-8"))
    backfill = _normal(script[-1]).rstrip(";")
    assert _normal(BULK_INDEX_FILL["asset_grid_ai"]).replace("seq > ?", "seq > 0") == backfill


def test_migration_backfills_a_registry_of_the_previous_schema(tmp_path):
    path = tmp_path / "old.nibi"
    reg = Registry.create(path, COUNTY)
    rng = random.Random(3)
    bulk(reg, [random_row(rng) for _ in range(200)])
    want = aggregate.from_scratch(reg.read())
    reg.close()
    conn = sqlite3.connect(path, isolation_level=None)  # back to the schema before 0003, data kept
    for name in ("asset_grid_ai", "asset_grid_au", "asset_grid_ad"):
        conn.execute(f"DROP TRIGGER {name}")
    conn.execute("DROP TABLE asset_grid")
    conn.execute("DROP TABLE asset_grid_levels")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = '0003_map_grid'")
    conn.close()
    with Registry.open(path) as reg:
        assert "0003_map_grid" in migrations.applied(reg.read())
        assert aggregate.stored(reg.read()).keys() == want.keys()
        assert aggregate.differences(reg.read()) == []


def test_migration_0007_rebuilds_the_rtree_with_what_the_map_reads(tmp_path):
    path = tmp_path / "old.nibi"
    reg = Registry.create(path, COUNTY)
    bulk(reg, [random_row(random.Random(8)) for _ in range(300)])
    reg.close()
    conn = sqlite3.connect(path, isolation_level=None)  # back to the R*Tree of 0001 (box only), data kept
    for name in ("assets_rtree_ai", "assets_rtree_au", "assets_rtree_ad"):
        conn.execute(f"DROP TRIGGER {name}")
    conn.execute("DROP TABLE assets_rtree")
    conn.execute("CREATE VIRTUAL TABLE assets_rtree USING rtree(seq, min_lon, max_lon, min_lat, max_lat)")
    conn.execute("INSERT INTO assets_rtree SELECT seq, lon, lon, lat, lat FROM assets WHERE lon IS NOT NULL")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = '0007_map_rtree'")
    conn.close()
    with Registry.open(path) as reg:
        assert "0007_map_rtree" in migrations.applied(reg.read())
        assert rtree_mirror_differences(reg.read()) == []
        assert reg.read().execute("SELECT count(*) FROM assets_rtree").fetchone()[0] > 250


def test_rebuild_recomputes_the_pyramid(registry):
    bulk(registry, [random_row(random.Random(4)) for _ in range(100)])
    registry.writer.run(lambda txn: txn.execute("UPDATE asset_grid SET n = n + 5 WHERE z = 3"))
    assert aggregate.differences(registry.read())
    registry.writer.run(aggregate.rebuild)
    assert aggregate.differences(registry.read()) == []


def test_cells_nest_and_python_agrees_with_sqlite(registry):
    rng = random.Random(2)
    rows = [random_row(rng, located=1.0) for _ in range(50)]
    bulk(registry, rows)
    conn = registry.read()
    for t, _n, lon, lat, _s, _a in rows:
        for z in (0, 7, 12, aggregate.MAX_LEVEL):
            cx, cy = aggregate.cell_of(lon, lat, z)
            assert conn.execute("SELECT 1 FROM asset_grid WHERE z = ? AND cx = ? AND cy = ? AND type = ?",
                                (z, cx, cy, t)).fetchone()
            w, s, e, n = aggregate.cell_bounds(cx, cy, z)
            assert w <= lon < e and s <= lat < n
    assert aggregate.cell_size(0) == 90.0


# -- viewport --------------------------------------------------------------------------------------------------------
def test_points_for_a_bbox_are_exactly_the_assets_inside(registry):
    rng = random.Random(11)
    bulk(registry, [random_row(rng) for _ in range(1500)])
    registry.writer.run(lambda txn: txn.delete("assets", live_ids(registry)[0]))
    conn = registry.read()
    for _ in range(20):
        w, s = 111.45 + rng.random() * 0.35, 32.2 + rng.random() * 0.3
        e, n = w + rng.random() * 0.12, s + rng.random() * 0.12
        answer = viewport.query(conn, w, s, e, n, zoom=15)
        want = {a["seq"] for a in store.in_bbox(conn, w, s, e, n)}
        assert answer["kind"] == "points"
        assert set(answer["seq"]) == want and len(answer["seq"]) == len(want)
        assert answer["total"] == len(want)
        for lon_e6, lat_e6, status in zip(answer["lon_e6"], answer["lat_e6"], answer["status"]):
            assert w - 1e-6 <= lon_e6 / 1e6 <= e + 1e-6 and s - 1e-6 <= lat_e6 / 1e6 <= n + 1e-6
            assert viewport.STATUS_CODES[status] in STATUSES


def test_many_assets_in_view_come_as_cells_that_add_up(registry):
    rng = random.Random(12)
    bulk(registry, [random_row(rng) for _ in range(1200)])
    conn = registry.read()
    located = conn.execute("SELECT count(*) FROM assets WHERE lon IS NOT NULL AND deleted = 0").fetchone()[0]
    answer = viewport.query(conn, 100, 20, 120, 40, zoom=9, limit=100)
    assert answer["kind"] == "cells" and answer["level"] == 9
    assert sum(c[2] for c in answer["cells"]) == answer["total"] == located
    assert sum(sum(c[4].values()) for c in answer["cells"]) == located
    faulty = conn.execute("SELECT count(*) FROM assets WHERE lon IS NOT NULL AND deleted = 0 "
                          "AND status = 'faulty'").fetchone()[0]
    assert sum(c[3] for c in answer["cells"]) == faulty
    for lon, lat, n, _nf, _types in answer["cells"]:
        assert 111.45 <= lon <= 111.92 and 32.2 <= lat <= 32.62
    # Only some types: the cells count those alone.
    cameras = conn.execute("SELECT count(*) FROM assets WHERE lon IS NOT NULL AND deleted = 0 "
                           "AND type = 'camera'").fetchone()[0]
    only = viewport.query(conn, 100, 20, 120, 40, zoom=9, limit=100, types=["camera"])
    assert only["total"] == cameras and all(set(c[4]) == {"camera"} for c in only["cells"])
    assert viewport.query(conn, 100, 20, 120, 40, zoom=9, types=[])["total"] == 0
    # Zooms past the finest level use the finest cells.
    assert viewport.query(conn, 100, 20, 120, 40, zoom=19, limit=10)["level"] == aggregate.MAX_LEVEL


def test_type_filter_and_limit_on_points(registry):
    rng = random.Random(13)
    bulk(registry, [random_row(rng) for _ in range(300)])
    conn = registry.read()
    answer = viewport.query(conn, 111, 32, 112, 33, zoom=16, types=["smart_pole"])
    assert answer["kind"] == "points" and {answer["types"][t] for t in answer["type"]} == {"smart_pole"}
    assert viewport.query(conn, 111, 32, 112, 33, zoom=16, limit=10)["kind"] == "cells"


def test_handle_request_echoes_the_request_id_as_compact_json(registry):
    bulk(registry, [random_row(random.Random(1)) for _ in range(20)])
    text = viewport.handle_request(registry.read(), json.dumps(
        {"id": 42, "west": 111.4, "south": 32.1, "east": 112, "north": 32.7, "zoom": 13.4}))
    answer = json.loads(text)
    assert answer["id"] == 42 and answer["zoom"] == 13 and answer["kind"] == "points"
    assert ", " not in text[:200]


def test_state_provider_feeds_defect_and_overdue_lists(registry):
    bulk(registry, [random_row(random.Random(6), located=1.0) for _ in range(10)])
    seqs = [r[0] for r in registry.read().execute("SELECT seq FROM assets ORDER BY seq")]
    asked = []

    def provider(conn, seq_text):
        asked.append(json.loads(seq_text))
        return {"defect": [seqs[0]], "overdue": [seqs[1]]}

    answer = viewport.query(registry.read(), 111, 32, 112, 33, zoom=14, state_provider=provider)
    assert sorted(asked[0]) == seqs and sorted(answer["seq"]) == seqs
    assert answer["defect"] == [seqs[0]] and answer["overdue"] == [seqs[1]]
    # Without inspection records, the real provider (the default) finds nothing.
    plain = viewport.query(registry.read(), 111, 32, 112, 33, zoom=14)
    assert plain["defect"] == plain["overdue"] == []
    assert viewport.no_states(registry.read(), "[1]") == {"defect": [], "overdue": []}


def test_nearby_lists_assets_within_the_radius_nearest_first(registry):
    rng = random.Random(21)
    bulk(registry, [random_row(rng) for _ in range(800)])
    conn = registry.read()
    lon, lat = 111.68, 32.4
    found = viewport.nearby(conn, lon, lat, 2500)
    want = {r["id"] for r in store.in_bbox(conn, 111, 32, 112, 33)
            if haversine_m(lon, lat, r["lon"], r["lat"]) <= 2500}
    assert {f["id"] for f in found} == want and want
    distances = [f["distance_m"] for f in found]
    assert distances == sorted(distances) and distances[-1] <= 2500
    assert viewport.nearby(conn, lon, lat, 2500, types=["camera"]) == [f for f in found if f["type"] == "camera"]


def test_locate(registry):
    bulk(registry, [("camera", "定位", 111.7, 32.4, "in_service", "{}"), ("camera", "无位置", None, None,
                                                                        "planned", "{}")])
    located, unlocated = live_ids(registry)
    assert viewport.locate(registry.read(), located)["lon"] == 111.7
    assert viewport.locate(registry.read(), unlocated) is None
    assert viewport.locate(registry.read(), "no-such-id") is None


def test_a_dense_view_comes_as_cells_beyond_the_density_threshold(registry):
    bulk(registry, [random_row(random.Random(8), located=1.0) for _ in range(400)])
    request = {"id": 1, "west": 111, "south": 32, "east": 112, "north": 33, "zoom": 16}
    assert json.loads(viewport.handle_request(registry.read(), request))["kind"] == "points"
    # A window of 300 x 200 pixels holds at most 66 symbols (one per 30 x 30 px): the 400 assets come as cells.
    small = json.loads(viewport.handle_request(registry.read(), {**request, "px": [300, 200]}))
    assert small["kind"] == "cells" and small["total"] == 400
    big = json.loads(viewport.handle_request(registry.read(), {**request, "px": [1600, 1000]}))
    assert big["kind"] == "points" and big["total"] == 400
    assert viewport.density_limit(3000, [1664, 1040]) == 1922 and viewport.density_limit(3000, None) == 3000
    assert viewport.density_limit(3000, [1e5, 1e5]) == 3000 and viewport.density_limit(50, "junk") == 50
