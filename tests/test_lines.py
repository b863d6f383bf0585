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


_UNKEPT = (
    "không được giữ trên trang, chỉ liên kết http, https, mailto, tel và các thẻ HTML thông "
    "dụng; hãy sửa lại, với ảnh thì lưu thành tệp cạnh bài viết rồi chèn ![mô tả](ten-anh.png)"
)


def test_what_the_page_does_not_keep_is_told_at_each_line_and_many_of_a_kind_once(make_site):
    """It was one warning, at the first one's line. A kind on more than three lines (a web
    page pasted whole) is told once, at its first, with how many."""
    scripts = "\n".join(f'<script src="https://x.vn/{n}.js"></script>' for n in range(5))
    body = (f'<font color="red">Đỏ</font> và <font>lại</font>\n\nĐoạn.\n\n'
            f'<video src="https://x.vn/a.mp4"></video> [Tải](ftp://x.vn/a.pdf)\n\n{scripts}\n\n'
            "[Lại](ftp://x.vn/b.pdf)")  # fmt: skip
    site = make_site({"content/tin/2020-01-01-a.md": article("A", "2020-01-01", body)})
    result = site.check()
    assert result.code == 0
    where = f"{site.root}/content/tin/2020-01-01-a.md"
    assert result.err.splitlines() == [
        f"{where}:5: warning: thẻ <font> {_UNKEPT}",
        f"{where}:9: warning: thẻ <video>, địa chỉ ftp: {_UNKEPT}",
        f"{where}:11: warning: thẻ <script> (ở 5 dòng, từ dòng này đến dòng 15) {_UNKEPT}",
        f"{where}:17: warning: địa chỉ ftp: {_UNKEPT}",
    ]


def test_each_dropped_embed_is_told_at_its_own_line(make_site):
    """Both were told at the first <iframe> of the file, here a video that is kept."""
    frame = '<iframe src="https://{}/video"></iframe>'
    body = "\n\n".join(frame.format(host) for host in ("www.youtube.com", "a.vn", "b.vn"))
    site = make_site({"content/tin/2020-01-01-a.md": article("A", "2020-01-01", body)},
                     {"video_hosts": ["youtube.com"]})  # fmt: skip
    result = site.check()
    where = f"{site.root}/content/tin/2020-01-01-a.md"
    assert _where(result, "warning") == [f"{where}:7", f"{where}:9"]
    assert "khung nhúng <iframe> bị bỏ: chỉ giữ video https" in result.err


def test_a_link_to_a_file_on_the_editors_computer_is_an_error_at_its_line(make_site):
    """Word pastes a link to an attachment as the file's path on the editor's computer. It
    was only named among what the page leaves out, at the first item's line."""
    word = "file:///C:/Users/ADMIN/Desktop/ke%20hoach.docx"
    body = f"Đoạn <font>một</font>.\n\nTải [kế hoạch]({word}).\n\nĐoạn.\n\n[Lại]({word})"
    site = make_site({"content/tin/2020-01-01-a.md": article("A", "2020-01-01", body)})
    result = site.check()
    assert result.code == 1
    where = f"{site.root}/content/tin/2020-01-01-a.md"
    assert _where(result, "error") == [f"{where}:7", f"{where}:11"]
    assert (
        "liên kết trỏ tới tệp trên máy tính của người soạn ('file:///C:/Users/ADMIN/Desktop/ke "
        "hoach.docx'), người đọc không mở được; chép tệp vào cạnh bài viết rồi liên kết tới nó, "
        "ví dụ [Tải kế hoạch](ke-hoach.pdf)"
    ) in result.err
    assert _where(result, "warning") == [f"{where}:5"]
    assert "file:" not in result.err.splitlines()[0]


def test_each_link_out_of_the_content_folder_is_told_at_its_own_line(make_site):
    """Both were told at the body's first line."""
    body = "Đoạn.\n\n[Mật khẩu](../../../etc/passwd)\n\nĐoạn.\n\n![Ảnh](../../anh.png)"
    site = make_site({"content/tin/2020-01-01-a.md": article("A", "2020-01-01", body)})
    result = site.check()
    where = f"{site.root}/content/tin/2020-01-01-a.md"
    assert _where(result, "error") == [f"{where}:7", f"{where}:11"]
    assert "liên kết '../../anh.png' trỏ ra ngoài thư mục nội dung" in result.err
