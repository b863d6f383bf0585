"""The problems parse tells of what an article's body writes that its page cannot show as
it is written, each at the line that writes it."""

from __future__ import annotations

from urllib.parse import unquote

from .errors import Diagnostic, error, line_in, warning
from .frontmatter import FrontMatter
from .lines import BodyLines
from .markup import Reference, kept_address, left_out, pasted
from .model import Source


def unkept_markup(
    source: Source, front: FrontMatter, rendered: str, raw_html: bool
) -> list[Diagnostic]:
    """One warning for the tags and links of the body that the page does not keep."""
    dropped = left_out(rendered, raw_html)
    if not dropped:
        return []
    # A needle not in the file (an address written with entities) points nowhere.
    lines = [line_in(front.text, needle) for _, needle in dropped if needle in front.text]
    return [warning(
        source.display, min(lines, default=front.body_line),
        f"{', '.join(what for what, _ in dropped)} không được giữ trên trang, chỉ liên kết "
        "http, https, mailto, tel và các thẻ HTML thông dụng; hãy sửa lại, với ảnh thì lưu "
        "thành tệp cạnh bài viết rồi chèn ![mô tả](ten-anh.png)",
    )]  # fmt: skip


# How to put a picture in an article, for messages about one that cannot be shown.
_PICTURE_HOW = "lưu ảnh thành tệp đặt cạnh bài viết rồi chèn ![mô tả](ten-anh.jpg)"
# Why a picture pasted from Word cannot be shown, by its address's scheme ({url}: as written).
_PASTED_WHY = {
    "file": "trỏ tới tệp trên máy tính của người soạn ('{url}'), người đọc không mở được",
    "data": "được dán thẳng vào bài (địa chỉ data:...), trang web không giữ được ảnh dán",
}


def picture_problems(
    source: Source, front: FrontMatter, pictures: list[Reference]
) -> list[Diagnostic]:
    """An error for each picture pasted from Word (its address a file on the editor's
    computer, or its bytes), a warning for each without an address, which the page leaves
    out, and for each shown without a description: each at its own line."""
    if all(picture.url and not pasted(picture.url) and (picture.alt or "").strip()
           for picture in pictures):  # fmt: skip
        return []  # most bodies: the file's text need not be looked through
    problems = []
    lines = BodyLines(front)
    for picture in pictures:
        what = f"ảnh '{picture.alt.strip()}'" if (picture.alt or "").strip() else "ảnh"
        scheme = pasted(picture.url)
        if scheme is not None:
            why = _PASTED_WHY[scheme].format(url=unquote(picture.url))
            problems.append(error(
                source.display, lines.of(picture.url, f"{scheme}:"),
                f"{what} {why}; {_PICTURE_HOW}",
            ))  # fmt: skip
        elif not picture.url:
            alt = picture.alt or ""
            problems.append(warning(
                source.display, lines.of(f"![{alt}]", "<img"),
                f"{what} không có địa chỉ nên bị bỏ khỏi trang; {_PICTURE_HOW}",
            ))  # fmt: skip
        else:
            name = unquote(picture.url.rsplit("/", 1)[-1])
            line = lines.of(picture.url, name)  # also so that a later one is looked for after it
            if what == "ảnh" and kept_address(picture.url):  # one left out is told apart
                problems.append(warning(
                    source.display, line,
                    f"ảnh '{name}' không có mô tả; viết ![mô tả ngắn về ảnh]({name}) để người "
                    "khiếm thị và máy tìm kiếm hiểu ảnh",
                ))  # fmt: skip
    return problems
