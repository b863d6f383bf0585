"""Plan the HTML pages of a site and render each one."""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, overload

from .errors import Diagnostic, error
from .feeds import category_feed_title
from .model import Article, Listing, Output, Page, Site, SiteConfig, StoredGone, Teaser
from .pickling import fast_pickle
from .sharing import article_sharing, listing_sharing, window_title

if TYPE_CHECKING:
    import jinja2

# Its search index lives beside it, in tim-kiem/index/ (search.py).
SEARCH_PAGE = "tim-kiem/index.html"
HOME_TITLE = "Trang chủ"  # the menu's first item
SEARCH_TITLE = "Tìm kiếm"  # the search page's heading, and its <title> before the site's name
NOT_FOUND_TITLE = "Không tìm thấy trang"  # the 404 page's, likewise


@fast_pickle
@dataclass(frozen=True, slots=True)
class NavItem:
    title: str
    path: str  # site-relative, or an absolute URL


@fast_pickle
@dataclass(frozen=True, slots=True)
class MenuLink:
    """A menu item as one page shows it."""

    title: str
    path: str
    current: str  # its aria-current, "" for none


class Menu:
    """The menu bar: the home page, then the site's menu, each item marked as each page needs.

    The item that links to the page itself is the current page (aria-current="page"); the
    one of the section the page is in, such as an article's category or a listing's later
    page, is the current location (aria-current="true"): a screen reader says which.
    """

    def __init__(self, navigation: Sequence[NavItem]) -> None:
        self._items = (NavItem(HOME_TITLE, ""), *navigation)
        self._paths = frozenset(item.path for item in self._items)
        # Most pages are in one of a few sections: their menus are shared, digested once.
        self._shown: dict[tuple[str | None, str | None], tuple[MenuLink, ...]] = {}

    def on(self, page: str, section: str | None) -> tuple[MenuLink, ...]:
        """The menu of the page at `page` (a path, "" the home page), in `section` (the path
        of the listing it belongs to), or in none."""
        key = (page if page in self._paths else None, section if section in self._paths else None)
        shown = self._shown.get(key)
        if shown is None:
            shown = self._shown[key] = tuple(
                MenuLink(item.title, item.path, _current(item.path, *key)) for item in self._items
            )
        return shown


def _current(path: str, page: str | None, section: str | None) -> str:
    return "page" if path == page else "true" if path == section else ""


@fast_pickle
@dataclass(frozen=True, slots=True)
class CategoryLink:
    """What the search page shows of a category: not its articles, or every edit would
    change the page's render key."""

    slug: str
    name: str
    path: str


@fast_pickle
@dataclass(frozen=True, slots=True)
class Derived:
    """A context value computed only when the page is rendered, by a pure function.

    A page's render key hashes the function's name and its arguments instead of the value,
    so the pages the cache skips never pay for computing it.
    """

    function: Callable[..., Any]
    args: tuple[Any, ...]


@fast_pickle
@dataclass(frozen=True, slots=True)
class Common:
    """What every page's template receives: one value for all pages, digested once."""

    config: SiteConfig
    navigation: tuple[NavItem, ...]
    atom_url: str  # the site's Atom feed, which every page announces


@fast_pickle
@dataclass(frozen=True, slots=True)
class PageJob:
    """One HTML file to render: everything its template receives, and nothing else."""

    path: str  # output file, e.g. "tin/hoi-nghi/index.html"
    template: str
    common: Common
    context: Mapping[str, Any]  # this page's own values
    subject: str  # what is being rendered, for error messages (a source file or a page path)


def _navigation(site: Site) -> tuple[NavItem, ...]:
    menu = tuple(NavItem(m.title, m.url) for m in site.config.menu)
    return menu or tuple(NavItem(c.name, c.path) for c in site.categories)


