"""Asset commands (validation, coordinates, grid codes, edits, mounts, tombstones) and the search / bbox queries."""

from __future__ import annotations

import json
import random

import pytest

from nibi_desk import i18n
from nibi_desk.commands import assets as commands
from nibi_desk.context import Context
from nibi_desk.domain import coords, grid
from nibi_desk.errors import NotFound, RecordInvalid, ValidationError
from nibi_desk.storage import assets
from nibi_desk.storage.reference import asset_types_document
from nibi_desk.storage.registry import Registry

COUNTY = "420682"
CAMERA_ID = "42068200001320000001"


@pytest.fixture
def registry(tmp_path):
    reg = Registry.create(tmp_path / "r.nibi", COUNTY, actor="tester")
    yield reg
    reg.close()


@pytest.fixture
def ctx(registry):
    return Context(registry)


def camera(**more) -> dict:
    values = {"type": "camera", "name": "光化街道胜利路口监控", "code": CAMERA_ID, "lon": 111.67, "lat": 32.38,
              "division": "420682001", "address": "老河口市光化街道胜利路与太平街交叉口", "attrs": {"class": "A"}}
    values.update(more)
    return values


def pole(**more) -> dict:
    values = {"type": "smart_pole", "name": "孟楼镇智慧灯杆01", "code": "LHK-P-0001", "lon": 111.60, "lat": 32.45,
              "attrs": {"height_m": 12.5, "functions": ["lighting", "camera"]}}
    values.update(more)
    return values


def station(**more) -> dict:
    values = {"type": "base_station", "name": "竹林桥镇5G宏站", "code": "LHK-ZHG-0001", "lon": 111.70, "lat": 32.30,
              "operator": "中国移动", "attrs": {"site_type": "macro_tower", "bands": ["n41", "n78"], "sectors": 3}}
    values.update(more)
    return values


def stored(registry, asset_id) -> dict:
    return assets.get(registry.read(), asset_id)


def problems_of(ctx, values, **kw) -> dict[str, str]:
    with pytest.raises(RecordInvalid) as info:
        commands.add_asset(ctx, values, **kw)
    return {p.field: p.message() for p in info.value.problems}


# -- adding valid assets of every type -------------------------------------------------------------------------------

def full_attrs(type_doc: dict) -> dict:
    """A valid value for every attribute of a type, built from asset_types.json."""
    out = {}
    for a in type_doc["attributes"]:
        kind = a["type"]
        if kind == "enum":
            out[a["key"]] = a["values"][-1]["value"]
        elif kind == "multi":
            out[a["key"]] = [v["value"] for v in a["values"][:2]]
        elif kind == "int":
            out[a["key"]] = int(a.get("max", 10))
        elif kind == "float":
            out[a["key"]] = float(a.get("min", 0)) + 0.5
        elif kind == "bool":
            out[a["key"]] = True
        elif kind == "date":
            out[a["key"]] = "2024-05-01"
        else:
            out[a["key"]] = "中国铁塔老河口分公司"
    return out


@pytest.mark.parametrize("type_doc", asset_types_document()["types"], ids=lambda t: t["code"])
def test_add_each_type_with_every_attribute(ctx, registry, type_doc):
    base = {"camera": camera, "smart_pole": pole, "base_station": station}[type_doc["code"]]()
    attrs = full_attrs(type_doc)
    result = commands.add_asset(ctx, {**base, "attrs": attrs})
    row = stored(registry, result["id"])
    assert row["type"] == type_doc["code"] and row["name"] == base["name"] and row["code"] == base["code"]
    assert row["attrs"] == attrs
    assert row["status"] == "in_service" and row["deleted"] == 0
    assert row["grid_code"] == grid.encode(row["lon"], row["lat"], 10)


def test_add_minimal_assets_of_each_type(ctx, registry):
    for values in (camera(), pole(attrs={}), station(attrs={"site_type": "rooftop"})):
        result = commands.add_asset(ctx, values)
        assert result["findings"] == []
        assert stored(registry, result["id"])["type"] == values["type"]
    assert assets.count(registry.read()) == 3


def test_attribute_values_are_normalised(ctx, registry):
    result = commands.add_asset(ctx, pole(attrs={"height_m": "8", "cabin": "是", "functions": "camera, lighting",
                                                 "installed": " 2023-09-30 "}))
    attrs = stored(registry, result["id"])["attrs"]
    assert attrs == {"height_m": 8.0, "cabin": True, "functions": ["lighting", "camera"], "installed": "2023-09-30"}


# -- rejections naming the field -------------------------------------------------------------------------------------

