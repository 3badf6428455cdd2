"""A registry file: create or open it, its identity (county, replica device), read connections and the writer."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from nibi_desk import ids
from nibi_desk.errors import RegistryError
from nibi_desk.storage import chars, migrations, reference
from nibi_desk.storage.hlc import HybridClock
from nibi_desk.storage.writer import Writer

APPLICATION_ID = 0x4E494249  # "NIBI": marks the file as a NIBI registry (PRAGMA application_id)


def _connect(path: Path, readonly: bool = False) -> sqlite3.Connection:
    if readonly:
        # Read connections cannot write at all: every change must go through the one writer.
        # check_same_thread=False only so that close() can close every thread's connection; each connection is
        # still used by one thread alone (thread-local in Registry.read).
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None,
                               check_same_thread=False)
    else:
        conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=True)
        chars.register(conn)  # the search-index triggers call it
    conn.row_factory = sqlite3.Row
    if readonly:
        conn.execute("PRAGMA cache_size = -32768")  # 32 MB per reading thread keeps hot index pages of 1M assets
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 10000")
    return conn


class Registry:
    """An open registry. Reads use per-thread read-only connections; writes go through ``writer``."""

    def __init__(self, path: Path, actor: str | None = None):
        self.path = Path(path)
        self.actor = actor
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        meta = dict(self.read().execute("SELECT key, value FROM registry_meta").fetchall())
        self.county: str = meta["county"]
        self.device: str = meta["device"]
        self.clock = HybridClock(self.device, meta.get("hlc"))
        self.writer = Writer(lambda: _connect(self.path), self.clock, lambda: self.actor)

    # -- lifecycle ---------------------------------------------------------------------------------------------
    @classmethod
    def create(cls, path: Path | str, county: str, actor: str | None = None) -> Registry:
        """Create a new registry file for a county (6-digit GB/T 2260 code)."""
        path = Path(path)
        if path.exists():
            raise RegistryError("{path} already exists; open it or choose another file name", path=str(path))
        if len(county) != 6 or not county.isdigit():
            raise RegistryError("County code must be 6 digits (GB/T 2260), got {code}", code=county)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".creating")
        tmp.unlink(missing_ok=True)
        conn = _connect(tmp)
        try:
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            migrations.apply_all(conn)
            conn.execute("BEGIN")
            # The registry's device id doubles as the replica id in version stamps: hex without dashes.
            device = ids.uuid7().replace("-", "")[-16:]
            conn.executemany("INSERT INTO registry_meta (key, value) VALUES (?, ?)",
                             [("county", county), ("device", device), ("created", ids.uuid7())])
            reference.load_asset_types(conn)
            reference.load_templates(conn)
            reference.load_bundled_divisions(conn, county)
            conn.execute("COMMIT")
            conn.execute("PRAGMA journal_mode = WAL")
        finally:
            conn.close()
        tmp.rename(path)  # a half-created registry never sits under the real name
        return cls(path, actor)

    @classmethod
    def open(cls, path: Path | str, actor: str | None = None) -> Registry:
        path = Path(path)
        if not path.is_file():
            raise RegistryError("No registry file at {path}", path=str(path))
        try:
            conn = _connect(path)
            try:
                app_id = conn.execute("PRAGMA application_id").fetchone()[0]
                if app_id != APPLICATION_ID:
                    raise RegistryError("{path} is not a NIBI Desk registry", path=str(path))
                migrations.apply_all(conn)
                conn.execute("BEGIN")
                reference.load_asset_types(conn)  # reference data updates with the program
                reference.load_templates(conn)
                conn.execute("COMMIT")
            finally:
                conn.close()
        except sqlite3.DatabaseError as e:
            raise RegistryError("{path} cannot be read as a registry: {reason}", path=str(path), reason=str(e)) from e
        return cls(path, actor)

    def close(self) -> None:
        # Readers first: the last connection to close checkpoints the WAL into the file, and only the writer's
        # connection can do that (read-only ones cannot), so a closed registry is one self-contained file.
        for conn in self._readers:
            conn.close()
        self._readers.clear()
        self._local = threading.local()
        self.writer.close()

    def __enter__(self) -> Registry:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- reading -----------------------------------------------------------------------------------------------
    def read(self) -> sqlite3.Connection:
        """This thread's read-only connection (SQLite connections must not be shared across threads)."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = _connect(self.path, readonly=True)
            self._readers.append(conn)
        return conn

    @property
    def county_name(self) -> str:
        row = self.read().execute("SELECT name FROM divisions WHERE code = ?", (self.county + "000000",)).fetchone()
        return row[0] if row else self.county
