"""A headless Chromium driven over the DevTools protocol (websockets, no other dependency):
open a page at a width, measure it, run axe-core in it, check what a phone user would trip on
(dates broken across lines, text squeezed into a sliver, chart labels too small to read, links
smaller than a fingertip), take a screenshot; and serve a folder over loopback HTTP to see every
request a page makes.

One browser serves a whole test module, so many pages cost one start-up. In CI (CI=true) a
missing Chromium or axe-core is a failure, not a skip: the tests that hold WCAG must run there.
"""

from __future__ import annotations

import base64
import functools
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from itertools import count
from pathlib import Path
from typing import Any

import pytest
from websockets.sync.client import connect

AXE_PATHS = (os.environ.get("AXE_CORE_JS", ""), "/opt/axe/node_modules/axe-core/axe.min.js",
             str(Path(__file__).resolve().parent.parent / "node_modules/axe-core/axe.min.js"))
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]  # WCAG 2.2 AA (issue 26 item 5)
MIN_TEXT_PX = 12  # the smallest text a chart may show, as rendered (after any SVG scaling)
MIN_TARGET_PX = 24  # WCAG 2.2 SC 2.5.8: a target at least 24 by 24 CSS px

# A date as a table or a sentence gives it ("2022-02-21", "3 Jan 2023"), a financial year ("2025-26"),
# a sum with its unit ("£1.4 million"), and every <time>: each must sit on one line.
KEPT_WHOLE = (r"/\b\d{4}-\d{2}-\d{2}\b|\b\d{4}[-\/]\d{2}\b|\b\d{1,2}[ \u00a0](?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
              r"[a-z]*[ \u00a0]\d{4}\b|£[\d.,]+[ \u00a0](?:million|billion|thousand)\b/g")
WRAPPED_DATES = r"""(() => {
  const out = [], re = KEPT;
  const lines = r => new Set([...r.getClientRects()].filter(x => x.width > 0).map(x => Math.round(x.top))).size;
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n; (n = walk.nextNode());) {
    if (n.parentElement.closest('svg,[hidden]')) continue;
    for (const m of n.data.matchAll(re)) {
      const r = document.createRange(); r.setStart(n, m.index); r.setEnd(n, m.index + m[0].length);
      if (lines(r) > 1) out.push(m[0] + ' in <' + n.parentElement.tagName.toLowerCase() + '>');
    }
  }
  for (const t of document.querySelectorAll('time')) {
    const r = document.createRange(); r.selectNodeContents(t);
    if (lines(r) > 1) out.push(t.textContent + ' in <time>');
  }
  return out; })()""".replace("KEPT", KEPT_WHOLE)

# The same, at any width: each is in an element that never wraps (white-space: nowrap), or has no
# space or hyphen a line could break at. A width that happens to break one ("3 Jan" / "2023" at
# 375 px, none at 320) need not be among those a test opens.
BREAKABLE_DATES = r"""(() => {
  const out = [], re = KEPT;
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n; (n = walk.nextNode());) {
    const e = n.parentElement;
    if (e.closest('svg,[hidden]') || ['nowrap', 'pre'].includes(getComputedStyle(e).whiteSpace)) continue;
    for (const m of n.data.matchAll(re)) if (/[ -]/.test(m[0])) out.push(m[0] + ' in <' + e.tagName.toLowerCase() + '>');
  }
  return out; })()""".replace("KEPT", KEPT_WHOLE)

