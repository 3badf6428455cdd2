"""The map page's web libraries: folium's CDN links pointed at the vendored copies in resources/web, and checks.

folium keeps the JS/CSS a class needs in class-level ``default_js`` / ``default_css`` lists of CDN URLs. ``configure``
rewrites them once per process: the libraries we vendor (resources/web/vendor.json) get ``nibi://web/...`` URLs,
the Map's unused ones (Bootstrap, Font Awesome, awesome-markers) are dropped. Anything else keeps its CDN URL, and
``remote_urls`` finds it, so a page that would reach the network fails its test instead of silently loading.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from nibi_desk import paths

SCHEME = "nibi"
WEB_BASE = f"{SCHEME}://web/"
# folium resource name -> file under resources/web
VENDORED = {
    "leaflet": "vendor/leaflet/leaflet.js",
    "leaflet_css": "vendor/leaflet/leaflet.css",
    "jquery": "vendor/jquery/jquery.min.js",
    "markerclusterjs": "vendor/leaflet.markercluster/leaflet.markercluster.js",
    "markerclustercss": "vendor/leaflet.markercluster/MarkerCluster.css",
    "markerclusterdefaultcss": "vendor/leaflet.markercluster/MarkerCluster.Default.css",
}
# Resources of folium.Map that nothing we draw needs (folium's Icon and Bootstrap-styled popups are not used).
UNUSED = frozenset({"bootstrap", "awesome_markers", "bootstrap_css", "glyphicons_css", "awesome_markers_font_css",
                    "awesome_markers_css", "awesome_rotate_css"})
_REMOTE = re.compile(r"""(?:src|href)\s*=\s*["']?\s*((?:https?:|wss?:|ftp:)?//[^"'\s>]+)""", re.IGNORECASE)
_configured = False


def web_dir() -> Path:
    return paths.resources_dir() / "web"


def fonts_dir() -> Path:
    return paths.resources_dir() / "fonts"


def _classes():
    import folium
    import folium.plugins  # noqa: F401  (registers the plugin classes so their lists are rewritten too)
    from folium.elements import JSCSSMixin

    seen, stack = [], [JSCSSMixin]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.append(sub)
                stack.append(sub)
    return [folium.Map] + [c for c in seen if c is not folium.Map]


def configure() -> None:
    """Point every folium class's vendored resources at nibi://web/ (idempotent; once per process)."""
    global _configured
    if _configured:
        return
    import folium

    for cls in _classes():
        for attr in ("default_js", "default_css"):
            if attr not in cls.__dict__:  # inherited: rewritten on the class that owns the list
                continue
            entries = []
            for name, url in cls.__dict__[attr]:
                if cls is folium.Map and name in UNUSED:
                    continue
                entries.append((name, WEB_BASE + VENDORED[name]) if name in VENDORED else (name, url))
            setattr(cls, attr, entries)
    _configured = True


def remote_urls(html: str) -> list[str]:
    """src/href values in ``html`` that point off the machine (http, https, ws, protocol-relative //host)."""
    return [m.group(1) for m in _REMOTE.finditer(html)]


def manifest() -> dict:
    return json.loads((web_dir() / "vendor.json").read_text(encoding="utf-8"))


def vendored_path(package: str, name: str) -> Path:
    """Where refresh_vendor.py puts a package file ("dist/leaflet.js" -> vendor/leaflet/leaflet.js)."""
    return web_dir() / "vendor" / package / (name[len("dist/"):] if name.startswith("dist/") else name)


def check() -> list[str]:
    """Vendored files that are missing or differ from the SHA-256 in vendor.json (empty when all match)."""
    problems = []
    for package, spec in manifest()["packages"].items():
        for name, digest in spec["files"].items():
            path = vendored_path(package, name)
            if not path.is_file():
                problems.append(f"{package}: {name} is missing ({path})")
            elif hashlib.sha256(path.read_bytes()).hexdigest() != digest:
                problems.append(f"{package}: {name} does not match its checksum")
    return problems


def resolve(path: str) -> Path | None:
    """A file under resources/web (or resources/fonts for "fonts/...") named by a nibi://web/ path; None if it is
    not there or the path tries to leave the folder."""
    parts = [p for p in path.replace("\\", "/").split("/") if p]
    if not parts or any(p in (".", "..") for p in parts):
        return None
    root = fonts_dir() if parts[0] == "fonts" else web_dir()
    if parts[0] == "fonts":
        parts = parts[1:]
    candidate = root.joinpath(*parts)
    try:
        candidate.resolve().relative_to(root.resolve())
    except ValueError:
        return None
    return candidate if candidate.is_file() else None


MIME_TYPES = {
    ".js": "text/javascript", ".css": "text/css", ".html": "text/html", ".json": "application/json",
    ".png": "image/png", ".svg": "image/svg+xml", ".ttc": "font/collection", ".ttf": "font/ttf",
    ".woff2": "font/woff2", ".geojson": "application/geo+json", ".txt": "text/plain",
}


def mime_type(path: Path | str) -> str:
    return MIME_TYPES.get(Path(path).suffix.lower(), "application/octet-stream")
