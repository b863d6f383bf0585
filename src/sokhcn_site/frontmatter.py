"""Split a text file into its YAML front matter and its Markdown body."""

from __future__ import annotations

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
                raise FrontMatterProblem(exc.line, exc.message) from None
            return FrontMatter(fields, "\n".join(lines[index + 1 :]), index + 2, text)
    raise FrontMatterProblem(
        1,
        "phần thông tin đầu bài mở bằng '---' nhưng không có dòng '---' đóng lại; "
        "thêm một dòng '---' ngay sau các dòng title, date...",
    )
