"""One source file in, one Article or Page (and its problems) out."""

from __future__ import annotations

import dataclasses
import posixpath
import unicodedata
from dataclasses import dataclass
from datetime import date

from .body_problems import (
    dropped_frames,
    escaping_links,
    local_links,
    picture_problems,
    repeated_title,
    skipped_headings,
    unkept_markup,
)
from .errors import Diagnostic, error, warning
from .fields import CONTROL_FIX, Fields
from .frontmatter import FrontMatter, FrontMatterProblem, decode, split_front_matter
from .keys import Fingerprints
from .lines import BodyLines
from .markup import (
    MD_LINK,
    BodyContext,
    Reference,
    accessible,
    demote_headings,
    first_paragraph,
    images,
    links_to_local_files,
    plain_markdown,
    references,
    sanitise,
    without_empty_images,
)
from .model import Article, ArticleLink, Origin, Page, SiteConfig, Source, Teaser
from .names import markdown_stem
from .pickling import fast_pickle
from .references import SiteLink, site_links
from .rendering import render_markdown
from .search import SearchEntry
from .site_search import search_entry
from .timelimit import TimeUp, cpu_time_limit
from .yamlio import CONTROL_CHARACTERS, has_control_bytes

ARTICLE_KEYS = (
    "title", "date", "author", "department", "summary", "slug", "draft",
    "updated", "tags", "image", "category",
)  # fmt: skip
PAGE_KEYS = ("title", "date", "summary", "slug", "draft", "updated", "image")
_TEXT_KEYS = ("author", "department", "summary", "image", "category")


@fast_pickle
@dataclass(frozen=True, slots=True)
class Parsed:
    """One file's parse result. From the cache, its long byte strings are model.Stored."""

    item: Article | Page | None
    diagnostics: tuple[Diagnostic, ...]
    links: tuple[SiteLink, ...] = ()  # the item's body's links into the site
    # An article as the site search sees it, made here, in the parsing worker and cached with
    # the rest. Collect's resolving of links to .md files changes hrefs, never this text.
    search: SearchEntry | None = None
    origin: Origin | None = None  # set with `item`
    # An article's Teaser and ArticleLink as keys.Fingerprints writes them: every page of a
    # listing or "Các tin khác" digests them, and a build would otherwise digest all anew.
    views: tuple[str, ...] = ()
    # False for a result that depends on more than the file: the parse ran out of time, which
    # a less busy or faster machine may not. The cache does not keep it.
    lasting: bool = True


def _read(source: Source) -> tuple[FrontMatter | None, Diagnostic | None]:
    data = source.read()
    try:
        text = decode(data)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return None, error(
            source.display, line, "tệp không phải văn bản UTF-8; hãy lưu lại với mã hóa UTF-8"
        )
    try:
        front = split_front_matter(text)
    except FrontMatterProblem as exc:
        return None, error(source.display, exc.line, exc.message)
    return (dataclasses.replace(front, controls=True) if has_control_bytes(data) else front), None


def _body(
    source: Source, front: FrontMatter, config: SiteConfig, title: str
) -> tuple[str, tuple[Reference, ...], list[Diagnostic]]:
    """The body as sanitised HTML, its links, images and embeds, and its problems (`title`:
    the item's, which the page shows above the body)."""
    body = unicodedata.normalize("NFC", front.body)
    context = BodyContext(source.rel, config.base_path, config.video_hosts)
    try:
        rendered = render_markdown(body)
    except RecursionError:  # Python-Markdown recurses once per level of nesting
        return "", (), [error(
            source.display, front.body_line,
            "nội dung lồng nhau quá sâu (danh sách hoặc trích dẫn trong nhau hàng nghìn cấp); "
            "hãy sửa lại phần nội dung",
        )]  # fmt: skip
    raw_html = "<" in body
    demoted = demote_headings(rendered, raw_html)
    html, escapes = sanitise(demoted, context)
    html, unseen = _without_controls(source, front, accessible(without_empty_images(html)))
    unseen += unkept_markup(source, front, demoted, raw_html)
    unseen += picture_problems(source, front, images(demoted))
    unseen += local_links(source, front, links_to_local_files(demoted))
    problems = escaping_links(source, front, escapes)
    problems += unseen + _mixed_normalisation(source.display, front.text)
    if not html.strip():
        problems.append(warning(
            source.display, front.body_line - 1,
            "phần nội dung trống; viết nội dung bên dưới dòng '---' đóng phần đầu bài",
        ))  # fmt: skip
    refs = references(html)
    problems += dropped_frames(source, front, refs, config.file)
    problems += repeated_title(source, front, title, html)
    problems += skipped_headings(source, front, html, shift=int(demoted != rendered))
    return html, refs, problems


