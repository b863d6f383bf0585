"""`sokhcn-site check`: every problem a build would meet, one per line, nothing written."""

import unicodedata

from conftest import ROOT, article

from sokhcn_site.cli import main


def _corpus(make_site):
    site = make_site(
        {"content/tin/2020-01-01-a.md": article("A", "2020-01-01", body=(
             "Xem [B](../thong-bao/2019-10-17-khong-co.md).\n\n![Hội nghị](anh/khong-co.jpg)\n\n"
             "[Tải kế hoạch](tai-lieu/ke-hoach.pdf)\n\n![Logo](/static/img/khong-co.png)")),
         "content/tin/2020-01-02-b.md": article("B", "2020-01-02", body="![](anh/co.jpg)",
                                                 summary="x" * 41),
         "content/tin/anh/co.jpg": b"jpg",
         "content/tin/2020-01-03-c.md": "---\ntitle: C\ndate: 2020-01-03\ntitel: C\n---\n",
         "content/tin/2020-01-04-d.md": article(
             "D", "2020-01-04", body="Thanh Hóa và " + unicodedata.normalize("NFD", "Thanh Hóa")),
         "content/tin-tuc/2020-01-05-e.md": article("E", "2020-01-05"),
         "content/tin/2019-02-30-f.md": article("F", "2019-02-30")},
        {"categories": {"tin": "Tin", "thong-bao": "Thông báo"}, "summary_limit": 40},
    )  # fmt: skip
    return site


EXPECTED = [
    ("tin-tuc/2020-01-05-e.md", 1, "error", "chuyên mục 'tin-tuc' chưa được khai báo trong "
     "'categories' của {config}; có phải ý bạn là 'tin'?"),
    ("tin/2019-02-30-f.md", 3, "error", "ngày '2019-02-30' không có trên lịch"),
    ("tin/2020-01-01-a.md", 5, "error",
     "liên kết tới 'thong-bao/2019-10-17-khong-co.md' nhưng không có bài viết đó"),
    ("tin/2020-01-01-a.md", 7, "error", "ảnh '/tin/anh/khong-co.jpg' trỏ tới tệp không có"),
    ("tin/2020-01-01-a.md", 9, "error",
     "liên kết '/tin/tai-lieu/ke-hoach.pdf' trỏ tới tệp không có"),
    ("tin/2020-01-01-a.md", 11, "error", "ảnh '/static/img/khong-co.png' trỏ tới tệp không có"),
    ("tin/2020-01-02-b.md", 4, "warning", "tóm tắt dài 41 ký tự, trình đọc tin chỉ hiện khoảng "
     "40 ký tự"),
    ("tin/2020-01-02-b.md", 6, "warning", "ảnh 'co.jpg' không có mô tả"),
    ("tin/2020-01-03-c.md", 4, "warning",
     "khóa 'titel' không được dùng; có phải ý bạn là 'title'?"),
    ("tin/2020-01-03-c.md", 5, "warning", "phần nội dung trống"),
    ("tin/2020-01-04-d.md", 5, "warning", "tệp trộn chữ Việt dựng sẵn (NFC) và tổ hợp (NFD)"),
]  # fmt: skip


def test_check_lists_every_problem_in_order_and_writes_nothing(make_site):
    site = _corpus(make_site)
    result = site.check()
    assert result.code == 1
    lines = result.err.strip().splitlines()
    assert len(lines) == len(EXPECTED), lines
    prefix = f"{site.root}/content/"
    for line, (path, number, severity, words) in zip(lines, EXPECTED, strict=True):
        told = words.format(config=site.root / "site.yaml")  # the file --config names
        assert line.startswith(f"{prefix}{path}:{number}: {severity}: {told}"), line
    assert result.out.strip() == "Kiểm tra xong: 6 lỗi, 5 cảnh báo."
    assert sorted(p.name for p in site.root.iterdir()) == [
        "content", "site.yaml", "static", "templates"
    ]  # fmt: skip


def test_build_reports_the_same_problems_the_same_way(make_site):
    site = _corpus(make_site)
    checked, built = site.check(), site.build()
    assert built.code == 1
    assert built.err == checked.err
    assert not site.output.exists()


def test_a_missing_picture_is_named_at_its_own_line_not_at_another_of_its_name(make_site):
    """Lines were found by the file's bare name: the first "a.png" of the file, here the
    header's `image:`, named a missing "anh-2/a.png" further down."""
    body = "![Ảnh một](anh/a.png)\n\nĐoạn.\n\n![Ảnh hai](anh-2/a.png)\n\n[Tệp](/tin/a.png)"
    site = make_site({"content/tin/2020-01-01-a.md": article("A", "2020-01-01", body,
                                                             image="anh/a.png"),
                      "content/tin/anh/a.png": b"png"})  # fmt: skip
    result = site.check()
    prefix = f"{site.root}/content/tin/2020-01-01-a.md"
    assert [line.split(": error: ")[0] for line in result.err.strip().splitlines()] == [
        f"{prefix}:10",
        f"{prefix}:12",
    ]


