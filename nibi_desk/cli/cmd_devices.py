"""`nibi devices card|enroll|revoke|list|peers`: device keys and enrollment for signed bundles."""

from __future__ import annotations

from pathlib import Path

from nibi_desk.cli.cmd_users import add_user_option, signed_in
from nibi_desk.cli.main import add_common, open_registry
from nibi_desk.i18n import _


def register(sub) -> None:
    p = sub.add_parser("devices", help=_("device keys and enrollment for bundles"),
                       description=_("Each registry signs its bundles with its device key; an office accepts "
                                     "bundles only from devices it enrolled."))
    dsub = p.add_subparsers(dest="devices_command", metavar=_("action"))
    dsub.required = True

    q = dsub.add_parser("card", help=_("this registry's device card (public key) to give to the office"),
                        description=_("Print this device's id, key fingerprint and the text for a QR code; with "
                                      "--output, write the card file (.nibikey) for the office to enroll."))
    q.add_argument("--output", type=Path, help=_("write the card to this file (.nibikey)"))
    q.add_argument("--name", help=_("a name for this device (default: the county name)"))
    q.add_argument("--role", choices=["inspector", "office", "city"], help=_("what this device is"))
    add_common(q)
    q.set_defaults(handler=cmd_card)

    q = dsub.add_parser("enroll", help=_("enroll a device from its card (office)"),
                        description=_("Accept bundles signed by this device from now on. Compare the fingerprint "
                                      "with the one the device shows."))
    q.add_argument("card", help=_("a .nibikey file, or the text of its QR code"))
    q.add_argument("--name", help=_("a name for the device (default: the name on the card)"))
    q.add_argument("--note", help=_("a note"))
    add_user_option(q)
    add_common(q)
    q.set_defaults(handler=cmd_enroll)

    q = dsub.add_parser("revoke", help=_("revoke a device (office)"),
                        description=_("Refuse the device's bundles from now on (a lost or replaced laptop)."))
    q.add_argument("device", help=_("device id or name"))
    add_user_option(q)
    add_common(q)
    q.set_defaults(handler=cmd_revoke)

    q = dsub.add_parser("list", help=_("list enrolled devices"), description=_("Enrolled and revoked devices."))
    add_common(q)
    q.set_defaults(handler=cmd_list)

    q = dsub.add_parser("peers", help=_("devices exchanged with, and their watermarks"),
                        description=_("Per device: the last exchange, up to where changes were sent and received."))
    add_common(q)
    q.set_defaults(handler=cmd_peers)


def cmd_card(args, out) -> int:
    from nibi_desk.sync.keys import card_for

    with open_registry(args) as registry:
        card = card_for(registry, args.name, args.role)
    if args.output:
        card.save(args.output)
    data = {**card.to_json(), "qr": card.qr_text(), "file": str(args.output) if args.output else None}
    out.emit(data, lambda d: "\n".join([
        _("device {device} ({name}), county {county}").format(**d),
        _("key fingerprint: {fingerprint}").format(**d), _("QR text: {qr}").format(**d)]
        + ([_("card written to {file}").format(**d)] if d["file"] else [])))
    return 0


def cmd_enroll(args, out) -> int:
    from nibi_desk.sync import keys, peers

    source = Path(args.card)
    card = keys.read_card(source) if source.suffix.lower() == keys.CARD_SUFFIX or source.is_file() \
        else keys.parse_card(args.card)
    with open_registry(args) as registry:
        ctx = signed_in(args, registry, required=False)
        device_id = peers.enroll(ctx, card, args.name, note=args.note)
    out.emit({"id": device_id, "device": card.device, "fingerprint": card.fingerprint},
             lambda d: _("enrolled device {device}, key fingerprint {fingerprint}").format(**d))
    return 0


def cmd_revoke(args, out) -> int:
    from nibi_desk.sync import peers

    with open_registry(args) as registry:
        ctx = signed_in(args, registry, required=False)
        n = peers.revoke(ctx, args.device)
    out.emit({"revoked": n}, lambda d: _("{n} enrollment(s) revoked").format(n=d["revoked"]))
    return 0


def cmd_list(args, out) -> int:
    from nibi_desk.sync import peers
    from nibi_desk.sync.keys import fingerprint

    with open_registry(args) as registry:
        rows = peers.list_devices(registry.read())
    for r in rows:
        r["fingerprint"] = fingerprint(r["public_key"])
    out.emit(rows, lambda rs: "\n".join(
        f"{r['device']}  {r['name']}  {r['county'] or ''}  {r['fingerprint']}  "
        + (_("revoked") if r["revoked"] else _("enrolled")) for r in rs) or _("no devices enrolled"))
    return 0


def cmd_peers(args, out) -> int:
    from nibi_desk.sync import peers

    with open_registry(args) as registry:
        rows = peers.list_peers(registry.read())
    out.emit(rows, lambda rs: "\n".join(
        f"{r['device']}  {r['name'] or ''}  " + _("sent up to {sent}, received up to {received}, last {last}").format(
            sent=r["sent_watermark"] or "-", received=r["received_watermark"] or "-", last=r["last_exchange"])
        for r in rs) or _("no exchanges yet"))
    return 0
