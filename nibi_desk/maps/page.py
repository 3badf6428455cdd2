"""The interactive map page: a folium Map (no tiles, or an MBTiles layer) plus resources/web/nibi-map.js, as HTML.

Two modes share one page and one script:

* ``app``: inside NIBI Desk, served from nibi://app/page.html. The page asks Python (QWebChannel) for what is in
  view; vendored files come from nibi://web/, tiles from nibi://tiles/<basemap id>/{z}/{x}/{y}.
* ``static``: ``write_page`` writes a folder that opens in any browser without NIBI Desk: index.html, web/ (the
  vendored files, our script and the font), assets.geojson (all assets, for GIS tools) and assets.js (the same
  points as a script, since browsers do not let file:// pages fetch files), clustered in the page; with a basemap,
  its tiles are copied to tiles/{z}/{x}/{y}.<ext>.

Neither mode references anything off the machine: folium's CDN links are rewritten (vendor.configure), and a
Content-Security-Policy refuses anything else; the page counts what it refused (``window.NibiMap.blocked``).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nibi_desk.domain.assets import STATUSES
from nibi_desk.errors import NibiError, Where
from nibi_desk.i18n import N_, _, language
from nibi_desk.maps import aggregate, states, styles, vendor, webfont
from nibi_desk.maps.viewport import MAX_ZOOM, POINT_LIMIT

NIBI_JS = "nibi-map.js"
NIBI_CSS = "nibi-map.css"
QWEBCHANNEL_JS = "qrc:///qtwebchannel/qwebchannel.js"
APP_CSP = "default-src nibi: qrc: data: blob: 'unsafe-inline' 'unsafe-eval'"
STATIC_CSP = "default-src 'self' file: data: blob: 'unsafe-inline' 'unsafe-eval'; connect-src 'self' file:"
# Points that an exported page clusters itself; above this it shows the first ones and says so.
STATIC_POINT_LIMIT = 50_000
# Tiles an exported page copies at most (zoom levels are copied whole, from the file's minimum zoom up).
STATIC_TILE_LIMIT = 20_000
CHINA = (105.0, 35.0)
STATUSES_INDEX = {code: i for i, code in enumerate(STATUSES)}
# Bits of an exported point's flags (nibi-map.js stateOf).
OPEN_DEFECT = 1
INSPECTION_OVERDUE = 2

E_TOO_MANY_TILES = N_("The basemap has more than {limit} tiles at its lowest zoom level; it cannot go into the page")

# Words of the page, translated here (the page has no catalog of its own).
TEXT = {
    "legend": N_("Legend"),
    "types": N_("Asset types"),
    "states": N_("State (outline)"),
    "legend_toggle": N_("Show or hide the legend"),
    "cells": N_("Number of assets there; red arc: share faulty. Click to zoom in."),
    "cells_static": N_("A cluster: the number of assets there. Click to zoom in."),
    "centre": N_("centre"),
    "code": N_("Code"),
    "type": N_("Type"),
    "status": N_("Status"),
    "last_inspection": N_("Last inspection"),
    "inspection_state": N_("Inspection"),
    "defects_overdue": N_(" ({n} past deadline)"),
    "never": N_("none recorded"),
    "position": N_("Position (WGS-84)"),
    "assets_in_view": N_("{n} assets in view"),
    "cells_in_view": N_("{n} assets in view (zoom in for single assets)"),
    "pick_hint": N_("Click the map to pick the position"),
    "measure_hint": N_("Click two points to measure the distance"),
    "within_hint": N_("Click the map: assets within {radius} m are listed"),
    "within_title": N_("{n} assets within {radius} m"),
    "within_more": N_("… and {n} more"),
    "picked": N_("Picked position"),
    "distance": N_("Distance"),
    "no_basemap": N_("No basemap: offline canvas (open an MBTiles file from the toolbar)"),
    "no_basemap_static": N_("No basemap: offline canvas"),
    "basemap_unavailable": N_("Basemap unavailable"),
    "static_limited": N_("Showing {shown} of {total} assets; open the registry in NIBI Desk to see all"),
    "error": N_("The map could not load this view: {message}"),
    "busy": N_("Loading…"),
}


@dataclass
class TileSource:
    """A basemap as the page sees it: the tile URL template and the zoom range that has tiles."""

    url: str
    minzoom: int
    maxzoom: int
    bounds: list[float] | None = None
    attribution: str | None = None
    name: str = ""
    id: str = ""

    def to_json(self) -> dict:
        return {"url": self.url, "minzoom": self.minzoom, "maxzoom": self.maxzoom, "bounds": self.bounds,
                "attribution": self.attribution, "name": self.name, "id": self.id}


def tile_source_for(basemap) -> TileSource:
    """The in-app tile source of a remembered basemap (nibi_desk.maps.basemaps.Basemap)."""
    return TileSource(url=f"{vendor.SCHEME}://tiles/{basemap.id}/{{z}}/{{x}}/{{y}}", minzoom=basemap.minzoom,
                      maxzoom=basemap.maxzoom, bounds=basemap.bounds, attribution=basemap.attribution,
                      name=basemap.name, id=basemap.id)


# -- what the page shows besides the assets ---------------------------------------------------------------------
def _extent(conn: sqlite3.Connection) -> list[float] | None:
    row = conn.execute("SELECT value FROM registry_meta WHERE key = 'extent'").fetchone()
    if row is not None:
        try:
            e = json.loads(row[0])
            return [float(e["west"]), float(e["south"]), float(e["east"]), float(e["north"])]
        except (ValueError, KeyError, TypeError):
            pass
    found = aggregate.extent(conn) if aggregate.has_grid(conn) else None
    return list(found) if found else None


def township_labels(conn: sqlite3.Connection, county: str) -> list[dict]:
    """Township names at the mean position of their located assets (townships without assets get no label).

    One pass over the assets (about a second at a million rows): the app asks for it in the background.
    """
    rows = conn.execute(
        "SELECT substr(division, 1, 9) || '000' AS township, avg(lon), avg(lat), count(*) FROM assets "
        "WHERE deleted = 0 AND lon IS NOT NULL AND lat IS NOT NULL AND division BETWEEN ? AND ? "
        "GROUP BY substr(division, 1, 9)", (county + "000000", county + "999999")).fetchall()
    names = dict(conn.execute("SELECT code, name FROM divisions WHERE county = ? AND level = 'township'",
                              (county,)).fetchall())
    return [{"code": code, "name": names[code], "lon": round(lon, 5), "lat": round(lat, 5), "n": n}
            for code, lon, lat, n in rows if code in names]


def county_label(conn: sqlite3.Connection, county: str, extent: list[float] | None) -> dict | None:
    row = conn.execute("SELECT name FROM divisions WHERE code = ?", (county + "000000",)).fetchone()
    if row is None or extent is None:
        return None
    return {"name": row[0], "lon": (extent[0] + extent[2]) / 2, "lat": (extent[1] + extent[3]) / 2}


def config(conn: sqlite3.Connection, county: str, *, mode: str = "app", tiles: TileSource | None = None,
           labels: list[dict] | None = None, **extra: Any) -> dict:
    """Everything nibi-map.js needs besides the assets: types and their styles, states, words, labels, extent."""
    if mode not in ("app", "static"):
        raise ValueError(f"mode must be 'app' or 'static', not {mode!r}")
    extent = _extent(conn)
    assets_extent = aggregate.extent(conn) if aggregate.has_grid(conn) else None
    return {
        "mode": mode,
        "lang": language(),
        "types": styles.asset_types(conn),
        "statuses": [{"code": code, "name": _(title)} for code, title in STATUSES.items()],
        "states": styles.states(),
        "text": {key: _(value) for key, value in TEXT.items()},
        "extent": extent,
        "fit": list(assets_extent) if assets_extent else extent,  # the first view: where the assets are
        "county": county_label(conn, county, extent),
        "labels": labels,
        "basemap": tiles.to_json() if tiles else None,
        "maxZoom": MAX_ZOOM,
        "minZoom": 3,
        "pointLimit": POINT_LIMIT,
        "font": webfont.FAMILY,
        **extra,
    }


# -- the HTML ---------------------------------------------------------------------------------------------------
def _element_class():
    from folium.elements import JSCSSMixin
    from folium.template import Template

    class NibiMapElement(JSCSSMixin):
        """Our script, style sheet and the call that starts the page, after the Map's own script."""

        _template = Template("""
            {% macro script(this, kwargs) %}
            NibiMap.init({{ this._parent.get_name() }}, {{ this.config_json }});
            {% endmacro %}
        """)

        def __init__(self, cfg: dict, web_base: str, with_channel: bool, data_scripts: list[str]):
            super().__init__()
            self._name = "NibiMap"
            self.config_json = json.dumps(cfg, ensure_ascii=False).replace("</", "<\\/")
            if with_channel:
                js, css = [("qwebchannel", QWEBCHANNEL_JS)], []
            else:  # a static export clusters in the page
                js = [("markerclusterjs", web_base + vendor.VENDORED["markerclusterjs"])]
                css = [(name, web_base + vendor.VENDORED[name])
                       for name in ("markerclustercss", "markerclusterdefaultcss")]
            js += [(f"nibi_data_{i}", url) for i, url in enumerate(data_scripts)]
            self.default_js = js + [("nibi_map_js", web_base + NIBI_JS)]
            self.default_css = css + [("nibi_map_css", web_base + NIBI_CSS)]

    return NibiMapElement


