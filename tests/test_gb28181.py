"""GB/T 28181 device IDs: parsing, fatal errors, findings, labels in both languages, the shipped code table."""

from __future__ import annotations

import csv
import dataclasses
import json
import re
import unicodedata

import pytest

from tests.conftest import shared_path
from nibi_desk import i18n, paths
from nibi_desk.domain import gb28181
from nibi_desk.domain.gb28181 import DeviceId, code_table, describe, parse, validate
from nibi_desk.errors import ResourceMissing, ValidationError

CAMERA = "42068200001320000001"  # the example of STANDARDS.md: IP camera under a 老河口 centre


def test_parse_example_camera():
    dev = parse(CAMERA, county="420682")
    assert isinstance(dev, DeviceId)
    assert dev.id == dev.raw == CAMERA
    assert (dev.centre_code, dev.province_code, dev.city_code, dev.county_code) == ("42068200", "42", "4206", "420682")
    assert dev.grassroots_unit == "00"
    assert (dev.industry_code, dev.type_code, dev.network_code, dev.serial) == ("00", "132", "0", "000001")
    assert dev.type_group == "front_end_peripheral"
    assert dev.is_camera
    assert dev.findings == []
    assert dev.registry_county == "420682"


def test_validate_is_parse():
    assert validate(CAMERA) == parse(CAMERA)


def test_device_id_is_frozen_and_hashable():
    dev = parse(CAMERA, county="420683")
    with pytest.raises(dataclasses.FrozenInstanceError):
        dev.id = "x"  # type: ignore[misc]
    assert len({dev, parse(CAMERA, county="420683")}) == 1


@pytest.mark.parametrize("type_code, camera", [("131", True), ("132", True), ("118", False), ("200", False)])
def test_is_camera(type_code, camera):
    assert parse(f"4206820000{type_code}0000001").is_camera is camera


@pytest.mark.parametrize(
    "typed",
    [
        "４２０６８２００００１３２００００００１",  # full width
        "420682 0000 132 0 000001",  # grouped with spaces
        "420682\u30000000132\u00a00000001",  # ideographic and no-break spaces
        "\ufeff42068200001320000001\u200b",  # invisible characters from a web page
        "'42068200001320000001",  # Excel's text apostrophe
        "  42068200001320000001\n",
        42068200001320000001,  # a Python int is exact
    ],
)
def test_normalised_input(typed):
    dev = parse(typed)
    assert dev.id == CAMERA
    assert dev.raw == str(typed)


# --- fatal ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, fragment",
    [
        ("", "GB/T 28181 ID is empty"),
        ("   ", "GB/T 28181 ID is empty"),
        ("4206820000132000001", "has 19 digits; it must have exactly 20"),
        ("420682000013200000011", "has 21 digits; it must have exactly 20"),
        ("42068200001320000O01", "contains characters other than digits: O"),
        ("4206-8200-0013-2000-0001", "contains characters other than digits: -"),
        ("42068200001000000001", "type code 100 (digits 11–13) is outside every range"),
        ("42068200000990000001", "type code 099"),
    ],
)
def test_fatal(value, fragment):
    i18n.set_language("en")
    with pytest.raises(ValidationError) as caught:
        parse(value)
    assert caught.value.where.field == "gb28181_id"
    assert fragment in str(caught.value)


@pytest.mark.parametrize(
    "value",
    ["4.20682000013200E+19", "4.20682E+19", "４.２０６８２E+19", "42068200001320000000.0", "4.2068200001320003e+19",
     4.20682000013200e19],
)
def test_excel_float_refused_with_precision_message(value):
    i18n.set_language("en")
    with pytest.raises(ValidationError) as caught:
        parse(value)
    assert "precision was lost" in str(caught.value)
    assert caught.value.where.field == "gb28181_id"


def test_excel_float_message_in_chinese():
    with pytest.raises(ValidationError, match="精度已丢失"):
        parse("4.20682000013200E+19")


def test_bad_registry_county():
    with pytest.raises(ValidationError) as caught:
        parse(CAMERA, county="42068")
    assert caught.value.where.field == "county"


# --- findings ---------------------------------------------------------------------------------------------------


def test_other_county_is_a_finding_not_an_error():
    dev = parse("42068300001320000001", county="420682")
    i18n.set_language("en")
    assert dev.findings == ["centre code 420683 names another county than the registry's 420682"]
    i18n.set_language("zh_CN")  # findings follow the language, like errors
    assert dev.findings == ["中心编码 420683 指向的区县与登记库的区县 420682 不同"]


def test_twelve_digit_statistical_county_code():
    assert parse(CAMERA, county="420682100000").findings == []
    assert parse(CAMERA, county="４２０６８２").findings == []


def test_city_level_centre():
    i18n.set_language("en")
    dev = parse("42060000001320000001", county="420682")
    assert dev.findings == ["centre code 420600 is a city- or province-level centre, not the registry's county 420682"]


def test_no_county_no_county_finding():
    assert parse("42068300001320000001").findings == []


def test_unknown_industry_province_and_types():
    i18n.set_language("en")
    dev = parse("99068299991500000001")
    assert dev.findings == [
        "province code 99 (digits 1–2) is not a GB/T 2260 province",
        "industry code 99 (digits 9–10) is not in the code table",
        "type code 150 is not listed in the code table (its range is 131–199)",
    ]
    assert dev.industry_label == "unknown"
    assert dev.type_label == "not in the code table"
    assert dev.type_group_label == "Front-end peripheral device"
    ext = parse("42068200006500000001")
    assert ext.type_group == "extension"
    assert ext.findings == ["type code 650 is in the extension range 600–999, whose meaning each platform defines"]


