"""Incremental builds give exactly the site a clean build gives, and touch nothing needlessly."""

from __future__ import annotations

import errno
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import article, rendered_pages

from sokhcn_site import cache, feeds, parsing, records
from sokhcn_site.parse import Parsed

CAT, OTHER = "tin-hoat-dong-cua-so", "thong-bao"
CONFIG = {"page_size": 4, "feed_size": 5, "other_news": 3, "categories": {CAT: "Tin", OTHER: "TB"}}


def _articles(count: int) -> dict[str, str]:
    files = {}
    for n in range(1, count + 1):
        folder = CAT if n % 3 else OTHER
        body = f"Đoạn **{n}** với [liên kết](https://example.org/{n}).\n\n- một\n- hai\n"
        files[f"content/{folder}/2021-03-{n:02d}-bai-{n}.md"] = article(
            f"Bài số {n}", f"2021-03-{n:02d} 08:00", body=body, author="Tác giả"
        )
    return files


def _tree(root: Path) -> dict[str, bytes]:
    files = sorted(p for p in root.rglob("*") if p.is_file())
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in files}


def _same_as_clean_build(site, tmp_path: Path) -> None:
    clean = tmp_path / "clean"
    assert site.build("--no-cache", "--output", str(clean)).code == 0
    assert site.files() == _tree(clean)


@pytest.fixture
def built(make_site):
    site = make_site(_articles(12), CONFIG)
    assert site.build().code == 0
    return site


def _path(n: int) -> str:
    return f"content/{CAT if n % 3 else OTHER}/2021-03-{n:02d}-bai-{n}.md"


def test_editing_a_body_changes_its_page_and_feeds_like_a_clean_build(built, tmp_path):
    built.write(_path(11), article("Bài số 11", "2021-03-11 08:00", body="Nội dung **mới**."))
    result = built.build()
    assert result.code == 0
    assert built.html(f"{CAT}/bai-11/index.html").xpath("string(//div[@class='body']//strong)") == (
        "mới"
    )
    _same_as_clean_build(built, tmp_path)


def test_feeds_are_made_only_when_an_article_they_show_changed(built, tmp_path, monkeypatch):
    made = []
    real = feeds._feed  # make_feed itself is part of the feeds' keys
    monkeypatch.setattr(feeds, "_feed", lambda *args: made.append(args[4]) or real(*args))
    built.write(_path(1), article("Bài số 1", "2021-03-01 08:00", body="Thân bài mới."))
    assert built.build().code == 0
    assert made == []  # the oldest article: no feed shows it
    built.write(_path(12), article("Bài số 12", "2021-03-12 08:00", body="Thân bài mới."))
    assert built.build().code == 0
    assert sorted(made) == ["atom.xml", "rss.xml", f"{OTHER}/rss.xml"]
    _same_as_clean_build(built, tmp_path)


def test_a_body_edit_renders_its_own_page_and_no_other(built, monkeypatch):
    rendered = rendered_pages(monkeypatch)
    lead = "Đoạn **5** với [liên kết](https://example.org/5)."  # its summary: as it was
    body = f"{lead}\n\n- một\n- hai\n- ba mới thêm\n"
    built.write(_path(5), article("Bài số 5", "2021-03-05 08:00", body=body, author="Tác giả"))
    assert built.build().code == 0
    assert rendered == [f"{CAT}/bai-5/index.html"]  # not the search page, say: no article there


def test_a_rebuild_renders_with_the_templates_an_earlier_build_compiled(built, monkeypatch):
    import jinja2

    (compiled,) = (built.root / ".cache" / "templates").iterdir()
    assert list(compiled.glob("*.cache"))
    compiles = []
    real = jinja2.Environment.compile
    monkeypatch.setattr(jinja2.Environment, "compile",
                        lambda *a, **k: compiles.append(a[1:2]) or real(*a, **k))  # fmt: skip
    built.write(_path(5), article("Bài số 5 mới", "2021-03-05 08:00"))
    assert built.build().code == 0
    assert compiles == []  # every page it rendered used the code kept from the first build


