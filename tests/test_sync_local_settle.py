"""A local edit made while a merge conflict is open settles it: the new version knows every candidate, so the merge
on every other registry closes the conflict; the registry that made the edit must close its own entry too, or the
registries never agree on which conflicts are open."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from nibi_desk.sync import apply, export
from tests.sync_helpers import introduce, make, poles


def _open(path: Path) -> list[tuple]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT field, status FROM conflicts ORDER BY field, status").fetchall()
    finally:
        conn.close()


def _pair(tmp_path: Path):
    (ra, a), (rb, b) = make(tmp_path, "a"), make(tmp_path, "b")
    introduce(a, b)
    (asset,) = poles(a, 1)
    apply.import_bundle(b, export.export_bundle(a, tmp_path / "seed.nibx", "rollup").path)
    return (ra, a), (rb, b), asset


def _sync(tmp_path: Path, src, dst, n: int) -> None:
    apply.import_bundle(dst, export.export_bundle(src, tmp_path / f"x{n}.nibx", "rollup", full=True).path)


def test_local_edit_of_the_conflicting_field_settles_it_everywhere(tmp_path):
    (ra, a), (rb, b), asset = _pair(tmp_path)
    ra.writer.run(lambda txn: txn.update("assets", asset, {"name": "甲"}))
    rb.writer.run(lambda txn: txn.update("assets", asset, {"name": "乙"}))
    _sync(tmp_path, a, b, 1)
    assert _open(rb.path) == [("name", "open")]
    # the person on b types a third name instead of using the conflicts view
    rb.writer.run(lambda txn: txn.update("assets", asset, {"name": "丙"}))
    assert _open(rb.path) == [("name", "superseded")]
    # an edit of another field leaves a field's conflict alone (checked on a fresh conflict below)
    _sync(tmp_path, b, a, 2)
    _sync(tmp_path, a, b, 3)
    for r in (ra, rb):
        assert r.read().execute("SELECT name FROM assets WHERE id = ?", (asset,)).fetchone()[0] == "丙"
        assert ("name", "open") not in _open(r.path)


def test_edit_of_another_field_keeps_a_field_conflict_but_settles_a_deletion_conflict(tmp_path):
    (ra, a), (rb, b), asset = _pair(tmp_path)
    ra.writer.run(lambda txn: txn.update("assets", asset, {"name": "甲"}))
    rb.writer.run(lambda txn: txn.update("assets", asset, {"name": "乙"}))
    _sync(tmp_path, a, b, 1)
    rb.writer.run(lambda txn: txn.update("assets", asset, {"notes": "备注"}))
    assert _open(rb.path) == [("name", "open")]
    # deletion on a, an edit on b: b shows the row and holds a 'deleted' conflict
    ra.writer.run(lambda txn: txn.delete("assets", asset))
    rb.writer.run(lambda txn: txn.update("assets", asset, {"status": "faulty"}))
    _sync(tmp_path, a, b, 2)
    assert ("deleted", "open") in _open(rb.path)
    # any later edit on b was made knowing the deletion and keeps the row: the liveness conflict is settled
    rb.writer.run(lambda txn: txn.update("assets", asset, {"notes": "仍在用"}))
    assert ("deleted", "open") not in _open(rb.path)
    assert ("deleted", "superseded") in _open(rb.path)
    _sync(tmp_path, b, a, 3)
    assert ("deleted", "open") not in _open(ra.path)
    assert ra.read().execute("SELECT deleted FROM assets WHERE id = ?", (asset,)).fetchone()[0] == 0
