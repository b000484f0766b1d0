"""The words of a document, as a reader sees them: an HTML page's main text, a PDF's text, and
the normalising that makes a quote comparable with them (SPEC §6.3).

HTML is read with the standard library's parser: the main text is what sits inside `<main>` (or
`role="main"`, else `<article>`, else `<body>`), without scripts, styles, navigation, headers and
footers, so a changed cookie banner or menu is not a changed page.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
from html.parser import HTMLParser

SKIP = {"script", "style", "noscript", "template", "nav", "header", "footer", "aside", "svg", "form"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
BLOCK = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "section", "blockquote", "br",
         "article", "main", "dd", "dt"}
# Typographic quotes, dashes and spaces, as plain ones: a quote copied by hand still matches.
FOLD = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "“": '"', "”": '"', "„": '"', "‟": '"',
                      "″": '"', "«": '"', "»": '"', "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-",
                      "−": "-", "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u200b": "", "\u00ad": ""})


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None]] = []  # (tag, "main" | "article" | "body" | None)
        self.skipping = 0
        self.parts: dict[str, list[str]] = {"main": [], "article": [], "body": [], "all": []}
        self.inside: dict[str, int] = {"main": 0, "article": 0, "body": 0}
        self.title: list[str] = []
        self.in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCK:
            self._break()
        if tag in VOID:
            return
        role = dict(attrs).get("role")
        kind = "main" if tag == "main" or role == "main" else tag if tag in ("article", "body") else None
        self.stack.append((tag, kind))
        if kind:
            self.inside[kind] += 1
        if tag in SKIP:
            self.skipping += 1
        self.in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCK:
            self._break()
        if tag in VOID or all(t != tag for t, _ in self.stack):
            return
        while self.stack:  # close up to the matching tag: browsers forgive an unclosed <p> or <li>
            top, kind = self.stack.pop()
            if kind:
                self.inside[kind] -= 1
            if top in SKIP:
                self.skipping -= 1
            if top == tag:
                break
        self.in_title = False

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
            return
        if self.skipping:
            return
        self.parts["all"].append(data)
        for kind, depth in self.inside.items():
            if depth:
                self.parts[kind].append(data)

    def _break(self) -> None:
        for parts in self.parts.values():
            parts.append("\n")


def html_text(html: str) -> tuple[str, str]:
    """(title, main text) of an HTML page."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    for kind in ("main", "article", "body", "all"):
        text = "".join(reader.parts[kind])
        if text.strip():
            return " ".join("".join(reader.title).split()), _tidy(text)
    return " ".join("".join(reader.title).split()), ""


def pdf_text(data: bytes) -> str:
    """Every page's text; a PDF that cannot be read gives "" (the caller says the quote is not found)."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        return _tidy("\n".join(page.extract_text() or "" for page in reader.pages))
    except (PdfReadError, ValueError, KeyError, TypeError, OSError):
        return ""


def normal(text: str) -> str:
    """For comparing words: Unicode NFKC, typographic quotes and dashes as plain ones, one space."""
    return " ".join(unicodedata.normalize("NFKC", text).translate(FOLD).split())


def fingerprint(text: str) -> str:
    return hashlib.sha256(normal(text).encode()).hexdigest()


def plain(html: str | None, limit: int = 300) -> str | None:
    """A snippet from an HTML fragment (an answer's text): its words, clipped."""
    if not html:
        return None
    words = " ".join(re.sub(r"<[^>]*>", " ", html).split())
    from html import unescape

    words = unescape(words)
    return words if len(words) <= limit else words[: limit - 1] + "…"


def _tidy(text: str) -> str:
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)