def test_a_build_under_another_base_path_compiles_its_templates_anew(built, tmp_path):
    # "rss.xml" | url is folded into the compiled template: kept code would keep the old path.
    sub = ("--base-url", "https://example.test/sub/")
    assert built.build(*sub).code == 0
    clean = tmp_path / "clean"
    assert built.build("--no-cache", "--output", str(clean), *sub).code == 0
    assert built.files() == _tree(clean)
    assert b'href="/sub/rss.xml"' in (built.output / "index.html").read_bytes()


def test_a_new_title_reaches_listings_other_news_and_feeds(built, tmp_path):
    built.write(_path(8), article("Tiêu đề đã sửa", "2021-03-08 08:00", body="Thân bài."))
    assert built.build().code == 0
    boxes = built.html(f"{CAT}/bai-10/index.html").xpath("//aside[@class='other-news']//a/text()")
    assert "Tiêu đề đã sửa" in boxes
    assert "Tiêu đề đã sửa" in built.html("page/2/index.html").xpath("//h2/a/text()")
    assert "Tiêu đề đã sửa" in (built.output / "rss.xml").read_text()
    _same_as_clean_build(built, tmp_path)


def test_adding_an_article_shifts_the_listings_like_a_clean_build(built, tmp_path):
    built.write(f"content/{CAT}/2021-03-20-moi.md", article("Bài mới", "2021-03-20 09:00"))
    assert built.build().code == 0
    titles = built.html("index.html").xpath("//ol[@class='article-list']//h2/a/text()")
    assert titles[0] == "Bài mới"
    _same_as_clean_build(built, tmp_path)


def test_deleting_an_article_removes_its_page_and_every_mention(built, tmp_path):
    (built.root / _path(7)).unlink()
    assert built.build().code == 0
    assert not (built.output / CAT / "bai-7").exists()
    assert not any(b"bai-7/" in data for data in built.files().values())
    _same_as_clean_build(built, tmp_path)


def test_a_template_change_rerenders_every_page(built, tmp_path):
    base = built.root / "templates" / "base.html"
    base.write_text(base.read_text().replace("Bỏ qua, đến nội dung chính", "Đến nội dung"))
    assert built.build().code == 0
    pages = [data for path, data in built.files().items() if path.endswith(".html")]
    assert all("Bỏ qua, đến nội dung".encode() not in data for data in pages)
    _same_as_clean_build(built, tmp_path)


def _versions(site, name: str) -> dict[str, list[bytes]]:
    """The version each page asks for of static file `name`."""
    link = re.compile(rb'"/static/' + re.escape(name.encode()) + rb'\?v=(\w+)"')
    pages = {path: data for path, data in site.files().items() if path.endswith(".html")}
    return {path: link.findall(data) for path, data in pages.items()}


def test_a_changed_style_sheet_is_asked_for_anew_by_every_page_a_new_picture_by_none(
    built, tmp_path, monkeypatch
):
    before = _versions(built, "css/site.css")
    assert all(len(found) == 1 for found in before.values())
    [script] = [found for path, found in _versions(built, "js/search.js").items() if found]
    sheet = built.root / "static/css/site.css"
    sheet.write_text(sheet.read_text() + "\n.moi { color: #000; }\n")
    assert built.build().code == 0
    after = _versions(built, "css/site.css")
    assert after.keys() == before.keys()
    assert all(after[path] != before[path] for path in after)
    assert [found for found in _versions(built, "js/search.js").values() if found] == [script]
    _same_as_clean_build(built, tmp_path)
    rendered = rendered_pages(monkeypatch)
    (built.root / "static/img/moi.png").write_bytes(b"\x89PNG")
    assert built.build().code == 0
    assert rendered == []
    assert (built.output / "static/img/moi.png").read_bytes() == b"\x89PNG"


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in [folder, *folder.rglob("*")]
    }


