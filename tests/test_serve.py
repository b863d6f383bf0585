"""`sokhcn-site serve`: a live preview over HTTP that follows edits and never touches public/."""

from __future__ import annotations

import contextlib
import html
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import lxml.html
import pytest
from conftest import ROOT, article, rendered_pages
from playwright.sync_api import sync_playwright

from sokhcn_site import serve
from sokhcn_site.model import Output
from sokhcn_site.pipeline import BuildOptions, BuildReport
from sokhcn_site.serve import Preview, SiteState, reload_script, respond

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import corpus

CONFIG = {"base_url": "https://example.test/portal/", "categories": {"tin": "Tin"}}
TIMEOUT = 20.0


def _lines(stream, into: queue.Queue[str]) -> None:
    for line in stream:
        into.put(line)


class Server:
    """`sokhcn-site serve --port 0` in a subprocess, as an editor would start it."""

    def __init__(self, site, *args: str, cwd: Path | None = None) -> None:
        serve = [sys.executable, "-m", "sokhcn_site.cli", "serve", *site.inputs()]
        command = [*serve, "--port", "0", *args]  # 8000, the default, may be another run's
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        # In the site's folder: serve keeps its parse results in .cache/ where it runs.
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
            cwd=cwd or site.root,
        )  # fmt: skip
        self.out: queue.Queue[str] = queue.Queue()
        self.err: queue.Queue[str] = queue.Queue()
        self.readers = [
            threading.Thread(target=_lines, args=(stream, lines), daemon=True)
            for stream, lines in ((self.process.stdout, self.out), (self.process.stderr, self.err))
        ]
        for reader in self.readers:
            reader.start()

    def url(self) -> str:
        """The address, which is the first line the server prints; if it prints none, what
        it said on stderr tells why."""
        deadline = time.monotonic() + TIMEOUT
        line = None
        while line is None:
            try:
                line = self.out.get(timeout=0.1)
            except queue.Empty:
                code = self.process.poll()  # None: still running
                gone = code is not None and not self.readers[0].is_alive()
                if gone or time.monotonic() > deadline:
                    pytest.fail(f"serve printed no address (exit code {code}):\n{self.stderr()}")
        match = re.search(r"http://\S+", line)
        assert match, line + self.stderr()
        return match.group(0)

    def stderr(self) -> str:
        """What the server has written on stderr so far (all of it, once it has ended)."""
        if self.process.poll() is not None:
            self.readers[1].join(timeout=TIMEOUT)
        return "".join(self.err.get() for _ in range(self.err.qsize()))

    def __enter__(self) -> Server:
        return self

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        """Stop it as Ctrl-C does; after a test that went well, it must have stopped cleanly."""
        self.process.send_signal(signal.SIGINT)
        try:
            code = self.process.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()  # not left serving after the tests
            self.process.wait()
            raise
        self.readers[0].join(timeout=TIMEOUT)
        err = self.stderr()
        if kind is None:  # else the test's own failure is the news
            assert code == 0, err
            assert "Traceback" not in err, err


def _edit(path: Path, old: str, new: str) -> None:
    """Save `path` with `old` replaced by `new`, as an editor would."""
    text = path.read_text("utf-8")
    assert old in text, path  # an edit that changes nothing would prove nothing
    path.write_text(text.replace(old, new), "utf-8")


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def _eventually(url: str, accept: Callable[[str], bool]) -> str:
    deadline = time.monotonic() + TIMEOUT
    while True:
        body = _get(url)[1]
        if accept(body) or time.monotonic() > deadline:
            assert accept(body), body
            return body
        time.sleep(0.1)


def _snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file()
    }


def _events(url: str, into: queue.Queue[str]) -> None:
    with urllib.request.urlopen(url, timeout=TIMEOUT * 3) as stream:
        for raw in stream:
            into.put(raw.decode("utf-8").rstrip("\n"))


