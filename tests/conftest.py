"""Build small real sites in a temporary folder and read them as their consumers do."""

from __future__ import annotations

import contextlib
import io
import shutil
import signal
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import lxml.html
import pytest
import yaml

from sokhcn_site import publish
from sokhcn_site.cli import main

ROOT = Path(__file__).resolve().parent.parent

# A shell that starts a command in the background without job control (`bash .ci/run &` in
# a script) ignores SIGINT in it, and every process it starts inherits that: the builds and
# servers these tests stop as Ctrl-C does would not stop. A handler, unlike SIG_IGN, is not
# inherited across exec, so every process started from here has Ctrl-C's default again.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


def rendered_pages(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths of the pages rendered in this process from now on."""
    rendered: list[str] = []
    real = publish.render_page
    monkeypatch.setattr(publish, "render_page", lambda env, job: rendered.append(job.path)
                        or real(env, job))  # fmt: skip
    return rendered


def _stamps(folder: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} if folder.is_dir() else {}


@pytest.fixture(autouse=True, scope="session")
def _repository_cache_left_alone():
    """Tests build in tmp_path: the repository's .cache/ is the editors' (its tools aside)."""
    folder = ROOT / ".cache"
    before = _stamps(folder)
    yield
    after = _stamps(folder)
    changed = {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}
    assert changed <= {"tools", "bench"}, f"a test wrote {sorted(changed)} in {folder}"


BASE_CONFIG: dict[str, Any] = {
    "name": "Sở Thử Nghiệm",
    "base_url": "https://example.test/",
    "footer": {
        "name": "Sở Thử Nghiệm",
        "address": "1 Đường Thử",
        "phone": "0237 000 000",
        "fax": "0237 000 001",
        "editor_in_chief": "Nguyễn Văn A - Giám đốc Sở",
    },
}


def article(
    title: str = "Tin thử", date: str = "2020-01-14", body: str = "Nội dung.", **fields: Any
) -> str:
    """The text of an article file with the given front matter."""
    front = {"title": title, "date": date, **fields}
    return (
        "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n" + body + "\n"
    )


@dataclass
class Result:
    code: int
    out: str
    err: str


@dataclass
class SiteDir:
    root: Path

    @property
    def output(self) -> Path:
        return self.root / "public"

    def write(self, rel: str, text: str | bytes) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    def inputs(self) -> list[str]:
        """The options naming this site's input folders and config, for any command."""
        return [
            "--content", str(self.root / "content"), "--templates", str(self.root / "templates"),
            "--static", str(self.root / "static"), "--config", str(self.root / "site.yaml"),
        ]  # fmt: skip

    def argv(self, command: str, *args: str) -> list[str]:
        """The command line of `command` (build or check) on this site's folders."""
        return [
            command, *self.inputs(), "--output", str(self.output),
            "--cache-dir", str(self.root / ".cache"), *args,
        ]  # fmt: skip

    def build(self, *args: str) -> Result:
        return self.run(*self.argv("build", *args))

    def check(self, *args: str) -> Result:
        return self.run(*self.argv("check", *args))

    def run(self, *argv: str) -> Result:
        """Run the command line in this process, capturing what it prints."""
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(argv))
            except SystemExit as exc:  # argparse's usage errors
                code = int(exc.code or 0)
        return Result(code, out.getvalue(), err.getvalue())

    def html(self, rel: str) -> lxml.html.HtmlElement:
        return lxml.html.fromstring((self.output / rel).read_bytes())

    def snapshot(self) -> dict[str, tuple[bytes, int]]:
        """Every output file's bytes and modification time: "untouched" means equal."""
        return {
            p.relative_to(self.output).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(self.output.rglob("*"))
            if p.is_file()
        }

    def staging_folders(self) -> list[str]:
        return sorted(p.name for p in self.root.iterdir() if p.name.startswith(".public."))

    def files(self) -> dict[str, bytes]:
        return {
            p.relative_to(self.output).as_posix(): p.read_bytes()
            for p in sorted(self.output.rglob("*"))
            if p.is_file()
        }


def create_site(
    root: Path, files: dict[str, str | bytes], config: dict[str, Any] | None = None
) -> SiteDir:
    """A site folder at `root` with the repository's templates and static files."""
    site = SiteDir(root)
    shutil.copytree(ROOT / "templates", site.root / "templates")
    shutil.copytree(ROOT / "static", site.root / "static")
    (site.root / "content").mkdir(parents=True)
    merged = {**BASE_CONFIG, **(config or {})}
    site.write("site.yaml", yaml.safe_dump(merged, allow_unicode=True, sort_keys=False))
    for rel, text in files.items():
        site.write(rel, text)
    return site


@pytest.fixture
def make_site(tmp_path: Path):
    def make(
        files: dict[str, str | bytes], config: dict[str, Any] | None = None, name: str = "site"
    ) -> SiteDir:
        return create_site(tmp_path / name, files, config)

    return make