@pytest.mark.parametrize("code", ["4206820000132000000", "4206820000132000000A", "ABCDEFGHIJKLMNOPQRST",
                                  "420682000013200000011"])
def test_bad_gb28181_id(ctx, registry, code):
    problems = problems_of(ctx, camera(code=code))
    assert set(problems) == {"code"}
    assert assets.count(registry.read()) == 0


@pytest.mark.parametrize("lon, lat, field", [
    (113.0, 30.5, "lon"),       # in Hubei, but outside 老河口市
    (111.67, 95, "lat"),        # not a latitude at all
    (191, 32.38, "lon"),
    ("abc", 32.38, "lon"),
])
def test_bad_location(ctx, registry, lon, lat, field):
    problems = problems_of(ctx, camera(lon=lon, lat=lat))
    assert field in problems
    assert assets.count(registry.read()) == 0


def test_only_one_coordinate(ctx):
    assert "lat" in problems_of(ctx, camera(lat=None))


def test_unknown_type(ctx):
    problems = problems_of(ctx, camera(type="tower"))
    assert "type" in problems and "tower" in problems["type"]


def test_unknown_field(ctx):
    assert "colour" in problems_of(ctx, camera(colour="red"))


@pytest.mark.parametrize("values, field", [
    (camera(attrs={"class": "A", "megapixels": 4}), "attrs.megapixels"),   # unknown attribute
    (camera(attrs={"class": "C"}), "attrs.class"),                          # enum value not allowed
    (camera(attrs={}), "attrs.class"),                                      # required attribute missing
    (station(attrs={"bands": ["n78"]}), "attrs.site_type"),                 # required attribute missing
    (station(attrs={"site_type": "rooftop", "sectors": 13}), "attrs.sectors"),       # above max
    (station(attrs={"site_type": "rooftop", "backup_minutes": -1}), "attrs.backup_minutes"),  # below min
    (station(attrs={"site_type": "rooftop", "sectors": "three"}), "attrs.sectors"),  # not a number
    (station(attrs={"site_type": "rooftop", "sectors": 2.5}), "attrs.sectors"),      # not whole
    (station(attrs={"site_type": "rooftop", "bands": ["n78", "n99"]}), "attrs.bands"),  # multi value not allowed
    (pole(attrs={"height_m": 100}), "attrs.height_m"),
    (pole(attrs={"cabin": "maybe"}), "attrs.cabin"),
    (pole(attrs={"installed": "2023-13-01"}), "attrs.installed"),
    (pole(attrs=["height_m"]), "attrs"),
])
def test_attribute_problems_name_the_attribute(ctx, registry, values, field):
    problems = problems_of(ctx, values)
    assert field in problems
    assert assets.count(registry.read()) == 0


def test_several_problems_are_reported_at_once(ctx):
    problems = problems_of(ctx, camera(name="", code="123", lat=95, status="broken", attrs={"class": "Z"}))
    assert {"name", "code", "lat", "status", "attrs.class"} <= set(problems)


def test_other_field_problems(ctx):
    assert "name" in problems_of(ctx, camera(name="x" * 201))
    assert "address" in problems_of(ctx, camera(address="路" * 501))
    assert "alt" in problems_of(ctx, camera(alt=10_000))
    assert "alt" in problems_of(ctx, camera(alt="high"))
    assert "division" in problems_of(ctx, camera(division="420683100"))
    assert "division" in problems_of(ctx, camera(division="420682199"))
    assert "code" in problems_of(ctx, pole(code="杆"))  # the pole code pattern


def test_problem_messages_follow_the_language(ctx):
    with pytest.raises(RecordInvalid) as info:
        commands.add_asset(ctx, camera(code="4206820000132000000"))
    assert "必须正好 20 位" in str(info.value.problems[0].message())
    i18n.set_language("en")
    assert "it must have exactly 20" in info.value.problems[0].message()



def test_record_invalid_message_follows_a_language_switch(ctx):
    with pytest.raises(RecordInvalid) as info:
        commands.add_asset(ctx, camera(code="4206820000132000000"))
    assert "必须正好 20 位" in info.value.message()
    i18n.set_language("en")
    assert "it must have exactly 20" in info.value.message()


def test_camera_of_a_neighbouring_county_is_accepted_with_a_finding(ctx, registry):
    result = commands.add_asset(ctx, camera(code="42068300001320000009"))
    assert stored(registry, result["id"])["code"] == "42068300001320000009"
    assert len(result["findings"]) == 1 and "420683" in result["findings"][0]



