"""Checklist templates in the registry: one row per version, the shipped defaults, and the office's edits.

A family is one template through its versions; exactly one version of a family is ``active`` (offered for new
inspections). Editing never changes a stored version: it adds version n + 1 and makes it the active one, so every
inspection keeps the questions it was asked. Copying makes a new family. Only office users change templates.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from nibi_desk.errors import NotFound, ValidationError, Where
from nibi_desk.i18n import N_, language
from nibi_desk.ids import uuid7
from nibi_desk.inspection import template_files
from nibi_desk.inspection.form import Form
from nibi_desk.inspection.users import OFFICE, require, run_as
from nibi_desk.storage.hlc import ZERO
from nibi_desk.storage.writer import WriteTxn

if TYPE_CHECKING:
    from nibi_desk.context import Context

# Shipped rows carry the lowest possible version stamp: identical in every registry, older than any local edit.
SHIPPED_STAMP = ZERO + "shipped"
COLUMNS = "id, family, version, asset_type, name, active, deleted, created_hlc, hlc"


def install_shipped(conn: sqlite3.Connection) -> int:
    """Insert the shipped template versions a registry does not have yet (on create and open); returns how many.

    Rows have deterministic ids, so every registry agrees on them. A shipped version whose (family, version) an
    office edit already took is left out; a newer shipped version of a family that exists arrives inactive, for an
    office user to activate.
    """
    added = 0
    for doc in template_files.shipped():
        family = template_files.family_id(doc["key"])
        body = json.dumps(template_files.body_of(doc), ensure_ascii=False, sort_keys=True)
        cursor = conn.execute(
            "INSERT OR IGNORE INTO templates (id, family, version, asset_type, name, body, active, created_hlc, "
            "field_hlc, hlc) SELECT ?, ?, ?, ?, ?, ?, NOT EXISTS (SELECT 1 FROM templates WHERE family = ?), ?, "
            "'{}', ?",
            (template_files.version_id(family, doc["version"]), family, doc["version"], doc["asset_type"],
             doc["name"]["zh_CN"], body, family, SHIPPED_STAMP, SHIPPED_STAMP))
        added += cursor.rowcount
    return added


# -- reading -------------------------------------------------------------------------------------------------------
def _row(row: sqlite3.Row) -> dict:
    out = dict(row)
    if isinstance(out.get("body"), str):
        out["body"] = json.loads(out["body"])
    return out


def get(conn: sqlite3.Connection, template_id: str) -> dict:
    """One template version with its body parsed."""
    row = conn.execute("SELECT * FROM templates WHERE id = ?", (template_id,)).fetchone()
    if row is None:
        raise NotFound("No checklist template {id}", id=template_id)
    return _row(row)


def form_of(conn: sqlite3.Connection, template_id: str) -> Form:
    return Form.from_body(get(conn, template_id)["body"], template_id)


def list_templates(conn: sqlite3.Connection, asset_type: str | None = None, active_only: bool = True) -> list[dict]:
    """Template versions (without bodies), newest version first within each family."""
    sql = f"SELECT {COLUMNS} FROM templates WHERE deleted = 0"
    params: list = []
    if asset_type:
        sql += " AND asset_type = ?"
        params.append(asset_type)
    if active_only:
        sql += " AND active = 1"
    return [dict(r) for r in conn.execute(sql + " ORDER BY asset_type, family, version DESC", params)]


def versions(conn: sqlite3.Connection, family: str) -> list[dict]:
    return [dict(r) for r in conn.execute(
        f"SELECT {COLUMNS} FROM templates WHERE family = ? AND deleted = 0 ORDER BY version", (family,))]


def default_for(conn: sqlite3.Connection, asset_type: str) -> dict:
    """The template a new inspection of this asset type uses unless one is chosen: the active version of the
    shipped family if it is active, else the oldest active family of the type."""
    shipped = template_files.family_id(asset_type)
    row = conn.execute(
        "SELECT * FROM templates WHERE asset_type = ? AND active = 1 AND deleted = 0 "
        "ORDER BY family != ?, seq LIMIT 1", (asset_type, shipped)).fetchone()
    if row is None:
        raise NotFound("No active checklist template for asset type {type}", type=asset_type)
    return _row(row)


def title(template: dict, lang: str | None = None) -> str:
    name = template["body"]["name"] if "body" in template else {"zh_CN": template["name"]}
    return name.get(lang or language()) or name["zh_CN"]


# -- office commands -----------------------------------------------------------------------------------------------
def _insert(txn: WriteTxn, family: str, version: int, doc: dict) -> str:
    for (other,) in txn.execute("SELECT id FROM templates WHERE family = ? AND active = 1 AND deleted = 0",
                                (family,)).fetchall():
        txn.update("templates", other, {"active": 0})
    return txn.insert("templates", {
        "family": family, "version": version, "asset_type": doc["asset_type"], "name": doc["name"]["zh_CN"],
        "body": json.dumps(template_files.body_of(doc), ensure_ascii=False, sort_keys=True), "active": 1})


def _checked(txn: WriteTxn, doc: dict, source: str | None = None) -> dict:
    types = [r[0] for r in txn.execute("SELECT code FROM asset_types")]
    return template_files.validate(doc, source=source, asset_types=types)


def new_version(ctx: Context, template_id: str, doc: dict) -> str:
    """Store an edited body as the next version of ``template_id``'s family and make it active (office only)."""
    require(ctx, OFFICE, action=N_("edit checklist templates"))

    def write(txn: WriteTxn) -> str:
        current = txn.get("templates", template_id)
        checked = _checked(txn, doc)
        if checked["asset_type"] != current["asset_type"]:
            raise ValidationError("A new version must keep the asset type {type}; copy the template instead",
                                  where=Where(field="asset_type"), type=current["asset_type"])
        version = txn.execute("SELECT max(version) FROM templates WHERE family = ?",
                              (current["family"],)).fetchone()[0] + 1
        return _insert(txn, current["family"], version, checked)

    return run_as(ctx, write)


