"""The single-character search index: text as space-separated characters, so FTS5 can find 1-2 character queries.

The trigram index answers queries of three or more characters; shorter ones would need a full scan (0.4-0.8 s over
a million assets). Indexing every letter, digit and CJK character as its own token lets FTS5 answer "路" as a token
query and "光化" as a phrase of two adjacent tokens in well under a millisecond. The spacing is done by the SQL
function nibi_chars(), registered on every connection that may write (the writer, migrations), so the triggers
that keep the index current run only through this program.
"""

from __future__ import annotations

import sqlite3

FUNCTION = "nibi_chars"


def spaced(*parts: str | None) -> str:
    """Letters and digits of the parts, lower-cased, one per token; everything else separates nothing."""
    return " ".join(ch for part in parts if part for ch in part.lower() if ch.isalnum())


def register(conn: sqlite3.Connection) -> None:
    conn.create_function(FUNCTION, -1, spaced, deterministic=True)


def phrase(text: str) -> str | None:
    """The FTS5 phrase for a 1-2 character query, or None when it has characters the index does not hold."""
    chars = text.strip().lower()
    if not chars or not all(ch.isalnum() for ch in chars):
        return None
    return '"' + " ".join(chars) + '"'