def test_warnings_alone_pass_unless_strict(make_site):
    site = make_site({"content/tin/a.md": "---\ntitle: A\ndate: 2020-01-01\nauthr: B\n---\nx\n"})
    result = site.check()
    assert result.code == 0
    assert result.err.endswith("a.md:4: warning: khóa 'authr' không được dùng; "
                               "có phải ý bạn là 'author'?\n")  # fmt: skip
    strict = site.check("--strict")
    assert strict.code == 1
    assert strict.err.endswith("a.md:4: error: khóa 'authr' không được dùng; "
                               "có phải ý bạn là 'author'?\n")  # fmt: skip
    assert not site.output.exists()


def test_a_clean_site_passes_strict(make_site):
    site = make_site({"content/tin/a.md": article("A", body="![Ảnh đẹp](anh/a.jpg)"),
                      "content/tin/anh/a.jpg": b"jpg"})  # fmt: skip
    result = site.check("--strict")
    assert (result.code, result.err) == (0, "")


def test_strict_does_not_fail_on_a_cache_left_by_another_version(make_site, monkeypatch):
    site = make_site({"content/tin/a.md": article("A")})
    assert site.build().code == 0
    monkeypatch.setattr("sokhcn_site.cache.__version__", "999.0")
    result = site.check("--strict")
    assert result.code == 0, result.err
    assert ": warning: bộ nhớ đệm không dùng được" in result.err


def test_check_renders_so_template_errors_are_caught(make_site):
    site = make_site({"content/tin/a.md": article("A")})
    template = site.root / "templates/article.html"
    template.write_text(template.read_text().replace("{{ article.title }}</h1>", "{{ x.y }}</h1>"))
    result = site.check()
    assert result.code == 1
    lines = template.read_text().splitlines()
    number = next(i for i, x in enumerate(lines, 1) if "{{ x.y }}" in x)
    assert result.err == (
        f"{template}:{number}: error: template error while rendering "
        f"{site.root}/content/tin/a.md: 'x' is undefined\n"
    )


def test_a_template_bug_that_breaks_every_article_is_one_error(make_site):
    site = make_site({f"content/tin/2020-01-0{n}-a{n}.md": article(f"A{n}", f"2020-01-0{n}")
                      for n in range(1, 4)})  # fmt: skip
    template = site.root / "templates/article.html"
    template.write_text(template.read_text().replace("{{ article.title }}</h1>", "{{ x.y }}</h1>"))
    result = site.build()
    assert result.code == 1
    [line] = [x for x in result.err.splitlines() if "template error" in x]
    assert line.endswith("'x' is undefined (and 2 more pages)"), line
    assert "while rendering " in line and "content/tin/2020-01-0" in line


def test_template_errors_are_reported_along_with_content_errors(make_site):
    site = make_site({"content/tin/a.md": article("A"), "content/tin/b.md": "---\ntitle: B\n---\n"})
    (site.root / "templates/404.html").write_text("{% if %}")
    result = site.build()
    assert result.code == 1
    assert "b.md:1: error: thiếu 'date'" in result.err
    assert "404.html:1: error: template error" in result.err


def test_a_hidden_article_is_not_dropped_silently(make_site):
    site = make_site({"content/tin/a.md": article("A"), "content/tin/.b.md": article("B"),
                      "content/tin/.gitkeep": b""})  # fmt: skip
    result = site.build()
    assert result.code == 0
    assert result.err == (
        f"{site.root}/content/tin/.b.md:1: warning: tệp ẩn (tên bắt đầu bằng dấu chấm) không được "
        "đăng; bỏ dấu chấm ở đầu tên nếu muốn đăng bài này\n"
    )
    assert not (site.output / "tin" / "b").exists()


def test_a_file_landing_on_another_output_is_named_with_what_it_clashes_with(make_site):
    files = {"content/tin/a.md": article("A"), "content/tin/index.html": "<p>x</p>",
             "content/static/css/site.css": "p {}", "content/rss.xml": "x"}  # fmt: skip
    site = make_site(files)
    result = site.build()
    assert result.code == 1
    generated = "một tệp trang web tự tạo (trang danh sách, nguồn tin, tìm kiếm...)"
    fix = "đổi tên tệp hoặc chuyển nó sang thư mục khác"
    content, static = f"{site.root}/content", f"{site.root}/static"
    assert [line for line in result.err.splitlines() if "trùng chỗ" in line] == [
        f"{content}/rss.xml:1: error: tệp này sẽ nằm ở 'rss.xml' của trang web, trùng chỗ với "
        f"{generated}; {fix}",
        f"{content}/static/css/site.css:1: error: tệp này sẽ nằm ở 'static/css/site.css' của "
        f"trang web, trùng chỗ với tệp {static}/css/site.css; {fix}",
        f"{content}/tin/index.html:1: error: tệp này sẽ nằm ở 'tin/index.html' của trang web, "
        f"trùng chỗ với {generated}; {fix}",
        f"{static}/css/site.css:1: error: tệp này sẽ nằm ở 'static/css/site.css' của trang web, "
        f"trùng chỗ với tệp {content}/static/css/site.css; {fix}",
    ]
    assert not site.output.exists()


