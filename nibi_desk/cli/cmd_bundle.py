"""`nibi bundle export|inspect|import|restore|conflicts|resolve|history`: exchanging bundles (.nibx) by script."""

from __future__ import annotations

import json
from pathlib import Path

from nibi_desk.cli.cmd_users import add_user_option, signed_in
from nibi_desk.cli.main import CliError, add_common, open_registry
from nibi_desk.i18n import _


def register(sub) -> None:
    p = sub.add_parser("bundle", help=_("exchange bundles (.nibx) between inspectors, county and city"),
                       description=_("Write, check and import bundles: signed files that carry records and photos "
                                     "between registries (see docs/bundle.md)."))
    bsub = p.add_subparsers(dest="bundle_command", metavar=_("action"))
    bsub.required = True

    q = bsub.add_parser("export", help=_("write a bundle"),
                        description=_("Write a bundle of one kind: dispatch (a plan or township for an inspector), "
                                      "return (an inspector's results), rollup (the county for the city), backup. "
                                      "With --to, only what changed since the last bundle sent to that device "
                                      "(unless --full)."))
    q.add_argument("kind", choices=["dispatch", "return", "rollup", "backup"], help=_("bundle kind"))
    q.add_argument("output", type=Path, help=_("the bundle file to write (.nibx)"))
    q.add_argument("--to", metavar="DEVICE", help=_("the enrolled device it is for (id or name): a delta export"))
    q.add_argument("--full", action="store_true", help=_("everything in scope, not only the changes"))
    q.add_argument("--plan", action="append", default=[], metavar="ID", help=_("dispatch this plan (repeatable)"))
    q.add_argument("--township", help=_("dispatch the assets of this township (9- or 12-digit code)"))
    q.add_argument("--basemap", type=Path, help=_("add this MBTiles basemap to a dispatch"))
    q.add_argument("--note", help=_("a note for the receiver"))
    add_user_option(q)
    add_common(q)
    q.set_defaults(handler=cmd_export)

    q = bsub.add_parser("inspect", help=_("check a bundle and show what it holds"),
                        description=_("Check a bundle (signature, hashes, schema) without a registry, and print "
                                      "its manifest and record counts."))
    q.add_argument("bundle", type=Path, help=_("the bundle file"))
    add_common(q, db=False)
    q.set_defaults(handler=cmd_inspect)

    q = bsub.add_parser("import", help=_("import a bundle (or preview it with --dry-run)"),
                        description=_("Import a bundle in one transaction, merging per field; --dry-run shows new, "
                                      "updated, unchanged, conflicting and refused records without writing."))
    q.add_argument("bundle", type=Path, help=_("the bundle file"))
    q.add_argument("--dry-run", action="store_true", help=_("preview only; write nothing"))
    q.add_argument("--trust-once", metavar="REASON",
                   help=_("accept this one bundle from an unknown or revoked device (office; audited)"))
    q.add_argument("--details", action="store_true", help=_("list every conflict and refused record"))
    q.add_argument("--no-print-copies", action="store_true",
                   help=_("do not make the print copies of the imported photos now (made by default when there are "
                          "at most {n}; more are left to `nibi report prepare`)").format(n=AUTO_PRINT_COPIES))
    add_user_option(q)
    add_common(q)
    q.set_defaults(handler=cmd_import)

    q = bsub.add_parser("restore", help=_("restore a backup bundle into a new registry"),
                        description=_("Create a new registry for the backup's county and import the backup into "
                                      "it."))
    q.add_argument("bundle", type=Path, help=_("the backup bundle"))
    q.add_argument("--to", dest="target", type=Path, required=True, help=_("the new registry file"))
    q.add_argument("--admin", metavar="LOGIN",
                   help=_("the office user whose password the restore sets (needed when the backup has users; "
                          "the password comes from NIBI_NEW_PASSWORD or a prompt)"))
    add_common(q, db=False)
    q.set_defaults(handler=cmd_restore)

    q = bsub.add_parser("conflicts", help=_("list conflicts to resolve"),
                        description=_("Fields changed on two sides to different values: base, mine and theirs."))
    q.add_argument("--all", action="store_true", help=_("also resolved ones"))
    add_common(q)
    q.set_defaults(handler=cmd_conflicts)

    q = bsub.add_parser("resolve", help=_("resolve a conflict"),
                        description=_("Keep mine, take theirs or set an edited value; --alike resolves every open "
                                      "conflict with the same field and the same two values the same way."))
    q.add_argument("conflict", help=_("conflict id"))
    choice = q.add_mutually_exclusive_group(required=True)
    choice.add_argument("--mine", action="store_true", help=_("keep this registry's value"))
    choice.add_argument("--theirs", action="store_true", help=_("take the other side's value"))
    choice.add_argument("--value", help=_("set this value instead (JSON, e.g. '\"text\"' or 3)"))
    q.add_argument("--alike", action="store_true", help=_("resolve every conflict alike the same way"))
    add_user_option(q)
    add_common(q)
    q.set_defaults(handler=cmd_resolve)

    q = bsub.add_parser("history", help=_("exchange history"), description=_("Bundles written and imported."))
    q.add_argument("--device", help=_("only with this device"))
    add_common(q)
    q.set_defaults(handler=cmd_history)


