"""Division import (all or nothing, encodings, layouts, other counties) and the hierarchy queries of a registry."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from nibi_desk import i18n
from nibi_desk.errors import ImportFailed, ValidationError
from nibi_desk.storage import divisions
from nibi_desk.storage.registry import Registry

from tests.conftest import shared_path


COUNTY = "420682"
COUNTY_HEADER = "level,code_gb2260,code_12,name,parent_code,province,city,county,township_type"
VILLAGE_HEADER = "code_12,name,township_code_9,township_name,county_code,county_name"


@pytest.fixture
def registry(tmp_path):
    reg = Registry.create(tmp_path / "r.nibi", COUNTY)
    yield reg
    reg.close()


@pytest.fixture
def empty_registry(tmp_path):
    """A registry of a county whose divisions are not bundled (茅箭区): it starts without divisions."""
    reg = Registry.create(tmp_path / "e.nibi", "420302")
    yield reg
    reg.close()


def division_count(reg: Registry) -> int:
    return reg.read().execute("SELECT count(*) FROM divisions").fetchone()[0]


def snapshot(reg: Registry) -> list[tuple]:
    return [tuple(r) for r in reg.read().execute("SELECT * FROM divisions ORDER BY code")]


def write_csv(path: Path, header: str, rows: list[str], encoding: str = "utf-8") -> Path:
    path.write_bytes(("\n".join([header, *rows]) + "\n").encode(encoding))
    return path


def csv_rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


# -- the real files from ../shared -----------------------------------------------------------------------------------

def test_import_the_real_laohekou_files(registry):
    county_file = shared_path("data", "divisions", "laohekou_420682.csv")
    village_file = shared_path("data", "divisions", "laohekou_420682_villages.csv")
    county_rows, village_rows = csv_rows(county_file), csv_rows(village_file)

    first = divisions.import_file(registry, county_file)
    assert first.skipped_other_counties == 0
    assert first.added + first.updated + first.unchanged == len(county_rows)
    second = divisions.import_file(registry, village_file)
    assert second.added + second.updated + second.unchanged == len(village_rows)

    conn = registry.read()
    assert len(divisions.townships(conn, COUNTY)) == 13
    assert conn.execute("SELECT count(*) FROM divisions WHERE level = 'village' AND county = ?",
                        (COUNTY,)).fetchone()[0] == len(village_rows)
    assert {r["code_12"] for r in village_rows} <= {r[0] for r in conn.execute("SELECT code FROM divisions")}

    # Importing the same files again changes nothing and says so.
    again = divisions.import_file(registry, county_file)
    assert (again.added, again.updated, again.unchanged) == (0, 0, len(county_rows))
    again = divisions.import_file(registry, village_file)
    assert (again.added, again.updated, again.unchanged) == (0, 0, len(village_rows))


def test_import_into_a_registry_without_divisions(empty_registry, tmp_path):
    """A county file then its villages, into an empty registry: everything is added, parents first."""
    county_file = shared_path("data", "divisions", "shiyan_4203.csv")
    village_file = shared_path("data", "divisions", "shiyan_4203_villages.csv")
    rows = csv_rows(county_file)
    mine = [r for r in rows if r["code_12"].startswith("420302")]
    report = divisions.import_file(empty_registry, county_file)
    assert report.added == len(mine)
    assert report.skipped_other_counties == len(rows) - len(mine) > 0
    assert division_count(empty_registry) == len(mine)
    assert empty_registry.county_name == "茅箭区"

    villages = [r for r in csv_rows(village_file) if r["code_12"].startswith("420302")]
    report = divisions.import_file(empty_registry, village_file)
    assert report.added == len(villages) > 0
    conn = empty_registry.read()
    # Nothing of another county was written.
    assert conn.execute("SELECT count(*) FROM divisions WHERE county != '420302' OR code NOT LIKE '420302%'"
                        ).fetchone()[0] == 0


def test_city_file_imports_only_the_registry_county_and_counts_the_rest(empty_registry):
    city_file = shared_path("data", "divisions", "shiyan_4203.csv")
    rows = csv_rows(city_file)
    counties = {r["code_12"][:6] for r in rows}
    assert len(counties) > 1  # the fixture really is a city file
    mine = [r for r in rows if r["code_12"][:6] == "420302"]
    report = divisions.import_file(empty_registry, city_file)
    assert report.skipped_other_counties == len(rows) - len(mine)
    assert report.added == len(mine)
    conn = empty_registry.read()
    assert {r[0] for r in conn.execute("SELECT code FROM divisions")} == {r["code_12"] for r in mine}
    assert len(divisions.townships(conn, "420302")) == len([r for r in mine if r["level"] == "township"])


# -- bad files: an error naming file, row and field, and nothing written ---------------------------------------------

@pytest.mark.parametrize("bad_code, field", [
    ("42068210A000", "code_12"),     # a letter
    ("42068210000", "code_12"),      # 11 digits
    ("4206821000000", "code_12"),    # 13 digits
    ("４２０６８２１００００", "code_12"),  # full-width digits are not ASCII digits
])
def test_malformed_code_names_file_row_and_field(registry, tmp_path, bad_code, field):
    path = write_csv(tmp_path / "bad.csv", COUNTY_HEADER, [
        "county,420682,420682000000,老河口市,4206,湖北省,襄阳市,老河口市,",
        "township,,420682107000,新镇,420682,湖北省,襄阳市,老河口市,镇",
        f"township,,{bad_code},坏镇,420682,湖北省,襄阳市,老河口市,镇",
    ])
    before = snapshot(registry)
    with pytest.raises(ImportFailed) as info:
        divisions.import_file(registry, path)
    error = info.value
    assert (error.where.file, error.where.row, error.where.field) == ("bad.csv", 4, field)
    message = error.message()
    assert "bad.csv" in message and "4" in message and field in message
    assert snapshot(registry) == before  # the good row before the bad one was not written either


def test_malformed_village_code_is_refused(registry, tmp_path):
    path = write_csv(tmp_path / "v.csv", VILLAGE_HEADER, [
        "420682100901,新村,420682100,孟楼镇,420682,老河口市",
        "4206821009X2,坏村,420682100,孟楼镇,420682,老河口市",
    ])
    count = division_count(registry)
    with pytest.raises(ImportFailed) as info:
        divisions.import_file(registry, path)
    assert (info.value.where.file, info.value.where.row, info.value.where.field) == ("v.csv", 3, "code_12")
    assert division_count(registry) == count


def test_row_with_too_few_columns(registry, tmp_path):
    path = write_csv(tmp_path / "short.csv", COUNTY_HEADER, ["township,,420682107000,新镇"])
    count = division_count(registry)
    with pytest.raises(ImportFailed) as info:
        divisions.import_file(registry, path)
    assert info.value.where.row == 2
    assert division_count(registry) == count


def test_file_of_another_county_only(registry, tmp_path):
    path = write_csv(tmp_path / "gucheng.csv", COUNTY_HEADER, [
        "county,420683,420683000000,枣阳市,4206,湖北省,襄阳市,枣阳市,",
        "township,,420683100000,某镇,420683,湖北省,襄阳市,枣阳市,镇",
    ])
    before = snapshot(registry)
    with pytest.raises(ImportFailed) as info:
        divisions.import_file(registry, path)
    i18n.set_language("en")
    assert "no divisions of county 420682" in info.value.message()
    assert info.value.where.file == "gucheng.csv"
    assert snapshot(registry) == before


def test_village_whose_township_is_missing(registry, tmp_path):
    path = write_csv(tmp_path / "v.csv", VILLAGE_HEADER, [
        "420682100901,新村,420682100,孟楼镇,420682,老河口市",
        "420682199201,孤村,420682199,不存在镇,420682,老河口市",
    ])
    before = snapshot(registry)
    with pytest.raises(ImportFailed) as info:
        divisions.import_file(registry, path)
    assert "420682199000" in info.value.message()
    assert snapshot(registry) == before


def test_township_without_its_county_in_an_empty_registry(empty_registry, tmp_path):
    path = write_csv(tmp_path / "t.csv", COUNTY_HEADER, [
        "township,,420302100000,大川镇,420302,湖北省,十堰市,茅箭区,镇",
    ])
    with pytest.raises(ImportFailed):
        divisions.import_file(empty_registry, path)
    assert division_count(empty_registry) == 0


def test_duplicate_code(registry, tmp_path):
    path = write_csv(tmp_path / "dup.csv", VILLAGE_HEADER, [
        "420682100901,新村,420682100,孟楼镇,420682,老河口市",
        "420682100902,二村,420682100,孟楼镇,420682,老河口市",
        "420682100901,新村重复,420682100,孟楼镇,420682,老河口市",
    ])
    before = snapshot(registry)
    with pytest.raises(ImportFailed) as info:
        divisions.import_file(registry, path)
    assert (info.value.where.row, info.value.where.field) == (4, "code_12")
    assert "420682100901" in info.value.message()
    assert snapshot(registry) == before


def test_unrecognised_header(registry, tmp_path):
    path = write_csv(tmp_path / "h.csv", "代码,名称,上级", ["420682100901,新村,420682100"])
    before = snapshot(registry)
    with pytest.raises(ImportFailed) as info:
        divisions.import_file(registry, path)
    assert (info.value.where.file, info.value.where.row) == ("h.csv", 1)
    assert "代码,名称,上级" in info.value.message()
    assert snapshot(registry) == before


def test_empty_file_and_binary_file(registry, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(ImportFailed):
        divisions.import_file(registry, empty)
    binary = tmp_path / "bin.csv"
    binary.write_bytes(bytes([0x81, 0x30, 0xFF, 0xFE, 0x80]) * 10)
    with pytest.raises(ImportFailed) as info:
        divisions.import_file(registry, binary)
    assert info.value.where.file == "bin.csv"


def test_village_row_contradicting_its_township_column(registry, tmp_path):
    path = write_csv(tmp_path / "v.csv", VILLAGE_HEADER, ["420682100901,新村,420682101,竹林桥镇,420682,老河口市"])
    with pytest.raises(ImportFailed) as info:
        divisions.import_file(registry, path)
    assert info.value.where.field == "township_code_9"


# -- encodings -------------------------------------------------------------------------------------------------------

NEW_VILLAGES = [
    "420682100901,新建村委会,420682100,孟楼镇,420682,老河口市",
    "420682100902,龍泉村委会,420682100,孟楼镇,420682,老河口市",  # a traditional character, fine in GB18030
]


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "utf-8"])
def test_encodings(registry, tmp_path, encoding):
    path = write_csv(tmp_path / f"v-{encoding}.csv", VILLAGE_HEADER, NEW_VILLAGES, encoding=encoding)
    if encoding == "gb18030":
        with pytest.raises(UnicodeDecodeError):
            path.read_bytes().decode("utf-8")  # really not UTF-8
    if encoding == "utf-8-sig":
        assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    report = divisions.import_file(registry, path)
    assert report.added == 2
    conn = registry.read()
    assert divisions.get(conn, "420682100901")["name"] == "新建村委会"
    assert divisions.get(conn, "420682100902")["name"] == "龍泉村委会"
    assert divisions.get(conn, "420682100902")["parent"] == "420682100000"


def test_reimport_with_a_changed_name_updates(registry, tmp_path):
    path = write_csv(tmp_path / "v.csv", VILLAGE_HEADER, NEW_VILLAGES)
    divisions.import_file(registry, path)
    path = write_csv(tmp_path / "v.csv", VILLAGE_HEADER, [NEW_VILLAGES[0].replace("新建", "新兴"), NEW_VILLAGES[1]])
    report = divisions.import_file(registry, path)
    assert (report.added, report.updated, report.unchanged) == (0, 1, 1)
    assert divisions.get(registry.read(), "420682100901")["name"] == "新兴村委会"


# -- hierarchy -------------------------------------------------------------------------------------------------------

def test_children_townships_ancestors(registry):
    conn = registry.read()
    (county,) = divisions.children(conn, None, COUNTY)
    assert county["code"] == "420682000000" and county["name"] == "老河口市"
    townships = divisions.townships(conn, COUNTY)
    assert len(townships) == 13
    assert [t["code"] for t in townships] == sorted(t["code"] for t in townships)
    assert divisions.children(conn, "420682", COUNTY) == townships
    villages = divisions.children(conn, "420682100", COUNTY)
    assert villages and all(v["parent"] == "420682100000" and v["level"] == "village" for v in villages)
    assert divisions.children(conn, "420682100000", COUNTY) == villages
    chain = divisions.ancestors(conn, villages[0]["code"])
    assert [d["level"] for d in chain] == ["village", "township", "county"]
    assert [d["name"] for d in chain[1:]] == ["孟楼镇", "老河口市"]
    assert divisions.ancestors(conn, "420682999999") == []


def test_check_in_county(registry):
    conn = registry.read()
    assert divisions.check_in_county(conn, "420682100", COUNTY) == "420682100000"
    assert divisions.check_in_county(conn, "420682", COUNTY) == "420682000000"


@pytest.mark.parametrize("code, zh, en", [
    ("420682199", "不存在区划", "does not exist in this registry"),
    ("420683100000", "属于 420683", "belongs to county 420683"),
    ("42068a", "只能由数字组成", "must consist of digits"),
    ("4206821", "应为 6、9 或 12 位数字", "must have 6, 9 or 12 digits"),
])
def test_check_in_county_errors_in_both_languages(registry, code, zh, en):
    conn = registry.read()
    with pytest.raises(ValidationError) as info:
        divisions.check_in_county(conn, code, COUNTY, field="division")
    assert info.value.where.field == "division"
    assert zh in info.value.message()
    i18n.set_language("en")
    assert en in info.value.message()  # the same error, shown again after a language switch


def test_resolve_name(registry):
    conn = registry.read()
    assert divisions.resolve_name(conn, "孟楼镇", COUNTY) == "420682100000"
    assert divisions.resolve_name(conn, " 孟楼镇 ", COUNTY) == "420682100000"
    assert divisions.resolve_name(conn, "老河口市", COUNTY) == "420682000000"
    assert divisions.resolve_name(conn, "不存在镇", COUNTY) is None
    assert divisions.resolve_name(conn, "孟楼镇", "420683") is None