def test_an_article_renamed_to_another_markdown_name_is_rebuilt_like_an_md_file(built, tmp_path):
    renamed = built.root / _path(5).replace("bai-5.md", "Bai-5.MARKDOWN")
    (built.root / _path(5)).rename(renamed)
    result = built.build()
    assert (result.code, result.err) == (0, "")
    _same_as_clean_build(built, tmp_path)
    built.write(
        renamed.relative_to(built.root).as_posix(),
        article("Bài số 5", "2021-03-05 08:00", body="**Mới**."),
    )
    assert built.build().code == 0
    assert built.html(f"{CAT}/bai-5/index.html").xpath("string(//div[@class='body']//strong)") == (
        "Mới"
    )
    _same_as_clean_build(built, tmp_path)
    again = built.build()
    assert (again.code, again.err) == (0, "")
    assert "0 tệp ghi mới" in again.out


def test_a_build_where_nothing_changed_touches_no_file(built):
    before = _snapshot(built.output)
    siblings = sorted(p.name for p in built.root.iterdir())
    result = built.build()
    assert result.code == 0
    assert "0 tệp ghi mới" in result.out
    assert _snapshot(built.output) == before
    assert sorted(p.name for p in built.root.iterdir()) == siblings


def test_a_file_changed_by_hand_in_the_output_is_put_right(built, tmp_path):
    page = built.output / CAT / "bai-5" / "index.html"
    page.write_text("hỏng")
    (built.output / "rac.html").write_text("không thuộc trang web")
    assert built.build().code == 0
    _same_as_clean_build(built, tmp_path)


def test_jobs_do_not_change_a_single_byte(make_site, tmp_path):
    config = {**CONFIG, "categories": {**CONFIG["categories"], "khoa-hoc": "Khoa học"}}
    site = make_site(_articles(28) | _articles_in("khoa-hoc", 150), config)
    one, two = tmp_path / "one", tmp_path / "two"
    assert site.build("--no-cache", "--jobs", "1", "--output", str(one)).code == 0
    assert site.build("--no-cache", "--jobs", "2", "--output", str(two)).code == 0
    assert len(_tree(one)) > 150
    assert _tree(one) == _tree(two)


def test_one_job_means_one_process(built, monkeypatch, tmp_path):
    """`--jobs 1` (a container allowed one process) forks nothing: no pool, no helper."""

    def refuse() -> int:
        raise AssertionError("forked with --jobs 1")

    monkeypatch.setattr(os, "fork", refuse)
    built.write(f"content/{CAT}/2021-03-04-bai-4.md", article("Bài bốn, sửa", "2021-03-04 08:00"))
    assert built.build("--jobs", "1").code == 0  # a rebuild, with its cache
    cold = tmp_path / "cold"
    assert built.build("--jobs", "1", "--no-cache", "--output", str(cold)).code == 0
    monkeypatch.undo()
    _same_as_clean_build(built, tmp_path)
    assert _tree(cold) == _tree(tmp_path / "clean")


def _parsed_files(monkeypatch) -> list[str]:
    """The files parsed from now on (in this process: build with one job)."""
    parsed: list[str] = []
    real = parsing.parse_job
    monkeypatch.setattr(parsing, "parse_job", lambda config, job: parsed.append(job.source.rel)
                        or real(config, job))  # fmt: skip
    return parsed


def test_a_preview_keeps_its_parse_results_for_its_next_rebuild(make_site, monkeypatch):
    """`serve` writes no site; after the first, its rebuilds parse only what changed."""
    from datetime import datetime

    from sokhcn_site.pipeline import BuildOptions, build

    site = make_site(_articles(12), CONFIG)
    root, now = site.root, datetime.fromisoformat("2021-04-01T08:00:00+07:00")
    options = BuildOptions(
        content=root / "content", templates=root / "templates", static=root / "static",
        config=root / "site.yaml", output=site.output, cache_dir=root / ".cache", drafts=True,
        preview=True, jobs=1,
    )  # fmt: skip
    assert not build(options, now=now, write=False).failed
    parsed = _parsed_files(monkeypatch)
    site.write(_path(4), article("Bài bốn mới", "2021-03-04 08:00"))
    report = build(options, now=now, write=False)
    assert not report.failed and parsed == [_path(4).removeprefix("content/")]
    assert not site.output.exists()


