"""A build that fails for any reason leaves the published site as it was, and no debris."""

import errno
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import article

from sokhcn_site import cache, write
from sokhcn_site.model import Output

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import corpus

CAT = "tin"

# Runs the CLI with a staging step that stalls after a few files, so a test can kill it there.
_SLOW_BUILD = """
import sys, time
from pathlib import Path
from sokhcn_site import write
from sokhcn_site.model import Output
from sokhcn_site.cli import main

marker, real, written = Path(sys.argv[1]), write._create, []

def slow(path, data):
    written.append(path)
    if len(written) == 5:
        marker.write_text("staging")
        time.sleep(120)
    return real(path, data)

write._create = slow
sys.exit(main(sys.argv[2:]))
"""


@pytest.fixture
def published(make_site):
    """A site that built once, with content changed since, so the next build writes."""
    site = make_site(
        {
            f"content/{CAT}/2020-01-0{d}-a{d}.md": article(f"A{d}", f"2020-01-0{d}")
            for d in range(1, 6)
        }
    )
    assert site.build().code == 0
    site.write(f"content/{CAT}/2020-01-09-moi.md", article("Tin mới", "2020-01-09"))
    return site


def _fail_after(count: int, exc: BaseException):
    """write._create (which writes every new file of a stage), failing after `count` files."""
    real, calls = write._create, []

    def create(path: str, data: bytes) -> None:
        calls.append(path)
        if len(calls) > count:
            raise exc
        real(path, data)

    return create


def test_a_crash_halfway_through_writing_keeps_the_old_site(published, monkeypatch):
    before = published.snapshot()
    monkeypatch.setattr(write, "_create", _fail_after(3, RuntimeError("crash")))
    with pytest.raises(RuntimeError, match="crash"):
        published.build()
    assert published.snapshot() == before
    assert published.staging_folders() == []


def test_ctrl_c_while_writing_exits_130_and_keeps_the_old_site(published, monkeypatch):
    before = published.snapshot()
    monkeypatch.setattr(write, "_create", _fail_after(3, KeyboardInterrupt()))
    result = published.build()
    assert result.code == 130
    assert "Đã dừng; thư mục đầu ra được giữ nguyên." in result.err
    assert published.snapshot() == before
    assert published.staging_folders() == []


def test_a_full_disk_is_a_clear_error_and_keeps_the_old_site(published, monkeypatch):
    before = published.snapshot()
    full = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "public/x/index.html")
    monkeypatch.setattr(write, "_create", _fail_after(3, full))
    result = published.build()
    assert result.code == 1
    assert "Traceback" not in result.err
    assert result.err == (
        f"{published.output}:1: error: không ghi được trang web (ổ đĩa đã đầy: "
        "public/x/index.html); trang web cũ được giữ nguyên, hãy giải phóng chỗ trống hoặc "
        "sửa quyền ghi rồi xuất bản lại\n"
    )
    assert "Không xuất bản: 1 lỗi" in result.out
    assert published.snapshot() == before
    assert published.staging_folders() == []


def test_a_bare_disk_full_error_is_named_too(published, monkeypatch):
    monkeypatch.setattr(write, "_create", _fail_after(0, OSError(errno.ENOSPC)))
    result = published.build()
    assert result.code == 1
    assert f"{published.output}:1: error: không ghi được trang web (ổ đĩa đã đầy: " in result.err


def test_content_and_template_errors_keep_the_old_site(published):
    before = published.snapshot()
    published.write(f"content/{CAT}/hong.md", "---\ntitle: [\n---\n")
    assert published.build().code == 1
    (published.root / f"content/{CAT}/hong.md").unlink()
    (published.root / "templates/listing.html").write_text("{{ listing.nope }}")
    assert published.build().code == 1
    assert published.snapshot() == before
    assert published.staging_folders() == []


