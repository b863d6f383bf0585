from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from sokhcn_site.collect import collect, is_published, newest_first, select_other_news
from sokhcn_site.config import site_path
from sokhcn_site.listings import paginate
from sokhcn_site.model import Article, MenuItem, Origin, Page, SiteConfig
from sokhcn_site.render import PagePlan

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
CONFIG = SiteConfig(name="Sở", base_url="https://example.test/", other_news=3)


def make(slug: str, day: int, category: str = "tin", **fields) -> Article:
    return Article(
        source=f"content/{category}/{slug}.md", category=category, slug=slug, title=slug.upper(),
        date=datetime(2020, 1, day, tzinfo=TZ), body=b"<p>x</p>", summary="x", **fields,
    )  # fmt: skip


def test_newest_first_breaks_ties_by_slug_whatever_the_input_order():
    a, b, c = make("b", 5), make("a", 5), make("c", 9)
    assert [x.slug for x in newest_first([a, b, c])] == ["c", "a", "b"]
    assert newest_first([b, c, a]) == newest_first([c, a, b])


def test_other_news_are_the_older_ones_then_nearest_newer():
    ordered = newest_first([make(f"s{i}", i) for i in range(1, 8)])  # s7 (newest) .. s1
    slugs = [a.slug for a in ordered]
    assert slugs == ["s7", "s6", "s5", "s4", "s3", "s2", "s1"]
    assert [a.slug for a in select_other_news(ordered, 0, 3)] == ["s6", "s5", "s4"]
    assert [a.slug for a in select_other_news(ordered, 5, 3)] == ["s4", "s3", "s1"]
    assert [a.slug for a in select_other_news(ordered, 6, 3)] == ["s4", "s3", "s2"]


def test_other_news_never_list_the_article_and_fill_up_to_category_size():
    for size in range(1, 6):
        ordered = newest_first([make(f"s{i}", i) for i in range(1, size + 1)])
        for index, article in enumerate(ordered):
            chosen = select_other_news(ordered, index, 7)
            assert article not in chosen
            assert len(chosen) == min(7, size - 1)
            assert len(set(chosen)) == len(chosen)


def test_collect_keeps_categories_apart_and_drops_drafts_and_future():
    now = datetime(2020, 1, 20, tzinfo=TZ)
    parsed = [
        make("a", 1), make("b", 2), make("c", 3, category="khac"),
        make("nhap", 4, draft=True), make("sau", 25),
    ]  # fmt: skip
    pairs = [(Origin(a.source, a.source), a) for a in parsed]
    site, problems = collect(CONFIG, pairs, [], now=now)
    assert problems == []
    assert [a.slug for a in site.articles] == ["c", "b", "a"]
    others = dict(zip([a.slug for a in site.articles], site.other_news, strict=True))
    assert [a.slug for a in others["b"]] == ["a"]
    assert others["c"] == ()
    with_drafts, _ = collect(CONFIG, pairs, [], now=now, include_drafts=True)
    assert [a.slug for a in with_drafts.articles] == ["sau", "nhap", "c", "b", "a"]


def test_published_means_not_draft_and_not_in_the_future():
    now = datetime(2020, 1, 10, tzinfo=TZ)
    assert is_published(make("a", 10), now)
    assert not is_published(make("a", 10, draft=True), now)
    assert not is_published(make("a", 11), now - timedelta(seconds=1))


def test_pagination_paths_and_neighbours():
    items = [make(f"s{i}", i) for i in range(1, 24)]
    pages = paginate(items, 10, base="tin/", title="Tin", feed_path="tin/rss.xml")
    assert [p.path for p in pages] == ["tin/", "tin/page/2/", "tin/page/3/"]
    assert [len(p.items) for p in pages] == [10, 10, 3]
    assert pages[0].prev_path is None and pages[0].next_path == "tin/page/2/"
    assert pages[1].prev_path == "tin/" and pages[1].next_path == "tin/page/3/"
    assert pages[2].next_path is None and pages[2].count == 3


def test_an_empty_list_still_has_a_first_page():
    pages = paginate([], 10, base="", title="Tin", feed_path="rss.xml")
    assert len(pages) == 1 and pages[0].items == () and pages[0].path == ""


