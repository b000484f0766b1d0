"""A headless Chromium driven over the DevTools protocol (websockets, no other dependency):
open a page at a width, measure it, run axe-core in it, take a screenshot.

One browser serves a whole test module, so many pages cost one start-up. In CI (CI=true) a
missing Chromium or axe-core is a failure, not a skip: the tests that hold WCAG must run there.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import tempfile
from contextlib import ExitStack
from itertools import count
from pathlib import Path
from typing import Any

import pytest
from websockets.sync.client import connect

AXE_PATHS = (os.environ.get("AXE_CORE_JS", ""), "/opt/axe/node_modules/axe-core/axe.min.js",
             str(Path(__file__).resolve().parent.parent / "node_modules/axe-core/axe.min.js"))
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


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
