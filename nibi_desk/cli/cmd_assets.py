"""`nibi assets search|show|add|edit|delete`: the registry's assets from the command line."""

from __future__ import annotations



from nibi_desk.cli.cmd_users import add_user_option, signed_in
from nibi_desk.cli.main import CliError, add_common, open_registry
from nibi_desk.i18n import _

FIELD_OPTIONS = ("type", "name", "code", "division", "address", "lon", "lat", "alt", "status", "owner", "operator",
                 "notes")


def _field_options(p, required_type: bool) -> None:
    p.add_argument("--type", required=required_type, help=_("asset type: base_station, smart_pole, camera, ..."))
    p.add_argument("--name", help=_("name"))
    p.add_argument("--code", help=_("business code (site code, pole code, GB/T 28181 device id)"))
    p.add_argument("--division", help=_("township or village code"))
    p.add_argument("--address", help=_("standard address"))
    p.add_argument("--lon", help=_("longitude, decimal or degrees-minutes-seconds"))
    p.add_argument("--lat", help=_("latitude, decimal or degrees-minutes-seconds"))
    p.add_argument("--alt", help=_("altitude in metres"))
    p.add_argument("--status", help=_("planned, under_construction, in_service, faulty or decommissioned"))
    p.add_argument("--owner", help=_("owner unit"))
    p.add_argument("--operator", help=_("operator (中国移动, 中国电信, ...)"))
    p.add_argument("--notes", help=_("notes"))
    p.add_argument("--attr", action="append", default=[], metavar="KEY=VALUE",
                   help=_("type-specific attribute (repeatable; lists comma-separated)"))
    p.add_argument("--crs", default="WGS84", choices=["WGS84", "CGCS2000", "GCJ02", "BD09"],
                   help=_("coordinate system of --lon/--lat (converted to WGS-84)"))


def register(sub) -> None:
    p = sub.add_parser("assets", help=_("search, show, add, edit and delete assets"),
                       description=_("Assets of the registry: 5G base stations, smart poles, cameras."))
    asub = p.add_subparsers(dest="assets_command", metavar=_("action"))
    asub.required = True

    q = asub.add_parser("search", help=_("find assets by a part of name, code or address"),
                        description=_("Find assets whose name, code or address contains TEXT (Chinese or Latin)."))
    q.add_argument("text", nargs="?", default="", help=_("text to find (empty: all)"))
    q.add_argument("--type", action="append", help=_("only this type (repeatable)"))
    q.add_argument("--township", help=_("only this township (9- or 12-digit code)"))
    q.add_argument("--status", action="append", help=_("only this status (repeatable)"))
    q.add_argument("--limit", type=int, default=50, help=_("at most this many results (default 50)"))
    add_common(q)
    q.set_defaults(handler=cmd_search)

    q = asub.add_parser("show", help=_("show one asset with its mounts and history"),
                        description=_("Show one asset (by id or code): fields, attributes, mounts, audit history."))
    q.add_argument("key", help=_("asset id (UUID) or business code"))
    add_common(q)
    q.set_defaults(handler=cmd_show)

    q = asub.add_parser("add", help=_("add an asset"), description=_("Add an asset; every field is validated."))
    _field_options(q, required_type=True)
    add_user_option(q)
    add_common(q)
    q.set_defaults(handler=cmd_add)

    q = asub.add_parser("edit", help=_("change fields of an asset"),
                        description=_("Change the given fields of an asset; other fields stay as they are."))
    q.add_argument("key", help=_("asset id (UUID) or business code"))
    _field_options(q, required_type=False)
    add_user_option(q)
    add_common(q)
    q.set_defaults(handler=cmd_edit)

    q = asub.add_parser("delete", help=_("delete an asset (kept as a tombstone)"),
                        description=_("Delete an asset. It is kept as a tombstone so the deletion can travel."))
    q.add_argument("key", help=_("asset id (UUID) or business code"))
    add_user_option(q)
    add_common(q)
    q.set_defaults(handler=cmd_delete)


def _values(args) -> dict:
    values = {k: getattr(args, k) for k in FIELD_OPTIONS if getattr(args, k) is not None}
    if args.attr:
        attrs = {}
        for item in args.attr:
            key, sep, value = item.partition("=")
            if not sep or not key:
                raise CliError("--attr needs KEY=VALUE, got {item}", item=item)
            attrs[key.strip()] = value.strip()
        values["attrs"] = attrs
    return values


