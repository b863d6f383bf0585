"""The reader's side of the site in headless Chromium: search, links, print, phones, a11y.

The site is the repository's content (with short pages, so there is pagination), built
for a sub-path and served over HTTP at 127.0.0.1/sub/. Chromium is Debian's package
driven by Playwright; axe-core comes from npm via .ci/install-tools. Without them the
tests are skipped on a workstation and fail in CI.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT, article, create_site

from sokhcn_site.localserver import serving

sys.path.insert(0, str(ROOT / "bench"))
import corpus

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
AXE = (
    Path(os.environ.get("AXE_CORE_DIR") or ROOT / ".cache/tools/node_modules/axe-core")
    / "axe.min.js"
)
SCREENSHOTS = Path(os.environ.get("ARTIFACTS_DIR") or ROOT / "test-artifacts") / "screenshots"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}

CAT = "tin-hoat-dong-cua-so"
NONG_THON = f"{CAT}/hieu-qua-tu-cac-du-an-nong-thon-mien-nui-o-thanh-hoa/"
# The header's colour, --brand in static/css/site.css: the style sheet was applied.
BRAND = "rgb(11, 79, 138)"
TONG_KET = f"{CAT}/hoi-nghi-tong-ket-hoat-dong-khoa-hoc-va-cong-nghe-nam-2019/"
# An article the repository's content lacks: what is wider than a phone, and a video.
WIDE = f"{CAT}/so-lieu-de-tai-theo-thang/"
MONTHS = " | ".join(f"Tháng {n}" for n in range(1, 13))
WIDE_ARTICLE = f"""---
title: Số liệu đề tài theo tháng
date: 2019-01-02
author: Phòng Quản lý Khoa học
---
Số đề tài nghiệm thu trong năm:

| Chỉ tiêu | {MONTHS} |
|---|{"---|" * 12}
| Đề tài nghiệm thu cấp tỉnh | {" | ".join(str(n) for n in range(1, 13))} |

    đường_dẫn = "https://example.test/{"rat-dai/" * 30}"

<iframe width="560" height="315" src="https://www.youtube.com/embed/abc123"></iframe>
"""


def _missing(message: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright is not installed: pip install -e '.[test]'")
    if not CHROMIUM.is_file():
        _missing(f"{CHROMIUM} is missing: apt-get install chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of the built site, served under /sub/."""
    config = yaml.safe_load((ROOT / "site.yaml").read_text(encoding="utf-8"))
    files = {
        path.relative_to(ROOT).as_posix(): path.read_bytes()
        for path in sorted((ROOT / "content").rglob("*"))
        if path.is_file()
    }
    files[f"content/{CAT}/2019-01-02-so-lieu-de-tai-theo-thang.md"] = WIDE_ARTICLE.encode()
    root = tmp_path_factory.mktemp("browser") / "site"
    site = create_site(root, files, config | {"page_size": 3})
    built = site.build("--base-url", "https://example.test/sub/", "--offline",
                       "--cache-dir", str(site.root / "cache"))  # fmt: skip
    assert built.code == 0, built.err
    with serving(site.output, "/sub/") as url:
        yield url


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=DESKTOP)
    yield context.new_page()
    context.close()


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def results(page: Any, query: str) -> list[str]:
    """Type `query` into the search page's box; the result links' paths once shown."""
    page.fill("#q", query)
    page.wait_for_function(
        "q => window.__searchTimings.some(t => t.query === q)", arg=query.strip()
    )
    return page.eval_on_selector_all(
        "#results .search-result-title a", "links => links.map(a => new URL(a.href).pathname)"
    )


def open_search(page: Any, base: str, query: str = "") -> None:
    page.goto(f"{base}tim-kiem/" + (f"?q={query}" if query else ""))
    page.wait_for_function("window.__searchTimings !== undefined")


# ------------------------------------------------------------------ search ----


