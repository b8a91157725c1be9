"""Small PDFs written by hand for the tests, so that no binary fixture is committed.

Each page is a list of lines drawn top-down in Helvetica (a standard font: no font file needed);
a line given as ``(text, size)`` is drawn at that size (a headline). A page given as ``None`` has
no text at all, only a grey rectangle, as a scanned page without OCR would.
"""

from __future__ import annotations

Line = str | tuple[str, float]


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _content(lines: list[Line] | None) -> bytes:
    if lines is None:
        return b"0.5 g 72 72 451 698 re f"
    commands: list[str] = []
    y = 770.0
    for line in lines:
        text, size = (line, 11.0) if isinstance(line, str) else line
        y -= size * 1.4
        commands.append(f"BT /F1 {size:g} Tf 72 {y:.1f} Td ({_escape(text)}) Tj ET")
    return "\n".join(commands).encode("latin-1")


def make_pdf(pages: list[list[Line] | None]) -> bytes:
    """A valid PDF 1.4 file with one page per item of ``pages``."""
    objects: list[bytes] = []
    page_ids = [4 + 2 * index for index in range(len(pages))]
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    kids = " ".join(f"{number} 0 R" for number in page_ids)
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    for index, lines in enumerate(pages):
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
            f"/Contents {page_ids[index] + 1} 0 R >>".encode()
        )
        stream = _content(lines)
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
