"""Checks that an installation is complete: migrations, reference data and resources are found and usable."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from nibi_desk import paths
from nibi_desk.i18n import _


@dataclass
class Check:
    name: str
    ok: bool
    detail: str


def run() -> list[Check]:
    checks: list[Check] = []

    def add(name: str, fn) -> None:
        try:
            detail = fn()
            checks.append(Check(name, True, detail))
        except Exception as e:  # a check reports every failure instead of stopping at the first
            checks.append(Check(name, False, f"{type(e).__name__}: {e}"))

    add(_("data directories"), lambda: str(paths.data_root()))
    add(_("schema migrations"), _check_migrations)
    add(_("asset types"), _check_asset_types)
    add(_("bundled divisions"), _check_divisions)
    add(_("checklist templates"), _check_templates)
    add(_("translations"), _check_translations)
    add(_("FTS5 trigram and R*Tree in this SQLite"), _check_sqlite)
    add(_("bundled CJK font"), lambda: _files("resources", "fonts", "*.tt[cf]"))
    add(_("Qt Designer forms"), lambda: _files("ui", "", "*.ui"))
    add(_("stylesheets"), lambda: _files("ui", "styles", "*.qss"))
    add(_("interface translations (Qt Linguist sources)"), lambda: _files("resources", "translations", "*.ts"))
    add(_("user guide"), _check_guide)
    return checks


def _files(top: str, sub: str, pattern: str) -> str:
    folder = paths.data_root() / top / sub
    found = sorted(p.name for p in folder.glob(pattern))
    if not found:
        raise FileNotFoundError(folder / pattern)
    return ", ".join(found)


def _check_guide() -> str:
    found = sorted(p.parent.name for p in (paths.docs_dir() / "guide").glob("*/index.md"))
    if not found:
        raise FileNotFoundError(paths.docs_dir() / "guide")
    return ", ".join(found)


def _check_migrations() -> str:
    from nibi_desk.storage import migrations

    files = migrations.migration_files()
    if not files:
        raise FileNotFoundError(paths.db_dir() / "migrations")
    conn = sqlite3.connect(":memory:")
    applied = migrations.apply_all(conn)
    return _("{n} applied to an empty database: {names}").format(n=len(applied), names=", ".join(applied))


def _check_asset_types() -> str:
    from nibi_desk.domain import asset_types
    from nibi_desk.storage.reference import asset_types_document

    doc = asset_types_document()
    types = [asset_types.from_row(t["code"], t["name"]["zh_CN"], t["name"]["en"],
                                  json.dumps({k: t[k] for k in ("code_rule", "attributes")})) for t in doc["types"]]
    return ", ".join(f"{t.code} ({len(t.attributes)})" for t in types)


def _check_templates() -> str:
    from nibi_desk.inspection import template_files

    docs = template_files.shipped()  # validated against db/templates/schema.json
    if not docs:
        raise FileNotFoundError(template_files.templates_dir())
    return ", ".join(f"{d['asset_type']} v{d['version']} ({sum(len(s['items']) for s in d['sections'])})"
                     for d in docs)


def _check_divisions() -> str:
    from nibi_desk.storage.reference import bundled_counties

    counties = bundled_counties()
    if not counties:
        raise FileNotFoundError(paths.db_dir() / "reference" / "divisions")
    return ", ".join(f"{code}: {len(doc['divisions'])}" for code, doc in counties.items())


def _check_translations() -> str:
    from nibi_desk import i18n

    n = len(i18n.catalog("zh_CN"))
    if n == 0:
        raise FileNotFoundError(paths.resources_dir() / "translations" / "zh_CN")
    return _("{n} core messages in zh_CN").format(n=n)


def _check_sqlite() -> str:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='trigram')")
    conn.execute("CREATE VIRTUAL TABLE r USING rtree(id, a, b)")
    return f"SQLite {sqlite3.sqlite_version}"
