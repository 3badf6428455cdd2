"""Restoring a backup bundle into a new registry (the backup's county), trusting that one file explicitly.

Password hashes never travel, so a restored registry's users have none: ``admin`` names an office user whose
password is set during the restore, so that someone can sign in and set the others'.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from nibi_desk.context import Context
from nibi_desk.errors import ImportFailed, ValidationError, Where
from nibi_desk.photos.store import PhotoStore
from nibi_desk.storage.registry import Registry
from nibi_desk.sync import apply
from nibi_desk.sync.plan import Plan
from nibi_desk.sync.reader import Bundle, open_bundle


@dataclass(frozen=True)
class BackupInfo:
    county: str
    created: str
    sender: str
    office_logins: tuple[str, ...]   # who can be the restored registry's first signed-in office user


def _info(bundle: Bundle, path: Path) -> BackupInfo:
    if bundle.kind != "backup":
        raise ImportFailed("Only a backup bundle can be restored; this is a {kind} bundle",
                           where=Where(file=path.name), kind=bundle.kind)
    logins = sorted(u["values"]["login"] for u in bundle.records.get("users", [])
                    if u["values"].get("role") == "office" and not u["values"].get("deleted")
                    and u["values"].get("active", 1))
    return BackupInfo(bundle.sender["county"], bundle.manifest.get("created_at", ""),
                      bundle.sender.get("name") or bundle.sender.get("device", ""), tuple(logins))


def probe(bundle_path: str | Path, staging: str | Path | None = None) -> BackupInfo:
    """Check a backup bundle completely (signature, hashes, schemas) and say what it holds, without a registry."""
    with tempfile.TemporaryDirectory(prefix="nibi-restore-", dir=staging) as tmp:
        with open_bundle(bundle_path, tmp) as bundle:
            return _info(bundle, Path(bundle_path))


def restore(bundle_path: str | Path, target: str | Path, admin: str | None = None,
            password: str | None = None) -> Plan:
    """Restore into a new registry file ``target``. A backup with office users needs ``admin`` (one of them) and
    its new password, or nobody could sign in to the restored registry. The bundle is read and checked once,
    staged where the new registry's photos go, and checked for the users before the registry is created."""
    target = Path(target)
    if target.exists():
        raise ValidationError("{path} already exists; a backup restores into a new registry",
                              where=Where(file=target.name), path=str(target))
    photos = target.with_name(target.name + ".photos")
    try:
        with apply.open_checked(bundle_path, PhotoStore.for_registry(target).root / "tmp") as bundle:
            info = _info(bundle, Path(bundle_path))
            if info.office_logins and not admin:
                raise ValidationError("The backup has users: name the office user ({logins}) whose password the "
                                      "restore sets", where=Where(field="admin"),
                                      logins=", ".join(info.office_logins))
            hashed = None
            if admin:
                from nibi_desk.inspection.users import hash_password

                if admin.lower() not in {login.lower() for login in info.office_logins}:
                    raise ValidationError("No office user {login} in the backup", where=Where(field="admin"),
                                          login=admin)
                hashed = hash_password(password or "")  # checked (length) before anything is written
            registry = Registry.create(target, info.county)
            try:
                plan = apply.apply(Context(registry), bundle, trust_once=True, reason="restore")
                if admin:
                    _set_admin(registry, admin, hashed)
            finally:
                registry.close()
    except BaseException:
        target.unlink(missing_ok=True)
        shutil.rmtree(photos, ignore_errors=True)
        raise
    return plan


def _set_admin(registry: Registry, login: str, hashed: str) -> None:
    def write(txn):
        row = txn.execute("SELECT id FROM users WHERE lower(login) = lower(?) AND role = 'office' AND deleted = 0",
                          (login,)).fetchone()
        if row is None:
            raise ValidationError("No office user {login} in the backup", where=Where(field="admin"), login=login)
        txn.update("users", row[0], {"password_hash": hashed, "active": 1})
        txn.execute("UPDATE audit SET changes = json_set(changes, '$.password_hash', json('[\"***\", \"***\"]')) "
                    "WHERE row_id = ? AND hlc = ? AND json_extract(changes, '$.password_hash') IS NOT NULL",
                    (row[0], txn.stamp))

    registry.writer.run(write)
