"""Fault injection: the importing process is killed (SIGKILL) at many moments; the registry must pass
PRAGMA integrity_check and hold exactly the state before the import or after it — never a mix."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest

from nibi_desk.commands.assets import edit_asset
from nibi_desk.sync import export
from tests.sync_helpers import bulk_poles, data_view, introduce, make, poles

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")

IMPORTER = textwrap.dedent("""
    import sys
    from nibi_desk.context import Context
    from nibi_desk.storage.registry import Registry
    from nibi_desk.sync import apply
    registry = Registry.open(sys.argv[1])
    print("ready", flush=True)
    apply.import_bundle(Context(registry), sys.argv[2])
    registry.close()
    print("done", flush=True)
""")


def view(path) -> tuple:
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        counts = tuple(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("audit", "exchanges"))
    finally:
        conn.close()
    return data_view(path), counts


def run_import(db, bundle, env, kill_after: float | None):
    proc = subprocess.Popen([sys.executable, "-c", IMPORTER, str(db), str(bundle)], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "ready"
    started = time.perf_counter()
    if kill_after is None:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        return time.perf_counter() - started
    time.sleep(kill_after)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    return None


def test_sigkill_during_import_leaves_before_or_after(tmp_path):
    office, octx = make(tmp_path, "office")
    receiver, rctx = make(tmp_path, "receiver")
    introduce(octx, rctx)
    ids = poles(octx, 40)
    first = export.export_bundle(octx, tmp_path / "first.nibx", "rollup")
    from nibi_desk.sync import apply

    apply.import_bundle(rctx, first.path)
    for asset_id in ids[:20]:  # edits on both sides: updates and conflicts in the bundle
        edit_asset(octx, asset_id, {"notes": "县里改"})
    for asset_id in ids[10:30]:
        edit_asset(rctx, asset_id, {"notes": "本地改"})
    bulk_poles(office, 3000, prefix="新杆")
    bundle = export.export_bundle(octx, tmp_path / "second.nibx", "rollup").path
    office.close()
    receiver.close()
    baseline = tmp_path / "baseline.nibi"
    shutil.copy(receiver.path, baseline)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(os.getcwd()), os.environ.get("PYTHONPATH")]))}

    before = view(baseline)
    done = tmp_path / "done.nibi"
    shutil.copy(baseline, done)
    duration = run_import(done, bundle, env, None)
    after = view(done)
    assert before != after
    outcomes = {"before": 0, "after": 0}
    for i in range(10):
        db = tmp_path / f"killed{i}.nibi"
        shutil.copy(baseline, db)
        run_import(db, bundle, env, duration * (i + 0.5) / 10)
        state = view(db)  # opening also recovers the WAL, as the next start of the program would
        assert state in (before, after), f"kill point {i}: a mix of before and after"
        outcomes["before" if state == before else "after"] += 1
    assert outcomes["before"] >= 1  # some kills landed before the commit
