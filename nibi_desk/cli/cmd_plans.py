"""`nibi plans create|generate|progress|today|list`: inspection plans and their tasks from the command line."""

from __future__ import annotations

from datetime import date

from nibi_desk.cli.cmd_users import add_user_option, signed_in
from nibi_desk.cli.main import add_common, open_registry
from nibi_desk.i18n import _


def register(sub) -> None:
    p = sub.add_parser("plans", help=_("inspection plans and tasks"),
                       description=_("Inspection plans: which assets, which cycle, who; tasks and progress."))
    psub = p.add_subparsers(dest="plans_command", metavar=_("action"))
    psub.required = True

    q = psub.add_parser("create", help=_("create a plan (office)"),
                        description=_("Create a plan from a selection of assets; then run `plans generate`."))
    q.add_argument("name", help=_("plan name"))
    q.add_argument("--cycle", required=True, choices=["once", "weekly", "monthly", "quarterly", "half_yearly",
                                                       "yearly"], help=_("inspection cycle"))
    q.add_argument("--start", required=True, help=_("first day YYYY-MM-DD"))
    q.add_argument("--end", help=_("last day YYYY-MM-DD (default: open-ended)"))
    q.add_argument("--inspector", help=_("login of the inspector who gets the tasks"))
    q.add_argument("--type", action="append", help=_("assets of this type (repeatable)"))
    q.add_argument("--township", help=_("assets of this township (9- or 12-digit code)"))
    q.add_argument("--status", action="append", help=_("assets with this status (default: in service, faulty)"))
    q.add_argument("--operator", help=_("assets of this operator"))
    q.add_argument("--asset", action="append", help=_("this asset, by id or code (repeatable)"))
    add_user_option(q)
    add_common(q)
    q.set_defaults(handler=cmd_create)

    q = psub.add_parser("generate", help=_("generate the tasks of the current and next period (office)"),
                        description=_("Create missing tasks for the current and the next period; safe to repeat."))
    q.add_argument("plan", nargs="?", help=_("plan id (default: every active plan)"))
    q.add_argument("--today", type=date.fromisoformat, help=_("generate as of this date (YYYY-MM-DD)"))
    add_user_option(q)
    add_common(q)
    q.set_defaults(handler=cmd_generate)

    q = psub.add_parser("progress", help=_("progress of a plan per period"),
                        description=_("Tasks per period: total, done, skipped, open and overdue."))
    q.add_argument("plan", help=_("plan id"))
    q.add_argument("--today", type=date.fromisoformat, help=_("count overdue as of this date (YYYY-MM-DD)"))
    add_common(q)
    q.set_defaults(handler=cmd_progress)

    q = psub.add_parser("today", help=_("an inspector's tasks for today"),
                        description=_("Open tasks that are overdue, due today, due this week, or in a period "
                                      "that has begun."))
    q.add_argument("--inspector", help=_("inspector login (default: --user)"))
    q.add_argument("--today", type=date.fromisoformat, help=_("as of this date (YYYY-MM-DD)"))
    add_user_option(q)
    add_common(q)
    q.set_defaults(handler=cmd_today)

    q = psub.add_parser("list", help=_("list plans"), description=_("List plans that are not finished."))
    add_common(q)
    q.set_defaults(handler=cmd_list)


def cmd_create(args, out) -> int:
    from nibi_desk.inspection import plans, users
    from nibi_desk.storage import assets

    with open_registry(args) as registry:
        ctx = signed_in(args, registry)
        conn = registry.read()
        selection = {"types": args.type, "township": args.township, "status": args.status,
                     "operator": args.operator, "ids": [assets.find(conn, key)["id"] for key in args.asset or []]}
        inspector = users.get_user(conn, args.inspector)["id"] if args.inspector else None
        plan_id = plans.create_plan(ctx, args.name, args.cycle, args.start, selection, inspector, args.end)
    out.emit({"id": plan_id}, lambda r: r["id"])
    return 0


def cmd_generate(args, out) -> int:
    from nibi_desk.inspection import plans

    with open_registry(args) as registry:
        ctx = signed_in(args, registry)
        if args.plan:
            result = plans.generate_tasks(ctx, args.plan, args.today)
        else:
            result = {"created": plans.generate_all(ctx, args.today)}
    out.emit(result, lambda r: _("{n} tasks created").format(n=r["created"]))
    return 0


def cmd_progress(args, out) -> int:
    from nibi_desk.inspection import plans

    with open_registry(args) as registry:
        result = plans.progress(registry.read(), args.plan, args.today)

    def text(r) -> str:
        lines = [f"{r['plan']['name']}  ({r['plan']['cycle']})  {r['done']}/{r['total'] - r['skipped']}"]
        lines += [f"  {p['period']:<9} {p['due_date']}  {p['done']}/{p['total'] - p['skipped']}  "
                  + _("open {open}, overdue {overdue}").format(**p) for p in r["periods"]]
        return "\n".join(lines)

    out.emit(result, text)
    return 0


def cmd_today(args, out) -> int:
    from nibi_desk.inspection import plans, users

    with open_registry(args) as registry:
        if args.inspector:
            inspector = users.get_user(registry.read(), args.inspector)["id"]
        else:
            inspector = signed_in(args, registry).user.user_id
        rows = plans.today_list(registry.read(), inspector, args.today)
    out.emit(rows, lambda rs: "\n".join(
        f"{r['bucket']:<10} {r['due_date']}  {r['asset_code'] or '-':<22} {r['asset_name']}  ({r['plan_name']})"
        for r in rs) or _("nothing due"))
    return 0


def cmd_list(args, out) -> int:
    from nibi_desk.inspection import plans

    with open_registry(args) as registry:
        rows = plans.list_plans(registry.read())
    out.emit(rows, lambda rs: "\n".join(
        f"{r['id']}  {r['cycle']:<11} {r['start_date']}  {r['inspector_name'] or '-'}  {r['name']}" for r in rs)
        or _("no plans"))
    return 0
