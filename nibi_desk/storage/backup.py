"""Rolling backups of a registry: SQLite online-backup copies in the data directory, pruned, listed and restored.

``backup()`` copies a registry with ``sqlite3.Connection.backup`` (a consistent snapshot even while the GUI or the
CLI writes) into ``<data dir>/backups/<stem>-<path hash>/<UTC time>-<reason>.nibi``: written under a temporary
name, checked, then renamed, so a half-written backup never looks like a real one. The newest ``keep`` (10) backups
of each registry are kept. The folder name carries a hash of the registry's absolute path so that two registries
with the same file name (``registry.nibi`` in two offices' folders) never prune each other's backups.

When: on every open of a registry by the GUI (skipped when nothing has changed since the newest backup) and before
every import (``before_import``: ledgers, bundles).

``restore()`` puts a backup back in place of a closed registry: first a backup of the current state ("before
restore", so a restore can itself be undone), then the backup is copied beside the target, its WAL mode set, the
target's WAL checkpointed and removed, and the copy renamed over the target in one step.

Photos are not in the backup: the photos folder beside the registry is content-addressed and append-only (a
photo's file name is its hash and files are never changed or removed), so every photo a restored registry refers
to is still there, and restoring the database file is enough.

These snapshots are an undo on this machine. A copy that leaves the machine (with its photos, signed, restorable into
a new registry elsewhere) is a ``backup`` bundle (nibi_desk/sync, docs/bundle.md).
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from nibi_desk import datadir
from nibi_desk.errors import RegistryError

log = logging.getLogger(__name__)

DEFAULT_KEEP = 10
SUFFIX = ".nibi"
APPLICATION_ID = 0x4E494249  # the registry's PRAGMA application_id ("NIBI"), as in storage/registry.py
_TIME_FORMAT = "%Y%m%dT%H%M%S"
_NAME = re.compile(r"^(?P<time>\d{8}T\d{6})(?:\.(?P<ms>\d{3}))?Z-(?P<reason>[a-z0-9-]+?)(?:-(?P<n>\d+))?\.nibi$")
_lock = threading.Lock()  # two backups of one registry at the same millisecond still get distinct names


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created: datetime  # UTC, from the file name
    reason: str
    size: int

    def as_json(self) -> dict:
        return {"path": str(self.path), "created": self.created.isoformat(), "reason": self.reason,
                "size": self.size}


def _registry_path(registry_or_path) -> Path:
    return Path(getattr(registry_or_path, "path", registry_or_path))


def backups_root() -> Path:
    return datadir.data_dir() / "backups"


def backup_dir(registry_or_path, root: Path | None = None) -> Path:
    """Where the backups of one registry go (not created)."""
    path = _registry_path(registry_or_path).resolve()
    digest = hashlib.sha1(os.path.normcase(str(path)).encode("utf-8")).hexdigest()[:8]
    return (root or backups_root()) / f"{path.stem}-{digest}"


def _reason(text: str) -> str:
    cleaned = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return cleaned or "manual"


def _source(registry_or_path) -> tuple[sqlite3.Connection, bool]:
    """A connection to read the registry from, and whether we opened it (and must close it)."""
    read = getattr(registry_or_path, "read", None)
    if callable(read):
        return read(), False
    path = _registry_path(registry_or_path)
    if not path.is_file():
        raise RegistryError("No registry file at {path}", path=str(path))
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
    conn.execute("PRAGMA busy_timeout = 10000")
    return conn, True


def _stamp(conn: sqlite3.Connection) -> str | None:
    """The registry's clock state: it changes with every committed write (the writer stores it in each txn)."""
    try:
        row = conn.execute("SELECT value FROM registry_meta WHERE key = 'hlc'").fetchone()
    except sqlite3.DatabaseError:
        return None
    return row[0] if row else ""


def backup(registry_or_path, reason: str, keep: int = DEFAULT_KEEP, root: Path | None = None,
           skip_if_unchanged: bool = False) -> Path:
    """Copy a registry (an open ``Registry`` or a path to a file) into its backup folder; return the new file.

    ``skip_if_unchanged``: return the newest existing backup instead when the registry has not been written since
    it was taken (on-open backups would otherwise push the useful ones out of the rolling window).
    """
    folder = backup_dir(registry_or_path, root)
    src, owned = _source(registry_or_path)
    try:
        if skip_if_unchanged:
            newest = list_backups(registry_or_path, root)
            if newest and _same_state(src, newest[0].path):
                log.info("registry unchanged since %s; no new backup", newest[0].path.name)
                return newest[0].path
        folder.mkdir(parents=True, exist_ok=True)
        with _lock:
            now = datetime.now(timezone.utc)
            base = f"{now.strftime(_TIME_FORMAT)}.{now.microsecond // 1000:03d}Z-{_reason(reason)}"
            target, n = folder / f"{base}{SUFFIX}", 1
            while target.exists():
                n += 1
                target = folder / f"{base}-{n}{SUFFIX}"
            tmp = folder / f".{target.name}.{os.getpid()}.partial"
            target.touch()  # reserve the name (inside the lock) until the rename replaces it
        try:
            _copy(src, tmp)
            os.replace(tmp, target)
        except BaseException:
            tmp.unlink(missing_ok=True)
            target.unlink(missing_ok=True)
            raise
    finally:
        if owned:
            src.close()
    log.info("backed up %s to %s (%s)", _registry_path(registry_or_path), target, reason)
    prune(registry_or_path, keep, root)
    return target


