"""Guards against the PySide6 6.12.0 bug that drops a reference to None on each void call (aborts Python 3.11)."""

import sys

from PySide6.QtCore import QObject


def test_void_calls_keep_none_refcount_balanced():
    obj = QObject()
    before = sys.getrefcount(None)
    for _ in range(200):
        obj.setObjectName("x")
    # Other threads may touch None meanwhile, so allow a little noise; the bug loses exactly one per call.
    assert abs(sys.getrefcount(None) - before) < 50