# Print copies of imported photos are made at once up to this many (≈ 48 ms of CPU each: a few seconds, what an
# inspector's return bundle of a day or two brings); a larger import (a rollup, a backup) only prints the command.
AUTO_PRINT_COPIES = 200
PREPARE_COMMAND = "nibi report prepare --all-missing"


def _context(args, registry):
    return signed_in(args, registry, required=False)


def cmd_export(args, out) -> int:
    from nibi_desk.sync.export import export_bundle

    with open_registry(args) as registry:
        ctx = _context(args, registry)
        result = export_bundle(ctx, args.output, args.kind, to=args.to, full=args.full, plans=tuple(args.plan),
                               township=args.township, basemap=args.basemap, note=args.note)
    out.emit(result.to_dict(), lambda r: _("{path}: {kind}, {records} records, {size} bytes{delta}").format(
        path=r["path"], kind=r["kind"], records=sum(v for k, v in r["counts"].items() if k != "photo_files"),
        size=r["size"], delta=_(" (changes since {since})").format(since=r["since"]) if r["since"] else ""))
    return 0


def cmd_inspect(args, out) -> int:
    import tempfile

    from nibi_desk.sync.keys import fingerprint
    from nibi_desk.sync.reader import open_bundle

    with tempfile.TemporaryDirectory(prefix="nibi-inspect-") as tmp:
        with open_bundle(args.bundle, tmp) as bundle:
            m = bundle.manifest
            data = {"bundle_id": m["bundle_id"], "kind": m["kind"], "created_at": m["created_at"],
                    "sender": {**m["sender"], "fingerprint": fingerprint(m["sender"]["public_key"])},
                    "recipient": m.get("recipient"), "since": m["since"], "watermark": m["watermark"],
                    "scope": m["scope"], "counts": m["counts"], "files": len(m["files"]),
                    "size": sum(f["size"] for f in m["files"]), "note": m.get("note")}
    out.emit(data, _describe_manifest)
    return 0


def _describe_manifest(d: dict) -> str:
    lines = [_("bundle {id} ({kind}), made {at}").format(id=d["bundle_id"], kind=d["kind"], at=d["created_at"]),
             _("from {name}, device {device}, key {fingerprint}").format(**d["sender"]),
             _("signature and {n} files checked, {size} bytes").format(n=d["files"], size=d["size"])]
    if d["since"]:
        lines.append(_("changes since {since}").format(since=d["since"]))
    lines += [f"  {table}: {n}" for table, n in d["counts"].items()]
    return "\n".join(lines)


