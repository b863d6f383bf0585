"""Read the config file (site.yaml) into a SiteConfig, checking every key."""

from __future__ import annotations

import dataclasses
import difflib
import re
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from .errors import Diagnostic, error
from .frontmatter import decode
from .model import Defaults, Footer, MenuItem, PartnerFeed, SiteConfig
from .slugs import is_slug, slug_of
from .yamlio import YamlMapping, YamlProblem, holds_control_characters, load_mapping

_R = TypeVar("_R")

_KEYS = (
    "name", "base_url", "timezone", "description", "page_size", "feed_size",
    "other_news", "categories", "menu", "footer", "video_hosts", "partner_feeds",
    "partner_timeout", "default_image", "logo", "defaults", "summary_limit", "parse_timeout",
)  # fmt: skip
_PARTNER_KEYS = ("name", "url", "items")


class _Checker:
    def __init__(self, path: str, mapping: YamlMapping) -> None:
        self.path, self.data, self.lines = path, mapping.data, mapping.lines
        self.entries = mapping.entries
        self.problems: list[Diagnostic] = []

    def fail(self, key: str, message: str) -> None:
        self.problems.append(error(self.path, self.lines.get(key, 1), message))

    def entry_line(self, key: str, entry: str | int) -> int:
        """The line of one entry of `key`'s mapping (by its key) or list (by its index): a
        long `categories:` or `menu:` is fixed at the entry that is wrong, not searched."""
        return self.entries.get(key, {}).get(entry) or self.lines.get(key, 1)

    def fail_entry(self, key: str, entry: str | int, message: str) -> None:
        self.problems.append(error(self.path, self.entry_line(key, entry), message))

    def value(self, key: str, default: Any) -> Any:
        """`key`'s value, or `default` when the file leaves it out or writes it with no value
        (`page_size:` alone on its line, YAML's null): a setting emptied is one not set."""
        value = self.data.get(key)
        return default if value is None else value

    def text(self, key: str, default: str = "") -> str:
        value = self.value(key, default)
        if not isinstance(value, str):
            self.fail(key, f"'{key}' must be a string")
            return default
        return value.strip()

    def count(self, key: str, default: int, minimum: int) -> int:
        value = self.value(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.fail(key, f"'{key}' must be a whole number of at least {minimum}")
            return default
        return value

    def mapping(self, key: str) -> dict[str, Any]:
        value = self.data.get(key) or {}
        if not isinstance(value, dict):
            self.fail(key, f"'{key}' must be a mapping of `key: value` lines")
            return {}
        return {str(k): v for k, v in value.items()}

    def strings(self, key: str) -> tuple[str, ...]:
        value = self.data.get(key) or []
        if not isinstance(value, list):
            self.fail(key, f"'{key}' must be a list of strings")
            return ()
        for index, entry in enumerate(value):
            if not isinstance(entry, str):
                self.fail_entry(key, index, f"'{key}' must be a list of strings")
        return tuple(v.strip().lower() for v in value if isinstance(v, str))


# A scheme ("https:", "mailto:", "tel:") or a host ("//thanhhoa.gov.vn/"): a menu item's
# address, printed as it is, not a path of the site to put the site's path before.
_ADDRESS = re.compile(r"[a-z][a-z0-9+.\-]*:|//", re.IGNORECASE)


def is_address(url: str) -> bool:
    return _ADDRESS.match(url) is not None


def is_web_url(url: str) -> bool:
    """An absolute http(s) URL: the only kind of link we accept from outside."""
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def how_to_declare(file: str, slug: str, name: str = "") -> str:
    """How an editor declares the category `slug` (shown as `name`, else a placeholder): the
    very line to add to the config `file`, which one who never edited YAML can copy as it is."""
    shown = name or "Tên chuyên mục"
    entry = yaml.safe_dump({slug: shown}, allow_unicode=True, width=1 << 20).strip()
    told = "" if name else f", thay '{shown}' bằng tên hiện cho người đọc"
    return (
        f"mở tệp {file}, thêm ngay dưới dòng `categories:` dòng `  {entry}` (hai dấu cách "
        f"ở đầu dòng{told})"
    )


def key_line(file: str, key: str) -> int:
    """The line of the top-level `key` in the config `file` (1 if it is not there or the
    file cannot be read), read again for a message: a SiteConfig keeps no lines, which a
    comment added above them would change, and with them every cache key."""
    try:
        return load_mapping(decode(Path(file).read_bytes())).lines.get(key, 1)
    except (OSError, UnicodeDecodeError, YamlProblem):
        return 1


def _base_url(checker: _Checker, override: str | None) -> str:
    url = override if override is not None else checker.text("base_url")
    if not is_web_url(url):
        where = "--base-url" if override is not None else "'base_url'"
        checker.fail("base_url", f"{where} must be an absolute http(s) URL, got '{url}'")
        return "http://localhost/"
    return url if url.endswith("/") else url + "/"


def _categories(checker: _Checker) -> tuple[tuple[str, str], ...]:
    result = []
    for slug, name in checker.mapping("categories").items():
        if not is_slug(slug):
            message = f"category '{slug}' is not a slug (try '{slug_of(slug)}')"
            checker.fail_entry("categories", slug, message)
        elif not isinstance(name, str) or not name.strip():
            checker.fail_entry("categories", slug, f"category '{slug}' needs a display name")
        else:
            result.append((slug, name.strip()))
    return tuple(result)


def site_path(base_url: str, url: str) -> str:
    """`url` as a site-relative path when it is a full address on the site at `base_url`
    (the same scheme, host and path prefix, in any letter case for the first two), else as
    it is: a menu item written either way then marks, and leads to, the same pages."""
    if not is_address(url):
        return url.lstrip("/")
    parts, base = urlsplit(url), urlsplit(base_url)
    if (parts.scheme.lower(), parts.netloc.lower()) != (base.scheme.lower(), base.netloc.lower()):
        return url
    path = base.path if parts.path + "/" == base.path else parts.path  # the home page, no "/"
    if not path.startswith(base.path):
        return url
    return urlunsplit(("", "", path.removeprefix(base.path), parts.query, parts.fragment))


def _menu(checker: _Checker, base_url: str) -> tuple[MenuItem, ...]:
    value = checker.data.get("menu") or []
    items = []
    for index, entry in enumerate(value if isinstance(value, list) else [None]):
        if not (isinstance(entry, dict) and set(entry) == {"title", "url"}):
            message = "each 'menu' entry must have exactly 'title' and 'url'"
            checker.fail_entry("menu", index, message)
            continue
        items.append(MenuItem(str(entry["title"]), site_path(base_url, str(entry["url"]))))
    return tuple(items)


def _record(checker: _Checker, key: str, kind: type[_R]) -> _R:
    """A mapping of text fields such as `footer:`, checked against the dataclass `kind`."""
    fields = checker.mapping(key)
    known = tuple(f.name for f in dataclasses.fields(kind))  # type: ignore[arg-type]
    for name in sorted(fields.keys() - set(known)):
        checker.fail_entry(key, name, f"unknown {key} key '{name}'; known: {', '.join(known)}")
    return kind(**{k: str(v).strip() for k, v in fields.items() if k in known and v is not None})


def _partner(checker: _Checker, index: int, entry: object) -> PartnerFeed | None:
    hint = "each 'partner_feeds' entry needs 'name', 'url' and optionally 'items'"
    if not isinstance(entry, dict) or not {"name", "url"} <= set(entry) <= set(_PARTNER_KEYS):
        checker.fail_entry("partner_feeds", index, hint)
        return None
    name, url, items = entry["name"], entry["url"], entry.get("items", 5)
    if not isinstance(name, str) or not name.strip():
        problem = "a partner feed's 'name' must be a non-empty string"
    elif not isinstance(url, str) or not is_web_url(url.strip()):
        problem = f"partner feed '{name}': 'url' must be an http(s) URL"
    elif isinstance(items, bool) or not isinstance(items, int) or items < 1:
        problem = f"partner feed '{name}': 'items' must be at least 1"
    else:
        line = checker.entry_line("partner_feeds", index)
        return PartnerFeed(name.strip(), url.strip(), items, line)
    checker.fail_entry("partner_feeds", index, problem)
    return None


def _partners(checker: _Checker) -> tuple[PartnerFeed, ...]:
    value = checker.data.get("partner_feeds") or []
    entries = value if isinstance(value, list) else [None]
    feeds = (_partner(checker, index, entry) for index, entry in enumerate(entries))
    return tuple(feed for feed in feeds if feed is not None)


def _seconds(checker: _Checker, key: str, default: float) -> float:
    value = checker.value(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        checker.fail(key, f"'{key}' must be a number of seconds greater than 0")
        return default
    return float(value)


def _site_file(checker: _Checker, key: str, default: str) -> str:
    """A file of the site such as static/img/logo.png, an absolute http(s) URL, or "" for
    none (the picture or logo is then left out of what pages announce)."""
    if key in checker.data and checker.data[key] is None:
        return ""  # `key:` with its value emptied (YAML's null) is one way to write "none"
    value = checker.text(key, default)
    if ("://" in value and not is_web_url(value)) or ".." in value.split("/"):
        checker.fail(key, f"'{key}' must be a path in the site (static/...) or an http(s) URL")
        return default
    return value.lstrip("/")


def _timezone(checker: _Checker) -> str:
    name = checker.text("timezone", "Asia/Ho_Chi_Minh")
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        checker.fail("timezone", f"unknown timezone '{name}' (e.g. Asia/Ho_Chi_Minh)")
        return "Asia/Ho_Chi_Minh"
    return name


def load_config(
    path: Path, base_url: str | None = None
) -> tuple[SiteConfig | None, list[Diagnostic]]:
    """Read `path`; `base_url`, when given, overrides the file's."""
    display = str(path)
    try:
        mapping = load_mapping(decode(path.read_bytes()))
    except OSError as exc:
        return None, [error(display, 1, f"cannot read the configuration: {exc.strerror}")]
    except UnicodeDecodeError:
        return None, [error(display, 1, "the configuration is not UTF-8 text")]
    except YamlProblem as exc:
        return None, [error(display, exc.line, exc.message)]
    checker = _Checker(display, mapping)
    for key in mapping.data.keys() - set(_KEYS):
        close = difflib.get_close_matches(key, _KEYS, n=1)
        checker.fail(
            key, f"unknown key '{key}'" + (f"; did you mean '{close[0]}'?" if close else "")
        )
    for key, value in mapping.data.items():  # no feed can carry one
        if holds_control_characters(value):
            checker.fail(key, f"'{key}' contains a control character (such as U+0000); remove it")
    if not checker.text("name"):
        checker.fail("name", "'name' is required: the site's name")
    site_url = _base_url(checker, base_url)
    config = SiteConfig(
        name=checker.text("name"),
        base_url=site_url,
        timezone=_timezone(checker),
        description=checker.text("description"),
        page_size=checker.count("page_size", 10, 1),
        feed_size=checker.count("feed_size", 20, 1),
        other_news=checker.count("other_news", 7, 0),
        categories=_categories(checker),
        menu=_menu(checker, site_url),
        footer=_record(checker, "footer", Footer),
        video_hosts=checker.strings("video_hosts"),
        partner_feeds=_partners(checker),
        partner_timeout=_seconds(checker, "partner_timeout", 10.0),
        default_image=_site_file(checker, "default_image", "static/img/chia-se.png"),
        logo=_site_file(checker, "logo", "static/img/logo.png"),
        defaults=_record(checker, "defaults", Defaults),
        summary_limit=checker.count("summary_limit", 300, 1),
        parse_timeout=_seconds(checker, "parse_timeout", 30.0),
        file=display,
    )
    problems = sorted(checker.problems)
    return (None if problems else config), problems
