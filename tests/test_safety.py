"""Whatever an editor pastes, readers get escaped text and sanitised HTML."""

import os
import sys

import markdown
import pytest
from conftest import article
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from sokhcn_site import markup
from sokhcn_site.markup import BodyContext, sanitise
from sokhcn_site.rendering import (
    _SYNTAX,
    _markdown,
    needs_extra,
    processors,
    render_markdown,
    unused_processors,
)

CAT = "tin"


def test_fields_are_escaped(make_site):
    site = make_site({f"content/{CAT}/a.md": article(
        "<script>alert(1)</script> & co", author="<b>Tác giả</b>", department="Phòng <i>X</i>",
        summary="<img src=x onerror=alert(1)>")})  # fmt: skip
    assert site.build().code == 0
    raw = (site.output / CAT / "a/index.html").read_text()
    assert "<script>alert" not in raw and "<b>Tác giả</b>" not in raw and "<img src=x" not in raw
    page = site.html(f"{CAT}/a/index.html")
    assert page.findtext(".//h1") == "<script>alert(1)</script> & co"
    assert page.xpath("string(//p[@class='signature'])") == "<b>Tác giả</b> - Phòng <i>X</i>"


def test_raw_html_in_bodies_is_sanitised(make_site):
    body = (
        "<script>alert(1)</script>\n\n"
        '<p onclick="steal()">Đoạn <a href="javascript:alert(1)">x</a></p>\n\n'
        '<iframe src="https://evil.example/"></iframe>\n\n'
        '<iframe src="https://www.youtube.com/embed/abc"></iframe>\n\n'
        "<table><tr><td>Ô</td></tr></table>\n\n"
        '<figure><img src="https://example.org/a.png" alt="Ảnh">'
        "<figcaption>Chú thích</figcaption></figure>\n\n<style>body{display:none}</style>"
    )
    site = make_site(
        {f"content/{CAT}/a.md": article("A", body=body)}, {"video_hosts": ["www.youtube.com"]}
    )
    assert site.build().code == 0
    page = site.html(f"{CAT}/a/index.html")
    content = page.find_class("body")[0]
    assert not content.xpath(".//script | .//style")
    assert not [a for a in content.iter() if any(k.startswith("on") for k in a.attrib)]
    assert not content.xpath(".//@href[starts-with(., 'javascript')]")
    assert content.xpath(".//iframe/@src") == ["https://www.youtube.com/embed/abc"]
    assert content.xpath(".//td/text()") == ["Ô"]
    assert content.xpath(".//figure/img/@alt") == ["Ảnh"]
    assert content.xpath(".//figcaption/text()") == ["Chú thích"]
    assert "alert" not in content.text_content()


def test_a_body_with_a_level_one_heading_has_its_headings_one_level_down(make_site):
    """The title is the page's one h1; "# Phần một" lost its tag and became a bare line."""
    body = "# Phần một {#mot}\n\nĐoạn.\n\n## Mục con\n\n###### Sâu nhất\n\n<h1>Thô</h1>"
    site = make_site({f"content/{CAT}/a.md": article("A", body=body),
                      f"content/{CAT}/b.md": article("B", body="## Giữ nguyên")})  # fmt: skip
    built = site.build()
    assert built.code == 0
    # The <h1> tags are kept, as <h2>: nothing was left out. The '######' after '##' is told.
    [told] = built.err.splitlines()
    assert "a.md:11: warning: đề mục 'Sâu nhất' bỏ qua cấp (đề mục trước nó ở cấp '##')" in told
    [content] = site.html(f"{CAT}/a/index.html").find_class("body")
    headings = [(h.tag, h.text, h.get("id")) for h in content if h.tag.startswith("h")]
    assert headings == [("h2", "Phần một", "nd-mot"), ("h3", "Mục con", None),
                        ("h6", "Sâu nhất", None), ("h2", "Thô", None)]  # fmt: skip
    assert (content.text or "").strip() == ""  # no text outside an element
    [content] = site.html(f"{CAT}/b/index.html").find_class("body")
    assert [h.tag for h in content] == ["h2"]


