"""One window per registry: the lock file refuses a second holder (another real process) and names the first."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from nibi_desk import i18n
from nibi_desk.storage.lock import RegistryLock, RegistryLocked, lock_path, read_holder

ROOT = Path(__file__).resolve().parent.parent

HOLDER = """
import sys
from nibi_desk.storage.lock import RegistryLock
lock = RegistryLock(sys.argv[1]).acquire()
print("locked", flush=True)
sys.stdin.readline()
lock.release()
print("released", flush=True)
"""


@pytest.fixture
def holder(tmp_path):
    """Another process holding the lock on tmp_path/r.nibi until told to let go (or killed)."""
    registry = tmp_path / "r.nibi"
    registry.write_bytes(b"")
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(registry)], cwd=ROOT, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "locked"
    yield registry, proc
    if proc.poll() is None:
        proc.kill()
    proc.wait(10)


def test_a_second_process_is_refused_with_the_holders_pid_host_and_time(holder):
    registry, proc = holder
    with pytest.raises(RegistryLocked) as refused:
        RegistryLock(registry).acquire()
    error = refused.value
    assert error.holder["pid"] == proc.pid and error.holder["host"] == socket.gethostname()
    assert error.holder["since"] and error.holder["registry"] == str(registry.resolve())
    i18n.set_language("en")
    message = error.message()
    assert str(proc.pid) in message and socket.gethostname() in message and "already open" in message
    i18n.set_language("zh_CN")
    assert str(proc.pid) in error.message() and "已在" in error.message()


def test_the_lock_is_free_again_after_release(holder):
    registry, proc = holder
    proc.stdin.write("\n")
    proc.stdin.flush()
    assert proc.stdout.readline().strip() == "released"
    proc.wait(10)
    with RegistryLock(registry) as lock:
        assert lock.held and read_holder(registry)["pid"] == os.getpid()
    assert not lock_path(registry).exists(), "a released lock leaves no file behind"


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL")
def test_a_crashed_holder_leaves_no_lock(holder):
    registry, proc = holder
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    assert lock_path(registry).exists() and read_holder(registry)["pid"] == proc.pid  # stale text only
    with RegistryLock(registry):
        assert read_holder(registry)["pid"] == os.getpid()


def test_one_process_cannot_take_its_own_lock_twice(tmp_path):
    registry = tmp_path / "r.nibi"
    with RegistryLock(registry):
        with pytest.raises(RegistryLocked):
            RegistryLock(registry).acquire()


def test_the_holder_is_readable_json(tmp_path):
    registry = tmp_path / "r.nibi"
    with RegistryLock(registry, app="nibi-desk"):
        info = json.loads(lock_path(registry).read_text(encoding="utf-8"))
    assert {"app", "pid", "host", "user", "since", "registry"} <= set(info)