def _describe_plan(plan: dict, dry_run: bool, details: bool) -> str:
    t = plan["totals"]
    head = _("preview (nothing written)") if dry_run else _("imported")
    lines = [_("{head}: {new} new, {updated} updated, {unchanged} unchanged, {conflict} conflicting, "
               "{refused} refused").format(head=head, **t)]
    if plan["already_imported"]:
        lines.append(_("this bundle was imported before, on {at}").format(at=plan["already_imported"]))
    if plan["trust"] not in ("enrolled", "self"):
        lines.append(_("sender not trusted: {trust}").format(trust=plan["trust"]))
    lines += plan["warnings"]
    for table, counts in plan["counts"].items():
        lines.append(f"  {table}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    if details or dry_run:
        for item in plan.get("conflicts", []):
            lines.append("  " + _("conflict {table} {label}: {fields}").format(
                table=item["table"], label=item["label"] or item["id"], fields=", ".join(item["fields"])))
        for item in plan.get("refused", [])[:200 if not details else None]:
            lines.append("  " + _("refused {table} {label}: {reason}").format(
                table=item["table"], label=item["label"] or item["id"], reason=item["reason"]))
    return "\n".join(lines)


def cmd_import(args, out) -> int:
    from nibi_desk.sync import apply

    with open_registry(args) as registry:
        ctx = _context(args, registry)
        # without a preview the photos are staged and checked while the records are written (see apply)
        with apply.open_for_import(ctx, args.bundle, files_later=not args.dry_run) as bundle:
            if args.dry_run:
                plan = apply.preview(ctx, bundle)
            else:
                plan = apply.apply(ctx, bundle, trust_once=args.trust_once is not None, reason=args.trust_once)
        copies = None if args.dry_run else _print_copies(args, registry, plan)
    data = plan.to_dict()
    if copies is not None:
        data["print_copies"] = copies

    def text(d: dict) -> str:
        return "\n".join([_describe_plan(d, args.dry_run, args.details)] + _describe_copies(copies))

    out.emit(data, text)
    return 0


def _print_copies(args, registry, plan) -> dict | None:
    """Make the print copies of the inspections the import brought, when they are few and not declined; else say
    how many are missing. Never fails the import: it is committed already."""
    import logging

    from nibi_desk.cli.cmd_report import prepare_print_copies
    from nibi_desk.reports import print_copies

    try:
        ids = print_copies.arrived(registry.read(), plan)
        missing = len(print_copies.missing(registry, ids)) if ids else 0
        if not missing:
            return None
        if args.no_print_copies or missing > AUTO_PRINT_COPIES:
            return {"missing": missing, "command": PREPARE_COMMAND}
        try:
            return prepare_print_copies(registry, ids, args.json).to_dict()
        except KeyboardInterrupt:  # Ctrl+C stops the copies (none is left half-made), not the committed import
            return {"missing": len(print_copies.missing(registry, ids)), "command": PREPARE_COMMAND}
    except Exception as e:  # noqa: BLE001 - the import stands; the batch makes the copies later
        logging.getLogger(__name__).warning("print copies not made: %s", e)
        return None


def _describe_copies(copies: dict | None) -> list[str]:
    from nibi_desk.cli.cmd_report import describe_print_copies

    if copies is None:
        return []
    if "missing" in copies:
        return [_("{n} print copies of photos are missing; make them with: {command}").format(
            n=copies["missing"], command=copies["command"])]
    return [describe_print_copies(copies)]


def cmd_restore(args, out) -> int:
    from nibi_desk.sync.restore import restore

    password = None
    if args.admin:
        from nibi_desk.cli.cmd_users import _ask

        password = _ask("NIBI_NEW_PASSWORD", _("New password of {login}: ").format(login=args.admin), twice=True)
    result = restore(args.bundle, args.target, admin=args.admin, password=password)
    out.emit(result.to_dict(), lambda d: _("restored into {path}: {new} records").format(
        path=str(args.target), new=d["totals"]["new"]))
    return 0


def cmd_conflicts(args, out) -> int:
    from nibi_desk.sync import conflicts

    with open_registry(args) as registry:
        rows = conflicts.list_conflicts(registry.read(), None if args.all else "open")

    def text(rs):
        if not rs:
            return _("no conflicts")
        return "\n".join(_("{id} {table} {label} · {field}: base {base} | mine {mine} | theirs {theirs} [{status}]")
                         .format(id=r["id"], table=r["tbl"], label=r["label"], field=r["field"],
                                 base=json.dumps(r["base"], ensure_ascii=False),
                                 mine=json.dumps(r["mine"], ensure_ascii=False),
                                 theirs=json.dumps(r["theirs"], ensure_ascii=False), status=r["status"]) for r in rs)

    out.emit(rows, text)
    return 0


def cmd_resolve(args, out) -> int:
    from nibi_desk.sync import conflicts

    choice, value = ("mine", None) if args.mine else ("theirs", None) if args.theirs else ("value", None)
    if choice == "value":
        try:
            value = json.loads(args.value)
        except ValueError:
            raise CliError("--value must be JSON, e.g. '\"text\"' or 3") from None
    with open_registry(args) as registry:
        ctx = _context(args, registry)
        ids = conflicts.alike(registry.read(), args.conflict) if args.alike else [args.conflict]
        n = conflicts.resolve(ctx, ids, choice, value)
    out.emit({"resolved": n}, lambda r: _("{n} conflict(s) resolved").format(n=r["resolved"]))
    return 0


def cmd_history(args, out) -> int:
    from nibi_desk.sync import peers

    with open_registry(args) as registry:
        device = peers.find_device(registry.read(), args.device)["device"] if args.device else None
        rows = peers.history(registry.read(), device)
    out.emit(rows, lambda rs: "\n".join(
        f"{r['at']} {r['direction']} {r['kind']} {r['peer_name'] or r['peer_device'] or '-'} {r['status']} "
        f"{r['file_name'] or ''} {json.dumps(r['counts'], ensure_ascii=False)}" for r in rs) or _("no exchanges"))
    return 0
