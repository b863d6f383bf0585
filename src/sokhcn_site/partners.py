"""Fetch partner agencies' feeds at build time, falling back to the last good copy."""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import time
import unicodedata
import urllib.error
import urllib.request
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any

import feedparser

from . import __version__
from .config import is_web_url
from .dates import format_date
from .errors import Diagnostic, warning
from .model import PartnerFeed, PartnerItem, PartnerNews

_MAX_BYTES = 5 * 1024 * 1024
_KEEP = 50  # items kept in the cache, whatever `items` asks for today
_TITLE_CHARS = 300
_WORKERS = 8
# All feeds together may take this many per-feed timeouts, however many there are.
_TOTAL_TIMEOUTS = 3
_HARMLESS = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)


class FeedProblem(Exception):
    """Why a partner feed could not be used; the message is for editors, in Vietnamese."""


@dataclass(frozen=True, slots=True)
class _Copy:
    fetched: datetime
    items: tuple[PartnerItem, ...]


def _item(title: object, link: object, date: datetime | None) -> PartnerItem:
    """Partner text is plain text (escaped by the template); only http(s) links survive."""
    text = " ".join(unicodedata.normalize("NFC", str(title or "")).split())[:_TITLE_CHARS]
    href = str(link or "").strip()
    return PartnerItem(text, href if is_web_url(href) else "", date)


def _newest_first(items: Sequence[PartnerItem]) -> tuple[PartnerItem, ...]:
    # Undated items go last; sorted() is stable, so ties keep the partner's order.
    ordered = sorted(items, key=lambda i: (i.date is None, -i.date.timestamp() if i.date else 0))
    return tuple(ordered[:_KEEP])


def parse_feed(data: bytes, tz: tzinfo) -> tuple[PartnerItem, ...]:
    """The items of an RSS or Atom document, newest first; FeedProblem if it is not one."""
    parsed = feedparser.parse(data)
    problem = parsed.get("bozo_exception")
    if not parsed.get("version") or (parsed.bozo and not isinstance(problem, _HARMLESS)):
        raise FeedProblem("nội dung không phải RSS/Atom hợp lệ")
    items: list[PartnerItem] = []
    for entry in parsed.entries:
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        date = datetime(*stamp[:6], tzinfo=UTC).astimezone(tz) if stamp else None
        item = _item(entry.get("title"), entry.get("link"), date)
        if item.title:
            items.append(item)
    return _newest_first(items)


def _download(url: str, timeout: float, deadline: float) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": f"sokhcn-site/{__version__}"})
    chunks: list[bytes] = []
    size = 0
    with urllib.request.urlopen(request, timeout=timeout) as response:
        # The socket timeout bounds each read; the deadline bounds a server that trickles bytes.
        while chunk := response.read(64 * 1024):
            size += len(chunk)
            if size > _MAX_BYTES:
                raise FeedProblem("nguồn tin lớn quá 5 MB")
            if time.monotonic() > deadline:
                raise FeedProblem("quá thời gian chờ")
            chunks.append(chunk)
    return b"".join(chunks)


def _fetch(url: str, timeout: float, deadline: float, tz: tzinfo) -> tuple[PartnerItem, ...]:
    try:
        return parse_feed(_download(url, timeout, deadline), tz)
    except urllib.error.HTTPError as exc:
        raise FeedProblem(f"máy chủ trả lời lỗi HTTP {exc.code}") from None
    except TimeoutError:
        raise FeedProblem("quá thời gian chờ") from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise FeedProblem("quá thời gian chờ") from None
        raise FeedProblem(f"không kết nối được ({exc.reason})") from None
    except (OSError, ValueError, http.client.HTTPException) as exc:
        raise FeedProblem(f"không tải được ({exc})") from None


