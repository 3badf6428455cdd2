"""Hybrid logical clock: version stamps that order writes across offline devices despite skewed wall clocks."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

# A stamp is "<wall ms, 13 digits>-<counter, 5 digits>-<device>"; fixed-width fields make string order equal to
# (wall, counter, device) order, so SQLite can compare and index stamps as TEXT and ties break by device.
_WALL_DIGITS = 13
_COUNTER_DIGITS = 5
_MAX_COUNTER = 10**_COUNTER_DIGITS - 1
ZERO = "0" * _WALL_DIGITS + "-" + "0" * _COUNTER_DIGITS + "-"


@dataclass(frozen=True, order=True)
class Stamp:
    wall_ms: int
    counter: int
    device: str

    def __str__(self) -> str:
        return f"{self.wall_ms:0{_WALL_DIGITS}d}-{self.counter:0{_COUNTER_DIGITS}d}-{self.device}"

    @classmethod
    def parse(cls, text: str) -> Stamp:
        wall, counter, device = text.split("-", 2)
        if len(wall) != _WALL_DIGITS or len(counter) != _COUNTER_DIGITS or not device:
            raise ValueError(f"not a version stamp: {text!r}")
        return cls(int(wall), int(counter), device)


class HybridClock:
    """Issues stamps greater than every stamp issued or observed before, even if the wall clock goes back."""

    def __init__(self, device: str, last: str | None = None, wall=lambda: time.time_ns() // 1_000_000):
        if "-" in device:
            raise ValueError("device id for stamps must not contain '-'")
        self.device = device
        self._wall = wall
        self._lock = threading.Lock()
        parsed = Stamp.parse(last) if last else None
        self._last_wall = parsed.wall_ms if parsed else 0
        self._last_counter = parsed.counter if parsed else 0

    def now(self) -> str:
        with self._lock:
            wall = self._wall()
            if wall > self._last_wall:
                self._last_wall, self._last_counter = wall, 0
            elif self._last_counter >= _MAX_COUNTER:
                # The counter must stay fixed-width for string order to equal stamp order: borrow the next ms.
                self._last_wall, self._last_counter = self._last_wall + 1, 0
            else:
                self._last_counter += 1
            return str(Stamp(self._last_wall, self._last_counter, self.device))

    def observe(self, remote: str) -> None:
        """Advance past a stamp received from another device (a bundle), so later local writes order after it."""
        stamp = Stamp.parse(remote)
        with self._lock:
            if (stamp.wall_ms, stamp.counter) > (self._last_wall, self._last_counter):
                self._last_wall, self._last_counter = stamp.wall_ms, stamp.counter

    @property
    def last(self) -> str:
        return str(Stamp(self._last_wall, self._last_counter, self.device))
