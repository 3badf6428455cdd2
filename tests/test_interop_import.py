"""Importing messy ledgers: exact rows accepted and refused (and why), GCJ-02, re-import, the error workbook."""

from __future__ import annotations

import json

import pytest

from nibi_desk import i18n
from nibi_desk.commands.assets import add_asset
from nibi_desk.context import Context
from nibi_desk.domain import coords
from nibi_desk.errors import ImportFailed
from nibi_desk.interop import ledger, readers
from nibi_desk.interop.ledger import Options
from nibi_desk.storage import assets
from nibi_desk.storage.registry import Registry
from tests import interop_ledgers as L
from tests.conftest import shared_path


@pytest.fixture
def registry(tmp_path):
    with Registry.create(tmp_path / "r.nibi", L.COUNTY, actor="tester") as r:
        yield r


@pytest.fixture(autouse=True)
def english():
    i18n.set_language("en")  # reasons compared as English text; the conftest resets the language afterwards


def outcomes(plan) -> dict[int, tuple[str, list[str]]]:
    return {r.row: (r.outcome, r.reasons()) for r in plan.rows}


def check_expected(plan, shift=0):
    got = outcomes(plan)
    want = {row - shift: value for row, value in L.expected().items()}
    assert sorted(got) == sorted(want)
    for row, (outcome, reason) in want.items():
        assert got[row][0] == outcome, (row, got[row])
        if reason:
            reason = reason.replace("first in row 4", f"first in row {4 - shift}")
            assert any(reason in text for text in got[row][1]), (row, got[row])
        elif outcome == "new":
            assert got[row][1] == [], (row, got[row])
    assert plan.blank == 1


def test_messy_xlsx_rows_accepted_and_refused_with_reasons(registry, tmp_path):
    plan = ledger.plan(registry, L.write_xlsx(tmp_path / "台账.xlsx"), Options(type_code="camera"))
    assert plan.mapping.header_row == 3  # below the title and the merged group header
    assert plan.mapping.describe() == {"name": "点位名称", "code": "设备编码", "lon": "经度", "lat": "纬度",
                                       "address": "安装地址", "division": "乡镇/街道", "attrs.class": "类别",
                                       "attrs.camera_type": "机型", "status": "状态"}
    check_expected(plan)
    assert plan.counts() == {"new": 5, "update": 0, "unchanged": 0, "duplicate": 0, "error": 6, "blank": 1}
    rows = {r.row: r for r in plan.rows}
    assert rows[5].values["name"] == "胜利路口半球" and rows[5].values["code"] == L.ID.format(2)
    assert rows[5].values["address"] == "胜利路8号" and rows[5].values["division"] == "420682100000"
    assert rows[5].values["status"] == "faulty"
    assert json.loads(rows[5].values["attrs"]) == {"class": "B", "camera_type": "dome"}
    assert rows[7].findings == ["longitude and latitude were swapped in the file; corrected"]
    assert (rows[7].values["lon"], rows[7].values["lat"]) == (111.6803, 32.3801)
    assert rows[4].values["lon"] == pytest.approx(111 + 40 / 60 + 30.5 / 3600)
    assert rows[9].values["lon"] == rows[4].values["lon"] and rows[9].values["status"] == "planned"
    assert registry.read().execute("SELECT count(*) FROM assets").fetchone()[0] == 0  # a plan writes nothing


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030", "utf-8"])
def test_csv_in_every_encoding_gives_the_same_outcomes(registry, tmp_path, encoding):
    path = L.write_csv(tmp_path / "ledger.csv", encoding)
    table = readers.read_table(path)
    assert table.encoding == ("gb18030" if encoding == "gb18030" else "utf-8-sig")
    plan = ledger.plan(registry, path, Options(type_code="视频监控"))
    check_expected(plan, shift=1)


def test_legacy_xls(registry, tmp_path):
    pytest.importorskip("xlwt", reason="xlwt writes the .xls test file; reading uses xlrd")
    path = L.write_xls(tmp_path / "ledger.xls")
    assert readers.sheet_names(path) == ["监控点位"]
    check_expected(ledger.plan(registry, path, Options(type_code="camera")), shift=1)


