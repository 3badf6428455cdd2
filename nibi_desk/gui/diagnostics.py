"""What the About box and an error report say about this installation: versions, bundled components, the report zip.

An error report is a zip for the county's IT staff: the versions (program, Python, Qt, PySide6, SQLite, operating
system), the exception with its traceback, and the end of the program's log. It never contains registry data: no
registry file, no photos, no settings (the log holds file paths and messages, as the user saw them).
"""

from __future__ import annotations

import json
import platform
import sqlite3
import sys
import zipfile
from datetime import datetime
from pathlib import Path

from nibi_desk import paths

LOG_TAIL_BYTES = 512 * 1024  # the end of the current log, and as much again from the previous (rotated) one


def versions() -> dict[str, str]:
    import PySide6
    from PySide6.QtCore import qVersion

    from nibi_desk import __version__

    return {
        "NIBI Desk": __version__,
        "Python": platform.python_version(),
        "Qt": qVersion(),
        "PySide6": PySide6.__version__,
        "SQLite": sqlite3.sqlite_version,
        "OS": f"{platform.system()} {platform.release()} ({platform.platform()})",
        "Machine": platform.machine(),
        "Frozen": "yes" if getattr(sys, "frozen", False) else "no",
    }


def bundled_components() -> list[dict]:
    """The fonts and web libraries shipped in resources/, with version, licence and licence file (for About)."""
    found = []
    fonts = paths.resources_dir() / "fonts"
    manifest = fonts / "fonts.json"
    if manifest.is_file():
        for font in json.loads(manifest.read_text(encoding="utf-8"))["fonts"]:
            found.append({"kind": "font", "name": font["name"], "version": font["version"],
                          "licence": font["licence"], "licence_file": fonts / font["licence_file"],
                          "source": font.get("source", "")})
    web = paths.resources_dir() / "web"
    manifest = web / "vendor.json"
    if manifest.is_file():
        for name, spec in json.loads(manifest.read_text(encoding="utf-8"))["packages"].items():
            licence_file = spec.get("licence_file", "")
            found.append({"kind": "web", "name": name, "version": spec["version"], "licence": spec["licence"],
                          "licence_file": web / "vendor" / name / licence_file if licence_file else None,
                          "source": "npm"})
    return found


def _tail(path: Path, limit: int) -> bytes:
    with open(path, "rb") as f:
        f.seek(0, 2)
        size = f.tell()
        f.seek(max(0, size - limit))
        return f.read()


def write_report(out: Path | str, exception_text: str, log_file: Path | str | None = None) -> Path:
    """Write the error report zip to ``out`` (temporary name, then renamed); return its path."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    info = versions()
    created = datetime.now().astimezone().isoformat(timespec="seconds")
    readme = ("NIBI Desk error report\n"
              f"created {created}\n\n"
              "versions.json  program, Python, Qt, PySide6, SQLite and operating system versions\n"
              "exception.txt  the error and where it happened\n"
              "log/           the end of the program's log\n\n"
              "No registry data is included (no registry file, photos or settings).\n")
    tmp = out.with_name(f".{out.name}.partial")
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as z:
            z.writestr("README.txt", readme)
            z.writestr("versions.json", json.dumps(dict(info, created=created), ensure_ascii=False, indent=1))
            z.writestr("exception.txt", exception_text or "")
            if log_file:
                log_file = Path(log_file)
                for candidate in (log_file, log_file.with_name(log_file.name + ".1")):
                    if candidate.is_file():
                        z.writestr(f"log/{candidate.name}", _tail(candidate, LOG_TAIL_BYTES))
        tmp.replace(out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return out
