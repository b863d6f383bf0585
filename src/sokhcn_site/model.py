"""The frozen data that flows through a build."""

from __future__ import annotations

import os
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from .pickling import fast_pickle


class StoredGone(Exception):
    """The bytes a Stored names are no longer in its file: the cache changed under a build."""


# Where a Stored's bytes are in its file: offset, size and CRC-32, packed.
_PLACE = struct.Struct("<III")


class Stored(NamedTuple):
    """Bytes kept in a file of the build cache and read when needed.

    A rebuild loads every article's parse result and renders a few pages: at 10,000 articles
    their bodies and search words (90 MB) took a sixth of an edit rebuild to load. A plain
    tuple, not a dataclass, and its place one bytes value, not three numbers: 30,000 are
    made per rebuild. Not a value Fingerprints accepts.
    """

    path: str
    place: bytes  # _PLACE: offset, size, check

    @staticmethod
    def place_of(offset: int, size: int, check: int) -> bytes:
        return _PLACE.pack(offset, size, check)

    @property
    def offset(self) -> int:
        return int(_PLACE.unpack(self.place)[0])

    def read(self, files: dict[str, bytes] | None = None) -> bytes:
        """The bytes, checked; `files` keeps whole files read for the next reads, when most
        of a file is wanted."""
        offset, size, check = _PLACE.unpack(self.place)
        try:
            if files is None:
                with open(self.path, "rb") as file:
                    file.seek(offset)
                    data = file.read(size)
            else:
                if self.path not in files:
                    with open(self.path, "rb") as file:
                        files[self.path] = file.read()
                data = files[self.path][offset : offset + size]
        except OSError as exc:
            raise StoredGone(f"không đọc được {self.path}: {exc.strerror}") from None
        if len(data) != size or zlib.crc32(data) != check:
            raise StoredGone(f"tệp {self.path} đã bị thay đổi")
        return data


def bytes_of(value: bytes | Stored) -> bytes:
    return value if isinstance(value, bytes) else value.read()


@dataclass(frozen=True, slots=True)
class Footer:
    name: str = ""
    address: str = ""
    phone: str = ""
    fax: str = ""
    email: str = ""
    editor_in_chief: str = ""


@dataclass(frozen=True, slots=True)
class Defaults:
    """Front-matter values `sokhcn-site new` fills in when the editor gives none."""

    author: str = ""
    department: str = ""


@dataclass(frozen=True, slots=True)
class MenuItem:
    title: str
    # Either relative to the site root ("gioi-thieu/") or an absolute http(s) URL.
    url: str


@dataclass(frozen=True, slots=True)
class PartnerFeed:
    """A partner agency's feed whose newest items the home page shows."""

    name: str
    url: str  # absolute http(s)
    items: int = 5  # how many to show
    line: int = 1  # line of its entry in the config file, where warnings point


@dataclass(frozen=True, slots=True)
class SiteConfig:
    name: str
    base_url: str  # absolute, always ends with "/"
    timezone: str = "Asia/Ho_Chi_Minh"
    description: str = ""
    page_size: int = 10
    feed_size: int = 20
    other_news: int = 7
    # Declared categories as (slug, display name), in menu order.
    categories: tuple[tuple[str, str], ...] = ()
    menu: tuple[MenuItem, ...] = ()
    footer: Footer = Footer()
    # Hosts whose <iframe> embeds survive sanitising (video players).
    video_hosts: tuple[str, ...] = ()
    partner_feeds: tuple[PartnerFeed, ...] = ()
    partner_timeout: float = 10.0  # seconds per partner feed
    # Sharing: site-relative paths of the image used when an article has none, and the logo.
    default_image: str = "static/img/chia-se.png"
    logo: str = "static/img/logo.png"
    defaults: Defaults = Defaults()
    # Longer `summary:` fields get a warning: feed readers cut them off around here.
    summary_limit: int = 300
    # Seconds of CPU time one file's parse may take (see timelimit).
    parse_timeout: float = 30.0
    # The configuration file as the command line named it (`--config`), for the messages
    # that send an editor to it. A value of the config, not an argument beside it, so that
    # the parse results and replayed diagnostics that name it are keyed by it too.
    file: str = "site.yaml"

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def base_path(self) -> str:
        """The URL path the site is served under, e.g. "/" or "/portal/"."""
        return urlsplit(self.base_url).path or "/"

    def declared_category(self, slug: str) -> str | None:
        return dict(self.categories).get(slug)

    @property
    def about(self) -> str:
        """What the site is, for a page or feed that has no text of its own to describe it:
        its description if it has one, else its name."""
        return self.description or self.name

    @property
    def publisher(self) -> str:
        """Who publishes the site, as its footer and its articles' JSON-LD name it: the
        footer's name if it has one (the department's full name), else the site's."""
        return self.footer.name or self.name