def test_what_the_sanitiser_leaves_out_is_named_at_its_lines(make_site):
    """A picture whose address is dropped is left out too: an <img> with no source was all
    that showed, a broken picture."""
    body = ("Tải [tài liệu](ftp://example.org/a.pdf).\n\n"
            '<IMG src="ftp://example.org/a.png" alt="biểu đồ">\n\n'
            '<video src="https://example.org/a.mp4"></video> <b>Đậm</b>\n')  # fmt: skip
    kept = (
        "[Trang](https://x.vn/) [Thư](mailto:a@x.vn) <b>Đậm</b> <table><tr><td>Ô</td></tr></table>"
    )
    site = make_site({f"content/{CAT}/a.md": article("A", body=body),
                      f"content/{CAT}/b.md": article("B", body=kept)})  # fmt: skip
    result = site.build()
    assert result.code == 0
    assert result.err.splitlines() == [
        f"{site.root}/content/{CAT}/a.md:{line}: warning: {what} không được giữ trên trang, chỉ "
        "liên kết http, https, mailto, tel và các thẻ HTML thông dụng; hãy sửa lại, với ảnh thì "
        "lưu thành tệp cạnh bài viết rồi chèn ![mô tả](ten-anh.png)"
        for line, what in ((5, "địa chỉ ftp:"), (7, "địa chỉ ftp:"), (9, "thẻ <video>"))
    ]
    [content] = site.html(f"{CAT}/a/index.html").find_class("body")
    assert not content.xpath(".//img") and not content.xpath(".//p[not(node())]")


_HOW = "lưu ảnh thành tệp đặt cạnh bài viết rồi chèn ![mô tả](ten-anh.jpg)"
_WORD_PICTURE = "file:///C:/Users/ADMIN/AppData/Local/Temp/msohtmlclip1/01/clip_image002.jpg"


def test_pictures_pasted_from_word_are_errors_each_at_its_own_line(make_site):
    """Word pastes a picture as its bytes (data:) or as a path on the editor's computer
    (file:): neither can be shown, and a published <img> without either was a broken one."""
    body = ["Đoạn một.", "", "Đoạn hai.", "", "Đoạn ba.", '<font color="red">Đỏ</font>', "",
            "Đoạn.", "", "Đoạn.", "", "![Toàn cảnh hội nghị](data:image/png;base64,iVBORw0KGgo=)",
            "", f'<img src="{_WORD_PICTURE}" alt="Lãnh đạo Sở phát biểu">']  # fmt: skip
    site = make_site({f"content/{CAT}/a.md": article("A", body="Đã đăng.")})
    assert site.build().code == 0
    before = site.snapshot()
    text = article("Hội nghị", body="\n".join(body))
    assert text.split("\n")[4 + 5] == body[5]  # the body starts at line 5
    site.write(f"content/{CAT}/b.md", text)
    result = site.build()
    path = f"{site.root}/content/{CAT}/b.md"
    assert result.code == 1
    assert result.err.splitlines() == [
        f"{path}:10: warning: thẻ <font> không được giữ trên trang, chỉ liên kết http, https, "
        "mailto, tel và các thẻ HTML thông dụng; hãy sửa lại, với ảnh thì lưu thành tệp cạnh "
        "bài viết rồi chèn ![mô tả](ten-anh.png)",
        f"{path}:16: error: ảnh 'Toàn cảnh hội nghị' được dán thẳng vào bài (địa chỉ data:...), "
        f"trang web không giữ được ảnh dán; {_HOW}",
        f"{path}:18: error: ảnh 'Lãnh đạo Sở phát biểu' trỏ tới tệp trên máy tính của người soạn "
        f"('{_WORD_PICTURE}'), người đọc không mở được; {_HOW}",
    ]
    assert site.snapshot() == before


