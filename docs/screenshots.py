"""Regenerate the README's pictures of the published site: by a script, never by hand (issue 26).

Usage: .venv/bin/python docs/screenshots.py [--out docs]

It builds the site from the shipped register (commitments.yaml) as at a fixed moment, so the
pictures change only when the site or the register does, opens it in the headless Chromium the
tests use (tests/site_browser.py), and writes:
- site-index.png: the index on a 1280 px screen;
- site-commitment.png: the Migrant Victim Protocol's page on a 375 px phone.
tests/test_publish_site.py runs the same function into artifacts/ and checks the pictures in docs/
are the size this script makes them.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bot.shell.publish.site import write_site  # noqa: E402
from tests.site_browser import Browser  # noqa: E402
from tests.test_publish_site import inputs_from  # noqa: E402  (the register as at the tests' fixed moment)

SHOTS = (("site-index.png", "index.html", 1280), ("site-commitment.png", "c/mvp-implement-by-end-august-2022.html", 375))


def take(out: Path, browser: Browser) -> list[Path]:
    """Write every picture into `out`; return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory(prefix="cb-shots-") as tmp:
        site = Path(tmp) / "site"
        write_site(inputs_from((REPO / "commitments.yaml").read_text(encoding="utf-8")), site)
        for name, page, width in SHOTS:
            browser.open(site / page, width)
            browser.screenshot(out / name)
            written.append(out / name)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs")
    opts = parser.parse_args()
    browser = Browser()
    try:
        for path in take(opts.out, browser):
            print(f"wrote {path}")
    finally:
        browser.close()


if __name__ == "__main__":
    main()