@pytest.mark.parametrize("crs,convert", [("GCJ02", coords.wgs84_to_gcj02), ("BD09", coords.wgs84_to_bd09)])
def test_gcj02_and_bd09_land_within_a_metre(registry, tmp_path, crs, convert):
    lon, lat = convert(*L.GCJ_POINT)
    row = (4, [1, "高德坐标点位", L.ID.format(1), f"{lon:.7f}", f"{lat:.7f}", None, "光化街道", "A", "枪机", None], "new", None)
    path = L.write_xlsx(tmp_path / "gcj.xlsx", [row])
    result = ledger.apply(registry, ledger.plan(registry, path, Options(type_code="camera", crs=crs)))
    assert result.inserted == 1
    asset = assets.find(registry.read(), L.ID.format(1))
    assert coords.haversine_m(asset["lon"], asset["lat"], *L.GCJ_POINT) < 1.0
    assert coords.haversine_m(lon, lat, *L.GCJ_POINT) > 100  # the offset was real


def test_valid_only_then_fixed_error_workbook_round_trips(registry, tmp_path):
    from openpyxl import load_workbook

    source = L.write_xlsx(tmp_path / "ledger.xlsx")
    errors = tmp_path / "errors.xlsx"
    result = ledger.apply(registry, ledger.plan(registry, source, Options(type_code="camera")), "valid-only", errors)
    assert (result.inserted, result.updated, result.refused) == (5, 0, 6)
    assert result.errors_file == str(errors) and not list(tmp_path.glob(".*partial*"))

    wb = load_workbook(errors)
    ws = wb.active
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert rows[0][:10] == ["序号", "点位名称", "设备编码", "经度", "纬度", "安装地址", "乡镇/街道", "类别", "机型", "状态"]
    assert rows[0][10:] == ["Reason", "Source row"]
    by_source = {r[11]: r for r in rows[1:]}
    assert sorted(by_source) == [6, 10, 11, 13, 14, 15]
    assert by_source[6][2] == pytest.approx(4.20682000013200E+19)  # the original cell, as it was
    assert "lost digits" in by_source[6][10]
    assert by_source[10][6] == "火星镇" and "火星镇" in by_source[10][10]

    # The office fixes the rows in the workbook and imports it again.
    fixes = {6: {2: L.ID.format(3)}, 10: {6: "李楼镇"}, 11: {2: L.ID.format(7)}, 13: {1: "补填名称"},
             14: {3: 111.7, 4: 32.4}, 15: {7: "B"}}
    for r in range(2, ws.max_row + 1):
        for col, value in fixes[ws.cell(r, 12).value].items():
            ws.cell(r, col + 1).value = value
    wb.save(errors)
    plan = ledger.plan(registry, errors, Options(type_code="camera"))
    assert plan.mapping.header_row == 1 and "Reason" not in plan.mapping.describe().values()
    assert plan.counts()["new"] == 6 and plan.counts()["error"] == 0
    ledger.apply(registry, plan)
    assert assets.count(registry.read()) == 11


def test_reimport_updates_instead_of_duplicating(registry, tmp_path):
    from openpyxl import load_workbook

    source = L.write_xlsx(tmp_path / "ledger.xlsx")
    ledger.apply(registry, ledger.plan(registry, source, Options(type_code="camera")), "valid-only")
    before = assets.count(registry.read())
    again = ledger.plan(registry, source, Options(type_code="camera"))
    assert again.counts()["unchanged"] == 5 and again.counts()["new"] == 0

    wb = load_workbook(source)
    ws = wb["监控点位"]
    ws["F4"] = "光化大道1号（东）"  # a new address
    ws["J5"] = "在用"                # back in service
    ws["F7"] = None                  # a blank cell keeps what the registry has
    wb.save(source)
    plan = ledger.plan(registry, source, Options(type_code="camera"))
    rows = {r.row: r for r in plan.rows}
    assert rows[4].outcome == "update" and rows[4].changes == {"address": ["光化大道1号", "光化大道1号（东）"]}
    assert rows[5].outcome == "update" and rows[5].changes == {"status": ["faulty", "in_service"]}
    result = ledger.apply(registry, plan, "valid-only")
    assert (result.inserted, result.updated, result.unchanged) == (0, 2, 3)
    assert assets.count(registry.read()) == before
    camera = assets.find(registry.read(), L.ID.format(1))
    assert [h["action"] for h in assets.audit_of(registry.read(), camera["id"])] == ["insert", "update"]
    assert json.loads(assets.audit_of(registry.read(), camera["id"])[1]["changes"]) == {
        "address": ["光化大道1号", "光化大道1号（东）"]}


