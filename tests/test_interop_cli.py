"""`nibi import ledger` and `nibi export`, in-process; and the writer-side cancel of a long import."""

from __future__ import annotations

import json
import time

import pytest

from nibi_desk.cli.main import main
from nibi_desk.interop.progress import Cancelled, on_writer
from nibi_desk.storage import assets
from nibi_desk.storage.registry import Registry
from tests import interop_ledgers as L


def run(capsys, *argv) -> tuple[int, str, str]:
    capsys.readouterr()
    try:
        code = main([str(a) for a in argv])
    except SystemExit as e:
        code = e.code
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def db(tmp_path, capsys):
    path = tmp_path / "cli.nibi"
    assert run(capsys, "init", "--county", L.COUNTY, "--db", path)[0] == 0
    return path


def test_import_dry_run_then_valid_only_then_export(capsys, db, tmp_path):
    ledger_file = L.write_xlsx(tmp_path / "ledger.xlsx")
    code, out, err = run(capsys, "--lang", "en", "import", "ledger", ledger_file, "--type", "camera", "--db", db,
                         "--dry-run", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["counts"] == {"new": 5, "update": 0, "unchanged": 0, "duplicate": 0, "error": 6, "blank": 1}
    assert report["header_row"] == 3 and "result" not in report
    row6 = next(r for r in report["rows"] if r["row"] == 6)
    assert row6["outcome"] == "error" and "lost digits" in row6["reasons"][0]

    code, out, err = run(capsys, "import", "ledger", ledger_file, "--type", "camera", "--db", db)
    assert code == 2 and "6" in err  # all or nothing: refused, nothing written
    errors = tmp_path / "errors.xlsx"
    code, out, err = run(capsys, "--lang", "zh_CN", "import", "ledger", ledger_file, "--type", "camera", "--db", db,
                         "--mode", "valid-only", "--errors", errors)
    assert code == 0, err
    assert "第 6 行" in out and errors.exists() and str(errors) in out

    code, out, err = run(capsys, "import", "ledger", ledger_file, "--type", "camera", "--db", db,
                         "--mode", "valid-only", "--json", "--map", "address=", "--set", "owner=县公安局")
    result = json.loads(out)["result"]
    assert (result["inserted"], result["updated"]) == (0, 5)  # the owner is new on every matched camera

    out_file = tmp_path / "cams.gpkg"
    code, out, err = run(capsys, "export", "gpkg", "--out", out_file, "--db", db, "--srs", "4490", "--json")
    assert code == 0, err
    assert json.loads(out)["count"] == 5 and out_file.exists()
    code, out, err = run(capsys, "export", "xlsx", "--out", tmp_path / "x.xlsx", "--db", db, "--township",
                         "420682001", "--type", "camera")
    assert code == 0 and "x.xlsx" in out
    code, out, err = run(capsys, "export", "csv", "--out", tmp_path / "x.csv", "--db", db, "--bbox", "1,2,3")
    assert code == 2 and "--bbox" in err


def test_a_cancelled_import_transaction_rolls_back(tmp_path):
    with Registry.create(tmp_path / "r.nibi", L.COUNTY) as registry:
        def slow(txn, reporter):
            txn.insert("assets", {"type": "camera", "name": "会被撤销", "attrs": "{}"})
            for i in range(1000):
                reporter.report(i, 1000, "working")
                time.sleep(0.01)

        steps = on_writer(registry, slow)
        assert next(steps)[2] in ("working", "")
        steps.close()  # the GUI's cancel
        assert assets.count(registry.read()) == 0

        def fails(txn, reporter):
            reporter.cancel.set()
            reporter.report(0, 1)

        with pytest.raises(Cancelled):
            list(on_writer(registry, fails))
