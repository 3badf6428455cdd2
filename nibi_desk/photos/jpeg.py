"""A cheap structural check of JPEG bytes (no pixel decoding): signature, segment chain, image data, end marker."""

from __future__ import annotations

from nibi_desk.i18n import N_
from nibi_desk.photos.reasons import Reason, reason

SOI = b"\xff\xd8"
EOI = b"\xff\xd9"

W_NOT_JPEG = N_("The file is not a JPEG (it starts with {start})")
W_HEADER_TRUNCATED = N_("The file is truncated inside its JPEG header (at byte {offset} of {size})")
W_BAD_MARKER = N_("The JPEG structure is damaged at byte {offset}")
W_NO_IMAGE_DATA = N_("The JPEG has no image data (no start-of-scan marker)")
W_DATA_TRUNCATED = N_("The image data is truncated (no end-of-image marker): the bottom of the picture is lost")

# Markers that stand alone (no length field): TEM, RST0-7, SOI.
_STANDALONE = {0x01, *range(0xD0, 0xD8), 0xD8}


def looks_like_jpeg(head: bytes) -> bool:
    """Whether the bytes start with a JPEG start-of-image marker followed by another marker."""
    return head[:3] == b"\xff\xd8\xff"


def check_structure(data: bytes) -> list[Reason]:
    """Problems of the JPEG structure, empty when it is whole.

    Walks the marker segments up to the first start-of-scan (SOS), then looks for the end-of-image marker after it:
    entropy-coded data never contains FF D9 (byte stuffing), so its absence means the file was cut short — the
    usual fate of a photo copied from a card that was pulled too early. Thumbnails inside the EXIF block carry
    their own FF D9, which is why the search starts after SOS. Costs one pass over the bytes, no decoding.
    """
    if not looks_like_jpeg(data):
        return [reason(W_NOT_JPEG, start=data[:4].hex(" ") or "-")]
    size, pos = len(data), 2
    while True:
        if pos + 2 > size:
            return [reason(W_HEADER_TRUNCATED, offset=pos, size=size)]
        if data[pos] != 0xFF:
            return [reason(W_BAD_MARKER, offset=pos)]
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte before a marker
            pos += 1
            continue
        if marker in _STANDALONE:
            pos += 2
            continue
        if marker == 0xD9:  # end of image before any image data
            return [reason(W_NO_IMAGE_DATA)]
        if pos + 4 > size:
            return [reason(W_HEADER_TRUNCATED, offset=pos, size=size)]
        length = int.from_bytes(data[pos + 2:pos + 4], "big")
        if length < 2:
            return [reason(W_BAD_MARKER, offset=pos)]
        end = pos + 2 + length
        if end > size:
            return [reason(W_HEADER_TRUNCATED, offset=pos, size=size)]
        if marker == 0xDA:  # start of scan: entropy-coded data follows
            # Searched from the end: EOI is normally the last two bytes (or sits before a short trailer), while a
            # forward search stumbles over every stuffed FF 00 of the scan data (10 ms for a 5 MB photo).
            return [] if data.rfind(EOI, end) >= 0 else [reason(W_DATA_TRUNCATED)]
        pos = end