def test_all_or_nothing_writes_nothing_when_a_row_is_bad(registry, tmp_path):
    plan = ledger.plan(registry, L.write_xlsx(tmp_path / "ledger.xlsx"), Options(type_code="camera"))
    with pytest.raises(ImportFailed, match="6 rows have errors"):
        ledger.apply(registry, plan, "all-or-nothing", tmp_path / "errors.csv")
    assert assets.count(registry.read()) == 0
    assert (tmp_path / "errors.csv").read_text(encoding="utf-8-sig").count("\n") == 7  # the report is still written


def test_a_registry_changed_after_the_preview_is_not_overwritten(registry, tmp_path):
    good = [r for r in L.ROWS if r[2] == "new"]
    plan = ledger.plan(registry, L.write_xlsx(tmp_path / "ok.xlsx", good), Options(type_code="camera"))
    add_asset(Context(registry), {"type": "camera", "name": "别人刚加的", "code": L.ID.format(1),
                                  "attrs": {"class": "A"}})
    with pytest.raises(ImportFailed, match="changed after the preview"):
        ledger.apply(registry, plan)
    assert assets.count(registry.read()) == 1


def test_near_duplicates_are_held_back(registry, tmp_path):
    add_asset(Context(registry), {"type": "smart_pole", "name": "既有灯杆", "code": "GH-P-0001", "lon": 111.6712,
                                  "lat": 32.3856})
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["杆号", "名称", "经度", "纬度", "杆高"])
    wb.active.append(["GH-P-0002", "10米外的新杆", 111.6712, 32.3857, "12m"])   # ~11 m north
    wb.active.append(["GH-P-0003", "远处的新杆", 111.70, 32.40, 8])
    wb.active.append(["GH-P-0001", "既有灯杆", 111.6712, 32.3856, 10])           # same code: an update
    wb.save(tmp_path / "poles.xlsx")
    plan = ledger.plan(registry, tmp_path / "poles.xlsx", Options(type_code="smart_pole"))
    got = {r.row: r.outcome for r in plan.rows}
    assert got == {2: "duplicate", 3: "new", 4: "update"}
    assert "既有灯杆" in plan.rows[0].reasons()[0] and "m of the existing" in plan.rows[0].reasons()[0]
    assert json.loads(plan.rows[1].values["attrs"]) == {"height_m": 8.0}
    loose = ledger.plan(registry, tmp_path / "poles.xlsx", Options(type_code="smart_pole", import_nearby=True))
    assert loose.rows[0].outcome == "new" and "既有灯杆" in loose.rows[0].findings[0]
    assert ledger.plan(registry, tmp_path / "poles.xlsx",
                       Options(type_code="smart_pole", distance_m=5)).rows[0].outcome == "new"