def test_the_same_picture_pasted_twice_is_named_at_both_lines(make_site):
    picture = "![Ảnh](data:image/png;base64,iVBORw0KGgo=)"
    body = f"Ảnh dán: data:image/png.\n\n{picture}\n\nGiữa.\n\n{picture}"
    site = make_site({f"content/{CAT}/a.md": article("A", body=body)})
    result = site.build()
    assert result.code == 1
    assert [line.split(": error: ")[0] for line in result.err.splitlines()] == [
        f"{site.root}/content/{CAT}/a.md:{line}" for line in (7, 11)
    ]


def test_a_picture_without_an_address_is_left_out_with_a_warning_at_its_line(make_site):
    body = 'Đoạn.\n\n![Sơ đồ]()\n\nĐoạn.\n\n<img alt="Biểu đồ">\n\n![Có](https://x.vn/a.png)'
    site = make_site({f"content/{CAT}/a.md": article("A", body=body)})
    result = site.build()
    assert result.code == 0
    path = f"{site.root}/content/{CAT}/a.md"
    assert result.err.splitlines() == [
        f"{path}:{line}: warning: ảnh '{alt}' không có địa chỉ nên bị bỏ khỏi trang; {_HOW}"
        for line, alt in ((7, "Sơ đồ"), (11, "Biểu đồ"))
    ]
    [content] = site.html(f"{CAT}/a/index.html").find_class("body")
    assert content.xpath(".//img/@src") == ["https://x.vn/a.png"]
    assert len(content.xpath(".//img")) == 1


def test_relative_links_cannot_point_outside_content(make_site):
    site = make_site({f"content/{CAT}/a.md": article("A", body="[x](../../../etc/passwd)")})
    result = site.build()
    assert result.code == 1
    assert "trỏ ra ngoài thư mục nội dung" in result.err


def test_links_to_other_article_files_become_their_urls(make_site):
    site = make_site({
        f"content/{CAT}/2020-01-01-a.md": article(
            "A", body="Xem [bài B](../khac/2019-10-17-b.md#phan-2)."
        ),
        "content/khac/2019-10-17-b.md": article("B", "2019-10-17", slug="bai-b"),
        f"content/{CAT}/2020-01-02-c.md": article("C", body="[mất](khong-co.md)"),
    })  # fmt: skip
    result = site.build()
    assert result.code == 1
    assert (
        "2020-01-02-c.md:5: error: liên kết tới 'tin/khong-co.md' nhưng không có bài viết đó"
        in result.err
    )
    site.write(f"content/{CAT}/2020-01-02-c.md", article("C"))
    assert site.build().code == 0
    assert site.html(f"{CAT}/a/index.html").xpath("//div[@class='body']//a/@href") == [
        "/khac/bai-b/#nd-phan-2"
    ]