# What os.stat says of an input file: (size, mtime_ns, ctime_ns, inode). Any write changes
# ctime, which no tool can set back, so an equal stamp means the same bytes (see discover).
SourceStamp = tuple[int, int, int, int]


def stamp_of(info: os.stat_result) -> SourceStamp:
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


@fast_pickle
@dataclass(frozen=True, slots=True)
class Source:
    """One input file, read once, or not at all when a build before this one read it."""

    path: str  # where it is on disk
    rel: str  # POSIX path relative to its root folder, e.g. "tin/2020-01-14-a.md"
    display: str  # how diagnostics name it, e.g. "content/tin/2020-01-14-a.md"
    digest: bytes  # of its bytes, made once: the build's and the parse cache's keys use it
    stamp: SourceStamp
    # None when the file's stamp is the one a previous build recorded with `digest`: an edit
    # rebuild then reads one file, not 10,000.
    data: bytes | None = None

    def read(self) -> bytes:
        """Its bytes: those discover read, or read now."""
        if self.data is not None:
            return self.data
        with open(self.path, "rb") as file:
            return file.read()


@fast_pickle
@dataclass(frozen=True, slots=True)
class Origin:
    """What the steps after parse need of an item's file: where it is and the lines their
    messages point at. Its bytes are not kept (50 MB at 10,000 articles)."""

    rel: str  # as in Source
    display: str  # as in Source
    # (what a message may point at: a link of the body, as parse._origin names it, once for
    # each time the body has it, in order; or "image:"; its 1-based line)
    lines: tuple[tuple[str, int], ...] = ()
    md_links: bool = False  # the body links to .md files, which collect turns into URLs

    def line_of(self, name: str, nth: int = 0) -> int:
        """The line of the `nth` (from 0) of the body's links named `name`, or of the last
        one if it has fewer; 1 if it has none."""
        found = [line for known, line in self.lines if known == name]
        return found[min(nth, len(found) - 1)] if found else 1


@fast_pickle
@dataclass(frozen=True, slots=True)
class Article:
    source: str  # display path of the file it came from
    category: str  # category slug: the first folder under content/
    slug: str
    title: str
    date: datetime  # timezone-aware, in the site's timezone
    # The sanitised body's HTML in UTF-8: Vietnamese text takes two bytes a character as a
    # str, and only the pages being rendered need it decoded (see `html`); read from the
    # cache only then.
    body: bytes | Stored
    summary: str  # plain text
    author: str = ""
    department: str = ""
    updated: datetime | None = None
    draft: bool = False
    tags: tuple[str, ...] = ()
    image: str = ""  # site-relative path (e.g. "tin/anh/a.jpg") or an absolute URL
    category_label: str = ""  # the `category:` front-matter field, if any

    @property
    def html(self) -> str:
        return bytes_of(self.body).decode()

    @property
    def path(self) -> str:
        """Location relative to the site root."""
        return f"{self.category}/{self.slug}/"

    @property
    def key(self) -> tuple[str, str]:
        return (self.category, self.slug)

    @property
    def modified(self) -> datetime:
        """When it last changed: `updated` if the editor gave it, else its date."""
        return self.updated or self.date

    # What its page prints, made here rather than by the page: the article is in the page's
    # render key already, and each value passed beside it would be digested for every page.
    @property
    def category_path(self) -> str:
        """The address of its category's list, relative to the site root."""
        return f"{self.category}/"

    @property
    def signature(self) -> str:
        """The line that signs it: "author - department", or whichever of them it has ("" for
        neither)."""
        return " - ".join(part for part in (self.author, self.department) if part)

    @property
    def keywords(self) -> str:
        """Its tags on one line, as its page lists them ("" for none)."""
        return ", ".join(self.tags)


