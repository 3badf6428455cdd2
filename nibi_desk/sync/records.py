"""Parsing a bundle's records as their entry is inflated (never written to disk): one JSON line at a time by
orjson, each checked against its table's compiled schema, string bounds and id uniqueness."""

from __future__ import annotations

from typing import Callable

import orjson

from nibi_desk.sync import format as fmt
from nibi_desk.sync.refusals import (E_DUPLICATE_ID, E_LINE_JSON, E_LINE_LONG, E_RECORD, E_STRING, BundleCancelled,
                                     BundleRefused, refuse)

Cancel = Callable[[], bool]


class Records:
    """Parses and checks one table's JSON Lines as they are inflated (never written to disk). The first problem is
    kept in ``error`` and parsing stops there; the caller raises it only once the entry's size and SHA-256 held, so
    a changed file is reported as changed rather than as a bad record."""

    def __init__(self, entry: str, table: str, limits: fmt.Limits, cancelled: Cancel):
        self.entry, self.table, self.limits, self.cancelled = entry, table, limits, cancelled
        self.check = fmt.fast_check(table)
        self.strict_strings = limits.max_string < 1_000_000
        self.id_key = "code" if table == "divisions" else "id"
        self.records: list[dict] = []
        self.ids: set = set()
        self.number = 0       # lines seen
        self.rest = b""       # an incomplete last line
        self.error: BundleRefused | None = None

    def feed(self, chunk: bytes) -> None:
        if self.error is not None:
            return
        lines = (self.rest + chunk if self.rest else chunk).split(b"\n")
        self.rest = lines.pop()
        try:
            self._lines(lines)
            if len(self.rest) > self.limits.max_line:
                raise refuse(E_LINE_LONG, self.entry, self.number + 1, limit=self.limits.max_line)
        except BundleRefused as e:
            self.error = e

    def finish(self) -> BundleRefused | None:
        """The first problem, or None once the whole entry has been read (a last line may lack its newline)."""
        if self.error is None and self.rest:
            try:
                self._lines([self.rest], newline=0)
            except BundleRefused as e:
                self.error = e
            self.rest = b""
        return self.error

    def _lines(self, lines: list[bytes], newline: int = 1) -> None:
        limits, entry, check, id_key = self.limits, self.entry, self.check, self.id_key
        records, ids, loads = self.records, self.ids, orjson.loads
        number = self.number
        for line in lines:
            number += 1
            if number % 5000 == 0 and self.cancelled():
                raise BundleCancelled()
            if len(line) + newline > limits.max_line:
                raise refuse(E_LINE_LONG, entry, number, limit=limits.max_line)
            try:
                record = loads(line)
            except ValueError:
                if not line.strip():
                    continue
                raise refuse(E_LINE_JSON, entry, number) from None
            valid = check(record)  # every string in the schemas is bounded: lengths are checked with the rest
            if not valid or self.strict_strings:
                if not fmt.check_strings(record, limits.max_string):
                    raise refuse(E_STRING, entry, number, limit=limits.max_string)
                if not valid:
                    raise refuse(E_RECORD, entry, number, error=fmt.first_error(self.table, record) or "schema")
            key = record[id_key]
            if key in ids:
                raise refuse(E_DUPLICATE_ID, entry, number, id=key)
            ids.add(key)
            records.append(record)
        self.number = number
