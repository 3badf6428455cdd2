"""`nibi users add|passwd|list`, and signing in for every command that acts as a user (--user, NIBI_PASSWORD).

Passwords never go on the command line: the signing-in password comes from NIBI_PASSWORD or a prompt, a new one
from NIBI_NEW_PASSWORD or a prompt (typed twice).
"""

from __future__ import annotations

import getpass
import os
import sys

from nibi_desk.cli.main import CliError, add_common, open_registry
from nibi_desk.i18n import _


def add_user_option(parser) -> None:
    parser.add_argument("--user", metavar="LOGIN",
                        help=_("act as this user (password from NIBI_PASSWORD or a prompt)"))


def _ask(env: str, prompt: str, twice: bool = False) -> str:
    value = os.environ.get(env)
    if value is not None:
        return value
    if not sys.stdin or not sys.stdin.isatty():
        raise CliError("Set {env} or run the command in a terminal to type the password", env=env)
    value = getpass.getpass(prompt)
    if twice and getpass.getpass(_("Repeat the password: ")) != value:
        raise CliError("The two passwords differ")
    return value


def signed_in(args, registry, required: bool = True):
    """A Context for the registry with ``args.user`` signed in (None user when not required and not given)."""
    from nibi_desk.context import Context
    from nibi_desk.inspection import users

    ctx = Context(registry)
    if getattr(args, "user", None):
        args.signed_in_password = _ask("NIBI_PASSWORD", _("Password of {login}: ").format(login=args.user))
        users.sign_in(ctx, args.user, args.signed_in_password)
    elif required:
        raise CliError("Give --user LOGIN: this command acts as a signed-in user")
    return ctx


def register(sub) -> None:
    p = sub.add_parser("users", help=_("add users, change passwords, list users"),
                       description=_("Local users and their roles: inspector, office, supervisor."))
    usub = p.add_subparsers(dest="users_command", metavar=_("action"))
    usub.required = True

    q = usub.add_parser("add", help=_("add a user (the first user needs no --user and must be office)"),
                        description=_("Add a user; the password comes from NIBI_NEW_PASSWORD or a prompt."))
    q.add_argument("login", help=_("login name"))
    q.add_argument("--name", required=True, help=_("name shown in records and reports"))
    q.add_argument("--role", required=True, choices=["inspector", "office", "supervisor"], help=_("role"))
    q.add_argument("--org", help=_("organisation"))
    add_user_option(q)
    add_common(q)
    q.set_defaults(handler=cmd_add)

    q = usub.add_parser("passwd", help=_("change a password"),
                        description=_("Change your own password, or anyone's as an office user."))
    q.add_argument("login", help=_("login name"))
    add_user_option(q)
    add_common(q)
    q.set_defaults(handler=cmd_passwd)

    q = usub.add_parser("list", help=_("list users"), description=_("List users with their roles."))
    add_common(q)
    q.set_defaults(handler=cmd_list)


def cmd_add(args, out) -> int:
    from nibi_desk.inspection import users

    with open_registry(args) as registry:
        ctx = signed_in(args, registry, required=False)
        password = _ask("NIBI_NEW_PASSWORD", _("New password: "), twice=True)
        user_id = users.add_user(ctx, args.login, args.name, args.role, password, args.org)
    out.emit({"id": user_id, "login": args.login}, lambda r: _("Added {login}").format(login=r["login"]))
    return 0


def cmd_passwd(args, out) -> int:
    from nibi_desk.inspection import users

    with open_registry(args) as registry:
        ctx = signed_in(args, registry)
        target = users.get_user(registry.read(), args.login)
        old = args.signed_in_password if target["id"] == ctx.user.user_id else None
        users.set_password(ctx, target["id"], _ask("NIBI_NEW_PASSWORD", _("New password: "), twice=True), old)
    out.emit({"login": target["login"]}, lambda r: _("Password of {login} changed").format(login=r["login"]))
    return 0


def cmd_list(args, out) -> int:
    from nibi_desk.inspection import users

    with open_registry(args) as registry:
        rows = users.list_users(registry.read())
    out.emit(rows, lambda rs: "\n".join(
        f"{r['login']:<16} {users.role_title(r['role']):<10} {r['display_name']}"
        + ("" if r["active"] else "  " + _("(inactive)")) for r in rs) or _("no users"))
    return 0
