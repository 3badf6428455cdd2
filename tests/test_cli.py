"""The `nibi` command line, run in-process (plus one real subprocess for the entry point)."""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

from nibi_desk import __version__, i18n
from nibi_desk.cli.main import build_parser, main
from nibi_desk.domain import grid

CAMERA_ID = "42068200001320000001"

from tests.conftest import shared_path


def run(capsys, *argv) -> tuple[int, str, str]:
    capsys.readouterr()  # drop anything printed before
    try:
        code = main([str(a) for a in argv])
    except SystemExit as e:  # argparse errors and --help
        code = e.code
    out = capsys.readouterr()
    return code, out.out, out.err


def run_json(capsys, *argv):
    code, out, err = run(capsys, *argv, "--json")
    assert code == 0, err
    return json.loads(out)


@pytest.fixture
def db(tmp_path, capsys) -> Path:
    path = tmp_path / "cli.nibi"
    code, out, err = run(capsys, "init", "--county", "420682", "--db", path)
    assert code == 0, err
    assert "老河口市" in out and path.exists()
    return path


def add_camera(capsys, db, *extra) -> str:
    result = run_json(capsys, "assets", "add", "--db", db, "--type", "camera", "--name", "胜利路口监控",
                      "--code", CAMERA_ID, "--lon", "111.67", "--lat", "32.38", "--division", "420682001",
                      "--attr", "class=A", "--attr", "camera_type=dome", *extra)
    return result["id"]


# -- the entry point and help ----------------------------------------------------------------------------------------

def test_entry_point_runs_as_a_program():
    nibi = Path(sys.executable).with_name("nibi")
    command = [str(nibi), "--version"] if nibi.exists() else [sys.executable, "-m", "nibi_desk", "--version"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"nibi-desk {__version__}"


def test_version_in_process(capsys):
    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.strip() == f"nibi-desk {__version__}"


def walk(parser: argparse.ArgumentParser, path=("nibi",), help_text=None):
    """Yield (path, parser, help text given to add_parser) for the parser and every sub(-sub)command."""
    yield path, parser, help_text
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help for a in action._choices_actions}
            for name, sub in action.choices.items():
                yield from walk(sub, path + (name,), helps.get(name))


def help_problems(parser: argparse.ArgumentParser) -> tuple[int, list[str]]:
    """(number of parsers, what lacks help): every (sub-)command needs a description and a help line, every
    argument a help text."""
    missing, count = [], 0
    for path, sub, help_text in walk(parser):
        count += 1
        if not (sub.description or "").strip():
            missing.append(f"{' '.join(path)}: no description")
        if len(path) > 1 and not (help_text or "").strip():
            missing.append(f"{' '.join(path)}: no help")
        for action in sub._actions:
            if isinstance(action, argparse._SubParsersAction):
                continue
            if not (action.help or "").strip() or action.help == argparse.SUPPRESS:
                missing.append(f"{' '.join(path)} {'/'.join(action.option_strings) or action.dest}: no help")
    return count, missing


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_every_subcommand_has_help_and_description(lang):
    i18n.set_language(lang)
    count, missing = help_problems(build_parser())
    assert count >= 14  # nibi, init, demo, stats, divisions (+2), assets (+5), grid (+2)
    assert not missing, "\n".join(missing)


def test_the_help_check_finds_what_is_missing():
    parser = argparse.ArgumentParser(prog="x", description="top")
    sub = parser.add_subparsers()
    a = sub.add_parser("a", help="has help", description="has description")
    a_sub = a.add_subparsers()
    a_sub.add_parser("deep", description="no help line")
    b = sub.add_parser("b", help="no description")
    b.add_argument("--flag", help="")
    _count, missing = help_problems(parser)
    assert sorted(missing) == ["nibi a deep: no help", "nibi b --flag: no help", "nibi b: no description"]


def test_help_runs_for_every_subcommand(capsys):
    for path, _sub, _help in walk(build_parser()):
        code, out, _ = run(capsys, *path[1:], "--help")
        assert code == 0 and out.strip(), path


# -- init, assets ----------------------------------------------------------------------------------------------------