def _fetch_all(
    feeds: Sequence[PartnerFeed], timeout: float, tz: tzinfo
) -> list[tuple[PartnerItem, ...] | FeedProblem]:
    """Fetch in parallel; whatever is not back by the overall deadline counts as timed out."""
    deadline = time.monotonic() + timeout * _TOTAL_TIMEOUTS
    pool = ThreadPoolExecutor(max_workers=min(_WORKERS, len(feeds)))
    futures = [pool.submit(_fetch, feed.url, timeout, deadline, tz) for feed in feeds]
    wait(futures, timeout=timeout * _TOTAL_TIMEOUTS)
    pool.shutdown(wait=False, cancel_futures=True)
    return [_outcome(future) for future in futures]


def _outcome(future: Future[tuple[PartnerItem, ...]]) -> tuple[PartnerItem, ...] | FeedProblem:
    if not future.done() or future.cancelled():
        return FeedProblem("quá thời gian chờ")
    problem = future.exception()
    if problem is None:
        return future.result()
    if isinstance(problem, FeedProblem):
        return problem
    raise problem  # a bug of ours, not a partner's failure


def _cache_file(folder: Path, url: str) -> Path:
    return folder / f"{hashlib.sha256(url.encode('utf-8')).hexdigest()[:24]}.json"


def _save(path: Path, url: str, copy: _Copy) -> None:
    record: dict[str, Any] = {
        "url": url,
        "fetched": copy.fetched.isoformat(),
        "items": [
            {"title": i.title, "link": i.link, "date": i.date.isoformat() if i.date else None}
            for i in copy.items
        ],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(temporary, path)  # a reader never sees half a copy


def _moment(text: str, tz: tzinfo) -> datetime:
    return datetime.fromisoformat(text).astimezone(tz)


def _load(path: Path, tz: tzinfo) -> _Copy | None:
    """The cached copy, or None when there is none or it is unreadable."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        items = [
            _item(i["title"], i["link"], _moment(i["date"], tz) if i["date"] else None)
            for i in record["items"]
        ]
        fetched = _moment(record["fetched"], tz)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return _Copy(fetched, _newest_first([i for i in items if i.title]))


def fetch_partners(
    feeds: Sequence[PartnerFeed],
    cache: Path,
    *,
    config_path: str,
    timeout: float,
    tz: tzinfo,
    now: datetime,
    offline: bool,
) -> tuple[tuple[PartnerNews, ...], tuple[Diagnostic, ...]]:
    """Each feed's newest items: fresh, else the copy in `cache`, else left out with a warning."""
    if not feeds:
        return (), ()
    fresh: list[tuple[PartnerItem, ...] | FeedProblem]
    fresh = [FeedProblem("--offline")] * len(feeds) if offline else _fetch_all(feeds, timeout, tz)
    news: list[PartnerNews] = []
    problems: list[Diagnostic] = []
    for feed, result in zip(feeds, fresh, strict=True):
        path = _cache_file(cache, feed.url)
        if not isinstance(result, FeedProblem):
            try:
                _save(path, feed.url, _Copy(now, result))
            except OSError as exc:
                problems.append(
                    warning(
                        config_path, feed.line, f"không lưu được bản tin vào {path}: {exc.strerror}"
                    )
                )
            news.append(PartnerNews(feed.name, result[: feed.items]))
            continue
        copy = _load(path, tz)
        failed = f"không tải được nguồn tin '{feed.name}' ({result})"
        if copy is None:
            why = (
                f"--offline: chưa có bản lưu của nguồn tin '{feed.name}'"
                if offline
                else f"{failed} và chưa có bản lưu"
            )
            message = f"{why}; hộp 'Tin từ các cơ quan' tạm bỏ nguồn này. Kiểm tra 'url' của nguồn"
            problems.append(warning(config_path, feed.line, message))
            continue
        news.append(PartnerNews(feed.name, copy.items[: feed.items], cached_at=copy.fetched))
        if not offline:
            message = f"{failed}; dùng bản lưu ngày {format_date(copy.fetched)}"
            problems.append(
                warning(config_path, feed.line, message + ". Nếu lỗi kéo dài, kiểm tra 'url'")
            )
    return tuple(n for n in news if n.items), tuple(problems)
