"""The "Tin từ các cơ quan" box, against partner feeds served from 127.0.0.1."""

from __future__ import annotations

import concurrent.futures
import contextlib
import socket
import threading
from collections.abc import Iterator
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

import pytest
from conftest import article

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Bộ KH&amp;CN</title><link>https://most.test/</link>
<item><title>Tin cũ của Bộ</title><link>https://most.test/cu</link>
  <pubDate>Mon, 13 Jan 2020 09:00:00 +0700</pubDate></item>
<item><title>Tin mới của Bộ</title><link>https://most.test/moi?a=1&amp;b=2</link>
  <pubDate>Tue, 14 Jan 2020 09:00:00 +0700</pubDate></item>
<item><title>&lt;script&gt;alert(1)&lt;/script&gt; Tin lạ</title><link>javascript:alert(1)</link>
  <pubDate>Sun, 12 Jan 2020 09:00:00 +0700</pubDate></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Tỉnh</title><id>urn:x</id>
<updated>2020-01-10T00:00:00Z</updated>
<entry><title>Tin của Tỉnh</title><link href="https://tinh.test/a"/><id>urn:a</id>
  <updated>2020-01-10T01:00:00Z</updated></entry>
</feed>"""

TIMEOUT = 0.5  # seconds per feed in these tests
SLOW = TIMEOUT * 8
TRICKLE, TOGETHER = -1.0, -2.0  # not seconds: see _Partner.do_GET
# path -> (status, body, seconds to wait before answering, or TRICKLE or TOGETHER)
Routes = dict[str, tuple[int, str, float]]
GOOD: Routes = {"/rss": (200, RSS, 0), "/atom": (200, ATOM, 0)}
BAD: Routes = {"/error": (500, "Internal Server Error", 0),
               "/broken": (200, "<rss version='2.0'><channel><item><title>x</title>", 0),
               "/slow": (200, RSS, SLOW)}  # fmt: skip


class _Partner(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        self.server.requests.append(self.path)
        status, body, delay = self.server.routes.get(self.path, (404, "not found", 0))
        if delay == TRICKLE:
            return self._trickle()
        if delay == TOGETHER:
            try:  # answered only once every feed has asked: they are fetched at the same time
                self.server.together.wait()
            except threading.BrokenBarrierError:
                status, body = 503, "alone"
        self.server.closing.wait(max(delay, 0))
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/xml; charset=utf-8")
            self.end_headers()
            self.wfile.write(body.encode("utf-8"))
        except OSError:
            pass  # the build stopped waiting, as it should

    def _trickle(self) -> None:
        """A feed that never ends: a byte now and then, well within the socket timeout, for
        longer than _bounded waits."""
        with contextlib.suppress(OSError):  # the build stopped reading, as it should
            self.send_response(200)
            self.end_headers()
            for _ in range(int(120 / (TIMEOUT / 4))):
                self.wfile.write(b" ")
                self.wfile.flush()
                if self.server.closing.wait(TIMEOUT / 4):
                    return

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    routes: Routes
    requests: list[str]
    together: threading.Barrier
    closing: threading.Event  # set when the test ends: slow answers stop waiting

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


# Every route answers with the good RSS feed: how the cache gets its last good copies.
GOOD_EVERYWHERE: Routes = {path: (200, RSS, 0) for path in [*GOOD, *BAD, "/gone"]}


@contextlib.contextmanager
def _serving(routes: Routes) -> Iterator[_Server]:
    before = set(threading.enumerate())
    server = _Server(("127.0.0.1", 0), _Partner)
    server.routes, server.requests, server.closing = routes, [], threading.Event()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.closing.set()
        server.shutdown()
        server.server_close()
        # No thread of this test (the server's, or a build's still reading a slow feed) may
        # outlive it: the process would no longer fork, and later tests would run their
        # parallel steps in this process without knowing it (see parallel._can_fork).
        for left in set(threading.enumerate()) - before:
            left.join(timeout=10)


@pytest.fixture
def partner_server() -> Iterator[_Server]:
    with _serving({**GOOD, **BAD}) as server:
        yield server


def _site(make_site, tmp_path, urls: dict[str, str], items: int = 5):
    """A site whose partner feeds are `urls` (name -> URL), and a bounded build function."""
    feeds = [{"name": name, "url": url, "items": items} for name, url in urls.items()]
    site = make_site(
        {"content/tin/2020-01-14-a.md": article()},
        {"partner_feeds": feeds, "partner_timeout": TIMEOUT},
    )
    cache = str(tmp_path / "cache")
    return site, lambda *args: _bounded(lambda: site.build("--cache-dir", cache, *args))


def _bounded(run):
    """Run a build, failing (not hanging) the test if it does not return in a generous time."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(run).result(timeout=60)


