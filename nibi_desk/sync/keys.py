"""Device keys: one Ed25519 key pair per registry replica, the signing of manifests, and the enrollment card.

The private key lives in the user's data directory (``keys/<device>.ed25519``, mode 0600, folder 0700), not beside
the registry: a registry file copied to a USB stick or another laptop does not carry the right to sign as its
device. The public half travels as a small ``.nibikey`` file or as one line of text for a QR code, and the office
enrolls it (:mod:`nibi_desk.sync.peers`).
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote

from nacl.exceptions import BadSignatureError
from nacl.signing import SigningKey, VerifyKey

from nibi_desk import datadir
from nibi_desk.errors import ImportFailed, ValidationError, Where

CARD_FORMAT = "nibi-device-key"
CARD_SUFFIX = ".nibikey"
QR_PREFIX = "NIBIKEY1"


def key_dir() -> Path:
    folder = datadir.data_dir() / "keys"
    folder.mkdir(parents=True, exist_ok=True)
    if os.name == "posix":
        os.chmod(folder, stat.S_IRWXU)
    return folder


def fingerprint(public_key_hex: str) -> str:
    """A short form people compare aloud: the first 16 hex digits of SHA-256(public key), in groups of four."""
    digest = hashlib.sha256(bytes.fromhex(public_key_hex)).hexdigest()[:16]
    return " ".join(digest[i:i + 4] for i in range(0, 16, 4))


def _write_private(path: Path, seed: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, seed.hex().encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)


class DeviceKey:
    """The signing key of one registry replica (``registry.device``)."""

    def __init__(self, device: str, signing: SigningKey):
        self.device = device
        self._signing = signing

    @classmethod
    def for_device(cls, device: str, create: bool = True) -> DeviceKey:
        path = key_dir() / f"{device}.ed25519"
        if path.exists():
            if os.name == "posix" and stat.S_IMODE(path.stat().st_mode) & 0o077:
                os.chmod(path, 0o600)  # tighten a key someone loosened
            return cls(device, SigningKey(bytes.fromhex(path.read_text("ascii").strip())))
        if not create:
            raise FileNotFoundError(path)
        signing = SigningKey.generate()
        _write_private(path, bytes(signing))
        return cls(device, signing)

    @classmethod
    def for_registry(cls, registry) -> DeviceKey:
        return cls.for_device(registry.device)

    @property
    def public_key(self) -> str:
        return self._signing.verify_key.encode().hex()

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)

    def sign(self, data: bytes) -> bytes:
        return self._signing.sign(data).signature


def verify(public_key_hex: str, data: bytes, signature: bytes) -> bool:
    try:
        VerifyKey(bytes.fromhex(public_key_hex)).verify(data, signature)
        return True
    except (BadSignatureError, ValueError, TypeError):
        return False


# -- the enrollment card ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Card:
    """What an office needs to enroll a device: its replica id, county, a name and its public key."""

    device: str
    county: str
    name: str
    public_key: str
    role: str | None = None

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)

    def to_json(self) -> dict:
        return {"format": CARD_FORMAT, "version": 1, "device": self.device, "county": self.county, "name": self.name,
                "role": self.role, "public_key": self.public_key, "fingerprint": self.fingerprint}

    def qr_text(self) -> str:
        return ":".join((QR_PREFIX, self.device, self.county, self.public_key, quote(self.name, safe=""),
                         self.role or ""))

    def save(self, path: str | os.PathLike) -> Path:
        path = Path(path)
        path.write_text(json.dumps(self.to_json(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        return path


def card_for(registry, name: str | None = None, role: str | None = None) -> Card:
    key = DeviceKey.for_registry(registry)
    return Card(registry.device, registry.county, name or registry.county_name, key.public_key, role)


def _check(card: Card, where: Where) -> Card:
    if not card.device or len(card.device) > 64 or not card.device.replace("_", "").isalnum():
        raise ValidationError("The device id {device} is not valid", where=where, device=card.device[:80])
    if len(card.public_key) != 64 or any(c not in "0123456789abcdef" for c in card.public_key):
        raise ValidationError("The public key is not an Ed25519 key (64 hexadecimal digits)", where=where)
    if len(card.name) > 200 or len(card.county) > 12:
        raise ValidationError("The device card is malformed", where=where)
    return card


def parse_card(text: str, source: str | None = None) -> Card:
    """A card from a .nibikey file's text or from a scanned QR line."""
    where = Where(file=source)
    text = text.strip()
    if text.startswith(QR_PREFIX + ":"):
        parts = text.split(":")
        if len(parts) != 6:
            raise ValidationError("The device card is malformed", where=where)
        _prefix, device, county, key, name, role = parts
        return _check(Card(device, county, unquote(name), key.lower(), role or None), where)
    try:
        data = json.loads(text)
    except ValueError:
        raise ValidationError("The device card is malformed", where=where) from None
    if not isinstance(data, dict) or data.get("format") != CARD_FORMAT:
        raise ValidationError("The device card is malformed", where=where)
    try:
        card = Card(str(data["device"]), str(data.get("county") or ""), str(data.get("name") or ""),
                    str(data["public_key"]).lower(), data.get("role"))
    except KeyError:
        raise ValidationError("The device card is malformed", where=where) from None
    return _check(card, where)


def read_card(path: str | os.PathLike) -> Card:
    path = Path(path)
    try:
        if path.stat().st_size > 64 * 1024:
            raise ValidationError("The device card is malformed", where=Where(file=path.name))
        return parse_card(path.read_text(encoding="utf-8"), path.name)
    except OSError as e:
        raise ImportFailed("Cannot read {path}: {reason}", path=str(path), reason=e.strerror or str(e)) from e
