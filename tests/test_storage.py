"""Registry files, migrations, identities (UUIDv7), the hybrid logical clock and the one writer (audit, versions)."""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nibi_desk import i18n, ids
from nibi_desk.errors import RegistryError
from nibi_desk.storage import migrations
from nibi_desk.storage.hlc import HybridClock, Stamp
from nibi_desk.storage.registry import APPLICATION_ID, Registry

COUNTY = "420682"


@pytest.fixture
def registry(tmp_path):
    reg = Registry.create(tmp_path / "r.nibi", COUNTY, actor="tester")
    yield reg
    reg.close()


def schema_of(conn: sqlite3.Connection) -> list[tuple]:
    return conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").fetchall()


def count(reg: Registry, table: str, where: str = "1", params=()) -> int:
    return reg.read().execute(f"SELECT count(*) FROM {table} WHERE {where}", params).fetchone()[0]


def camera_values(name: str = "光化街道路口监控", **more) -> dict:
    values = {"type": "camera", "name": name, "lon": 111.67, "lat": 32.38, "attrs": '{"class": "A"}'}
    values.update(more)
    return values


def insert_asset(reg: Registry, **values) -> str:
    return reg.writer.run(lambda txn: txn.insert("assets", camera_values(**values)))


# -- migrations ------------------------------------------------------------------------------------------------------

def test_migrations_apply_once_and_leave_the_schema_unchanged_when_rerun(tmp_path):
    conn = sqlite3.connect(tmp_path / "empty.db", isolation_level=None)
    try:
        assert schema_of(conn) == []
        names = [p.stem for p in migrations.migration_files()]
        assert names and names[0] == "0001_registry"
        assert migrations.apply_all(conn) == names
        assert migrations.applied(conn) == names
        tables = {r[1] for r in schema_of(conn) if r[0] == "table"}
        assert {"registry_meta", "divisions", "asset_types", "assets", "mounts", "audit", "assets_fts",
                "assets_rtree"} <= tables
        before = schema_of(conn)
        assert migrations.apply_all(conn) == []
        assert migrations.apply_all(conn) == []
        assert schema_of(conn) == before
        assert migrations.applied(conn) == names
    finally:
        conn.close()


def test_split_statements_keeps_trigger_bodies_whole():
    script = ("-- comment\nCREATE TABLE t (a);\n\nCREATE TRIGGER x AFTER INSERT ON t BEGIN\n"
              "  INSERT INTO t VALUES (1);\n  INSERT INTO t VALUES (2);\nEND;\n")
    statements = migrations.split_statements(script)
    assert len(statements) == 2
    assert statements[1].startswith("CREATE TRIGGER") and statements[1].endswith("END;")
    with pytest.raises(ValueError):
        migrations.split_statements("CREATE TABLE t (a)")


# -- create / open ---------------------------------------------------------------------------------------------------

def test_create_makes_a_registry_with_identity_and_reference_data(registry):
    conn = registry.read()
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert registry.county == COUNTY
    assert len(registry.device) == 16 and "-" not in registry.device
    assert registry.county_name == "老河口市"
    assert {r[0] for r in conn.execute("SELECT code FROM asset_types")} == {"base_station", "smart_pole", "camera"}
    assert count(registry, "divisions", "level = 'township'") == 13
    assert not Path(str(registry.path) + ".creating").exists()


def test_open_is_idempotent(tmp_path):
    path = tmp_path / "r.nibi"
    with Registry.create(path, COUNTY) as reg:
        device = reg.device
        insert_asset(reg)
        schema = schema_of(reg.read())
        meta = dict(reg.read().execute("SELECT key, value FROM registry_meta").fetchall())
    for _ in range(3):
        with Registry.open(path) as reg:
            assert reg.device == device and reg.county == COUNTY
            assert schema_of(reg.read()) == schema
            assert count(reg, "assets") == 1
            assert count(reg, "asset_types") == 3
            assert dict(reg.read().execute("SELECT key, value FROM registry_meta").fetchall()) == meta
            assert migrations.applied(reg.read()) == [p.stem for p in migrations.migration_files()]


def test_open_continues_the_clock_of_the_file(tmp_path):
    path = tmp_path / "r.nibi"
    with Registry.create(path, COUNTY) as reg:
        insert_asset(reg)
        last = reg.clock.last
    with Registry.open(path) as reg:
        row_id = insert_asset(reg, name="第二个")
        assert reg.read().execute("SELECT hlc FROM assets WHERE id = ?", (row_id,)).fetchone()[0] > last