def _without_controls(
    source: Source, front: FrontMatter, html: str
) -> tuple[str, list[Diagnostic]]:
    """The body's HTML without control characters (written, or as entities: "&#12;")."""
    if not (front.controls or "&#" in front.body) or CONTROL_CHARACTERS.search(html) is None:
        return html, []
    written = CONTROL_CHARACTERS.search(front.text)
    line = front.text.count("\n", 0, written.start()) + 1 if written else front.body_line
    return CONTROL_CHARACTERS.sub("", html), [warning(
        source.display, line, f"phần nội dung có ký tự điều khiển vô hình {CONTROL_FIX}"
    )]  # fmt: skip


def _mixed_normalisation(display: str, text: str) -> list[Diagnostic]:
    """Composed (NFC) and decomposed (NFD) letters in one file: text pasted from two tools."""
    composed = not unicodedata.is_normalized("NFD", text)
    decomposed = not unicodedata.is_normalized("NFC", text)
    if not (composed and decomposed):
        return []
    lines = text.split("\n")
    line = next(i for i, x in enumerate(lines, 1) if unicodedata.normalize("NFC", x) != x)
    return [warning(
        display, line,
        "tệp trộn chữ Việt dựng sẵn (NFC) và tổ hợp (NFD), thường do dán từ công cụ khác; "
        "trang web chuyển hết về NFC, nhưng tìm kiếm trong tệp có thể trượt: lưu lại tệp "
        "với chuẩn NFC",
    )]  # fmt: skip


def file_slug(rel: str) -> str:
    """The slug a file name gives: its name without its Markdown suffix and without a leading
    date."""
    name = rel.rsplit("/", 1)[-1]
    stem = markdown_stem(name)
    stem = name if stem is None else stem
    if (
        len(stem) > 11
        and stem[4] == "-"
        and stem[7] == "-"
        and stem[10] == "-"
        and stem[:4].isdigit()
    ):
        return stem[11:]
    return stem


def file_date(rel: str) -> date | None:
    """The date a file name starts with ("2024-11-08-bai.md"), which file_slug leaves out of
    the slug, if it is one of the calendar."""
    name = rel.rsplit("/", 1)[-1]
    if file_slug(rel) == (markdown_stem(name) or name) or not name[:10].replace("-", "").isdigit():
        return None
    try:
        return date.fromisoformat(name[:10])
    except ValueError:  # 2024-13-45: a name, not a date
        return None


def _image(value: str, source_rel: str) -> str:
    """`image:` as written, made site-relative like a body link; absolute URLs stay as they are."""
    if not value or "://" in value:
        return value
    if value.startswith("/"):
        return value.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source_rel), value))