def test_a_query_without_diacritics_finds_the_article_first_and_opens_it(page, base):
    open_search(page, base)
    assert results(page, "nong thon mien nui")[0] == f"/sub/{NONG_THON}"
    first = page.locator("#results .search-result").first
    assert first.locator("mark").all_inner_texts()[:4] == ["NÔNG", "THÔN", "MIỀN", "NÚI"]
    assert re.fullmatch(r"\d\d/\d\d/\d{4}", first.locator("time").inner_text())
    assert first.locator(".search-result-category").inner_text() == "Tin hoạt động của Sở"
    first.locator("a").click()
    page.wait_for_url(f"{base}{NONG_THON}")
    assert page.inner_text("h1") == "HIỆU QUẢ TỪ CÁC DỰ ÁN NÔNG THÔN MIỀN NÚI Ở THANH HÓA"


def test_any_form_of_a_query_finds_the_same_articles(page, base):
    open_search(page, base)
    plain = results(page, "tong ket khoa hoc ")
    assert plain[0] == f"/sub/{TONG_KET}"
    assert results(page, "tổng kết khoa học ") == plain
    assert results(page, nfd("TỔNG KẾT KHOA HỌC ")) == plain
    assert results(page, "Thanh Hoa ") == results(page, "thanh hoá ") != []
    assert results(page, "xyzw ") == []
    assert "Không tìm thấy" in page.inner_text("#search-status")


def test_the_header_form_and_a_q_address_open_the_results(page, base):
    page.goto(f"{base}{CAT}/")
    page.fill("#header-q", "tong ket khoa hoc")
    page.press("#header-q", "Enter")
    page.wait_for_url(re.compile(r"/sub/tim-kiem/\?q=tong"))
    page.wait_for_function("window.__searchTimings?.length > 0")
    assert page.input_value("#q") == "tong ket khoa hoc"
    first = page.locator("#results .search-result-title a").first
    assert first.get_attribute("href") == f"/sub/{TONG_KET}"


def test_a_sent_query_matches_whole_words_and_only_typing_matches_the_start(page, base):
    """ "kho" is the start of "khoa", which many articles have, and a word none has."""
    open_search(page, base, "kho")
    assert _searched(page, "kho", 1) == []  # from an address
    page.fill("#q", "")
    page.type("#q", "kho")  # typed: the start of a word
    assert _searched(page, "kho", 2) != []
    page.press("#q", "Enter")  # sent
    assert _searched(page, "kho", 3) == []
    assert "Không tìm thấy" in page.inner_text("#search-status")


def test_a_query_of_more_words_than_are_used_says_so(page, base):
    open_search(page, base)
    assert results(page, "hội nghị tổng kết khoa học công nghệ ") != []
    assert "Chỉ 8 từ đầu" not in page.inner_text("#search-status")  # eight words: all used
    assert results(page, "hội nghị tổng kết khoa học công nghệ zzzq ") != []  # not found
    status = page.inner_text("#search-status")
    assert status.startswith("Tìm thấy") and status.endswith("Chỉ 8 từ đầu được dùng để tìm.")


def test_a_word_too_long_for_the_index_is_left_out_and_said_so(page, base):
    """The index leaves out words of over 40 characters: one in a query (a code pasted with
    the words) would match nothing, and every word must match."""
    code = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
    unused = "Từ dài hơn 40 ký tự (như mã hay địa chỉ trang web) không được dùng để tìm."
    open_search(page, base)
    words = results(page, "nong thon mien nui ")
    assert results(page, f"nong thon mien nui {code} ") == words != []
    status = page.inner_text("#search-status")
    assert status.endswith(f"phù hợp với “nong thon mien nui {code}”. {unused}")
    page.fill("#q", code)  # nothing left to search with: the status says why, not "none"
    page.wait_for_function(
        "text => document.querySelector('#search-status').textContent.startsWith(text)",
        arg=unused,
    )
    status = page.inner_text("#search-status")
    assert status == f"{unused} Hãy nhập những từ có trong bài viết cần tìm."
    assert page.locator("#results li").count() == 0


def _searched(page: Any, query: str, times: int) -> list[str]:
    """The result links' paths once the page has searched `query` (trimmed) `times` times."""
    page.wait_for_function(
        "([q, n]) => window.__searchTimings.filter(t => t.query === q).length >= n",
        arg=[query, times],
    )
    return page.eval_on_selector_all(
        "#results .search-result-title a", "links => links.map(a => new URL(a.href).pathname)"
    )