@pytest.mark.parametrize("typed", ["4206 8200 0013 2000 0001", "４２０６８２００００１３２００００００１",
                                   "'42068200001320000001"])
def test_camera_id_is_stored_normalised(ctx, registry, typed):
    result = commands.add_asset(ctx, camera(code=typed))
    assert stored(registry, result["id"])["code"] == CAMERA_ID


# -- coordinates -----------------------------------------------------------------------------------------------------

def test_dms_input_is_stored_as_decimal_degrees(ctx, registry):
    result = commands.add_asset(ctx, camera(lon="111°40′30.5″", lat="北纬32°23′15″"))
    row = stored(registry, result["id"])
    assert row["lon"] == pytest.approx(111 + 40 / 60 + 30.5 / 3600, abs=1e-12)
    assert row["lat"] == pytest.approx(32 + 23 / 60 + 15 / 3600, abs=1e-12)
    assert row["grid_code"] == grid.encode(row["lon"], row["lat"], 10)


@pytest.mark.parametrize("crs", ["GCJ02", "BD09"])
def test_gcj02_and_bd09_input_is_stored_as_wgs84(ctx, registry, crs):
    lon_in, lat_in = 111.6812, 32.3901
    result = commands.add_asset(ctx, camera(lon=lon_in, lat=lat_in), crs=crs)
    row = stored(registry, result["id"])
    expected = coords.to_wgs84(lon_in, lat_in, crs)
    assert coords.haversine_m(row["lon"], row["lat"], *expected) < 1.0
    assert coords.haversine_m(row["lon"], row["lat"], lon_in, lat_in) > 100  # it really was converted
    assert row["grid_code"] == grid.encode(row["lon"], row["lat"], 10)


def test_gcj02_round_trip(ctx, registry):
    wgs = (111.6701, 32.3802)
    gcj = coords.wgs84_to_gcj02(*wgs)
    row = stored(registry, commands.add_asset(ctx, camera(lon=gcj[0], lat=gcj[1]), crs="GCJ02")["id"])
    assert coords.haversine_m(row["lon"], row["lat"], *wgs) < 1.0
    assert coords.haversine_m(row["lon"], row["lat"], *coords.gcj02_to_wgs84(*gcj)) < 1.0


def test_grid_code_and_no_location(ctx, registry):
    row = stored(registry, commands.add_asset(ctx, camera(lon="111.675", lat="32.39"))["id"])
    assert row["grid_code"] == grid.encode(111.675, 32.39, 10) == grid.encode("111.675", "32.39", 10)
    row = stored(registry, commands.add_asset(ctx, camera(lon=None, lat=None, code=None))["id"])
    assert row["lon"] is None and row["lat"] is None and row["grid_code"] is None


# -- edits -----------------------------------------------------------------------------------------------------------

def test_edit_changes_only_the_given_fields(ctx, registry):
    asset_id = commands.add_asset(ctx, camera(attrs={"class": "A", "camera_type": "dome"}))["id"]
    before = stored(registry, asset_id)
    result = commands.edit_asset(ctx, asset_id, {"name": "胜利路口球机", "status": "faulty"})
    assert result["changed"] == {"name": [before["name"], "胜利路口球机"], "status": ["in_service", "faulty"]}
    after = stored(registry, asset_id)
    for key in before:
        if key not in ("name", "status", "field_hlc", "hlc"):
            assert after[key] == before[key], key
    assert set(after["field_hlc"]) == {"name", "status"}
    history = assets.audit_of(registry.read(), asset_id)
    assert [h["action"] for h in history] == ["insert", "update"]
    assert set(json.loads(history[-1]["changes"])) == {"name", "status"}


def test_edit_with_the_same_values_changes_nothing(ctx, registry):
    asset_id = commands.add_asset(ctx, camera())["id"]
    result = commands.edit_asset(ctx, asset_id, {"name": camera()["name"], "attrs": {"class": "A"}})
    assert result["changed"] == {}
    assert len(assets.audit_of(registry.read(), asset_id)) == 1


def test_edit_attrs_merges(ctx, registry):
    asset_id = commands.add_asset(ctx, camera(attrs={"class": "A", "camera_type": "dome"}))["id"]
    commands.edit_asset(ctx, asset_id, {"attrs": {"online": "在线", "resolution": "4mp"}})
    assert stored(registry, asset_id)["attrs"] == {"class": "A", "camera_type": "dome", "online": True,
                                                   "resolution": "4mp"}
    commands.edit_asset(ctx, asset_id, {"attrs": {"class": "B"}})
    assert stored(registry, asset_id)["attrs"]["class"] == "B"
    with pytest.raises(RecordInvalid) as info:
        commands.edit_asset(ctx, asset_id, {"attrs": {"class": "Z"}})
    assert info.value.problems[0].field == "attrs.class"
    with pytest.raises(RecordInvalid) as info:
        commands.edit_asset(ctx, asset_id, {"attrs": {"sectors": 3}})  # an attribute of another type
    assert info.value.problems[0].field == "attrs.sectors"


