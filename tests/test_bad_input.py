"""Every bad file is reported as PATH:LINE: error: MESSAGE, and the old site stays."""

import os

import feedparser
from conftest import article

CAT = "tin"


def test_every_bad_file_is_reported_and_the_published_site_is_untouched(make_site):
    site = make_site({f"content/{CAT}/2020-01-01-tot.md": article("Tốt", "2020-01-01")})
    assert site.build().code == 0
    before = site.snapshot()
    bad = {
        "khong-utf8.md": b"---\ntitle: Tin\n---\n" + "Thanh Hóa".encode("cp1258"),
        "yaml-loi.md": "---\ntitle: Tin\ndate: 2020-01-14\nauthor: [chưa đóng\n---\nA\n",
        "thieu-tieu-de.md": "---\ndate: 2020-01-14\n---\nA\n",
        "tieu-de-rong.md": "---\ntitle: '  '\ndate: 2020-01-14\n---\nA\n",
        "thieu-ngay.md": "---\ntitle: Tin\n---\nA\n",
        "ngay-sai.md": "---\ntitle: Tin\nauthor: A\ndate: 14/01/2020\n---\nA\n",
        "ngay-khong-co.md": "---\ntitle: Tin\ndate: 2019-02-30\n---\nA\n",
        "slug-thoat.md": "---\ntitle: Tin\ndate: 2020-01-14\nslug: ../../etc\n---\nA\n",
    }
    for name, text in bad.items():
        site.write(f"content/{CAT}/{name}", text)
    site.write(f"content/{CAT}/2020-01-02-trung.md", article("Trùng 1", "2020-01-02"))
    site.write(f"content/{CAT}/2020-01-03-trung.md", article("Trùng 2", "2020-01-03"))
    result = site.build()
    assert result.code == 1
    lines = result.err.strip().splitlines()
    prefix = str(site.root / "content" / CAT)
    expected = {
        "khong-utf8.md": (4, "UTF-8"),
        "ngay-khong-co.md": (3, "không có trên lịch"),
        "ngay-sai.md": (4, "không đúng định dạng"),
        "slug-thoat.md": (4, "không được chứa"),
        "thieu-ngay.md": (1, "thiếu 'date'"),
        "thieu-tieu-de.md": (1, "thiếu 'title'"),
        "tieu-de-rong.md": (2, "thiếu 'title'"),
        "yaml-loi.md": (5, "YAML"),
        "2020-01-03-trung.md": (1, "2020-01-02-trung.md"),
    }
    for name, (line, words) in expected.items():
        matching = [x for x in lines if x.startswith(f"{prefix}/{name}:{line}: error: ")]
        assert len(matching) == 1, (name, lines)
        assert words in matching[0], matching
    assert len(lines) == len(expected)
    assert site.snapshot() == before
    assert "Không xuất bản" in result.out


def test_a_failed_first_build_creates_no_output(make_site):
    site = make_site({f"content/{CAT}/a.md": "---\ntitle: Tin\n---\n"})
    assert site.build().code == 1
    assert not site.output.exists()
    assert site.staging_folders() == []


def test_articles_outside_a_category_and_bad_folder_names_are_errors(make_site):
    site = make_site({
        "content/lac-loai.md": article("Lạc"),
        "content/Tin Tức/a.md": article("A"),
        "content/page/b.md": article("B"),
    })  # fmt: skip
    result = site.build()
    assert result.code == 1
    assert "lac-loai.md:1: error: bài viết phải nằm trong thư mục chuyên mục" in result.err
    assert "Tin Tức/a.md:1: error: tên thư mục chuyên mục 'Tin Tức'" in result.err
    assert "'tin-tuc'" in result.err
    assert "page/b.md:1: error:" in result.err


