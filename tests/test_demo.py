"""The demo registry of 老河口市: deterministic, scaled, inside the county, valid against the real validator."""

from __future__ import annotations

import json
import random
from collections import Counter

import pytest

from nibi_desk import demo
from nibi_desk.domain import asset_types, gb28181, grid
from nibi_desk.domain.assets import Extent, check_asset
from nibi_desk.errors import ValidationError
from nibi_desk.storage import divisions
from nibi_desk.storage.registry import Registry

SCALE = 0.04
KEY = "type, code, name, lon, lat, division, status, attrs"


def _make(folder, seed=420682, scale=SCALE, **kwargs):
    registry = Registry.create(folder / f"demo-{seed}-{scale}.nibi", "420682")
    return registry, demo.generate(registry, seed=seed, scale=scale, **kwargs)


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    registry, summary = _make(tmp_path_factory.mktemp("demo"))
    yield registry, summary
    registry.close()


@pytest.fixture
def conn(made):
    return made[0].read()


def _rows(registry, sql=f"SELECT {KEY} FROM assets"):
    return {tuple(r) for r in registry.read().execute(sql)}


def test_same_seed_same_registry_other_seed_other_registry(made, tmp_path):
    again, _ = _make(tmp_path)
    other, _ = _make(tmp_path, seed=7)
    try:
        assert _rows(again) == _rows(made[0])
        assert len(_rows(again)) == sum(made[1]["counts"].values())
        assert _rows(other) != _rows(made[0])
    finally:
        again.close()
        other.close()


def test_counts_follow_the_scale(made, tmp_path):
    small, summary = _make(tmp_path, scale=SCALE / 2)
    small.close()
    micro = made[1]["micro_cells"]
    assert made[1]["counts"] == {"base_station": round(300 * SCALE) + micro, "smart_pole": round(2000 * SCALE),
                                 "camera": round(20000 * SCALE)}
    assert micro == round(0.1 * 2000 * SCALE)
    assert summary["counts"]["camera"] == round(20000 * SCALE / 2)
    assert summary["counts"]["smart_pole"] == round(2000 * SCALE / 2)
    assert not made[1]["cancelled"] and made[1]["seconds"] < 5
    assert made[1]["faulty"] > 0 and made[1]["flagged_cameras"] >= 1


def test_minimum_counts_at_a_tiny_scale(tmp_path):
    tiny, summary = _make(tmp_path, scale=0.0001)
    tiny.close()
    assert summary["counts"]["camera"] >= demo.MINIMUM["camera"]
    assert summary["counts"]["smart_pole"] >= demo.MINIMUM["smart_pole"]
    assert summary["counts"]["base_station"] >= demo.MINIMUM["base_station"]


def test_every_asset_is_inside_the_county(conn):
    e = json.loads(conn.execute("SELECT value FROM registry_meta WHERE key = 'extent'").fetchone()[0])
    known = {r[0]: r[1] for r in conn.execute("SELECT code, level FROM divisions WHERE county = '420682'")}
    located = 0
    for lon, lat, code, division in conn.execute("SELECT lon, lat, grid_code, division FROM assets"):
        assert division[:6] == "420682" and known[division] in ("township", "village")
        if lon is None:
            assert lat is None and code is None
            continue
        located += 1
        assert e["west"] <= lon <= e["east"] and e["south"] <= lat <= e["north"]
        assert code == grid.encode(lon, lat, 10)
    assert located > 0.98 * conn.execute("SELECT count(*) FROM assets").fetchone()[0]


def test_codes_follow_their_rules(conn, made):
    codes = [r[0] for r in conn.execute("SELECT code FROM assets")]
    assert len(codes) == len(set(codes))
    flagged = 0
    for type_, code in conn.execute("SELECT type, code FROM assets"):
        if type_ == "base_station":
            assert code[:7] == "LHK-5G-" and code[7] in "MTUG" and code[8] == "-" and len(code) == 13
        elif type_ == "smart_pole":
            assert code[:8] == "LHK-ZHG-" and code[8:].isdigit() and len(code) == 13
        else:
            device = gb28181.parse(code, county="420682")
            assert device.type_code in ("131", "132") and device.industry_code in ("00", "01", "04", "05", "08")
            if device.county_code == "420682":
                assert device.findings == [] and device.centre_code == "42068200"
            else:
                flagged += 1
                assert device.county_code in set(demo.NEIGHBOURS.values()) and len(device.findings) == 1
    assert flagged == made[1]["flagged_cameras"]