def test_a_link_whose_letters_differ_from_the_files_only_in_case_names_the_file(make_site):
    """Windows takes `anh.jpg` for `Anh.JPG`; the web server does not: still an error, which
    names the file when one alone is so."""
    body = (
        "[bài mới](2024-01-02-bai-moi.md)\n\n![Ảnh](anh/anh.jpg)\n\n"
        "[Kế hoạch](Tai-Lieu/ke-hoach.PDF)\n\n![Hai](anh/Hai.jpg)\n\n[mất](khong-co.md)"
    )
    site = make_site({
        f"content/{CAT}/2024-01-02-Bai-Moi.MD": article("Bài mới", "2024-01-02"),
        f"content/{CAT}/anh/Anh.JPG": b"jpg",
        f"content/{CAT}/anh/hai.jpg": b"jpg",  # two files: no guess
        f"content/{CAT}/anh/HAI.jpg": b"jpg",
        f"content/{CAT}/tai-lieu/Ke-Hoach.pdf": b"pdf",
        f"content/{CAT}/2024-01-03-a.md": article("A", "2024-01-03", body, image="anh/ANH.jpg"),
    })  # fmt: skip
    result = site.build()
    assert result.code == 1
    case = ("tên chỉ khác ở chữ hoa, chữ thường: trang web phân biệt chữ hoa với chữ thường "
            "(Windows thì không), hãy viết liên kết với đúng từng chữ như tên tệp")  # fmt: skip
    where = f"{site.root}/content/{CAT}/2024-01-03-a.md"
    assert result.err.splitlines() == [
        f"{where}:4: error: ảnh chia sẻ 'image: {CAT}/anh/ANH.jpg' không có trong trang web; "
        f"có tệp '/{CAT}/anh/Anh.JPG', {case}",
        f"{where}:6: error: liên kết tới '{CAT}/2024-01-02-bai-moi.md' nhưng không có bài viết "
        f"đó; có bài '{CAT}/2024-01-02-Bai-Moi.MD', {case}",
        f"{where}:8: error: ảnh '/{CAT}/anh/anh.jpg' trỏ tới tệp không có trong trang web; có "
        f"tệp '/{CAT}/anh/Anh.JPG', {case}",
        f"{where}:10: error: liên kết '/{CAT}/Tai-Lieu/ke-hoach.PDF' trỏ tới tệp không có trong "
        f"trang web; có tệp '/{CAT}/tai-lieu/Ke-Hoach.pdf', {case}",
        f"{where}:12: error: ảnh '/{CAT}/anh/Hai.jpg' trỏ tới tệp không có trong trang web; kiểm "
        "tra tên tệp (chữ hoa, chữ thường, dấu) và đường dẫn: tệp đặt cạnh bài viết thì viết "
        "đường dẫn tính từ thư mục của bài, tệp trong static/ thì viết /static/...",
        f"{where}:14: error: liên kết tới '{CAT}/khong-co.md' nhưng không có bài viết đó; kiểm "
        "tra tên tệp (cả phần ngày ở đầu tên) hoặc bỏ liên kết",
    ]


def _tree(root):
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))


PAGE = "---\ntitle: Trang\nslug: {}\n---\nA\n"


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({f"content/{CAT}/a.md": article(slug="../../ngoai")}, "a.md:4: error: slug '../../ngoai'"),
        ({f"content/{CAT}/a.md": article(slug="/etc/x")}, "a.md:4: error: slug '/etc/x'"),
        ({f"content/{CAT}/a.md": article(slug="..\\..\\x")}, "a.md:4: error: slug '..\\..\\x'"),
        ({"content/pages/a.md": PAGE.format("../../ngoai")}, "a.md:3: error: slug '../../ngoai'"),
        ({"content/pages/a.md": PAGE.format("static")}, "a.md:1: error: slug 'static' trùng"),
        ({"content/static/a.md": article()}, "a.md:1: error: tên thư mục chuyên mục 'static'"),
        ({f"content/{CAT}/a.md": article(body="![Ảnh](../../../ngoai.png)")},
         "a.md:5: error: liên kết '../../../ngoai.png' trỏ ra ngoài thư mục nội dung"),
        ({f"content/{CAT}/a.md": article(body='<img alt="x" src="../../ngoai.png">')},
         "a.md:5: error: liên kết '../../ngoai.png' trỏ ra ngoài thư mục nội dung"),
        ({f"content/{CAT}/a\\..\\..\\ngoai.png": b"x"},
         "a\\..\\..\\ngoai.png:1: error: tên tệp không được chứa dấu '\\'"),
    ],
)  # fmt: skip
def test_no_input_writes_outside_the_output_folder(make_site, tmp_path, files, message):
    site = make_site({f"content/{CAT}/b.md": article("B"), **files})
    before = _tree(tmp_path)
    result = site.build()
    assert result.code == 1
    assert f"{message}" in result.err
    # Only the build cache, where --cache-dir says, keeps the parse results for the next build.
    cache = site.root / ".cache"
    after = [p for p in _tree(tmp_path) if cache not in (tmp_path / p, *(tmp_path / p).parents)]
    assert after == before