def test_a_build_stopped_by_an_error_keeps_its_parse_results(built, monkeypatch):
    built.write(_path(4), "---\ntitle: [chưa đóng\n---\nThân bài.\n")
    built.write(_path(5), article("Bài năm mới", "2021-03-05 08:00"))
    before = built.snapshot()
    assert built.build("--jobs", "1").code == 1
    assert built.snapshot() == before  # the site as it was
    parsed = _parsed_files(monkeypatch)
    built.write(_path(4), article("Bài bốn đã sửa", "2021-03-04 08:00"))
    assert built.build("--jobs", "1").code == 0
    assert parsed == [_path(4).removeprefix("content/")]  # not the other edit again


def _articles_in(folder: str, count: int) -> dict[str, str]:
    return {
        f"content/{folder}/2019-{1 + n // 28:02d}-{1 + n % 28:02d}-tin-{n}.md": article(
            f"Tin {n}", f"2019-{1 + n // 28:02d}-{1 + n % 28:02d}", body=f"Thân bài *{n}*."
        )
        for n in range(count)
    }


def _cache_files(site) -> list[Path]:
    return sorted(p for p in (site.root / ".cache" / "build").iterdir() if p.is_file())


def test_a_build_that_fails_to_render_keeps_its_parse_results(built, monkeypatch, tmp_path):
    built.write(_path(5), article("Bài năm mới", "2021-03-05 08:00", body="Mới **hẳn**."))
    template = built.root / "templates/article.html"
    good = template.read_text()
    template.write_text(good.replace("{{ article.title }}</h1>", "{{ x.y }}</h1>"))
    before = built.snapshot()
    assert built.build().code == 1
    assert built.snapshot() == before  # the site as it was
    parsed = _parsed_files(monkeypatch)
    template.write_text(good)
    result = built.build("--jobs", "1")
    assert result.code == 0 and "bộ nhớ đệm" not in result.err, result.err
    assert parsed == []
    _same_as_clean_build(built, tmp_path)


def _damage_half(site) -> None:
    for path in _cache_files(site)[::2]:
        path.unlink()


def _garbage(site) -> None:
    victim = max(_cache_files(site), key=lambda p: p.stat().st_size)
    data = bytearray(victim.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 16] = b"\x00garbage\xff" * 2
    victim.write_bytes(bytes(data))


def _garbage_in_a_shard(site) -> None:
    # Found only once the shards are read, after the files' texts were let go.
    victim = max((p for p in _cache_files(site) if p.name.startswith("parse-")),
                 key=lambda p: p.stat().st_size)  # fmt: skip
    victim.write_bytes(victim.read_bytes()[:-20] + b"\x00garbage\xff" * 2)


