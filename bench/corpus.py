"""Deterministic Vietnamese news corpus for the build benchmark.

``generate_corpus(root, n)`` writes ``root/content/<category>/<YYYY-MM-DD>-<slug>.md``
files in the site's front-matter format, plus the images they reference.
The same (articles, seed) pair always produces byte-identical files, so figures
measured on different machines or days describe the same input.

Command line: ``python bench/corpus.py DIR --articles N [--seed S]``.
"""

from __future__ import annotations

import argparse
import re
import struct
import sys
import time
import unicodedata
import zlib
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from random import Random

# (slug, display name). The weights make the categories uneven, as on the real
# portal, so per-category listings and "Các tin khác" boxes differ in size.
CATEGORIES: tuple[tuple[str, str], ...] = (
    ("tin-hoat-dong-cua-so", "Tin hoạt động của Sở"),
    ("khoa-hoc-cong-nghe", "Khoa học và Công nghệ"),
    ("so-huu-tri-tue", "Sở hữu trí tuệ"),
    ("tieu-chuan-do-luong", "Tiêu chuẩn Đo lường Chất lượng"),
    ("thong-bao", "Thông báo"),
)
_CATEGORY_WEIGHTS: tuple[int, ...] = (35, 25, 15, 15, 10)

FIRST_DAY = date(2018, 1, 1)
LAST_DAY = date(2025, 12, 31)

# Shares of articles whose date deliberately repeats an earlier article's day or
# minute: listings must then break ties (date desc, slug asc) and a generator
# that keys anything by date alone shows up as wrong output.
_SAME_DAY_SHARE = 0.10
_SAME_MINUTE_SHARE = 0.03
# Share of articles whose front matter has a bare date (no time), as older
# articles on the portal do.
_DATE_ONLY_SHARE = 0.15

WORDS_MIN = 500
WORDS_MAX = 900

