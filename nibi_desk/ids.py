"""Time-ordered record identities (UUIDv7, RFC 9562) for every row that can travel between registries."""

from __future__ import annotations

import os
import threading
import time
import uuid

# Python 3.11 has no uuid.uuid7 (it arrives in 3.14). RFC 9562 §6.2 method 1 (a 12-bit counter in rand_a, seeded
# randomly each millisecond) is a dozen lines, so it is written here rather than adding a dependency.
_lock = threading.Lock()
_last_ms = 0
_counter = 0


def uuid7() -> str:
    """A new UUIDv7 as its canonical 36-character string; strictly increasing within this process."""
    global _last_ms, _counter
    with _lock:
        ms = time.time_ns() // 1_000_000
        if ms > _last_ms:
            _last_ms = ms
            _counter = int.from_bytes(os.urandom(2), "big") & 0x7FF  # leave headroom before the 12-bit counter wraps
        else:
            _counter += 1
            if _counter > 0xFFF:  # counter exhausted within one millisecond: borrow the next millisecond
                _last_ms += 1
                _counter = 0
        ms, counter = _last_ms, _counter
    rand_b = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
    return _format(ms, counter, rand_b)


def _format(ms: int, counter: int, rand_b: int) -> str:
    # Formatting the hex directly is several times faster than uuid.UUID(int=...), which matters for bulk imports.
    h = f"{(ms & ((1 << 48) - 1)) << 80 | 0x7 << 76 | counter << 64 | 0b10 << 62 | rand_b:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def uuid7_batch(n: int) -> list[str]:
    """``n`` new UUIDv7s in increasing order, with one call to the random source (bulk imports)."""
    global _last_ms, _counter
    randoms = os.urandom(8 * n)
    out = []
    with _lock:
        ms = max(time.time_ns() // 1_000_000, _last_ms)
        counter = _counter if ms == _last_ms else int.from_bytes(os.urandom(2), "big") & 0x7FF
        mask = (1 << 62) - 1
        for i in range(n):
            counter += 1
            if counter > 0xFFF:
                ms, counter = ms + 1, 0
            out.append(_format(ms, counter, int.from_bytes(randoms[8 * i:8 * i + 8], "big") & mask))
        _last_ms, _counter = ms, counter
    return out


def is_uuid(text: str) -> bool:
    try:
        return str(uuid.UUID(text)) == text.lower()
    except (ValueError, AttributeError, TypeError):
        return False
