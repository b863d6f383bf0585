"""Find the input files, in a stable order, without leaving their folders."""

from __future__ import annotations

import dataclasses
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .errors import Diagnostic, error, warning
from .keys import digest
from .model import Source, SourceStamp, stamp_of
from .names import is_markdown, markdown_stem
from .slugs import is_slug, slug_of

PAGES_FOLDER = "pages"
# Output paths the site itself uses; a category folder of that name would collide.
RESERVED = frozenset({PAGES_FOLDER, "page", "static", "tim-kiem"})
# The one hidden folder a site publishes, from the top of content/: /.well-known/ (RFC 8615:
# security.txt, certificate challenges, app links) must be at the root of the site.
WELL_KNOWN = ".well-known"


# Input file path -> (its stamp, the digest of its bytes), as an earlier build found them.
KnownDigests = Mapping[str, tuple[SourceStamp, bytes]]
# Why a file (its path below its folder, its name in diagnostics) stays out of the site by its
# name alone, or None.
LeftOut = Callable[[str, str], Diagnostic | None]
_SETTLE_NS = 3 * 10**9  # see trusted_digests


@dataclass(frozen=True, slots=True)
class Inputs:
    articles: tuple[tuple[Source, str], ...]  # (file, category slug)
    pages: tuple[Source, ...]
    assets: tuple[Source, ...]  # non-Markdown files under content/
    static: tuple[Source, ...]
    diagnostics: tuple[Diagnostic, ...]


def _link_problem(path: Path, real_root: Path) -> str | None:
    """Why a linked file cannot be used, or None: links are fine within their folder."""
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):  # Python 3.11 raises RuntimeError for a loop
        return "liên kết tượng trưng hỏng hoặc lặp vòng; thay bằng tệp thật"
    if not target.is_relative_to(real_root):
        return (
            "liên kết tượng trưng trỏ ra ngoài thư mục; hãy chép tệp thật vào đây thay cho liên kết"
        )
    return None


def _walk(
    root: Path, label: str, known: KnownDigests, left_out: LeftOut, published: str = "",
    *, articles: bool = False,
) -> tuple[list[Source], list[Diagnostic]]:  # fmt: skip
    """Every regular file below `root`, sorted; links leading outside it are refused; hidden
    files left out, but for the folder `published` at the top (with a warning for hidden
    Markdown files where `root` holds `articles`); files `left_out` names, unread.

    Files come folder by folder, each folder's files before its subfolders, names sorted.
    """
    sources: list[Source] = []
    problems: list[Diagnostic] = []
    real_root = root.resolve()
    folders = [(str(root), "")]
    while folders:
        folder, prefix = folders.pop()
        with os.scandir(folder) as found:
            entries = sorted(found, key=_name)
        keep = published if not prefix else ""
        entries = _unhidden(entries, f"{label}/{prefix}", keep, articles, problems)
        subfolders = []
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                subfolders.append((entry.path, f"{prefix}{entry.name}/"))
            elif entry.is_symlink() and _is_folder(entry):
                # Linked folders are not followed (a loop or a way out of the folder); say so.
                problems.append(error(
                    f"{label}/{prefix}{entry.name}", 1,
                    "thư mục liên kết tượng trưng không được hỗ trợ; "
                    "hãy chép thư mục thật vào đây thay cho liên kết",
                ))  # fmt: skip
            else:
                source = _read(entry, prefix, label, real_root, known, left_out, problems)
                if source is not None:
                    sources.append(source)
        folders.extend(reversed(subfolders))
    return sources, problems


def _unhidden(
    entries: list[os.DirEntry[str]], place: str, keep: str, articles: bool,
    problems: list[Diagnostic],
) -> list[os.DirEntry[str]]:  # fmt: skip
    """`entries` of the folder `place` but the hidden ones other than `keep`, with a warning
    added to `problems` for each an editor more likely meant to publish."""
    # Hidden files belong to tools (.gitkeep, .DS_Store) and stay out of the site; a hidden
    # article (or a hidden folder of them: '.nhap/') or a misplaced .well-known is more likely
    # a slip of the hand than a wish. Where no articles go (static/: the maintainers' CSS and
    # scripts), a hidden Markdown file is no article, and advice to publish it would be wrong.
    kept = []
    for entry in entries:
        if not entry.name.startswith(".") or entry.name == keep:
            kept.append(entry)
        elif entry.name == WELL_KNOWN:
            problems.append(warning(
                place + entry.name, 1,
                "thư mục .well-known chỉ được đăng khi nằm ngay trong content/ "
                "(content/.well-known/); chuyển nó về đó",
            ))  # fmt: skip
        elif not articles:
            continue
        elif entry.is_dir(follow_symlinks=False):
            count = _articles_below(entry.path)
            if count:
                problems.append(warning(
                    place + entry.name, 1,
                    f"thư mục ẩn (tên bắt đầu bằng dấu chấm) không được đăng, nên {count} "
                    "bài viết (.md) trong đó cũng không; bỏ dấu chấm ở đầu tên thư mục nếu "
                    "muốn đăng các bài này",
                ))  # fmt: skip
        elif is_markdown(entry.name):
            problems.append(warning(
                place + entry.name, 1,
                "tệp ẩn (tên bắt đầu bằng dấu chấm) không được đăng; bỏ dấu chấm ở đầu tên "
                "nếu muốn đăng bài này",
            ))  # fmt: skip
    return kept