def test_type_column_attributes_and_mapping_overrides(registry, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["类型", "编号", "名称", "lng", "lat", "运营商", "站型", "频段", "杆高", "搭载功能", "类别", "开通日期"])
    ws.append(["5G基站", "LHK-ZHG-0001", "竹林桥宏站", 111.68, 32.39, "移动", "宏站", "n41/n78", None, None, None,
               "2021/3/5"])
    ws.append(["智能杆", "LHK-P-0001", "孟楼灯杆", 111.60, 32.45, None, None, None, "12米", "照明、视频监控", None, None])
    ws.append(["摄像头", L.ID.format(1), "路口监控", 111.67, 32.38, "电信", None, None, None, None, "A类", None])
    ws.append(["路灯箱", "X-1", "未知类型", 111.67, 32.38, None, None, None, None, None, None, None])
    wb.save(tmp_path / "mixed.xlsx")
    plan = ledger.plan(registry, tmp_path / "mixed.xlsx", Options())
    rows = {r.row: r for r in plan.rows}
    assert [rows[i].outcome for i in (2, 3, 4, 5)] == ["new", "new", "new", "error"]
    assert json.loads(rows[2].values["attrs"]) == {"site_type": "macro_tower", "bands": ["n41", "n78"],
                                                   "commissioned": "2021-03-05"}
    assert rows[2].values["operator"] == "中国移动" and rows[4].values["operator"] == "中国电信"
    assert json.loads(rows[3].values["attrs"]) == {"height_m": 12.0, "functions": ["lighting", "camera"]}
    assert "Unknown asset type 路灯箱" in rows[5].reasons()[0]
    # Overrides: take the name from another column, drop the operator, and set a constant.
    plan = ledger.plan(registry, tmp_path / "mixed.xlsx",
                       Options(assignments={"name": "B", "operator": ""}, constants={"notes": "2024 普查"}))
    first = plan.rows[0]
    assert first.values["name"] == "LHK-ZHG-0001" and first.values["operator"] is None
    assert first.values["notes"] == "2024 普查"
    with pytest.raises(ImportFailed):
        ledger.plan(registry, tmp_path / "mixed.xlsx", Options(assignments={"name": "no such column"}))


def test_without_a_type_the_plan_asks_for_one(registry, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["名称", "经度", "纬度"])
    wb.active.append(["点位", 111.67, 32.38])
    wb.save(tmp_path / "untyped.xlsx")
    with pytest.raises(ImportFailed, match="Choose the asset type"):
        ledger.plan(registry, tmp_path / "untyped.xlsx")


def test_opencellid_layout(registry, tmp_path):
    sample = shared_path("data", "standards", "opencellid_format_and_samples.csv").read_text(encoding="utf-8")
    lines = sample.strip().splitlines()
    ours = ["NR,460,0,4282,{c},,{lon},{lat},500,12,1,1600000000,1700000000,".format(c=c, lon=111.60 + c / 1000,
                                                                                     lat=32.40) for c in (1, 2)]
    ours.append("LTE,460,11,4300,77,,111.70,32.35,800,3,1,1600000000,1700000000,")
    path = tmp_path / "cells.csv"
    path.write_text("\n".join(lines + ours) + "\n", encoding="utf-8")
    table = readers.read_table(path)
    assert table.layout == "opencellid" and table.source_width == 14
    plan = ledger.plan(registry, path, Options())
    got = {r.row: r for r in plan.rows}
    assert got[2].outcome == "error" and "outside the county" in got[2].reasons()[0]  # the real sample is in Beijing
    assert [got[i].outcome for i in (3, 4, 5)] == ["new", "new", "new"]
    assert got[3].values["code"] == "460-0-4282-1" and got[3].values["operator"] == "中国移动"
    assert got[5].values["operator"] == "中国电信" and got[3].values["type"] == "base_station"
    assert json.loads(got[3].values["attrs"]) == {"site_type": "macro_tower"}  # the layout's preset, overridable
    headless = tmp_path / "headless.csv"
    headless.write_text("\n".join(ours) + "\n", encoding="utf-8")
    assert ledger.plan(registry, headless, Options()).counts()["new"] == 3
    errors = tmp_path / "cells-errors.xlsx"
    ledger.apply(registry, plan, "valid-only", errors)
    assert readers.read_table(errors).layout == "opencellid"  # the error workbook keeps the file's own columns


def test_unreadable_files_say_why(registry, tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(ImportFailed, match="cannot be read as an Excel workbook"):
        ledger.plan(registry, bad, Options(type_code="camera"))
    with pytest.raises(ImportFailed, match="unsupported file type"):
        ledger.plan(registry, tmp_path / "x.pdf", Options(type_code="camera"))
    latin = tmp_path / "latin.csv"
    latin.write_bytes("名称\n".encode("utf-16"))
    with pytest.raises(ImportFailed, match="neither UTF-8 nor GB18030"):
        ledger.plan(registry, latin, Options(type_code="camera"))
    with pytest.raises(ImportFailed, match="no sheet"):
        ledger.plan(registry, L.write_xlsx(tmp_path / "l.xlsx"), Options(type_code="camera", sheet="nope"))
