"""Static checks of the installers (the frozen build and the .deb themselves run in `make smoke-frozen smoke-deb`):
the Windows script (cannot be compiled here) is complete, the Debian files are well-formed, the spec bundles every
data directory."""

from __future__ import annotations

import configparser
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from nibi_desk import __version__

ROOT = Path(__file__).resolve().parent.parent
INSTALLERS = ROOT / "installers"


def iss_sections() -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current = None
    for line in (INSTALLERS / "windows" / "nibi-desk.iss").read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith(";"):
            continue
        match = re.fullmatch(r"\[(\w+)\]", stripped)
        if match:
            current = match[1]
            sections.setdefault(current, [])
        elif current:
            sections[current].append(stripped)
    return sections


def test_windows_installer_is_per_user_bilingual_with_shortcuts_and_associations():
    text = (INSTALLERS / "windows" / "nibi-desk.iss").read_text(encoding="utf-8")
    s = iss_sections()
    setup = dict(line.split("=", 1) for line in s["Setup"])
    assert setup["PrivilegesRequired"] == "lowest"          # no administrator rights needed
    assert setup["ChangesAssociations"] == "yes"
    assert f'#define AppVersion "{__version__}"' in text, "the default version follows nibi_desk.__version__"
    languages = {line.split('"')[1]: line for line in s["Languages"]}
    assert set(languages) == {"zh_CN", "en"} and "ChineseSimplified.isl" in languages["zh_CN"]
    # Every custom message exists in both languages.
    messages = [line.split("=", 1)[0] for line in s["CustomMessages"]]
    names = {m.split(".", 1)[1] for m in messages}
    assert {f"{lang}.{name}" for lang in ("zh_CN", "en") for name in names} == set(messages)
    for used in set(re.findall(r"\{cm:(\w+)\}", text)) - {"CreateDesktopIcon", "AdditionalIcons"}:
        assert used in names, f"{{cm:{used}}} has no message"
    icons = "\n".join(s["Icons"])
    assert "{autoprograms}" in icons and "{autodesktop}" in icons and "Tasks: desktopicon" in icons
    registry = "\n".join(s["Registry"])
    for ext in (".nibi", ".nibx"):
        assert f"Software\\Classes\\{ext}\\OpenWithProgids" in registry
    assert all(line.startswith("Root: HKA;") for line in s["Registry"]), "HKA: HKCU per user, HKLM for all users"
    assert '""%1""' in registry


def test_windows_installer_packages_what_make_dist_builds():
    sources = re.findall(r'Source: "\{#Root\}\\([^"]+)"', (INSTALLERS / "windows" / "nibi-desk.iss").read_text())
    assert sources == ["dist\\nibi-desk\\*", "build\\icons\\nibi-desk.ico"]
    makefile = (ROOT / "Makefile").read_text()
    assert "--distpath dist" in makefile and "make_icons.py build/icons" in makefile
    assert "nibi-desk.ico" in (INSTALLERS / "make_icons.py").read_text()
    spec = (INSTALLERS / "pyinstaller" / "nibi-desk.spec").read_text()
    assert 'name="nibi-desk"' in spec and 'name="nibi"' in spec and "COLLECT(" in spec


def test_the_spec_bundles_every_data_directory_as_the_wheel_does():
    spec = (INSTALLERS / "pyinstaller" / "nibi-desk.spec").read_text()
    assert '("db", "ui", "resources", "docs/guide")' in spec
    assert '"nibi_desk", "_data"' in spec
    hook = (INSTALLERS / "pyinstaller" / "rth_nibi.py").read_text()
    assert "NIBI_DATA_ROOT" in hook and '"nibi_desk", "_data"' in hook
    pyproject = (ROOT / "pyproject.toml").read_text()
    for top in ("db", "ui", "resources", "docs"):
        assert f'"nibi_desk._data.{top}" = "{top}"' in pyproject


def test_desktop_entry_and_mime_types():
    entry = configparser.RawConfigParser(strict=True)
    entry.optionxform = str
    entry.read(INSTALLERS / "debian" / "nibi-desk.desktop", encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Type"] == "Application" and desktop["Exec"] == "nibi-desk %f" and desktop["Icon"] == "nibi-desk"
    assert desktop["Name[zh_CN]"] == "新基建巡检台"
    mime_types = set(filter(None, desktop["MimeType"].split(";")))
    ns = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}
    root = ET.parse(INSTALLERS / "debian" / "nibi-desk-mime.xml").getroot()
    declared = {t.get("type"): t for t in root.findall("m:mime-type", ns)}
    assert set(declared) == mime_types == {"application/x-nibi-registry", "application/x-nibi-bundle"}
    assert declared["application/x-nibi-registry"].find("m:glob", ns).get("pattern") == "*.nibi"
    assert declared["application/x-nibi-bundle"].find("m:glob", ns).get("pattern") == "*.nibx"
    match = declared["application/x-nibi-registry"].find("m:magic/m:match/m:match", ns)
    assert int(match.get("value"), 16) == 0x4E494249 and match.get("offset") == "68"  # PRAGMA application_id


def test_debian_build_script_layout():
    script = (INSTALLERS / "debian" / "build.sh").read_text()
    for needed in ("dpkg-deb", "/opt/nibi-desk", "usr/bin/nibi-desk", "usr/bin/nibi\"", "usr/share/applications",
                   "usr/share/mime/packages", "hicolor/scalable/apps", "Depends: libc6"):
        assert needed in script, needed
    assert (ROOT / "resources" / "icons" / "nibi-desk.svg").is_file()