def test_a_closed_registry_is_one_self_contained_file(tmp_path):
    path = tmp_path / "r.nibi"
    with Registry.create(path, COUNTY) as reg:
        insert_asset(reg)
        reg.read().execute("SELECT count(*) FROM assets").fetchone()  # a reader is open too
    wal = Path(str(path) + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    copy = tmp_path / "copy.nibi"
    copy.write_bytes(path.read_bytes())  # the main file alone, as a user would copy it
    with Registry.open(copy) as reg:
        assert count(reg, "assets") == 1


def test_open_and_read_a_path_with_chinese_spaces_and_uri_characters(tmp_path):
    path = tmp_path / "登记 库 #1 %20?.nibi"
    with Registry.create(path, COUNTY) as reg:
        insert_asset(reg)
    with Registry.open(path) as reg:
        assert count(reg, "assets") == 1


def test_open_of_a_plain_sqlite_file_is_refused_and_leaves_it_alone(tmp_path):
    path = tmp_path / "plain.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE x (a)")
    conn.commit()
    conn.close()
    content = path.read_bytes()
    with pytest.raises(RegistryError) as info:
        Registry.open(path)
    assert "plain.db" in str(info.value)
    i18n.set_language("en")
    assert "is not a NIBI Desk registry" in info.value.message()
    assert path.read_bytes() == content


def test_open_of_a_text_file_is_refused(tmp_path):
    path = tmp_path / "notes.nibi"
    path.write_text("这不是数据库\n" * 200, encoding="utf-8")
    with pytest.raises(RegistryError) as info:
        Registry.open(path)
    i18n.set_language("en")
    message = info.value.message()
    assert "notes.nibi" in message and "cannot be read as a registry" in message


def test_open_of_a_missing_file_is_refused(tmp_path):
    with pytest.raises(RegistryError) as info:
        Registry.open(tmp_path / "nothing.nibi")
    assert "nothing.nibi" in str(info.value)
    assert not (tmp_path / "nothing.nibi").exists()


def test_create_refuses_an_existing_path(tmp_path):
    path = tmp_path / "r.nibi"
    Registry.create(path, COUNTY).close()
    size = path.stat().st_size
    with pytest.raises(RegistryError) as info:
        Registry.create(path, COUNTY)
    assert "r.nibi" in str(info.value)
    assert path.stat().st_size == size
    other = tmp_path / "other.txt"
    other.write_text("keep me")
    with pytest.raises(RegistryError):
        Registry.create(other, COUNTY)
    assert other.read_text() == "keep me"


@pytest.mark.parametrize("county", ["42068", "4206820", "42068a", ""])
def test_create_refuses_a_bad_county_code(tmp_path, county):
    with pytest.raises(RegistryError):
        Registry.create(tmp_path / "r.nibi", county)
    assert not (tmp_path / "r.nibi").exists()


def test_create_for_a_county_that_is_not_bundled_starts_without_divisions(tmp_path):
    with Registry.create(tmp_path / "r.nibi", "420302") as reg:
        assert count(reg, "divisions") == 0
        assert reg.county_name == "420302"
        assert reg.read().execute("SELECT value FROM registry_meta WHERE key = 'extent'").fetchone() is None



def test_close_twice(tmp_path):
    reg = Registry.create(tmp_path / "r.nibi", COUNTY)
    reg.close()
    reg.close()


# -- UUIDv7 ----------------------------------------------------------------------------------------------------------

def test_uuid7_version_variant_and_strict_order_in_a_tight_loop():
    generated = [ids.uuid7() for _ in range(10_000)]
    parsed = [uuid.UUID(u) for u in generated]
    assert all(u.version == 7 for u in parsed)
    assert all(u.variant == uuid.RFC_4122 for u in parsed)
    assert all(ids.is_uuid(u) for u in generated)
    assert all(a < b for a, b in zip(generated, generated[1:]))  # as text, the form stored in SQLite
    assert all(a.int < b.int for a, b in zip(parsed, parsed[1:]))
    assert len(set(generated)) == len(generated)


def test_uuid7_timestamp_is_now():
    import time

    before = time.time_ns() // 1_000_000
    value = uuid.UUID(ids.uuid7())
    after = time.time_ns() // 1_000_000
    # The counter may borrow the next millisecond when exhausted; allow a little slack.
    assert before <= value.int >> 80 <= after + 5