def test_two_names_that_differ_only_in_how_letters_are_coded_clash_once(make_site):
    nfc, nfd = (unicodedata.normalize(form, "content/tin/hô.txt") for form in ("NFC", "NFD"))
    site = make_site({"content/tin/a.md": article("A"), nfc: "x", nfd: "y"})
    result = site.build()
    assert result.code == 1
    assert result.err == (
        f"{site.root}/{nfc}:1: error: tệp này sẽ nằm ở 'tin/hô.txt' của trang web, trùng chỗ với "
        "một tệp khác cùng tên nhưng gõ dấu theo kiểu khác (NFC và NFD); đổi tên tệp hoặc chuyển "
        "nó sang thư mục khác\n"
    )


def test_configuration_errors_exit_2(make_site):
    site = make_site({"content/tin/a.md": article("A")}, {"summary_limit": 0})
    result = site.check()
    assert result.code == 2
    assert "'summary_limit' must be a whole number of at least 1" in result.err
    assert site.check("--templates", str(site.root / "nope")).code == 2


def test_links_to_drafts_warn_but_do_not_fail(make_site):
    site = make_site({"content/tin/2020-01-01-a.md": article("A", body="[B](2020-01-02-b.md)"),
                      "content/tin/2020-01-02-b.md": article("B", draft=True)})  # fmt: skip
    result = site.check()
    assert result.code == 0
    assert "2020-01-01-a.md:5: warning: liên kết tới bài chưa đăng" in result.err


def test_the_repository_content_is_clean(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(ROOT)
    # Not the developer's own .cache: this checks the content, not what a build left there.
    assert main(["check", "--strict", "--cache-dir", str(tmp_path)]) == 0
    assert capsys.readouterr().err == ""


def test_a_sharing_image_that_is_not_there_is_an_error(make_site):
    site = make_site({
        "content/tin/a.md": article("A", image="anh/co.jpg"), "content/tin/anh/co.jpg": b"jpg",
        "content/tin/b.md": article("B", author="X", image="anh/khong-co.jpg"),
        "content/tin/c.md": article("C", image="../../ngoai.jpg"),
        "content/tin/d.md": article("D", image="https://example.org/anh.jpg"),
    })  # fmt: skip
    result = site.check()
    assert result.code == 1
    lines = [line.removeprefix(f"{site.root}/content/tin/") for line in result.err.splitlines()]
    assert [line.split(": error: ")[0] for line in lines] == ["b.md:5", "c.md:4"]
    assert "ảnh chia sẻ 'image: tin/anh/khong-co.jpg' không có trong trang web" in lines[0]


def test_ctrl_c_stops_check_with_130(make_site, monkeypatch):
    site = make_site({"content/tin/a.md": article("A")})

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("sokhcn_site.cli.build", interrupted)
    result = site.check()
    assert (result.code, result.err) == (130, "Đã dừng kiểm tra.\n")


def test_warnings_point_at_their_line_whatever_the_line_endings(make_site):
    text = article("B", body="Đoạn.\n\n![](anh.jpg)\n\n<iframe src='https://x.example/'></iframe>")
    files = {
        f"content/tin/2020-01-14-{name}.md": text.replace("\n", ending).encode()
        for name, ending in (("lf", "\n"), ("crlf", "\r\n"), ("cr", "\r"))
    }
    site = make_site({**files, "content/tin/anh.jpg": b"jpg"})
    lines = site.check().err.strip().splitlines()
    for name in ("lf", "crlf", "cr"):
        found = [line.split(f"-{name}.md:", 1)[1] for line in lines if f"-{name}.md:" in line]
        assert [f.split(":", 1)[0] for f in found] == ["7", "9"], found


def test_a_link_written_percent_encoded_is_found_at_its_line_and_told_on_one_line(make_site):
    body = (
        "Mở đầu.\n\n"
        "Tải [tài liệu](t%C3%A0i%20li%E1%BB%87u.pdf).\n\n"  # an address copied from a browser
        "Xem [đây](java%0ascript:alert(1))."  # a newline, once decoded
    )
    site = make_site({"content/tin/a.md": article("A", body=body)})
    result = site.check()
    assert result.code == 1
    where = f"{site.root}/content/tin/a.md"
    assert [line.split(" trỏ tới")[0] for line in result.err.splitlines()] == [
        f"{where}:7: error: liên kết '/tin/tài liệu.pdf'",
        f"{where}:9: error: liên kết '/tin/java\\nscript:alert(1)'",
    ]


def test_check_refuses_the_output_folders_a_build_would(make_site):
    site = make_site({"content/tin/a.md": article()})
    for output in (site.root / "content" / "tin", site.root / "site.yaml"):
        result = site.check("--output", str(output))
        assert result.code == 2, output
        assert "--output must be a folder of its own" in result.err
