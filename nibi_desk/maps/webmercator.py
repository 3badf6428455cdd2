"""Web Mercator (EPSG:3857) tile maths for 256-pixel XYZ tiles: lon/lat <-> pixel/tile, tile bounds, zoom choice.

Written by hand rather than with ``mercantile``: the five formulas below are all we need, and we also need
fractional zooms, pixel coordinates and "fit this box into W×H pixels", which mercantile does not do.
Coordinates are WGS-84 degrees (CGCS2000 is the same for map purposes); the registry stores WGS-84.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from nibi_desk.errors import ValidationError, Where

TILE_SIZE = 256
MAX_LAT = 85.0511287798066  # atan(sinh(pi)): the latitude where the square world map ends
EARTH_RADIUS_M = 6378137.0  # the sphere of Web Mercator (not the mean radius used for distances)
MAX_ZOOM = 22


@dataclass(frozen=True)
class BBox:
    """A lon/lat box in degrees: west, south, east, north (west < east; no antimeridian crossing)."""

    west: float
    south: float
    east: float
    north: float

    @classmethod
    def parse(cls, text: str) -> BBox:
        """ "W,S,E,N" in decimal degrees (the order of GeoJSON and MBTiles ``bounds``)."""
        parts = [p.strip() for p in str(text).replace("，", ",").split(",")]
        try:
            values = [float(p) for p in parts]
        except ValueError:
            values = []
        if len(values) != 4 or not all(math.isfinite(v) for v in values):
            raise ValidationError("Bounding box {value} must be four numbers W,S,E,N in degrees",
                                  where=Where(field="bbox"), value=text)
        return cls.checked(*values)

    @classmethod
    def checked(cls, west: float, south: float, east: float, north: float) -> BBox:
        if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= 90 and -90 <= north <= 90):
            raise ValidationError("Bounding box {value} is outside -180..180 / -90..90 degrees",
                                  where=Where(field="bbox"), value=f"{west},{south},{east},{north}")
        if west > east or south > north:
            raise ValidationError("Bounding box {value}: west must not exceed east, nor south north",
                                  where=Where(field="bbox"), value=f"{west},{south},{east},{north}")
        return cls(float(west), float(south), float(east), float(north))

    @property
    def center(self) -> tuple[float, float]:
        return (self.west + self.east) / 2, (self.south + self.north) / 2

    def as_tuple(self) -> tuple[float, float, float, float]:
        return self.west, self.south, self.east, self.north

    def contains(self, lon: float, lat: float) -> bool:
        return self.west <= lon <= self.east and self.south <= lat <= self.north


def clamp_lat(lat: float) -> float:
    return max(-MAX_LAT, min(MAX_LAT, lat))


def world_size(zoom: float) -> float:
    """Width (= height) of the whole world in pixels at ``zoom`` (which may be fractional)."""
    return TILE_SIZE * 2.0 ** zoom


def lonlat_to_pixel(lon: float, lat: float, zoom: float) -> tuple[float, float]:
    """Global pixel coordinates (origin at 180° W, 85.05° N; y grows southwards) at ``zoom``."""
    size = world_size(zoom)
    x = (lon + 180.0) / 360.0 * size
    sin_lat = math.sin(math.radians(clamp_lat(lat)))
    y = (0.5 - math.log((1 + sin_lat) / (1 - sin_lat)) / (4 * math.pi)) * size
    return x, y


def pixel_to_lonlat(x: float, y: float, zoom: float) -> tuple[float, float]:
    size = world_size(zoom)
    lon = x / size * 360.0 - 180.0
    lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / size))))
    return lon, lat


def lonlat_to_tile(lon: float, lat: float, zoom: int) -> tuple[int, int]:
    """The XYZ tile (x, y) holding a point; points on the east or south edge of the world go to the last tile."""
    x, y = lonlat_to_pixel(lon, lat, zoom)
    last = 2 ** zoom - 1
    return min(max(int(x // TILE_SIZE), 0), last), min(max(int(y // TILE_SIZE), 0), last)


def tile_bounds(x: int, y: int, zoom: int) -> BBox:
    """The lon/lat box of XYZ tile x/y at ``zoom``."""
    west, north = pixel_to_lonlat(x * TILE_SIZE, y * TILE_SIZE, zoom)
    east, south = pixel_to_lonlat((x + 1) * TILE_SIZE, (y + 1) * TILE_SIZE, zoom)
    return BBox(west, south, east, north)


def tms_row(y: int, zoom: int) -> int:
    """MBTiles stores rows bottom-up (TMS); XYZ counts them top-down. The flip is its own inverse."""
    return 2 ** zoom - 1 - y


def ground_resolution(lat: float, zoom: float) -> float:
    """Metres on the ground per pixel at latitude ``lat`` and ``zoom``."""
    return math.cos(math.radians(clamp_lat(lat))) * 2 * math.pi * EARTH_RADIUS_M / world_size(zoom)


def bbox_around(lon: float, lat: float, radius_m: float) -> BBox:
    """The box of ±``radius_m`` metres east-west and north-south around a point (small-distance approximation)."""
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    dlon = dlat / max(math.cos(math.radians(clamp_lat(lat))), 1e-6)
    return BBox(max(lon - dlon, -180.0), max(lat - dlat, -90.0), min(lon + dlon, 180.0), min(lat + dlat, 90.0))


def fit_zoom(bbox: BBox, width: int, height: int, max_zoom: float = MAX_ZOOM) -> float:
    """The largest (fractional) zoom at which ``bbox`` fits into ``width`` × ``height`` pixels."""
    x0, y0 = lonlat_to_pixel(bbox.west, bbox.north, 0)
    x1, y1 = lonlat_to_pixel(bbox.east, bbox.south, 0)
    dx, dy = abs(x1 - x0), abs(y1 - y0)
    zooms = [max_zoom]
    if dx > 0:
        zooms.append(math.log2(width / dx))
    if dy > 0:
        zooms.append(math.log2(height / dy))
    return max(0.0, min(zooms))


def zoom_for_bbox(bbox: BBox, width: int, height: int, max_zoom: int = MAX_ZOOM) -> int:
    """The largest whole zoom at which ``bbox`` fits into ``width`` × ``height`` pixels (for tile requests)."""
    return int(math.floor(fit_zoom(bbox, width, height, max_zoom) + 1e-9))


@dataclass(frozen=True)
class View:
    """What an image of ``width`` × ``height`` pixels shows: its centre and (fractional) zoom."""

    lon: float
    lat: float
    zoom: float
    width: int
    height: int

    @classmethod
    def fit(cls, bbox: BBox, width: int, height: int, max_zoom: float = 19.0) -> View:
        """The view that shows all of ``bbox`` as large as possible, centred on it."""
        x0, y0 = lonlat_to_pixel(bbox.west, bbox.north, 0)
        x1, y1 = lonlat_to_pixel(bbox.east, bbox.south, 0)
        lon, lat = pixel_to_lonlat((x0 + x1) / 2, (y0 + y1) / 2, 0)
        return cls(lon, lat, fit_zoom(bbox, width, height, max_zoom), int(width), int(height))

    @classmethod
    def around(cls, lon: float, lat: float, radius_m: float, width: int, height: int) -> View:
        """Centred on a point, showing at least ``radius_m`` metres to each side."""
        view = cls.fit(bbox_around(lon, lat, radius_m), width, height)
        return cls(lon, lat, view.zoom, int(width), int(height))

    def to_pixel(self, lon: float, lat: float) -> tuple[float, float]:
        """Image pixel coordinates of a point (may lie outside the image)."""
        cx, cy = lonlat_to_pixel(self.lon, self.lat, self.zoom)
        x, y = lonlat_to_pixel(lon, lat, self.zoom)
        return x - cx + self.width / 2, y - cy + self.height / 2

    def to_lonlat(self, px: float, py: float) -> tuple[float, float]:
        cx, cy = lonlat_to_pixel(self.lon, self.lat, self.zoom)
        return pixel_to_lonlat(px + cx - self.width / 2, py + cy - self.height / 2, self.zoom)

    @property
    def bbox(self) -> BBox:
        west, north = self.to_lonlat(0, 0)
        east, south = self.to_lonlat(self.width, self.height)
        return BBox(west, south, east, north)

    @property
    def metres_per_pixel(self) -> float:
        return ground_resolution(self.lat, self.zoom)
