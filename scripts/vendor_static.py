"""Copy (or, with --check, compare) the front-end files Siaga vendors from node_modules.

The versions are pinned in package.json and package-lock.json; run ``npm ci`` first.
Vendoring keeps README's two commands free of Node.js while the files still come
from the npm registry with a lock file."""

from __future__ import annotations

import filecmp
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FILES = {
    "node_modules/htmx.org/dist/htmx.min.js": "web/static/vendor/htmx.min.js",
    "node_modules/axe-core/axe.min.js": "siaga/tests/vendor/axe.min.js",
}


def main() -> int:
    check = "--check" in sys.argv
    bad = 0
    for source, target in FILES.items():
        src, dst = ROOT / source, ROOT / target
        if not src.exists():
            print(f"missing {source}: run npm ci first")
            return 2
        if check:
            if not dst.exists() or not filecmp.cmp(src, dst, shallow=False):
                print(f"{target} differs from {source} (run python scripts/vendor_static.py)")
                bad += 1
        else:
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dst)
            print(f"copied {source} -> {target}")
    if check and not bad:
        print("vendored front-end files match package-lock.json")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