def test_links_inside_content_are_copied_as_files_and_others_refused(make_site, tmp_path):
    outside = tmp_path / "ngoai"
    outside.mkdir()
    (outside / "mat.png").write_bytes(b"secret")
    site = make_site({f"content/{CAT}/a.md": article("A"), f"content/{CAT}/that.png": b"png"})
    os.symlink("that.png", site.root / f"content/{CAT}/ban-sao.png")
    assert site.build().code == 0
    copy = site.output / CAT / "ban-sao.png"
    assert copy.read_bytes() == b"png" and not copy.is_symlink()
    links = {
        f"content/{CAT}/thu-muc": outside,  # a linked folder
        "static/anh": outside,  # static/ is walked the same way
        "static/mat.png": outside / "mat.png",
        f"content/{CAT}/vong.png": site.root / f"content/{CAT}/vong.png",  # a loop
        f"content/{CAT}/hong.png": site.root / "khong-co.png",  # dangling
    }
    for rel, target in links.items():
        os.symlink(target, site.root / rel)
    result = site.build()
    assert result.code == 1
    lines = result.err.splitlines()
    assert [line.split(": error: ")[0].removeprefix(f"{site.root}/") for line in lines] == [
        f"content/{CAT}/hong.png:1", f"content/{CAT}/thu-muc:1", f"content/{CAT}/vong.png:1",
        "static/anh:1", "static/mat.png:1",
    ]  # fmt: skip
    assert not list(site.output.rglob("mat.png"))


CONTEXT = BodyContext("tin/a.md", "/sub/", ("www.youtube.com",))


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ('<form action="x"><input name="a"><button>Gửi</button></form>', "Gửi"),
        ('<object data="x.swf"></object><embed src="x.swf">', ""),
        ("<svg onload=alert(1)><circle/></svg><math><mi>x</mi></math>", ""),
        ('<base href="https://evil.test/"><meta http-equiv="refresh" content="0">', ""),
        ('<link rel="stylesheet" href="x.css"><video src="a.mp4"></video>', ""),
        ('<p style="position:fixed" data-x="1" aria-hidden="true">x</p>', "<p>x</p>"),
        ('<img src="data:image/png;base64,AAA" alt="a">', '<img alt="a">'),
        ('<a href="vbscript:x">v</a><a href="JaVaScRiPt:alert(1)">j</a>',
         '<a rel="noopener">v</a><a rel="noopener">j</a>'),
        ('<a href="https://e.test/" target="_blank" rel="opener">x</a>',
         '<a href="https://e.test/" rel="noopener">x</a>'),
        ('<iframe src="//www.youtube.com/embed/x"></iframe>', "<iframe></iframe>"),
        ('<iframe src="http://www.youtube.com/embed/x"></iframe>', "<iframe></iframe>"),
        ('<iframe src="https://www.youtube.com.evil.test/x"></iframe>', "<iframe></iframe>"),
        ('<iframe src="https://www.youtube.com@evil.test/x"></iframe>', "<iframe></iframe>"),
        ('<iframe src="https://www.youtube.com/embed/x" srcdoc="<b>" onload="x()"></iframe>',
         '<iframe src="https://www.youtube.com/embed/x"></iframe>'),
        ("<noscript><img src=x onerror=alert(1)></noscript>",
         "&lt;img src=x onerror=alert(1)&gt;"),
        ("<template><script>x</script></template><style>p{}</style>", ""),
        ('<table border="1"><caption>C</caption><tr><th scope="col" style="text-align:right;'
         'background:url(x)">h</th></tr></table>',
         '<table><caption>C</caption><tbody><tr><th scope="col" style="text-align:right">h'
         "</th></tr></tbody></table>"),
        ('<figure><img src="anh/a.jpg" alt="b" loading="lazy"><figcaption>c</figcaption>'
         "</figure>",
         '<figure><img src="/sub/tin/anh/a.jpg" alt="b" loading="lazy"><figcaption>c'
         "</figcaption></figure>"),
        ('<h2 id="noi-dung">x</h2><a href="#noi-dung">y</a>',
         '<h2 id="nd-noi-dung">x</h2><a href="#nd-noi-dung" rel="noopener">y</a>'),
    ],
)  # fmt: skip
def test_the_sanitiser_keeps_only_what_news_articles_need(raw, clean):
    assert sanitise(raw, CONTEXT) == (clean, ())