def copy_template(ctx: Context, template_id: str, name: dict | None = None) -> str:
    """Copy a template version into a new family (version 1, active) with an optional new name (office only)."""
    require(ctx, OFFICE, action=N_("edit checklist templates"))

    def write(txn: WriteTxn) -> str:
        doc = json.loads(txn.get("templates", template_id)["body"])
        if name:
            doc["name"] = name
        return _insert(txn, uuid7(), 1, _checked(txn, doc))

    return run_as(ctx, write)


def import_file(ctx: Context, path: str | Path) -> str:
    """Store a template file: the next version of its family when its ``key`` names one here, else a new family."""
    require(ctx, OFFICE, action=N_("edit checklist templates"))
    doc = template_files.load_file(path)

    def write(txn: WriteTxn) -> str:
        _checked(txn, doc, Path(path).name)
        family = template_files.family_id(doc["key"]) if "key" in doc else uuid7()
        last = txn.execute("SELECT max(version) FROM templates WHERE family = ?", (family,)).fetchone()[0]
        return _insert(txn, family, (last or 0) + 1, doc)

    return run_as(ctx, write)


def set_active(ctx: Context, template_id: str) -> None:
    """Make this version the one its family offers for new inspections (office only)."""
    require(ctx, OFFICE, action=N_("edit checklist templates"))

    def write(txn: WriteTxn) -> None:
        row = txn.get("templates", template_id)
        for (other,) in txn.execute("SELECT id FROM templates WHERE family = ? AND id != ? AND active = 1",
                                    (row["family"], template_id)).fetchall():
            txn.update("templates", other, {"active": 0})
        txn.update("templates", template_id, {"active": 1})

    run_as(ctx, write)


def retire(ctx: Context, template_id: str) -> None:
    """Stop offering a family for new inspections (its versions stay for the inspections that used them)."""
    require(ctx, OFFICE, action=N_("edit checklist templates"))

    def write(txn: WriteTxn) -> None:
        row = txn.get("templates", template_id)
        for (other,) in txn.execute("SELECT id FROM templates WHERE family = ? AND active = 1",
                                    (row["family"],)).fetchall():
            txn.update("templates", other, {"active": 0})

    run_as(ctx, write)