def test_edit_one_coordinate_keeps_the_other_and_moves_the_grid_code(ctx, registry):
    asset_id = commands.add_asset(ctx, camera())["id"]
    commands.edit_asset(ctx, asset_id, {"lon": "111.7"})
    row = stored(registry, asset_id)
    assert (row["lon"], row["lat"]) == (111.7, 32.38)
    assert row["grid_code"] == grid.encode(111.7, 32.38, 10)
    with pytest.raises(RecordInvalid):
        commands.edit_asset(ctx, asset_id, {"lat": 40})  # out of the county
    assert stored(registry, asset_id)["lat"] == 32.38


def test_edit_validates_like_add(ctx, registry):
    asset_id = commands.add_asset(ctx, camera())["id"]
    for changes, field in (({"name": ""}, "name"), ({"status": "gone"}, "status"), ({"division": "420683"}, "division"),
                           ({"lon": 113.0, "lat": 30.5}, "lon")):
        with pytest.raises(RecordInvalid) as info:
            commands.edit_asset(ctx, asset_id, changes)
        assert field in {p.field for p in info.value.problems}
    with pytest.raises(NotFound):
        commands.edit_asset(ctx, "no-such-id", {"name": "x"})



def test_edit_code_is_checked_against_the_asset_type(ctx, registry):
    asset_id = commands.add_asset(ctx, camera())["id"]
    with pytest.raises(RecordInvalid) as info:
        commands.edit_asset(ctx, asset_id, {"code": "abc"})
    assert info.value.problems[0].field == "code"
    assert stored(registry, asset_id)["code"] == CAMERA_ID



def test_edit_type_rechecks_attributes(ctx, registry):
    asset_id = commands.add_asset(ctx, camera())["id"]  # attrs {"class": "A"}; base_station requires site_type
    with pytest.raises(RecordInvalid):
        commands.edit_asset(ctx, asset_id, {"type": "base_station"})
    assert stored(registry, asset_id)["type"] == "camera"


def test_deleted_asset_cannot_be_edited(ctx, registry):
    asset_id = commands.add_asset(ctx, camera())["id"]
    commands.delete_asset(ctx, asset_id)
    with pytest.raises(ValidationError):
        commands.edit_asset(ctx, asset_id, {"name": "复活"})


# -- mounts and deletion ---------------------------------------------------------------------------------------------

def test_mount_rules_and_delete(ctx, registry):
    pole_id = commands.add_asset(ctx, pole())["id"]
    cam_id = commands.add_asset(ctx, camera())["id"]
    cam2_id = commands.add_asset(ctx, camera(code="42068200001320000002", name="二号机"))["id"]
    mount_id = commands.mount(ctx, pole_id, cam_id, position="北侧 6 m")
    commands.mount(ctx, pole_id, cam2_id)
    conn = registry.read()
    assert [m["id"] for m in assets.mounts_of(conn, pole_id)["carries"]] == [cam_id, cam2_id]
    assert assets.mounts_of(conn, cam_id)["carried_by"][0]["mount_id"] == mount_id

    with pytest.raises(ValidationError):
        commands.mount(ctx, cam_id, pole_id)  # a camera carries nothing
    with pytest.raises(ValidationError):
        commands.mount(ctx, pole_id, cam_id)  # already mounted
    with pytest.raises(ValidationError):
        commands.mount(ctx, pole_id, pole_id)
    other_pole = commands.add_asset(ctx, pole(code="LHK-P-0002", name="二号杆"))["id"]
    with pytest.raises(ValidationError):
        commands.mount(ctx, pole_id, other_pole)  # a pole is not a device to mount
    with pytest.raises(NotFound):
        commands.mount(ctx, pole_id, "no-such-id")
    assert conn.execute("SELECT count(*) FROM mounts").fetchone()[0] == 2

    assert commands.delete_asset(ctx, pole_id) is True
    assert stored(registry, pole_id)["deleted"] == 1
    assert conn.execute("SELECT count(*) FROM mounts WHERE deleted = 0").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM mounts WHERE deleted = 1").fetchone()[0] == 2  # tombstones, not gone
    assert assets.mounts_of(conn, cam_id) == {"carries": [], "carried_by": []}
    assert stored(registry, cam_id)["deleted"] == 0  # the camera itself stays
    mount_history = conn.execute("SELECT action FROM audit WHERE row_id = ? ORDER BY hlc, id", (mount_id,)).fetchall()
    assert [r[0] for r in mount_history] == ["insert", "delete"]
    assert commands.delete_asset(ctx, pole_id) is False
    with pytest.raises(NotFound):
        commands.mount(ctx, pole_id, cam_id)  # a deleted carrier