def test_is_uuid():
    assert ids.is_uuid(ids.uuid7())
    assert not ids.is_uuid("not-a-uuid")
    assert not ids.is_uuid(None)
    assert ids.is_uuid(ids.uuid7().upper())  # case-insensitive, as RFC 9562 says
    assert not ids.is_uuid(ids.uuid7().replace("-", ""))  # only the canonical 36-character form
    assert not ids.is_uuid("{" + ids.uuid7() + "}")


# -- hybrid logical clock --------------------------------------------------------------------------------------------

class FakeWall:
    def __init__(self, values):
        self.values = list(values)

    def __call__(self):
        return self.values.pop(0) if len(self.values) > 1 else self.values[0]


def test_hlc_stamps_increase_even_when_the_wall_clock_goes_back():
    wall = FakeWall([1_000, 1_001, 900, 900, 500, 1_001, 1_002, 1_500, 1_400])
    clock = HybridClock("dev1", wall=wall)
    stamps = [clock.now() for _ in range(12)]
    assert all(a < b for a, b in zip(stamps, stamps[1:]))
    assert all(Stamp.parse(a) < Stamp.parse(b) for a, b in zip(stamps, stamps[1:]))
    assert Stamp.parse(stamps[-1]).wall_ms == 1_500  # never goes back to the earlier wall time


def test_hlc_resumes_from_the_last_stamp():
    clock = HybridClock("dev1", last="0000000005000-00007-dev1", wall=lambda: 10)
    assert Stamp.parse(clock.now()) == Stamp(5000, 8, "dev1")


def test_hlc_observe_of_a_remote_future_stamp():
    clock = HybridClock("local", wall=lambda: 1_000)
    first = clock.now()
    remote = str(Stamp(9_999_999, 42, "remote"))
    clock.observe(remote)
    after = clock.now()
    assert after > remote and Stamp.parse(after) > Stamp.parse(remote)
    assert after > first
    # Observing an older stamp changes nothing.
    clock.observe(str(Stamp(5, 0, "old")))
    assert clock.now() > after


def test_hlc_refuses_device_ids_with_dashes_and_bad_stamps():
    with pytest.raises(ValueError):
        HybridClock("a-b")
    for bad in ("", "123-00001-dev", "0000000000001-1-dev", "0000000000001-00001-"):
        with pytest.raises(ValueError):
            Stamp.parse(bad)


def test_hlc_counter_overflow_keeps_stamps_fixed_width_and_ordered():
    # A wall clock stuck behind the last stamp (set back, or after observing a remote stamp from a fast clock)
    # makes every stamp use the counter. 100,000+ writes must not break the fixed-width format.
    clock = HybridClock("dev", wall=lambda: 1_000)
    previous = clock.now()
    for _ in range(100_001):
        current = clock.now()
        assert len(current) == len(previous) and current > previous
        previous = current
    assert Stamp.parse(current).wall_ms > 1_000


def test_hlc_observe_of_a_stamp_with_a_full_counter():
    clock = HybridClock("local", wall=lambda: 1_000)
    remote = str(Stamp(2_000, 99_999, "remote"))
    clock.observe(remote)
    after = clock.now()
    assert after > remote and len(after) == len(str(Stamp(2_000, 0, "local")))
    Stamp.parse(after)


devices = st.text(alphabet="0123456789abcdef", min_size=1, max_size=16)
stamps = st.builds(Stamp, st.integers(0, 10**13 - 1), st.integers(0, 10**5 - 1), devices)


@given(stamps, stamps)
def test_stamp_string_order_equals_stamp_order(a, b):
    assert (str(a) < str(b)) == (a < b)
    assert (str(a) == str(b)) == (a == b)
    assert Stamp.parse(str(a)) == a


# -- the writer: audit and per-field versions -----------------------------------------------------------------------

def audit_rows(reg: Registry, row_id: str) -> list[dict]:
    return [dict(r) for r in reg.read().execute("SELECT * FROM audit WHERE row_id = ? ORDER BY hlc, id", (row_id,))]


def test_insert_writes_an_audit_row(registry):
    row_id = insert_asset(registry, code="42068200001320000001")
    (entry,) = audit_rows(registry, row_id)
    assert entry["action"] == "insert"
    assert entry["actor"] == "tester"
    assert entry["device"] == registry.device
    assert entry["tbl"] == "assets"
    changes = json.loads(entry["changes"])
    assert changes["name"] == [None, "光化街道路口监控"]
    assert changes["code"] == [None, "42068200001320000001"]
    row = registry.read().execute("SELECT * FROM assets WHERE id = ?", (row_id,)).fetchone()
    assert row["created_hlc"] == row["hlc"] == entry["hlc"]
    assert json.loads(row["field_hlc"]) == {}


