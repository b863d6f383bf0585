"""Preview server: build into memory, serve under the base path, rebuild and reload on change."""

from __future__ import annotations

import html
import mimetypes
import queue
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import watchfiles

from .errors import Diagnostic, error
from .pipeline import BuildOptions, BuildReport, build

# The preview's own files. No file of a site can be there: hidden names never are (but for
# content/.well-known/), and under a base path such as /portal/ the root is not the site's.
PREVIEW_PREFIX = "/.sokhcn/"
EVENTS_PATH = PREVIEW_PREFIX + "events"
SCRIPT_PATH = PREVIEW_PREFIX + "livereload.js"
_KEEP_ALIVE_SECONDS = 15.0
_SEVERITY = {"error": "lỗi", "warning": "cảnh báo"}
# Told of each build (the report and its seconds) so the CLI can say what happened.
BuildListener = Callable[[BuildReport, float], None]

# A file, not inline code, so that a page whose server sends a Content-Security-Policy with
# script-src 'self' reloads in the preview too. It reloads the tab when the site's version
# moves on from the page's (its tag's data-version); the server compares versions.
LIVE_RELOAD = f"""(function () {{
  var version = document.currentScript.dataset.version;
  var events = new EventSource("{EVENTS_PATH}?v=" + encodeURIComponent(version));
  events.addEventListener("reload", function () {{ events.close(); location.reload(); }});
}})();
"""


def reload_script(version: str) -> str:
    """The tag that loads LIVE_RELOAD into a page of the site at `version`."""
    return f'<script src="{SCRIPT_PATH}" data-version="{html.escape(version)}" defer></script>'


def inject(page: bytes, script: str) -> bytes:
    """`page` with `script` just before its last </body>, or at the end if it has none."""
    position = page.rfind(b"</body>")
    if position < 0:
        return page + script.encode()
    return page[:position] + script.encode() + page[position:]


def error_page(diagnostics: Iterable[Diagnostic]) -> bytes:
    """The list of problems, shown in the browser instead of the site until they are fixed."""
    items = "\n".join(
        f"<li><code>{html.escape(d.path)}:{d.line}</code> "
        f"<strong>{_SEVERITY[d.severity]}</strong>: {html.escape(d.message)}</li>"
        for d in diagnostics
    )
    return (
        '<!doctype html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
        "<title>Lỗi khi dựng trang web</title>\n<style>body{font-family:system-ui,sans-serif;"
        "margin:2rem;line-height:1.5}li{margin:.5rem 0}code{background:#fee2e2;padding:0 .25rem}"
        "</style>\n</head>\n<body>\n<h1>Chưa dựng được trang web</h1>\n"
        "<p>Sửa các lỗi dưới đây rồi lưu tệp; trang sẽ tự tải lại.</p>\n"
        f'<ul class="diagnostics">\n{items}\n</ul>\n</body>\n</html>\n'
    ).encode()


class SiteState:
    """The latest build, shared by the request threads, the watcher and the event streams."""

    def __init__(self, base_path: str) -> None:
        self._changed = threading.Condition()
        self._files: dict[str, bytes] = {}
        self._problems: tuple[Diagnostic, ...] = ()
        self._instance = str(time.time_ns())
        self._generation = 0
        self.stopped = False
        self.base_path = base_path  # follows site.yaml's base_url from build to build

    def publish(self, report: BuildReport) -> None:
        with self._changed:
            if report.site is not None:
                self.base_path = report.site.config.base_path
            if report.failed:
                self._problems = report.diagnostics
            else:
                self._files = {o.path: o.data for o in report.outputs}
                self._problems = ()
            self._generation += 1
            self._changed.notify_all()

    def stop(self) -> None:
        with self._changed:
            self.stopped = True
            self._changed.notify_all()

    @property
    def version(self) -> str:
        # The instance part makes tabs from an earlier run of the server reload too.
        return f"{self._instance}-{self._generation}"

    def snapshot(self) -> tuple[str, str, dict[str, bytes], tuple[Diagnostic, ...]]:
        """Version, base path, files and problems of the latest build, all from the same one."""
        with self._changed:
            return self.version, self.base_path, self._files, self._problems

    def wait_for_change(self, seen: str, timeout: float) -> str | None:
        """The new version once it differs from `seen`; `seen` after a timeout; None on stop."""
        with self._changed:
            self._changed.wait_for(lambda: self.stopped or self.version != seen, timeout)
            return None if self.stopped else self.version


