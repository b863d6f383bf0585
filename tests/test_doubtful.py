"""What is valid but likely not what the editor meant is a warning at its line; the page
is published as written."""

from conftest import article

TITLE = "Hội nghị tổng kết năm 2024"


def _warnings(result) -> list[str]:
    """Each warning as `name:line: message`, the file named without its folder."""
    return [line.rsplit("/", 1)[1].replace(": warning: ", ": ", 1)
            for line in result.err.splitlines() if ": warning: " in line]  # fmt: skip


def test_a_first_heading_that_repeats_the_title_is_told_at_its_line(make_site):
    """Pasted from Word, a document starts with its title: the page would show it twice."""
    repeated = f"![Ảnh](https://x.vn/a.jpg)\n\n#   {TITLE.upper()}  \n\nĐoạn.\n\n## {TITLE}"
    site = make_site({
        "content/tin/2024-12-20-a.md": article(TITLE, "2024-12-20", repeated),
        "content/tin/2024-12-21-b.md": article(TITLE, "2024-12-21", f"## Kết quả\n\n# {TITLE}"),
        "content/pages/gioi-thieu.md": "---\ntitle: Giới thiệu\n---\n<h2>Giới thiệu</h2>\n",
    })  # fmt: skip
    result = site.build()
    assert result.code == 0
    assert _warnings(result) == [
        "gioi-thieu.md:4: dòng tiêu đề 'Giới thiệu' lặp lại 'title': trang đã hiện tiêu đề ở "
        "đầu bài, nên tiêu đề sẽ hiện hai lần; hãy xóa dòng này",
        f"2024-12-20-a.md:7: dòng tiêu đề '{TITLE.upper()}' lặp lại 'title': trang đã hiện "
        "tiêu đề ở đầu bài, nên tiêu đề sẽ hiện hai lần; hãy xóa dòng này",
        # Its '#' moves '## Kết quả' down to an <h3>, right below the page's title.
        "2024-12-21-b.md:5: đề mục 'Kết quả' bỏ qua cấp (đề mục đầu tiên của bài): trình đọc "
        "màn hình (cho người khiếm thị) đọc bố cục bài theo cấp đề mục, bỏ qua một cấp thì bố "
        "cục bị sai; hãy dùng cấp '#'",
    ]


def test_a_file_name_dated_otherwise_than_the_article_is_told_at_the_date(make_site):
    body = "Nội dung."
    site = make_site({
        "content/tin/2024-11-08-a.md": article("A", "2024-11-10 08:30", body, author="B"),
        "content/tin/2024-11-09-b.md": article("B", "2024-11-09 23:30", body),
        # 2024-11-08 16:30 Vietnam time: the day the site shows, and the name's
        "content/tin/2024-11-08-c.md": article("C", "2024-11-08 09:30 +00:00", body),
        "content/tin/2024-13-45-d.md": article("D", "2024-11-08", body),  # not a date: a name
        "content/tin/e.md": article("E", "2024-11-08", body),
    })  # fmt: skip
    result = site.build()
    assert result.code == 0
    assert _warnings(result) == [
        "2024-11-08-a.md:3: tên tệp bắt đầu bằng ngày 2024-11-08 nhưng 'date' là 2024-11-10: "
        "trang dùng ngày trong 'date' để hiện và xếp bài, không dùng ngày của tên tệp; hãy sửa "
        "cho khớp, sửa 'date' hoặc đổi ngày ở đầu tên tệp (địa chỉ bài không đổi theo)",
    ]
    assert site.html("tin/a/index.html") is not None


def test_a_title_longer_than_300_characters_is_told_with_its_length(make_site):
    long = "Hội nghị " + "khoa học và công nghệ " * 14  # 9 + 22 * 14 = 317 characters
    site = make_site({
        "content/tin/2024-11-08-a.md": article(long.strip(), "2024-11-08"),
        "content/tin/2024-11-08-b.md": article("x" * 300, "2024-11-08"),
        "content/pages/p.md": f"---\ntitle: {'Trang ' * 60}\n---\nNội dung.\n",
    })  # fmt: skip
    result = site.build()
    assert result.code == 0
    assert _warnings(result) == [
        f"p.md:2: tiêu đề dài {len(('Trang ' * 60).strip())} ký tự, quá dài cho một tiêu đề: "
        "trên điện thoại nó chiếm cả màn hình, máy tìm kiếm chỉ hiện phần đầu; hãy rút gọn còn "
        "tối đa 300 ký tự, đưa phần còn lại vào 'summary' hoặc nội dung",
        f"2024-11-08-a.md:2: tiêu đề dài {len(long.strip())} ký tự, quá dài cho một tiêu đề: "
        "trên điện thoại nó chiếm cả màn hình, máy tìm kiếm chỉ hiện phần đầu; hãy rút gọn còn "
        "tối đa 300 ký tự, đưa phần còn lại vào 'summary' hoặc nội dung",
    ]


def test_a_heading_that_skips_a_level_is_told_at_its_line_with_the_level_to_use(make_site):
    """The page's title is its <h1>: a screen reader's list of headings shows a body that
    starts at '###', or goes from '##' to '####', as a page with parts left out."""
    skips = "Mở đầu.\n\n### Kết quả\n\n## Kết quả\n\n#### Kết quả **năm** [2024](https://a.vn)"
    moved = "# Một\n\n### Ba\n\n## Hai"  # a body with '#' has its headings one level down
    outline = "## A\n\n### B\n\n#### C\n\n## D\n\n> ### E\n\nG\n---\n\n<h3>H</h3>"
    site = make_site({
        "content/tin/2024-12-20-a.md": article(TITLE, "2024-12-20", skips),
        "content/tin/2024-12-21-b.md": article("B", "2024-12-21", moved),
        "content/tin/2024-12-22-c.md": article("C", "2024-12-22", outline),
        "content/pages/p.md": "---\ntitle: P\n---\nĐoạn.\n\n<h3>Ba</h3>\n",
    })  # fmt: skip
    result = site.build()
    assert result.code == 0
    why = ("trình đọc màn hình (cho người khiếm thị) đọc bố cục bài theo cấp đề mục, bỏ qua "
           "một cấp thì bố cục bị sai")  # fmt: skip
    assert _warnings(result) == [
        f"p.md:6: đề mục 'Ba' bỏ qua cấp (đề mục đầu tiên của bài): {why}; hãy dùng thẻ <h2>",
        f"2024-12-20-a.md:7: đề mục 'Kết quả' bỏ qua cấp (đề mục đầu tiên của bài): {why}; "
        "hãy dùng cấp '##'",
        f"2024-12-20-a.md:11: đề mục 'Kết quả năm 2024' bỏ qua cấp (đề mục trước nó ở cấp "
        f"'##'): {why}; hãy dùng cấp '###'",
        f"2024-12-21-b.md:7: đề mục 'Ba' bỏ qua cấp (đề mục trước nó ở cấp '#'): {why}; hãy "
        "dùng cấp '##'",
    ]
