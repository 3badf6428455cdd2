"""Photos as evidence: photo rows (metadata of originals in the photo store), evidence links, the signature image.

The bytes live in :class:`nibi_desk.photos.store.PhotoStore` beside the registry; a ``photos`` row describes one
original (SHA-256, size, EXIF time and place) and an ``evidence`` row says what it proves: an inspection item, or a
defect before or after rectification. Commands take a photo description made by :func:`photo_values` from a stored
file's hash and its EXIF (:class:`nibi_desk.photos.exif.PhotoInfo` or a mapping with the same names).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict, is_dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Mapping

from nibi_desk.errors import ImportFailed, ValidationError, Where
from nibi_desk.photos import checks
from nibi_desk.photos.store import PhotoStore
from nibi_desk.storage.writer import WriteTxn

PHASES = ("evidence", "before", "after")
_INFO_FIELDS = ("taken_at", "lon", "lat", "alt", "orientation", "make", "model")


def photo_values(sha256: str, size: int, info: Any = None, original_name: str | None = None,
                 media_type: str = "image/jpeg") -> dict:
    """Values of a ``photos`` row for a stored original; ``info`` is a PhotoInfo or a mapping (or None)."""
    sha = PhotoStore.check_hash(sha256)
    if info is not None and not isinstance(info, Mapping):
        info = {**asdict(info), "missing": info.missing} if is_dataclass(info) else vars(info)
    info = dict(info or {})
    values: dict[str, Any] = {"sha256": sha, "size": int(size), "media_type": media_type,
                              "original_name": original_name}
    for key in _INFO_FIELDS:
        value = info.get(key)
        values[key] = value.isoformat() if isinstance(value, datetime) else value
    missing = info.get("missing") or {}
    values["missing"] = json.dumps({k: (v.to_dict() if hasattr(v, "to_dict") else v) for k, v in missing.items()},
                                   ensure_ascii=False, sort_keys=True, default=str)
    return values


def store_file(registry_path: str | Path, path: str | Path) -> dict:
    """Copy a JPEG into the registry's photo store and read its EXIF; returns :func:`photo_values`."""
    result = PhotoStore.for_registry(registry_path).import_files([path])[0]
    if not result.ok:
        raise ImportFailed("Cannot store the photo: {reason}", where=Where(file=Path(path).name),
                           reason=result.error.message())
    return photo_values(result.sha256, result.size, result.info, original_name=Path(path).name)


def store_png(registry_path: str | Path, data: bytes, name: str) -> dict:
    """Keep a PNG (a signature) in the photo store; returns :func:`photo_values` for it."""
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        raise ValidationError("The signature must be a PNG image", where=Where(field="signature"))
    sha, _existed = PhotoStore.for_registry(registry_path).add_bytes(data)
    return photo_values(sha, len(data), None, original_name=name, media_type="image/png")


def ensure_photo(txn: WriteTxn, values: Mapping[str, Any]) -> str:
    """The id of the photos row for ``values["sha256"]``, inserting it the first time (a photo is stored once)."""
    row = txn.execute("SELECT id FROM photos WHERE sha256 = ?", (values["sha256"],)).fetchone()
    if row is not None:
        return row[0]
    return txn.insert("photos", dict(values))


def findings(photo: Mapping[str, Any], started_at: str | None, asset: Mapping[str, Any],
             max_distance_m: float) -> list[dict]:
    """Plausibility findings of an evidence photo (time and place) as stored in ``evidence.flags``."""
    taken = photo.get("taken_at")
    found = []
    if started_at:
        found.append(checks.check_time(datetime.fromisoformat(taken) if taken else None,
                                       datetime.fromisoformat(started_at)))
    found.append(checks.check_position(photo.get("lon"), photo.get("lat"), asset.get("lon"), asset.get("lat"),
                                       max_distance_m))
    return [{k: v for k, v in f.to_dict().items() if k != "message"} for f in found if f is not None]


def add(txn: WriteTxn, photo_id: str, *, inspection: str | None = None, defect: str | None = None,
        item: str | None = None, phase: str = "evidence", caption: str | None = None,
        flags: list[dict] | None = None) -> str:
    if phase not in PHASES:
        raise ValidationError("Unknown photo phase {phase}", where=Where(field="phase"), phase=phase)
    return txn.insert("evidence", {"photo": photo_id, "inspection": inspection, "defect": defect, "item": item,
                                   "phase": phase, "caption": caption,
                                   "flags": json.dumps(flags or [], ensure_ascii=False)})


# -- reading -------------------------------------------------------------------------------------------------------
EVIDENCE_SQL = ("SELECT e.id, e.photo, e.inspection, e.defect, e.item, e.phase, e.caption, e.flags, e.stamped, "
                "p.sha256, p.media_type, p.taken_at, p.lon, p.lat, p.original_name FROM evidence e "
                "JOIN photos p ON p.id = e.photo WHERE e.deleted = 0 AND ")


def _rows(cursor) -> list[dict]:
    out = []
    for r in cursor:
        d = dict(r)
        d["flags"] = json.loads(d["flags"] or "[]")
        out.append(d)
    return out


def of_inspection(conn: sqlite3.Connection, inspection_id: str) -> list[dict]:
    return _rows(conn.execute(EVIDENCE_SQL + "e.inspection = ? AND e.defect IS NULL ORDER BY e.seq",
                              (inspection_id,)))


def of_defect(conn: sqlite3.Connection, defect_id: str) -> list[dict]:
    return _rows(conn.execute(EVIDENCE_SQL + "e.defect = ? ORDER BY e.seq", (defect_id,)))


def counts_by_item(conn: sqlite3.Connection, inspection_id: str) -> dict[str, int]:
    """Photos attached per checklist item (what the form needs to unblock photo-required items)."""
    return {item: n for item, n in conn.execute(
        "SELECT item, count(*) FROM evidence WHERE inspection = ? AND defect IS NULL AND deleted = 0 "
        "AND item IS NOT NULL GROUP BY item", (inspection_id,))}