@dataclass(frozen=True, slots=True)
class Response:
    status: HTTPStatus
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    location: str | None = None


def respond(state: SiteState, path: str) -> Response:
    """What to answer for a GET of `path` (already URL-decoded), from the state's latest build."""
    version, base_path, files, problems = state.snapshot()
    if path == SCRIPT_PATH:
        return Response(HTTPStatus.OK, LIVE_RELOAD.encode(), "text/javascript; charset=utf-8")
    if not path.startswith(base_path):
        if path + "/" == base_path or path == "/":
            return Response(HTTPStatus.FOUND, location=base_path)
        return Response(HTTPStatus.NOT_FOUND, b"Not found", "text/plain; charset=utf-8")
    script = reload_script(version)
    if problems:
        return Response(HTTPStatus.OK, inject(error_page(problems), script))
    rel = path[len(base_path) :]
    if rel == "" or rel.endswith("/"):
        rel += "index.html"
    if rel not in files:
        if f"{rel}/index.html" in files:
            return Response(HTTPStatus.MOVED_PERMANENTLY, location=path + "/")
        return Response(HTTPStatus.NOT_FOUND, inject(files.get("404.html", b""), script))
    body = files[rel]
    kind = mimetypes.guess_type(rel)[0] or "application/octet-stream"
    if kind == "text/html":
        return Response(HTTPStatus.OK, inject(body, script))
    if kind.startswith("text/") or kind.endswith("xml"):
        kind += "; charset=utf-8"
    return Response(HTTPStatus.OK, body, kind)


