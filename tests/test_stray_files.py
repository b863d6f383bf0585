"""Files an editor commits that are neither articles nor attachments: an article saved under
another name, backups, lock files, hidden folders. None is published; none is left out
without a warning naming it."""

import pytest
from conftest import article

CAT = "tin-hoat-dong-cua-so"
DRAFT = article("Bản nháp chưa duyệt", "2024-11-01", body="Số liệu chưa công bố.", draft=True)
# Attachments beside the articles: published as they are, without a word.
ATTACHMENTS = {
    f"content/{CAT}/tai-lieu/ke-hoach.pdf": b"%PDF-1.4",
    f"content/{CAT}/tai-lieu/bieu-mau.docx": b"PK docx",
    f"content/{CAT}/tai-lieu/so-lieu.xlsx": b"PK xlsx",
    f"content/{CAT}/anh/hoi-nghi.jpg": b"jpg",
    f"content/{CAT}/tai-lieu/huong-dan.txt": "Hướng dẫn nộp hồ sơ.",
    f"content/{CAT}/tai-lieu/ban-2024-11-08.txt": "Ngày ở cuối tên: tệp đính kèm.",
    f"content/{CAT}/tai-lieu/2024-ke-hoach.txt": "Năm, không phải ngày: tệp đính kèm.",
    f"content/{CAT}/tai-lieu/ghi-chu.md.pdf": b"%PDF-1.4",
}

RENAME = (
    "giống bài viết nhưng tên không kết thúc bằng '.md' nên không được đăng, cũng không "
    "được chép lên trang (để không lộ bản nháp); đổi tên thành '{}' nếu muốn đăng bài này"
)
DATED = "; nếu là tệp đính kèm, bỏ phần ngày ở đầu tên"
BACKUP = (
    "tệp sao lưu hoặc tệp tạm (của phần mềm soạn thảo, Office hay Windows) không được đăng lên "
    "trang; hãy xóa nó khỏi kho"
)
STRAY = {
    # Notepad's usual slip: "Save as" an article adds ".txt".
    "2024-11-09-bai-md-txt.md.txt": RENAME.format("2024-11-09-bai-md-txt.md"),
    "2024-11-10-bai.MD.TXT": RENAME.format("2024-11-10-bai.md"),
    "2024-11-12-bai.markdown.txt": RENAME.format("2024-11-12-bai.md"),
    "2024-11-08-bai-txt.txt": RENAME.format("2024-11-08-bai-txt.md") + DATED,
    "2024-11-17-bai.md ": RENAME.format("2024-11-17-bai.md"),
    "2024-11-18-bai.md.": RENAME.format("2024-11-18-bai.md"),
    "2024-11-19-bai.md.txt ": RENAME.format("2024-11-19-bai.md"),
    # Bai.MD is an article as bai.md is; with a space after it, it is neither.
    "2024-11-20-Bai.MD ": RENAME.format("2024-11-20-Bai.md"),
    "2024-11-21-bai.Markdown.": RENAME.format("2024-11-21-bai.md"),
    "2024-11-01-bai.md~": BACKUP,
    "2024-11-01-bai.md.bak": BACKUP,
    "2024-11-01-bai.md.ORIG": BACKUP,
    "2024-11-01-bai.md.swp": BACKUP,
    "~$bai viet.docx": BACKUP,
    "~WRL1234.tmp": BACKUP,
    "2024-11-01-bai.md.TMP": BACKUP,
    "Thumbs.db": BACKUP,
    "DESKTOP.INI": BACKUP,
}


def _published(site) -> set[str]:
    return {p.relative_to(site.output).as_posix() for p in site.output.rglob("*") if p.is_file()}


@pytest.mark.parametrize("name", STRAY)
def test_a_stray_file_is_left_out_with_a_warning_and_attachments_are_published(make_site, name):
    files = {f"content/{CAT}/2024-11-02-a.md": article("A", "2024-11-02"), **ATTACHMENTS}
    site = make_site(files | {f"content/{CAT}/{name}": DRAFT})
    result = site.build()
    assert result.code == 0, result.err
    named = f"tệp '{name}' " if STRAY[name].startswith("giống") else ""
    assert result.err == f"{site.root}/content/{CAT}/{name}:1: warning: {named}{STRAY[name]}\n"
    published = _published(site)
    assert {rel.removeprefix("content/") for rel in ATTACHMENTS} <= published
    assert not any(path.endswith(name) for path in published)
    # The draft's text is nowhere on the site: neither as a file nor as an article.
    assert not [p for p in site.output.rglob("*") if p.is_file() and b"ch\xc6\xb0a c\xc3\xb4ng b"
                in p.read_bytes()]  # fmt: skip