# Words and short phrases of the portal's register. Multi-syllable entries are
# kept whole so that sentences read like Vietnamese rather than syllable soup.
_VOCABULARY_TEXT = """
khoa học|công nghệ|đổi mới sáng tạo|nghiên cứu|ứng dụng|chuyển giao|đề tài|dự án
nhiệm vụ|cấp tỉnh|cấp cơ sở|nghiệm thu|đánh giá|hội đồng|tư vấn|tuyển chọn
giao trực tiếp|kinh phí|ngân sách|thực hiện|triển khai|kết quả|hiệu quả|sản xuất
nông nghiệp|công nghiệp|dịch vụ|doanh nghiệp|hợp tác xã|nông dân|người dân|cán bộ
công chức|viên chức|lãnh đạo|Sở Khoa học và Công nghệ|Ủy ban nhân dân tỉnh
Thanh Hóa|huyện|thị xã|thành phố|xã|phường|thị trấn|Thọ Xuân|Ngọc Lặc|Bá Thước
Quảng Xương|Nga Sơn|Hậu Lộc|Nông Cống|Như Thanh|Thạch Thành|Cẩm Thủy|Vĩnh Lộc
Hoằng Hóa|Sầm Sơn|Bỉm Sơn|Nghi Sơn|Lang Chánh|Quan Hóa|Mường Lát|Thường Xuân
Triệu Sơn|Yên Định|Thiệu Hóa|Đông Sơn|Hà Trung|Như Xuân|Quan Sơn|Tĩnh Gia
sở hữu trí tuệ|nhãn hiệu|chỉ dẫn địa lý|nhãn hiệu chứng nhận|nhãn hiệu tập thể
sáng chế|giải pháp hữu ích|kiểu dáng công nghiệp|bảo hộ|xác lập quyền|thực thi
tiêu chuẩn|quy chuẩn|đo lường|chất lượng|sản phẩm|hàng hóa|phương tiện đo
kiểm định|hiệu chuẩn|thử nghiệm|mã số mã vạch|truy xuất nguồn gốc|an toàn
bức xạ|hạt nhân|an toàn bức xạ|thiết bị X quang|giấy phép|thanh tra|kiểm tra
xử lý vi phạm|hành chính|cải cách hành chính|dịch vụ công trực tuyến|một cửa
chuyển đổi số|cơ sở dữ liệu|phần mềm|hệ thống|thông tin|thống kê|báo cáo
hội nghị|hội thảo|tập huấn|tọa đàm|diễn đàn|triển lãm|chợ công nghệ|kết nối
cung cầu|thiết bị|máy móc|dây chuyền|quy trình|kỹ thuật|giống cây trồng
vật nuôi|lúa chất lượng cao|mía|sắn|ngô|cây dược liệu|nấm ăn|nấm dược liệu
chè|cói|bưởi Luận Văn|cam Vân Du|nem chua|nước mắm|mật ong|gạo|thủy sản|tôm
cá|chăn nuôi|trồng trọt|bảo quản|chế biến|sau thu hoạch|môi trường|xử lý
chất thải|nước sạch|năng lượng tái tạo|điện mặt trời|tiết kiệm năng lượng
khởi nghiệp|hệ sinh thái|vườn ươm|trí thức|nhà khoa học|chuyên gia|sinh viên
trường đại học|viện nghiên cứu|trung tâm|phòng thí nghiệm|tổ chức|cá nhân
quản lý|phát triển|nâng cao|năng suất|tăng cường|thúc đẩy|hỗ trợ|khuyến khích
đẩy mạnh|hoàn thiện|xây dựng|ban hành|quy định|nghị quyết|quyết định|kế hoạch
chương trình|chiến lược|định hướng|giai đoạn|mục tiêu|nhiệm kỳ|năm|tháng|quý
tổng kết|sơ kết|phương hướng|nhiệm vụ trọng tâm|công tác|thi đua|khen thưởng
bằng khen|giấy khen|tập thể|đơn vị|cơ quan|phòng|ban|ngành|địa phương|vùng
miền núi|đồng bằng|ven biển|trung du|biên giới|dân tộc thiểu số|nông thôn mới
bền vững|hiện đại|tiên tiến|thông minh|số hóa|minh bạch|công khai|kịp thời
đồng bộ|thiết thực|cụ thể|toàn diện|chủ động|tích cực|nghiêm túc|đúng quy định
đã|đang|sẽ|được|cùng|với|và|của|cho|trong|tại|theo|về|từ|đến|nhằm|để|các
những|một số|nhiều|tất cả|mỗi|đồng thời|bên cạnh đó|ngoài ra|tuy nhiên|vì vậy
do đó|trên cơ sở|thông qua|góp phần|tạo điều kiện|đáp ứng|yêu cầu|thực tiễn
đời sống|kinh tế|xã hội|tăng trưởng|giá trị|thu nhập|việc làm|thị trường
tiêu thụ|xuất khẩu|thương hiệu|uy tín|cạnh tranh|hội nhập|quốc tế|trong nước
ý kiến|góp ý|thảo luận|thống nhất|đề xuất|kiến nghị|giải pháp|khó khăn|vướng mắc
tồn tại|hạn chế|nguyên nhân|bài học|kinh nghiệm|mô hình|điển hình|nhân rộng
phổ biến|tuyên truyền|nâng cao nhận thức|đào tạo|bồi dưỡng|nguồn nhân lực
chất lượng cao|hạ tầng|tiềm lực|đầu tư|huy động|nguồn lực|xã hội hóa|quỹ
phát triển khoa học và công nghệ|thẩm định|công nghệ sinh học|vi sinh|chế phẩm
phân bón hữu cơ|nhà màng|tưới tiết kiệm|cơ giới hóa|tự động hóa|cảm biến
internet vạn vật|trí tuệ nhân tạo|dữ liệu lớn|điện toán đám mây|an toàn thông tin
năm 2018|năm 2019|năm 2020|năm 2021|năm 2022|năm 2023|năm 2024|năm 2025
giai đoạn 2021 - 2025|tầm nhìn đến năm 2030|hơn 20 đơn vị|15 đề tài|ba nhiệm vụ
kỷ niệm|thế hệ trẻ|sức khỏe|rõ ràng|đội ngũ|thẳng thắn|lẵng hoa|nhẹ nhàng|mẫu mã
"""

