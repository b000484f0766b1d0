"""A PDF's text, read in a child process that is bounded in time and memory.

A PDF is a program: a few kilobytes on the wire can hold pages that keep pypdf busy for minutes
(a million operators in one compressed stream, at some 20 µs a token; 400 font names each
building a 65,536-entry character map) or make it allocate gigabytes. pypdf offers a limit on
tokens but no way to stop it mid-page, and no thread can be stopped. So the reading runs in a
process of its own (`python -I -m bot.shell.pdfread`, the PDF on stdin; `-I`: no module from the
working folder), killed when the time given is up, with MEMORY bytes of address space (pypdf
caps each stream it inflates itself; this bounds the rest). It writes each page's text as soon
as it has it, so the pages read before the time ran out are kept. A page's content stream is
parsed up to TOKENS tokens (a dense page of a real report holds a few thousand; pypdf's own
limit is 2,000,000); a page past it is skipped, the others read.

A new process costs some 0.2 s of start-up: a PDF source is rare beside the HTML pages and API
answers a pass reads, and this buys a bound no in-process reader has.
"""

from __future__ import annotations

import io
import subprocess
import sys

TOKENS = 100_000
MEMORY = 1 << 30  # 1 GiB of address space: pypdf on a real 300-page report stays well under it
PAGE_END = "\f"  # after each page's text on the child's stdout (a form feed: no PDF text has one left)


def read(data: bytes, seconds: float) -> list[str]:
    """Each page's text, in order, as far as the child read in `seconds`; [] for a PDF that
    cannot be read at all."""
    try:
        done = subprocess.run([sys.executable, "-I", "-m", "bot.shell.pdfread"], input=data, capture_output=True,
                              timeout=seconds, check=False)
        out = done.stdout
    except subprocess.TimeoutExpired as e:  # killed: keep the pages it finished
        out = e.stdout or b""
    pages = out.decode("utf-8", errors="replace").split(PAGE_END)
    return pages[:-1]  # the last part is a page not finished (or nothing)


def _main() -> None:
    """The child: bound its memory, then write each page's text and PAGE_END as it goes."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    from pypdf import PdfReader, apply_configuration
    from pypdf.errors import LimitReachedError

    out = sys.stdout.buffer
    try:
        with apply_configuration(stream_parsing_work_maximum_count=TOKENS):
            for page in PdfReader(io.BytesIO(sys.stdin.buffer.read())).pages:
                try:
                    text = page.extract_text() or ""
                except LimitReachedError:
                    text = ""
                out.write((text.replace(PAGE_END, "\n") + PAGE_END).encode("utf-8", errors="replace"))
                out.flush()
    except Exception:  # noqa: BLE001, S110 - a hostile file can raise anything (RecursionError, MemoryError…): what was read stands
        pass


if __name__ == "__main__":
    _main()
