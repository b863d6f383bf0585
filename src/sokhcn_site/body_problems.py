"""The problems parse tells of what an article's body writes that its page cannot show as
it is written, each at the line that writes it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import unquote

from .errors import Diagnostic, error, warning
from .frontmatter import FrontMatter
from .lines import BodyLines
from .markup import Reference, first_heading, headings, kept_address, left_out, pasted
from .model import Source

# A kind of markup left out on more lines than this is told once, at its first: a web page
# pasted whole may have dozens of <script> tags, and a message for each would bury the rest.
_MANY_LINES = 3


def unkept_markup(
    source: Source, front: FrontMatter, rendered: str, raw_html: bool
) -> list[Diagnostic]:
    """A warning for each line of the body with tags or links that the page does not keep,
    naming them."""
    dropped = left_out(rendered, raw_html)
    if not dropped:
        return []
    lines = BodyLines(front)
    found = [(what, lines.of(needle)) for what, needle in dropped]
    return [warning(
        source.display, line,
        f"{', '.join(whats)} không được giữ trên trang, chỉ liên kết http, https, mailto, tel "
        "và các thẻ HTML thông dụng; hãy sửa lại, với ảnh thì lưu thành tệp cạnh bài viết rồi "
        "chèn ![mô tả](ten-anh.png)",
    ) for line, whats in _by_line(found).items()]  # fmt: skip


def dropped_frames(
    source: Source, front: FrontMatter, refs: tuple[Reference, ...], config_file: str
) -> list[Diagnostic]:
    """A warning for each line of the body with an <iframe> that sanitise dropped, sending
    the editor to `video_hosts` in `config_file`."""
    frames = [ref for ref in refs if ref.tag == "iframe"]
    if all(frame.url for frame in frames):
        return []  # most bodies: the file's text need not be looked through
    lines = BodyLines(front)
    # Each frame is looked for, kept or not, so that the next one is looked for after it.
    found = [("khung nhúng <iframe>", lines.of("<iframe", "<IFRAME")) for _ in frames]
    dropped = [where for where, frame in zip(found, frames, strict=True) if not frame.url]
    return [warning(
        source.display, line,
        f"{', '.join(whats)} bị bỏ: chỉ giữ video https từ các máy chủ trong 'video_hosts' "
        f"của {config_file}",
    ) for line, whats in _by_line(dropped).items()]  # fmt: skip


def _by_line(found: list[tuple[str, int]]) -> dict[int, list[str]]:
    """What of `found` (what, line) to tell at each line: each kind once a line, and a kind
    found on more than _MANY_LINES lines at its first only, with how many and to which."""
    lines_of: dict[str, list[int]] = {}
    for what, line in found:
        lines_of.setdefault(what, [])
        if line not in lines_of[what]:
            lines_of[what].append(line)
    told: dict[int, list[str]] = {}
    for what, lines in lines_of.items():
        if len(lines) > _MANY_LINES:
            first, last = min(lines), max(lines)
            told.setdefault(first, []).append(
                f"{what} (ở {len(lines)} dòng, từ dòng này đến dòng {last})"
            )
        else:
            for line in lines:
                told.setdefault(line, []).append(what)
    return dict(sorted(told.items()))


def local_links(source: Source, front: FrontMatter, urls: list[str]) -> list[Diagnostic]:
    """An error for each link (`urls`, as written) to a file on the editor's computer, pasted
    from Word: the page would show its words, linking nowhere."""
    if not urls:
        return []
    lines = BodyLines(front)
    return [error(
        source.display, lines.of(url, url[:5]),
        f"liên kết {_PASTED_WHY['file'].format(url=unquote(url))}; chép tệp vào cạnh bài viết "
        "rồi liên kết tới nó, ví dụ [Tải kế hoạch](ke-hoach.pdf)",
    ) for url in urls]  # fmt: skip


def escaping_links(source: Source, front: FrontMatter, urls: tuple[str, ...]) -> list[Diagnostic]:
    """An error for each link of the body (`urls`, as written) that leads out of content/."""
    if not urls:
        return []
    lines = BodyLines(front)
    return [error(
        source.display, lines.of(url),
        f"liên kết '{url}' trỏ ra ngoài thư mục nội dung; chép tệp vào trong content/ rồi liên "
        "kết tới đó, hoặc dùng địa chỉ đầy đủ https://...",
    ) for url in urls]  # fmt: skip


def repeated_title(source: Source, front: FrontMatter, title: str, html: str) -> list[Diagnostic]:
    """A warning when the body's first heading is its title, as a document from Word starts:
    the page shows the title above the body already."""
    heading = first_heading(html)
    if not heading or heading.casefold() != " ".join(title.split()).casefold():
        return []
    line = BodyLines(front).of(f"# {heading}", f">{heading}", heading)
    return [warning(
        source.display, line,
        f"dòng tiêu đề '{heading}' lặp lại 'title': trang đã hiện tiêu đề ở đầu bài, nên tiêu "
        "đề sẽ hiện hai lần; hãy xóa dòng này",
    )]  # fmt: skip


# The opening tag of a heading of a sanitised body, which nh3 writes in lower case.
_HEADING_TAG = re.compile(r"<h([1-6])\b")


def skipped_headings(source: Source, front: FrontMatter, html: str, shift: int) -> list[Diagnostic]:
    """A warning at each heading of the body (`html`, as the page shows it) more than one
    level below the heading before it or, the first, below the page's title (its <h1>): a
    screen reader lists a page's headings by level, and a gap reads as a part left out.
    `shift`: how many levels the page moved the body's headings down (see demote_headings),
    so that messages name the levels the editor writes."""
    if not _skips([int(level) for level in _HEADING_TAG.findall(html)]):
        return []  # most bodies: one scan of their tags
    found = headings(html)
    skips = _skips([level for level, _ in found])
    if not skips:  # only a heading left unclosed, which nh3 never writes, would differ
        return []
    lines, texts = BodyLines(front), front.text.split("\n")
    # Each heading up to the last told is looked for, so that one repeated is found after it.
    at = [lines.of(*_needles(level - shift, text)) for level, text in found[: skips[-1][0] + 1]]
    problems = []
    for index, before in skips:
        text = found[index][1]
        written = texts[at[index] - 1].lstrip(" >")
        tag = "<h" in written.lower() and not written.startswith("#")
        after = None if before == 1 else before - shift  # level 1 is the page's title
        message = _skip_message(text, after, before + 1 - shift, tag)
        problems.append(warning(source.display, at[index], message))
    return problems


def _skips(levels: Sequence[int]) -> list[tuple[int, int]]:
    """(index, level of the heading before it, 1 for the page's title) of each of `levels`
    more than one level below the one before it."""
    skips, before = [], 1
    for index, level in enumerate(levels):
        if level > before + 1:
            skips.append((index, before))
        before = level
    return skips


def _needles(written: int, text: str) -> list[str]:
    """What the line of a heading may write: "## text", its text or, with a link or
    **bold** in it, the longest start of its text that the file has as it is."""
    words = text.split()
    starts = (" ".join(words[:count]) for count in range(len(words), 0, -1))
    return [f"{'#' * max(written, 1)} {text}", *starts]


def _skip_message(text: str, before: int | None, fit: int, tag: bool) -> str:
    """What to tell of heading `text` after one at level `before` (None: after the page's
    title), `fit` the level to write, as Markdown ('##') or, `tag`, as an HTML tag (<h2>).
    Not the level it has: a body's '######' moved down stays an <h6>, like its '#####'."""

    def form(level: int) -> str:
        return f"thẻ <h{level}>" if tag else f"cấp '{'#' * level}'"

    what = f"đề mục '{text}'" if text else "đề mục"
    after = "đề mục đầu tiên của bài" if before is None else f"đề mục trước nó ở {form(before)}"
    return (
        f"{what} bỏ qua cấp ({after}): trình đọc màn hình (cho người khiếm thị) đọc bố cục bài "
        f"theo cấp đề mục, bỏ qua một cấp thì bố cục bị sai; hãy dùng {form(fit)}"
    )


# How to put a picture in an article, for messages about one that cannot be shown.
_PICTURE_HOW = "lưu ảnh thành tệp đặt cạnh bài viết rồi chèn ![mô tả](ten-anh.jpg)"
# Why a picture or a link pasted from Word cannot be shown or opened, by its scheme ({url}: as
# written).
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