def test_more_results_keep_the_keyboard_where_the_reader_was(page, tmp_path):
    files = {f"content/tin/{n:02}.md": article(f"Hội nghị số {n}", f"2020-01-{n:02}")
             for n in range(1, 13)}  # fmt: skip
    site = create_site(tmp_path / "site", files)
    assert site.build().code == 0
    with serving(site.output) as url:
        open_search(page, url, "hoi nghi")
        assert len(_searched(page, "hoi nghi", 1)) == 10
        page.focus(".search-more")
        page.keyboard.press("Enter")
        page.wait_for_function("document.querySelectorAll('#results li').length === 12")
        focused = page.evaluate("document.activeElement.closest('li') === "
                                "document.querySelectorAll('#results li')[10]")  # fmt: skip
        assert focused  # the first new result, not the page's body


def test_results_with_the_words_together_are_shown_first(page, tmp_path):
    """ "chuyển đổi số" is one word of three syllables: an article with them apart, though
    newer and with all three in its title, is shown after those that have it."""
    apart = "Chuyển giao công nghệ, đổi mới và số hóa"
    files = {
        "content/tin/a.md": article(apart, "2020-01-09"),
        "content/tin/b.md": article("Tin tức", "2020-01-08", "Tỉnh đẩy mạnh chuyển đổi số."),
        "content/tin/c.md": article("Hội thảo chuyển đổi số", "2020-01-05"),
    }
    site = create_site(tmp_path / "site", files)
    assert site.build().code == 0
    with serving(site.output) as url:
        open_search(page, url, "chuyen doi so")
        _searched(page, "chuyen doi so", 1)
        titles = page.locator("#results .search-result-title a").all_inner_texts()
    assert titles == ["Hội thảo chuyển đổi số", "Tin tức", apart]


def _corpus_site(root: Path, articles: int, seed: int) -> Path:
    """A site of `articles` generated articles, built; its output folder."""
    site = create_site(root, {})
    corpus.generate_corpus(root, articles, seed=seed)
    assert site.build().code == 0
    return site.output