# Hidden folders of version control and editors' tools: theirs, never an editor's articles
# (a .github folder holds README.md and issue templates), and .git is big to walk.
_TOOL_FOLDERS = frozenset({".git", ".hg", ".svn", ".github", ".gitlab", ".vscode", ".idea"})


def _articles_below(folder: str) -> int:
    """How many Markdown files the hidden folder `folder` holds, at any depth."""
    if os.path.basename(folder) in _TOOL_FOLDERS:
        return 0
    count = 0
    for _, subfolders, files in os.walk(folder):  # links not followed; unreadable ones skipped
        subfolders[:] = [name for name in subfolders if name not in _TOOL_FOLDERS]
        count += sum(is_markdown(name) for name in files)
    return count


def _is_utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # os.scandir keeps undecodable bytes as lone surrogates
        return False
    return True


def _name(entry: os.DirEntry[str]) -> str:
    return entry.name


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:  # a link in a loop: _read says so
        return False


def _read(
    entry: os.DirEntry[str], prefix: str, label: str, real_root: Path, known: KnownDigests,
    left_out: LeftOut, problems: list[Diagnostic],
) -> Source | None:  # fmt: skip
    """The file `entry` as a Source, or None and its problem added to `problems`."""
    # Links in bodies are NFC; a Mac or a zip may have stored the name as NFD.
    rel = unicodedata.normalize("NFC", prefix + entry.name)
    display = f"{label}/{rel}"
    if "\\" in rel:  # a folder separator on Windows servers and upload tools
        problems.append(error(display, 1, "tên tệp không được chứa dấu '\\'; đổi tên tệp"))
        return None
    if not _is_utf8(rel):  # a name in another code page, from an old zip or Windows share
        shown = rel.encode("utf-8", "backslashreplace").decode("utf-8")
        problems.append(error(
            f"{label}/{shown}", 1,
            "tên tệp không phải chữ UTF-8 (thường do giải nén tệp zip cũ); đổi tên tệp",
        ))  # fmt: skip
        return None
    link_problem = _link_problem(Path(entry.path), real_root) if entry.is_symlink() else None
    if link_problem:
        problems.append(error(display, 1, link_problem))
        return None
    if not entry.is_file():  # a pipe or a device: reading it could block forever
        problems.append(error(display, 1, "không phải tệp thông thường; xóa nó đi"))
        return None
    unwanted = left_out(rel, display)
    if unwanted:  # by its name alone: not read, so a big or unreadable backup costs nothing
        problems.append(unwanted)
        return None
    try:
        # Stamped before reading: a write in between leaves the stamp older than the bytes.
        info = entry.stat()
        stamp = stamp_of(info)
        recorded = known.get(entry.path)
        if recorded is not None and recorded[0] == stamp:
            return Source(entry.path, rel, display, recorded[1], stamp)
        with open(entry.path, "rb") as file:
            data = file.read()
        return Source(entry.path, rel, display, digest(data), stamp, data)
    except OSError as exc:
        problems.append(error(
            display, 1, f"không đọc được tệp ({exc.strerror}); kiểm tra quyền đọc của tệp"
        ))  # fmt: skip
        return None


def loaded(source: Source) -> Source:
    """`source` with its bytes, read now if discover took them on trust, and their digest."""
    if source.data is not None:
        return source
    data = source.read()
    return dataclasses.replace(source, digest=digest(data), data=data)


def trusted_digests(sources: Iterable[Source], started_ns: int) -> KnownDigests:
    """The digests a later discover may take on trust from the files' stamps.

    Not those of files changed shortly before `started_ns`, when this build began: file
    times are coarse (a clock tick on Linux, 2 s on FAT), so such a file may be written
    again without its stamp changing. A file older than that gets a new ctime on any write.
    """
    settled = started_ns - _SETTLE_NS
    return {s.path: (s.stamp, s.digest) for s in sources if s.stamp[2] < settled}