def _killed_while_staging(site, sig: int, *args: str) -> subprocess.Popen:
    marker = site.root / "staging.marker"
    process = subprocess.Popen(
        [sys.executable, "-c", _SLOW_BUILD, str(marker), *site.argv("build", *args)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    while not marker.exists():
        assert process.poll() is None, process.communicate()
        time.sleep(0.05)
    process.send_signal(sig)
    process.wait(timeout=60)
    return process


def test_sigint_during_staging_exits_130_and_cleans_up(published):
    before = published.snapshot()
    process = _killed_while_staging(published, signal.SIGINT)
    assert process.returncode == 130, process.stderr.read()
    assert published.snapshot() == before
    assert published.staging_folders() == []


def _children(pid: int) -> list[str]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return path.read_text().split() if path.exists() else []


def test_two_builds_at_once_sharing_a_cache_each_publish_their_own_site(make_site):
    """They used to stage in each other's spare copy and record each other's files."""
    site = make_site({})
    corpus.generate_corpus(site.root, 200)
    sites = {"a": "https://a.example/", "b": "https://b.example/x/"}

    def command(name: str) -> list[str]:
        argv = site.argv("build", "--output", str(site.root / name), "--base-url", sites[name])
        return [sys.executable, "-m", "sokhcn_site.cli", *argv]

    for round in range(3):
        site.write(f"content/thong-bao/2021-03-0{round + 1}-t{round}.md", article(f"T{round}"))
        both = [subprocess.Popen(command(name), stderr=subprocess.PIPE) for name in sites]
        assert [process.wait(timeout=120) for process in both] == [0, 0]
        for name, other in (("a", sites["b"]), ("b", sites["a"])):
            files = (site.root / name).rglob("*.html")
            assert not [f for f in files if other.encode() in f.read_bytes()], (round, name)


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux's /proc")
def test_ctrl_c_while_workers_parse_stops_the_build_cleanly(make_site):
    """Ctrl-C reaches the terminal's whole process group, the build's workers included: one
    that died of it while reading its work held the build for ever, now and then."""
    site = make_site({})
    corpus.generate_corpus(site.root, 300)
    assert site.build().code == 0
    before = site.snapshot()
    command = [sys.executable, "-m", "sokhcn_site.cli", *site.argv("build", "--no-cache")]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)  # fmt: skip
    while len(_children(process.pid)) < 2:  # the pool's workers are at work
        assert process.poll() is None, process.communicate()
        time.sleep(0.002)
    os.killpg(process.pid, signal.SIGINT)  # as a terminal's Ctrl-C
    _, err = process.communicate(timeout=60)  # (stderr is open until every worker ends)
    assert process.returncode == 130
    assert err == "Đã dừng; thư mục đầu ra được giữ nguyên.\n"  # no worker's traceback
    assert site.snapshot() == before
    assert site.staging_folders() == []


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux's /proc")
def test_workers_end_with_a_build_that_is_killed(make_site):
    site = make_site({})
    corpus.generate_corpus(site.root, 300)
    command = [sys.executable, "-m", "sokhcn_site.cli", *site.argv("build", "--no-cache")]
    process = subprocess.Popen(command, stderr=subprocess.DEVNULL)
    while len(workers := _children(process.pid)) < 2:
        assert process.poll() is None
        time.sleep(0.002)
    process.kill()
    process.wait()
    deadline = time.monotonic() + 30
    while any(Path(f"/proc/{pid}").exists() for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers)  # none waits for work


def test_after_sigkill_the_old_site_stays_and_the_next_build_removes_the_debris(published):
    before = published.snapshot()
    # With the cache, the stage is the recycled site before last in the cache folder, which
    # the next build puts right whatever it holds; without, it is a sibling of the output.
    process = _killed_while_staging(published, signal.SIGKILL, "--no-cache")
    assert process.returncode == -signal.SIGKILL
    assert published.snapshot() == before
    [stale] = published.staging_folders()
    assert stale.startswith(".public.new-")
    other = published.root / ".other.new-keep"  # not ours: a different output folder's
    other.mkdir()
    assert published.build().code == 0
    assert published.staging_folders() == []
    assert other.is_dir()
    assert published.html(f"{CAT}/moi/index.html").findtext(".//h1") == "Tin mới"


def test_the_output_folder_may_not_overlap_an_input(published):
    content = published.root / "content"
    files = sorted(content.rglob("*"))
    cache = ["--cache-dir", str(published.output / ".cache")]
    for args in (["--output", str(content)], ["--output", str(content / "public")],
                 ["--output", str(published.root)], ["--output", str(published.root / "templates")],
                 cache):  # fmt: skip
        result = published.build(*args)
        assert result.code == 2, args
        assert "--output must be a folder of its own" in result.err
    assert sorted(content.rglob("*")) == files


def test_an_output_that_is_a_file_or_a_cache_in_the_content_is_a_usage_error(published):
    before = published.snapshot()
    afile = published.root / "mot-tep"
    afile.write_text("không phải thư mục")
    as_file = published.build("--output", str(afile))
    assert as_file.code == 2
    assert as_file.err == f"{afile}:1: error: --output names a file, not a folder\n"
    cache = published.root / "content" / CAT / "cache"
    inside = published.build("--cache-dir", str(cache))
    assert inside.code == 2
    assert f"{cache}:1: error: --cache-dir may not be inside --content" in inside.err
    assert not cache.exists()  # it would have been published with the site
    assert published.snapshot() == before


def test_a_cache_folder_that_cannot_be_written_is_a_warning(published):
    """The site is right without a cache: the build stages beside the output instead."""
    blocked = published.root / "mot-tep"
    blocked.write_text("không phải thư mục")
    cache = blocked / "cache"
    result = published.build("--cache-dir", str(cache))
    assert result.code == 0, result.err
    assert result.err == (
        f"{cache / 'build'}:1: warning: không ghi được bộ nhớ đệm (Not a directory); "
        "trang web vẫn đúng, nhưng lần dựng sau có thể chậm hơn\n"
    )
    assert published.html(f"{CAT}/moi/index.html").findtext(".//h1") == "Tin mới"
    assert published.staging_folders() == []


def test_ctrl_c_while_the_cache_is_saved_says_the_site_is_out(published, monkeypatch):
    """The swap is done by then: "the output folder is kept" would be wrong."""

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cache, "save", interrupted)
    result = published.build()
    assert result.code == 0
    assert result.err == (f"{published.root / '.cache' / 'build'}:1: warning: đã dừng (Ctrl-C) "
                          "khi đang lưu bộ nhớ đệm, sau khi trang web mới đã được xuất bản; "
                          "lần dựng sau có thể chậm hơn\n")  # fmt: skip
    assert published.html(f"{CAT}/moi/index.html").findtext(".//h1") == "Tin mới"
    monkeypatch.undo()
    assert published.build().code == 0  # and the next build is right