def test_an_open_search_page_follows_a_new_build_of_the_site(browser, tmp_path):
    """A deploy renames some of the index's files: a tab opened before it searches the new
    site, where it used to say that the search failed."""
    old, new = _corpus_site(tmp_path / "old", 60, 1), _corpus_site(tmp_path / "new", 90, 2)
    index = "tim-kiem/index/meta.json"
    kept = {shard[2] for shard in json.loads((new / index).read_bytes())["shards"]}
    term = next(first for first, _, name in json.loads((old / index).read_bytes())["shards"]
                if first and name not in kept)  # fmt: skip
    served = tmp_path / "www"
    shutil.copytree(old, served)
    context = browser.new_context()
    with serving(served) as url:
        early, late = context.new_page(), context.new_page()
        open_search(early, url, "a")  # meta.json read, and the first shard
        _searched(early, "a", 1)
        shutil.rmtree(served)
        shutil.copytree(new, served)
        # Deployed in the same second, as a server that dates files to the second sees it.
        stamp = (old / index).stat()
        os.utime(served / index, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
        open_search(late, url, term)
        assert results(early, term + " ") == _searched(late, term, 1) != []
        assert early.inner_text("#search-status") == late.inner_text("#search-status")
    context.close()


def test_a_deploy_of_another_index_format_asks_an_open_page_to_reload(page, tmp_path):
    served = _corpus_site(tmp_path / "site", 60, 1)
    with serving(served) as url:
        open_search(page, url, "a")
        _searched(page, "a", 1)
        index = served / "tim-kiem/index"
        meta = json.loads((index / "meta.json").read_bytes())
        (index / "meta.json").write_text(json.dumps({**meta, "format": -1}))
        for shard in index.glob("t-*.json"):  # a new format's files have other names
            shard.unlink()
        page.fill("#q", "hoi nghi ")
        page.wait_for_function("document.querySelector('#search-status').textContent"
                               ".includes('tải lại trang')")  # fmt: skip


def test_without_javascript_the_search_page_says_so_and_lists_the_categories(browser, base):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{base}tim-kiem/")
    notice = page.locator(".search-noscript")
    assert "cần JavaScript" in notice.inner_text()
    notice.get_by_role("link", name="Tin hoạt động của Sở").click()
    page.wait_for_url(f"{base}{CAT}/")
    context.close()


# ------------------------------------------------------------------- links ----


def follow(page: Any, link: Any) -> int:
    with page.expect_navigation() as navigation:
        link.click()
    return navigation.value.status


def test_other_news_and_pagination_links_work(page, base):
    page.goto(f"{base}{TONG_KET}")
    others = page.locator(".other-news a")
    assert others.count() == 7
    for i in range(others.count()):
        title = others.nth(i).inner_text()
        assert follow(page, others.nth(i)) == 200
        assert page.inner_text("h1") == title
        page.go_back()
    for start in ("", f"{CAT}/"):
        page.goto(base + start)
        pages = 1
        while page.locator("a[rel=next]").count():
            assert follow(page, page.locator("a[rel=next]")) == 200
            pages += 1
        assert pages == 3  # 9 articles, 3 a page
        while page.locator("a[rel=prev]").count():
            assert follow(page, page.locator("a[rel=prev]")) == 200
        assert page.url == base + start


def test_pages_load_without_a_failed_request_or_a_console_error(page, base):
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else 0)
    page.on("requestfailed", lambda r: failed.append(f"failed {r.url}"))
    page.on("console", lambda m: failed.append(m.text) if m.type == "error" else 0)
    for path in ("", TONG_KET, f"{CAT}/page/2/", "gioi-thieu/", "tim-kiem/?q=khoa%20hoc"):
        assert page.goto(base + path).status == 200
        page.wait_for_load_state("networkidle")
    page.wait_for_selector("#results li")
    assert failed == []


# ------------------------------------------------------------------- print ----


def test_printing_an_article_shows_the_article_alone(page, base):
    page.goto(f"{base}{TONG_KET}")
    screen_only = (".site-header", ".site-nav", ".site-footer", ".other-news", ".tools")
    for part in screen_only:  # there, and shown on screen: hiding them is print's doing
        assert page.locator(part).first.is_visible(), part
    page.emulate_media(media="print")
    for part in screen_only:
        assert all(found.is_hidden() for found in page.locator(part).all()), part
    for shown in ("h1", ".meta time", ".body", ".signature"):
        assert page.locator(shown).first.is_visible(), shown
    page.emulate_media(media="screen")
    assert page.locator(".other-news").is_visible()


def test_without_javascript_there_is_no_print_button_to_press(browser, base):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{base}{TONG_KET}")
    assert page.locator(".print-button").count() == 1  # in the page, for scripts to show
    assert page.get_by_role("button", name="In tin").count() == 0
    assert page.locator(".tools").is_hidden()
    context.close()


def test_the_print_button_prints_under_a_policy_that_forbids_inline_scripts(page, base):
    """As a server may send: script-src 'self' blocks onclick attributes, not the site's files."""

    def strict(route: Any) -> None:
        response = route.fetch()
        policy = {"content-security-policy": "script-src 'self'"}
        route.fulfill(response=response, headers=response.headers | policy)

    page.route(f"{base}**", strict)
    page.goto(f"{base}{TONG_KET}")
    page.evaluate("() => { window.print = () => { window.printed = (window.printed || 0) + 1; }; }")
    button = page.get_by_role("button", name="In tin")
    assert button.is_visible()
    button.click()
    assert page.evaluate("window.printed") == 1


