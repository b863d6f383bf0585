"""What a build prints: a bar for people at a terminal, plain lines for CI, --quiet, --verbose."""

from __future__ import annotations

import os
import pty
import subprocess
import sys

import pytest
from conftest import article

from sokhcn_site.progress import THRESHOLD

CAT = "tin"
BAR_CONTROLS = ("\r", "\x1b")


def _large_site(make_site):
    files = {
        f"content/{CAT}/2020-01-14-tin-{n}.md": article(f"Tin {n}", body=f"Nội dung {n}.")
        for n in range(THRESHOLD + 1)
    }
    return make_site(files)


def _build_on_a_terminal(site, env: dict[str, str]) -> tuple[int, str, str]:
    """Run a build with stderr on a pseudo-terminal, as when an editor runs it by hand."""
    controller, terminal = pty.openpty()
    command = [sys.executable, "-m", "sokhcn_site.cli", "build", *site.inputs(),
               "--output", str(site.output)]  # fmt: skip
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=terminal, env=env, cwd=site.root
    )
    os.close(terminal)
    seen = b""
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the terminal is gone once the build has ended
            break
        if not chunk:
            break
        seen += chunk
    os.close(controller)
    out = process.stdout.read() if process.stdout else b""
    code = process.wait(timeout=60)
    return code, out.decode(), seen.decode("utf-8", "replace")


def _environment(ci: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    return {**env, "CI": "true"} if ci else env


def test_a_terminal_shows_a_progress_bar(make_site):
    site = _large_site(make_site)
    code, out, err = _build_on_a_terminal(site, _environment(ci=False))
    assert code == 0, err
    assert "Đọc bài viết" in err and "Tạo trang HTML" in err
    assert "\r" in err and "%|" in err  # the bar redraws itself in place
    assert out.startswith(f"Đã xuất bản {THRESHOLD + 1} bài viết")


@pytest.mark.parametrize("on_terminal", [True, False])
def test_ci_gets_plain_lines_only(make_site, on_terminal):
    site = _large_site(make_site)
    if on_terminal:
        code, out, err = _build_on_a_terminal(site, _environment(ci=True))
        err = err.replace("\r\n", "\n")  # the terminal's own line endings
    else:
        result = site.build()
        code, out, err = result.code, result.out, result.err
    assert code == 0, err
    assert not [c for c in BAR_CONTROLS if c in err + out]
    assert err.splitlines() == [
        f"Đọc bài viết: {THRESHOLD + 1} tệp",
        f"Tạo trang HTML: {sum(rel.endswith('.html') for rel in site.files())} trang",
    ]


def test_a_small_site_prints_only_the_summary(make_site):
    site = make_site({f"content/{CAT}/2020-01-14-a.md": article()})
    result = site.build()
    assert result.code == 0
    assert result.err == ""
    assert result.out.splitlines() == [result.out.strip()]
    for words in ("1 bài viết", "0 trang tĩnh", "nguồn tin RSS/Atom", "0 cảnh báo", "giây"):
        assert words in result.out


def test_quiet_prints_errors_only(make_site):
    warned = "---\ntitle: A\ndate: 2020-01-14\nauthr: B\n---\nx\n"
    site = make_site({f"content/{CAT}/2020-01-14-a.md": warned})
    assert "warning" in site.build().err
    quiet = site.build("--quiet")
    assert (quiet.code, quiet.out, quiet.err) == (0, "", "")
    site.write(f"content/{CAT}/2020-01-15-b.md", "---\ntitle: B\n---\n")
    failed = site.build("-q")
    assert failed.code == 1
    assert failed.out == ""
    assert failed.err.splitlines() == [
        f"{site.root}/content/{CAT}/2020-01-15-b.md:1: error: "
        "thiếu 'date': thêm dòng `date: 2020-01-14` vào phần đầu bài"
    ]


def test_verbose_lists_every_file_written(make_site):
    site = make_site({f"content/{CAT}/2020-01-14-a.md": article()})
    result = site.build("--verbose")
    assert result.code == 0
    *listed, summary = result.out.splitlines()
    assert listed == [f"{site.output}/{rel}" for rel in sorted(site.files())]
    assert summary.startswith("Đã xuất bản 1 bài viết")
    assert site.build("--quiet", "--verbose").code == 2
