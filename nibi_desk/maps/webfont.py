"""The bundled CJK font for web pages: the first font of wqy-microhei.ttc rebuilt as a plain TrueType file.

Chromium's font sanitizer (OTS) rejects the collection ("FFTM: misaligned table": tables shared between the fonts of a
.ttc sit at offsets that are not multiples of four), and machines without a Chinese system font would show tofu on
the map. Copying the first font's tables into a fresh, 4-byte-aligned sfnt is all it takes; no font library needed.
"""

from __future__ import annotations

import struct
from functools import lru_cache
from pathlib import Path

from nibi_desk import paths

SOURCE = "wqy-microhei.ttc"
WEB_NAME = "nibi-sans.ttf"
FAMILY = "NibiSans"


def extract_ttf(collection: bytes, index: int = 0) -> bytes:
    """Font ``index`` of a TrueType collection as a standalone .ttf (a plain .ttf is returned unchanged)."""
    if collection[:4] != b"ttcf":
        return collection
    count = struct.unpack_from(">I", collection, 8)[0]
    if not 0 <= index < count:
        raise ValueError(f"the collection has {count} fonts, no font {index}")
    start = struct.unpack_from(">I", collection, 12 + 4 * index)[0]
    version, num_tables, search_range, entry_selector, range_shift = struct.unpack_from(">IHHHH", collection, start)
    records = [struct.unpack_from(">4sIII", collection, start + 12 + 16 * i) for i in range(num_tables)]
    header = struct.pack(">IHHHH", version, num_tables, search_range, entry_selector, range_shift)
    offset = 12 + 16 * num_tables
    directory, body = [], []
    for tag, checksum, table_offset, length in sorted(records):
        data = collection[table_offset:table_offset + length]
        directory.append(struct.pack(">4sIII", tag, checksum, offset, length))
        padded = data + b"\0" * (-len(data) % 4)
        body.append(padded)
        offset += len(padded)
    return header + b"".join(directory) + b"".join(body)


def source_path() -> Path:
    return paths.resources_dir() / "fonts" / SOURCE


@lru_cache(maxsize=1)
def web_font() -> bytes | None:
    """The page font's bytes (None when the bundled font is missing: the page then uses system fonts)."""
    path = source_path()
    if not path.is_file():
        return None
    return extract_ttf(path.read_bytes())
