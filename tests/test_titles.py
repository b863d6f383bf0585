"""Every kind of page names itself in <title> and its description, made in Python: the
templates print them, as they print every other value Python made for them."""

from itertools import pairwise
from pathlib import Path

import jinja2
import pytest
from conftest import ROOT, article

CAT = "tin"
SITE = "Sở Thử Nghiệm"


def test_each_kind_of_page_has_its_title_and_description(make_site):
    files = {f"content/{CAT}/2020-01-{n:02}-bai-{n}.md": article(f"Bài {n}", f"2020-01-{n:02}",
                                                                 summary=f"Tóm tắt {n}.")
             for n in range(1, 4)}  # fmt: skip
    files["content/pages/gioi-thieu.md"] = "---\ntitle: Giới thiệu\n---\nVề Sở.\n"
    config = {"page_size": 2, "categories": {CAT: "Khoa học"}, "description": "Cổng thử"}
    site = make_site(files, config)
    assert site.build().code == 0
    expected = {  # file: <title>, <meta name="description">
        "index.html": (f"Tin mới nhất - {SITE}", "Cổng thử"),
        "page/2/index.html": (f"Tin mới nhất - trang 2 - {SITE}",
                              f"Tin bài mới nhất của {SITE} - trang 2"),
        f"{CAT}/index.html": (f"Khoa học - {SITE}", "Tin bài chuyên mục Khoa học"),
        f"{CAT}/page/2/index.html": (f"Khoa học - trang 2 - {SITE}",
                                     "Tin bài chuyên mục Khoa học - trang 2"),
        f"{CAT}/bai-3/index.html": (f"Bài 3 - {SITE}", "Tóm tắt 3."),
        "gioi-thieu/index.html": (f"Giới thiệu - {SITE}", "Về Sở."),
        "tim-kiem/index.html": (f"Tìm kiếm - {SITE}", "Cổng thử"),
        "404.html": (f"Không tìm thấy trang - {SITE}", "Cổng thử"),
    }  # fmt: skip
    for path, (title, description) in expected.items():
        page = site.html(path)
        [about] = page.xpath("//head/meta[@name='description']/@content")
        assert (page.findtext(".//title"), about) == (title, description), path


def test_without_a_description_a_page_of_none_is_described_by_the_sites_name(make_site):
    site = make_site({"content/pages/gioi-thieu.md": "---\ntitle: Giới thiệu\n---\nVề Sở.\n"})
    assert site.build().code == 0
    for path in ("tim-kiem/index.html", "404.html"):
        [about] = site.html(path).xpath("//head/meta[@name='description']/@content")
        assert about == SITE, path


def _blocks(path: Path) -> dict[str, jinja2.nodes.Block]:
    tree = jinja2.Environment().parse(path.read_text(encoding="utf-8"))
    return {block.name: block for block in tree.find_all(jinja2.nodes.Block)}


def _printed_value(node: jinja2.nodes.Node) -> bool:
    """A variable or one of its attributes, printed as it is."""
    while isinstance(node, jinja2.nodes.Getattr):
        node = node.node
    return isinstance(node, jinja2.nodes.Name)


@pytest.mark.parametrize("template", sorted(p.name for p in (ROOT / "templates").glob("*.html")))
def test_templates_print_titles_and_descriptions_they_do_not_make_them(template):
    # A title made in a template is made again in each, and out of the tests' reach: Python
    # makes it (render, sharing), the template prints one value.
    for name in ("title", "description"):
        block = _blocks(ROOT / "templates" / template).get(name)
        if block is None:
            continue
        nodes = [node for output in block.body for node in getattr(output, "nodes", [output])]
        assert len(nodes) == 1 and _printed_value(nodes[0]), (template, name, nodes)


# Filters that put one value in its place on the page (an address under the site's path, a
# date as readers write it); any other (join, default, first...) would make a value.
_PLACING = frozenset({"url", "asset", "iso", "date", "short_date", "print_addresses", "safe"})
# Expressions that make a value: a fallback (`a or b`), a joining (`a ~ '/'`), a choice
# (`a if b else c`), a comparison or sum, a look-up (`badges[path]`), a call.
_MAKING = (jinja2.nodes.BinExpr, jinja2.nodes.Concat, jinja2.nodes.CondExpr,
           jinja2.nodes.Compare, jinja2.nodes.Getitem, jinja2.nodes.Slice, jinja2.nodes.Call,
           jinja2.nodes.Neg, jinja2.nodes.Pos)  # fmt: skip


def _made_in_template(tree: jinja2.nodes.Template) -> list[str]:
    """Each place where the template makes a value rather than printing one, by line."""
    made = [f"{node.lineno}: {type(node).__name__}" for node in tree.find_all(_MAKING)]
    made += [f"{node.lineno}: filter {node.name}" for node in tree.find_all(jinja2.nodes.Filter)
             if node.name not in _PLACING]  # fmt: skip
    # `is none` asks whether a value is there; `is defined` and the like would fall back.
    made += [f"{node.lineno}: test {node.name}" for node in tree.find_all(jinja2.nodes.Test)
             if node.name != "none"]  # fmt: skip
    for output in tree.find_all(jinja2.nodes.Output):  # {{ a }}{{ b }}: one value in two
        made += [f"{left.lineno}: two values printed as one"
                 for left, right in pairwise(output.nodes)
                 if not isinstance(left, jinja2.nodes.TemplateData)
                 and not isinstance(right, jinja2.nodes.TemplateData)]  # fmt: skip
    return made


@pytest.mark.parametrize("template", sorted(p.name for p in (ROOT / "templates").glob("*.html")))
def test_templates_loop_and_print_the_values_python_made(template):
    # A signature, a fallback name or an address joined in a template is out of the tests'
    # reach and made again in each template that needs it: render and sharing make them.
    tree = jinja2.Environment().parse((ROOT / "templates" / template).read_text("utf-8"))
    assert _made_in_template(tree) == [], template