def test_station_on_a_pole_and_a_camera_on_a_station(ctx):
    pole_id = commands.add_asset(ctx, pole())["id"]
    station_id = commands.add_asset(ctx, station(attrs={"site_type": "pole_micro"}))["id"]
    cam_id = commands.add_asset(ctx, camera())["id"]
    commands.mount(ctx, pole_id, station_id)
    commands.mount(ctx, station_id, cam_id)


# -- search ----------------------------------------------------------------------------------------------------------

TOWNSHIPS = [("420682001", "光化街道"), ("420682002", "酂阳街道"), ("420682100", "孟楼镇"), ("420682101", "竹林桥镇"),
             ("420682102", "薛集镇"), ("420682105", "洪山嘴镇")]
ROADS = ["胜利路", "太平街", "光化大道", "航空路", "酂城路", "汉江大道"]
OPERATORS = ["中国移动", "中国电信", "中国联通", "中国铁塔"]
STATUSES = ["in_service", "in_service", "planned", "faulty", "under_construction"]


def build_assets(ctx, n=50, seed=7) -> list[str]:
    rng = random.Random(seed)
    ids = []
    for i in range(n):
        town_code, town = TOWNSHIPS[i % len(TOWNSHIPS)]
        road = ROADS[rng.randrange(len(ROADS))]
        lon = round(rng.uniform(111.50, 111.85), 6)
        lat = round(rng.uniform(32.25, 32.55), 6)
        status = STATUSES[i % len(STATUSES)]
        kind = i % 3
        if kind == 0:
            values = station(name=f"{town}{road}5G宏站{i:02d}", code=f"LHK-ZHG-{i:04d}",
                             operator=OPERATORS[i % len(OPERATORS)])
        elif kind == 1:
            values = pole(name=f"{town}{road}智慧灯杆{i:02d}", code=f"LHK-P-{i:04d}", operator=None)
        else:
            values = camera(name=f"{town}{road}路口监控{i:02d}", code=f"4206820000132{i:07d}",
                            operator=OPERATORS[(i + 1) % len(OPERATORS)])
        values.update(lon=lon, lat=lat, status=status, division=town_code,
                      address=f"湖北省老河口市{town}{road}{rng.randint(1, 300)}号")
        ids.append(commands.add_asset(ctx, values)["id"])
    return ids


@pytest.fixture
def populated(ctx, registry):
    """A registry of 50 assets that the test may change."""
    ids = build_assets(ctx)
    return registry, ids


@pytest.fixture(scope="module")
def shared_populated(tmp_path_factory):
    """The same 50 assets, built once for the tests that only read."""
    reg = Registry.create(tmp_path_factory.mktemp("search") / "r.nibi", COUNTY, actor="tester")
    ids = build_assets(Context(reg))
    yield reg, ids
    reg.close()


def all_rows(registry) -> list[dict]:
    return [dict(r) for r in registry.read().execute("SELECT * FROM assets ORDER BY seq")]


def brute_search(registry, text, filters=None) -> list[str]:
    text = text.strip()
    filters = filters or assets.Filters()
    out = []
    for r in all_rows(registry):
        if r["deleted"] and not filters.include_deleted:
            continue
        if filters.types and r["type"] not in filters.types:
            continue
        if filters.township and not (r["division"] or "").startswith(filters.township[:9]):
            continue
        if filters.status and r["status"] not in filters.status:
            continue
        if filters.operator and r["operator"] != filters.operator:
            continue
        if text and not any(text in (r[k] or "") for k in ("name", "code", "address")):
            continue
        out.append(r["id"])
    return out


def found(registry, text, filters=None, limit=200) -> list[str]:
    return [r["id"] for r in assets.search(registry.read(), text, filters, limit=limit)]


QUERIES = [
    "孟楼镇", "竹林桥", "胜利路", "光化大道", "智慧灯杆", "路口监控", "湖北省老河口市", "酂阳街道汉江",  # 3+ Chinese
    "镇", "监", "灯杆", "路口", "酂",                                                     # 1-2 characters
    "5G宏站", "LHK-ZHG", "5G", "G宏", "LHK", "P-00",                                   # Latin and mixed
    "000013", "4206820000132", "0012", "12", "1", "号",                                  # digits of codes
    "不存在的东西", "xyz",                                                               # nothing
]