def test_assets_add_search_show_edit_delete(capsys, db):
    asset_id = add_camera(capsys, db)

    code, out, err = run(capsys, "assets", "search", "胜利路", "--db", db)
    assert code == 0 and CAMERA_ID in out and "胜利路口监控" in out
    rows = run_json(capsys, "assets", "search", "路口", "--db", db)
    assert [r["id"] for r in rows] == [asset_id]
    assert run_json(capsys, "assets", "search", "不存在", "--db", db) == []
    code, out, _ = run(capsys, "assets", "search", "不存在", "--db", db)
    assert code == 0 and out.strip()  # says that nothing was found
    assert len(run_json(capsys, "assets", "search", "--db", db, "--type", "camera", "--township", "420682001")) == 1
    assert run_json(capsys, "assets", "search", "--db", db, "--type", "smart_pole") == []
    assert run_json(capsys, "assets", "search", "--db", db, "--status", "faulty") == []

    code, out, err = run(capsys, "assets", "show", CAMERA_ID, "--db", db)
    assert code == 0, err
    assert "胜利路口监控" in out and asset_id in out and "attrs.class: A" in out and "光化街道" in out
    shown = run_json(capsys, "assets", "show", asset_id, "--db", db)
    assert shown["id"] == asset_id and shown["code"] == CAMERA_ID
    assert shown["attrs"] == {"class": "A", "camera_type": "dome"}
    assert shown["grid_code"] == grid.encode(111.67, 32.38, 10)
    assert shown["divisions"] == ["老河口市", "光化街道"]
    assert [h["action"] for h in shown["history"]] == ["insert"]
    assert shown["history"][0]["actor"]
    assert shown["mounts"] == {"carries": [], "carried_by": []}
    assert "GB/T 28181" in shown["gb28181"] or "国标" in shown["gb28181"] or CAMERA_ID in shown["gb28181"]

    edited = run_json(capsys, "assets", "edit", CAMERA_ID, "--db", db, "--name", "胜利路口球机", "--status", "faulty",
                      "--attr", "online=1")
    assert set(edited["changed"]) == {"name", "status", "attrs"}
    shown = run_json(capsys, "assets", "show", CAMERA_ID, "--db", db)
    assert shown["name"] == "胜利路口球机" and shown["status"] == "faulty"
    assert shown["attrs"] == {"class": "A", "camera_type": "dome", "online": True}
    assert [h["action"] for h in shown["history"]] == ["insert", "update"]
    assert run_json(capsys, "assets", "search", "球机", "--db", db, "--status", "faulty")[0]["id"] == asset_id
    code, out, _ = run(capsys, "assets", "edit", CAMERA_ID, "--db", db, "--name", "胜利路口球机")
    assert code == 0 and out.strip()  # nothing changed, and it says so

    deleted = run_json(capsys, "assets", "delete", CAMERA_ID, "--db", db)
    assert deleted == {"id": asset_id, "deleted": True}
    assert run_json(capsys, "assets", "search", "球机", "--db", db) == []
    code, _, err = run(capsys, "assets", "show", CAMERA_ID, "--db", db)
    assert code == 2 and CAMERA_ID in err
    shown = run_json(capsys, "assets", "show", asset_id, "--db", db)  # by id the tombstone is still shown
    assert shown["deleted"] == 1
    assert run_json(capsys, "assets", "delete", asset_id, "--db", db)["deleted"] is False


def test_assets_add_other_types_and_crs(capsys, db):
    pole = run_json(capsys, "assets", "add", "--db", db, "--type", "smart_pole", "--name", "孟楼镇智慧灯杆",
                    "--code", "LHK-P-0001", "--lon", "111°36′", "--lat", "32°27′", "--attr", "height_m=12",
                    "--attr", "functions=lighting,camera")
    station = run_json(capsys, "assets", "add", "--db", db, "--type", "base_station", "--name", "竹林桥5G宏站",
                       "--code", "LHK-ZHG-0001", "--lon", "111.6812", "--lat", "32.3901", "--crs", "GCJ02",
                       "--operator", "中国移动", "--attr", "site_type=macro_tower", "--attr", "bands=n41,n78")
    shown = run_json(capsys, "assets", "show", pole["id"], "--db", db)
    assert shown["lon"] == pytest.approx(111.6) and shown["lat"] == pytest.approx(32.45)
    assert shown["attrs"] == {"height_m": 12.0, "functions": ["lighting", "camera"]}
    shown = run_json(capsys, "assets", "show", "LHK-ZHG-0001", "--db", db)
    assert shown["id"] == station["id"] and shown["operator"] == "中国移动"
    assert shown["lon"] != 111.6812  # converted from GCJ-02


def test_camera_of_another_county_is_added_with_a_note(capsys, db):
    code, out, err = run(capsys, "assets", "add", "--db", db, "--type", "camera", "--name", "邻县摄像机",
                         "--code", "42068300001320000009", "--attr", "class=B")
    assert code == 0
    assert "420683" in err


def test_stats_json(capsys, db):
    add_camera(capsys, db)
    stats = run_json(capsys, "stats", "--db", db)
    assert stats["total"] == 1 and stats["grid_coded"] == 1 and stats["grid_coding_rate"] == 1.0
    assert stats["county"] == "420682" and stats["county_name"] == "老河口市"
    assert stats["by_type"] == {"camera": {"in_service": 1}}
    assert stats["by_township"] == {"420682001000": 1}
    assert stats["township_names"] == {"420682001000": "光化街道"}
    assert stats["mounts"] == 0
    code, out, _ = run(capsys, "stats", "--db", db)
    assert code == 0 and "老河口市" in out and "光化街道" in out


