"""Copy the founding-story screenshots into docs/guide/img/, shrunk to 256-colour PNGs.

    SIAGA_TEST_ARTIFACTS=/tmp/siaga-shots python -m pytest web/tests/test_browser_founding_story.py -p no:xdist
    python scripts/guide_images.py /tmp/siaga-shots/founding-story

Only the numbered screenshots are copied (the test also writes its nomination sheets there)."""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "docs" / "guide" / "img"


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    source = Path(sys.argv[1])
    shots = sorted(p for p in source.glob("[0-9][0-9]*.png"))
    if not shots:
        print(f"no screenshots in {source}")
        return 1
    TARGET.mkdir(parents=True, exist_ok=True)
    for shot in shots:
        with Image.open(shot) as image:
            small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
            small.save(TARGET / shot.name, optimize=True)
        print(f"{shot.name}: {shot.stat().st_size // 1024} KB -> {(TARGET / shot.name).stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
