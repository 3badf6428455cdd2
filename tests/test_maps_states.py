"""Asset states on the map (nibi_desk.maps.states): open defects and overdue inspections, set-based, as the asset
table's filters define them, in viewport answers, details and the exported page."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta

import pytest

from nibi_desk.maps import page, states, viewport
from nibi_desk.storage import assets as store
from nibi_desk.storage.registry import Registry

TODAY = date.today()


def day(offset: int) -> str:
    return (TODAY + timedelta(days=offset)).isoformat()


@pytest.fixture
def world(tmp_path):
    """Assets a..h near 老河口 with defects and tasks that make some of them "open defect" or "overdue"."""
    registry = Registry.create(tmp_path / "s.nibi", "420682", actor="tester")
    names = "abcdefgh"

    def write(txn):
        ids = {}
        for i, name in enumerate(names):
            ids[name] = txn.insert("assets", {"type": "camera", "name": f"设施{name}", "lon": 111.67 + i * 0.001,
                                              "lat": 32.38, "status": "faulty" if name == "g" else "in_service",
                                              "attrs": "{}"})
        plan = txn.insert("plans", {"name": "月巡", "cycle": "monthly", "start_date": day(-60)})

        def defect(asset, status="open", deleted=0, deadline=day(10)):
            txn.insert("defects", {"asset": ids[asset], "category": "外观", "severity": "general",
                                   "description": "破损", "status": status, "deadline": deadline,
                                   "deleted": deleted})

        def task(asset, due, status="open", period="2020-01"):
            txn.insert("tasks", {"plan": plan, "asset": ids[asset], "period": period, "due_date": due,
                                 "status": status})

        defect("a")                                  # open defect
        defect("b", status="closed")                 # closed: nothing
        task("c", day(-1))                           # due yesterday, open: overdue
        task("d", day(0))                            # due today: not overdue yet
        task("e", day(-5), status="done")            # done late: not overdue
        defect("f", deleted=1)                       # a deleted defect: nothing
        defect("g", status="rectified", deadline=day(-3))  # faulty AND an open (rectified, not closed) defect
        defect("h", status="reopened")
        task("h", day(-30), period="2020-02")        # both
        return ids

    ids = registry.writer.run(write)
    registry.ids = ids
    registry.seq = {k: store.seq_of(registry.read(), v) for k, v in ids.items()}
    yield registry
    registry.close()


def names_of(world, seqs) -> set[str]:
    by_seq = {v: k for k, v in world.seq.items()}
    return {by_seq[s] for s in seqs}


def test_open_defects_and_overdue_inspections(world):
    found = states.of_assets(world.read(), list(world.seq.values()))
    assert names_of(world, found["defect"]) == {"a", "g", "h"}
    assert names_of(world, found["overdue"]) == {"c", "h"}
    # A JSON array text works too (what viewport passes), and an empty list asks nothing.
    assert states.of_assets(world.read(), json.dumps(list(world.seq.values()))) == found
    assert states.of_assets(world.read(), []) == {"defect": [], "overdue": []}
    # Only the assets asked about.
    only = states.of_assets(world.read(), [world.seq["a"], world.seq["c"]])
    assert names_of(world, only["defect"]) == {"a"} and names_of(world, only["overdue"]) == {"c"}


def test_the_map_agrees_with_the_asset_table_filters(world):
    conn = world.read()
    found = states.of_assets(conn, list(world.seq.values()))
    with_defects = {r["seq"] for r in store.in_bbox(conn, 111, 32, 112, 33, store.Filters(open_defects=True))}
    assert set(found["defect"]) == with_defects
    # "Due" in the table (within a week) includes every overdue asset, and today's.
    due = {r["seq"] for r in store.in_bbox(conn, 111, 32, 112, 33, store.Filters(inspection_due=True))}
    assert set(found["overdue"]) < due and world.seq["d"] in due - set(found["overdue"])


def test_one_statement_for_thousands_of_assets(world):
    conn = world.read()
    statements = []
    conn.set_trace_callback(statements.append)
    try:
        seqs = list(world.seq.values()) + list(range(10_000, 13_000))  # unknown seqs are simply not found
        found = states.of_assets(conn, seqs)
    finally:
        conn.set_trace_callback(None)
    assert names_of(world, found["defect"]) == {"a", "g", "h"}
    assert len([s for s in statements if "json_each" in s]) == 1 and len(statements) <= 3


def test_viewport_answers_carry_the_states_by_default(world):
    # The real provider puts its conditions into the points query; as a plain function it answers the same.
    as_function = viewport.query(world.read(), 111, 32, 112, 33, zoom=16, state_provider=states.of_assets)
    assert names_of(world, as_function["defect"]) == {"a", "g", "h"}
    answer = viewport.query(world.read(), 111, 32, 112, 33, zoom=16)
    assert answer["kind"] == "points" and answer["total"] == 8
    assert names_of(world, answer["defect"]) == {"a", "g", "h"}
    assert names_of(world, answer["overdue"]) == {"c", "h"}
    text = viewport.handle_request(world.read(), {"id": 3, "west": 111, "south": 32, "east": 112, "north": 33,
                                                  "zoom": 16})
    assert sorted(json.loads(text)["defect"]) == answer["defect"]
    # Opting out: no states.
    quiet = viewport.query(world.read(), 111, 32, 112, 33, zoom=16, state_provider=viewport.no_states)
    assert quiet["defect"] == quiet["overdue"] == []


def test_details_say_what_the_popup_shows(world):
    conn = world.read()
    a = viewport.details(conn, seq=world.seq["a"])
    assert a["id"] == world.ids["a"] and a["name"] == "设施a" and a["open_defects"] == 1
    assert a["inspection_overdue"] is False and a["last"] is None
    h = viewport.details(conn, asset_id=world.ids["h"])
    assert h["seq"] == world.seq["h"] and h["open_defects"] == 1 and h["inspection_overdue"] is True
    g = viewport.details(conn, seq=world.seq["g"])
    assert g["status"] == "faulty" and g["overdue_defects"] == 1
    assert viewport.details(conn, seq=999_999) is None


def test_the_exported_page_carries_the_states(world, tmp_path):
    page._write_assets(world.read(), tmp_path)
    text = (tmp_path / "assets.js").read_text(encoding="utf-8")
    data = json.loads(text[text.index("{"):text.rindex("}") + 1])
    flags = {row[0]: row[7] for row in data["points"]}
    assert flags[world.ids["a"]] == page.OPEN_DEFECT and flags[world.ids["c"]] == page.INSPECTION_OVERDUE
    assert flags[world.ids["h"]] == page.OPEN_DEFECT | page.INSPECTION_OVERDUE and flags[world.ids["b"]] == 0


def test_columns_line_up_for_random_assets(tmp_path):
    """Every column of a points answer describes the same asset at the same index."""
    rng = random.Random(3)
    with Registry.create(tmp_path / "r.nibi", "420682", actor="tester") as registry:
        rows = [(rng.choice(("camera", "smart_pole", "base_station")), f"点{i}", round(111.5 + rng.random() * 0.3, 7),
                 round(32.3 + rng.random() * 0.2, 7), rng.choice(("in_service", "faulty", "planned")), "{}")
                for i in range(500)]
        registry.writer.run(lambda txn: txn.bulk_insert("assets", ["type", "name", "lon", "lat", "status", "attrs"],
                                                        rows))
        conn = registry.read()
        answer = viewport.query(conn, 111, 32, 112, 33, zoom=15)
        assert answer["kind"] == "points" and len(answer["seq"]) == 500
        for i, seq in enumerate(answer["seq"]):
            row = conn.execute("SELECT type, status, lon, lat FROM assets WHERE seq = ?", (seq,)).fetchone()
            assert answer["types"][answer["type"][i]] == row["type"]
            assert viewport.STATUS_CODES[answer["status"][i]] == row["status"]
            # SQLite rounds halves away from zero, Python to even: a microdegree either way.
            assert abs(answer["lon_e6"][i] - row["lon"] * 1e6) <= 0.5 + 1e-6
            assert abs(answer["lat_e6"][i] - row["lat"] * 1e6) <= 0.5 + 1e-6
