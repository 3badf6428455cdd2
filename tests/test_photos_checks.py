"""Photo vs inspection checks (time and place) and `nibi photos info`."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from nibi_desk import i18n
from nibi_desk.cli.main import main
from nibi_desk.photos import checks
from nibi_desk.photos.checks import check_photo, check_position, check_time
from nibi_desk.photos.exif import read_info
from tests.conftest import shared_path
from tests.photos_helpers import DATETIME_ORIGINAL, OFFSET_TIME_ORIGINAL, gps_block, make_jpeg

CST = timezone(timedelta(hours=8))
INSPECTION = datetime(2024, 5, 1, 10, 0, tzinfo=CST)
ASSET = (111.6702, 32.3801)  # lon, lat


def test_time_within_the_limit_is_fine():
    assert check_time(datetime(2024, 5, 1, 11, 59, tzinfo=CST), INSPECTION) is None
    assert check_time(datetime(2024, 5, 1, 8, 0, tzinfo=CST), INSPECTION) is None  # exactly 2 h


def test_time_far_before_and_after():
    finding = check_time(datetime(2024, 5, 1, 6, 30, tzinfo=CST), INSPECTION)
    assert finding.code == checks.TIME_FAR and finding.value == timedelta(hours=-3.5)
    assert finding.template == checks.F_BEFORE and finding.params["hours"] == "3.5"
    assert finding.message() == "照片拍摄时间早于巡检时间 3.5 小时（超过 2 小时）"
    finding = check_time(datetime(2024, 5, 2, 10, 0, tzinfo=CST), INSPECTION, limit=timedelta(minutes=30))
    assert finding.template == checks.F_AFTER and finding.value == timedelta(days=1)
    i18n.set_language("en")
    assert finding.message() == "The photo was taken 24.0 h after the inspection (more than 0.5 h)"
    assert finding.to_dict()["value"] == 86400.0 and finding.to_dict()["code"] == checks.TIME_FAR


def test_naive_exif_time_is_read_in_the_inspection_zone():
    assert check_time(datetime(2024, 5, 1, 11, 0), INSPECTION) is None
    utc_inspection = INSPECTION.astimezone(timezone.utc)  # 02:00 UTC: the same instant
    assert check_time(datetime(2024, 5, 1, 10, 30, tzinfo=CST), utc_inspection) is None
    finding = check_time(datetime(2024, 5, 1, 10, 30), utc_inspection)  # camera-local read as UTC: 8.5 h later
    assert finding.params["zone_assumed"] is True and finding.value == timedelta(hours=8.5)
    assert check_time(datetime(2024, 5, 1, 10, 30, tzinfo=CST), datetime(2024, 5, 1, 10, 0)) is None


def test_no_photo_time():
    assert check_time(None, INSPECTION).code == checks.TIME_UNKNOWN


def test_position():
    assert check_position(111.6705, 32.3803, *ASSET) is None  # ~35 m
    finding = check_position(111.6702, 32.3821, *ASSET)  # ~222 m north
    assert finding.code == checks.POSITION_FAR and finding.value == pytest.approx(222.4, abs=1)
    assert finding.params == {"distance_m": "222", "limit_m": "100"}
    assert check_position(111.6702, 32.3821, *ASSET, limit_m=500) is None
    assert check_position(None, None, *ASSET).code == checks.POSITION_UNKNOWN
    assert check_position(111.6, 32.3, None, None) is None  # an asset without a position: nothing to compare


def test_check_photo_from_exif():
    info = read_info(make_jpeg(exif_ifd={DATETIME_ORIGINAL: "2024:05:01 15:00:00", OFFSET_TIME_ORIGINAL: "+08:00"},
                               gps=gps_block(lat=32.3801, lon=111.6702)))
    assert [f.code for f in check_photo(info, INSPECTION, *ASSET)] == [checks.TIME_FAR]
    assert check_photo(info, INSPECTION, *ASSET, max_time=timedelta(hours=6)) == []
    blank = read_info(make_jpeg(no_exif=True))
    assert [f.code for f in check_photo(blank, INSPECTION, *ASSET)] == [checks.TIME_UNKNOWN, checks.POSITION_UNKNOWN]


# -- nibi photos info ------------------------------------------------------------------------------------------------

def run(capsys, *argv):
    capsys.readouterr()
    code = main([str(a) for a in argv])
    return code, capsys.readouterr().out


def test_cli_info_text_and_json(capsys, tmp_path):
    good = tmp_path / "good.jpg"
    make_jpeg(good, exif_ifd={DATETIME_ORIGINAL: "2024:05:01 10:11:12", OFFSET_TIME_ORIGINAL: "+08:00"},
              gps=gps_block(lat=-33.5, lon=151.25, alt=3, alt_ref=1))
    bare = tmp_path / "bare.jpg"
    make_jpeg(bare, no_exif=True)
    code, out = run(capsys, "photos", "info", good, bare, tmp_path / "missing.jpg")
    assert code == 0
    assert "-33.5000000" in out and "33°30′00.00″S" in out and "-3.0 米" in out
    assert "2024:05:01 10:11:12+08:00" in out
    assert "缺失 — 照片没有 EXIF 信息" in out and "无法读取文件" in out
    code, out = run(capsys, "photos", "info", good, bare, "--json")
    data = json.loads(out)
    assert data[0]["lat"] == -33.5 and data[0]["alt"] == -3 and data[0]["taken"] == "2024:05:01 10:11:12+08:00"
    assert data[0]["taken_at"] == "2024-05-01T10:11:12+08:00" and data[0]["file"] == str(good)
    assert data[1]["missing"]["lat"]["template"] == "The photo has no EXIF block"
    assert data[1]["missing"]["lat"]["message"] == "照片没有 EXIF 信息"
    code, out = run(capsys, "--lang", "en", "photos", "info", bare)
    assert "missing — The photo has no EXIF block" in out


def test_cli_info_on_the_fixtures(capsys):
    folder = shared_path("fixtures", "photos")
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".jpg", ".jpeg"))
    code, out = run(capsys, "photos", "info", *files, "--json")
    assert code == 0 and len(json.loads(out)) == len(files)