@pytest.mark.parametrize("text", QUERIES)
def test_search_equals_brute_force(shared_populated, text):
    registry, _ = shared_populated
    expected = brute_search(registry, text)
    assert found(registry, text) == expected
    if text not in ("不存在的东西", "xyz"):
        assert expected, f"the fixture should contain {text!r}"


def test_search_index_trimming_and_limits(shared_populated):
    registry, _ = shared_populated
    conn = registry.read()
    # The FTS index holds exactly the searchable text of every row (it is an external-content table).
    assert conn.execute("SELECT count(*) FROM assets_fts WHERE assets_fts MATCH '\"孟楼镇\"'").fetchone()[0] == len(
        brute_search(registry, "孟楼镇"))
    # Whitespace is trimmed; the empty query lists everything in registry order.
    assert found(registry, "  孟楼镇 ") == brute_search(registry, "孟楼镇")
    assert found(registry, "") == brute_search(registry, "")
    assert found(registry, "", limit=5) == brute_search(registry, "")[:5]
    assert found(registry, "镇", limit=3) == brute_search(registry, "镇")[:3]
    assert found(registry, "孟楼镇", limit=2) == brute_search(registry, "孟楼镇")[:2]


def test_search_with_quotes_and_fts_syntax_is_literal(shared_populated):
    registry, _ = shared_populated
    for text in ('"孟楼', 'AND', '孟楼 OR 光化', 'NEAR(a b)', "*", "LHK-ZHG*", "a'b"):
        assert found(registry, text) == brute_search(registry, text)



def test_search_case_handling_is_the_same_on_both_paths(shared_populated):
    registry, _ = shared_populated
    longer = set(found(registry, "lhk"))
    shorter = set(found(registry, "lh"))
    assert longer <= shorter  # every row containing "lhk" contains "lh"


def test_search_after_edit_and_delete(ctx, populated):
    registry, ids = populated
    target = ids[4]
    old_name = stored(registry, target)["name"]
    commands.edit_asset(ctx, target, {"name": "仙人渡镇码头新杆", "address": "汉江码头"})
    assert target in found(registry, "仙人渡镇码头")
    assert target in found(registry, "码头")
    assert target not in found(registry, old_name)
    assert target not in found(registry, old_name[-4:])
    assert found(registry, "码头") == brute_search(registry, "码头")
    commands.edit_asset(ctx, target, {"code": "LHK-NEW-9999"})
    assert found(registry, "NEW-99") == [target]

    commands.delete_asset(ctx, target)
    for text in ("仙人渡镇码头", "码头", "码", "NEW-99"):
        assert target not in found(registry, text)
        assert found(registry, text) == brute_search(registry, text)
    assert target in found(registry, "码头", assets.Filters(include_deleted=True))


FILTERS = [
    assets.Filters(types=("camera",)),
    assets.Filters(types=("camera", "smart_pole")),
    assets.Filters(township="420682100"),
    assets.Filters(township="420682100000"),
    assets.Filters(status=("planned", "faulty")),
    assets.Filters(operator="中国移动"),
    assets.Filters(types=("base_station",), operator="中国电信", status=("in_service",)),
    assets.Filters(types=("camera",), township="420682001", status=("in_service", "faulty")),
    assets.Filters(township="420682102", operator="中国联通"),
]


@pytest.mark.parametrize("filters", FILTERS, ids=str)
@pytest.mark.parametrize("text", ["", "路", "镇", "智慧灯杆", "5G宏站", "LHK"])
def test_filters_combine_like_brute_force(shared_populated, filters, text):
    registry, _ = shared_populated
    assert found(registry, text, filters) == brute_search(registry, text, filters)
    assert assets.count(registry.read(), filters) == len(brute_search(registry, "", filters))


def test_filters_select_something(shared_populated):
    registry, _ = shared_populated
    for filters in FILTERS[:6]:
        assert brute_search(registry, "", filters), filters


# -- bounding boxes --------------------------------------------------------------------------------------------------

def brute_bbox(registry, west, south, east, north, filters=None) -> set[str]:
    keep = set(brute_search(registry, "", filters))
    return {r["id"] for r in all_rows(registry)
            if r["id"] in keep and r["lon"] is not None and west <= r["lon"] <= east and south <= r["lat"] <= north}


def in_bbox(registry, *box, filters=None) -> set[str]:
    rows = assets.in_bbox(registry.read(), *box, filters=filters)
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids))
    return set(ids)