def test_serve_follows_edits_shows_errors_and_leaves_public_alone(make_site):
    site = make_site(
        {
            "content/tin/2020-01-14-a.md": article("Tin A", body="Bản đầu."),
            "content/tin/2020-01-15-nhap.md": article("Tin nháp", draft=True),
            "content/tin/2999-01-01-sau.md": article("Tin hẹn giờ", date="2999-01-01"),
        },
        CONFIG,
    )
    assert site.build().code == 0
    public = _snapshot(site.output)
    with Server(site) as server:
        root = server.url()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/portal/", root)
        home = lxml.html.fromstring(_get(root)[1])
        badges = home.xpath("//ol[@class='article-list']//span[@class='preview-badge']/text()")
        assert sorted(badges) == ["Bản nháp", "Hẹn giờ đăng"]
        assert "/portal/tin/a/" in home.xpath("//a/@href")
        assert _get(root.removesuffix("portal/"))[1] == _get(root)[1]  # / redirects to /portal/
        draft = lxml.html.fromstring(_get(root + "tin/nhap/")[1])
        assert draft.xpath("string(//p[@class='preview-badge'])") == "Bản nháp"

        page_url = root + "tin/a/"
        status, page = _get(page_url)
        assert status == 200 and "Bản đầu." in page
        version = re.search(r'data-version="([\w-]+)"', page)
        assert version, page
        events: queue.Queue[str] = queue.Queue()
        stream_url = root.removesuffix("/portal/") + f"{serve.EVENTS_PATH}?v={version.group(1)}"
        threading.Thread(target=_events, args=(stream_url, events), daemon=True).start()

        source = site.root / "content/tin/2020-01-14-a.md"
        source.write_text(article("Tin A", body="Bản đã sửa."), encoding="utf-8")
        _eventually(page_url, lambda body: "Bản đã sửa." in body)
        deadline = time.monotonic() + TIMEOUT
        while events.get(timeout=deadline - time.monotonic()) != "event: reload":
            pass

        source.write_text("---\ntitle: Tin A\ndate: 14/01/2020\n---\nHỏng.\n", encoding="utf-8")
        broken = _eventually(page_url, lambda body: "không đúng định dạng" in body)
        assert f"{site.root}/content/tin/2020-01-14-a.md:3" in html.unescape(broken)
        assert serve.SCRIPT_PATH in broken  # the error page reloads itself too

        source.write_text(article("Tin A", body="Bản đã chữa."), encoding="utf-8")
        _eventually(page_url, lambda body: "Bản đã chữa." in body)

        _edit(site.root / "site.yaml", "Sở Thử Nghiệm", "Sở Mới")
        _eventually(page_url, lambda body: "Sở Mới" in body)
        _edit(site.root / "templates/article.html", "In tin", "In bài")
        _eventually(page_url, lambda body: "In bài" in body)
    assert _snapshot(site.output) == public


def test_a_body_that_makes_markdown_crawl_is_cut_off_in_the_preview_too(make_site):
    site = make_site({"content/tin/2020-01-14-a.md": article("Tin A")},
                     {**CONFIG, "parse_timeout": 0.5})  # fmt: skip
    with Server(site) as server:
        root = server.url()
        _eventually(root, lambda body: "Tin A" in body)
        # Python-Markdown takes ~40 s on this (see test_timelimit); rebuilds run on the main
        # thread, where the limit can stop it.
        site.write("content/tin/2020-01-15-b.md", article("Tin B", body="[a](" * 16000))
        page = html.unescape(_eventually(root, lambda body: "parse_timeout" in body))
        assert f"{site.root}/content/tin/2020-01-15-b.md:5" in page


def test_edits_during_the_first_build_and_to_a_linked_config_are_seen(make_site):
    site = make_site({}, {"base_url": CONFIG["base_url"]})
    corpus.generate_corpus(site.root, 300)  # a first build that takes a while
    (site.root / "lam-viec").mkdir()
    (site.root / "lam-viec/site.yaml").symlink_to(site.root / "site.yaml")
    with Server(site, "--config", "site.yaml", cwd=site.root / "lam-viec") as server:
        root = server.url()  # printed as the first build starts
        time.sleep(0.3)  # it has found the files by now, and is reading them
        site.write("content/thong-bao/2021-01-01-them.md", article("Thêm khi đang dựng"))
        _eventually(root + "thong-bao/them/", lambda body: "Thêm khi đang dựng" in body)
        _edit(site.root / "site.yaml", "Sở Thử Nghiệm", "Sở Mới")  # what the link points at
        _eventually(root, lambda body: "Sở Mới" in body)