def parse_article(source: Source, category: str, config: SiteConfig) -> Parsed:
    """Read an article file under content/<category>/."""
    front, problem = _read(source)
    if front is None:
        return Parsed(None, (problem,) if problem else ())
    fields = Fields(source, front)
    fields.unknown_keys(ARTICLE_KEYS)
    title = fields.title()
    date = fields.date("date", config, required=True)
    fields.named_date(file_date(source.rel), date)
    slug = fields.slug(file_slug(source.rel))
    values = {key: fields.text(key) for key in _TEXT_KEYS}
    fields.check_address("image", values["image"])
    updated = fields.date("updated", config)
    draft = fields.flag("draft")
    tags = fields.tags()
    fields.doubtful(config, category, values, date, updated)
    html, refs, body_problems = _body(source, front, config, title)
    problems = (*fields.problems, *body_problems)
    if not title or date is None or not slug or any(p.severity == "error" for p in problems):
        return Parsed(None, problems)
    article = Article(
        source=source.display, category=category, slug=slug, title=title, date=date,
        body=html.encode(), summary=plain_markdown(values["summary"]) or first_paragraph(html),
        author=values["author"], department=values["department"], updated=updated,
        draft=draft, tags=tags, image=_image(values["image"], source.rel),
        category_label=values["category"],
    )  # fmt: skip
    links = site_links(refs, config.base_path)
    origin = _origin(source, front, html, links, ("image:", fields.line("image")),
                     ("date:", fields.line("date")))  # fmt: skip
    prints = Fingerprints()
    views = (prints.text(Teaser.of(article)), prints.text(ArticleLink.of(article)))
    return Parsed(article, problems, links, search_entry(article), origin, views)


def parse_page(source: Source, config: SiteConfig) -> Parsed:
    """Read a static page file under content/pages/."""
    front, problem = _read(source)
    if front is None:
        return Parsed(None, (problem,) if problem else ())
    fields = Fields(source, front)
    fields.unknown_keys(PAGE_KEYS)
    title = fields.title()
    slug = fields.slug(file_slug(source.rel))
    summary = fields.text("summary")
    fields.date("date", config)
    fields.date("updated", config)
    draft = fields.flag("draft")
    html, refs, body_problems = _body(source, front, config, title)
    problems = (*fields.problems, *body_problems)
    if not title or not slug or any(p.severity == "error" for p in problems):
        return Parsed(None, problems)
    summary = plain_markdown(summary) or first_paragraph(html)
    page = Page(source.display, slug, title, html.encode(), summary, draft)
    links = site_links(refs, config.base_path)
    return Parsed(page, problems, links, origin=_origin(source, front, html, links))


def _origin(
    source: Source, front: FrontMatter, html: str, links: tuple[SiteLink, ...],
    *known: tuple[str, int],
) -> Origin:  # fmt: skip
    """Where `source` is, with the line of each link of its body to an article's file (by its
    address in `html`) or into the site (by its path), in order (for later messages)."""
    md_links = list(MD_LINK.finditer(html))
    lines = known
    if md_links:
        where = BodyLines(front)
        lines += tuple((match[0], where.of_link(match[1])) for match in md_links)
    if links:
        where = BodyLines(front)
        lines += tuple((link.rel, where.of_link(link.rel)) for link in links)
    return Origin(source.rel, source.display, lines, md_links=bool(md_links))


@fast_pickle
@dataclass(frozen=True, slots=True)
class ParseJob:
    source: Source
    category: str | None  # None for a static page


def parse_job(config: SiteConfig, job: ParseJob) -> Parsed:
    """An article or a static page, whichever the job names, or an error if its parse takes
    more than `config.parse_timeout` seconds of CPU time."""
    try:
        with cpu_time_limit(config.parse_timeout):
            if job.category is None:
                return parse_page(job.source, config)
            return parse_article(job.source, job.category, config)
    except TimeUp:
        front, _ = _read(job.source)
        seconds = f"{config.parse_timeout:g}".replace(".", ",")
        return Parsed(None, (error(
            job.source.display, front.body_line if front else 1,
            f"đọc phần nội dung mất hơn {seconds} giây (parse_timeout trong {config.file}), "
            "thường vì hàng nghìn dấu '[' hay '(' không đóng, hoặc danh sách lồng nhau hàng "
            "trăm cấp; hãy sửa lại phần nội dung, hoặc tăng parse_timeout nếu bài thật sự dài",
        ),), lasting=False)  # fmt: skip


def parse_setup(config: SiteConfig) -> SiteConfig:
    """A parsing worker's state: the config, with Python-Markdown and every extension
    imported and the full converter built (those leaving things out come when a body needs
    them: which ones depends on the bodies)."""
    render_markdown("", extra=True)
    return config