def test_configuration_and_usage_errors_exit_2(make_site):
    site = make_site({f"content/{CAT}/a.md": article()}, {"page_sise": 5})
    result = site.build()
    assert result.code == 2
    assert "unknown key 'page_sise'; did you mean 'page_size'?" in result.err
    site.write("site.yaml", "name: A\nbase_url: https://example.test/\n")
    assert site.build("--no-such-option").code == 2
    assert site.build("--base-url", "not a url").code == 2
    assert site.build("--content", str(site.root / "missing")).code == 2
    assert site.build().code == 0


def test_settings_written_with_no_value_take_their_defaults(make_site):
    """`page_size:` alone on its line (YAML's null), as one empties a setting, is the
    setting not given, not an error: 10 articles a page, 7 other news, and so on."""
    files = {f"content/{CAT}/2020-01-{d:02}-a{d}.md": article(f"A{d}", f"2020-01-{d:02}")
             for d in range(1, 13)}  # fmt: skip
    site = make_site(files)
    emptied = ("description", "timezone", "page_size", "feed_size", "other_news",
               "summary_limit", "partner_timeout", "parse_timeout")  # fmt: skip
    with (site.root / "site.yaml").open("a", encoding="utf-8") as config:
        config.write("".join(f"{key}:\n" for key in emptied))
    result = site.build()
    assert result.code == 0, result.err
    assert len(site.html("index.html").xpath("//ol[@class='article-list']/li")) == 10
    assert len(site.html("page/2/index.html").xpath("//ol[@class='article-list']/li")) == 2
    page = site.html(f"{CAT}/a12/index.html")
    assert len(page.xpath("//aside[.//h2[normalize-space()='Các tin khác']]//li")) == 7
    assert page.xpath("string(//time)").strip() == "12/01/2020"


def test_template_errors_name_the_template_line_and_article(make_site):
    site = make_site({f"content/{CAT}/a.md": article("A")})
    template = site.root / "templates/article.html"
    template.write_text(
        template.read_text().replace("{{ article.title }}</h1>", "{{ article.nope }}</h1>")
    )
    result = site.build()
    assert result.code == 1
    assert "templates/article.html:" in result.err
    assert f"content/{CAT}/a.md" in result.err
    assert "nope" in result.err


def test_unknown_front_matter_key_is_a_warning_with_a_suggestion(make_site):
    site = make_site({f"content/{CAT}/a.md": "---\ntitle: A\ndate: 2020-01-01\nauthr: B\n---\nx\n"})
    result = site.build()
    assert result.code == 0
    assert "a.md:4: warning: khóa 'authr' không được dùng; có phải ý bạn là 'author'?" in result.err


def test_a_header_left_open_does_not_swallow_the_body_unsaid(make_site):
    """The closing '---' forgotten, the body's rule closes the header: its first lines
    would be keys. They are errors, each at its line, and nothing is published."""
    text = (
        "---\ntitle: Thông báo họp\ndate: 2024-11-20\n\n"
        "Thời gian: 8h00 ngày 25/11/2024\nĐịa điểm: Hội trường Sở\n\n---\n\nĐúng giờ.\n"
    )
    site = make_site({f"content/{CAT}/a.md": text})
    result = site.build()
    assert result.code == 1
    lines = result.err.strip().splitlines()
    assert [line.split(": error: ")[0] for line in lines] == [
        f"{site.root / 'content' / CAT / 'a.md'}:{n}" for n in (5, 6)
    ]
    assert "'Thời gian' không phải khóa của phần đầu bài" in lines[0]
    assert "phần đầu bài chưa được đóng" in lines[0]


def build_headers(make_site, headers: dict[str, str]) -> tuple[int, list[str]]:
    """Build articles of these headers (by file name); the exit code and stderr's lines,
    each path relative to the category's folder."""
    site = make_site({f"content/{CAT}/{n}": f"---\n{h}\n---\nx\n" for n, h in headers.items()})
    result = site.build()
    prefix = f"{site.root / 'content' / CAT}/"
    return result.code, [line.removeprefix(prefix) for line in result.err.strip().splitlines()]