def _box(site) -> dict[str, list[tuple[str, str | None, str]]]:
    """Feed heading -> [(title, link or None, text of the item)] of the home page's box."""
    boxes = site.html("index.html").xpath("//aside[h2[normalize-space()='Tin từ các cơ quan']]")
    return {
        " ".join(section.xpath("string(h3)").split()): [
            (
                (li.xpath("string(a)") or li.text or "").strip(),
                (li.xpath("a/@href") or [None])[0],
                " ".join(li.text_content().split()),
            )
            for li in section.xpath("ul/li")
        ]
        for box in boxes
        for section in box.xpath("section")
    }


def _warnings(site, result) -> list[str]:
    """The build's warnings, each checked to point at the site.yaml entry of the feed it names."""
    path = site.root / "site.yaml"
    lines = path.read_text("utf-8").splitlines()
    entries = {text.removeprefix("- name: "): n for n, text in enumerate(lines, 1)
               if text.startswith("- name: ")}  # fmt: skip
    messages = []
    for warning in result.err.splitlines():
        name = warning.split("nguồn tin '", 1)[1].split("'", 1)[0]
        prefix = f"{path}:{entries[name]}: warning: "
        assert warning.startswith(prefix), warning
        messages.append(warning.removeprefix(prefix))
    return messages


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_box_shows_the_newest_items_of_good_rss_and_atom_feeds(make_site, tmp_path, partner_server):
    urls = {"Bộ KH&CN": f"{partner_server.url}/rss", "Tỉnh": f"{partner_server.url}/atom"}
    site, build = _site(make_site, tmp_path, urls, items=2)
    result = build()
    assert (result.code, result.err) == (0, "")
    assert _box(site) == {
        "Bộ KH&CN": [
            ("Tin mới của Bộ", "https://most.test/moi?a=1&b=2", "Tin mới của Bộ (14/01/2020)"),
            ("Tin cũ của Bộ", "https://most.test/cu", "Tin cũ của Bộ (13/01/2020)"),
        ],
        "Tỉnh": [("Tin của Tỉnh", "https://tinh.test/a", "Tin của Tỉnh (10/01/2020)")],
    }
    assert "Tin từ các cơ quan" not in (site.output / "tin/index.html").read_text("utf-8")


def test_partner_titles_are_escaped_and_only_web_links_kept(make_site, tmp_path, partner_server):
    site, build = _site(make_site, tmp_path, {"Bộ": f"{partner_server.url}/rss"})
    assert build().code == 0
    assert _box(site)["Bộ"][-1] == (
        "<script>alert(1)</script> Tin lạ",
        None,
        "<script>alert(1)</script> Tin lạ (12/01/2020)",
    )
    home = site.html("index.html")
    assert not home.xpath("//script")
    assert not [href for href in home.xpath("//@href") if "javascript" in href]


def test_a_failing_feed_without_a_cached_copy_is_left_out_with_a_warning(
    make_site, tmp_path, partner_server
):
    urls = {name: f"{partner_server.url}/{name}" for name in ("error", "slow", "broken", "atom")}
    urls["refused"] = f"http://127.0.0.1:{_closed_port()}/rss"
    site, build = _site(make_site, tmp_path, urls)
    result = build()
    assert result.code == 0
    assert list(_box(site)) == ["atom"]
    warnings = _warnings(site, result)
    assert len(warnings) == 4
    for name, reason in (("error", "máy chủ trả lời lỗi HTTP 500"), ("slow", "quá thời gian chờ"),
                         ("broken", "nội dung không phải RSS/Atom hợp lệ"),
                         ("refused", "không kết nối được")):  # fmt: skip
        expected = f"không tải được nguồn tin '{name}' ({reason}"
        assert any(w.startswith(expected) and "chưa có bản lưu" in w for w in warnings), name
    assert "Không kết nối được" not in (site.output / "index.html").read_text("utf-8")


