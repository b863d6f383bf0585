"""Serve a built site on 127.0.0.1 under its base path, in a thread (tests, benchmarks)."""

from __future__ import annotations

import contextlib
import functools
import tempfile
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serving(folder: Path, base_path: str = "/") -> Iterator[str]:
    """Serve `folder` at http://127.0.0.1:<port><base_path>; yield that URL."""
    with tempfile.TemporaryDirectory() as www:
        served = folder.resolve()
        mount = base_path.strip("/")
        if mount:  # a sub-path: mount the folder there in an empty root
            (Path(www) / mount).parent.mkdir(parents=True, exist_ok=True)
            (Path(www) / mount).symlink_to(served, target_is_directory=True)
            served = Path(www)
        server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=served))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}/{mount + '/' if mount else ''}"
        finally:
            server.shutdown()
            server.server_close()