# -- divisions -------------------------------------------------------------------------------------------------------

def test_divisions_list(capsys, db):
    code, out, _ = run(capsys, "divisions", "list", "--db", db)
    assert code == 0
    lines = out.strip().splitlines()
    assert len(lines) == 13 and "420682100000  孟楼镇" in out
    villages = run_json(capsys, "divisions", "list", "--parent", "420682100", "--db", db)
    assert villages and all(v["parent"] == "420682100000" for v in villages)
    assert villages == run_json(capsys, "divisions", "list", "--parent", "420682100000", "--db", db)
    code, out, _ = run(capsys, "divisions", "list", "--parent", "420682100", "--db", db)
    assert code == 0 and len(out.strip().splitlines()) == len(villages)
    code, _, err = run(capsys, "divisions", "list", "--parent", "420683100", "--db", db)
    assert code == 2 and "420683" in err


def test_divisions_import(capsys, db, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text("code_12,name,township_code_9,township_name,county_code,county_name\n"
                    "420682100901,新建村委会,420682100,孟楼镇,420682,老河口市\n", encoding="utf-8")
    report = run_json(capsys, "divisions", "import", good, "--db", db)
    assert report == {"added": 1, "updated": 0, "unchanged": 0, "skipped_other_counties": 0}
    code, out, _ = run(capsys, "divisions", "import", good, "--db", db)
    assert code == 0 and "good.csv" in out

    bad = tmp_path / "bad.csv"
    bad.write_text("code_12,name,township_code_9,township_name,county_code,county_name\n"
                   "420682100902,二村,420682100,孟楼镇,420682,老河口市\n"
                   "42068210090X,坏村,420682100,孟楼镇,420682,老河口市\n", encoding="utf-8")
    code, out, err = run(capsys, "divisions", "import", bad, "--db", db)
    assert code == 2
    assert out == ""
    assert "bad.csv" in err and "3" in err and "code_12" in err
    assert "第 3 行" in err  # the default language
    assert run_json(capsys, "divisions", "list", "--parent", "420682100", "--db", db)[-1]["code"] == "420682100901"


def test_init_with_divisions_of_a_county_that_is_not_bundled(capsys, tmp_path):
    city = shared_path("data", "divisions", "shiyan_4203.csv")
    path = tmp_path / "maojian.nibi"
    result = run_json(capsys, "init", "--county", "420302", "--divisions", city, "--db", path)
    assert result["county_name"] == "茅箭区" and result["divisions_added"] > 0
    assert len(run_json(capsys, "divisions", "list", "--db", path)) == result["divisions_added"] - 1


# -- grid ------------------------------------------------------------------------------------------------------------

def test_grid_encode(capsys):
    code, out, _ = run(capsys, "grid", "encode", "116.3126", "39.9932", "--level", "5")
    assert code == 0
    assert out.strip() == grid.encode("116.3126", "39.9932", 5)
    assert out.strip().startswith("N50J47539")
    result = run_json(capsys, "grid", "encode", "111°40′30″", "32°23′", "--level", "10")
    exact = (Fraction(111) + Fraction(40, 60) + Fraction(30, 3600), Fraction(32) + Fraction(23, 60))
    assert result["code"] == grid.encode(*exact, 10)
    code, _, err = run(capsys, "grid", "encode", "111.6")
    assert code == 2 and err
    code, _, err = run(capsys, "grid", "encode", "111.6", "32.3", "--level", "11")
    assert code == 2 and "11" in err


def test_grid_encode_from_stdin(capsys, monkeypatch):
    points = [("111.675", "32.39"), ("116.3126", "39.9932"), ("-73.9857", "40.7484")]
    text = "# lon lat\n" + "\n".join(f"{lon} {lat}" for lon, lat in points) + "\n\n111.6,32.3\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))
    code, out, _ = run(capsys, "grid", "encode", "--level", "7")
    assert code == 0
    expected = [grid.encode(lon, lat, 7) for lon, lat in points] + [grid.encode("111.6", "32.3", 7)]
    assert out.split() == expected
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))
    assert run_json(capsys, "grid", "encode", "--level", "7") == expected


def test_grid_encode_bad_line_names_its_row(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("111.675 32.39\n\n111.6 abc\n111.7 32.4\n"))
    code, _, err = run(capsys, "grid", "encode")
    assert code == 2
    assert "第 3 行" in err
    monkeypatch.setattr(sys, "stdin", io.StringIO("111.675 32.39\n111.6 32.3 7\n"))
    code, _, err = run(capsys, "--lang", "en", "grid", "encode")
    assert code == 2 and "row 2" in err