def test_bbox_equals_brute_force(ctx, populated):
    registry, ids = populated
    rows = all_rows(registry)
    lons = sorted(r["lon"] for r in rows)
    lats = sorted(r["lat"] for r in rows)
    boxes = [
        (111.4, 32.2, 111.9, 32.6),                         # everything
        (111.60, 32.30, 111.70, 32.40),
        (111.50, 32.25, 111.55, 32.30),
        (111.80, 32.50, 111.90, 32.60),
        (lons[10], lats[10], lons[30], lats[30]),           # edges exactly on asset coordinates
        (lons[0], lats[0], lons[0], lats[-1]),              # a zero-width box on the westernmost asset
        (lons[5], lats[0], lons[5], lats[-1]),
        (lons[20], lats[20], lons[20], lats[20]),           # a point-sized box
        (111.7, 32.4, 111.6, 32.3),                          # west > east: empty
    ]
    for box in boxes:
        assert in_bbox(registry, *box) == brute_bbox(registry, *box), box
    assert len(in_bbox(registry, *boxes[0])) == len(ids)
    assert in_bbox(registry, *boxes[5]) >= {r["id"] for r in rows if r["lon"] == lons[0]}
    for filters in FILTERS:
        assert in_bbox(registry, *boxes[1], filters=filters) == brute_bbox(registry, *boxes[1], filters=filters)
    assert len(assets.in_bbox(registry.read(), *boxes[0], limit=7)) == 7


def test_bbox_boundary_points(ctx, registry):
    on_edges = {
        "west": (111.6, 32.35), "east": (111.7, 32.35), "south": (111.65, 32.3), "north": (111.65, 32.4),
        "sw": (111.6, 32.3), "ne": (111.7, 32.4), "inside": (111.65, 32.35),
        "just_out_w": (111.59999999, 32.35), "just_out_n": (111.65, 32.40000001),
    }
    ids = {name: commands.add_asset(ctx, camera(code=None, name=name, lon=lon, lat=lat))["id"]
           for name, (lon, lat) in on_edges.items()}
    inside = in_bbox(registry, 111.6, 32.3, 111.7, 32.4)
    assert inside == {ids[n] for n in on_edges if not n.startswith("just_out")}
    assert inside == brute_bbox(registry, 111.6, 32.3, 111.7, 32.4)
    # Rounding outwards in the R*Tree must not let a point just outside in: the exact check removes it.
    assert ids["just_out_w"] not in inside and ids["just_out_n"] not in inside
    assert in_bbox(registry, 111.59999999, 32.35, 111.59999999, 32.35) == {ids["just_out_w"]}


def test_edits_move_assets_between_boxes(ctx, registry):
    west_box, east_box = (111.5, 32.3, 111.6, 32.4), (111.7, 32.3, 111.8, 32.4)
    asset_id = commands.add_asset(ctx, camera(lon=111.55, lat=32.35))["id"]
    assert asset_id in in_bbox(registry, *west_box) and asset_id not in in_bbox(registry, *east_box)
    commands.edit_asset(ctx, asset_id, {"lon": 111.75})
    assert asset_id not in in_bbox(registry, *west_box) and asset_id in in_bbox(registry, *east_box)
    commands.edit_asset(ctx, asset_id, {"lon": "111°33′", "lat": "32°21′"})  # back west, in DMS
    assert asset_id in in_bbox(registry, *west_box)
    commands.edit_asset(ctx, asset_id, {"lon": None, "lat": None})
    assert asset_id not in in_bbox(registry, 111.4, 32.2, 111.9, 32.6)
    commands.edit_asset(ctx, asset_id, {"lon": 111.75, "lat": 32.35})
    assert asset_id in in_bbox(registry, *east_box)
    commands.delete_asset(ctx, asset_id)
    assert asset_id not in in_bbox(registry, *east_box)
    assert asset_id in in_bbox(registry, *east_box, filters=assets.Filters(include_deleted=True))


# -- reading ---------------------------------------------------------------------------------------------------------