_TITLE_OPENERS_TEXT = """
Hội nghị tổng kết|Hội thảo khoa học|Tập huấn nghiệp vụ|Nghiệm thu đề tài
Kiểm tra tiến độ|Triển khai kế hoạch|Công bố quyết định|Thông báo tuyển chọn
Hội đồng tư vấn đánh giá|Đoàn công tác làm việc|Ký kết chương trình phối hợp
Tọa đàm về|Trao giấy chứng nhận|Thanh tra chuyên ngành|Khai mạc triển lãm
Sơ kết công tác|Phát động phong trào|Đánh giá hiệu quả|Giới thiệu mô hình
Hướng dẫn thực hiện|Lấy ý kiến góp ý|Thẩm định nội dung|Bàn giao kết quả
"""

_AUTHORS: tuple[str, ...] = (
    "Cao Thị Ngọc Hà",
    "Lê Văn Tuấn",
    "Nguyễn Thị Thu Hằng",
    "Trịnh Đình Dũng",
    "Phạm Quốc Khánh",
    "Hoàng Thị Mai Anh",
    "Đỗ Minh Đức",
    "Vũ Thị Hương Giang",
    "Lê Thị Phương Thảo",
    "Mai Xuân Trường",
    "Nguyễn Hữu Thắng",
    "Bùi Thị Lệ Quyên",
)

_DEPARTMENTS: tuple[str, ...] = (
    "Văn phòng Sở",
    "Phòng Quản lý Khoa học",
    "Phòng Quản lý Công nghệ và Thị trường công nghệ",
    "Phòng Quản lý Chuyên ngành",
    "Phòng Kế hoạch - Tài chính",
    "Thanh tra Sở",
    "Chi cục Tiêu chuẩn Đo lường Chất lượng",
    "Trung tâm Thông tin, Ứng dụng, Chuyển giao KH&CN",
)


def _split_entries(text: str) -> tuple[str, ...]:
    # The tables above are typed by hand; NFC-normalising here guarantees the
    # corpus is NFC whatever the editor that last touched this file produced.
    entries = (unicodedata.normalize("NFC", e.strip()) for e in re.split(r"[|\n]", text))
    return tuple(dict.fromkeys(e for e in entries if e))


VOCABULARY: tuple[str, ...] = _split_entries(_VOCABULARY_TEXT)
_TITLE_OPENERS: tuple[str, ...] = _split_entries(_TITLE_OPENERS_TEXT)
# Syllable count of each entry, so bodies reach an exact word count without
# re-splitting the text they build.
_TOKENS: dict[str, int] = {w: len(w.split()) for w in VOCABULARY + _TITLE_OPENERS}
# _FITTING[k]: entries of at most k syllables, to end a phrase on an exact count.
_FITTING: tuple[tuple[str, ...], ...] = tuple(
    tuple(w for w in VOCABULARY if _TOKENS[w] <= k) for k in range(max(_TOKENS.values()) + 1)
)

_ALNUM = re.compile(r"[^a-z0-9]+")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MARKERS = re.compile(r"^(?:#+|-)\s+", re.MULTILINE)


def slugify(text: str) -> str:
    """ASCII slug the way Vietnamese sites make them: diacritics and đ dropped."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return _ALNUM.sub("-", ascii_text).strip("-")


def count_words(body: str) -> int:
    """Words a reader sees in a Markdown body (image alt text and URLs excluded)."""
    text = _IMAGE.sub(" ", body)
    text = _LINK.sub(r"\1", text)
    text = _MARKERS.sub("", text).replace("**", "")
    return sum(1 for token in text.split() if any(c.isalnum() for c in token))


def image_name(category_index: int) -> str:
    """The one image each category's articles reference, e.g. ``anh-3.png``."""
    return f"anh-{category_index + 1}.png"


def _png(rgb: tuple[int, int, int]) -> bytes:
    # A 1x1 truecolour PNG built by hand: no imaging library just for a fixture.
    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" + bytes(rgb), 9)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def write_images(root: Path) -> list[Path]:
    """Write ``root/content/<cat>/images/anh-N.png`` for every category.

    Article bodies reference ``images/anh-N.png`` relative to their own file, so
    these are the files those references resolve to. Idempotent.
    """
    written: list[Path] = []
    for index, (slug, _name) in enumerate(CATEGORIES):
        folder = root / "content" / slug / "images"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / image_name(index)
        path.write_bytes(_png((40 * index, 120, 255 - 40 * index)))
        written.append(path)
    return written