def test_mounts_join_poles_to_cameras_and_micro_cells(conn, made):
    rows = conn.execute(
        "SELECT c.type, d.type, d.attrs, c.lon, c.lat, d.lon, d.lat FROM mounts m "
        "JOIN assets c ON c.id = m.carrier JOIN assets d ON d.id = m.device").fetchall()
    assert len(rows) == made[1]["mounts"]
    kinds = Counter()
    for carrier, device, attrs, clon, clat, dlon, dlat in rows:
        assert carrier == "smart_pole" and (clon, clat) == (dlon, dlat)
        attrs = json.loads(attrs)
        kind = attrs.get("mounting") if device == "camera" else attrs["site_type"]
        assert kind in ("pole", "pole_micro")
        kinds[device] += 1
    assert kinds["base_station"] == made[1]["micro_cells"]
    cameras = made[1]["counts"]["camera"]
    assert 0.3 * cameras < kinds["camera"] < 0.5 * cameras
    poled = conn.execute("SELECT count(*) FROM assets WHERE type = 'camera' AND attrs LIKE '%\"pole\"%'").fetchone()[0]
    assert poled == kinds["camera"]
    carriers = conn.execute("SELECT count(*) FROM mounts m JOIN assets p ON p.id = m.carrier "
                            "WHERE p.attrs NOT LIKE '%\"camera\"%' AND p.attrs NOT LIKE '%micro_cell%'").fetchone()[0]
    assert carriers == 0  # a pole that carries something lists it among its functions


def test_assets_cluster_around_townships_and_the_city(conn):
    per_town = Counter(r[0][:9] for r in conn.execute("SELECT division FROM assets"))
    towns = [r[0][:9] for r in conn.execute("SELECT code FROM divisions WHERE level = 'township'")]
    assert len(towns) == 13 and all(per_town[t] > 0 for t in towns)
    streets = [r[0][:9] for r in conn.execute("SELECT code FROM divisions WHERE township_type = '街道'")]
    assert {t for t, _ in per_town.most_common(2)} == set(streets)
    assert sum(per_town[s] for s in streets) > 0.5 * sum(per_town.values())


def test_status_and_online_mix(conn):
    status = Counter(r[0] for r in conn.execute("SELECT status FROM assets"))
    total = sum(status.values())
    assert status["in_service"] > 0.9 * total and 0.01 * total < status["faulty"] < 0.07 * total
    cameras = conn.execute("SELECT attrs FROM assets WHERE type = 'camera'")
    online = Counter(json.loads(r[0]).get("online") for r in cameras)
    assert 0.02 < online[False] / sum(online.values()) < 0.1


def test_every_insert_is_audited(conn):
    for table in ("assets", "mounts"):
        ids = {r[0] for r in conn.execute(f"SELECT id FROM {table}")}
        audited = {r[0] for r in conn.execute("SELECT row_id FROM audit WHERE tbl = ? AND action = 'insert'", (table,))}
        assert ids and audited == ids


def test_a_sample_passes_the_real_validator(made, conn):
    registry = made[0]
    types = asset_types.load(conn)
    e = json.loads(conn.execute("SELECT value FROM registry_meta WHERE key = 'extent'").fetchone()[0])
    extent = Extent(e["west"], e["south"], e["east"], e["north"])
    fields = "type, code, name, division, address, lon, lat, status, owner, operator, attrs"
    rows = [dict(r) for r in conn.execute(f"SELECT {fields}, grid_code FROM assets ORDER BY code")]
    sample = random.Random(1).sample(rows, 200) + [r for r in rows if r["code"][:6] in demo.NEIGHBOURS.values()]
    for row in sample:
        values = {k: row[k] for k in fields.split(", ")}
        values["attrs"] = json.loads(values["attrs"])
        checked = check_asset(values, types=types, county=registry.county, extent=extent,
                              division_check=lambda code: divisions.check_in_county(conn, code, registry.county))
        # Stored exactly as the validator would store it.
        assert checked.values == {**values, "notes": None, "grid_code": row["grid_code"]}
        assert bool(checked.findings) == (row["type"] == "camera" and row["code"][:6] != "420682")


def test_progress_and_cancel(tmp_path):
    calls = []
    registry, summary = _make(tmp_path, scale=0.02, progress=lambda done, total: calls.append((done, total)))
    registry.close()
    assert calls[0][0] == 0 and calls[-1][0] == calls[-1][1] and calls == sorted(calls)
    assert calls[-1][1] == sum(summary["counts"].values()) + summary["mounts"]

    stopped, summary = _make(tmp_path, seed=1, scale=0.02, cancel=lambda: True)
    try:
        assert summary["cancelled"] and sum(summary["counts"].values()) == 0
        assert stopped.read().execute("SELECT count(*) FROM assets").fetchone()[0] == 0
    finally:
        stopped.close()

    answers = iter([False, True])
    partial, summary = _make(tmp_path, seed=2, scale=0.02, cancel=lambda: next(answers))
    try:
        assert summary["cancelled"] and summary["counts"]["smart_pole"] > 0 and summary["mounts"] == 0
        assert partial.read().execute("SELECT count(*) FROM assets").fetchone()[0] == summary["counts"]["smart_pole"]
    finally:
        partial.close()


def test_refuses_a_registry_that_has_assets(made):
    with pytest.raises(ValidationError):
        demo.generate(made[0], scale=0.01)