def _truncate(site) -> None:
    victim = max(_cache_files(site), key=lambda p: p.stat().st_size)
    victim.write_bytes(victim.read_bytes()[: victim.stat().st_size // 3])


def _new_version(site, monkeypatch) -> None:
    monkeypatch.setattr("sokhcn_site.cache.__version__", "999.0")


@pytest.mark.parametrize(
    "damage", [_damage_half, _garbage, _garbage_in_a_shard, _truncate, _new_version]
)
def test_a_damaged_or_foreign_cache_is_ignored_and_said_so(built, tmp_path, monkeypatch, damage):
    built.write(_path(4), article("Bài bốn mới", "2021-03-04 08:00"))
    if damage is _new_version:
        damage(built, monkeypatch)
    else:
        damage(built)
    result = built.build()
    assert result.code == 0
    warnings = [line for line in result.err.splitlines() if "bộ nhớ đệm" in line]
    assert len(warnings) == 1 and ": warning: " in warnings[0], result.err
    _same_as_clean_build(built, tmp_path)
    again = built.build()  # the cache written by that build is sound again
    assert again.code == 0 and "bộ nhớ đệm" not in again.err


@pytest.fixture
def built_long(make_site):
    """A site whose bodies are long enough to be kept in the cache's text files."""
    files = _articles(12)
    for path, text in files.items():
        files[path] = text + "\n\nMột đoạn dài thêm về khoa học và công nghệ. " * 12
    site = make_site(files, CONFIG)
    assert site.build().code == 0
    return site


def _garbage_in_a_text_file(site) -> Path:
    # Same size: only the bytes tell; the build checks them on the other core meanwhile.
    victim = max((p for p in _cache_files(site) if p.name.startswith("text-")),
                 key=lambda p: p.stat().st_size)  # fmt: skip
    data = bytearray(victim.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 8] = b"\x00garbage"
    victim.write_bytes(bytes(data))
    return victim


def test_garbage_in_a_cached_text_is_found_and_the_site_stays_right(built_long, tmp_path):
    built_long.write(_path(4), article("Bài bốn mới", "2021-03-04 08:00", body="Mới."))
    victim = _garbage_in_a_text_file(built_long)
    result = built_long.build()
    assert result.code == 0
    warnings = [line for line in result.err.splitlines() if "bộ nhớ đệm" in line]
    assert len(warnings) == 1 and victim.name in warnings[0], result.err
    _same_as_clean_build(built_long, tmp_path)
    again = built_long.build()
    assert again.code == 0 and "bộ nhớ đệm" not in again.err


def test_a_damaged_text_that_no_page_needs_is_found_all_the_same(built_long, tmp_path):
    state, _ = cache.load(built_long.root / ".cache" / "build", cache.code_stamp())
    results = cache.parse_results(state)[0].results.values()
    # The oldest article: no feed shows it, and adding a static file renders no page.
    (body,) = [p.item.body for p in results if isinstance(p, Parsed) and p.item is not None
               and p.item.source.endswith("-bai-1.md")]  # fmt: skip
    with open(body.path, "r+b") as text:
        text.seek(body.offset + 10)
        text.write(b"\x00garbage")
    built_long.write("static/moi.txt", "tệp mới")
    result = built_long.build()
    assert result.code == 0
    warnings = [line for line in result.err.splitlines() if "bộ nhớ đệm" in line]
    assert len(warnings) == 1 and "bị hỏng" in warnings[0], result.err
    _same_as_clean_build(built_long, tmp_path)


def test_text_files_as_they_were_written_are_not_read_to_be_checked(built_long, monkeypatch):
    state, _ = cache.load(built_long.root / ".cache" / "build", cache.code_stamp())
    assert state.text_stamps
    monkeypatch.setattr(Path, "read_bytes", lambda path: pytest.fail(f"read {path}"))
    assert cache.damaged_texts(state) == ()


def test_the_recorded_outputs_say_what_the_site_holds_but_what_changed(built):
    recorded = cache.load(built.root / ".cache" / "build", cache.code_stamp())[0].outputs
    page = f"{CAT}/bai-5/index.html"
    found = records.recorded_files(recorded, built.output, {page})
    assert found is not None
    on_disk = {p.relative_to(built.output).as_posix(): p.stat().st_ino
               for p in built.output.rglob("*") if p.is_file()}  # fmt: skip
    assert found.files == {path: inode for path, inode in on_disk.items() if path != page}
    assert records.recorded_files(recorded, built.root / "elsewhere", set()) is None


def test_a_text_found_damaged_while_rendering_restarts_the_build_without_the_cache(built_long):
    # `check` writes nothing, so no child looks at the cache: rendering meets the damage.
    _garbage_in_a_text_file(built_long)
    result = built_long.check()
    assert result.code == 0, result.err
    warnings = [line for line in result.err.splitlines() if "bộ nhớ đệm" in line]
    assert len(warnings) == 1 and "đã bị thay đổi" in warnings[0], result.err


def test_a_first_build_leaves_a_linked_copy_of_the_site_for_the_next_to_recycle(make_site):
    site = make_site(_articles(3), CONFIG)
    assert site.build().code == 0
    spare = site.root / ".cache" / "spare-output"

    def inodes(root: Path) -> dict[str, int]:
        return {p.relative_to(root).as_posix(): p.stat().st_ino for p in root.rglob("*")
                if p.is_file()}  # fmt: skip

    assert len(inodes(site.output)) > 20 and inodes(spare) == inodes(site.output)


def test_no_cache_leaves_no_cache_behind(make_site):
    site = make_site(_articles(3), CONFIG)
    assert site.build("--no-cache").code == 0
    assert not (site.root / ".cache" / "build").exists()


def test_the_cache_is_kept_where_cache_dir_says(make_site, tmp_path):
    site = make_site(_articles(3), CONFIG)
    assert site.build("--cache-dir", str(tmp_path / "elsewhere")).code == 0
    assert (tmp_path / "elsewhere" / "build" / "index").is_file()
    assert not os.path.exists(site.root / ".cache" / "build")


def test_a_cache_that_cannot_be_written_is_a_warning_and_the_site_is_published(make_site):
    site = make_site(_articles(3), CONFIG)
    (site.root / ".cache").mkdir()
    (site.root / ".cache" / "build").write_text("một tệp, không phải thư mục")  # in the way
    result = site.build()
    assert result.code == 0, result.err
    [line] = result.err.splitlines()
    assert line.startswith(f"{site.root / '.cache' / 'build'}:1: warning: không ghi được bộ nhớ")
    assert site.html(f"{CAT}/bai-1/index.html").xpath("string(//h1)") == "Bài số 1"


def test_a_full_disk_under_the_cache_is_said_as_such(make_site, monkeypatch):
    site = make_site(_articles(3), CONFIG)
    monkeypatch.setattr(cache, "_write_payload", _raise(OSError(errno.ENOSPC)))
    result = site.build()
    assert result.code == 0, result.err
    assert "warning: không ghi được bộ nhớ đệm (ổ đĩa đã đầy)" in result.err


def _raise(exc: Exception):
    def fail(*args: object, **kwargs: object) -> None:
        raise exc

    return fail


def test_a_series_of_rebuilds_recycling_the_previous_site_stays_exact(built, tmp_path):
    changes = [
        lambda: built.write(_path(2), article("Bài hai đã sửa", "2021-03-02 08:00")),
        lambda: (built.root / _path(5)).unlink(),
        lambda: built.write(f"content/{OTHER}/2021-03-25-moi.md", article("Mới", "2021-03-25")),
        lambda: built.write(_path(10), article("Bài số 10", "2021-03-10 08:00", body="Khác.")),
    ]
    for change in changes:
        change()
        assert built.build().code == 0
        _same_as_clean_build(built, tmp_path)
    # Whatever happened to the kept copy of the site before last, it is put right.
    spare = built.root / ".cache" / "spare-output"
    assert spare.is_dir()
    (spare / "rac.html").write_text("rác")
    for page in spare.rglob("index.html"):
        page.unlink()
        page.write_text("cũ")
    built.write(_path(1), article("Bài một đã sửa", "2021-03-01 08:00"))
    assert built.build().code == 0
    _same_as_clean_build(built, tmp_path)


@pytest.mark.parametrize("added", ["tin-hoat-dong-cua-so/rac.html", "rac/", "a/b/rac.txt"])
def test_what_is_added_by_hand_to_the_output_goes_even_when_nothing_changed(built, added):
    def entries() -> list[str]:  # files and folders
        return sorted(p.relative_to(built.output).as_posix() for p in built.output.rglob("*"))

    before, path = entries(), built.output / added
    if added.endswith("/"):
        path.mkdir()
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("không thuộc trang web")
    assert built.build().code == 0
    assert entries() == before


def test_an_unchanged_site_still_reports_its_warnings(built):
    built.write(_path(3), article("Bài số 3", "2021-03-03 08:00", tac_gia="X"))
    first = built.build()
    assert first.code == 0 and "tac_gia" in first.err
    again = built.build()
    assert "0 tệp ghi mới" in again.out
    assert again.err == first.err


def test_a_future_article_appears_when_due_though_no_file_changed(built, tmp_path):
    from datetime import datetime, timedelta

    from sokhcn_site.pipeline import BuildOptions, build

    built.write(f"content/{CAT}/2021-04-01-hen-gio.md", article("Hẹn giờ", "2021-04-01 08:00"))
    root = built.root
    options = BuildOptions(
        content=root / "content", templates=root / "templates", static=root / "static",
        config=root / "site.yaml", output=built.output, cache_dir=root / ".cache",
    )  # fmt: skip
    due = datetime.fromisoformat("2021-04-01T08:00:00+07:00")
    assert not build(options, now=due - timedelta(days=1)).failed
    assert not (built.output / CAT / "hen-gio").exists()
    assert not build(options, now=due + timedelta(minutes=1)).failed
    assert (built.output / CAT / "hen-gio" / "index.html").is_file()


# ------------------------------------------------------------ search index ----

INDEX = "tim-kiem/index/"


def _index_files(site) -> dict[str, bytes]:
    return {path: data for path, data in site.files().items() if path.startswith(INDEX)}


def _big_path(n: int) -> str:
    return f"content/{CAT}/{2000 + n // 300}-{n // 25 % 12 + 1:02d}-{n % 25 + 1:02d}-bai-{n}.md"


@pytest.fixture
def searchable(make_site):
    """A site whose index has many shards: synthetic Vietnamese-like text, 120 articles."""
    from test_search_index import samples

    files = {}
    for n, sample in enumerate(samples(120, words=300)):
        day = _big_path(n).split("/")[-1][:10]
        files[_big_path(n)] = article(sample.entry.title, f"{day} 08:00", body=sample.text)
    site = make_site(files, CONFIG)
    assert site.build().code == 0
    return site


def _appended(site, n: int) -> str:
    return (site.root / _big_path(n)).read_text() + "\nBài viết đã được cập nhật thêm.\n"


def _retitled(site, n: int) -> str:
    text = (site.root / _big_path(n)).read_text()
    return re.sub(r"(?m)^title: .*$", 'title: "Tiêu đề đã được sửa lại"', text, count=1)


SEARCH_CHANGES = {
    "body edited": lambda site: site.write(_big_path(60), _appended(site, 60)),
    "title changed": lambda site: site.write(_big_path(40), _retitled(site, 40)),
    "newest added": lambda site: site.write(
        f"content/{OTHER}/2025-01-01-moi-nhat.md", article("Tin mới nhất", "2025-01-01 08:00")
    ),
    "oldest deleted": lambda site: (site.root / _big_path(0)).unlink(),
}


@pytest.mark.parametrize("change", SEARCH_CHANGES)
def test_a_rebuilt_search_index_is_a_clean_builds_and_changes_few_files(
    searchable, tmp_path, monkeypatch, change
):
    from sokhcn_site import search_index

    before = _index_files(searchable)
    shards = [path for path in before if path.startswith(f"{INDEX}t-")]
    assert len(shards) > 10
    made, records = [], []
    make_block, record = search_index.make_block, search_index._record
    monkeypatch.setattr(search_index, "make_block", lambda *a: made.append(a) or make_block(*a))
    monkeypatch.setattr(search_index, "_record", lambda *a: records.append(a) or record(*a))
    SEARCH_CHANGES[change](searchable)
    assert searchable.build().code == 0
    # Only the changed article's block of the index was made again: the rest is cached;
    # and only records that changed were made at all.
    assert len(made) == 1
    assert len(records) <= 3
    _same_as_clean_build(searchable, tmp_path)
    after = _index_files(searchable)
    rewritten = {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}
    # The table, the order, a record or two, and the shards of the words that came or went:
    # a few words, but all of a deleted article's.
    assert f"{INDEX}meta.json" in rewritten
    assert len([p for p in rewritten if p.startswith(f"{INDEX}d/")]) <= 3
    if change != "oldest deleted":
        assert len(rewritten) <= 12


def _reads(monkeypatch) -> list[str]:
    """The input files read from now on (by discover, or later when taken on trust)."""
    from sokhcn_site import discover, model

    opened: list[str] = []

    def spy(path, *args, **kwargs):
        opened.append(os.fspath(path))
        return open(path, *args, **kwargs)

    for module in (discover, model):
        monkeypatch.setattr(module, "open", spy, raising=False)
    return opened


def test_a_rebuild_reads_only_the_files_that_changed(make_site, tmp_path, monkeypatch):
    from sokhcn_site import discover

    # The files were written a moment ago; the rule that makes such files be read again
    # (see the next test) would hide what this one looks at.
    monkeypatch.setattr(discover, "_SETTLE_NS", 0)
    site = make_site(_articles(12) | {"content/tin-hoat-dong-cua-so/anh.png": b"\x89PNG 1"}, CONFIG)
    assert site.build().code == 0
    opened = _reads(monkeypatch)
    site.write(_path(5), article("Bài số 5", "2021-03-05 08:00", body="Sửa **lại**."))
    site.write("content/tin-hoat-dong-cua-so/anh.png", b"\x89PNG 2")  # a copied file
    assert site.build().code == 0
    assert sorted(Path(p).name for p in opened) == ["2021-03-05-bai-5.md", "anh.png"]
    assert (site.output / CAT / "anh.png").read_bytes() == b"\x89PNG 2"
    _same_as_clean_build(site, tmp_path)
    # A change to site.yaml needs every article parsed again: the files are read then.
    opened.clear()
    site.write("site.yaml", (site.root / "site.yaml").read_text() + "description: Mới\n")
    assert site.build().code == 0
    assert len([p for p in opened if p.endswith(".md")]) == 12
    _same_as_clean_build(site, tmp_path)


def test_a_file_rewritten_with_its_old_size_and_time_is_read_again(built, tmp_path, monkeypatch):
    from sokhcn_site import discover

    monkeypatch.setattr(discover, "_SETTLE_NS", 0)
    assert built.build().code == 0  # now the stamps are recorded
    path = built.root / _path(4)
    before = path.stat()
    text = path.read_text().replace("Đoạn **4**", "Đoạn **X**")
    path.write_text(text)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # as `cp -p` or rsync leave it
    assert path.stat().st_size == before.st_size
    assert built.build().code == 0
    assert "Đoạn <strong>X</strong>" in (built.output / CAT / "bai-4" / "index.html").read_text()


def test_only_files_settled_before_the_build_are_taken_on_trust():
    from sokhcn_site.discover import trusted_digests
    from sokhcn_site.model import Source

    def source(name: str, ctime: int) -> Source:
        return Source(name, name, name, b"d-" + name.encode(), (1, ctime, ctime, 7), b"x")

    started = 100 * 10**9
    sources = [source("old", started - 5 * 10**9), source("new", started - 10**9)]
    assert trusted_digests(sources, started) == {"old": ((1, 95 * 10**9, 95 * 10**9, 7), b"d-old")}


def test_the_cache_stamp_names_the_installed_libraries_without_importlib_metadata():
    import importlib.metadata

    from sokhcn_site import cache

    found = cache._installed_versions()
    for name in cache._LIBRARIES:  # every library whose output ends up in the site
        assert found[cache._normal(name)] == importlib.metadata.version(name)
    code = "import sys; from sokhcn_site import cache; cache.code_stamp(); "
    code += "print('importlib.metadata' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"  # 20 ms of every build's start
