"""Rolling registry backups: made before an import, pruned to N, listed newest first, restored exactly."""

from __future__ import annotations

import hashlib
import sqlite3
import time
from pathlib import Path

import pytest

from nibi_desk import datadir
from nibi_desk.commands.assets import add_asset
from nibi_desk.context import Context
from nibi_desk.errors import ImportFailed, RegistryError
from nibi_desk.interop import ledger
from nibi_desk.interop.ledger import Options
from nibi_desk.storage import backup
from nibi_desk.storage.registry import Registry
from tests import interop_ledgers as L

def dump(path) -> str:
    """Every table's rows, in order: the registry's exact state (independent of page layout and journal mode)."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        digest = hashlib.sha256()
        for line in conn.iterdump():
            digest.update(line.encode("utf-8"))
        return digest.hexdigest()
    finally:
        conn.close()


def count(path, sql="SELECT count(*) FROM assets") -> int:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


@pytest.fixture
def registry(tmp_path):
    with Registry.create(tmp_path / "office" / "r.nibi", L.COUNTY, actor="tester") as r:
        yield r


def test_backups_go_to_the_data_directory_under_the_registry_name(registry):
    made = backup.backup(registry, "manual")
    assert made.parent.parent == datadir.data_dir() / "backups"
    assert made.parent.name.startswith("r-") and made.suffix == ".nibi"
    assert made.name.endswith("Z-manual.nibi")
    assert not list(made.parent.glob(".*")), "no temporary file left behind"
    backup.check(made)
    assert sqlite3.connect(made).execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one file, no -wal
    [info] = backup.list_backups(registry)
    assert info.path == made and info.reason == "manual" and info.size == made.stat().st_size


def test_two_registries_with_the_same_name_keep_separate_backups(tmp_path, registry):
    other = Registry.create(tmp_path / "elsewhere" / "r.nibi", L.COUNTY)
    try:
        backup.backup(registry, "a")
        backup.backup(other, "b")
        assert [b.reason for b in backup.list_backups(registry)] == ["a"]
        assert [b.reason for b in backup.list_backups(other)] == ["b"]
    finally:
        other.close()


def test_a_ledger_import_makes_a_backup_first_and_restoring_it_returns_the_exact_prior_state(registry, tmp_path):
    path = registry.path
    add_asset(Context(registry), {"type": "camera", "name": "人民路口枪机", "code": L.ID.format(30), "lon": 111.675,
                                  "lat": 32.385, "division": "420682001", "attrs": {"class": "A"}})
    registry.close()
    before = dump(path)
    assert count(path) == 1

    with Registry.open(path, actor="tester") as r:
        source = L.write_xlsx(tmp_path / "台账.xlsx")
        result = ledger.apply(r, ledger.plan(r, source, Options(type_code="camera")), "valid-only")
        assert result.inserted == 5
        made = backup.list_backups(r)
    assert [b.reason for b in made] == ["before-ledger"], "exactly one backup, made by the import"
    assert count(path) == 6 and dump(path) != before
    assert dump(made[0].path) == before, "the backup holds the state just before the import"

    safety = backup.restore(made[0].path, path)
    assert dump(path) == before and count(path) == 1
    assert safety is not None and safety.name.endswith("-before-restore.nibi") and count(safety) == 6
    with Registry.open(path) as r:  # and it is a working registry again, in WAL mode
        assert r.read().execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert r.county == L.COUNTY


def test_an_import_that_writes_nothing_makes_no_backup(registry, tmp_path):
    source = L.write_xlsx(tmp_path / "台账.xlsx")
    with pytest.raises(ImportFailed):  # all-or-nothing with errors: nothing is written
        ledger.apply(registry, ledger.plan(registry, source, Options(type_code="camera")))
    assert backup.list_backups(registry) == []


def test_only_the_newest_n_are_kept(registry):
    made = [backup.backup(registry, f"n{i}", keep=3) for i in range(5)]
    kept = backup.list_backups(registry)
    assert [b.path for b in kept] == made[:1:-1] and len(kept) == 3
    assert not made[0].exists() and not made[1].exists()


def test_on_open_skips_when_nothing_changed(registry):
    first = backup.on_open(registry.path)
    assert backup.on_open(registry.path) == first
    registry.writer.run(lambda txn: txn.execute("UPDATE registry_meta SET value = value WHERE key = 'county'"))
    time.sleep(0.002)
    assert backup.on_open(registry.path) != first
    assert len(backup.list_backups(registry)) == 2


def test_restore_refuses_a_file_that_is_not_a_registry(registry, tmp_path):
    junk = tmp_path / "junk.nibi"
    junk.write_bytes(b"not a database at all" * 100)
    before = dump(registry.path)
    with pytest.raises(RegistryError):
        backup.restore(junk, registry.path)
    other = tmp_path / "plain.nibi"
    sqlite3.connect(other).execute("CREATE TABLE t (x)")
    with pytest.raises(RegistryError) as refused:
        backup.restore(other, registry.path)
    assert refused.value.template == "{path} is not a NIBI Desk registry"
    assert dump(registry.path) == before


def test_restore_survives_a_stale_wal_beside_the_target(registry, tmp_path):
    """A restored file must not have the old registry's WAL replayed into it."""
    made = backup.backup(registry, "manual")
    before = dump(made)
    registry.writer.run(lambda txn: txn.execute("INSERT INTO registry_meta (key, value) VALUES ('x', 'y')"))
    wal = Path(str(registry.path) + "-wal")
    stale = wal.read_bytes()  # the WAL as a crashed process would have left it
    assert stale
    registry.close()
    wal.write_bytes(stale)
    backup.restore(made, registry.path)
    assert dump(registry.path) == before


def test_names_sort_by_time_even_within_one_millisecond(registry):
    made = [backup.backup(registry, "same", keep=50) for _ in range(4)]
    assert [b.path for b in backup.list_backups(registry)] == made[::-1]
