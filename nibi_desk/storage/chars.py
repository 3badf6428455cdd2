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


def spaced(text: str | None) -> str:
    """Letters and digits of one field, lower-cased, one per token; everything else separates nothing."""
    return " ".join(ch for ch in (text or "").lower() if ch.isalnum())


def register(conn: sqlite3.Connection) -> None:
    conn.create_function(FUNCTION, 1, spaced, deterministic=True)


def phrase(text: str) -> tuple[str, bool] | None:
    """The FTS5 query for a 1-2 character text, and whether the rows it finds must be re-checked.

    A text of letters and digits is an exact phrase. One with punctuation ("G-") is looked up by its letters and
    digits and re-checked with instr() on those rows only; a text of punctuation alone returns None (a scan).
    """
    chars = text.strip().lower()
    kept = [ch for ch in chars if ch.isalnum()]
    if not kept:
        return None
    return '"' + " ".join(kept) + '"', len(kept) != len(chars)