def _line(a: dict) -> str:
    return f"{a['code'] or '-':<22} {a['type']:<12} {a['status']:<12} {a['name']}"


def cmd_search(args, out) -> int:
    from nibi_desk.storage import assets

    filters = assets.Filters(types=tuple(args.type) if args.type else None, township=args.township,
                             status=tuple(args.status) if args.status else None)
    with open_registry(args) as registry:
        rows = assets.search(registry.read(), args.text, filters, limit=args.limit)
    out.emit(rows, lambda rs: "\n".join(_line(r) for r in rs) or _("no assets found"))
    return 0


def cmd_show(args, out) -> int:
    from nibi_desk.domain import gb28181
    from nibi_desk.storage import assets, divisions

    with open_registry(args) as registry:
        conn = registry.read()
        asset = assets.find(conn, args.key)
        asset["mounts"] = assets.mounts_of(conn, asset["id"])
        asset["divisions"] = [d["name"] for d in reversed(divisions.ancestors(conn, asset["division"]))] \
            if asset["division"] else []
        asset["history"] = assets.audit_of(conn, asset["id"])
        if asset["type"] == "camera" and asset["code"]:
            try:
                asset["gb28181"] = gb28181.describe(gb28181.parse(asset["code"], county=registry.county))
            except Exception as e:  # a stored code that no longer parses is shown, not fatal
                asset["gb28181"] = str(e)

    def text(a):
        lines = [f"{a['name']}  [{a['type']}]  {a['id']}"]
        for key in ("code", "status", "address", "lon", "lat", "grid_code", "owner", "operator", "notes"):
            if a.get(key) not in (None, ""):
                lines.append(f"  {key}: {a[key]}")
        if a["divisions"]:
            lines.append("  division: " + " / ".join(a["divisions"]))
        for key, value in a["attrs"].items():
            lines.append(f"  attrs.{key}: {value}")
        if a.get("gb28181"):
            lines.append("  GB/T 28181: " + str(a["gb28181"]).replace("\n", "; "))
        for m in a["mounts"]["carries"]:
            lines.append(_("  carries: {name} ({code})").format(name=m["name"], code=m["code"]))
        for m in a["mounts"]["carried_by"]:
            lines.append(_("  mounted on: {name} ({code})").format(name=m["name"], code=m["code"]))
        lines.append(_("  history: {n} changes").format(n=len(a["history"])))
        return "\n".join(lines)

    out.emit(asset, text)
    return 0


def _print_findings(findings) -> None:
    import sys

    for finding in findings:
        print(_("note: {finding}").format(finding=finding), file=sys.stderr)


def cmd_add(args, out) -> int:
    from nibi_desk.commands import assets as commands

    with open_registry(args) as registry:
        result = commands.add_asset(signed_in(args, registry, required=False), _values(args), crs=args.crs)
    _print_findings(result["findings"])
    out.emit(result, lambda r: _("Added {id}").format(id=r["id"]))
    return 0


def cmd_edit(args, out) -> int:
    from nibi_desk.commands import assets as commands
    from nibi_desk.storage import assets

    values = _values(args)
    if not values:
        raise CliError("Nothing to change: give at least one field option")
    with open_registry(args) as registry:
        asset_id = assets.find(registry.read(), args.key)["id"]
        result = commands.edit_asset(signed_in(args, registry, required=False), asset_id, values, crs=args.crs)
    _print_findings(result["findings"])
    out.emit({"id": asset_id, **result}, lambda r: _("Changed {fields}").format(
        fields=", ".join(r["changed"]) or _("nothing (values were the same)")))
    return 0


def cmd_delete(args, out) -> int:
    from nibi_desk.commands import assets as commands
    from nibi_desk.storage import assets

    with open_registry(args) as registry:
        asset = assets.find(registry.read(), args.key)
        deleted = commands.delete_asset(signed_in(args, registry, required=False), asset["id"])
    out.emit({"id": asset["id"], "deleted": deleted}, lambda r: _("Deleted {id}").format(id=r["id"])
             if r["deleted"] else _("{id} was already deleted").format(id=r["id"]))
    return 0