class PagePlan(Sequence[PageJob]):
    """Every HTML page of the site, in a stable order, each PageJob made when asked for.

    A rebuild renders a few pages and digests the others' values on two cores (see
    products.plan_products): each process makes the jobs it needs, and the paths of all of
    them are known without making any. `badges` label pages by path (preview): each page
    is handed its own, so that marking a draft re-renders only the pages that show it.
    """

    def __init__(self, site: Site, badges: Mapping[str, str] | None = None) -> None:
        self._site = site
        self._base_url = site.config.base_url
        self._badges = dict(badges or {})
        navigation = _navigation(site)
        self._common = Common(site.config, navigation, f"{site.config.base_url}atom.xml")
        self._menu = Menu(navigation)
        self._names = {c.slug: c.name for c in site.categories}
        self._links = dict(zip((a.source for a in site.articles), site.links, strict=True))
        listings, articles = len(site.listings), len(site.articles)
        self._ends = (listings, listings + articles, listings + articles + len(site.pages))
        self.paths: tuple[str, ...] = (
            *(f"{listing.path}index.html" for listing in site.listings),
            *(f"{article.path}index.html" for article in site.articles),
            *(f"{page.path}index.html" for page in site.pages),
            SEARCH_PAGE, "404.html",
        )  # fmt: skip

    def __len__(self) -> int:
        return len(self.paths)

    @overload
    def __getitem__(self, index: int) -> PageJob: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[PageJob]: ...

    def __getitem__(self, index: int | slice) -> PageJob | Sequence[PageJob]:
        if isinstance(index, slice):
            return [self[i] for i in range(len(self))[index]]
        listings, articles, pages = self._ends
        if not -len(self) <= index < len(self):
            raise IndexError(index)
        index %= len(self)
        path = self.paths[index]
        if index < listings:
            return self._listing(path, self._site.listings[index])
        if index < articles:
            return self._article(path, index - listings)
        if index < pages:
            return self._page(path, self._site.pages[index - articles])
        if path == SEARCH_PAGE:
            categories = tuple(CategoryLink(c.slug, c.name, c.path) for c in self._site.categories)
            return self._job(path, "search.html", path, None, categories=categories,
                             **self._own(SEARCH_TITLE))  # fmt: skip
        return self._job(path, "404.html", path, None, **self._own(NOT_FOUND_TITLE))

    def _listing(self, path: str, listing: Listing) -> PageJob:
        site = self._site
        section = f"{listing.category}/" if listing.category else ""
        # Each item with its badge ("" for none): the template prints it, it looks up nothing.
        entries = tuple((item, self._badge(item)) for item in listing.items)
        return self._job(path, "listing.html", path, section, listing=listing, entries=entries,
                         partners=site.partners if listing.path == "" else (),
                         sharing=Derived(listing_sharing, (site.config, listing)),
                         **self._feed(listing.category))  # fmt: skip

    def _article(self, path: str, number: int) -> PageJob:
        site = self._site
        article, others = site.articles[number], site.other_news[number]
        return self._job(path, "article.html", article.source, article.category_path,
                         article=article, category_name=self._names[article.category],
                         badge=self._badge(article),
                         other_news=tuple(self._links[other.source] for other in others),
                         sharing=Derived(article_sharing, (site.config, article)),
                         **self._feed(article.category))  # fmt: skip

    def _page(self, path: str, page: Page) -> PageJob:
        return self._job(path, "page.html", page.source, None, page=page,
                         badge=self._badge(page),
                         page_title=window_title(self._site.config, page.title),
                         description=page.summary, **self._feed(None))  # fmt: skip

    def _badge(self, item: Article | Page | Teaser) -> str:
        """What a preview marks the item with, "" for nothing; a build marks nothing, and
        makes no article's path to look it up (PagePlan makes every page's job)."""
        return self._badges.get(item.path, "") if self._badges else ""

    def _own(self, heading: str) -> dict[str, str]:
        """The heading, <title> and description of a page of the site's own, which no
        file describes: the site's description stands for it."""
        config = self._site.config
        return {"heading": heading, "page_title": window_title(config, heading),
                "description": config.about, **self._feed(None)}  # fmt: skip

    def _feed(self, category: str | None) -> dict[str, str]:
        """The RSS feed a page announces, its category's or the site's, titled as it is."""
        name = self._site.config.name
        if category is None:
            return {"feed_url": f"{self._base_url}rss.xml", "feed_title": name}
        title = category_feed_title(self._names[category], name)
        return {"feed_url": f"{self._base_url}{category}/rss.xml", "feed_title": title}

    def _job(
        self, path: str, template: str, subject: str, section: str | None, **values: Any
    ) -> PageJob:
        """`section`: the path of the listing the page belongs to, if any (see Menu)."""
        page_path = path.removesuffix("index.html")
        menu = self._menu.on(page_path, section)
        page_url = self._base_url + page_path  # canonical, and printed on paper
        context = MappingProxyType({**values, "page_url": page_url, "menu": menu})
        return PageJob(path, template, self._common, context, subject)


@fast_pickle
@dataclass(frozen=True, slots=True)
class RenderFailure:
    """A page that could not be rendered: where in which template, and why."""

    template: str
    line: int
    problem: str
    subject: str = ""  # the page's source, for errors met while rendering it


def render_page(env: jinja2.Environment, job: PageJob) -> Output | RenderFailure:
    """The page's HTML, or where its template failed and why."""
    import jinja2  # loaded by make_environment already; here only for its exception types

    try:
        common = job.common
        context = {
            "config": common.config, "navigation": common.navigation, "atom_url": common.atom_url,
            **{name: value.function(*value.args) if isinstance(value, Derived) else value
               for name, value in job.context.items()},
        }  # fmt: skip
        html = env.get_template(job.template).render(context)
    except jinja2.TemplateSyntaxError as exc:
        return RenderFailure(exc.filename or job.template, exc.lineno or 1, str(exc.message))
    except StoredGone:  # not the template's fault: the build starts again without the cache
        raise
    except Exception as exc:  # a template bug must name the page, not crash the build
        line, template = _template_frame(exc, job.template)
        return RenderFailure(template, line, str(exc), job.subject)
    return Output(job.path, html.encode("utf-8"))


def failure_diagnostics(failures: Iterable[RenderFailure]) -> list[Diagnostic]:
    """One error per template line and problem, naming the first page it broke.

    A bug in the article template breaks every article alike: 10,000 lines would bury it.
    """
    pages: dict[tuple[str, int, str], list[str]] = {}
    for failure in failures:
        pages.setdefault((failure.template, failure.line, failure.problem), []).append(
            failure.subject
        )
    problems = []
    for (template, line, problem), subjects in pages.items():
        where = f" while rendering {subjects[0]}" if subjects[0] else ""
        more = f" (and {len(subjects) - 1} more pages)" if subjects[0] and len(subjects) > 1 else ""
        problems.append(error(template, line, f"template error{where}: {problem}{more}"))
    return problems


def _template_frame(exc: BaseException, fallback: str) -> tuple[int, str]:
    """The innermost template line in the traceback (Jinja rewrites frames to template lines)."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith((".html", ".xml", ".j2")):
            return frame.lineno or 1, frame.filename
    return 1, fallback
