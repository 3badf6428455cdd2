"""PyInstaller runtime hook: point NIBI Desk at its bundled data and make QtWebEngine start where it runs.

Runs before the app's code. The data directories (db/, ui/, resources/, docs/) are bundled as nibi_desk/_data, as
in the wheel; NIBI_DATA_ROOT says so explicitly (nibi_desk/paths.py). Chromium refuses to start its sandbox as root
(containers, some kiosk setups): only then is the sandbox turned off; an ordinary user keeps it.
"""

import os
import sys

_bundle = getattr(sys, "_MEIPASS", os.path.dirname(os.path.abspath(sys.executable)))
os.environ.setdefault("NIBI_DATA_ROOT", os.path.join(_bundle, "nibi_desk", "_data"))
if hasattr(os, "geteuid") and os.geteuid() == 0:
    os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