def build_html(conn: sqlite3.Connection, county: str, *, mode: str = "app", tiles: TileSource | None = None,
               labels: list[dict] | None = None, web_base: str = vendor.WEB_BASE,
               data_scripts: list[str] | None = None, **extra: Any) -> str:
    """The page's HTML. ``web_base`` prefixes the vendored files (nibi://web/ in the app, "web/" in an export)."""
    import folium
    from branca.element import Element

    vendor.configure()
    cfg = config(conn, county, mode=mode, tiles=tiles, labels=labels, **extra)
    extent = cfg["extent"]
    lon, lat = ((extent[0] + extent[2]) / 2, (extent[1] + extent[3]) / 2) if extent else CHINA
    fmap = folium.Map(location=[lat, lon], zoom_start=10 if extent else 4, tiles=None, prefer_canvas=True,
                      control_scale=False, zoom_control=True, max_zoom=MAX_ZOOM, min_zoom=cfg["minZoom"])
    if tiles is not None:
        layer = folium.TileLayer(tiles=tiles.url, attr=tiles.attribution or tiles.name or "MBTiles",
                                 name=tiles.name or "basemap", min_zoom=cfg["minZoom"], max_zoom=MAX_ZOOM,
                                 max_native_zoom=tiles.maxzoom, min_native_zoom=tiles.minzoom, overlay=False)
        layer.add_to(fmap)
        cfg["basemap"]["layer"] = layer.get_name()
    fmap.add_child(_element_class()(cfg, web_base, mode == "app", data_scripts or []))
    figure = fmap.get_root()
    csp = APP_CSP if mode == "app" else STATIC_CSP
    # First in <head>: a policy only covers what is loaded after it.
    figure.header.add_child(Element(f'<meta http-equiv="Content-Security-Policy" content="{csp}">'),
                            name="nibi_csp", index=0)
    figure.title = _("Map of {county}").format(county=(cfg["county"] or {}).get("name", county))
    html = figure.render()
    if web_base != vendor.WEB_BASE:  # folium's own links were pointed at nibi://web/ once per process
        html = html.replace(vendor.WEB_BASE, web_base)
    return html.replace(
        "<head>", f"<head>\n    <title>{figure.title}</title>", 1) if "<title>" not in html else html


