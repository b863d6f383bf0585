"""The lines of a file that messages about its body point at: editors read `file:line:`."""

from __future__ import annotations

import unicodedata
from urllib.parse import unquote

from .errors import text_line
from .frontmatter import FrontMatter


class BodyLines:
    """The lines of what a body writes, each looked for after the one found before: the
    same picture pasted twice is at two lines, and the front matter is not looked in."""

    def __init__(self, front: FrontMatter) -> None:
        # Bodies are NFC from parse on; the file may be NFD. Normalising keeps the lines.
        self.text = unicodedata.normalize("NFC", front.text)
        self.line = front.body_line
        self.position = body_start(self.text, front.body_line)

    def of(self, *needles: str) -> int:
        """The line of the first of `needles` found; the last line found if none is."""
        for needle in needles:
            found = self.text.find(needle, self.position) if needle else -1
            if found >= 0:
                line = self.line + self.text.count("\n", self.position, found)
                self.line, self.position = line + needle.count("\n"), found + len(needle)
                return line
        return self.line


def body_start(text: str, body_line: int) -> int:
    """The offset in a file's `text` of its line `body_line`: where its body starts."""
    head = text.split("\n", body_line - 1)[: body_line - 1]
    return min(sum(len(line) + 1 for line in head), len(text))


def link_line(text: str, body: int, rel: str, default: int) -> int:
    """The line of the body (from offset `body` of `text`) that links to the site's path
    `rel`: the longest end of the path it writes ("anh-2/a.png" of "tin/anh-2/a.png"), not
    the first "a.png" of the file, which may be another folder's, or the header's `image:`."""
    parts = unquote(rel.rstrip("/")).split("/")
    for start in range(len(parts)):
        found = text.find("/".join(parts[start:]), body)
        if found >= 0:
            return text.count("\n", 0, found) + 1
    return name_line(text, parts[-1], default)


def name_line(text: str, name: str, default: int) -> int:
    """The line of a file's `name` in `text`, where it may be percent-encoded
    ("t%C3%A0i%20li%E1%BB%87u.pdf"), or `default` if it is not there."""
    if name in text:
        return text_line(text, name)
    lines = enumerate(text.split("\n"), 1)
    return next((n for n, line in lines if "%" in line and name in unquote(line)), default)