def test_the_warnings_are_said_by_every_rebuild(make_site, monkeypatch):
    from sokhcn_site import discover

    # Files just written are read again by every build (see discover.trusted_digests); the
    # rebuilds here take them on trust from the cache, as on an editor's machine.
    monkeypatch.setattr(discover, "_SETTLE_NS", 0)
    site = make_site({f"content/{CAT}/2024-11-02-a.md": article("A", "2024-11-02")})
    assert site.build().err == ""  # a site a later build may replay as it is
    for name in STRAY:
        site.write(f"content/{CAT}/{name}", DRAFT)
    first = site.build()
    assert first.code == 0 and first.err.count(": warning: ") == len(STRAY), first.err
    again = site.build()
    assert (again.code, again.err) == (0, first.err)
    assert site.check().err == first.err
    assert site.check("--strict").code == 1
    assert not [p for p in _published(site) if "bai" in p and "index.html" not in p]


def test_a_hidden_folder_of_articles_is_not_dropped_silently(make_site):
    site = make_site({
        f"content/{CAT}/2024-11-02-a.md": article("A", "2024-11-02"),
        f"content/{CAT}/.nhap/2024-11-11-x.md": DRAFT,
        f"content/{CAT}/.nhap/cu/2024-10-01-y.md": DRAFT,
        f"content/{CAT}/.nhap/anh.jpg": b"jpg",
        # Hidden folders without articles, and tools' own, stay out without a word.
        f"content/{CAT}/.thumbnails/anh.jpg": b"jpg",
        f"content/{CAT}/.gitkeep": b"",
        f"content/{CAT}/tai-lieu/.~lock.bieu mau.odt#": b"LibreOffice's lock file",
        "content/.git/README.md": "git's, not an article",
        "content/.github/ISSUE_TEMPLATE/loi.md": "tools', not an article",
    })  # fmt: skip
    result = site.build()
    assert result.code == 0
    assert result.err == (
        f"{site.root}/content/{CAT}/.nhap:1: warning: thư mục ẩn (tên bắt đầu bằng dấu chấm) "
        "không được đăng, nên 2 bài viết (.md) trong đó cũng không; bỏ dấu chấm ở đầu tên thư "
        "mục nếu muốn đăng các bài này\n"
    )
    assert not [p for p in _published(site) if "nhap" in p or "thumbnails" in p or "git" in p]


STATIC_BACKUPS = ("css/site.css~", "css/site.css.bak", "js/print.js.orig", "js/print.js.swp",
                  "~WRL0001.tmp", "~$bang gia.xlsx", "img/Thumbs.db", "desktop.ini")  # fmt: skip


def test_backups_in_static_are_left_out_with_a_warning_as_in_content(make_site):
    files = {f"static/{name}": b"backup" for name in STATIC_BACKUPS}
    site = make_site(files | {
        f"content/{CAT}/2024-11-02-a.md": article("A", "2024-11-02"),
        "static/img/.~lock.so-do.odg#": b"LibreOffice's lock file: hidden, so left out silently",
    })  # fmt: skip
    result = site.build()
    assert result.code == 0
    assert sorted(result.err.splitlines()) == sorted(
        f"{site.root}/static/{name}:1: warning: {BACKUP}" for name in STATIC_BACKUPS
    )
    published = _published(site)
    assert "static/css/site.css" in published
    assert [p for p in published if b"backup" in (site.output / p).read_bytes()] == []
    assert not [p for p in published if "lock" in p]


def test_hidden_markdown_files_in_static_are_left_out_without_a_word(make_site):
    """static/ holds the maintainers' CSS and scripts, no articles: advice to take the dot off
    to publish an article would be wrong there. It is left out, as hidden files are."""
    site = make_site({
        f"content/{CAT}/2024-11-02-a.md": article("A", "2024-11-02"),
        "static/.ghi-chu.md": "Ghi chú của người bảo trì.",
        "static/css/.nhap/cu.md": "Bản cũ.",
        "static/css/.nhap/cu.css": "p {}",
    })  # fmt: skip
    result = site.build()
    assert (result.code, result.err) == (0, "")
    assert not [p for p in _published(site) if "ghi-chu" in p or "nhap" in p]


def test_a_file_left_out_by_its_name_is_not_read(make_site, monkeypatch):
    from test_incremental import _reads

    files = {f"content/{CAT}/{name}": DRAFT for name in STRAY}
    files |= {f"static/{name}": b"backup" for name in STATIC_BACKUPS}
    site = make_site(files | {f"content/{CAT}/2024-11-02-a.md": article("A", "2024-11-02")})
    opened = _reads(monkeypatch)
    result = site.build()
    assert result.code == 0
    assert result.err.count(": warning: ") == len(STRAY) + len(STATIC_BACKUPS)
    assert f"{CAT}/2024-11-02-a.md" in " ".join(opened)  # the spy sees what is read
    assert [p for p in opened if p.endswith(tuple(STRAY) + STATIC_BACKUPS)] == []
