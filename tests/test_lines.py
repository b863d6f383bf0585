"""Each message about a body points at the line that writes what it is about: editors read
`file:line:` and go there."""

from conftest import article


def _where(result, severity: str) -> list[str]:
    """The `path:line` of each message of `severity`, in order."""
    return [line.split(f": {severity}: ")[0] for line in result.err.splitlines()
            if f": {severity}: " in line]  # fmt: skip


def test_each_link_to_a_missing_article_is_told_at_its_own_line(make_site):
    """Lines were found by the file's bare name: both links at the first one's line, and a
    link to "thong-bao/x.md" at an earlier mention of another folder's "x.md"."""
    body = (
        "Xem [bài cũ](x.md).\n\n[Một](../thong-bao/x.md)\n\nĐoạn.\n\n"
        "[Hai](../thong-bao/x.md) và [nháp](2020-01-02-b.md)\n\n[Lại nháp](2020-01-02-b.md)"
    )
    site = make_site({
        "content/tin/2020-01-01-a.md": article("A", "2020-01-01", body=body),
        "content/tin/x.md": article("X"),
        "content/tin/2020-01-02-b.md": article("B", "2020-01-02", draft=True),
    })  # fmt: skip
    result = site.check()
    where = f"{site.root}/content/tin/2020-01-01-a.md"
    assert _where(result, "error") == [f"{where}:7", f"{where}:11"]
    assert _where(result, "warning") == [f"{where}:11", f"{where}:13"]
    assert "liên kết tới 'thong-bao/x.md' nhưng không có bài viết đó" in result.err


def test_each_link_to_a_missing_file_is_told_at_its_own_line(make_site):
    body = "![Sơ đồ](anh/so-do.png)\n\nĐoạn.\n\n[Tải sơ đồ](anh/so-do.png)"
    site = make_site({"content/tin/2020-01-01-a.md": article("A", "2020-01-01", body=body)})
    result = site.check()
    where = f"{site.root}/content/tin/2020-01-01-a.md"
    assert _where(result, "error") == [f"{where}:5", f"{where}:9"]


def test_each_picture_without_a_description_is_told_at_its_own_line(make_site):
    """Its line was found by the file's bare name: here the header's `image:`, for both. A
    picture whose address the page drops is left out, and told as such alone."""
    picture = "![](anh/hoi-nghi.jpg)"
    body = (f"{picture}\n\nĐoạn.\n\n{picture}\n\n![Có mô tả](anh/hoi-nghi.jpg)\n\n"
            '<img src="ftp://x.vn/a.png">')  # fmt: skip
    site = make_site({
        "content/tin/2020-01-01-a.md": article("A", "2020-01-01", body, image="anh/hoi-nghi.jpg"),
        "content/tin/anh/hoi-nghi.jpg": b"jpg",
    })  # fmt: skip
    result = site.check()
    where = f"{site.root}/content/tin/2020-01-01-a.md"
    assert _where(result, "warning") == [f"{where}:6", f"{where}:10", f"{where}:14"]
    assert result.err.count("không có mô tả") == 2
    assert "ảnh 'hoi-nghi.jpg' không có mô tả; viết ![mô tả ngắn về ảnh](hoi-nghi.jpg)" in (
        result.err
    )
