"""The lines of a file that messages about its body point at: editors read `file:line:`."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from urllib.parse import unquote

from .errors import text_line
from .frontmatter import FrontMatter


class BodyLines:
    """The lines of what a body writes, each looked for after the one found before: the
    same picture pasted twice, or two links to one file, are at two lines. What is not
    found after it is looked for from the body's start: a reference link's address is
    written once, at its definition, and footnotes come last in the HTML. The front matter
    is not looked in."""

    def __init__(self, front: FrontMatter) -> None:
        # Bodies are NFC from parse on; the file may be NFD. Normalising keeps the lines.
        self.text = unicodedata.normalize("NFC", front.text)
        self.first = self.line = front.body_line
        self.start = self.position = body_start(self.text, front.body_line)

    def of(self, *needles: str) -> int:
        """The line of the first of `needles` found; the last line found if none is."""
        line = self._find(needles)
        return self.line if line is None else line

    def of_link(self, rel: str) -> int:
        """The line that links to the site's path `rel`: of the longest end of the path it
        writes ("anh-2/a.png" of "tin/anh-2/a.png"), not of the first "a.png" of the file,
        which may be another folder's, or the header's `image:`."""
        parts = unquote(rel.rstrip("/")).split("/")
        line = self._find(["/".join(parts[start:]) for start in range(len(parts))])
        return _name_line(self.text, parts[-1], self.first) if line is None else line

    def _find(self, needles: Sequence[str]) -> int | None:
        for needle in needles:
            found = self.text.find(needle, self.position) if needle else -1
            if found >= 0:
                line = self.line + self.text.count("\n", self.position, found)
                self.line, self.position = line + needle.count("\n"), found + len(needle)
                return line
        for needle in needles:
            found = self.text.find(needle, self.start) if needle else -1
            if found >= 0:
                return self.first + self.text.count("\n", self.start, found)
        return None


def body_start(text: str, body_line: int) -> int:
    """The offset in a file's `text` of its line `body_line`: where its body starts."""
    head = text.split("\n", body_line - 1)[: body_line - 1]
    return min(sum(len(line) + 1 for line in head), len(text))


def _name_line(text: str, name: str, default: int) -> int:
    """The line of a file's `name` in `text`, where it may be percent-encoded
    ("t%C3%A0i%20li%E1%BB%87u.pdf"), or `default` if it is not there."""
    if name in text:
        return text_line(text, name)
    lines = enumerate(text.split("\n"), 1)
    return next((n for n, line in lines if "%" in line and name in unquote(line)), default)