def test_paper_names_the_site_and_the_address_of_a_body_link(page, tmp_path):
    body = "Xem [Bộ KH&CN](https://most.gov.vn/tin/) và <https://most.gov.vn/>."
    site = create_site(tmp_path / "site", {"content/tin/a.md": article("A", body=body)})
    assert site.build().code == 0
    after = (
        "[...document.querySelectorAll('.body a')]"
        ".map((a) => getComputedStyle(a, '::after').content)"
    )
    with serving(site.output) as url:
        page.goto(f"{url}tin/a/")
        assert page.locator(".print-source").is_hidden()
        assert page.evaluate(after) == ["none", "none"]
        page.emulate_media(media="print")
        assert page.locator(".print-source").is_visible()
        assert page.inner_text(".print-site") == "SỞ THỬ NGHIỆM"  # upper case, as on screen
        assert page.inner_text(".print-address") == "https://example.test/tin/a/"
        assert page.evaluate(after) == ['" (https://most.gov.vn/tin/)"', "none"]


# ------------------------------------------------------------------ phones ----


def stub_videos(page: Any) -> None:
    """Answer for the video host (tests never reach the internet)."""
    answer = {"body": "<title>Video</title>", "content_type": "text/html"}
    page.route("https://www.youtube.com/**", lambda route: route.fulfill(**answer))


# 320 px: the width WCAG's reflow asks for (1280 px at 400 % zoom).
@pytest.mark.parametrize("width", [320, 360])
@pytest.mark.parametrize("path", ["", TONG_KET, WIDE, "tim-kiem/?q=khoa%20hoc"])
def test_no_horizontal_scrolling_on_a_phone(browser, base, path, width):
    context = browser.new_context(viewport={"width": width, "height": 740})
    page = context.new_page()
    stub_videos(page)
    page.goto(base + path)
    widths = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1] == width
    context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_wide_table_scrolls_in_a_box_keys_reach_and_a_video_keeps_its_shape(
    browser, base, viewport
):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    stub_videos(page)
    page.goto(base + WIDE)
    box = page.get_by_role("region", name="Bảng")
    assert box.evaluate("e => e.scrollWidth > e.clientWidth")  # the table is wider
    box.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('.bang').scrollLeft > 0")
    cell = page.locator(".bang td").first
    assert cell.evaluate("e => getComputedStyle(e).textAlign") == "start"  # not justified
    video = page.locator(".body iframe").bounding_box()
    assert video is not None and video["width"] <= viewport["width"]
    assert abs(video["height"] - video["width"] * 9 / 16) <= 2  # 16:9, not 150 px tall
    context.close()


def test_printing_a_wide_table_and_code_keeps_them_on_the_paper(browser, base):
    context = browser.new_context(viewport={"width": 718, "height": 1000})  # A4 less margins
    page = context.new_page()
    stub_videos(page)
    page.goto(base + WIDE)
    page.emulate_media(media="print")
    widths = page.evaluate("""() => [...document.querySelectorAll('.body table, .body pre')]
        .map((e) => [e.getBoundingClientRect().right, e.scrollWidth, e.clientWidth])""")
    paper = page.evaluate("document.querySelector('.body').getBoundingClientRect().right")
    assert len(widths) == 2
    for right, scrolled, shown in widths:
        assert right <= paper + 1 and scrolled <= shown + 1  # nothing cut off at the edge
    context.close()


def _luminance(rgb: str) -> float:
    values = [int(n) / 255 for n in re.findall(r"\d+", rgb)[:3]]
    linear = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in values]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_the_keyboard_focus_stands_out_on_the_header(page, base):
    page.goto(base)
    for _ in range(2):  # the skip link, then the site's name
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "brand"
    ring = page.evaluate("getComputedStyle(document.activeElement).outlineColor")
    header = page.locator(".site-header").evaluate("e => getComputedStyle(e).backgroundColor")
    lighter, darker = sorted((_luminance(ring), _luminance(header)), reverse=True)
    assert (lighter + 0.05) / (darker + 0.05) >= 3  # WCAG 1.4.11, non-text contrast


# What a menu item shows besides its colours, as computed styles tell it.
MENU_MARKS = """(a) => {
  const style = getComputedStyle(a);
  const seen = (colour) => !/^rgba\\(.*, 0\\)$|^transparent$/.test(colour);
  const marks = [];
  if (Number(style.fontWeight) >= 600) marks.push('bold');
  if (style.textDecorationLine.includes('underline')) marks.push('underline');
  if (parseFloat(style.borderBottomWidth) >= 2 && style.borderBottomStyle !== 'none'
      && seen(style.borderBottomColor)) marks.push('bar');
  if (seen(style.backgroundColor)) marks.push('ground');
  return marks;
}"""


