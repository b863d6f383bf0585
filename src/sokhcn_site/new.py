"""Start a new article: its file name, its front matter, and the cases where we refuse."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

import yaml

from .config import how_to_declare, key_line
from .dates import DateProblem, parse_date
from .discover import PAGES_FOLDER, RESERVED
from .errors import Diagnostic, error
from .fields import Fields
from .frontmatter import FrontMatterProblem, decode, split_front_matter
from .listings import PAGINATION
from .model import SiteConfig, Source
from .names import is_markdown
from .parse import file_slug
from .slugs import is_slug, slug_of
from .write import disk_problem


@dataclass(frozen=True, slots=True)
class NewArticle:
    """What the editor asked for; empty author/department fall back to the config's
    `defaults:`."""

    title: str
    category: str
    date: str | None = None  # as typed, e.g. "2024-12-20" or "2024-12-20 08:30"
    author: str = ""
    department: str = ""


def _quoted(value: str) -> str:
    """A YAML double-quoted scalar: safe whatever quotes, colons or '#' the text holds."""
    return yaml.safe_dump(value, allow_unicode=True, default_style='"', width=1 << 20).strip()


def front_matter(title: str, date: str, author: str, department: str) -> str:
    """The complete header of a new article, with an empty body after it."""
    return (
        "---\n"
        f"title: {_quoted(title)}\n"
        f"date: {date}\n"
        f"author: {_quoted(author)}\n"
        f"department: {_quoted(department)}\n"
        'summary: ""\n'
        "tags: []\n"
        "draft: false\n"
        "---\n"
    )


def _category_problem(request: NewArticle, content: Path, config: SiteConfig) -> Diagnostic | None:
    """Why `new` cannot write in the category asked for, pointing at what is to change: the
    option, the config file's `categories:`, or the content folder to make a folder in."""
    category = request.category
    if _reserved(category) or not is_slug(category):
        return error("--category", 1, _bad_name(category))
    # The build's rule (collect): when the config lists categories, only those; else folders.
    declared = [slug for slug, _ in config.categories]
    if category in declared or (not declared and (content / category).is_dir()):
        return None
    if declared:
        declare = how_to_declare(config.file, category)
        return error(
            config.file, key_line(config.file, "categories"),
            f"chưa có chuyên mục '{category}'; các chuyên mục hiện có: {', '.join(declared)}. "
            f"Chọn một trong số đó, hoặc khai báo '{category}': {declare}",
        )  # fmt: skip
    return error(str(content), 1, _no_such_folder(category, content, config.file))


def _bad_name(category: str) -> str:
    example = slug_of(category)
    if not example or _reserved(example):
        example = "tin-tuc"  # the name refused is no example
    return (
        f"'{category}' không dùng được làm chuyên mục; tên chuyên mục viết chữ thường "
        f"không dấu, nối bằng dấu '-', ví dụ '{example}'"
    )


def _no_such_folder(category: str, content: Path, config_file: str) -> str:
    """Advice for a category that is no folder, when the config lists none: the folder
    to make. Declaring it in the config instead would make every other folder an undeclared
    category, each of whose articles the build would refuse."""
    known = sorted(_folders(content))
    make = (
        f"tạo thư mục {(content / category).as_posix()}/ rồi chạy lại lệnh ({config_file} không "
        "có mục `categories:`, nên mỗi thư mục trong content/ là một chuyên mục)"
    )
    if not known:
        return (
            f"chưa có chuyên mục '{category}'; chưa có thư mục chuyên mục nào trong content/. "
            f"Nếu đây là chuyên mục mới, {make}"
        )
    return (
        f"chưa có chuyên mục '{category}'; các chuyên mục hiện có: {', '.join(known)}. "
        f"Chọn một trong số đó, hoặc, nếu đây là chuyên mục mới, {make}"
    )


def _reserved(name: str) -> bool:
    """A folder name of content/ that is no category: static pages' or the site's own."""
    return name == PAGES_FOLDER or name in RESERVED


def _folders(content: Path) -> set[str]:
    """The folders of content/ that `new` takes as categories (hidden ones are not)."""
    if not content.is_dir():
        return set()
    return {p.name for p in content.iterdir() if p.is_dir() and is_slug(p.name)
            and not _reserved(p.name)}  # fmt: skip


