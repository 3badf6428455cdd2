"""Talking to a QtWebEngine page from a test: run a script and wait for its value, wait for a condition, keep the
event loop turning meanwhile (shared by the map tests)."""

from __future__ import annotations

import json
import time

from PySide6.QtWidgets import QApplication

TIMEOUT = 40.0


def pump(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.005)


def js(web_page, script: str, timeout: float = TIMEOUT):
    """Run a script in the page and return its (JSON-convertible) value."""
    box = []
    web_page.runJavaScript(script, 0, box.append)
    end = time.monotonic() + timeout
    while not box:
        if time.monotonic() > end:
            raise TimeoutError(f"no answer from the page for {script[:80]!r}")
        QApplication.processEvents()
        time.sleep(0.002)
    return box[0]


def value(web_page, expression: str):
    """An expression's value, through JSON (Qt's conversion of arrays and objects is not reliable)."""
    return json.loads(js(web_page, f"JSON.stringify({expression}) || 'null'"))


def wait_js(web_page, expression: str, timeout: float = TIMEOUT):
    """The expression's first truthy value (exceptions count as null); TimeoutError after ``timeout`` seconds."""
    end = time.monotonic() + timeout
    while True:
        got = json.loads(js(web_page, "JSON.stringify((function () { try { return " + expression +
                                      "; } catch (e) { return null; } })()) || 'null'"))
        if got:
            return got
        if time.monotonic() > end:
            raise TimeoutError(f"page never satisfied {expression!r} (last value {got!r})")
        pump(0.02)