# An id or a tag ("mvp-implement-by-end-august-2022") broken at a hyphen although it would fit on a
# line of its own: the widths of its pieces, together, fit in the box it is written in.
BROKEN_IDS = r"""(() => {
  const out = [], re = /\b[a-z0-9]+(?:-[a-z0-9]+){3,}\b/g;
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n; (n = walk.nextNode());) {
    if (n.parentElement.closest('svg,[hidden]')) continue;
    let box = n.parentElement;
    while (getComputedStyle(box).display === 'inline' && box.parentElement) box = box.parentElement;
    const style = getComputedStyle(box);
    const room = box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    for (const m of n.data.matchAll(re)) {
      const r = document.createRange(); r.setStart(n, m.index); r.setEnd(n, m.index + m[0].length);
      const parts = [...r.getClientRects()].filter(x => x.width > 0);
      const lines = new Set(parts.map(x => Math.round(x.top))).size;
      if (lines > 1 && parts.reduce((w, x) => w + x.width, 0) <= room) out.push(m[0]);
    }
  }
  return out; })()"""

# Text in a box narrower than three letters, one or two letters to a line (a caption squeezed by a table).
SQUEEZED = r"""[...document.querySelectorAll('h1,h2,h3,p,li,dt,dd,td,th,caption,figcaption,summary,blockquote')]
  .filter(e => e.offsetParent !== null && e.textContent.trim().length >= 8 && e.getBoundingClientRect().width < 48)
  .map(e => e.tagName.toLowerCase() + ': ' + e.textContent.trim().slice(0, 40))"""

# Every text of a timeline, as rendered: its size after the SVG's scaling, and whether it stays inside the chart.
CHART_TEXT = r"""[...document.querySelectorAll('.tl, figure.chart')].flatMap(fig => {
  const box = fig.getBoundingClientRect();
  return [...fig.querySelectorAll('text, p, span')].filter(t => t.textContent.trim() && !t.closest('[hidden]')).map(t => {
    const svg = t.closest('svg'), scale = svg ? svg.getScreenCTM().a : 1, r = t.getBoundingClientRect();
    return {text: t.textContent.trim().slice(0, 40), px: Math.round(parseFloat(getComputedStyle(t).fontSize) * scale * 10) / 10,
            inside: r.left >= box.left - 1 && r.right <= box.right + 1};
  });
})"""

# Links and controls standing on their own (navigation, table headers, disclosure summaries): 24 by 24 at least.
TARGETS = r"""[...document.querySelectorAll('nav a, thead a, summary, header a')].filter(e => e.offsetParent !== null)
  .map(e => { const r = e.getBoundingClientRect(); return {text: e.textContent.trim().slice(0, 30),
              width: Math.round(r.width * 10) / 10, height: Math.round(r.height * 10) / 10}; })
  .filter(t => t.width < TARGET || t.height < TARGET)""".replace("TARGET", str(MIN_TARGET_PX))


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def axe_path() -> Path | None:
    return next((Path(p) for p in AXE_PATHS if p and Path(p).is_file()), None)


def require(what: str, found: object, hint: str) -> None:
    """Skip without it locally; fail in CI, where .ci/run installs it."""
    if found:
        return
    message = f"{what} is not installed ({hint})"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