@fast_pickle
@dataclass(frozen=True, slots=True)
class Page:
    """A static page such as Giới thiệu or Liên hệ."""

    source: str
    slug: str
    title: str
    body: bytes | Stored  # the sanitised body's HTML in UTF-8, as in Article
    summary: str
    draft: bool = False

    @property
    def html(self) -> str:
        return bytes_of(self.body).decode()

    @property
    def path(self) -> str:
        return f"{self.slug}/"


@dataclass(frozen=True, slots=True)
class Category:
    slug: str
    name: str
    articles: tuple[Article, ...]  # newest first

    @property
    def path(self) -> str:
        return f"{self.slug}/"


@fast_pickle
@dataclass(frozen=True, slots=True)
class Teaser:
    """What a listing shows of an article: its page's render key hashes only this."""

    path: str
    title: str
    date: datetime
    summary: str

    @classmethod
    def of(cls, article: Article) -> Teaser:
        return cls(article.path, article.title, article.date, article.summary)


@fast_pickle
@dataclass(frozen=True, slots=True)
class ArticleLink:
    """What "Các tin khác" shows of an article."""

    path: str
    title: str
    date: datetime

    @classmethod
    def of(cls, article: Article) -> ArticleLink:
        return cls(article.path, article.title, article.date)


@fast_pickle
@dataclass(frozen=True, slots=True)
class Listing:
    """One page of a paginated list of articles."""

    title: str
    number: int  # 1-based
    count: int  # how many pages the list has
    items: tuple[Teaser, ...]
    path: str  # relative to the site root; "" is the home page
    prev_path: str | None
    next_path: str | None
    feed_path: str  # the RSS feed of the same list
    category: str | None = None  # slug, None for the home page

    @property
    def page_label(self) -> str:
        """How the page's title, heading and description name a later page ("trang 2"); ""
        for the first."""
        return f"trang {self.number}" if self.number > 1 else ""

    @property
    def paged(self) -> bool:
        """Whether the list runs over more than one page: only then is there a page bar."""
        return self.count > 1


@dataclass(frozen=True, slots=True)
class PartnerItem:
    title: str  # plain text
    link: str  # an http(s) URL, or "" when the partner gave none we can use
    date: datetime | None  # in the site's timezone


@dataclass(frozen=True, slots=True)
class PartnerNews:
    """What the "Tin từ các cơ quan" box shows of one partner feed."""

    name: str
    items: tuple[PartnerItem, ...]
    # When the fetch failed (or --offline) and these items are the cached copy: when it was fetched.
    cached_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Site:
    config: SiteConfig
    articles: tuple[Article, ...]  # newest first (date desc, slug asc)
    categories: tuple[Category, ...]
    pages: tuple[Page, ...]
    # "Các tin khác" of articles[i] is other_news[i].
    other_news: tuple[tuple[Article, ...], ...]
    # What listings and "Các tin khác" show of articles[i]: made once each, so that each is
    # digested once for all the pages showing it (or not at all: see Parsed.views).
    teasers: tuple[Teaser, ...]
    links: tuple[ArticleLink, ...]
    listings: tuple[Listing, ...] = ()  # the home page's pages, then each category's
    partners: tuple[PartnerNews, ...] = ()  # fetched at build time, see partners.py

    def category(self, slug: str) -> Category:
        for category in self.categories:
            if category.slug == slug:
                return category
        raise KeyError(slug)


@fast_pickle
@dataclass(frozen=True, slots=True)
class Output:
    """One file of the built site."""

    path: str  # POSIX path relative to the output folder
    data: bytes


@dataclass(frozen=True, slots=True)
class Deferred:
    """A file of the built site made only if it has to be written, like a page.

    `key` digests everything `make(*args)` depends on; most of the 10,000 search records
    of a rebuild are unchanged, and never made.
    """

    path: str
    key: bytes
    make: Callable[..., bytes]
    args: tuple[Any, ...]

    def output(self) -> Output:
        return Output(self.path, self.make(*self.args))
