"""`nibi bundle …` and `nibi devices …` as an office scripts them."""

from __future__ import annotations

import json

from nibi_desk import i18n
from nibi_desk.cli.main import main
from tests.sync_helpers import make, poles


def run(capsys, *args) -> dict | list:
    assert main(["--lang", "en", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_cli_round_trip(tmp_path, capsys):
    office, octx = make(tmp_path, "office")
    poles(octx, 4)
    city, _c = make(tmp_path, "city", county="420600")
    office.close()
    city.close()
    o, c = ["--db", str(tmp_path / "office.nibi")], ["--db", str(tmp_path / "city.nibi")]
    card = run(capsys, "devices", "card", *o, "--output", str(tmp_path / "office.nibikey"), "--role", "office")
    assert card["device"] and len(card["public_key"]) == 64
    run(capsys, "devices", "card", *c, "--output", str(tmp_path / "city.nibikey"))
    run(capsys, "devices", "enroll", str(tmp_path / "office.nibikey"), *c)
    enrolled = run(capsys, "devices", "enroll", card["qr"], *c)  # the QR text works as well (same key: no-op)
    assert enrolled["device"] == card["device"]
    run(capsys, "devices", "enroll", str(tmp_path / "city.nibikey"), *o, "--name", "襄阳市")
    assert [d["name"] for d in run(capsys, "devices", "list", *o)] == ["襄阳市"]

    out = run(capsys, "bundle", "export", "rollup", str(tmp_path / "up"), *o, "--to", "襄阳市")
    assert out["path"].endswith("up.nibx") and out["counts"]["assets"] == 4 and out["since"] is None
    info = run(capsys, "bundle", "inspect", out["path"])
    assert info["kind"] == "rollup" and info["counts"]["assets"] == 4
    dry = run(capsys, "bundle", "import", out["path"], *c, "--dry-run")
    assert dry["totals"]["new"] >= 4
    done = run(capsys, "bundle", "import", out["path"], *c)
    assert done["totals"]["new"] == dry["totals"]["new"]
    again = run(capsys, "bundle", "export", "rollup", str(tmp_path / "up2.nibx"), *o, "--to", "襄阳市")
    assert again["since"] == out["watermark"] and again["counts"]["assets"] == 0
    history = run(capsys, "bundle", "history", *c)
    assert history[0]["direction"] == "import" and history[0]["status"] == "applied"
    assert run(capsys, "bundle", "conflicts", *c) == []
    assert run(capsys, "devices", "peers", *o)[0]["sent_watermark"] == again["watermark"]
    run(capsys, "devices", "revoke", "襄阳市", *o)
    assert run(capsys, "devices", "list", *o)[0]["revoked"] == 1

    backup = run(capsys, "bundle", "export", "backup", str(tmp_path / "b.nibx"), *o)
    restored = run(capsys, "bundle", "restore", backup["path"], "--to", str(tmp_path / "restored.nibi"))
    assert restored["totals"]["new"] >= 4


def test_cli_refusal_exits_2_with_the_reason(tmp_path, capsys):
    office, _o = make(tmp_path, "office")
    office.close()
    bad = tmp_path / "bad.nibx"
    bad.write_bytes(b"nope")
    assert main(["--lang", "en", "bundle", "import", str(bad), "--db", str(tmp_path / "office.nibi")]) == 2
    assert "not a bundle" in capsys.readouterr().err
    i18n.set_language("zh_CN")