class Browser:
    def __init__(self) -> None:
        binary = chromium_path()
        assert binary is not None
        self.profile = tempfile.mkdtemp(prefix="cb-chromium-")
        self.proc = subprocess.Popen(
            [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
             "--remote-debugging-port=0", f"--user-data-dir={self.profile}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        assert self.proc.stderr is not None
        for line in self.proc.stderr:  # Chromium says where it listens once it is ready
            if found := re.search(r"DevTools listening on (ws://\S+)", line):
                break
        else:
            raise RuntimeError("chromium did not start")
        self.stack = ExitStack()
        self.ws = self.stack.enter_context(connect(found.group(1), max_size=64 * 2**20, open_timeout=30))
        self.ids = count(1)
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self.call("Page.enable", session=True)
        self.axe_source: str | None = None

    def call(self, method: str, session: bool = False, **params: Any) -> dict[str, Any]:
        """Send one command and read until its answer; events met on the way are kept in `seen`."""
        ident = next(self.ids)
        message: dict[str, Any] = {"id": ident, "method": method, "params": params}
        if session:
            message["sessionId"] = self.session
        self.ws.send(json.dumps(message))
        while True:
            reply = json.loads(self.ws.recv(timeout=60))
            if reply.get("id") == ident:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return dict(reply.get("result", {}))
            if reply.get("method") == "Page.loadEventFired":
                self.loaded = True

    def open(self, page: Path | str, width: int) -> None:
        mobile = width < 600
        self.call("Emulation.setDeviceMetricsOverride", session=True, width=width, height=900,
                  deviceScaleFactor=1, mobile=mobile)
        self.loaded = False
        url = page.as_uri() if isinstance(page, Path) else page
        self.call("Page.navigate", session=True, url=url)
        while not self.loaded:  # wait for the load event itself: no sleeps
            reply = json.loads(self.ws.recv(timeout=60))
            if reply.get("method") == "Page.loadEventFired":
                self.loaded = True

    def evaluate(self, expression: str, wait: bool = False) -> Any:
        result = self.call("Runtime.evaluate", session=True, expression=expression, returnByValue=True,
                           awaitPromise=wait)
        if "exceptionDetails" in result:
            raise RuntimeError(str(result["exceptionDetails"])[:2000])
        return result["result"].get("value")

    def widths(self) -> dict[str, int]:
        return dict(self.evaluate("({scroll: document.documentElement.scrollWidth, "
                                  "client: document.documentElement.clientWidth})"))

    def axe(self, axe_js: Path) -> list[dict[str, Any]]:
        """WCAG 2.1 A and AA violations of the open page, as axe-core reports them."""
        if self.axe_source is None:
            self.axe_source = axe_js.read_text(encoding="utf-8")
        self.evaluate(self.axe_source)
        found = self.evaluate(
            f"axe.run(document, {{runOnly: {{type: 'tag', values: {json.dumps(WCAG)}}}, resultTypes: ['violations']}})"
            ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
            " nodes: v.nodes.slice(0, 3).map(n => n.html.slice(0, 200))})))", wait=True)
        return list(found)

    def wrapped_dates(self) -> list[str]:
        return list(self.evaluate(WRAPPED_DATES))

    def breakable_dates(self) -> list[str]:
        return list(self.evaluate(BREAKABLE_DATES))

    def broken_ids(self) -> list[str]:
        return list(self.evaluate(BROKEN_IDS))

    def squeezed_text(self) -> list[str]:
        return list(self.evaluate(SQUEEZED))

    def small_chart_text(self) -> list[dict[str, Any]]:
        """Timeline texts smaller than MIN_TEXT_PX as rendered, or spilling out of their chart."""
        return [t for t in self.evaluate(CHART_TEXT) if t["px"] < MIN_TEXT_PX or not t["inside"]]

    def chart_texts(self) -> int:
        return len(self.evaluate(CHART_TEXT))

    def small_targets(self) -> list[dict[str, Any]]:
        return list(self.evaluate(TARGETS))

    def screenshot(self, out: Path) -> None:
        height = int(self.evaluate("document.documentElement.scrollHeight"))
        shot = self.call("Page.captureScreenshot", session=True, format="png", captureBeyondViewport=True,
                         clip={"x": 0, "y": 0, "width": int(self.widths()["client"]),
                               "height": min(height, 2400), "scale": 1})
        out.write_bytes(base64.b64decode(shot["data"]))

    def close(self) -> None:
        try:
            self.stack.close()
        finally:
            self.proc.terminate()
            self.proc.wait(timeout=30)
            shutil.rmtree(self.profile, ignore_errors=True)


@contextmanager
def serve(folder: Path) -> Iterator[tuple[str, list[tuple[str, int]]]]:
    """Serve `folder` on loopback; yield its base URL and the (path, status) of every request it
    answered, so a test sees what pages ask for (a browser's own /favicon.ico included)."""
    answered: list[tuple[str, int]] = []

    class Handler(SimpleHTTPRequestHandler):
        def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
            answered.append((self.path, int(code)))

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", answered
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