def test_the_menu_tells_the_page_its_section_and_a_hovered_item_apart(page, base):
    """Each by a shape of its own, not a colour: the page itself is bold on a lighter ground
    above a bar, the section it is in has the bar alone, a hovered item is underlined."""
    nav = page.locator(".site-nav")
    page.goto(base + f"{CAT}/")
    assert nav.locator("a[aria-current='page']").evaluate(MENU_MARKS) == ["bold", "bar", "ground"]
    page.goto(base + TONG_KET)
    assert nav.locator("a[aria-current='true']").evaluate(MENU_MARKS) == ["bar"]
    plain = nav.get_by_role("link", name="Liên hệ")
    assert plain.evaluate(MENU_MARKS) == []
    plain.hover()
    assert plain.evaluate(MENU_MARKS) == ["underline"]


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_screenshots(browser, base, size):
    """Saved for people to look at: test-artifacts/screenshots/ (or $ARTIFACTS_DIR); each of
    the page as the site styles it."""
    context = browser.new_context(viewport=PHONE if size == "phone" else DESKTOP)
    page = context.new_page()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, path in (("home", ""), ("article", TONG_KET), ("search", "tim-kiem/?q=khoa%20hoc")):
        assert page.goto(base + path).status == 200
        if name == "search":
            page.wait_for_selector("#results li")
        header = page.locator(".site-header")
        assert header.evaluate("e => getComputedStyle(e).backgroundColor") == BRAND, name
        shot = SCREENSHOTS / f"{name}-{size}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.read_bytes().startswith(b"\x89PNG")
    context.close()


# ----------------------------------------------------------- accessibility ----

AXE_RUN = """async () => {
  const found = await axe.run(document, {resultTypes: ['violations']});
  return found.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')),
  }));
}"""


@pytest.fixture(scope="module")
def axe_script() -> Path:
    if not AXE.is_file():
        _missing(f"axe-core is missing at {AXE}: run .ci/install-tools")
    return AXE


@pytest.mark.parametrize("path", ["", TONG_KET, WIDE, "tim-kiem/?q=khoa%20hoc"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_no_serious_accessibility_violations(browser, base, axe_script, path, viewport):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    stub_videos(page)
    page.goto(base + path)
    if path.startswith("tim-kiem"):
        page.wait_for_selector("#results li")
    page.add_script_tag(path=str(axe_script))
    violations = page.evaluate(AXE_RUN)
    context.close()
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert serious == []


def test_the_accessibility_check_does_find_violations(page, axe_script):
    page.set_content('<html><body><img src="x.png"><a href="/"></a></body></html>')
    page.add_script_tag(path=str(axe_script))
    found = {v["id"]: v["impact"] for v in page.evaluate(AXE_RUN)}
    assert found["image-alt"] == "critical" and found["link-name"] == "serious"


@pytest.mark.parametrize(
    ("variable", "test"),
    [("CHROMIUM", "test_printing_an_article_shows_the_article_alone"),
     ("AXE_CORE_DIR", "test_the_accessibility_check_does_find_violations")],
)  # fmt: skip
def test_a_missing_tool_fails_in_ci_and_is_skipped_elsewhere(tmp_path, variable, test):
    env = {k: v for k, v in os.environ.items() if k != "CI"} | {variable: str(tmp_path / "none")}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
               f"{Path(__file__)}::{test}"]  # fmt: skip
    workstation = subprocess.run(command, env=env, capture_output=True, text=True, cwd=ROOT)
    ci = subprocess.run(command, env=env | {"CI": "true"}, capture_output=True, text=True, cwd=ROOT)
    assert workstation.returncode == 0 and "1 skipped" in workstation.stdout
    # A fixture that fails makes an error, not a failure: either way the run fails.
    assert ci.returncode == 1 and "skipped" not in ci.stdout and "missing" in ci.stdout
