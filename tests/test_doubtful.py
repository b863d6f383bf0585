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
    ]