def test_the_page_plan_makes_each_job_when_asked_the_same_in_any_order():
    parsed = [make(f"s{i}", i) for i in range(1, 30)] + [make("k", 3, category="khac")]
    site, _ = collect(CONFIG, [(Origin(a.source, a.source), a) for a in parsed], [],
                      now=datetime(2021, 1, 1, tzinfo=TZ))  # fmt: skip
    forward, backward = PagePlan(site), PagePlan(site)
    jobs = list(forward)
    assert [job.path for job in jobs] == list(forward.paths) == list(backward.paths)
    assert [backward[i] for i in reversed(range(len(backward)))][::-1] == jobs
    assert backward[-1] == jobs[-1] and backward[1:3] == jobs[1:3]
    templates = {"listing.html", "article.html", "search.html", "404.html"}
    assert {job.template for job in jobs} == templates
    article = next(job for job in jobs if job.path == "tin/s5/index.html")
    assert [link.path for link in article.context["other_news"]] == ["tin/s4/", "tin/s3/",
                                                                   "tin/s2/"]  # fmt: skip
    with pytest.raises(IndexError):
        forward[len(forward)]


def test_a_preview_badge_is_handed_only_to_the_pages_that_show_it():
    """Marking a draft in `serve` re-renders its page and the lists that show it (their
    render keys are made of what their jobs hold), not the whole site."""
    parsed = [make(f"s{i}", i) for i in range(1, 30)]
    site, _ = collect(CONFIG, [(Origin(a.source, a.source), a) for a in parsed], [],
                      now=datetime(2021, 1, 1, tzinfo=TZ))  # fmt: skip
    plain, marked = PagePlan(site), PagePlan(site, {"tin/s5/": "Bản nháp"})
    changed = [path for path, a, b in zip(plain.paths, plain, marked, strict=True) if a != b]
    assert changed == ["page/3/index.html", "tin/page/3/index.html", "tin/s5/index.html"]


def test_the_menu_marks_the_page_itself_and_the_section_a_page_is_in():
    """aria-current="page" on the item of the page itself; "true" on the section's, for an
    article's category and a listing's later pages; none where no item leads."""
    menu = (MenuItem("Tin", "tin/"), MenuItem("Khác", "khac/"),
            MenuItem("Giới thiệu", "gioi-thieu/"), MenuItem("Bộ", "https://x.vn/"))  # fmt: skip
    parsed = [make(f"s{i}", i) for i in range(1, 4)] + [make("k", 3, category="khac"),
                                                        make("n", 4, category="ngoai")]  # fmt: skip
    about = Page("content/pages/gioi-thieu.md", "gioi-thieu", "Giới thiệu", b"<p>x</p>", "x")
    site, _ = collect(replace(CONFIG, page_size=2, menu=menu),
                      [(Origin(a.source, a.source), a) for a in parsed],
                      [(Origin(about.source, about.source), about)],
                      now=datetime(2021, 1, 1, tzinfo=TZ))  # fmt: skip
    plan = PagePlan(site)
    marked = {job.path: [(link.title, link.current) for link in job.context["menu"] if link.current]
              for job in plan}  # fmt: skip
    titles = [link.title for link in plan[0].context["menu"]]
    assert titles == ["Trang chủ", "Tin", "Khác", "Giới thiệu", "Bộ"]
    assert marked["index.html"] == [("Trang chủ", "page")]
    assert marked["page/2/index.html"] == [("Trang chủ", "true")]
    assert marked["tin/index.html"] == [("Tin", "page")]
    assert marked["tin/page/2/index.html"] == [("Tin", "true")]
    assert marked["tin/s2/index.html"] == marked["tin/s3/index.html"] == [("Tin", "true")]
    assert marked["khac/k/index.html"] == [("Khác", "true")]
    assert marked["gioi-thieu/index.html"] == [("Giới thiệu", "page")]
    for unmarked in ("ngoai/index.html", "ngoai/n/index.html", "tim-kiem/index.html", "404.html"):
        assert marked[unmarked] == [], unmarked


@pytest.mark.parametrize(("url", "path"), [
    ("https://x.vn/portal/tin/", "tin/"), ("/tin/", "tin/"), ("tin/", "tin/"),
    ("https://x.vn/portal/", ""), ("https://X.VN/portal", ""),
    ("https://x.vn/portal/tin/?a=1#b", "tin/?a=1#b"),
    ("http://x.vn/portal/tin/", "http://x.vn/portal/tin/"),  # another scheme: another site
    ("https://x.vn/portalx/", "https://x.vn/portalx/"), ("https://x.vn/", "https://x.vn/"),
    ("https://y.vn/portal/tin/", "https://y.vn/portal/tin/"),
])  # fmt: skip
def test_a_menu_address_on_the_site_is_its_site_relative_path(url, path):
    assert site_path("https://x.vn/portal/", url) == path
