"""`sokhcn-site new` starts an article that builds, and never overwrites one."""

import unicodedata
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from conftest import article

CONFIG = {
    "categories": {"tin": "Tin hoạt động"},
    "defaults": {"author": "Cao Thị Ngọc Hà", "department": "Phòng Quản lý Khoa học"},
}
TITLE = 'Hội nghị: "tổng kết" năm 2024 #1'


def _new(site, *args: str):
    where = ["--content", str(site.root / "content"), "--config", str(site.root / "site.yaml")]
    return site.run("new", *args, *where)


def _front(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    header, body = text.removeprefix("---\n").split("\n---\n", 1)
    assert body == ""
    return yaml.safe_load(header)


def test_the_new_article_has_complete_front_matter_and_builds(make_site):
    site = make_site({}, CONFIG)
    result = _new(site, unicodedata.normalize("NFD", TITLE), "--category", "tin",
                  "--date", "2024-12-20")  # fmt: skip
    assert result.code == 0, result.err
    path = site.root / "content/tin/2024-12-20-hoi-nghi-tong-ket-nam-2024-1.md"
    assert result.out.strip() == path.as_posix()
    front = _front(path)
    assert front["title"] == TITLE  # NFC again, quotes and '#' kept
    assert str(front["date"]) == "2024-12-20"
    assert (front["author"], front["department"]) == tuple(CONFIG["defaults"].values())
    assert set(front) == {"title", "date", "author", "department", "summary", "tags", "draft"}

    built = site.build()
    assert built.code == 0, built.err
    # The body is still to be written: the only remark is that it is empty.
    [remark] = [line for line in built.err.splitlines() if ": warning: " in line]
    assert remark.endswith(": warning: phần nội dung trống; viết nội dung bên dưới dòng '---' "
                           "đóng phần đầu bài")  # fmt: skip
    page = site.html("tin/hoi-nghi-tong-ket-nam-2024-1/index.html")
    assert page.xpath("string(//h1)") == TITLE
    assert page.xpath("string(//p[@class='signature'])") == (
        "Cao Thị Ngọc Hà - Phòng Quản lý Khoa học"
    )


def test_options_override_the_defaults_and_the_date_defaults_to_now(make_site):
    site = make_site({}, CONFIG)
    zone = ZoneInfo("Asia/Ho_Chi_Minh")
    before = datetime.now(zone).strftime("%Y-%m-%d")
    result = _new(site, "Tin mới", "--category", "tin", "--author", "Lê Văn B",
                  "--department", "Văn phòng Sở")  # fmt: skip
    after = datetime.now(zone).strftime("%Y-%m-%d")
    assert result.code == 0, result.err
    path = Path(result.out.strip())
    assert path.name in {f"{before}-tin-moi.md", f"{after}-tin-moi.md"}
    front = _front(path)
    assert (front["author"], front["department"]) == ("Lê Văn B", "Văn phòng Sở")
    assert site.build().code == 0
    assert site.html("tin/tin-moi/index.html").xpath("string(//h1)") == "Tin mới"


def test_an_existing_file_is_left_untouched(make_site):
    existing = "---\ntitle: Bài đã viết\ndate: 2024-12-20\n---\nNội dung quý.\n"
    site = make_site({"content/tin/2024-12-20-bai-da-viet.md": existing}, CONFIG)
    path = site.root / "content/tin/2024-12-20-bai-da-viet.md"
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    result = _new(site, "Bài đã viết", "--category", "tin", "--date", "2024-12-20")
    assert result.code == 1
    assert result.err.startswith(f"{path.as_posix()}:1: error: tệp này đã có")
    assert result.out == ""
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_an_unknown_category_is_refused(make_site):
    site = make_site({"content/thong-bao/2020-01-01-a.md": "x"}, CONFIG)
    result = _new(site, "Tin", "--category", "tin-tuc")
    assert result.code == 1
    assert "error: chưa có chuyên mục 'tin-tuc'; các chuyên mục hiện có: tin. " in result.err
    assert not (site.root / "content/tin-tuc").exists()
    bad_name = _new(site, "Tin", "--category", "Tin Tức")
    assert bad_name.code == 1
    assert "'tin-tuc'" in bad_name.err


def test_a_folder_site_yaml_does_not_list_is_refused_as_the_build_would(make_site):
    site = make_site({"content/thong-bao/2020-01-01-a.md": article("A")}, CONFIG)
    assert site.build().code == 1  # "chuyên mục 'thong-bao' chưa được khai báo"
    result = _new(site, "Thông báo mới", "--category", "thong-bao", "--date", "2024-01-02")
    assert result.code == 1
    # The advice is to edit site.yaml: the message points at its `categories:` line.
    config = site.root / "site.yaml"
    line = config.read_text(encoding="utf-8").splitlines().index("categories:") + 1
    assert line > 1
    assert result.err.startswith(f"{config}:{line}: error: chưa có chuyên mục 'thong-bao'; "
                                 "các chuyên mục hiện có: tin. ")  # fmt: skip
    assert result.err.rstrip().endswith(
        f"hoặc khai báo 'thong-bao': mở tệp {site.root / 'site.yaml'}, thêm ngay dưới dòng "
        "`categories:` dòng "
        "`  thong-bao: Tên chuyên mục` (hai dấu cách ở đầu dòng, thay 'Tên chuyên mục' bằng tên "
        "hiện cho người đọc)"
    )
    assert not (site.root / "content/thong-bao/2024-01-02-thong-bao-moi.md").exists()


def test_without_categories_in_site_yaml_a_folder_is_a_category(make_site):
    site = make_site({"content/thong-bao/2020-01-01-a.md": article("A")})
    result = _new(site, "Thông báo mới", "--category", "thong-bao", "--date", "2024-01-02")
    assert result.code == 0, result.err
    assert (site.root / "content/thong-bao/2024-01-02-thong-bao-moi.md").is_file()
    assert site.build().code == 0
    refused = _new(site, "Tin", "--category", "tin-tuc")
    assert "error: chưa có chuyên mục 'tin-tuc'; các chuyên mục hiện có: thong-bao. " in refused.err


def test_without_categories_in_site_yaml_the_advice_is_a_folder_not_a_declaration(make_site):
    # Declaring one category in site.yaml would leave every other folder undeclared, an
    # error for each of their articles: the advice is the folder to make, or one to name.
    site = make_site({"content/thong-bao/2020-01-01-a.md": article("A"),
                      "content/Tin Cu/2020-01-01-b.md": article("B")})  # fmt: skip
    refused = _new(site, "Tin", "--category", "tin-tuc", "--date", "2024-01-02")
    assert refused.code == 1
    folder = (site.root / "content/tin-tuc").as_posix()
    [line] = refused.err.splitlines()
    # Pointed at the folder to make a category folder in: site.yaml is not to be edited.
    assert line == (
        f"{site.root / 'content'}:1: error: chưa có chuyên mục 'tin-tuc'; các chuyên mục "
        "hiện có: thong-bao. Chọn một trong số đó, hoặc, nếu đây là chuyên mục mới, tạo thư "
        f"mục {folder}/ rồi chạy lại lệnh ({site.root / 'site.yaml'} không có mục "
        "`categories:`, nên mỗi thư mục trong content/ là một chuyên mục)"
    )
    assert "categories: của" not in refused.err
    (site.root / "content/tin-tuc").mkdir()
    result = _new(site, "Tin", "--category", "tin-tuc", "--date", "2024-01-02")
    assert result.code == 0, result.err
    (site.root / "content/Tin Cu/2020-01-01-b.md").unlink()
    assert site.build().code == 0
    assert site.html("tin-tuc/tin/index.html").xpath("string(//h1)") == "Tin"


def test_without_categories_or_folders_the_advice_is_the_folder_to_make(make_site):
    site = make_site({"content/pages/gioi-thieu.md": article("Giới thiệu")})
    refused = _new(site, "Tin", "--category", "tin-tuc")
    assert refused.code == 1
    assert refused.err.rstrip() == (
        f"{site.root / 'content'}:1: error: chưa có chuyên mục 'tin-tuc'; chưa có thư mục "
        "chuyên mục nào trong content/. "
        f"Nếu đây là chuyên mục mới, tạo thư mục {(site.root / 'content/tin-tuc').as_posix()}/ "
        f"rồi chạy lại lệnh ({site.root / 'site.yaml'} không có mục `categories:`, nên mỗi "
        "thư mục trong content/ là một chuyên mục)"
    )


def test_a_bad_date_is_refused_with_the_format_to_use(make_site):
    site = make_site({}, CONFIG)
    result = _new(site, "Tin", "--category", "tin", "--date", "20/12/2024")
    assert result.code == 1
    assert "viết ngày theo dạng 2020-01-14" in result.err
    assert not list((site.root / "content").rglob("*.md"))


@pytest.mark.parametrize("name", ["2024-12-19-tin-moi.md", "2024-12-19-Tin-Moi.markdown"])
def test_a_title_whose_address_is_taken_is_refused(make_site, name):
    site = make_site({f"content/tin/{name}": article("Tin mới")}, CONFIG)
    result = _new(site, "Tin mới", "--category", "tin", "--date", "2024-12-20")
    assert result.code == 1
    other = (site.root / f"content/tin/{name}").as_posix()
    assert f"error: bài {other} đã dùng đường dẫn 'tin-moi'" in result.err
    assert not (site.root / "content/tin/2024-12-20-tin-moi.md").exists()


def test_an_address_set_by_another_articles_slug_line_is_taken_as_the_build_takes_it(make_site):
    site = make_site({
        "content/tin/2024-11-01-thong-bao.md": article("Thông báo", "2024-11-01", slug="Tin Mới"),
        "content/tin/2024-12-19-tin-cu.md": article("Tin cũ", "2024-12-19", slug="khac"),
        "content/tin/2024-12-18-hong.md": "---\ntitle: [chưa đóng\n---\nx\n",
        "content/tin/2024-12-17-ma-khac.md": "---\ntitle: Tin\n---\n".encode("utf-16"),
        "content/tin/2024-12-16-mo.md": "---\ntitle: Chưa đóng\n",
    }, CONFIG)  # fmt: skip
    result = _new(site, "Tin mới", "--category", "tin", "--date", "2024-12-20")
    assert result.code == 1
    other = (site.root / "content/tin/2024-11-01-thong-bao.md").as_posix()
    assert f"error: bài {other} đã dùng đường dẫn 'tin-moi'" in result.err
    assert not (site.root / "content/tin/2024-12-20-tin-moi.md").exists()
    # `tin-cu` is free: its file's `slug:` line gives it another address.
    freed = _new(site, "Tin cũ", "--category", "tin", "--date", "2024-12-20")
    assert freed.code == 0, freed.err
    assert (site.root / "content/tin/2024-12-20-tin-cu.md").is_file()
    assert "đã được dùng" not in site.check().err  # the build agrees: no address used twice
    # A broken header stands for its file name's address, as it will once it is mended.
    broken = _new(site, "Hỏng", "--category", "tin", "--date", "2024-12-20")
    assert broken.code == 1
    assert "2024-12-18-hong.md đã dùng đường dẫn 'hong'" in broken.err


def test_a_long_title_gives_a_file_name_the_disk_takes(make_site):
    site = make_site({"content/tin/.gitkeep": ""}, CONFIG)
    result = _new(site, "Hội nghị tổng kết " * 40, "--category", "tin", "--date", "2024-01-02")
    assert result.code == 0, result.err
    [path] = (site.root / "content/tin").glob("*.md")
    assert path.name.startswith("2024-01-02-hoi-nghi-tong-ket-hoi-nghi")
    assert len(path.name) <= 11 + 80 + 3 and not path.stem.endswith("-")
    assert site.build().code == 0


def test_a_category_that_cannot_be_written_is_told_not_raised(make_site):
    site = make_site({"content/tin": "một tệp, không phải thư mục"}, CONFIG)
    result = _new(site, "Tin", "--category", "tin", "--date", "2024-01-02")
    assert result.code == 1
    path = site.root / "content/tin/2024-01-02-tin.md"
    assert result.err.startswith(f"{path.as_posix()}:1: error: không tạo được tệp (")
    assert "Traceback" not in result.err


def test_a_title_the_build_would_refuse_is_refused_now(make_site):
    site = make_site({"content/tin/.gitkeep": ""}, CONFIG)
    result = _new(site, "Page", "--category", "tin", "--date", "2024-01-02")
    assert result.code == 1
    assert "error: đường dẫn 'page' dành riêng cho các trang sau" in result.err
    assert list((site.root / "content/tin").glob("*.md")) == []
    pages = _new(site, "Tin", "--category", "pages")
    # The name typed is to change, as a bad --date is: neither site.yaml nor a folder.
    assert pages.err.startswith("--category:1: error: 'pages' không dùng được làm chuyên mục")
    assert "ví dụ 'tin-tuc'" in pages.err  # not the name it refuses
