"""`nibi inspect`: checklist templates, and inspections run from a JSON answers file (for scripting and tests).

Answers file: ``{"answers": {item: value | {"value", "note", "na"}}, "position": {"lon", "lat", "source"},
"notes": "...", "unreachable_reason": "...", "photos": [{"file": "a.jpg", "item": "key"}]}`` (every part optional;
photo paths relative to the file; a file without "answers" is read as the answers themselves).
"""

from __future__ import annotations

import json
from pathlib import Path

from nibi_desk.cli.cmd_users import add_user_option, signed_in
from nibi_desk.cli.main import CliError, add_common, open_registry
from nibi_desk.i18n import _


def register(sub) -> None:
    p = sub.add_parser("inspect", help=_("checklist templates and inspections"),
                       description=_("Checklist templates, and inspections started, answered and submitted from "
                                     "JSON files."))
    isub = p.add_subparsers(dest="inspect_command", metavar=_("action"))
    isub.required = True

    def action(name, help_text, description, handler, *, user=False, db=True):
        q = isub.add_parser(name, help=help_text, description=description)
        if user:
            add_user_option(q)
        add_common(q, db=db)
        q.set_defaults(handler=handler)
        return q

    q = action("templates", _("list checklist templates"), _("List the active checklist templates (--all: every "
               "version)."), cmd_templates)
    q.add_argument("--type", help=_("only templates for this asset type"))
    q.add_argument("--all", action="store_true", help=_("include inactive versions"))
    q = action("template", _("show a template's items"), _("Show the items of a template, by id or by asset type "
               "(its default template)."), cmd_template)
    q.add_argument("key", help=_("template id or asset type"))
    q = action("check-template", _("validate a template file"), _("Check a template file against the schema and "
               "the rules; errors name the file and the item."), cmd_check, db=False)
    q.add_argument("file", type=Path, help=_("template JSON file"))
    q = action("import-template", _("store a template file (office)"), _("Store a template file as a new version "
               "of its family (its key) or as a new template."), cmd_import, user=True)
    q.add_argument("file", type=Path, help=_("template JSON file"))
    q = action("start", _("start (or continue) an inspection"), _("Start a draft inspection of an asset, or "
               "continue your draft of it; prints its id."), cmd_start, user=True)
    q.add_argument("asset", help=_("asset id (UUID) or business code"))
    q.add_argument("--template", help=_("template id (default: the active template of the asset's type)"))
    q.add_argument("--task", help=_("task id (default: the asset's open task)"))
    q = action("answer", _("save answers from a JSON file"), _("Save answers, position, notes and photos from a "
               "JSON file into a draft and show what is still missing."), cmd_answer, user=True)
    q.add_argument("id", help=_("inspection id"))
    q.add_argument("--answers", type=Path, required=True, help=_("JSON answers file"))
    q.add_argument("--threshold", type=float, default=100.0, help=_("distance flag threshold in metres (default 100)"))
    q = action("submit", _("submit a draft"), _("Check the draft, sign it with a PNG, and submit it; a submitted "
               "inspection never changes."), cmd_submit, user=True)
    q.add_argument("id", help=_("inspection id"))
    q.add_argument("--signature", type=Path, help=_("PNG image of the signature"))
    q.add_argument("--threshold", type=float, default=100.0, help=_("distance flag threshold in metres (default 100)"))
    q = action("drafts", _("list drafts to continue"), _("List unsubmitted inspections (with --user: yours)."),
               cmd_drafts, user=True)
    q = action("show", _("show an inspection"), _("Show an inspection with its answers, score, flags and what is "
               "missing."), cmd_show)
    q.add_argument("id", help=_("inspection id"))


def cmd_templates(args, out) -> int:
    from nibi_desk.inspection import templates

    with open_registry(args) as registry:
        rows = templates.list_templates(registry.read(), args.type, active_only=not args.all)
    out.emit(rows, lambda rs: "\n".join(
        f"{r['asset_type']:<13} v{r['version']:<3} {'*' if r['active'] else ' '} {r['id']}  {r['name']}" for r in rs)
        or _("no templates"))
    return 0


def _field_line(f) -> str:
    extra = [f.unit or "", f"{f.min}…{f.max}" if f.min is not None or f.max is not None else ""]
    if f.options:
        extra.append("/".join(o.value + ("!" if o.fails else "") for o in f.options))
    if f.needs_photo:
        extra.append(_("photo required"))
    flag = "*" if f.required else " "
    return f"  {flag} {f.key:<22} {f.kind:<9} w={f.weight:<3g} {f.title()}  {' '.join(e for e in extra if e)}"


def cmd_template(args, out) -> int:
    from nibi_desk.inspection import templates
    from nibi_desk.inspection.form import Form

    with open_registry(args) as registry:
        conn = registry.read()
        row = templates.get(conn, args.key) if "-" in args.key else templates.default_for(conn, args.key)
    form = Form.from_body(row["body"], row["id"])

    def text(_row) -> str:
        lines = [f"{form.title()}  v{row['version']}  {row['id']}"]
        for _key, label, fields in form.sections:
            lines.append(f"[{label.get('zh_CN')}]")
            lines.extend(_field_line(f) for f in fields)
        return "\n".join(lines)

    out.emit(row, text)
    return 0