def test_find_by_id_or_code_and_stats(ctx, registry):
    cam = commands.add_asset(ctx, camera())["id"]
    commands.add_asset(ctx, pole(division="420682100201"))
    conn = registry.read()
    assert assets.find(conn, CAMERA_ID)["id"] == cam
    assert assets.find(conn, cam)["code"] == CAMERA_ID
    with pytest.raises(NotFound):
        assets.find(conn, "LHK-NOPE")
    with pytest.raises(NotFound):
        assets.get(conn, "no-such-id")
    stats = assets.stats(conn)
    assert stats["total"] == 2 and stats["grid_coded"] == 2 and stats["grid_coding_rate"] == 1.0
    assert stats["by_type"] == {"camera": {"in_service": 1}, "smart_pole": {"in_service": 1}}
    assert stats["by_township"] == {"420682001000": 1, "420682100000": 1}
    commands.delete_asset(ctx, cam)
    with pytest.raises(NotFound):
        assets.find(conn, CAMERA_ID)  # a deleted asset's code no longer finds it
    assert assets.find(conn, cam)["deleted"] == 1  # its id still does
    # A new asset may reuse the code of a deleted one.
    new = commands.add_asset(ctx, camera(name="替换的摄像机"))["id"]
    assert assets.find(conn, CAMERA_ID)["id"] == new


def test_asset_changes_follow_roles_once_the_registry_has_users(tmp_path):
    """Without users anyone may edit (a fresh registry); with users only signed-in inspectors and office users."""
    from nibi_desk.errors import PermissionDenied
    from nibi_desk.inspection import users

    reg = Registry.create(tmp_path / "roles.nibi", "420682")
    try:
        ctx = Context(reg)
        values = {"type": "smart_pole", "name": "角色测试杆", "code": "LHK-ZHG-90001", "division": "420682001000",
                  "lon": 111.67, "lat": 32.39}
        asset_id = commands.add_asset(ctx, values)["id"]
        users.add_user(ctx, "office", "王主任", "office", "pw-office-123")
        users.sign_in(ctx, "office", "pw-office-123")
        users.add_user(ctx, "boss", "李主管", "supervisor", "pw-boss-1234")
        users.add_user(ctx, "zw", "张伟", "inspector", "pw-zw-12345")

        anonymous = Context(reg)
        with pytest.raises(PermissionDenied):
            commands.edit_asset(anonymous, asset_id, {"name": "无人签到"})
        supervisor = Context(reg)
        users.sign_in(supervisor, "boss", "pw-boss-1234")
        with pytest.raises(PermissionDenied):
            commands.delete_asset(supervisor, asset_id)
        inspector = Context(reg)
        users.sign_in(inspector, "zw", "pw-zw-12345")
        commands.edit_asset(inspector, asset_id, {"name": "巡检员改名"})
        history = reg.read().execute("SELECT actor FROM audit WHERE row_id = ? ORDER BY hlc", (asset_id,)).fetchall()
        assert history[-1][0] == "zw"
        assert reg.read().execute("SELECT name FROM assets WHERE id = ?", (asset_id,)).fetchone()[0] == "巡检员改名"
    finally:
        reg.close()


def test_short_queries_never_match_across_fields(tmp_path):
    """"1老" must not match a code ending in 1 followed by an address starting with 老 (fields are separate)."""
    reg = Registry.create(tmp_path / "fields.nibi", "420682")
    try:
        ctx = Context(reg)
        commands.add_asset(ctx, {"type": "smart_pole", "name": "杆", "code": "LHK-ZHG-00001", "address": "老河口市",
                                 "division": "420682001000", "lon": 111.67, "lat": 32.39})
        second = commands.add_asset(ctx, {"type": "smart_pole", "name": "第1老杆", "code": "LHK-ZHG-00002",
                                          "division": "420682001000", "lon": 111.67, "lat": 32.39})["id"]
        conn = reg.read()
        assert [r["id"] for r in assets.search(conn, "1老")] == [second]
        assert list(assets.matching_seqs(conn, "1老")) == [conn.execute(
            "SELECT seq FROM assets WHERE id = ?", (second,)).fetchone()[0]]
        # Punctuation: found through the letters, then checked exactly ("G-" is in every code, "-Z" too).
        assert len(assets.search(conn, "G-")) == 2 and assets.search(conn, "-老") == []
    finally:
        reg.close()


def test_counts_by_type_agree_with_stats_and_skip_tombstones(tmp_path):
    reg = Registry.create(tmp_path / "counts.nibi", "420682")
    try:
        ctx = Context(reg)
        ids = [commands.add_asset(ctx, {"type": "smart_pole", "name": f"杆{i}", "code": f"LHK-ZHG-8000{i}",
                                        "division": "420682001000", "lon": 111.67, "lat": 32.39})["id"] for i in range(3)]
        commands.delete_asset(ctx, ids[0])
        conn = reg.read()
        stats = assets.stats(conn)
        assert assets.counts_by_type(conn) == {t: sum(v.values()) for t, v in stats["by_type"].items()} == {"smart_pole": 2}
    finally:
        reg.close()
