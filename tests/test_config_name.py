"""Messages that send an editor to the configuration name the file `--config` gave, as given."""

from pathlib import Path

import pytest
import yaml
from conftest import BASE_CONFIG, SiteDir, article
from test_timelimit import CRAWLING_BODY

CONFIG = "cau-hinh/thu-nghiem.yaml"


def _elsewhere(site: SiteDir, monkeypatch: pytest.MonkeyPatch, config: dict) -> None:
    """Move the site's configuration to CONFIG and work from the site's folder, so that every
    path is relative, as an editor types it."""
    (site.root / "site.yaml").unlink()
    site.write(CONFIG, yaml.safe_dump({**BASE_CONFIG, **config}, allow_unicode=True))
    monkeypatch.chdir(site.root)


def _relative(command: str, config: str, *args: str) -> list[str]:
    return [
        command, "--content", "content", "--templates", "templates", "--static", "static",
        "--config", config, "--output", "public", "--cache-dir", ".cache", *args,
    ]  # fmt: skip


def test_every_message_about_the_configuration_names_the_file_given(make_site, monkeypatch):
    site = make_site({
        "content/tin/a.md": article("A", summary="x" * 41, category="Thông báo",
                                    body='<iframe src="https://la.example/"></iframe>'),
        "content/tin/cham.md": article("Chậm", body=CRAWLING_BODY),
        "content/thong-bao/b.md": article("B"),
    })  # fmt: skip
    config = {"categories": {"tin": "Tin"}, "summary_limit": 40, "parse_timeout": 0.5}
    _elsewhere(site, monkeypatch, config)
    result = site.run(*_relative("check", CONFIG, "--jobs", "1"))
    assert result.code == 1
    assert result.err.splitlines() == [
        "content/thong-bao/b.md:1: error: chuyên mục 'thong-bao' chưa được khai báo trong "
        f"'categories' của {CONFIG}; chuyển bài vào một thư mục đã khai báo (tin), hoặc khai báo "
        f"thêm chuyên mục này: mở tệp {CONFIG}, thêm ngay dưới dòng `categories:` dòng "
        "`  thong-bao: Tên chuyên mục` (hai dấu cách ở đầu dòng, thay 'Tên chuyên mục' bằng tên "
        "hiện cho người đọc)",
        "content/tin/a.md:4: warning: tóm tắt dài 41 ký tự, trình đọc tin chỉ hiện khoảng 40 ký "
        f"tự (summary_limit trong {CONFIG}); hãy rút gọn",
        "content/tin/a.md:5: warning: 'category: Thông báo' không được dùng: chuyên mục của bài "
        f"là thư mục 'tin' (Tin, trong {CONFIG}); muốn đổi chuyên mục thì chuyển tệp sang thư "
        "mục của chuyên mục kia",
        "content/tin/a.md:7: warning: khung nhúng <iframe> bị bỏ: chỉ giữ video https từ các máy "
        f"chủ trong 'video_hosts' của {CONFIG}",
        "content/tin/cham.md:5: error: đọc phần nội dung mất hơn 0,5 giây (parse_timeout trong "
        f"{CONFIG}), thường vì hàng nghìn dấu '[' hay '(' không đóng, hoặc danh sách lồng nhau "
        "hàng trăm cấp; hãy sửa lại phần nội dung, hoặc tăng parse_timeout nếu bài thật sự dài",
    ]


def test_new_sends_the_editor_to_the_file_given(make_site, monkeypatch):
    site = make_site({"content/tin/a.md": article("A")})
    _elsewhere(site, monkeypatch, {"categories": {"tin": "Tin"}})
    result = site.run("new", "Tin mới", "--category", "thong-bao", "--config", CONFIG)
    assert result.code == 1
    line = Path(CONFIG).read_text(encoding="utf-8").splitlines().index("categories:") + 1
    assert result.err.splitlines() == [
        f"{CONFIG}:{line}: error: chưa có chuyên mục 'thong-bao'; các chuyên mục hiện có: tin. "
        f"Chọn một trong số đó, hoặc khai báo 'thong-bao': mở tệp {CONFIG}, thêm ngay dưới dòng "
        "`categories:` dòng `  thong-bao: Tên chuyên mục` (hai dấu cách ở đầu dòng, thay 'Tên "
        "chuyên mục' bằng tên hiện cho người đọc)",
    ]
    # Without `categories:` the folders are the categories, and the file is still named.
    site.write(CONFIG, yaml.safe_dump(BASE_CONFIG, allow_unicode=True))
    result = site.run("new", "Tin mới", "--category", "thong-bao", "--config", CONFIG)
    assert result.code == 1
    assert result.err.splitlines() == [  # at the content folder, where the folder is to make
        "content:1: error: chưa có chuyên mục 'thong-bao'; các chuyên mục hiện có: tin. Chọn "
        "một trong số đó, hoặc, nếu đây là chuyên mục mới, tạo thư mục content/thong-bao/ rồi "
        f"chạy lại lệnh ({CONFIG} không có mục `categories:`, nên mỗi thư mục trong content/ là "
        "một chuyên mục)",
    ]


def test_a_rebuild_under_another_config_name_tells_that_name(make_site, monkeypatch):
    """The same settings in two files, one cache: the warnings of cached parse results, and
    those a build that changed nothing repeats, name the file of this build."""
    site = make_site({"content/tin/a.md": article("A", category="Thông báo")})
    config = {"categories": {"tin": "Tin"}}
    _elsewhere(site, monkeypatch, config)
    Path("site.yaml").write_bytes(Path(CONFIG).read_bytes())
    told = "warning: 'category: Thông báo' không được dùng: chuyên mục của bài là thư mục 'tin' "
    for name in ("site.yaml", CONFIG, CONFIG, "site.yaml"):
        result = site.run(*_relative("build", name))
        assert result.code == 0
        assert result.err.splitlines() == [
            f"content/tin/a.md:4: {told}(Tin, trong {name}); muốn đổi chuyên mục thì chuyển tệp "
            "sang thư mục của chuyên mục kia"
        ]