def test_update_audits_changed_fields_only_and_versions_them(registry):
    row_id = insert_asset(registry, address="胜利路1号")
    created = registry.read().execute("SELECT created_hlc FROM assets WHERE id = ?", (row_id,)).fetchone()[0]

    diff = registry.writer.run(lambda txn: txn.update("assets", row_id, {
        "name": "新名称", "address": "胜利路1号", "status": "faulty"}))
    assert diff == {"name": ["光化街道路口监控", "新名称"], "status": ["in_service", "faulty"]}
    entries = audit_rows(registry, row_id)
    assert [e["action"] for e in entries] == ["insert", "update"]
    update = entries[1]
    assert json.loads(update["changes"]) == diff  # address did not change: not in the audit
    assert update["actor"] == "tester" and update["device"] == registry.device and update["tbl"] == "assets"

    row = registry.read().execute("SELECT * FROM assets WHERE id = ?", (row_id,)).fetchone()
    versions = json.loads(row["field_hlc"])
    assert versions == {"name": update["hlc"], "status": update["hlc"]}
    assert row["created_hlc"] == created and row["hlc"] == update["hlc"] > created

    # A later change of one field moves only that field's stamp.
    registry.writer.run(lambda txn: txn.update("assets", row_id, {"status": "in_service"}))
    row = registry.read().execute("SELECT * FROM assets WHERE id = ?", (row_id,)).fetchone()
    later = json.loads(row["field_hlc"])
    assert later["name"] == update["hlc"]
    assert later["status"] > update["hlc"]
    assert row["created_hlc"] == created


def test_update_with_identical_values_writes_nothing(registry):
    row_id = insert_asset(registry)
    before_row = dict(registry.read().execute("SELECT * FROM assets WHERE id = ?", (row_id,)).fetchone())
    audits = count(registry, "audit")
    diff = registry.writer.run(lambda txn: txn.update("assets", row_id, {"name": "光化街道路口监控", "lon": 111.67}))
    assert diff == {}
    assert count(registry, "audit") == audits
    assert dict(registry.read().execute("SELECT * FROM assets WHERE id = ?", (row_id,)).fetchone()) == before_row


def test_delete_is_a_tombstone(registry):
    row_id = insert_asset(registry)
    assert registry.writer.run(lambda txn: txn.delete("assets", row_id)) is True
    row = registry.read().execute("SELECT * FROM assets WHERE id = ?", (row_id,)).fetchone()
    assert row is not None and row["deleted"] == 1
    entries = audit_rows(registry, row_id)
    assert entries[-1]["action"] == "delete"
    assert json.loads(entries[-1]["changes"]) == {"deleted": [0, 1]}
    assert "deleted" in json.loads(row["field_hlc"])
    # Deleting again changes nothing; restoring is audited as a restore.
    assert registry.writer.run(lambda txn: txn.delete("assets", row_id)) is False
    registry.writer.run(lambda txn: txn.update("assets", row_id, {"deleted": 0}))
    assert audit_rows(registry, row_id)[-1]["action"] == "restore"


def test_writer_refuses_unknown_fields_and_unversioned_tables(registry):
    from nibi_desk.errors import NotFound, ValidationError

    with pytest.raises(ValidationError) as info:
        registry.writer.run(lambda txn: txn.insert("assets", {**camera_values(), "colour": "red"}))
    assert info.value.where.field == "colour"
    with pytest.raises(ValueError):
        registry.writer.run(lambda txn: txn.insert("divisions", {"code": "x"}))
    with pytest.raises(ValidationError):
        registry.writer.run(lambda txn: txn.update("assets", "x", {"id": "other"}))  # system columns are not fields
    with pytest.raises(NotFound):
        registry.writer.run(lambda txn: txn.update("assets", ids.uuid7(), {"name": "x"}))
    assert count(registry, "assets") == 0 and count(registry, "audit") == 0


def test_changed_reports_tables_and_rows_to_listeners(registry):
    seen = []
    registry.writer.listeners.append(seen.append)
    row_id = insert_asset(registry)
    registry.writer.listeners.append(lambda changed: 1 / 0)  # a broken listener does not fail the write
    insert_asset(registry, name="二")
    assert seen[0].touches("assets") and row_id in seen[0].rows["assets"]
    assert not seen[0].touches("mounts")
    assert count(registry, "assets") == 2


def test_the_read_connection_cannot_write(registry):
    conn = registry.read()
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        conn.execute("INSERT INTO registry_meta (key, value) VALUES ('x', 'y')")
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        conn.execute("UPDATE registry_meta SET value = 'x' WHERE key = 'county'")
    assert registry.county == COUNTY
    assert conn.execute("SELECT value FROM registry_meta WHERE key = 'county'").fetchone()[0] == COUNTY