def test_folders_deleted_and_made_again_are_watched_again(make_site):
    site = make_site({"content/tin/2020-01-14-a.md": article("Tin A", body="Bản đầu.")}, CONFIG)
    templates, content = site.root / "templates", site.root / "content"
    with Server(site) as server:
        page_url = server.url() + "tin/a/"
        _eventually(page_url, lambda body: "In tin" in body)
        # As `rm -r templates && cp -r ../other/templates .` does: gone and back at once.
        shutil.rmtree(templates)
        shutil.copytree(ROOT / "templates", templates)
        _edit(templates / "article.html", "In tin", "In trang")
        _eventually(page_url, lambda body: "In trang" in body)
        _edit(templates / "article.html", "In trang", "In bài")
        _eventually(page_url, lambda body: "In bài" in body)

        shutil.rmtree(content)  # gone for a while this time, which the preview shows
        _eventually(page_url, lambda body: "--content: folder not found" in body)
        source = site.write("content/tin/2020-01-14-a.md", article("Tin A", body="Bản mới."))
        _eventually(page_url, lambda body: "Bản mới." in body)
        source.write_text(article("Tin A", body="Bản đã sửa."), encoding="utf-8")
        _eventually(page_url, lambda body: "Bản đã sửa." in body)


@contextlib.contextmanager
def _busy_port() -> Iterator[str]:
    """A port of 127.0.0.1 that another program listens on, for as long as it is used."""
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        yield str(busy.getsockname()[1])


@pytest.mark.parametrize("port", ["70000", "-1"])
def test_a_port_out_of_range_is_a_usage_error(make_site, port):
    site = make_site({"content/tin/a.md": article()})
    result = site.run("serve", *site.inputs(), "--port", port)
    assert result.code == 2
    assert "is not a port (0 to 65535)" in result.err


def test_a_busy_port_is_a_clear_error(make_site):
    site = make_site({"content/tin/2020-01-14-a.md": article()}, CONFIG)
    with _busy_port() as port:
        result = subprocess.run(
            [sys.executable, "-m", "sokhcn_site.cli", "serve", *site.inputs(), "--port", port],
            capture_output=True, text=True, timeout=TIMEOUT,
        )  # fmt: skip
    assert result.returncode == 2
    assert f"Không mở được cổng {port}" in result.stderr
    assert "--port 0" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_server_that_does_not_start_says_why_in_the_tests_too(make_site):
    site = make_site({"content/tin/2020-01-14-a.md": article()}, {"page_sise": 5})
    failed = pytest.raises(pytest.fail.Exception, match=r"(?s)exit code 2\).*'page_sise'")
    with failed, Server(site) as server:  # failed is outside: Server sees the failure
        server.url()


def test_unusable_settings_stop_serve_with_exit_code_2(make_site):
    site = make_site({"content/tin/2020-01-14-a.md": article()}, {"page_sise": 5})
    command = [sys.executable, "-m", "sokhcn_site.cli", "serve", *site.inputs(), "--port", "0"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT)
    assert result.returncode == 2
    assert "unknown key 'page_sise'" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("option", ["--content", "--templates", "--static", "--config"])
def test_unusable_options_are_told_as_build_tells_them_before_serving(make_site, option):
    site = make_site({"content/tin/2020-01-14-a.md": article()}, CONFIG)
    missing = str(site.root / "khong-co")
    built = site.build(option, missing)
    with _busy_port() as port:  # serve may not even try to open it
        served = site.run("serve", *site.inputs(), option, missing, "--port", port)
    assert built.code == served.code == 2
    assert served.err == built.err and missing in served.err
    assert served.out == ""


