"""Schema migrations: the SQL files in db/migrations, applied in name order with sqlite-utils Migrations."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database, Migrations

from nibi_desk import paths

MIGRATION_SET = "nibi_registry"


def migration_files() -> list[Path]:
    return sorted(paths.db_dir().joinpath("migrations").glob("[0-9][0-9][0-9][0-9]_*.sql"))


def split_statements(script: str) -> list[str]:
    """Split a SQL script into complete statements (trigger bodies contain ';', so a plain split is wrong).

    Statements run one by one with execute() because executescript() would COMMIT the migration's transaction.
    """
    statements, buffer = [], ""
    for line in script.splitlines(keepends=True):
        if not buffer and (not line.strip() or line.lstrip().startswith("--")):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        raise ValueError(f"incomplete SQL statement at the end of a migration: {buffer[:80]!r}")
    return statements


def build() -> Migrations:
    migrations = Migrations(MIGRATION_SET)
    for path in migration_files():
        statements = split_statements(path.read_text(encoding="utf-8"))

        def apply(db: Database, statements=statements) -> None:
            for statement in statements:
                db.execute(statement)

        migrations(name=path.stem)(apply)
    return migrations


def apply_all(conn: sqlite3.Connection) -> list[str]:
    """Apply pending migrations; return the names applied (empty when the schema is current)."""
    from nibi_desk.storage import chars

    chars.register(conn)  # migrations that fill the search index call it
    db = Database(conn)
    migrations = build()
    pending = [m.name for m in migrations.pending(db)]
    migrations.apply(db)
    return pending


def applied(conn: sqlite3.Connection) -> list[str]:
    return [m.name for m in build().applied(Database(conn))]
