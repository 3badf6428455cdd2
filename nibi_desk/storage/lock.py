"""One NIBI Desk window per registry: an OS file lock on ``<registry>.lock``, with who holds it written inside.

The GUI takes the lock when it opens a registry and keeps it until it closes it (also across a restore from a
backup). A second GUI, in the same or another process, on this or another computer sharing the folder, is refused
with a message naming the holder (host, process id, user, since when), read from the lock file.

The lock is ``fcntl.flock`` on POSIX and ``msvcrt.locking`` on Windows: the operating system drops it when the
process dies, so a crash never leaves a registry locked (the stale text left in the file is simply overwritten).
On Windows the locked byte lies far past the text, because a region locked by one process cannot be read by
another and the refusal must be able to say who holds it.

The command line (``nibi``) does not take this lock: it may read a registry that the GUI has open, and its writes
are serialized with the GUI's by SQLite itself (one ``BEGIN IMMEDIATE`` writer at a time, WAL readers never block),
which is what scripted offices need (an export or a nightly stats run while someone works in the window). Two
windows are refused because each keeps its own view of the registry and its own restore/backup actions, and a
restore under another window's feet would pull the file away from it.
"""

from __future__ import annotations

import getpass
import json
import logging
import os
import socket
import sys
from datetime import datetime
from pathlib import Path

from nibi_desk.errors import RegistryError

log = logging.getLogger(__name__)

SUFFIX = ".lock"
_WINDOWS_LOCK_OFFSET = 1 << 30  # locked byte on Windows: beyond any text we write, so the text stays readable


class RegistryLocked(RegistryError):
    """Another NIBI Desk window has the registry open."""

    template = "This registry is already open in another NIBI Desk window"

    def __init__(self, path: Path, holder: dict):
        unknown = "?"
        super().__init__(
            "{path} is already open in NIBI Desk on computer {host} (process {pid}, user {user}, since {since}). "
            "Close it there first: two windows on one registry could undo each other's work.",
            path=str(path), host=holder.get("host") or unknown, pid=holder.get("pid") or unknown,
            user=holder.get("user") or unknown, since=holder.get("since") or unknown)
        self.holder = holder


def lock_path(registry_path: Path | str) -> Path:
    path = Path(registry_path)
    return path.with_name(path.name + SUFFIX)


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in some containers
        return ""


def read_holder(registry_path: Path | str) -> dict:
    """What the lock file says about its holder ({} when absent or unreadable)."""
    try:
        text = lock_path(registry_path).read_text(encoding="utf-8")
        holder = json.loads(text) if text.strip() else {}
        return holder if isinstance(holder, dict) else {}
    except (OSError, ValueError):
        return {}


class RegistryLock:
    """``acquire()`` or raise RegistryLocked; ``release()``; usable as a context manager."""

    def __init__(self, registry_path: Path | str, app: str = "nibi-desk"):
        self.registry_path = Path(registry_path)
        self.path = lock_path(registry_path)
        self.app = app
        self._file = None

    @property
    def held(self) -> bool:
        return self._file is not None

    def acquire(self) -> RegistryLock:
        if self._file is not None:
            return self
        for _attempt in range(5):
            f = open(self.path, "a+b")
            try:
                if not _try_lock(f):
                    f.close()
                    raise RegistryLocked(self.registry_path, read_holder(self.registry_path))
                # POSIX: the file may have been removed by its previous holder between our open and our lock; a
                # lock on a removed file protects nothing, so start again on the new one.
                if os.name != "nt" and not _same_file(f, self.path):
                    _unlock(f)
                    f.close()
                    continue
                self._file = f
                self._write_holder()
                return self
            except RegistryLocked:
                raise
            except BaseException:
                f.close()
                raise
        raise RegistryLocked(self.registry_path, read_holder(self.registry_path))

    def _write_holder(self) -> None:
        f = self._file
        info = {"app": self.app, "pid": os.getpid(), "host": socket.gethostname(), "user": _user(),
                "since": datetime.now().astimezone().isoformat(timespec="seconds"),
                "registry": str(self.registry_path.resolve())}
        f.seek(0)
        f.truncate()
        f.write(json.dumps(info, ensure_ascii=False).encode("utf-8"))
        f.flush()
        try:
            os.fsync(f.fileno())
        except OSError:  # some network filesystems refuse fsync; the lock itself does not depend on it
            pass

    def release(self) -> None:
        f, self._file = self._file, None
        if f is None:
            return
        try:
            if os.name != "nt":
                # Remove while still locked: a process waiting on the old file notices (_same_file) and retries.
                self.path.unlink(missing_ok=True)
            else:
                f.seek(0)
                f.truncate()
            _unlock(f)
        except OSError as e:
            log.warning("could not release %s cleanly: %s", self.path, e)
        finally:
            f.close()
        if os.name == "nt":
            try:
                self.path.unlink()
            except OSError:  # another process has it open right now; it is empty and harmless
                pass

    def __enter__(self) -> RegistryLock:
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


def _same_file(f, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(f.fileno()), os.stat(path))
    except OSError:
        return False


if sys.platform == "win32":  # pragma: no cover (tested on Windows only)
    import msvcrt

    def _try_lock(f) -> bool:
        f.seek(_WINDOWS_LOCK_OFFSET)
        try:
            msvcrt.locking(f.fileno(), msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
        finally:
            f.seek(0)

    def _unlock(f) -> None:
        f.seek(_WINDOWS_LOCK_OFFSET)
        try:
            msvcrt.locking(f.fileno(), msvcrt.LK_UNLCK, 1)
        finally:
            f.seek(0)
else:
    import fcntl

    def _try_lock(f) -> bool:
        try:
            fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False

    def _unlock(f) -> None:
        fcntl.flock(f.fileno(), fcntl.LOCK_UN)
