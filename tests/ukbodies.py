"""Bodies the tests serve from the local GOV.UK and Parliament server (bot/shell/sandbox/ukapis.py),
built from the recorded fixtures in tests/fixtures/uk-apis/ (copied from ../shared/fixtures/uk-apis/).

What is real and what is built: the GOV.UK search results, the written question list and the
withdrawn content item are the recorded samples, with one result each re-dated and re-titled to be
"new" (marked below). No real sample of a written statements list exists: its body here is built
from the official swagger's StatementsViewModel. HTML pages and PDFs are made up for the tests.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "uk-apis"  # copied from ../shared/fixtures/uk-apis, with their sources


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


# -- bodies built from the fixtures ------------------------------------------------------------
def govuk_search(new_link: str, new_title: str, published: str) -> dict[str, Any]:
    """The recorded search response, its one result re-dated and re-titled as a new publication.
    `total` and `start` say what the page holds (the recording's total, 79,464, was for q=tax)."""
    data = fixture("govuk_search_sample.json")
    hit = copy.deepcopy(data["results"][0])
    hit.update({"link": new_link, "title": new_title, "public_timestamp": published,  # changed: "new"
                "description": f"{new_title}: guidance for practitioners.", "format": "publication"})
    old = copy.deepcopy(data["results"][0])  # as recorded: published 2017, before any last news
    data["results"] = [hit, old]
    data.update({"total": 2, "start": 0})
    return data


def written_questions(answered: str, heading: str, question: str | None = None,
                      answer: str | None = None) -> dict[str, Any]:
    """The recorded list; its first question re-dated (answered after the last news), re-headed and
    re-worded about `heading` (the recording is about incinerators). `totalResults` is what the
    list holds (the recording's 20 was before it was trimmed to 4)."""
    data = fixture("parliament_written_questions_list_sample.json")
    first = data["results"][0]["value"]
    first.update({"dateAnswered": answered, "heading": heading, "dateTabled": answered[:10] + "T00:00:00",
                  "questionText": question or f"To ask the Secretary of State for the Home Department, what "
                                              f"progress she has made on {heading}.",
                  "answerText": answer or f"<p>{heading}: the Government will set out its plans shortly.</p>"})
    data["totalResults"] = len(data["results"])
    return data


def written_statements(made: str, title: str, uin: str = "HCWS123") -> dict[str, Any]:
    """Built from the swagger's StatementsViewModel (no real sample exists)."""
    return {"totalResults": 1, "results": [{"value": {
        "id": 1, "memberId": 4410, "memberRole": "Minister", "uin": uin, "dateMade": made,
        "answeringBodyId": 1, "answeringBodyName": "Home Office", "title": title,
        "text": "<p>The Migrant Victims Protocol will be published shortly.</p>", "house": "Commons",
        "noticeNumber": 1, "hasAttachments": False, "hasLinkedStatements": False, "linkedStatements": [],
        "attachments": []}, "links": []}]}


def html(title: str, main: str, chrome: str = "") -> str:
    return (f"<!doctype html><html><head><title>{title}</title><script>var x = 1;</script></head><body>"
            f"<nav>Menu {chrome}</nav><main><h1>{title}</h1><p>{main}</p></main><footer>Footer {chrome}</footer>"
            "</body></html>")


def minimal_pdf(text: str) -> bytes:
    """A one-page PDF (Helvetica) whose text is `text`, written by hand: objects, xref, trailer."""
    return pdf_lines([text])


# -- a GOV.UK HTML publication page and a PDF of several lines (the source checks, SPEC §7.4) ----
HTML_PUBLICATION_TITLE = "TR4 8EE, Mr Derek Mears: environmental permit application"


def html_publication(title: str = HTML_PUBLICATION_TITLE) -> str:
    """The assembled HTML publication page (fixtures/uk-apis/govuk_html_publication_page.html,
    see its .source.txt); re-titled when `title` is given (changed: <title> and <h1>)."""
    page = (FIXTURES / "govuk_html_publication_page.html").read_text(encoding="utf-8")
    return page.replace(HTML_PUBLICATION_TITLE, title)


def pdf_lines(lines: list[str]) -> bytes:
    """A one-page PDF (Helvetica) with each of `lines` on a line of its own, as a typeset document
    breaks them, written by hand: objects, xref, trailer."""
    shown = ") Tj 0 -14 Td (".join(line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
                                  for line in lines)
    stream = f"BT /F1 10 Tf 40 780 Td ({shown}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