class _Handler(BaseHTTPRequestHandler):
    server: PreviewServer

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path == EVENTS_PATH:
            self._events(parse_qs(url.query).get("v", [""])[0])
        else:
            self._answer(url.path, with_body=True)

    def do_HEAD(self) -> None:
        self._answer(urlsplit(self.path).path, with_body=False)

    def _answer(self, path: str, *, with_body: bool) -> None:
        answer = respond(self.server.state, unquote(path))
        self.send_response(answer.status)
        if answer.location:
            self.send_header("Location", answer.location)
        self.send_header("Content-Type", answer.content_type)
        self.send_header("Content-Length", str(len(answer.body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if with_body:
            self.wfile.write(answer.body)

    def _events(self, seen: str) -> None:
        """Server-sent events: `reload` whenever the site's version differs from the page's."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        state = self.server.state
        seen = seen or state.version
        self.wfile.write(b"retry: 1000\n\n")
        self.wfile.flush()
        while (version := state.wait_for_change(seen, _KEEP_ALIVE_SECONDS)) is not None:
            message = f"event: reload\ndata: {version}\n\n" if version != seen else ": ping\n\n"
            self.wfile.write(message.encode())
            self.wfile.flush()
            seen = version

    def log_message(self, format: str, *args: object) -> None:
        pass  # the CLI reports builds; one line per request would drown them


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True  # open event streams must not hold up Ctrl-C

    def __init__(self, address: tuple[str, int], state: SiteState) -> None:
        super().__init__(address, _Handler)
        self.state = state

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]
        # else a tab was closed mid-answer, which is not news


class _StopEvent:
    """What watchfiles.watch asks whether to stop, every 50 ms from the moment its watches
    are set up: the first question tells `on_ready` that no change will be missed from now."""

    def __init__(self, stop: threading.Event, on_ready: Callable[[], object] | None) -> None:
        self._stop = stop
        self._on_ready = on_ready

    def is_set(self) -> bool:
        if self._on_ready is not None:
            ready, self._on_ready = self._on_ready, None
            ready()
        return self._stop.is_set()


class Preview:
    """Builds the site into a SiteState, and again whenever an input changes.

    The watchers, on their threads, only say that something changed; `follow` rebuilds, on the
    main thread, where parse_timeout can interrupt a body that makes Python-Markdown crawl.
    """

    def __init__(self, options: BuildOptions, base_path: str, on_build: BuildListener) -> None:
        self.options = options
        self.on_build = on_build
        self.state = SiteState(base_path)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._watchers: list[threading.Thread] = []
        self._changes: queue.SimpleQueue[bool] = queue.SimpleQueue()  # False: stop following
        # The last build that made files: the next takes those whose render keys are the same.
        self._earlier: BuildReport | None = None

    def rebuild(self) -> BuildReport:
        with self._lock:
            started = time.perf_counter()
            now = datetime.now().astimezone()
            try:
                report = build(self.options, now=now, write=False, earlier=self._earlier)
            except Exception as exc:  # a bug must not end the preview; show it as a problem
                problem = error("sokhcn-site", 1, f"lỗi của chương trình khi dựng trang: {exc!r}")
                report = BuildReport((problem,))
            if report.outputs:  # (not the rest of the report: the site, the working data)
                self._earlier = BuildReport((), outputs=report.outputs, keys=report.keys)
            self.state.publish(report)
            self.on_build(report, time.perf_counter() - started)
            return report

    def start_watching(self) -> None:
        for folder in (self.options.content, self.options.templates, self.options.static):
            self._watch(folder, recursive=True, only=None)
        config = self.options.config.resolve()  # as the watcher names it: `../site.yaml` too
        # site.yaml's folder is watched on its own, not recursively: it usually also holds
        # public/ and .git/, whose thousands of folders would each cost a watch.
        self._watch(config.parent, recursive=False, only=config)

    def _watch(self, folder: Path, *, recursive: bool, only: Path | None) -> None:
        thread = threading.Thread(
            target=self._keep_watching, args=(folder, recursive, only), name="sokhcn-watch",
            daemon=True,
        )  # fmt: skip
        thread.start()
        self._watchers.append(thread)

    def _keep_watching(self, folder: Path, recursive: bool, only: Path | None) -> None:
        """Watch `folder` until `stop`, and again whenever it comes back after being deleted
        or moved away: a watch stays with the folder it began on, and `git checkout` or
        `rm -r templates && cp -r ...` leave that one gone for good."""
        usual = watchfiles.DefaultFilter()  # skips editors' swap and backup files

        def wanted(change: watchfiles.Change, path: str) -> bool:
            return usual(change, path) and (only is None or Path(path) == only)

        there = folder.is_dir()  # then the first build reads what it holds
        while self._wait_for(folder):
            # What came back with it made no event: a rebuild reads it, once it is watched.
            on_ready = None if there else partial(self._changes.put, True)
            there = False
            itself = folder.resolve()  # the watcher names paths as it was given them
            try:
                for changes in watchfiles.watch(
                    itself,
                    watch_filter=None,  # `only` would hide the folder's own going
                    recursive=recursive,
                    stop_event=_StopEvent(self._stop, on_ready),
                    raise_interrupt=False,
                ):
                    if any(wanted(change, path) for change, path in changes):
                        self._changes.put(True)
                    if (watchfiles.Change.deleted, str(itself)) in changes:
                        break  # it went (perhaps came back already): watch what is there now
            except FileNotFoundError:
                pass  # it went before its watch began

    def _wait_for(self, folder: Path) -> bool:
        """Whether `folder` is there, at once or once it is back; False on `stop`."""
        # Asked every quarter second rather than watched: its parent may be gone too.
        while not folder.is_dir():
            if self._stop.wait(0.25):
                return False
        return not self._stop.is_set()

    def follow(self) -> None:
        """Rebuild after every change the watchers see, until `stop`; changes seen while
        rebuilding make one rebuild."""
        while self._changes.get():
            while not self._changes.empty():
                if not self._changes.get():
                    return
            self.rebuild()

    def stop(self) -> None:
        self._changes.put(False)
        self._stop.set()
        self.state.stop()
        for thread in self._watchers:
            thread.join(timeout=5)