@pytest.mark.parametrize("problem", [KeyboardInterrupt, RuntimeError])
def test_an_error_or_ctrl_c_in_the_link_filter_is_raised_not_turned_into_a_dropped_link(
    monkeypatch, problem
):
    """nh3 would print it and drop the href: Ctrl-C published, and cached, a link to nowhere."""

    def interrupted(*args: object) -> str:
        raise problem

    hook = sys.unraisablehook
    monkeypatch.setattr(markup, "_resolve_url", interrupted)
    with pytest.raises(problem):
        sanitise('<a href="b.md" title="B">B</a>', CONTEXT)
    assert sys.unraisablehook is hook
    monkeypatch.undo()
    assert sanitise('<a href="b.md">B</a>', CONTEXT)[0].startswith(
        '<a href="/__sokhcn_md__/tin/b.md"'
    )


def test_a_dropped_embed_is_a_warning(make_site):
    body = 'Video:\n\n<iframe src="https://www.facebook.com/plugins/video.php"></iframe>'
    site = make_site({f"content/{CAT}/a.md": article("A", body=body)})
    result = site.build()
    assert result.code == 0
    assert "a.md:7: warning: khung nhúng <iframe> bị bỏ" in result.err


MARKDOWN_SAMPLE = """\
# Tiêu đề {#dau}

Đoạn có *nhấn*, **đậm**, `mã`, chú thích[^1] và HTML viết tắt.

*[HTML]: Hyper Text Markup Language

Thuật ngữ
:   Định nghĩa của nó.

| Cột | Giá trị |
|-----|--------:|
| a   | 1       |

```python
print("xin chào")
```

<div markdown="1">
**Markdown trong HTML**
</div>

1. một
2. hai
* lẫn vào

[^1]: Lời chú thích.
"""


def _processors(md: markdown.Markdown) -> list[list[tuple[str, float]]]:
    registries = (md.preprocessors, md.parser.blockprocessors, md.inlinePatterns,
                  md.treeprocessors, md.postprocessors)  # fmt: skip
    return [sorted((item.name, item.priority) for item in r._priority) for r in registries]


def test_the_converter_is_python_markdowns_extra_and_sane_lists():
    # The extensions "extra" names, each given as an instance (see rendering._markdown).
    converter = _markdown(True)
    expected = markdown.Markdown(extensions=["extra", "sane_lists"], output_format="html")
    assert _processors(converter) == _processors(expected)
    assert converter.reset().convert(MARKDOWN_SAMPLE) == expected.convert(MARKDOWN_SAMPLE)
    assert render_markdown(MARKDOWN_SAMPLE) == expected.reset().convert(MARKDOWN_SAMPLE)
    plain = markdown.Markdown(extensions=["sane_lists"], output_format="html")
    assert _processors(_markdown(False)) == _processors(plain)


# One piece of each extension's syntax that changes the HTML: needs_extra must see each.
EXTRA_SYNTAX = {
    "tables": "| a | b |\n|---|---|\n| 1 | 2 |",
    "attr_list": "# Tiêu đề {#dau}",
    "md_in_html": '<div markdown="1">\n**đậm**\n</div>',
    "footnotes": "Câu[^1].\n\n[^1]: Chú thích.",
    "abbr": "HTML\n\n*[HTML]: Hyper Text",
    "fenced_code": "```\nmã\n```",
    "fenced_code (tilde)": "~~~\nmã\n~~~",
    "def_list": "Thuật ngữ\n:   Định nghĩa.",
    "def_list (in a quote)": "> Thuật ngữ\n> : Định nghĩa.",
    "def_list (in a list)": "- Thuật ngữ\n\n    : Định nghĩa.",
}


@pytest.mark.parametrize("name", EXTRA_SYNTAX)
def test_each_extensions_syntax_makes_the_body_use_the_extensions(name):
    text = EXTRA_SYNTAX[name]
    assert render_markdown(text, extra=True) != render_markdown(text, extra=False)
    assert needs_extra(text)
    assert render_markdown(text) == render_markdown(text, extra=True)


