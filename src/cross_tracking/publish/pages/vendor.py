"""python -m cross_tracking.publish.pages.vendor [--check]

The chart scripts the dashboards use, copied into static/vendor/ from the npm
registry at the versions pinned in VENDORED, so the site serves every script
itself (no CDN, works without outside network). VERSIONS.json beside them
records each file's package, version and sha256.

To move to newer versions: edit VENDORED, run this module (it needs `npm`,
e.g. Debian's `npm` package, and the npm registry), check the dashboards
(`make test` runs them in Chromium) and commit the files with VERSIONS.json.
`--check` (run by the tests) only verifies the files against VERSIONS.json.
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

VENDOR_DIR = Path(__file__).resolve().parent / "static" / "vendor"
VERSIONS_FILE = VENDOR_DIR / "VERSIONS.json"

# package, version, the UMD build inside the package tarball
VENDORED: list[tuple[str, str, str]] = [
    ("vega", "6.4.0", "package/build/vega.min.js"),
    ("vega-lite", "6.5.0", "package/build/vega-lite.min.js"),
    ("vega-embed", "7.3.0", "package/build/vega-embed.min.js"),
]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def refresh() -> int:
    npm = shutil.which("npm")
    if npm is None:
        print("npm is needed to refresh the vendored scripts: apt-get install npm", file=sys.stderr)
        return 1
    records = []
    with tempfile.TemporaryDirectory() as work:
        for package, version, member in VENDORED:
            print(f"npm pack {package}@{version}", file=sys.stderr)
            packed = subprocess.run([npm, "pack", f"{package}@{version}", "--json"], cwd=work, check=True,
                                    capture_output=True, text=True)
            tarball = Path(work) / json.loads(packed.stdout)[0]["filename"]
            target = VENDOR_DIR / Path(member).name
            with tarfile.open(tarball) as archive:
                source = archive.extractfile(member)
                if source is None:
                    print(f"{member} is not a file in {tarball.name}", file=sys.stderr)
                    return 1
                target.write_bytes(source.read())
                licence = archive.extractfile("package/LICENSE")
                if licence is not None:  # BSD-3-Clause: the notice travels with the copy
                    (VENDOR_DIR / f"{package}.LICENSE").write_bytes(licence.read())
            records.append({"file": target.name, "package": package, "version": version,
                            "from": member, "sha256": sha256(target)})
    VERSIONS_FILE.write_text(json.dumps(records, indent=2) + "\n")
    print(f"wrote {len(records)} files and {VERSIONS_FILE}", file=sys.stderr)
    return 0


def check() -> list[str]:
    """Problems with the vendored files (empty when they match VERSIONS.json)."""
    records = json.loads(VERSIONS_FILE.read_text())
    problems = []
    pinned = {(package, version) for package, version, _ in VENDORED}
    for record in records:
        path = VENDOR_DIR / record["file"]
        if (record["package"], record["version"]) not in pinned:
            problems.append(f"{record['file']}: {record['package']}@{record['version']} is not pinned in VENDORED")
        if not path.exists():
            problems.append(f"{path} is missing")
        elif sha256(path) != record["sha256"]:
            problems.append(f"{path}: sha256 differs from VERSIONS.json (run this module to refresh)")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cross_tracking.publish.pages.vendor", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="only verify the files against VERSIONS.json")
    args = parser.parse_args(argv)
    if args.check:
        problems = check()
        for problem in problems:
            print(problem, file=sys.stderr)
        return 1 if problems else 0
    return refresh()


if __name__ == "__main__":
    sys.exit(main())
