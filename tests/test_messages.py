"""Every problem an editor can cause is told in Vietnamese, with how to fix it."""

import re

from conftest import article

CAT = "tin"
# Each message names the problem, then (after ';', ':' or ',') what to do about it, in the
# imperative ("được dùng" in a problem is no fix: "dùng" counts only as "chỉ/hoặc dùng").
FIX = re.compile(
    r"[;:,] .*\b(thêm|viết|kiểm tra|hãy|xóa|đổi|chép|chuyển|chỉ dùng|hoặc dùng|đặt|có phải|"
    r"ví dụ|liên kết sẽ)\b"
)
LINE = re.compile(r"\S+:\d+: (?:error|warning): (.*)")
BAD = {
    "khong-utf8.md": b"---\ntitle: Tin\n---\n" + "Thanh Hóa".encode("cp1258"),
    "yaml-loi.md": "---\ntitle: Tin: hai chấm\ndate: 2020-01-14\n---\nA\n",
    "khong-dong.md": "---\ntitle: Tin\ndate: 2020-01-14\nA\n",
    "khong-mo.md": "title: Tin\n",
    "thieu-ngay.md": "---\ntitle: Tin\n---\nA\n",
    "ngay-sai.md": "---\ntitle: Tin\ndate: 14/01/2020\n---\nA\n",
    "ngay-khong-co.md": "---\ntitle: Tin\ndate: 2019-02-30\n---\nA\n",
    "slug-thoat.md": "---\ntitle: Tin\ndate: 2020-01-14\nslug: ../x\n---\nA\n",
    "tac-gia.md": "---\ntitle: Tin\ndate: 2020-01-14\nauthor: [A, B]\n---\nA\n",
    "nhap.md": "---\ntitle: Tin\ndate: 2020-01-14\ndraft: có\n---\nA\n",
    "the.md": "---\ntitle: Tin\ndate: 2020-01-14\ntags: {a: b}\n---\nA\n",
    "khoa-la.md": "---\ntitle: Tin\ndate: 2020-01-14\nxyz: 1\ntitle: Lại\n---\nA\n",
    "ra-ngoai.md": article("Tin", body="[x](../../../bi-mat.txt)"),
    "lien-ket.md": article("Tin", body="[x](khong-co.md)"),
    "gio-sai.md": "---\ntitle: Tin\ndate: 2020-01-14 24:00\n---\nA\n",
    "mui-gio-sai.md": "---\ntitle: Tin\ndate: 2020-01-14 08:00 +07:60\n---\nA\n",
    "bai-moi.md.txt": article("Tin"),
    "index.html": "<p>Trùng trang chuyên mục</p>",
    "bo-bot.md": article("Tin", body='<video src="a.mp4"></video> [x](ftp://a.vn/b)'),
    "tep-may.md": article("Tin", body="[Kế hoạch](file:///C:/Users/A/ke-hoach.docx)"),
    "tieu-de-lap.md": article("Tin", body="# Tin\n\nNội dung."),
    "2020-01-01-ngay-lech.md": article("Tin", "2020-01-02"),
    "tieu-de-dai.md": article("Tin " * 51),
}


def test_every_message_says_how_to_fix_it(make_site):
    files = {f"content/{CAT}/{name}": text for name, text in BAD.items()}
    files["content/pages/a/b.md"] = article("Trang")
    site = make_site(files)
    result = site.build()
    assert result.code == 1
    lines = result.err.strip().splitlines()
    assert len(lines) >= len(BAD) + 1
    messages = [LINE.fullmatch(line) for line in lines]
    assert all(messages), lines
    assert [m.group(1) for m in messages if m and not FIX.search(m.group(1))] == []


def test_an_unknown_key_without_a_near_match_lists_the_keys(make_site):
    site = make_site({f"content/{CAT}/a.md": "---\ntitle: A\ndate: 2020-01-01\nxyz: B\n---\nx\n"})
    result = site.build()
    assert result.code == 0
    assert "a.md:4: warning: khóa 'xyz' không được dùng; xóa dòng này hoặc dùng một trong " in (
        result.err
    )
    assert "title, date, author" in result.err


def test_a_yaml_mistake_shows_how_to_quote(make_site):
    site = make_site({f"content/{CAT}/a.md": BAD["yaml-loi.md"]})
    result = site.build()
    assert result.code == 1
    assert "a.md:2: error: lỗi cú pháp YAML (" in result.err
    assert '`title: "Hội nghị: tổng kết"`' in result.err