def test_a_hash_in_an_unquoted_value_is_told_not_dropped_unsaid(make_site):
    headers = {
        "a.md": "title: Hội nghị lần thứ #3 về chuyển đổi số\ndate: 2020-01-01",
        "b.md": "title: '#3 là số thứ tự' # a note\ndate: 2020-01-01 # a note\nauthor: A #B",
        "c.md": "title: Tin\ndate: 2020-01-01\n# a comment on a line of its own\nsummary: |\n  #1",
    }
    code, told = build_headers(make_site, headers)
    assert code == 0
    assert told == [
        "a.md:2: warning: phần sau dấu '#' của 'title' bị coi là ghi chú và bị bỏ "
        "đi; nếu nó thuộc giá trị, đặt cả giá trị trong ngoặc kép, ví dụ "
        '`title: "Hội nghị lần thứ #3"`',
        "b.md:4: warning: phần sau dấu '#' của 'author' bị coi là ghi chú và bị "
        "bỏ đi; nếu nó thuộc giá trị, đặt cả giá trị trong ngoặc kép, ví dụ "
        '`author: "Hội nghị lần thứ #3"`',
    ]


def test_what_word_pastes_into_a_header_is_named_at_its_line(make_site):
    headers = {
        "cong.md": "title: “Hội nghị: tổng kết”\ndate: 2020-01-01",
        "cung.md": "date: 2020-01-01\ntitle:\u00a0Khoảng trắng cứng\nauthor: A",
    }
    code, told = build_headers(make_site, headers)
    assert code == 1
    assert told == [
        "cong.md:2: error: ngoặc kép cong “ ” (thường do dán từ Word) không phải "
        "ngoặc kép của phần đầu bài; gõ lại bằng ngoặc kép thẳng, ví dụ "
        '`title: "Hội nghị: tổng kết"`',
        "cung.md:3: error: dòng này có khoảng trắng cứng (thường do dán từ Word) "
        "sau dấu ':'; xóa nó rồi gõ một dấu cách thường",
    ]


