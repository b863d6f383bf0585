"""Split a text file into its YAML front matter and its Markdown body."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .yamlio import YamlMapping, YamlProblem, load_mapping

_OPEN = "---"
_CLOSE = ("---", "...")


@dataclass(frozen=True, slots=True)
class FrontMatter:
    fields: YamlMapping
    body: str
    body_line: int  # file line where the body starts
    text: str  # the whole file, as split: messages find their lines in it
    controls: bool = False  # whether the file has control characters (see parse._read)


class FrontMatterProblem(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def decode(data: bytes) -> str:
    """UTF-8 text with any byte-order mark dropped and line endings made \\n."""
    text = data.decode("utf-8")  # UnicodeDecodeError is the caller's to report
    text = text.removeprefix("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(text: str) -> FrontMatter:
    """Read the `---` fenced YAML at the very top of `text`."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != _OPEN:
        raise FrontMatterProblem(
            1,
            "thiếu phần thông tin đầu bài; thêm vào đầu tệp một dòng '---', "
            "các dòng title, date..., rồi một dòng '---'",
        )
    for index in range(1, len(lines)):
        if lines[index].rstrip() in _CLOSE:
            yaml_text = "\n".join(lines[1:index])
            try:
                fields = load_mapping(yaml_text, first_line=2)
            except YamlProblem as exc:
                raise _pasted(lines[1:index]) or FrontMatterProblem(exc.line, exc.message) from None
            return FrontMatter(fields, "\n".join(lines[index + 1 :]), index + 2, text)
    raise FrontMatterProblem(
        1,
        "phần thông tin đầu bài mở bằng '---' nhưng không có dòng '---' đóng lại; "
        "thêm một dòng '---' ngay sau các dòng title, date...",
    )


# What Word and web pages paste that YAML does not read as it looks: a no-break space after
# the colon (the line is not `key: value` then, and the error shows on the line after) and
# curly quotes (not quotes to YAML: a colon inside them breaks the line).
_NO_BREAK = re.compile(r"^[^\s:#]+:\u00a0")
_CURLY = re.compile(r"^[^\s:#]+:\s*[\u201c\u201d\u2018\u2019]")
_NO_BREAK_FIX = (
    "dòng này có khoảng trắng cứng (thường do dán từ Word) sau dấu ':'; xóa nó rồi gõ một "
    "dấu cách thường"
)
_CURLY_FIX = (
    "ngoặc kép cong “ ” (thường do dán từ Word) không phải ngoặc kép của phần đầu bài; gõ lại "
    'bằng ngoặc kép thẳng, ví dụ `title: "Hội nghị: tổng kết"`'
)


def _pasted(header: list[str]) -> FrontMatterProblem | None:
    """The problem of the first header line that has either, if one does: YAML's own message
    would point elsewhere, or tell to use quotes to an editor who did."""
    for number, line in enumerate(header, start=2):
        if _NO_BREAK.match(line):
            return FrontMatterProblem(number, _NO_BREAK_FIX)
        if _CURLY.match(line):
            return FrontMatterProblem(number, _CURLY_FIX)
    return None