def test_a_production_build_has_no_preview_marks(make_site):
    site = make_site(
        {
            "content/tin/2020-01-15-nhap.md": article("Tin nháp", draft=True),
            "content/tin/2999-01-01-sau.md": article("Tin hẹn giờ", date="2999-01-01"),
        },
        CONFIG,
    )
    assert site.build("--drafts").code == 0
    pages = {k: v for k, v in site.files().items() if k.endswith(".html")}
    assert "tin/nhap/index.html" in pages
    for body in pages.values():
        assert b"preview-badge" not in body
        assert serve.PREVIEW_PREFIX.encode() not in body


def test_answers_follow_the_base_path_and_only_pages_get_the_script():
    page = b"<html><body><h1>Tin</h1></body></html>"
    outputs = (
        Output("index.html", page),
        Output("tin/a/index.html", page),
        Output("404.html", b"<html><body>Kh\xc3\xb4ng c\xc3\xb3</body></html>"),
        Output("rss.xml", b"<rss></rss>"),
    )
    state = SiteState("/portal/")
    state.publish(BuildReport((), outputs=outputs))
    script = reload_script(state.version).encode()

    assert respond(state, "/").location == "/portal/"
    assert respond(state, "/portal").location == "/portal/"
    assert respond(state, "/portal/tin/a").location == "/portal/tin/a/"
    article_page = respond(state, "/portal/tin/a/")
    assert article_page.status == 200
    assert article_page.body == page.replace(b"</body>", script + b"</body>")
    feed = respond(state, "/portal/rss.xml")
    assert feed.body == b"<rss></rss>"
    assert "xml" in feed.content_type
    missing = respond(state, "/portal/khong-co/")
    assert missing.status == 404 and script in missing.body and b"Kh" in missing.body
    assert respond(state, "/khac/").status == 404
    # The page loads the script from the preview's own address, which a site's file never has.
    [tag] = lxml.html.fromstring(article_page.body).xpath("//script")
    assert tag.get("src") == serve.SCRIPT_PATH and not (tag.text or "").strip()
    code = respond(state, serve.SCRIPT_PATH)
    assert (code.status, code.content_type) == (200, "text/javascript; charset=utf-8")
    assert serve.EVENTS_PATH.encode() in code.body


def _chromium() -> str:
    """Debian's chromium, which Playwright drives; CI installs it (.ci/install-tools)."""
    for name in ("chromium", "chromium-browser"):
        if path := shutil.which(name):
            return path
    if os.environ.get("CI"):
        pytest.fail("chromium is not installed: run .ci/install-tools")
    pytest.skip("chromium is not installed: run .ci/install-tools")


def test_an_open_tab_reloads_itself_through_errors_and_fixes(make_site):
    site = make_site({"content/tin/2020-01-14-a.md": article("Tin A", body="Bản đầu.")}, CONFIG)
    source = site.root / "content/tin/2020-01-14-a.md"
    browser_path = _chromium()
    with Server(site) as server:
        url = server.url() + "tin/a/"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=browser_path)
            tab = browser.new_page()
            tab.goto(url)
            assert tab.inner_text("h1") == "Tin A"
            wait = {"timeout": TIMEOUT * 1000}

            source.write_text(article("Tin A", body="Bản đã sửa."), encoding="utf-8")
            tab.wait_for_function("document.body.innerText.includes('Bản đã sửa.')", **wait)

            source.write_text("---\ntitle: Tin A\ndate: 14/01/2020\n---\nHỏng.\n", "utf-8")
            tab.wait_for_selector("ul.diagnostics", **wait)
            assert f"{source.as_posix()}:3" in tab.inner_text("ul.diagnostics")

            source.write_text(article("Tin B", body="Bản đã chữa."), encoding="utf-8")
            tab.wait_for_function("document.body.innerText.includes('Bản đã chữa.')", **wait)
            assert tab.inner_text("h1") == "Tin B"
            assert tab.url == url
            browser.close()