# One piece of each Python-Markdown processor's syntax: the body must keep the processor.
PROCESSOR_SYNTAX = {
    ("inline", "backtick"): "`mã`", ("inline", "escape"): "\\*chữ\\*",
    ("inline", "entity"): "&copy;", ("inline", "linebreak"): "chữ  \nchữ",
    ("inline", "html"): "chữ <b>đậm</b>", ("inline", "autolink"): "<http://a.vn>",
    ("inline", "automail"): "<a@b.vn>", ("inline", "link"): "[chữ](/a)",
    ("inline", "image_link"): "![ảnh](a.png)",
    ("inline", "reference"): "[chữ][a]\n\n[a]: /a", ("inline", "short_reference"): "[a]\n\n[a]: /a",
    ("inline", "image_reference"): "![ảnh][a]\n\n[a]: a.png",
    ("inline", "short_image_ref"): "![a]\n\n[a]: a.png", ("block", "reference"): "[a]: /a",
    ("inline", "em_strong"): "*nghiêng*", ("inline", "em_strong2"): "_nghiêng_",
    ("inline", "not_strong"): "chữ * chữ*", ("block", "hashheader"): "# Tiêu đề",
    ("block", "quote"): "> trích", ("block", "hr"): "chữ\n\n- - -",
    ("pre", "html_block"): "<div>\nchữ\n</div>", ("tree", "unescape"): "\\*",
}  # fmt: skip
# Python-Markdown's serializer keeps entities as written, with or without this pattern: no
# body was found whose HTML it changes.
NO_VISIBLE_EFFECT = {("inline", "entity")}


def _registered(kind: str, name: str) -> bool:
    return name in processors(_markdown(False))[kind]


# Those of the installed Python-Markdown (the emphasis patterns' names changed in 3.11.1).
@pytest.mark.parametrize("key", [key for key in _SYNTAX if _registered(*key)], ids="/".join)
def test_each_processors_syntax_keeps_the_processor(key):
    text = PROCESSOR_SYNTAX[key]
    assert key not in unused_processors(text)
    if key not in NO_VISIBLE_EFFECT:  # the piece needs the processor
        without = _markdown(False, frozenset({key})).reset().convert(text)
        assert without != _markdown(False).reset().convert(text)


# Random bodies, line by line, so that they often hold lists, quotes, definitions, footnotes.
LINE_STARTS = ("", "", "    ", "> ", "- ", "* ", "1. ", "2) ", ": ", ":", "    : ", "> : ", "# ",
               "[^1]: ", "*[a]: ", "[a]: ", "---", "- - -", "*  *  *", "__ _", "## ")  # fmt: skip
INLINE_PIECES = ("chữ ", "đế", "1", " ", "  ", "**", "_", "`", "``", "~", "[a]", "(b)", "[^1]",
                 "[", "]", "!", "\\", "&", "&amp;", "&#1;", "=", ":", "*", "\t", "\r", "\x02",
                 "http://a.b", "a@b.c", "[a](b)", "![a](b)", "[a][]", "![a][a]", "-", "#", ">",
                 "__")  # fmt: skip
LINES = st.tuples(
    st.sampled_from(LINE_STARTS), st.lists(st.sampled_from(INLINE_PIECES), max_size=6)
)


@settings(max_examples=400, deadline=None)
@given(st.lists(LINES.map(lambda line: line[0] + "".join(line[1])), max_size=8).map("\n".join))
@example("a \x02 \nb")  # Python-Markdown drops \x02: a line break
@example("!\x03[a](b)")  # ... and \x03: an image
@example("chữ \r: ")  # ... and makes \r a line's end: a definition
@example("~~\x02~\na\n~~\x03~")  # ... a fence
def test_what_a_body_has_no_syntax_for_is_left_out_with_no_change(text):
    assume(not needs_extra(text))
    assert render_markdown(text) == render_markdown(text, extra=True)
