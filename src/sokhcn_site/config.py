"""Read site.yaml into a SiteConfig, checking every key."""

from __future__ import annotations

import dataclasses
import difflib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slugify import slugify

from .errors import Diagnostic, error
from .frontmatter import decode
from .model import Footer, MenuItem, SiteConfig
from .yamlio import YamlProblem, load_mapping

_KEYS = (
    "name", "base_url", "timezone", "description", "page_size", "feed_size",
    "other_news", "categories", "menu", "footer", "video_hosts",
)  # fmt: skip
_FOOTER_KEYS = tuple(f.name for f in dataclasses.fields(Footer))


class _Checker:
    def __init__(self, path: str, data: dict[str, Any], lines: dict[str, int]) -> None:
        self.path, self.data, self.lines = path, data, lines
        self.problems: list[Diagnostic] = []

    def fail(self, key: str, message: str) -> None:
        self.problems.append(error(self.path, self.lines.get(key, 1), message))

    def text(self, key: str, default: str = "") -> str:
        value = self.data.get(key, default)
        if not isinstance(value, str):
            self.fail(key, f"'{key}' must be a string")
            return default
        return value.strip()

    def count(self, key: str, default: int, minimum: int) -> int:
        value = self.data.get(key, default)
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
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(key, f"'{key}' must be a list of strings")
            return ()
        return tuple(v.strip().lower() for v in value)


def _base_url(checker: _Checker, override: str | None) -> str:
    url = override if override is not None else checker.text("base_url")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        where = "--base-url" if override is not None else "'base_url'"
        checker.fail("base_url", f"{where} must be an absolute http(s) URL, got '{url}'")
        return "http://localhost/"
    return url if url.endswith("/") else url + "/"


def _categories(checker: _Checker) -> tuple[tuple[str, str], ...]:
    result = []
    for slug, name in checker.mapping("categories").items():
        if slugify(slug) != slug:
            checker.fail("categories", f"category '{slug}' is not a slug (try '{slugify(slug)}')")
        elif not isinstance(name, str) or not name.strip():
            checker.fail("categories", f"category '{slug}' needs a display name")
        else:
            result.append((slug, name.strip()))
    return tuple(result)


def _menu(checker: _Checker) -> tuple[MenuItem, ...]:
    value = checker.data.get("menu") or []
    items = []
    for entry in value if isinstance(value, list) else [None]:
        if not (isinstance(entry, dict) and set(entry) == {"title", "url"}):
            checker.fail("menu", "each 'menu' entry must have exactly 'title' and 'url'")
            continue
        items.append(MenuItem(str(entry["title"]), str(entry["url"]).lstrip("/")))
    return tuple(items)


def _footer(checker: _Checker) -> Footer:
    fields = checker.mapping("footer")
    for key in fields.keys() - set(_FOOTER_KEYS):
        checker.fail("footer", f"unknown footer key '{key}'; known: {', '.join(_FOOTER_KEYS)}")
    return Footer(**{k: str(v) for k, v in fields.items() if k in _FOOTER_KEYS and v is not None})


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
    checker = _Checker(display, mapping.data, mapping.lines)
    for key in mapping.data.keys() - set(_KEYS):
        close = difflib.get_close_matches(key, _KEYS, n=1)
        checker.fail(
            key, f"unknown key '{key}'" + (f"; did you mean '{close[0]}'?" if close else "")
        )
    if not checker.text("name"):
        checker.fail("name", "'name' is required: the site's name")
    config = SiteConfig(
        name=checker.text("name"),
        base_url=_base_url(checker, base_url),
        timezone=_timezone(checker),
        description=checker.text("description"),
        page_size=checker.count("page_size", 10, 1),
        feed_size=checker.count("feed_size", 20, 1),
        other_news=checker.count("other_news", 7, 0),
        categories=_categories(checker),
        menu=_menu(checker),
        footer=_footer(checker),
        video_hosts=checker.strings("video_hosts"),
    )
    problems = sorted(checker.problems)
    return (None if problems else config), problems