def test_a_failing_feed_shows_its_last_good_copy_with_the_date_it_was_fetched(make_site, tmp_path):
    with _serving(GOOD_EVERYWHERE) as server, _serving(GOOD_EVERYWHERE) as doomed:
        urls = {name: f"{server.url}/{name}" for name in ("error", "slow", "broken")}
        urls["gone"] = f"{doomed.url}/gone"
        site, build = _site(make_site, tmp_path, urls, items=1)
        assert (build().code, build().err) == (0, "")
        fetched = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).strftime("%d/%m/%Y")
        doomed.shutdown()
        doomed.server_close()
        server.routes = {**GOOD, **BAD}
        result = build()
    assert result.code == 0
    heading = f"(cập nhật {fetched})"
    newest = [("Tin mới của Bộ", "https://most.test/moi?a=1&b=2", "Tin mới của Bộ (14/01/2020)")]
    assert _box(site) == {f"{name} {heading}": newest for name in urls}
    warnings = _warnings(site, result)
    assert len(warnings) == 4
    assert all(w.endswith(f"dùng bản lưu ngày {fetched}. Nếu lỗi kéo dài, kiểm tra 'url'")
               for w in warnings)  # fmt: skip


def test_offline_uses_the_cache_and_fetches_nothing(make_site, tmp_path, partner_server):
    site, build = _site(make_site, tmp_path, {"Bộ": f"{partner_server.url}/rss"}, items=1)
    result = build("--offline")
    assert result.code == 0 and _box(site) == {}
    assert _warnings(site, result) == [
        "--offline: chưa có bản lưu của nguồn tin 'Bộ'; hộp 'Tin từ các cơ quan' tạm bỏ nguồn này."
        " Kiểm tra 'url' của nguồn"
    ]
    assert partner_server.requests == []
    assert build().code == 0
    assert partner_server.requests == ["/rss"]
    partner_server.routes = {}
    result = build("--offline")
    assert (result.code, result.err) == (0, "")
    assert partner_server.requests == ["/rss"]
    [(heading, items)] = _box(site).items()
    assert heading.startswith("Bộ (cập nhật ") and items[0][0] == "Tin mới của Bộ"


def test_many_slow_partners_cannot_hold_the_build(make_site, tmp_path, partner_server):
    urls = {f"slow {n}": f"{partner_server.url}/slow?{n}" for n in range(20)}
    partner_server.routes = {f"/slow?{n}": (200, RSS, SLOW) for n in range(20)}
    site, build = _site(make_site, tmp_path, urls)
    result = build()  # returns within _bounded's guard, or the test fails
    assert result.code == 0
    assert _box(site) == {}
    assert len(_warnings(site, result)) == 20


def test_partner_feeds_are_fetched_at_the_same_time(make_site, tmp_path, partner_server):
    urls = {f"Cơ quan {n}": f"{partner_server.url}/together?{n}" for n in range(8)}
    partner_server.routes = {f"/together?{n}": (200, RSS, TOGETHER) for n in range(8)}
    partner_server.together = threading.Barrier(8, timeout=TIMEOUT * 4)
    site, build = _site(make_site, tmp_path, urls)
    result = build()
    assert (result.code, result.err) == (0, "")
    assert len(_box(site)) == 8


def test_a_feed_that_never_ends_is_cut_off(make_site, tmp_path, partner_server):
    partner_server.routes = {"/trickle": (200, RSS, TRICKLE)}
    site, build = _site(make_site, tmp_path, {"Bộ": f"{partner_server.url}/trickle"})
    result = build()  # returns within _bounded's guard, or the test fails
    assert result.code == 0
    assert _box(site) == {}
    [line] = _warnings(site, result)
    assert "quá thời gian chờ" in line


def test_bad_partner_settings_are_configuration_errors(make_site):
    site = make_site(
        {"content/tin/2020-01-14-a.md": article()},
        {"partner_timeout": 0, "partner_feeds": [
            {"name": "Bộ", "url": "javascript:alert(1)"}, {"url": "https://a.test/rss"},
            {"name": "Tỉnh", "url": "https://a.test/rss", "items": 0},
        ]},
    )  # fmt: skip
    result = site.build()
    assert result.code == 2
    path = site.root / "site.yaml"
    lines = path.read_text("utf-8").splitlines()
    timeout = next(n for n, text in enumerate(lines, 1) if text.startswith("partner_timeout:"))
    bo, unnamed, tinh = (n for n, text in enumerate(lines, 1) if text.startswith("- "))
    assert result.err.splitlines() == [  # each entry's at its own line
        f"{path}:{timeout}: error: 'partner_timeout' must be a number of seconds greater than 0",
        f"{path}:{bo}: error: partner feed 'Bộ': 'url' must be an http(s) URL",
        f"{path}:{unnamed}: error: each 'partner_feeds' entry needs 'name', 'url' and optionally "
        "'items'",
        f"{path}:{tinh}: error: partner feed 'Tỉnh': 'items' must be at least 1",
    ]
