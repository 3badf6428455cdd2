"""Users and roles: argon2id password hashes, signing in, the Session carried in the Context, and role checks.

Roles (stored per user): ``inspector`` works in the field, ``office`` keeps the registry, plans, templates and the
rectification loop, ``supervisor`` reads and prints. Every command calls :func:`require` with the roles allowed to
do it, so the rules hold whatever the front end shows. The first user of a registry can be created without signing
in and must be an office user (someone has to be able to add the others).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from nibi_desk.errors import NotFound, PermissionDenied, SignInFailed, ValidationError, Where
from nibi_desk.i18n import N_, _
from nibi_desk.storage.writer import WriteTxn

if TYPE_CHECKING:
    from nibi_desk.context import Context

INSPECTOR, OFFICE, SUPERVISOR = "inspector", "office", "supervisor"
ROLES = (INSPECTOR, OFFICE, SUPERVISOR)
ROLE_TITLES = {INSPECTOR: N_("inspector"), OFFICE: N_("office user"), SUPERVISOR: N_("supervisor")}
MIN_PASSWORD_LENGTH = 8
USER_COLUMNS = "id, login, display_name, role, organisation, active, deleted"

# argon2id with argon2-cffi's defaults (RFC 9106 "low memory" profile: 64 MiB, 3 passes, 4 lanes). Tests swap in a
# cheaper hasher with set_hasher(); verification reads the parameters from the stored hash, so both verify.
_hasher = PasswordHasher()


def set_hasher(hasher: PasswordHasher) -> PasswordHasher:
    """Replace the password hasher (tests use a cheap one); returns the previous hasher."""
    global _hasher
    previous, _hasher = _hasher, hasher
    return previous


def hash_password(password: str) -> str:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise ValidationError("A password needs at least {n} characters", where=Where(field="password"),
                              n=MIN_PASSWORD_LENGTH)
    return _hasher.hash(password)


@dataclass(frozen=True)
class Session:
    """Who is signed in. Commands read the role from here; the audit log records ``login``."""

    user_id: str
    login: str
    display_name: str
    role: str

    def has(self, *roles: str) -> bool:
        return self.role in roles


def role_title(role: str) -> str:
    return _(ROLE_TITLES.get(role, role))


def require(ctx: Context, *roles: str, action: str = N_("do this")) -> Session:
    """The signed-in session if its role is one of ``roles``; otherwise PermissionDenied naming who may.

    ``action`` is an English phrase marked with N_ ("verify and close a defect"), translated when shown.
    """
    user = getattr(ctx, "user", None)
    if user is None:
        raise PermissionDenied("Sign in to {action}", action=_(action))
    if user.role not in roles:
        raise PermissionDenied("Only {roles} may {action}; {login} is signed in as {role}",
                               roles=_(", ").join(role_title(r) for r in roles), action=_(action), login=user.login,
                               role=role_title(user.role))
    return user


def run_as(ctx: Context, fn, *args):
    """``ctx.registry.writer.run(fn, *args)`` with the audit actor of the transaction set to the context's
    signed-in user (several contexts may share one registry; the registry's own actor is only the default)."""
    user = getattr(ctx, "user", None)

    def as_user(txn: WriteTxn, *a):
        if user is not None:
            txn.actor = user.login
        return fn(txn, *a)

    return ctx.registry.writer.run(as_user, *args)


# -- reading -------------------------------------------------------------------------------------------------------
def has_users(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM users WHERE deleted = 0 LIMIT 1").fetchone() is not None


def list_users(conn: sqlite3.Connection, include_inactive: bool = True) -> list[dict]:
    """Users without their password hashes, by login."""
    sql = f"SELECT {USER_COLUMNS} FROM users WHERE deleted = 0" + ("" if include_inactive else " AND active = 1")
    return [dict(r) for r in conn.execute(sql + " ORDER BY login")]


def get_user(conn: sqlite3.Connection, key: str) -> dict:
    """A user by id or login (without the password hash)."""
    row = conn.execute(f"SELECT {USER_COLUMNS} FROM users WHERE (id = ? OR login = ?) AND deleted = 0 "
                       "ORDER BY active DESC LIMIT 1", (key, key)).fetchone()
    if row is None:
        raise NotFound("No user {login}", login=key)
    return dict(row)


def _check_login(txn: WriteTxn, login: str, user_id: str | None = None) -> str:
    login = (login or "").strip()
    if not login or len(login) > 64 or any(ch.isspace() for ch in login):
        raise ValidationError("A login is 1 to 64 characters without spaces", where=Where(field="login"))
    taken = txn.execute("SELECT id FROM users WHERE lower(login) = lower(?) AND deleted = 0 AND id != ?",
                        (login, user_id or "")).fetchone()
    if taken:
        raise ValidationError("The login {login} is taken", where=Where(field="login"), login=login)
    return login


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise ValidationError("Unknown role {role}; choose inspector, office or supervisor", where=Where(field="role"),
                              role=role)
    return role


def _redact_hash(txn: WriteTxn, user_id: str) -> None:
    # The audit log says that the password changed, never what it changed to (not even the hash).
    txn.execute("UPDATE audit SET changes = json_set(changes, '$.password_hash', json('[\"***\", \"***\"]')) "
                "WHERE row_id = ? AND hlc = ? AND json_extract(changes, '$.password_hash') IS NOT NULL",
                (user_id, txn.stamp))


# -- commands ------------------------------------------------------------------------------------------------------
def add_user(ctx: Context, login: str, display_name: str, role: str, password: str | None = None,
             organisation: str | None = None) -> str:
    """Add a user (office only; the registry's first user needs no sign-in and must be an office user)."""
    bootstrap = not has_users(ctx.registry.read())
    if not bootstrap:
        require(ctx, OFFICE, action=N_("add users"))
    elif role != OFFICE:
        raise ValidationError("The first user of a registry must be an office user", where=Where(field="role"))
    _check_role(role)
    if not (display_name or "").strip():
        raise ValidationError("A user needs a display name", where=Where(field="display_name"))
    hashed = hash_password(password) if password is not None else None  # slow on purpose: not on the writer

    def write(txn: WriteTxn) -> str:
        if bootstrap and txn.execute("SELECT 1 FROM users WHERE deleted = 0").fetchone():
            raise PermissionDenied("Sign in to {action}", action=_("add users"))
        user_id = txn.insert("users", {"login": _check_login(txn, login), "display_name": display_name.strip(),
                                       "role": role, "organisation": organisation, "password_hash": hashed})
        _redact_hash(txn, user_id)
        return user_id

    return run_as(ctx, write)


def set_password(ctx: Context, user_id: str, new_password: str, old_password: str | None = None) -> None:
    """Change a password: your own with the old one, anyone's as an office user."""
    session = require(ctx, *ROLES, action=N_("change a password"))
    if session.user_id == user_id:
        _verify(ctx.registry.read(), session.login, old_password or "")
    else:
        require(ctx, OFFICE, action=N_("change another user's password"))
    hashed = hash_password(new_password)

    def write(txn: WriteTxn) -> None:
        txn.get("users", user_id)
        txn.update("users", user_id, {"password_hash": hashed})
        _redact_hash(txn, user_id)

    run_as(ctx, write)


def edit_user(ctx: Context, user_id: str, **changes) -> dict:
    """Change login, display_name, role, organisation or active (office only); keeps one active office user."""
    require(ctx, OFFICE, action=N_("edit users"))
    allowed = {"login", "display_name", "role", "organisation", "active"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError("Unknown field {fields}", where=Where(field=", ".join(sorted(unknown))),
                              fields=", ".join(sorted(unknown)))

    def write(txn: WriteTxn) -> dict:
        txn.get("users", user_id)
        values = dict(changes)
        if "login" in values:
            values["login"] = _check_login(txn, values["login"], user_id)
        if "role" in values:
            _check_role(values["role"])
        if "active" in values:
            values["active"] = int(bool(values["active"]))
        diff = txn.update("users", user_id, values)
        if not txn.execute("SELECT 1 FROM users WHERE role = 'office' AND active = 1 AND deleted = 0").fetchone():
            raise ValidationError("At least one active office user must remain", where=Where(record=user_id))
        return diff

    return run_as(ctx, write)


def _verify(conn: sqlite3.Connection, login: str, password: str) -> sqlite3.Row:
    row = conn.execute("SELECT id, login, display_name, role, password_hash FROM users "
                       "WHERE lower(login) = lower(?) AND deleted = 0 AND active = 1", ((login or "").strip(),)
                       ).fetchone()
    try:
        if row is None or not row["password_hash"]:
            raise VerificationError()
        _hasher.verify(row["password_hash"], password)
    except (VerificationError, InvalidHashError):
        raise SignInFailed("Wrong login or password") from None
    return row


def sign_in(ctx: Context, login: str, password: str) -> Session:
    """Check the password and make the user the context's ``user`` and the registry's audit actor."""
    row = _verify(ctx.registry.read(), login, password)
    if _hasher.check_needs_rehash(row["password_hash"]):  # stronger parameters since: upgrade the stored hash
        hashed = _hasher.hash(password)

        def write(txn: WriteTxn) -> None:
            txn.update("users", row["id"], {"password_hash": hashed})
            _redact_hash(txn, row["id"])

        run_as(ctx, write)
    session = Session(row["id"], row["login"], row["display_name"], row["role"])
    ctx.user = session
    ctx.registry.actor = session.login
    return session


def sign_out(ctx: Context) -> None:
    ctx.user = None