def test_grid_decode(capsys, monkeypatch):
    full = grid.encode("116.3126", "39.9932", 5)
    cell = run_json(capsys, "grid", "decode", full)
    assert cell["code"] == full and cell["level"] == 5
    assert float(cell["west"]) <= 116.3126 <= float(cell["east"])
    assert float(cell["south"]) <= 39.9932 <= float(cell["north"])
    code, out, _ = run(capsys, "grid", "decode", full)
    assert code == 0 and out.startswith(full) and "L5" in out
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{full}\nN50J\n"))
    cells = run_json(capsys, "grid", "decode")
    assert [c["level"] for c in cells] == [5, 1]
    code, _, err = run(capsys, "grid", "decode", "X50J")
    assert code == 2 and "X50J" in err


# -- demo --check ----------------------------------------------------------------------------------------------------

def test_demo_check(capsys):
    code, out, err = run(capsys, "demo", "--check")
    assert code == 0, out + err
    lines = out.strip().splitlines()
    assert len(lines) >= 6 and all(line.startswith("OK") for line in lines)
    checks = run_json(capsys, "demo", "--check")
    assert all(c["ok"] for c in checks) and len(checks) == len(lines)


# -- errors ----------------------------------------------------------------------------------------------------------

def test_init_errors(capsys, tmp_path, db):
    code, _, err = run(capsys, "init", "--county", "420302", "--db", tmp_path / "x.nibi")
    assert code == 2 and "420302" in err and "--divisions" in err
    assert not (tmp_path / "x.nibi").exists()
    code, _, err = run(capsys, "init", "--county", "420682", "--db", db)  # exists already
    assert code == 2 and db.name in err
    code, _, err = run(capsys, "init", "--county", "420682")
    assert code == 2 and "--db" in err
    code, _, err = run(capsys, "init", "--county", "4206", "--db", tmp_path / "y.nibi")
    assert code == 2 and "4206" in err


def test_init_with_a_bad_divisions_file_leaves_no_registry(capsys, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("nonsense,header\n1,2\n", encoding="utf-8")
    path = tmp_path / "z.nibi"
    code, _, err = run(capsys, "init", "--county", "420302", "--divisions", bad, "--db", path)
    assert code == 2 and "bad.csv" in err
    assert not path.exists()


def test_bad_gb28181_id_in_chinese_and_english(capsys, db):
    args = ("assets", "add", "--db", db, "--type", "camera", "--name", "x", "--code", "4206820000132000000",
            "--attr", "class=A")
    code, out, err = run(capsys, *args)
    assert code == 2 and out == ""
    assert "4206820000132000000" in err and "必须正好 20 位" in err
    code, out, err = run(capsys, "--lang", "en", *args)
    assert code == 2
    assert "4206820000132000000" in err and "it must have exactly 20" in err
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in err)
    assert run_json(capsys, "assets", "search", "--db", db) == []


def test_other_bad_inputs(capsys, db):
    code, _, err = run(capsys, "assets", "show", "LHK-NOPE", "--db", db)
    assert code == 2 and "LHK-NOPE" in err
    code, _, err = run(capsys, "assets", "add", "--db", db, "--type", "camera", "--name", "x", "--attr", "class")
    assert code == 2 and "class" in err
    code, _, err = run(capsys, "assets", "add", "--db", db, "--type", "tower", "--name", "x")
    assert code == 2 and "tower" in err
    code, _, err = run(capsys, "assets", "add", "--db", db, "--type", "camera", "--name", "x", "--attr", "class=A",
                       "--lon", "113.0", "--lat", "30.5")
    assert code == 2 and "经度" in err
    add_camera(capsys, db)
    code, _, err = run(capsys, "assets", "edit", CAMERA_ID, "--db", db)
    assert code == 2 and err
    code, _, err = run(capsys, "assets", "delete", "LHK-NOPE", "--db", db)
    assert code == 2 and "LHK-NOPE" in err
    code, _, err = run(capsys, "assets", "show", "x", "--db", db.with_name("missing.nibi"))
    assert code == 2 and "missing.nibi" in err
    code, _, err = run(capsys, "assets", "frobnicate")
    assert code == 2 and err  # argparse usage error
    code, _, err = run(capsys)
    assert code == 2 and err


def test_error_of_a_missing_asset_in_english(capsys, db):
    code, _, err = run(capsys, "--lang", "en", "assets", "show", "LHK-NOPE", "--db", db)
    assert code == 2
    assert err.strip() == "error: No asset with id or code LHK-NOPE"



def test_lang_with_equals_sign(capsys):
    code, _, err = run(capsys, "--lang=en", "grid", "encode", "111.6", "abc")
    assert code == 2
    assert "cannot read" in err and "无法" not in err
