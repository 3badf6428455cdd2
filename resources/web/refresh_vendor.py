"""Refresh or verify the vendored web libraries listed in vendor.json (Leaflet, its cluster plugin, jQuery).

    python resources/web/refresh_vendor.py            # fetch each pinned package with `npm pack`, verify, install
    python resources/web/refresh_vendor.py --update   # the same, but record new checksums (after a version bump)
    python resources/web/refresh_vendor.py --check    # offline: the files in vendor/ match vendor.json

Each package is fetched as the registry's tarball with `npm pack <package>@<version>` in a temporary directory (npm
verifies the tarball's integrity); only the listed files are extracted, into vendor/<package>/ with a leading
"dist/" removed. Without --update a file whose SHA-256 differs from vendor.json is an error and nothing is written,
so a re-published or tampered version never slips in. The page never loads anything else: see nibi_desk/maps/vendor.py.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
MANIFEST = HERE / "vendor.json"
VENDOR = HERE / "vendor"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def destination(package: str, name: str) -> Path:
    """Where a file of a package lives under vendor/ ("dist/leaflet.js" -> vendor/leaflet/leaflet.js)."""
    return VENDOR / package / (name[len("dist/"):] if name.startswith("dist/") else name)


def load_manifest() -> dict:
    return json.loads(MANIFEST.read_text(encoding="utf-8"))


def check() -> list[str]:
    """Problems with the installed files (missing, or not matching vendor.json); empty when all is well."""
    problems = []
    for package, spec in load_manifest()["packages"].items():
        for name, digest in spec["files"].items():
            path = destination(package, name)
            if not path.is_file():
                problems.append(f"{package}@{spec['version']}: {path.relative_to(HERE)} is missing")
            elif sha256(path.read_bytes()) != digest:
                problems.append(f"{package}@{spec['version']}: {path.relative_to(HERE)} does not match vendor.json")
    return problems


def fetch(package: str, version: str, names: list[str], workdir: Path) -> dict[str, bytes]:
    """The listed files of package@version, from the npm registry through `npm pack`."""
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("npm is needed to refresh the vendored files (apt install npm, or Node.js)")
    result = subprocess.run([npm, "pack", f"{package}@{version}", "--json", "--silent"], cwd=workdir,
                            capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        raise SystemExit(f"npm pack {package}@{version} failed:\n{result.stderr}")
    filename = json.loads(result.stdout)[0]["filename"]
    out = {}
    with tarfile.open(workdir / filename, "r:gz") as tar:
        members = {m.name: m for m in tar.getmembers() if m.isfile()}
        for name in names:
            member = members.get(f"package/{name}")
            if member is None:
                raise SystemExit(f"{package}@{version} has no file {name}")
            out[name] = tar.extractfile(member).read()
    return out


def refresh(update: bool) -> int:
    manifest = load_manifest()
    fetched: dict[str, dict[str, bytes]] = {}
    problems = []
    with tempfile.TemporaryDirectory(prefix="nibi-vendor-") as tmp:
        for package, spec in manifest["packages"].items():
            print(f"fetching {package}@{spec['version']} ...", file=sys.stderr)
            files = fetch(package, spec["version"], list(spec["files"]), Path(tmp))
            for name, data in files.items():
                if update:
                    spec["files"][name] = sha256(data)
                elif sha256(data) != spec["files"][name]:
                    problems.append(f"{package}@{spec['version']}: {name} differs from the checksum in vendor.json")
            fetched[package] = files
    if problems:
        print("\n".join(problems) + "\nnothing written (run with --update after a deliberate version change)",
              file=sys.stderr)
        return 1
    for package, files in fetched.items():
        shutil.rmtree(VENDOR / package, ignore_errors=True)
        for name, data in files.items():
            path = destination(package, name)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    if update:
        MANIFEST.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    total = sum(len(d) for files in fetched.values() for d in files.values())
    print(f"vendored {sum(len(f) for f in fetched.values())} files, {total / 1024:.0f} KiB", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--check", action="store_true", help="verify the installed files offline, fetch nothing")
    group.add_argument("--update", action="store_true", help="record the fetched files' checksums in vendor.json")
    args = parser.parse_args(argv)
    if args.check:
        problems = check()
        print("\n".join(problems) or "vendored files match vendor.json", file=sys.stderr)
        return 1 if problems else 0
    return refresh(args.update)


if __name__ == "__main__":
    sys.exit(main())