def test_reads_are_per_thread(registry):
    conns = []
    thread = threading.Thread(target=lambda: conns.append(registry.read()))
    thread.start()
    thread.join()
    assert conns[0] is not registry.read()
    assert registry.read() is registry.read()


# -- atomicity -------------------------------------------------------------------------------------------------------

class Boom(Exception):
    pass


def test_a_failing_write_function_leaves_nothing(registry):
    insert_asset(registry, name="已有")
    assets_before, audit_before = count(registry, "assets"), count(registry, "audit")
    hlc_before = registry.read().execute("SELECT value FROM registry_meta WHERE key = 'hlc'").fetchone()[0]

    def write(txn):
        txn.insert("assets", camera_values(name="不应留下"))
        txn.execute("INSERT INTO registry_meta (key, value) VALUES ('junk', '1')")
        raise Boom()

    with pytest.raises(Boom):
        registry.writer.run(write)
    assert count(registry, "assets") == assets_before == 1
    assert count(registry, "audit") == audit_before == 1
    assert count(registry, "registry_meta", "key = 'junk'") == 0
    assert registry.read().execute("SELECT value FROM registry_meta WHERE key = 'hlc'").fetchone()[0] == hlc_before
    # The FTS index did not keep the row either, and the writer still works.
    assert registry.read().execute(
        "SELECT count(*) FROM assets_fts WHERE assets_fts MATCH '\"不应留下\"'").fetchone()[0] == 0
    insert_asset(registry, name="之后")
    assert count(registry, "assets") == 2


def test_a_failing_bulk_insert_leaves_nothing(registry):
    assets_before, audit_before = count(registry, "assets"), count(registry, "audit")
    columns = ["type", "name", "lon", "lat", "attrs"]
    rows = [("camera", f"批量{i}", 111.5 + i / 10_000, 32.3, '{"class": "B"}') for i in range(1_000)]

    def write(txn):
        n = txn.bulk_insert("assets", columns, rows)
        assert n == 1_000
        assert txn.conn.execute("SELECT count(*) FROM assets").fetchone()[0] == assets_before + 1_000
        raise Boom()

    with pytest.raises(Boom):
        registry.writer.run(write)
    assert count(registry, "assets") == assets_before
    assert count(registry, "audit") == audit_before
    assert registry.read().execute("SELECT count(*) FROM assets_rtree").fetchone()[0] == 0


def test_bulk_insert_writes_rows_and_audit(registry):
    columns = ["type", "name", "lon", "lat", "attrs"]
    rows = [("camera", f"批量{i}", 111.5 + i / 10_000, 32.3, '{"class": "B"}') for i in range(1_000)]
    assert registry.writer.run(lambda txn: txn.bulk_insert("assets", columns, rows)) == 1_000
    assert count(registry, "assets") == 1_000
    assert count(registry, "audit", "action = 'insert' AND tbl = 'assets'") == 1_000
    assert registry.read().execute(
        "SELECT count(*) FROM assets a JOIN audit u ON u.row_id = a.id AND u.hlc = a.created_hlc").fetchone()[0] == 1_000


# -- concurrency -----------------------------------------------------------------------------------------------------

def test_writes_from_four_threads_all_land_serialised(registry):
    errors, per_thread = [], 25

    def work(t):
        try:
            for i in range(per_thread):
                insert_asset(registry, name=f"线程{t}-{i}")
        except Exception as e:  # noqa: BLE001 - collected and asserted below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert count(registry, "assets") == 4 * per_thread
    assert count(registry, "audit") == 4 * per_thread
    stamps = [r[0] for r in registry.read().execute("SELECT hlc FROM assets ORDER BY seq")]
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)  # one writer: one stamp per transaction


def test_two_registries_on_one_file_from_four_threads(tmp_path):
    """Separate writers on the same file (e.g. the GUI and a script) wait for each other instead of failing."""
    path = tmp_path / "r.nibi"
    Registry.create(path, COUNTY).close()
    registries = [Registry.open(path), Registry.open(path)]
    errors = []

    def work(t):
        try:
            for i in range(20):
                insert_asset(registries[t % 2], name=f"并发{t}-{i}")
        except Exception as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    try:
        assert errors == []
        assert count(registries[0], "assets") == 80
        assert count(registries[1], "audit") == 80
    finally:
        for reg in registries:
            reg.close()
