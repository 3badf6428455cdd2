"""The GUI fixtures themselves: isolated data directory and settings, and the leftover-work guard."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from PySide6.QtCore import QRunnable, QSettings, QThreadPool


def test_data_dir_and_settings_are_isolated(tmp_path, gui_settings):
    from nibi_desk import datadir

    assert datadir.data_dir() == Path(os.environ["NIBI_DATA_DIR"])
    assert datadir.data_dir().is_relative_to(tmp_path)
    assert Path(gui_settings.file_name()).is_relative_to(tmp_path)
    assert Path(QSettings(QSettings.IniFormat, QSettings.UserScope, "NIBI", "NIBI Desk").fileName()).is_relative_to(
        tmp_path)


def test_the_guard_sees_pool_work_still_running(pool_work_left):
    release = threading.Event()

    class Blocked(QRunnable):
        def run(self):
            release.wait(10)

    QThreadPool.globalInstance().start(Blocked())
    try:
        assert pool_work_left(50) == 1
    finally:
        release.set()
    assert pool_work_left(5000) == 0
