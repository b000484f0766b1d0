"""The HTML digest in a real headless Chromium: nothing overflows at phone or desktop width.

Screenshots go to artifacts/ (gitignored) so a reviewer can look at what the test saw.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html import escape
from pathlib import Path

import pytest

from bot.decide.digest import SECTIONS, build_digest, read_book
from bot.shell.registerfile import load_texts as load
from bot.shell.settings import Settings
from notifiers.email.messages import digest_message, mail_setup
from tests.test_digest import REGISTER, at

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")

LONG = """\
  - id: long-words
    title: "Averyveryverylongwordwithoutanyspacesthatwouldpushthelayoutwideronaphone <b>and markup</b>"
    owner: Department for Levelling Up, Housing and Communities
    made_on: 2026-01-10
    due: 2026-05-31
    tags: [mvp]
    source:
      title: https://www.gov.uk/government/publications/an-extremely-long-publication-slug-that-never-breaks-0123456789
      url: https://www.gov.uk/government/publications/an-extremely-long-publication-slug-that-never-breaks-0123456789
      quote: "We will publish the guidance, which is long, in due time and in full, with annexes."
"""
# Headless Chromium will not make a window narrower than 500 px, so the mail is laid out in an
# iframe of the exact width (srcdoc: same origin, so the page can measure it once it has loaded).
FRAME = """<!DOCTYPE html><html><body style="margin:0">
<iframe id="mail" style="border:0;display:block;width:{width}px;height:2400px" srcdoc="{srcdoc}"></iframe>
<script>
document.getElementById('mail').addEventListener('load', function () {{
  var doc = this.contentDocument, d = doc.documentElement;
  var m = {{scrollWidth: d.scrollWidth, clientWidth: d.clientWidth,
           headings: Array.prototype.map.call(doc.querySelectorAll('h2'), function (h) {{ return h.textContent; }})}};
  var pre = document.createElement('pre'); pre.id = 'metrics'; pre.textContent = JSON.stringify(m);
  document.body.appendChild(pre);
}});
</script></body></html>"""


def digest_html() -> str:
    loaded = load([("commitments.yaml", REGISTER.replace("  - id: others-lapsed", LONG + "  - id: others-lapsed"))])
    assert loaded.register is not None, [str(p) for p in loaded.problems]
    digest = build_digest(read_book(loaded.register, {}, at("2026-11-23T08:00")), "coord@example.org", None)
    message = digest_message(mail_setup(Settings(email_from="bot@example.org")), digest)
    part = message.get_body(("html",))
    assert part is not None
    return str(part.get_content())


def framed(html: str, width: int, tmp_path: Path) -> Path:
    page = tmp_path / f"page-{width}.html"
    page.write_text(FRAME.format(width=width, srcdoc=escape(html, quote=True)), encoding="utf-8")
    return page


def chromium(page: Path, width: int, profile: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    args = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
            "--virtual-time-budget=5000", f"--user-data-dir={profile}", f"--window-size={max(width, 500)},2400",
            *extra, page.as_uri()]
    return subprocess.run(args, capture_output=True, text=True, timeout=120, check=True)


def measure(html: str, width: int, tmp_path: Path) -> dict[str, object]:
    dom = chromium(framed(html, width, tmp_path), width, tmp_path / "profile", "--dump-dom").stdout
    found = re.search(r'<pre id="metrics">(.*?)</pre>', dom, re.S)
    assert found, dom[-2000:]
    return dict(json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&")))


@pytest.mark.parametrize("width", [375, 1280])
def test_digest_fits_the_screen_and_shows_every_section(width: int, tmp_path: Path) -> None:
    html = digest_html()
    metrics = measure(html, width, tmp_path)
    assert metrics["clientWidth"] == width
    assert metrics["scrollWidth"] == width, f"the digest overflows at {width}px: {metrics}"
    headings = [str(h) for h in metrics["headings"]]  # type: ignore[attr-defined]
    assert [h.rsplit(" (", 1)[0] for h in headings] == [heading for _, heading in SECTIONS]
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / f"digest-{width}.png"
    chromium(framed(html, width, tmp_path), width, tmp_path / "profile", f"--screenshot={shot}")
    assert shot.stat().st_size > 10_000
    (ARTIFACTS / "digest.html").write_text(html, encoding="utf-8")


def test_the_measurement_catches_overflow(tmp_path: Path) -> None:
    """A control: a page that is too wide must be reported as too wide."""
    metrics = measure('<html><body><div style="width:600px">wide</div></body></html>', 375, tmp_path)
    assert int(metrics["scrollWidth"]) > 375  # type: ignore[call-overload]