def _copy(src: sqlite3.Connection, dest_path: Path) -> None:
    """Online backup into ``dest_path``, made self-contained (rollback journal, no -wal) and checked."""
    dest_path.unlink(missing_ok=True)
    dest = sqlite3.connect(str(dest_path), isolation_level=None)
    try:
        src.backup(dest)  # all pages in one step: one consistent snapshot
        dest.execute("PRAGMA journal_mode = DELETE")
        problem = dest.execute("PRAGMA quick_check").fetchone()[0]
        if problem != "ok":
            raise RegistryError("The backup copy failed its check: {reason}", reason=problem)
    finally:
        dest.close()


def _same_state(src: sqlite3.Connection, backup_path: Path) -> bool:
    try:
        conn = sqlite3.connect(f"{backup_path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            return _stamp(conn) == _stamp(src) and _stamp(src) is not None
        finally:
            conn.close()
    except sqlite3.Error:
        return False


def before_import(registry, what: str, keep: int = DEFAULT_KEEP, root: Path | None = None) -> Path:
    """The backup every import makes first (``what``: "ledger", "bundle", …). Call it before the first write."""
    return backup(registry, f"before-{what}", keep=keep, root=root)


def on_open(registry_or_path, keep: int = DEFAULT_KEEP, root: Path | None = None) -> Path:
    """The backup made when the GUI opens a registry (none when nothing changed since the newest one)."""
    return backup(registry_or_path, "open", keep=keep, root=root, skip_if_unchanged=True)


def list_backups(registry_or_path, root: Path | None = None) -> list[BackupInfo]:
    """The backups of a registry, newest first."""
    folder = backup_dir(registry_or_path, root)
    found = []
    if folder.is_dir():
        for path in folder.glob(f"*{SUFFIX}"):
            match = _NAME.match(path.name)
            if not match:
                continue
            try:
                size = path.stat().st_size
            except OSError:
                continue
            if size == 0:  # a name reserved by a backup in progress
                continue
            created = datetime.strptime(match["time"], _TIME_FORMAT).replace(
                microsecond=int(match["ms"] or 0) * 1000, tzinfo=timezone.utc)
            found.append(BackupInfo(path, created, match["reason"], size))
    # Names sort in time order (fixed-width UTC), and a same-millisecond "-2" after its twin.
    found.sort(key=lambda b: (b.created, int(_NAME.match(b.path.name)["n"] or 1)), reverse=True)
    return found


def prune(registry_or_path, keep: int = DEFAULT_KEEP, root: Path | None = None) -> list[Path]:
    """Remove all but the newest ``keep`` backups of a registry; return the removed files."""
    removed = []
    for old in list_backups(registry_or_path, root)[max(keep, 1):]:
        try:
            old.path.unlink()
            removed.append(old.path)
        except OSError as e:  # open in another program (Windows): try again next time
            log.warning("could not remove old backup %s: %s", old.path, e)
    return removed


def check(backup_path: Path | str) -> None:
    """Raise RegistryError unless the file is a readable, intact NIBI registry."""
    path = Path(backup_path)
    if not path.is_file():
        raise RegistryError("No registry file at {path}", path=str(path))
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                raise RegistryError("{path} is not a NIBI Desk registry", path=str(path))
            problem = conn.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as e:
        raise RegistryError("{path} cannot be read as a registry: {reason}", path=str(path), reason=str(e)) from e
    if problem != "ok":
        raise RegistryError("The backup {path} is damaged: {reason}", path=str(path), reason=problem)


def restore(backup_path: Path | str, target: Path | str, keep: int = DEFAULT_KEEP, root: Path | None = None) -> Path:
    """Replace the registry file ``target`` by a backup; return the backup made of the state it replaced.

    The registry must be closed (the GUI closes it and keeps its lock, so no other NIBI Desk opens it meanwhile).
    Only the database file is restored: the photos folder is append-only, so it already holds every photo.
    """
    backup_path, target = Path(backup_path), Path(target)
    check(backup_path)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.restoring")
    tmp.unlink(missing_ok=True)
    safety = None
    try:
        # The copy first: the safety backup below prunes, and may remove the very file being restored.
        src = sqlite3.connect(f"{backup_path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            dest = sqlite3.connect(str(tmp), isolation_level=None)
            try:
                src.backup(dest)
                dest.execute("PRAGMA journal_mode = WAL")  # registries run in WAL mode (Registry.create)
            finally:
                dest.close()
        finally:
            src.close()
        if target.exists():
            safety = backup(target, "before-restore", keep=keep, root=root)
        if target.exists():
            # Fold any WAL into the file and empty it: a stale -wal beside the restored file would be replayed
            # into it on the next open.
            conn = sqlite3.connect(str(target), isolation_level=None)
            try:
                conn.execute("PRAGMA busy_timeout = 10000")
                busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
            finally:
                conn.close()
            if busy:
                raise RegistryError("{path} is still in use by another program; close it and try again",
                                    path=str(target))
        for side in ("-wal", "-shm", "-journal"):
            Path(str(target) + side).unlink(missing_ok=True)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    log.info("restored %s from %s (previous state saved as %s)", target, backup_path, safety)
    return safety