def cmd_check(args, out) -> int:
    from nibi_desk.inspection import template_files
    from nibi_desk.storage.reference import asset_types_document

    doc = template_files.load_file(args.file, asset_types=[t["code"] for t in asset_types_document()["types"]])
    items = sum(len(s["items"]) for s in doc["sections"])
    out.emit({"file": str(args.file), "ok": True, "items": items},
             lambda r: _("{file}: valid, {n} items").format(file=r["file"], n=r["items"]))
    return 0


def cmd_import(args, out) -> int:
    from nibi_desk.inspection import templates

    with open_registry(args) as registry:
        template_id = templates.import_file(signed_in(args, registry), args.file)
        row = templates.get(registry.read(), template_id)
    out.emit({"id": template_id, "version": row["version"]},
             lambda r: _("Stored version {version}: {id}").format(**r))
    return 0


def cmd_start(args, out) -> int:
    from nibi_desk.inspection import inspections
    from nibi_desk.storage import assets

    with open_registry(args) as registry:
        ctx = signed_in(args, registry)
        asset = assets.find(registry.read(), args.asset)
        inspection_id = inspections.start(ctx, asset["id"], args.template, args.task)
    out.emit({"id": inspection_id}, lambda r: r["id"])
    return 0


def _evaluation(verdict) -> dict:
    return {"score": verdict.score, "result": verdict.result, "failed": verdict.failed, "blocked": verdict.blocked,
            "answered": verdict.answered, "total": verdict.total,
            "problems": [{"item": p.field, "message": p.message()} for p in verdict.problems]}


def _evaluation_text(r: dict) -> str:
    lines = [_("answered {answered} of {total}; score {score}; result {result}").format(**r)]
    lines += [f"  - {p['item']}: {p['message']}" for p in r["problems"]]
    return "\n".join(lines)


def cmd_answer(args, out) -> int:
    from nibi_desk.inspection import evidence, inspections, submission

    try:
        doc = json.loads(args.answers.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError) as e:
        raise CliError("Cannot read {file}: {reason}", file=str(args.answers), reason=str(e)) from e
    answers = doc.get("answers", {} if {"position", "notes", "unreachable_reason", "photos"} & set(doc) else doc)
    with open_registry(args) as registry:
        ctx = signed_in(args, registry)
        for photo in doc.get("photos", []):
            values = evidence.store_file(registry.path, args.answers.parent / photo["file"])
            submission.attach_photo(ctx, args.id, values, photo.get("item"), photo.get("caption"), args.threshold)
        if "position" in doc:
            p = doc["position"]
            inspections.set_position(ctx, args.id, p["lon"], p["lat"], p.get("source", "typed"), args.threshold)
        extra = {k: doc[k] for k in ("notes", "unreachable_reason") if k in doc}
        if extra:
            inspections.update_draft(ctx, args.id, **extra)
        verdict = inspections.save_answers(ctx, args.id, answers)
    out.emit(_evaluation(verdict), _evaluation_text)
    return 0


def cmd_submit(args, out) -> int:
    from nibi_desk.inspection import submission

    with open_registry(args) as registry:
        ctx = signed_in(args, registry)
        if args.signature:
            submission.set_signature(ctx, args.id, args.signature.read_bytes())
        result = submission.submit(ctx, args.id, args.threshold)
        _print_copies(registry, args.id)
    out.emit(result, lambda r: _("Submitted {id}: score {score}, result {result}").format(**r))
    return 0


def _print_copies(registry, inspection_id: str) -> None:
    """Make the print copies of a submitted inspection's photos now (a few, ≈ 50 ms each), so that printing it later
    is warm, as after a submission in the app; never fails the submission, which is committed."""
    import logging

    from nibi_desk.reports import print_copies

    try:
        stats = print_copies.prepare(registry, [inspection_id], workers=0)
        if stats.failed:
            logging.getLogger(__name__).warning(stats.summary())
    except Exception as e:  # noqa: BLE001 - a report makes them when printed
        logging.getLogger(__name__).warning("print copies not made: %s", e)


def cmd_drafts(args, out) -> int:
    from nibi_desk.inspection import inspections

    with open_registry(args) as registry:
        ctx = signed_in(args, registry, required=False)
        rows = inspections.drafts(registry.read(), ctx.user.user_id if ctx.user else None)
    out.emit(rows, lambda rs: "\n".join(
        f"{r['id']}  {r['saved_at']}  {r['inspector_name']}  {r['asset_code'] or '-'}  {r['asset_name']}"
        for r in rs) or _("no drafts"))
    return 0


def cmd_show(args, out) -> int:
    from nibi_desk.inspection import evidence, inspections

    with open_registry(args) as registry:
        conn = registry.read()
        row = inspections.get(conn, args.id)
        row["evaluation"] = _evaluation(inspections.evaluate(conn, args.id))
        row["photos"] = evidence.of_inspection(conn, args.id)

    def text(r) -> str:
        lines = [f"{r['id']}  {r['status']}  {r['inspector_name']}  {r['started_at']}"]
        lines += [f"  {k}: {json.dumps(v, ensure_ascii=False)}" for k, v in r["answers"].items()]
        lines += ["  ! " + inspections.flag_message(f) for f in r["flags"]]
        return "\n".join(lines) + "\n" + _evaluation_text(r["evaluation"])

    out.emit(row, text)
    return 0
