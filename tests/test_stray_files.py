"""Files an editor commits that are neither articles nor attachments: an article saved under
another name, backups, lock files, hidden folders. None is published; none is left out
without a warning naming it."""

from conftest import article

CAT = "tin-hoat-dong-cua-so"
DRAFT = article("Bản nháp chưa duyệt", "2024-11-01", body="Số liệu chưa công bố.", draft=True)


def _published(site) -> set[str]:
    return {p.relative_to(site.output).as_posix() for p in site.output.rglob("*") if p.is_file()}


def test_a_hidden_folder_of_articles_is_not_dropped_silently(make_site):
    site = make_site({
        f"content/{CAT}/2024-11-02-a.md": article("A", "2024-11-02"),
        f"content/{CAT}/.nhap/2024-11-11-x.md": DRAFT,
        f"content/{CAT}/.nhap/cu/2024-10-01-y.md": DRAFT,
        f"content/{CAT}/.nhap/anh.jpg": b"jpg",
        # Hidden folders without articles, and tools' own, stay out without a word.
        f"content/{CAT}/.thumbnails/anh.jpg": b"jpg",
        f"content/{CAT}/.gitkeep": b"",
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
