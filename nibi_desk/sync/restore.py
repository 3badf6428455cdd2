"""Restoring a backup bundle into a new registry (the backup's county), trusting that one file explicitly.

Password hashes never travel, so a restored registry's users have none: ``admin`` names an office user whose
password is set during the restore, so that someone can sign in and set the others'.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from nibi_desk.context import Context
from nibi_desk.errors import ImportFailed, ValidationError, Where
from nibi_desk.storage.registry import Registry
from nibi_desk.sync import apply
from nibi_desk.sync.plan import Plan
from nibi_desk.sync.reader import open_bundle


def restore(bundle_path: str | Path, target: str | Path, admin: str | None = None,
            password: str | None = None) -> Plan:
    target = Path(target)
    with tempfile.TemporaryDirectory(prefix="nibi-restore-", dir=target.parent if target.parent.exists() else None) \
            as tmp:
        with open_bundle(bundle_path, tmp) as probe:
            if probe.kind != "backup":
                raise ImportFailed("Only a backup bundle can be restored; this is a {kind} bundle",
                                   where=Where(file=Path(bundle_path).name), kind=probe.kind)
            county = probe.sender["county"]
    registry = Registry.create(target, county)
    try:
        ctx = Context(registry)
        with apply.open_for_import(ctx, bundle_path) as bundle:
            plan = apply.apply(ctx, bundle, trust_once=True, reason="restore")
        if admin:
            _set_admin(registry, admin, password)
    except BaseException:
        registry.close()
        target.unlink(missing_ok=True)
        shutil.rmtree(target.with_name(target.name + ".photos"), ignore_errors=True)
        raise
    registry.close()
    return plan


def _set_admin(registry: Registry, login: str, password: str | None) -> None:
    from nibi_desk.inspection.users import hash_password

    hashed = hash_password(password or "")

    def write(txn):
        row = txn.execute("SELECT id FROM users WHERE lower(login) = lower(?) AND role = 'office' AND deleted = 0",
                          (login,)).fetchone()
        if row is None:
            raise ValidationError("No office user {login} in the backup", where=Where(field="login"), login=login)
        txn.update("users", row[0], {"password_hash": hashed, "active": 1})
        txn.execute("UPDATE audit SET changes = json_set(changes, '$.password_hash', json('[\"***\", \"***\"]')) "
                    "WHERE row_id = ? AND hlc = ? AND json_extract(changes, '$.password_hash') IS NOT NULL",
                    (row[0], txn.stamp))

    registry.writer.run(write)