def _classify(source: Source) -> tuple[str, str | None, Diagnostic | None]:
    """('article', category) / ('page', None) / ('asset', None), or a problem (with '': the
    file is left out)."""
    parts = source.rel.split("/")
    if not is_markdown(source.rel):
        return "asset", None, None
    if len(parts) == 1:
        return "", None, error(
            source.display, 1,
            "bài viết phải nằm trong thư mục chuyên mục, ví dụ content/tin-hoat-dong-cua-so/",
        )  # fmt: skip
    folder = parts[0]
    if folder == PAGES_FOLDER:
        if len(parts) == 2:
            return "page", None, None
        return "", None, error(
            source.display, 1,
            "trang tĩnh phải nằm ngay trong content/pages/; chuyển tệp lên thư mục đó",
        )  # fmt: skip
    if not is_slug(folder) or folder in RESERVED:
        return "", None, error(
            source.display, 1,
            f"tên thư mục chuyên mục '{folder}' không dùng được; đặt tên bằng chữ thường "
            f"không dấu và dấu '-', ví dụ '{slug_of(folder) or 'tin-tuc'}'"
            + (" (tên này dành riêng cho trang web)" if folder in RESERVED else ""),
        )  # fmt: skip
    return "article", folder, None


# Editors' backups, swap and lock files, and Windows' own files: copies of what an editor
# wrote (drafts included) or nobody's, never meant for readers, at a guessable address.
# (".tmp": Word's "~WRL1234.tmp" and other programs' temporary files; LibreOffice's lock file,
# ".~lock.bai.odt#", is hidden, so left out without a word like .DS_Store.)
_BACKUP_SUFFIXES = ("~", ".bak", ".orig", ".swp", ".tmp")
_BACKUP_PREFIX = "~$"  # Office's lock file beside an open document
_SYSTEM_FILES = frozenset({"thumbs.db", "desktop.ini"})


def _backup(rel: str, display: str) -> Diagnostic | None:
    """A warning for a backup or temporary file, which is left out of the site."""
    name = _file_name(rel).rstrip().lower()
    if not (
        name.endswith(_BACKUP_SUFFIXES) or name.startswith(_BACKUP_PREFIX) or name in _SYSTEM_FILES
    ):
        return None
    return warning(
        display, 1,
        "tệp sao lưu hoặc tệp tạm (của phần mềm soạn thảo, Office hay Windows) không được "
        "đăng lên trang; hãy xóa nó khỏi kho",
    )  # fmt: skip


_TRAILING = re.compile(r"[\s.]+$")  # Windows drops them from names; git and Linux keep them
_DATED = re.compile(r"\d{4}-\d{2}-\d{2}-.")  # an article's name, as file_slug reads it


def _article_by_another_name(rel: str, display: str) -> Diagnostic | None:
    """A warning for an article saved under a name the site does not read as one
    ("bai.md.txt", "bai.md ", a dated "2024-11-08-bai.txt"), which is left out of the site:
    copied as it is, its text (a draft, maybe) would be downloadable at a guessable address.
    """
    name = _file_name(rel)
    trimmed = _TRAILING.sub("", name)
    stem = trimmed[:-4] if trimmed.lower().endswith(".txt") else trimmed
    dated_text = False
    base = markdown_stem(stem)
    if base is not None:
        if stem == name:  # an article's own name ("B.MD" too)
            return None
        fixed = base + ".md"
    elif stem != trimmed and _DATED.match(stem):
        fixed, dated_text = stem + ".md", True
    else:
        return None
    return warning(
        display, 1,
        f"tệp '{name}' giống bài viết nhưng tên không kết thúc bằng '.md' nên không được "
        "đăng, cũng không được chép lên trang (để không lộ bản nháp); đổi tên thành "
        f"'{fixed}' nếu muốn đăng bài này"
        + ("; nếu là tệp đính kèm, bỏ phần ngày ở đầu tên" if dated_text else ""),
    )  # fmt: skip


def _content_left_out(rel: str, display: str) -> Diagnostic | None:
    return _backup(rel, display) or _article_by_another_name(rel, display)


def _file_name(rel: str) -> str:
    return rel.rsplit("/", 1)[-1]


def discover(content: Path, static: Path, known: KnownDigests | None = None) -> Inputs:
    """Read content/ and static/ into Sources, sorted by path; files whose stamp is as `known`
    records are not read, nor those left out by their names (backups, misnamed articles)."""
    known = known or {}
    content_files, problems = _walk(
        content, content.as_posix().rstrip("/"), known, _content_left_out, WELL_KNOWN,
        articles=True,
    )  # fmt: skip
    static_files, static_problems = _walk(static, static.as_posix().rstrip("/"), known, _backup)
    problems.extend(static_problems)
    articles, pages, assets = [], [], []
    for source in content_files:
        kind, category, problem = _classify(source)
        if problem:
            problems.append(problem)
        if kind == "article" and category:
            articles.append((source, category))
        elif kind == "page":
            pages.append(source)
        elif kind == "asset":
            assets.append(source)
    return Inputs(
        tuple(articles), tuple(pages), tuple(assets), tuple(static_files), tuple(problems)
    )
