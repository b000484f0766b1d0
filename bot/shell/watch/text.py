"""The words of a document, as a reader sees them: an HTML page's main text, a PDF's text, and
the normalising that makes a quote comparable with them (SPEC §6.3).

HTML is read with the standard library's parser: the main text is what sits inside `<main>` (or
`role="main"`, else `<article>`, else `<body>`), without scripts and styles. Inside `<main>` every
word counts, its headers included: a GOV.UK HTML publication puts its title in a `<header>`
there (SPEC §7.4). Outside it, navigation, headers, footers, asides and forms are skipped, so a
changed cookie banner or menu is not a changed page.

A PDF's words hyphenated across two lines are joined with a soft hyphen (U+00AD: "a hyphen
only where the line broke"): a quote matches there with the hyphen or without it, so both
"implemen-/tation" and "long-/term" are found as a reader would write them.

Every line of text that comes out is inert (bot.shell.http.inert_text): fetched words reach the
terminal, Slack and the database without a control character in them.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from html.parser import HTMLParser

from bot.shell.http import inert_text

SKIP = {"script", "style", "noscript", "template", "svg"}  # never text a reader reads
CHROME = {"nav", "header", "footer", "aside", "form"}  # the site's, not the document's: skipped outside <main>
SOFT = "\u00ad"
DEPTH = 512  # open elements kept, as Chromium's parser keeps (kMaximumHTMLParserDOMTreeDepth); GOV.UK nests ~30
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
        self.stack: list[tuple[str, str | None, bool]] = []  # (tag, "main" | "article" | "body" | None, skips)
        self.open: Counter[str] = Counter()  # how many of each tag are on the stack: an end tag is matched in O(1)
        self.skipping = 0
        self.parts: dict[str, list[str]] = {"main": [], "article": [], "body": [], "all": []}
        self.inside: dict[str, int] = {"main": 0, "article": 0, "body": 0}
        self.title: list[str] = []
        self.in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCK:
            self._break()
        if tag in VOID or len(self.stack) >= DEPTH:  # deeper, an element's words count as its parent's
            return
        role = dict(attrs).get("role")
        kind = "main" if tag == "main" or role == "main" else tag if tag in ("article", "body") else None
        skips = tag in SKIP or (tag in CHROME and not self.inside["main"] and kind != "main")
        self.stack.append((tag, kind, skips))
        self.open[tag] += 1
        if kind:
            self.inside[kind] += 1
        if skips:
            self.skipping += 1
        self.in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCK:
            self._break()
        if tag in VOID or not self.open[tag]:  # a stray end tag: nothing to close, and no stack to scan
            return
        while self.stack:  # close up to the matching tag: browsers forgive an unclosed <p> or <li>
            top, kind, skips = self.stack.pop()  # each element is popped once: closing is O(1) amortised
            self.open[top] -= 1
            if kind:
                self.inside[kind] -= 1
            if skips:
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
    reader.feed(unfinished_as_text(html))
    reader.close()
    title = inert_text(" ".join("".join(reader.title).split()))
    for kind in ("main", "article", "body", "all"):
        text = "".join(reader.parts[kind])
        if text.strip():
            return title, _tidy(text)
    return title, ""


def unfinished_as_text(html: str) -> str:
    """The page with every `<` that nothing closes written as `&lt;`, the text a browser shows.

    Python 3.11.7's HTML parser (gh-135462, fixed in 3.11.13) looks again to the end of the page
    for the end of each unfinished tag, comment or marked section: a page of them takes hours.
    A `<` is left as markup only when a `>` comes before the next `<`, and a comment (`<!--`) or
    a marked section (`<![`) only when its end (`-->`, `]>`) comes after it somewhere. One pass,
    each `>` looked for once: linear in the page."""
    comments_end, sections_end = html.rfind("-->"), html.rfind("]>")
    out: list[str] = []
    done, at, close = 0, html.find("<"), -2
    while at != -1:
        following = html.find("<", at + 1)
        if close != -1 and close < at:
            close = html.find(">", at)
        closed = close != -1 and (following == -1 or close < following)
        if closed and html.startswith("<!--", at):
            closed = comments_end >= at + 2
        elif closed and html.startswith("<![", at):
            closed = sections_end >= at + 3
        if not closed:
            out += [html[done:at], "&lt;"]
            done = at + 1
        at = following
    return "".join(out) + html[done:] if out else html


PDF_SECONDS = 60.0  # as long as fetching it may take by default


def pdf_text(data: bytes, seconds: float = PDF_SECONDS) -> str:
    """Every page's text, read by a child process bounded in time and memory (bot.shell.pdfread):
    the pages it read within `seconds`; "" for a PDF that cannot be read (the caller says no text
    could be read from it)."""
    from bot.shell.pdfread import read

    return _tidy(rejoin("\n".join(read(data, seconds))))


_HYPHENATED = re.compile(r"(?<=[^\W\d_])[-\u2010\u00ad][ \t]*\r?\n\s*(?=[^\W\d_])")


def rejoin(text: str) -> str:
    """A word hyphenated across two lines, as one word with a soft hyphen where the line broke."""
    return _HYPHENATED.sub(SOFT, text)


def normal(text: str) -> str:
    """For comparing words: Unicode NFKC, typographic quotes and dashes as plain ones, one space."""
    return " ".join(unicodedata.normalize("NFKC", text).translate(FOLD).split())


READING = "2:"  # how a page is read: 2 = all of <main>, its headers included (SPEC §7.4), inert lines


def fingerprint(text: str) -> str:
    """A page's text hash, marked with the reading that produced it (64 characters, as stored):
    a page last hashed by an older reading is not reported changed for that reason alone."""
    return READING + hashlib.sha256(normal(text).encode()).hexdigest()[: 64 - len(READING)]


_TAG = re.compile(r"<[^<>]*>")  # cannot run past the next "<": linear, where <[^>]*> was quadratic on "<<<<…"


def plain(html: str | None, limit: int = 300) -> str | None:
    """A snippet from an HTML fragment (an answer's text): its words, clipped. Only as much of the
    fragment is read as the snippet needs (a quarter of it, then four times more, ...), cut where
    no tag or entity can straddle the cut, so the snippet is the one the whole fragment gives."""
    if not html:
        return None
    size = 8 * limit
    while True:
        head = html if size >= len(html) else html[:_seam(html, size)]
        words = _words(head)
        if head is html or len(words) > limit:
            return words if len(words) <= limit else words[: limit - 1] + "…"
        size *= 4


def _seam(html: str, size: int) -> int:
    """Where `html[:size]` may be cut and read alone: before its last "<" or after its last ">"
    (no tag matched by _TAG spans either), else at its last space (no entity spans one)."""
    seam = max(html.rfind("<", 0, size), html.rfind(">", 0, size) + 1)
    return seam if seam > 0 else max(0, html.rfind(" ", 0, size))


def _words(html: str) -> str:
    from html import unescape

    words = " ".join(_TAG.sub(" ", html).split())
    return inert_text(unescape(words))  # an entity (&#27;) is a control character once unescaped


def whole_words(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters at the end of a word, with "…" where it was cut."""
    if len(text) <= limit:
        return text
    head = text[:limit]  # the room for limit - 1 characters and "…", and one more to see if a word ends there
    cut = head.rsplit(" ", 1)[0] if " " in head else text[: limit - 1]
    return cut.rstrip(" ,;:") + "…"


def _tidy(text: str) -> str:
    lines = (inert_text(" ".join(line.split())) for line in text.splitlines())
    return "\n".join(line for line in lines if line)