def test_symlink_pointing_outside_content_is_refused(make_site, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("mật")
    site = make_site({f"content/{CAT}/a.md": article("A")})
    os.symlink(secret, site.root / "content" / CAT / "lo.txt")
    result = site.build()
    assert result.code == 1
    assert "lo.txt:1: error: liên kết tượng trưng trỏ ra ngoài thư mục" in result.err
    assert not site.output.exists()


def test_control_characters_are_taken_out_with_a_warning_and_every_feed_is_made(make_site):
    """Pasted from Word or a PDF (a form feed), or written as a YAML escape or an entity: no
    XML may hold them, and the feeds' writer failed with a traceback."""
    body = "Đoạn một.\n\nĐoạn\x0c hai &#1; tiếp.\n"
    files = {f"content/{CAT}/a.md": '---\ntitle: "Tin\\x01 mới"\ndate: 2020-01-14\n'
                                     'tags: ["a\\x02b"]\n---\n' + body}  # fmt: skip
    site = make_site(files)
    result = site.build()
    assert result.code == 0, result.err
    fix = "(thường do dán từ Word hay PDF), đã được bỏ đi; gõ lại chỗ đó cho sạch"
    where = f"{site.root}/content/{CAT}/a.md"
    assert result.err.splitlines() == [
        f"{where}:2: warning: 'title' có ký tự điều khiển vô hình {fix}",
        f"{where}:4: warning: 'tags' có ký tự điều khiển vô hình {fix}",
        f"{where}:8: warning: phần nội dung có ký tự điều khiển vô hình {fix}",
    ]
    page = site.html(f"{CAT}/a/index.html")
    assert page.findtext(".//h1") == "Tin mới"
    assert page.find_class("body")[0].text_content().split() == "Đoạn một. Đoạn hai tiếp.".split()
    for feed in ("rss.xml", "atom.xml", f"{CAT}/rss.xml"):
        assert feedparser.parse((site.output / feed).read_bytes()).entries[0].title == "Tin mới"


def test_a_control_character_in_site_yaml_is_a_configuration_error(make_site):
    site = make_site(
        {f"content/{CAT}/a.md": article()}, {"name": "Sở\x00", "footer": {"fax": "\x0c"}}
    )
    result = site.build()
    assert result.code == 2
    assert "'name' contains a control character (such as U+0000); remove it" in result.err
    assert "'footer' contains a control character" in result.err


def test_huge_values_are_reported_not_raised(make_site):
    """Python converts no integer of over 4,300 digits to text; an alias bomb is billions long."""
    bomb = "".join(f"{n}: &{n} [{', '.join(['*' + p] * 9) if p else ', '.join(['x'] * 9)}]\n"
                   for n, p in zip("abcdefghi", ["", *"abcdefgh"], strict=True))  # fmt: skip
    files = {
        f"content/{CAT}/so.md": f"---\ntitle: {'9' * 5000}\ndate: 2020-01-14\n---\nx\n",
        f"content/{CAT}/bom.md": f"---\ntitle: Bom\n{bomb}date: *i\n---\nx\n",
        f"content/{CAT}/ngay.md": f"---\ntitle: Ngày\ndate: {'1' * 5000}\n---\nx\n",
    }
    site = make_site(files)
    result = site.build()
    assert result.code == 1
    where, hint = (
        f"{site.root}/content/{CAT}",
        "viết ngày theo dạng 2020-01-14 hoặc 2020-01-14 08:30",
    )
    errors = [line for line in result.err.splitlines() if ": error: " in line]
    assert errors == [
        f"{where}/bom.md:12: error: ngày '(danh sách)' không đúng định dạng; {hint}",
        f"{where}/ngay.md:3: error: ngày '{'1' * 40}…' không đúng định dạng; {hint}",
    ]
    site.write(f"content/{CAT}/bom.md", article("Bom"))
    site.write(f"content/{CAT}/ngay.md", article("Ngày"))
    assert site.build().code == 0
    assert site.html(f"{CAT}/so/index.html").findtext(".//h1") == "9" * 5000


def test_a_file_name_that_is_not_utf8_is_an_error(make_site):
    site = make_site({f"content/{CAT}/a.md": article()})
    (site.root / "content" / CAT / os.fsdecode(b"anh-\xff.jpg")).write_bytes(b"jpg")
    result = site.build()
    assert result.code == 1
    assert result.err == (
        f"{site.root}/content/{CAT}/anh-\\udcff.jpg:1: error: tên tệp không phải chữ UTF-8 "
        "(thường do giải nén tệp zip cũ); đổi tên tệp\n"
    )


def test_a_bad_entry_of_site_yaml_is_reported_at_its_own_line(make_site):
    """A long `categories:` or `menu:` is fixed at the entry the message names."""
    site = make_site({f"content/{CAT}/a.md": article()})
    site.write("site.yaml", (
        "name: Sở Thử\nbase_url: https://example.test/\n"
        "categories:\n  tin: Tin\n  Thông Báo: Thông báo\n  khoa-hoc:\n"  # 3-6
        "menu:\n  - title: Tin\n    url: tin/\n  - title: Không có url\n"  # 7-10
        "footer:\n  name: Sở\n  mail: a@b.test\n"  # 11-13
        "defaults:\n  tac-gia: A\n"  # 14-15
        "video_hosts:\n  - www.youtube.com\n  - [youtube.com]\n"  # 16-18
    ))  # fmt: skip
    result = site.build()
    assert result.code == 2
    path = site.root / "site.yaml"
    assert result.err.splitlines() == [
        f"{path}:5: error: category 'Thông Báo' is not a slug (try 'thong-bao')",
        f"{path}:6: error: category 'khoa-hoc' needs a display name",
        f"{path}:10: error: each 'menu' entry must have exactly 'title' and 'url'",
        f"{path}:13: error: unknown footer key 'mail'; known: name, address, phone, fax, email, "
        "editor_in_chief",
        f"{path}:15: error: unknown defaults key 'tac-gia'; known: author, department",
        f"{path}:18: error: 'video_hosts' must be a list of strings",
    ]