def test_a_linked_output_folder_stays_a_link_and_gets_the_new_site(published, tmp_path):
    webroot = tmp_path / "www" / "sokhcn"
    webroot.parent.mkdir()
    published.output.rename(webroot)
    published.output.symlink_to(webroot)
    assert published.build().code == 0
    assert published.output.is_symlink() and published.output.resolve() == webroot
    assert (webroot / CAT / "moi/index.html").is_file()
    assert published.staging_folders() == []
    assert [p.name for p in webroot.parent.iterdir()] == ["sokhcn"]


def _files(root: Path) -> dict[str, int]:
    return {p.relative_to(root).as_posix(): p.stat().st_ino for p in root.rglob("*") if p.is_file()}


def test_mirror_links_the_current_site_into_the_spare(tmp_path):
    site, spare = tmp_path / "public", tmp_path / "spare"
    for name in ("index.html", "tin/a/index.html", "tin/b/index.html", "static/css/site.css"):
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(name)
    found = write.mirror(spare, site)
    assert _files(spare) == _files(site)  # the very files: hard links
    assert found == write.survey(spare)
    # Later: the site changed; the spare holds an old copy, with files the site has no more.
    (site / "tin/a/index.html").unlink()
    (site / "tin/a/index.html").write_text("mới")
    (spare / "cu.html").write_text("cũ")
    found = write.mirror(spare, site)
    assert _files(spare) == _files(site) | {"cu.html": (spare / "cu.html").stat().st_ino}
    assert found == write.survey(spare)


def test_mirror_leaves_what_is_in_the_way_to_recycling(tmp_path):
    site, spare = tmp_path / "public", tmp_path / "spare"
    (site / "tin/a").mkdir(parents=True)
    (site / "tin/a/index.html").write_text("a")
    (site / "lien-he").write_text("a file where the spare has a folder")
    (spare / "lien-he").mkdir(parents=True)
    (spare / "lien-he/index.html").write_text("x")
    (spare / "tin").write_text("a file where the site has a folder")
    found = write.mirror(spare, site)
    assert found == write.survey(spare)  # what it says is there, is there
    assert (spare / "tin").is_file()


def test_no_spare_is_made_for_a_site_not_built_yet(tmp_path):
    assert write.mirror(tmp_path / "spare", tmp_path / "public") == write.NOTHING
    assert not (tmp_path / "spare").exists()


def test_a_spare_that_is_a_file_is_left_to_open_stage(published):
    spare = published.root / ".cache" / "spare-output"
    shutil.rmtree(spare, ignore_errors=True)  # a first build leaves none
    spare.write_text("not a folder")
    assert write.mirror(spare, published.output) == write.NOTHING
    assert published.build().code == 0
    assert spare.is_dir()


def test_a_stage_never_writes_into_a_file_it_shares_with_the_site(tmp_path):
    site, spare = tmp_path / "public", tmp_path / "spare"
    (site / "tin").mkdir(parents=True)
    (site / "tin/index.html").write_text("đang đăng")
    write.mirror(spare, site)  # the spare's file is the site's, by a hard link
    stage = write.Stage(spare, site, {}, spare=True)  # as if the survey had missed it
    assert stage.put(Output("tin/index.html", b"new"))
    assert (site / "tin/index.html").read_text() == "đang đăng"
    assert (spare / "tin/index.html").read_bytes() == b"new"