def _same_slug(path: Path, slug: str) -> Path | None:
    """Another article of the folder whose address has the same slug (it would collide)."""
    if not path.parent.is_dir():
        return None
    others = (p for p in sorted(path.parent.iterdir()) if is_markdown(p.name) and p != path)
    return next((p for p in others if _address(p) == slug), None)


def _address(path: Path) -> str:
    """The slug the build gives the article `path`: its `slug:` line's, else its file name's.
    Only its header is read (`new` is no build); a header the build could not read gives the
    file name's, the address the article has once it is mended."""
    named = file_slug(path.name)
    if not path.is_file():  # a pipe would block `new`; the build refuses anything else
        return slug_of(named)
    try:
        with path.open("rb") as file:
            head = _header(file)
        front = split_front_matter(decode(head))
    except (OSError, UnicodeDecodeError, FrontMatterProblem):
        return slug_of(named)
    source = Source(str(path), path.name, str(path), b"", (0, 0, 0, 0), head)
    return Fields(source, front).slug(named)


_BOM = "\ufeff".encode()


def _header(file: BinaryIO) -> bytes:
    """The lines of `file` up to the line that closes its front matter, or its first line
    when no front matter opens it."""
    lines = [file.readline()]
    if lines[0].removeprefix(_BOM).rstrip() != b"---":
        return lines[0]
    for line in file:
        lines.append(line)
        if line.rstrip() in (b"---", b"..."):
            break
    return b"".join(lines)


def create_article(
    request: NewArticle, content: Path, config: SiteConfig, *, now: datetime
) -> Path | Diagnostic:
    """Write content/<category>/<date>-<slug>.md and return its path; never overwrite a file."""
    problem = _category_problem(request, content, config)
    if problem is not None:
        return problem
    title = unicodedata.normalize("NFC", " ".join(request.title.split()))
    slug = _shortened(slug_of(title))
    if not slug:
        return error(
            str(content / request.category), 1,
            "tiêu đề không tạo được tên tệp; tiêu đề cần có chữ hoặc số",
        )  # fmt: skip
    if slug == PAGINATION:  # the build refuses it (collect)
        return error(
            str(content / request.category), 1,
            f"đường dẫn '{slug}' dành riêng cho các trang sau của danh sách chuyên mục; "
            "thêm chữ vào tiêu đề",
        )  # fmt: skip
    if request.date is None:
        moment = now.astimezone(config.tz)
        date_text = moment.strftime("%Y-%m-%d %H:%M")
    else:
        date_text = request.date.strip()
        try:
            moment = parse_date(date_text, config.tz)
        except DateProblem as exc:
            return error("--date", 1, str(exc))
    path = content / request.category / f"{moment:%Y-%m-%d}-{slug}.md"
    text = front_matter(
        title,
        date_text,
        unicodedata.normalize("NFC", request.author or config.defaults.author),
        unicodedata.normalize("NFC", request.department or config.defaults.department),
    )
    clash = _same_slug(path, slug)
    if clash is not None:
        return error(
            str(path), 1,
            f"bài {clash.as_posix()} đã dùng đường dẫn '{slug}' trong chuyên mục này; "
            "đặt tiêu đề khác cho bài mới, hoặc mở bài đó để sửa",
        )  # fmt: skip
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return _unwritable(path, exc)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as file:
            file.write(text)
    except FileExistsError:
        return error(
            str(path), 1,
            "tệp này đã có nên không được ghi đè; mở tệp đó để sửa, hoặc đặt tiêu đề "
            "hay ngày khác (--date) cho bài mới",
        )  # fmt: skip
    except OSError as exc:
        return _unwritable(path, exc)
    return path


def _unwritable(path: Path, exc: OSError) -> Diagnostic:
    return error(str(path), 1, f"không tạo được tệp ({disk_problem(exc)}); hãy kiểm tra "
                               "thư mục chuyên mục và quyền ghi vào thư mục nội dung")  # fmt: skip


# File names past 255 bytes are refused by the file system: a slug is cut at a word
# before this many characters (the date and ".md" take 14 more).
SLUG_LIMIT = 80


def _shortened(slug: str) -> str:
    if len(slug) <= SLUG_LIMIT:
        return slug
    cut = slug.rfind("-", 0, SLUG_LIMIT + 1)
    return slug[: cut if cut > 0 else SLUG_LIMIT]