# --- labels -----------------------------------------------------------------------------------------------------


def test_labels_follow_the_language():
    dev = parse(CAMERA, county="420683")
    assert dev.type_label == "网络摄像机（IPC）/在线视频图像信息采集设备"
    assert dev.type_group_label == "前端外围设备"
    assert dev.industry_label == "社会治安路面接入"
    assert dev.province_label == "湖北省"
    assert dev.network_label == "监控报警专网（2016 版）／公安视频传输网（2022 版）"
    assert dev.labels() == [
        "GB/T 28181 编码：42068200001320000001",
        "中心编码：42068200（湖北省，区县 420682，基层单位 00）",
        "行业：00 社会治安路面接入",
        "类型：132 网络摄像机（IPC）/在线视频图像信息采集设备（前端外围设备）",
        "网络标识：0 监控报警专网（2016 版）／公安视频传输网（2022 版）",
        "序号：000001",
        "提示：中心编码 420682 指向的区县与登记库的区县 420683 不同",
    ]
    i18n.set_language("en")
    assert dev.labels() == [
        "GB/T 28181 ID: 42068200001320000001",
        "Centre code: 42068200 (Hubei, county 420682, grassroots unit 00)",
        "Industry: 00 Public security: road surface",
        "Type: 132 IP camera (IPC) / online video image collection device (Front-end peripheral device)",
        "Network: 0 Monitoring and alarm private network (2016 edition) / "
        "Public-security video transmission network (2022 edition)",
        "Serial number: 000001",
        "Note: centre code 420682 names another county than the registry's 420683",
    ]
    assert describe(dev) == "\n".join(dev.labels())


@pytest.mark.parametrize("digit", "0123456789")
def test_every_network_digit_is_accepted(digit):
    dev = parse(f"4206820000132{digit}000001")
    assert dev.network_code == digit
    assert dev.network_label and dev.network_label_2016


def test_network_label_when_editions_agree_or_2022_is_silent():
    assert parse("42068200001325000001").network_label == "公安信息网"
    assert parse("42068200001328000001").network_label == "社会资源接入网"
    assert parse("42068200001328000001").network_label_2022 is None


# --- the shipped table ------------------------------------------------------------------------------------------


def test_table_shape():
    table = code_table()
    groups = table["type_groups"]
    assert groups[0]["first"] == 111 and groups[-1]["last"] == 999
    for before, after in zip(groups, groups[1:]):
        assert after["first"] == before["last"] + 1  # contiguous, no overlap
    for code in table["types"]:
        assert gb28181._group_of(code) is not None
    assert sorted(table["networks"]) == list("0123456789")
    entries = [*table["types"].values(), *table["industries"].values(), *table["provinces"].values(), *groups]
    entries += [e for n in table["networks"].values() for e in n.values() if e]
    assert all(e["zh"].strip() and e["en"].strip() for e in entries)


def test_every_message_has_a_chinese_translation():
    catalog = json.loads((paths.resources_dir() / "translations" / "zh_CN" / "gb28181.json").read_text("utf-8"))
    names = r"(E|F|L)_[A-Z_0-9]+|NETWORK_BOTH|UNKNOWN|UNLISTED"
    templates = {v for k, v in vars(gb28181).items() if re.fullmatch(names, k)}
    assert len(templates) > 20
    assert templates <= catalog.keys()
    for template in templates:
        assert set(re.findall(r"{\w+}", template)) == set(re.findall(r"{\w+}", catalog[template]))


def test_missing_table_is_a_resource_error(tmp_path, monkeypatch):
    (tmp_path / "db" / "migrations").mkdir(parents=True)
    monkeypatch.setenv("NIBI_DATA_ROOT", str(tmp_path))
    code_table.cache_clear()
    try:
        with pytest.raises(ResourceMissing):
            parse(CAMERA)
    finally:
        monkeypatch.delenv("NIBI_DATA_ROOT")
        code_table.cache_clear()


def _same(a: str, b: str) -> bool:
    # Our labels drop the trailing "编码" ("code") of the source table and use full-width brackets throughout.
    def norm(s: str) -> str:
        return re.sub(r"编码(?!器)", "", unicodedata.normalize("NFKC", s)).replace(" ", "")

    return norm(a) == norm(b)


def test_table_agrees_with_shared_csv():
    path = shared_path("data", "standards", "gb28181_code_tables.csv")
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    table = code_table()

    types = {r["code"]: r for r in rows if r["table"] == "type_code_digits_11_13"}
    assert set(types) == set(table["types"])
    for code, row in types.items():
        assert _same(table["types"][code]["zh"], row["meaning"]), code
        assert gb28181._group_of(code)["zh"] == row["note"], code

    industries = {r["code"]: r["meaning"] for r in rows if r["table"] == "industry_code_digits_9_10"}
    assert {c: e["zh"] for c, e in table["industries"].items()} == industries

    net_2022 = {r["code"]: r["meaning"] for r in rows if r["table"].startswith("network_id_digit_14_(2022")}
    assert {c: n["2022"]["zh"] for c, n in table["networks"].items() if n["2022"]} == net_2022

    net_2016 = {}
    for r in rows:
        if r["table"].startswith("network_id_digit_14_(2016"):
            first, _, last = r["code"].partition("-")
            for digit in range(int(first), int(last or first) + 1):
                net_2016[str(digit)] = r["meaning"]
    assert {c: n["2016"]["zh"] for c, n in table["networks"].items()} == net_2016
