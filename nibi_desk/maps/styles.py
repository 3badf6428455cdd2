"""How the interactive map draws assets: a shape and colour per type, an outline per state (shared with the legend).

Type shapes and colours are those of the static renderer (nibi_desk/maps/overlay.py STYLES), so a printed map and the
screen agree; tests/test_maps_page.py checks that they stay the same.
"""

from __future__ import annotations

import sqlite3

from nibi_desk.i18n import N_, _, language

# type code -> (shape, fill colour)
TYPE_STYLES = {
    "base_station": ("triangle", "#7e3fb8"),
    "smart_pole": ("circle", "#1e6fd9"),
    "camera": ("square", "#0e9f8e"),
}
OTHER_STYLE = ("diamond", "#6b7280")

# States drawn as the marker's outline, most urgent first (a marker shows the first that applies).
STATES = (
    ("faulty", "#dc2626", N_("Faulty")),
    ("defect", "#f59e0b", N_("Open defect")),
    ("overdue", "#c026d3", N_("Inspection overdue")),
    ("in_service", "#ffffff", N_("In service")),
    ("pending", "#9ca3af", N_("Planned or under construction")),
    ("decommissioned", "#9ca3af", N_("Decommissioned")),
)


def hex_colour(rgb: tuple) -> str:
    return "#" + "".join(f"{int(c):02x}" for c in rgb[:3])


def asset_types(conn: sqlite3.Connection) -> list[dict]:
    """Every asset type of the registry in its sort order, with its title in the current language and style."""
    out = []
    for code, name_zh, name_en in conn.execute("SELECT code, name_zh, name_en FROM asset_types ORDER BY sort, code"):
        shape, colour = TYPE_STYLES.get(code, OTHER_STYLE)
        out.append({"code": code, "name": name_zh if language() == "zh_CN" else name_en, "shape": shape,
                    "color": colour})
    return out


def states() -> list[dict]:
    return [{"code": code, "color": colour, "name": _(title)} for code, colour, title in STATES]