def _write_assets(conn: sqlite3.Connection, out_dir: Path) -> tuple[int, int]:
    """assets.geojson (every live located asset) and assets.js (the first STATIC_POINT_LIMIT, compact, with their
    open defects, overdue inspections and last inspection dates)."""
    rows = conn.execute("SELECT seq, id, type, status, lon, lat, name, code FROM assets "
                        "WHERE deleted = 0 AND lon IS NOT NULL AND lat IS NOT NULL ORDER BY seq")
    total = 0
    compact, seqs = [], []
    with open(out_dir / "assets.geojson", "w", encoding="utf-8") as f:
        f.write('{"type":"FeatureCollection","features":[')
        for seq, asset_id, type_, status, lon, lat, name, code in rows:
            feature = {"type": "Feature", "id": asset_id,
                       "geometry": {"type": "Point", "coordinates": [lon, lat]},
                       "properties": {"id": asset_id, "type": type_, "status": status, "name": name, "code": code}}
            f.write(("," if total else "") + json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
            if total < STATIC_POINT_LIMIT:
                compact.append([asset_id, type_, STATUSES_INDEX.get(status, -1), lon, lat, name, code, 0, None])
                seqs.append(seq)
            total += 1
        f.write("]}\n")
    found = states.of_assets(conn, seqs)
    defect, overdue = set(found["defect"]), set(found["overdue"])
    last = states.last_inspections(conn)
    for seq, row in zip(seqs, compact):
        row[7] = (OPEN_DEFECT if seq in defect else 0) | (INSPECTION_OVERDUE if seq in overdue else 0)
        row[8] = last.get(row[0])
    data = json.dumps({"total": total, "points": compact}, ensure_ascii=False, separators=(",", ":"))
    (out_dir / "assets.js").write_text(f"window.NIBI_ASSETS = {data};\n", encoding="utf-8")
    return total, len(compact)


def _copy_web(out_dir: Path) -> None:
    web = out_dir / "web"
    if web.exists():
        shutil.rmtree(web)
    src = vendor.web_dir()
    (web / "vendor").mkdir(parents=True)
    shutil.copytree(src / "vendor", web / "vendor", dirs_exist_ok=True)
    for name in (NIBI_JS, NIBI_CSS, "vendor.json"):
        shutil.copy2(src / name, web / name)
    font = webfont.web_font()
    if font is not None:
        (web / "fonts").mkdir()
        (web / "fonts" / webfont.WEB_NAME).write_bytes(font)
        licence = webfont.source_path().with_name("wqy-microhei.LICENSE.txt")
        if licence.is_file():
            shutil.copy2(licence, web / "fonts" / licence.name)


def _export_tiles(tiles, out_dir: Path) -> TileSource | None:
    """Copy an MBTiles file's tiles to tiles/{z}/{x}/{y}.<ext>, whole zoom levels from the lowest, up to the limit."""
    from nibi_desk.maps import webmercator as wm

    if tiles.minzoom is None or tiles.maxzoom is None or not tiles.is_raster:
        return None
    bounds = tiles.bounds
    west, south, east, north = (bounds.west, bounds.south, bounds.east, bounds.north) if bounds else \
        (-180.0, -wm.MAX_LAT, 180.0, wm.MAX_LAT)
    ext = tiles.format
    target = out_dir / "tiles"
    if target.exists():
        shutil.rmtree(target)
    written, top = 0, None
    for z in range(tiles.minzoom, tiles.maxzoom + 1):
        x0, y0 = wm.lonlat_to_tile(west, min(north, wm.MAX_LAT), z)
        x1, y1 = wm.lonlat_to_tile(min(east, 180.0 - 1e-9), max(south, -wm.MAX_LAT), z)
        count = (x1 - x0 + 1) * (y1 - y0 + 1)
        if written + count > STATIC_TILE_LIMIT:
            if top is None:
                raise NibiError(E_TOO_MANY_TILES, where=Where(file=str(tiles.path)), limit=STATIC_TILE_LIMIT)
            break
        for x in range(x0, x1 + 1):
            for y in range(y0, y1 + 1):
                data = tiles.tile(z, x, y)
                if data:
                    path = target / str(z) / str(x) / f"{y}.{ext}"
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_bytes(data)
        written += count
        top = z
    return TileSource(url=f"tiles/{{z}}/{{x}}/{{y}}.{ext}", minzoom=tiles.minzoom, maxzoom=top,
                      bounds=[west, south, east, north], attribution=tiles.attribution, name=tiles.name)


def write_page(registry, out_dir: Path | str, basemap=None) -> Path:
    """Write a self-contained map page of the registry to ``out_dir``; return the path of its index.html.

    ``basemap`` is an open MBTiles, a path to one, or None (the plain offline canvas with graticule and labels).
    """
    from nibi_desk.maps.mbtiles import MBTiles

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    conn = registry.read()
    _copy_web(out_dir)
    tiles = None
    if basemap is not None:
        opened = basemap if isinstance(basemap, MBTiles) else MBTiles(basemap)
        try:
            tiles = _export_tiles(opened, out_dir)
        finally:
            if opened is not basemap:
                opened.close()
    total, shown = _write_assets(conn, out_dir)
    html = build_html(conn, registry.county, mode="static", tiles=tiles,
                      labels=township_labels(conn, registry.county), web_base="web/",
                      data_scripts=["assets.js"], total=total, shown=shown)
    index = out_dir / "index.html"
    index.write_text(html, encoding="utf-8")
    return index

