"""`nibi defects list|raise|transition`: defects and the rectification loop from the command line."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from nibi_desk.cli.cmd_users import add_user_option, signed_in
from nibi_desk.cli.main import CliError, add_common, open_registry
from nibi_desk.i18n import _

ACTIONS = ("issue_notice", "rectify", "close", "reopen")


def register(sub) -> None:
    p = sub.add_parser("defects", help=_("defects and their rectification"),
                       description=_("Defects raised from inspections: notice, rectification, verification."))
    dsub = p.add_subparsers(dest="defects_command", metavar=_("action"))
    dsub.required = True

    q = dsub.add_parser("list", help=_("list defects"), description=_("List defects, most urgent deadline first."))
    q.add_argument("--overdue", action="store_true", help=_("only defects past their deadline and not closed"))
    q.add_argument("--open", action="store_true", help=_("only defects that are not closed"))
    q.add_argument("--status", action="append", help=_("only this status (repeatable)"))
    q.add_argument("--asset", help=_("only defects of this asset (id or code)"))
    q.add_argument("--today", type=date.fromisoformat, help=_("count overdue as of this date (YYYY-MM-DD)"))
    add_common(q)
    q.set_defaults(handler=cmd_list)

    q = dsub.add_parser("raise", help=_("raise a defect from a failed item"),
                        description=_("Raise a defect from a failed checklist item of an inspection."))
    q.add_argument("inspection", help=_("inspection id"))
    q.add_argument("item", help=_("checklist item key"))
    q.add_argument("--description", help=_("description (default: the item and its note)"))
    q.add_argument("--severity", choices=["general", "major", "critical"],
                   help=_("severity (default: the item's hint)"))
    q.add_argument("--deadline", help=_("rectification deadline YYYY-MM-DD (default by severity)"))
    add_user_option(q)
    add_common(q)
    q.set_defaults(handler=cmd_raise)

    q = dsub.add_parser("transition", help=_("move a defect along the rectification loop"),
                        description=_("issue_notice (office), rectify (with --photo), close (office) or reopen "
                                      "(office, with --reason)."))
    q.add_argument("id", help=_("defect id"))
    q.add_argument("action", choices=ACTIONS, help=_("the step to take"))
    q.add_argument("--number", help=_("notice number (issue_notice)"))
    q.add_argument("--unit", help=_("responsible unit (issue_notice)"))
    q.add_argument("--date", help=_("notice date YYYY-MM-DD (issue_notice; default today)"))
    q.add_argument("--photo", type=Path, action="append", default=[], help=_("after-photo JPEG (rectify; repeatable)"))
    q.add_argument("--note", help=_("what was done (rectify)"))
    q.add_argument("--reason", help=_("why it is reopened (reopen)"))
    add_user_option(q)
    add_common(q)
    q.set_defaults(handler=cmd_transition)


def _line(d: dict) -> str:
    from nibi_desk.inspection.defects import SEVERITY_TITLES, STATUS_TITLES

    mark = "!" if d["overdue"] else " "
    return (f"{mark} {d['deadline'] or '-':<10} {_(STATUS_TITLES[d['status']]):<8} "
            f"{_(SEVERITY_TITLES[d['severity']]):<6} {d['asset_code'] or '-':<22} {d['description']}  {d['id']}")


def cmd_list(args, out) -> int:
    from nibi_desk.inspection import defects
    from nibi_desk.storage import assets

    with open_registry(args) as registry:
        conn = registry.read()
        asset = assets.find(conn, args.asset)["id"] if args.asset else None
        rows = defects.list_defects(conn, args.status, args.overdue, asset, args.open, args.today)
    out.emit(rows, lambda rs: "\n".join(_line(d) for d in rs) or _("no defects"))
    return 0


def cmd_raise(args, out) -> int:
    from nibi_desk.inspection import defects

    with open_registry(args) as registry:
        defect_id = defects.raise_defect(signed_in(args, registry), args.inspection, args.item, args.description,
                                         severity=args.severity, deadline=args.deadline)
        row = defects.get(registry.read(), defect_id)
    out.emit(row, lambda r: _("Raised {id}, deadline {deadline}").format(**r))
    return 0


def cmd_transition(args, out) -> int:
    from nibi_desk.inspection import defects, evidence

    with open_registry(args) as registry:
        ctx = signed_in(args, registry)
        if args.action == "issue_notice":
            defects.issue_notice(ctx, args.id, args.number or "", args.unit or "", args.date)
        elif args.action == "rectify":
            photos = [evidence.store_file(registry.path, p) for p in args.photo]
            defects.rectify(ctx, args.id, args.note, photos)
        elif args.action == "close":
            defects.close(ctx, args.id)
        elif args.action == "reopen":
            if not args.reason:
                raise CliError("reopen needs --reason")
            defects.reopen(ctx, args.id, args.reason)
        row = defects.get(registry.read(), args.id)
    out.emit(row, lambda r: _("Defect {id} is now {status}").format(
        id=r["id"], status=_(defects.STATUS_TITLES[r["status"]])))
    return 0