def test_an_open_tab_reloads_itself_under_a_policy_that_forbids_inline_scripts(make_site):
    """As the real site's server may send: script-src 'self' lets only the site's (and the
    preview's) files run."""
    site = make_site({"content/tin/2020-01-14-a.md": article("Tin A", body="Bản đầu.")}, CONFIG)
    browser_path = _chromium()

    def strict(route) -> None:
        if route.request.resource_type != "document":  # an event stream never ends
            route.continue_()
            return
        response = route.fetch()
        policy = {"content-security-policy": "script-src 'self'"}
        route.fulfill(response=response, headers=response.headers | policy)

    with Server(site) as server:
        url = server.url() + "tin/a/"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=browser_path)
            tab = browser.new_page()
            refused: list[str] = []
            tab.on("console", lambda m: refused.append(m.text) if m.type == "error" else 0)
            tab.route(url.removesuffix("portal/tin/a/") + "**", strict)
            tab.goto(url)
            tab.evaluate("window.loaded = true")
            tab.wait_for_timeout(1000)  # its stream is open: a page that reloads at once has
            assert tab.evaluate("window.loaded")  # not told the server which version it shows
            _edit(site.root / "content/tin/2020-01-14-a.md", "Bản đầu.", "Bản đã sửa.")
            # (Not wait_for_function: the policy forbids it the eval it runs on.)
            tab.get_by_text("Bản đã sửa.").wait_for(timeout=TIMEOUT * 1000)
            assert refused == []
            browser.close()


def test_a_crash_while_rebuilding_is_shown_and_the_preview_goes_on(make_site, monkeypatch):
    site = make_site({"content/tin/2020-01-14-a.md": article()}, CONFIG)
    seen: list[BuildReport] = []
    options = BuildOptions(
        content=site.root / "content", templates=site.root / "templates",
        static=site.root / "static", config=site.root / "site.yaml", drafts=True, preview=True,
        cache_dir=site.root / ".cache",
    )  # fmt: skip
    preview = Preview(options, "/portal/", on_build=lambda report, _: seen.append(report))
    assert not preview.rebuild().failed

    def broken(*args, **kwargs):
        raise RuntimeError("hỏng")

    monkeypatch.setattr(serve, "build", broken)
    assert preview.rebuild().failed
    page = respond(preview.state, "/portal/tin/a/")
    assert "RuntimeError" in html.unescape(page.body.decode())
    monkeypatch.undo()
    assert not preview.rebuild().failed
    assert b"Tin th" in respond(preview.state, "/portal/tin/a/").body
    assert [r.failed for r in seen] == [False, True, False]


def test_a_preview_rebuild_renders_again_only_the_pages_that_changed(make_site, monkeypatch):
    from datetime import datetime

    from sokhcn_site.pipeline import build

    body = "Đoạn đầu, tóm tắt của bài.\n\nĐoạn hai."
    files = {f"content/tin/2020-01-{n:02d}-bai-{n}.md": article(f"Bài {n}", f"2020-01-{n:02d}",
             body=body) for n in range(1, 13)}  # fmt: skip
    site = make_site(files, CONFIG)
    options = BuildOptions(
        content=site.root / "content", templates=site.root / "templates",
        static=site.root / "static", config=site.root / "site.yaml", drafts=True, preview=True,
        cache_dir=site.root / ".cache", jobs=1,
    )  # fmt: skip
    preview = Preview(options, "/portal/", on_build=lambda report, _: None)
    assert not preview.rebuild().failed
    rendered = rendered_pages(monkeypatch)
    site.write("content/tin/2020-01-05-bai-5.md", article("Bài 5", "2020-01-05",
               body=body.replace("hai", "hai, đã sửa")))  # fmt: skip
    again = preview.rebuild()
    assert rendered == ["tin/bai-5/index.html"]  # its listing and "Các tin khác" show no body
    monkeypatch.undo()
    fresh = build(options, now=datetime.now().astimezone(), write=False)
    assert {o.path: o.data for o in again.outputs} == {o.path: o.data for o in fresh.outputs}
    assert "hai, đã sửa" in respond(preview.state, "/portal/tin/bai-5/").body.decode()


def test_serve_builds_in_one_process_beside_its_http_threads():
    from sokhcn_site.cli import _parser, _serve_options

    args = _parser().parse_args(["serve", "--port", "0"])
    options = _serve_options(args)
    assert options.jobs == 1 and options.drafts and options.preview