class _Writer:
    """Builds text from the vocabulary with one shared Random, so output depends
    only on the seed and the order of calls."""

    def __init__(self, rng: Random) -> None:
        self.rng = rng

    def picks(self, tokens: int) -> list[str]:
        """Vocabulary entries totalling exactly ``tokens`` syllables."""
        picks: list[str] = []
        have = 0
        while have < tokens:
            for word in self.rng.choices(VOCABULARY, k=(tokens - have) // 2 + 1):
                size = _TOKENS[word]
                if have + size > tokens:
                    # Finish with an entry that fits rather than cutting a
                    # phrase in half ("thiết bị X" for "thiết bị X quang").
                    word = self.rng.choice(_FITTING[tokens - have])
                    size = _TOKENS[word]
                picks.append(word)
                have += size
                if have == tokens:
                    break
        return picks

    def phrase(self, tokens: int) -> str:
        """Exactly ``tokens`` syllables of vocabulary, lower case, no punctuation."""
        return " ".join(self.picks(tokens))

    def sentence(self, tokens: int, *, bold: bool = False, link: bool = False) -> str:
        rng = self.rng
        parts: list[str] = []
        left = tokens
        if bold and left >= 8:
            lead, size = rng.randint(1, 3), rng.randint(2, 4)
            parts.append(self.phrase(lead))
            parts.append(f"**{self.phrase(size)}**")
            left -= lead + size
        if link and left >= 3:
            size = rng.randint(2, min(5, left - 1))
            text = self.phrase(size)
            parts.append(f"[{text}](https://example.org/{slugify(text)})")
            left -= size
        if left > 0:
            words = self.picks(left)
            if len(words) >= 5 and rng.random() < 0.5:
                # A comma between two entries, attached so counts stay exact.
                words[rng.randint(1, len(words) - 3)] += ","
            parts.append(" ".join(words))
        return _capitalise(" ".join(parts) + ".")

    def paragraph(self, tokens: int, *, bold: bool = False, link: bool = False) -> str:
        rng = self.rng
        sentences: list[str] = []
        left = tokens
        while left > 0:
            size = min(left, rng.randint(12, 28))
            if 0 < left - size < 6:
                size = left  # no sentence shorter than six words
            # Marks go in the first sentence, which always has room for both.
            first = not sentences
            sentences.append(self.sentence(size, bold=bold and first, link=link and first))
            left -= size
        return " ".join(sentences)

    def heading(self) -> tuple[str, int]:
        size = self.rng.randint(3, 8)
        return _capitalise(self.phrase(size)), size

    def title(self) -> str:
        size = self.rng.randint(6, 16)
        opener = self.rng.choice(_TITLE_OPENERS)
        rest = size - _TOKENS[opener]
        return opener + (" " + self.phrase(rest) if rest > 0 else "")


def _capitalise(text: str) -> str:
    # Markup may come first ("**", "["); capitalise the first letter itself.
    for i, c in enumerate(text):
        if c.isalpha():
            return text[:i] + c.upper() + text[i + 1 :]
    return text


def _body(writer: _Writer, target: int, image_ref: str, alt: str) -> str:
    """A Markdown body of exactly ``target`` visible words (see count_words)."""
    rng = writer.rng
    blocks: list[str] = []
    left = target

    def para(size: int, **marks: bool) -> None:
        nonlocal left
        blocks.append(writer.paragraph(size, **marks))
        left -= size

    def heading() -> None:
        nonlocal left
        text, size = writer.heading()
        blocks.append(f"## {text}")
        left -= size

    def bullet_list() -> None:
        nonlocal left
        items: list[str] = []
        for _ in range(rng.randint(3, 5)):
            size = rng.randint(4, 10)
            items.append(f"- {_capitalise(writer.phrase(size))}")
            left -= size
        blocks.append("\n".join(items))

    # The fixed opening guarantees every element type appears in every article,
    # whatever the target length (it uses at most ~270 of the >= 500 words).
    para(rng.randint(40, 90), bold=True)
    blocks.append(f"![{alt}]({image_ref})")
    heading()
    para(rng.randint(40, 90), link=True)
    bullet_list()
    since_heading = 0
    while left > 0:
        if left < 60:
            para(left)  # the last paragraph takes exactly what is left
            break
        roll = rng.random()
        if since_heading >= 2 and roll < 0.5:
            heading()
            since_heading = 0
            continue
        # Two lists in a row would merge into one in Markdown.
        if roll > 0.93 and left > 80 and not blocks[-1].startswith("- "):
            bullet_list()
            continue
        para(
            min(left, rng.randint(40, 90)),
            bold=rng.random() < 0.5,
            link=rng.random() < 0.3,
        )
        since_heading += 1
    return "\n\n".join(blocks) + "\n"


def _dates(rng: Random, n: int) -> list[tuple[datetime, bool]]:
    """``n`` (moment, has_time) pairs over eight years with forced collisions."""
    span = (LAST_DAY - FIRST_DAY).days
    out: list[tuple[datetime, bool]] = []
    for i in range(n):
        roll = rng.random()
        if i and roll < _SAME_MINUTE_SHARE:
            moment, has_time = out[rng.randrange(i)]
            if has_time:
                out.append((moment, True))
                continue
            roll = _SAME_MINUTE_SHARE  # fall through to a same-day, timed copy
        if i and roll < _SAME_MINUTE_SHARE + _SAME_DAY_SHARE:
            day = out[rng.randrange(i)][0].date()
        else:
            day = FIRST_DAY + timedelta(days=rng.randint(0, span))
        if rng.random() < _DATE_ONLY_SHARE:
            out.append((datetime(day.year, day.month, day.day), False))
        else:
            moment = datetime(day.year, day.month, day.day, rng.randint(7, 17), rng.randrange(60))
            out.append((moment, True))
    return out


def _yaml_str(text: str) -> str:
    # Vocabulary holds no quotes or backslashes; escaping keeps it valid anyway.
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def generate_corpus(root: Path, articles: int, seed: int = 2020) -> list[Path]:
    """Write ``articles`` Markdown files under ``root/content`` and their images.

    Returns the article paths in generation order. Deterministic for a given
    (articles, seed). Does not write ``site.yaml``: the caller owns the config.
    """
    if articles < 0:
        raise ValueError("articles must be >= 0")
    rng = Random(seed)
    writer = _Writer(rng)
    root = Path(root)
    write_images(root)
    for slug, _name in CATEGORIES:
        (root / "content" / slug).mkdir(parents=True, exist_ok=True)

    category_of = rng.choices(range(len(CATEGORIES)), weights=_CATEGORY_WEIGHTS, k=articles)
    # Every category must exist even in tiny corpora (tests use a few hundred).
    for i in range(min(articles, len(CATEGORIES))):
        category_of[i] = i
    moments = _dates(rng, articles)
    used_slugs: set[tuple[int, str]] = set()
    paths: list[Path] = []
    for i in range(articles):
        cat = category_of[i]
        cat_slug = CATEGORIES[cat][0]
        moment, has_time = moments[i]
        title = writer.title()
        # Article URLs are <category>/<slug>/, so slugs only need to be unique
        # within a category; long titles are cut to keep paths readable.
        base = "-".join(slugify(title).split("-")[:8])
        slug = base
        suffix = 2
        while (cat, slug) in used_slugs:
            slug = f"{base}-{suffix}"
            suffix += 1
        used_slugs.add((cat, slug))

        summary = writer.sentence(rng.randint(20, 35))
        alt = _capitalise(writer.phrase(rng.randint(3, 7)))
        body = _body(writer, rng.randint(WORDS_MIN, WORDS_MAX), f"images/{image_name(cat)}", alt)
        stamp = moment.strftime("%Y-%m-%d %H:%M" if has_time else "%Y-%m-%d")
        text = (
            "---\n"
            f"title: {_yaml_str(title)}\n"
            f"date: {stamp}\n"
            f"author: {rng.choice(_AUTHORS)}\n"
            f"department: {rng.choice(_DEPARTMENTS)}\n"
            f"summary: {_yaml_str(summary)}\n"
            "---\n"
            f"{body}"
        )
        path = root / "content" / cat_slug / f"{moment:%Y-%m-%d}-{slug}.md"
        path.write_text(text, encoding="utf-8", newline="\n")
        paths.append(path)
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path, help="folder to write content/ into")
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2020)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    paths = generate_corpus(args.root, args.articles, args.seed)
    elapsed = time.perf_counter() - start
    print(f"wrote {len(paths)} articles under {args.root / 'content'} in {elapsed:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
